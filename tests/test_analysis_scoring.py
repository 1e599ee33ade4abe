"""score_texts interface, candidate-experience detection, consumer link, explanations, version, workers."""

from __future__ import annotations

import json
import pickle
import shutil
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from analysis import lexicon
from analysis.scoring import (ANALYZER_VERSION, RULES_VERSION, STAGES, Analyzer, Result, analyzer_version,
                              score_texts)


def test_interface_shape() -> None:
    res = score_texts(["I applied in March and never heard back"])
    assert len(res) == 1 and isinstance(res[0], Result)
    rec = res[0].to_record("x1")
    assert set(rec) == {"id", "is_candidate_experience", "stages", "stage_sentiment", "sentiment", "themes",
                        "consumer_link", "companies"}
    json.dumps(rec)
    json.dumps(res[0].explanation)
    assert rec["id"] == "x1" and rec["is_candidate_experience"] is True
    assert rec["stages"] == ["rejection"] and isinstance(rec["stages"], list)
    assert rec["sentiment"] < 0
    assert ANALYZER_VERSION.startswith(RULES_VERSION + "+lex.") and len(ANALYZER_VERSION.split("lex.")[1]) == 10
    assert STAGES[0] == "application" and STAGES[-1] == "onboarding"
    assert score_texts([]) == []


@pytest.mark.parametrize("text", [
    "We're hiring! Join our team as a barista. Apply now, interviews this week. #hiring",
    "5 tips to ace your interview: research the company and you should always follow up.",
    "My Cobalt jacket fell apart after a month and customer service refused a refund. Never buying again.",
    "As a recruiter, I always tell candidates to send a thank-you note after the interview.",
    "The company announced on Tuesday that it will cut 300 jobs, a spokesperson said.",
    "My son applied to forty jobs and was ghosted by most of them.",
    # generalisations in the present tense, a fine in the news, an ad in the employer's voice
    "Nine-stage interview loops are a sign that nobody on the team can decide anything.",
    "A warehouse firm was fined after a court found its interview questions were discriminatory.",
    "Harbour Foods is looking for a shift lead! Apply through our careers page, applications close Friday.",
    # (a pharmacy customer's complaint: tests/test_learned.py, among the candidate model's known misses)
    # the writer hires; someone else's story; a wish; a call for others to act; a billing complaint
    "I'm a hiring manager and candidates keep missing their interview slots without a word.",
    "Interviewer perspective: I read every take-home we get, and the short ones win.",
    "My flatmate got an offer from a bakery, then they withdrew it the week he started. Brutal.",
    # "mine" in "a friend of mine" is the teller's, not a first-person candidate
    "A friend of mine got an offer from a bakery and then it was pulled a week later. Brutal.",
    # a relative's outcome and a partner's take-home; hearsay; someone about to apply; a question to
    # others; an employer declined by a candidate; a bank customer who cannot pay the rent
    "My daughter didn't get the Larkspur apprenticeship. She's applying again in the spring.",
    "My partner's take-home: brief said 4 hours. She logged 14. They never replied.",
    "Everyone I know who went through it says the interviewers were strong but 7 stages is too many.",
    "Thinking about applying to Quillon Labs. Reviews say great interviews, awful wait for decisions.",
    "Anyone heard back from Fernhill's grad scheme? Applications closed on the 10th.",
    "Candidate turned down our offer - the hours clashed with childcare and we couldn't move them.",
    "Tidewell Bank app down AGAIN on payday. Can't see my balance, can't pay rent. Sort it out.",
    # an employer answering a review or announcing a change; a hiring manager about a candidate; a store opening
    "We've listened. From today every candidate who interviews with us will get written feedback within 5 days.",
    "We note the reviewer's comments. For clarity, all candidates were informed of the outcome by email on 12 June.",
    "Interviewed someone today for my team who brought a printed map of our API. Hired on the spot.",
    "Fernhill Market opens its 200th store today in Bridgwater, creating 85 local jobs.",
    # a recruiter counting the CVs they screen; a call on employers in general
    "I screen about 200 CVs a week and honestly most get no reply because we don't have the staff.",
    "Hiring managers: please stop ghosting people after final rounds.",
    "If Harbour Foods ever offers me a job I'll say yes before they finish the sentence.",
    "Firms that post salary ranges on their ads get better applicants. More should do it.",
    "Their pricing change doubled our bill and the account rep stopped answering emails.",
    # someone else as the subject, whatever the verb: the relative's or friend's story, not the writer's
    "My cousin has a second interview at the garden centre tomorrow.",
    "My best mate did the warehouse assessment day: eight hours, no lunch. Phone never rang.",
    "Colleague of mine moved there last month. Said the interviews were four rounds over three weeks.",
    "A friend sat the numerical test on Monday and was rejected an hour later.",
    # a verdict on hiring that is no named employer's, or is addressed to the reader
    "An inquiry found that a haulage firm's interview questions about family plans were unlawful.",
    "Agency recruiter for Harbour Foods' depots: if you're rejected at the screen, it's almost always your "
    "shift availability.",
    # an employer's thanks for feedback; a job coach; what usually happens
    "Hi Sam, thanks for your patience. Our portal was down on Tuesday and some applications were delayed.",
    "I coach graduates through job hunts, and the ones who get ghosted most apply to 200 roles a week.",
    "Rejections from Northgate's head office usually come as a template email around day ten.",
    "Thanks for the kind words about our interview panel. We'll pass them on to the team.",
    # the writer has not applied yet (session 13)
    "What's the dress code like for a Harbour Foods store interview? Haven't applied yet, just thinking about it.",
    "Has anyone done the Northgate assessment centre? What's the group exercise like? Applying next month.",
    "Would you rather work at Harbour Foods or Northgate for a first retail job? I have no experience, just "
    "trying to decide where to apply.",
])
def test_not_candidate_experience(text: str) -> None:
    assert score_texts([text])[0].is_candidate_experience is False


@pytest.mark.parametrize("text", [
    "Interviewed there twice, then radio silence for a month.",
    "I had a phone screen with their recruiter today, it went well.",
    "Got rejected by an automated email two minutes after applying.",
    # terse reviews without a first-person pronoun
    "Panel interview was well run and on time.",
    "Final round on Monday with the CTO.",
    # a weak first-hand cue ("still no", +1) tops up to the first-person credit instead of replacing it
    "My experience so far: applied in March and the advert is still up, still no acknowledgement.",
    # a relative named in passing is not a second-hand story
    "The interviewer asked whether my wife minded me working late. I did not enjoy that.",
    # declining other openings tells that the writer was a candidate
    "They kept saying the contract was coming. I'd turned down two other jobs for this.",
    # a question quoted at the end of a sentence is not the writer asking
    'The recruiter kept asking me "are you sure you want this?" Felt like a trap.',
    # shopping words in a post that ties the hiring story to being a customer; a stock job
    "applied to the garden centre in may, chased once, nothing. bought my compost and placed my next order at another shop instead.",
    "Got auto-rejected for a stock assistant job within minutes. Cancelled my loyalty card.",
    # a case study is an interview task, not a news study
    "#tidewell final round tomorrow. two interviews back to back, one competency one case study. prepping tonight",
    # coming out of an interview is first-hand
    "Just walked out of an interview at the library service. Went brilliantly.",
    # an employer's words quoted inside the writer's story are not the writer's voice
    "Got a text from the depot: 'We're hiring for weekends, join our team!' Replied yes the same hour and "
    "never heard another word.",
    # a one-line verdict on a named employer's hiring is the writer's own experience of it
    "Harbour Foods' recruitment team is a shambles from start to finish.",
    "Genuinely impressed by Northgate Dental's hiring, start to finish.",
    # a candidate-survey answer (one of the employer's own exports) is first-hand, not a survey report
    "Survey comment: Applied through the Larkspur portal, took about 25 minutes, and had a 15-minute screening "
    "call a week later. Waiting to hear about next steps.",
    # "Advice to management" is a review site's field, not an advice piece
    "Cobalt Outfitters - Sales Associate interview. Pros: quick. Cons: didn't get it. Advice to management: none.",
    # reported "to apply" is not a job ad's call to apply
    "rejected by Brightwater but the recruiter sent a personal email explaining why and told me to apply for the "
    "next grad intake.",
    # an ad's words in the writer's own story are the new starter's perks and events (session 13)
    "Harbour Foods hired me on the spot after a 15 minute chat. First thing I bought with the staff discount: "
    "the jacket I'd wanted for ages.",
    "My first week at Northgate: two days of product training, one on the till, and my staff discount card.",
])
def test_candidate_experience(text: str) -> None:
    assert score_texts([text])[0].is_candidate_experience is True


def test_an_onboarding_buddy_is_no_one_elses_story() -> None:
    r = score_texts(["Started at the depot on Monday. A buddy on day one, till training that made sense. "
                     "My onboarding was honestly great."])[0]
    assert r.is_candidate_experience is True


def test_second_hand_story_reads_as_a_narrative() -> None:
    # the teller's tone follows the story's turn, as in a first-hand post: the offer was pulled
    r = score_texts(["A friend of mine got an offer from a bakery and then it was pulled a week later. Brutal."])[0]
    assert r.sentiment <= -0.05
    # "it had been withdrawn" names the offer just told of
    r = score_texts(["Got the offer on Monday. By Friday it had been withdrawn."])[0]
    assert "rescinded_offer" in r.themes and r.sentiment <= -0.05


def test_a_news_report_of_bad_events_is_neutral_but_the_writers_comment_is_not() -> None:
    report = ("A regional retailer has been fined after an investigation found it rejected older applicants "
              "through an automated filter.")
    assert score_texts([report])[0].sentiment == 0.0
    assert score_texts(["The tech firm laid off 12% of its workforce on Thursday, the second round of cuts "
                        "this year, according to an internal memo."])[0].sentiment == 0.0
    # (the writer's comment after a report: tests/test_learned.py, among the tone model's known misses)
    # one news word ("headcount") in a candidate's complaint does not make it a report
    r = score_texts(["Friendly screening call, quick interview, clear next steps... and then three weeks of "
                     "silence before an offer that was withdrawn 48 hours later when 'headcount changed'."])[0]
    assert r.sentiment <= -0.05


@pytest.mark.parametrize("text", [
    "Brightwater Goods said on Monday it would move its distribution centre, affecting around 200 workers.",
    "Cobalt Outfitters is to close two distribution centres next year, putting 300 jobs at risk.",
    "Ministers are consulting on whether employers should publish salary ranges in job adverts.",
    "Quillon Labs plans to double its engineering headcount, chief executive Priya Shah said.",
    "Pharmacy staff at six sites will walk out on 3 and 4 December in a dispute over pay, the union confirmed.",
    "Branch staff were told this week that 40 branches will shut, the bank said.",
])
def test_newswire_phrasing_is_a_news_report(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and r.sentiment == 0.0
    assert r.explanation["candidate_score"]["penalties"]["news"] >= 1.5


def test_chasers_and_closing_an_account_tell_a_slow_process_and_a_lost_customer() -> None:
    r = score_texts(["Tidewell made me an offer, then took five weeks and three chasers to send a contract. "
                     "I've banked with them since I was 16. If this is how they run things I'm moving my "
                     "current account."])[0]
    assert r.consumer_link and "slow_process" in r.themes and r.sentiment <= -0.05


def test_a_story_that_turns_with_then_ends_where_it_turns() -> None:
    # "Then ..." opening a sentence turns the story as "But ..." does: the praise before it weighs half
    r = score_texts(["The interview itself was honestly great. Warm, well run, thoughtful questions. Then the "
                     "offer was pulled two days before my start date. I'd already handed in my notice."])[0]
    assert r.sentiment <= -0.05
    r = score_texts(["The rejection took five weeks and I was ready to be furious. Then I read it: three "
                     "paragraphs of specific, kind feedback and a pointer to a role that suits me better."])[0]
    assert r.sentiment > -0.05


@pytest.mark.parametrize("text", [
    "Tidewell rejected our mortgage application after six weeks of 'it's with underwriting', with no reason given.",
    "Cobalt Outfitters have completely ghosted my return request. Three emails, zero replies.",
    "Their home test kit gave me an error three times and their helpline never answered. Asking for a refund.",
    "Delivered my sofa with a broken leg and their chatbot keeps closing my ticket. Never ordering from them again.",
    # travel and telecoms (session 20): an automated troubleshooter, a passed-on call, a lost suitcase
    "My broadband dropped for the third night running. I spent an hour with their automated troubleshooter "
    "before they finally passed me through to a person.",
    "The airline lost my suitcase on the way home. I was told to submit a form and wait six weeks for a reply.",
    # the rules say no, and the candidate model, which reads it as a story like a hiring one (p 0.93 at 2.74),
    # may not overrule them: there is no word only hiring uses (session 22, set 4's service complaints)
    "Got the new laptop home and on day one the keyboard was already failing. I phoned support, waited an hour, "
    "and was told someone would get back to me. Nobody did, so I returned it to the shop.",
])
def test_a_customers_dealings_told_in_hiring_words_are_no_candidate_experience(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and r.stages == ()


def test_a_story_told_in_so_many_first_person_words_stays_a_candidate_experience() -> None:
    # the quoted owner and assistant ("you're", "our", "are", "her") lead the candidate model to read an advice or
    # employer text (p 0.07 at 2.76); the rules' first-hand evidence (8.0) is past STRONG_STORY and stands
    text = ("I interviewed at a plant nursery last month. The owner walked me round and kept saying things like "
            "\"you're going to love it here\" and \"our people are family\". A week later her assistant emailed: "
            "\"We are sorry, you should know you are a strong candidate, but we are going another way. Your answers "
            "were great.\" I applied again in spring. Are they serious? I should have known.")
    r = score_texts([text])[0]
    assert r.is_candidate_experience is True and "rejection" in r.stages
    assert any("candidate experience stands" in line for line in r.explanation["rules"])


def test_a_rejection_beside_a_product_is_still_a_candidate_experience() -> None:
    r = score_texts(["Rejected by Quillon in 4 minutes flat. Cancelling our team's subscription."])[0]
    assert r.is_candidate_experience is True and r.consumer_link is True


@pytest.mark.parametrize("text", [
    "Patient Services Officer (Band 5). You'll investigate complaints, coordinate responses and spot trends in "
    "negative feedback.",
    "Fernhill Market fined £180,000 after a warehouse worker was injured by a falling pallet, the Health and "
    "Safety Executive said.",
    "Cobalt Outfitters recalls 2,000 waterproof jackets after customer complaints about faulty seams.",
])
def test_duties_and_reported_events_carry_no_tone(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and r.sentiment == 0.0


@pytest.mark.parametrize("text", [
    "Store manager at Fernhill: I do about ten interviews a week at this time of year. Turnaround from us is "
    "usually 48 hours.",
    "I run interviews for Tidewell's graduate scheme. We score against four competencies.",
    "Hiring manager at Quillon here. We had 600 applicants for one junior role.",
    # told by what the writer does to candidates (session 13)
    "Spent today phone-screening 30 applicants for Harbour Foods night shifts. Ten didn't pick up.",
    "Just made my first hire as a new manager at Northgate and I'm proud. Ringing her with the offer was the best part.",
    "I've sat on Northgate interview panels for two years. We get the candidate's questions in advance.",
    "Hiring for two junior analysts on my team at Northgate. Process: a call with me, a paid take-home, one panel.",
])
def test_the_interviewer_introducing_themself_is_recruiter_voice(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and r.explanation["candidate_score"]["penalties"]["recruiter"] >= 3


def test_it_says_is_no_news() -> None:
    r = score_texts(["Just did the Fernhill one-way video thing. 3 questions, 2 min per answer. Results within "
                     "5 working days, it says."])[0]
    assert r.is_candidate_experience is True and "news" not in r.explanation["candidate_score"]["penalties"]


def test_an_opinion_piece_headed_as_one_is_advice() -> None:
    r = score_texts(["Career coach take: if a company's process has more than four interview rounds, that tells "
                     "you how it makes decisions. Ask how many stages there are."])[0]
    assert r.explanation["candidate_score"]["penalties"].get("advice")
    assert r.sentiment == 0.0  # advice keeps only strong tone


def test_an_appeal_keeps_its_tone() -> None:
    # a call on employers is no report (news, advice): the writer's own anger counts
    r = score_texts(["Recruiters: please stop ghosting people. It costs you nothing to send a one-line email."])[0]
    assert r.is_candidate_experience is False and r.sentiment <= -0.05


def test_consumer_link() -> None:
    linked = [
        "They ghosted me after the final interview. I'm never buying from them again.",
        "I've shopped there for years, so being rejected by a bot for a store job stung.",
        "Cancelled my subscription after how their recruiter treated me in the interview.",
    ]
    for text in linked:
        assert score_texts([text])[0].consumer_link is True, text
    # product complaint: consumer cue but nothing about hiring
    assert score_texts(["The kettle broke in a week. Never buying from them again."])[0].consumer_link is False
    # hiring but no customer status
    assert score_texts(["They ghosted me after the final interview."])[0].consumer_link is False
    # longer gaps between the verb and where the money goes
    assert score_texts(["Interviewed twice and never heard back. Getting my winter coat and boots "
                        "somewhere else this year."])[0].consumer_link is True
    # whole-phrase variants that were once written inside one slot and never matched
    for text in ("Ghosted after two interviews. I will not be buying from them after that.",
                 "Eleven years as their customer and they never replied after my interview.",
                 "I have bought shoes from there since school, and their recruiter ghosted me."):
        assert score_texts([text])[0].consumer_link is True, text
    # everyday ways of staying or leaving (blind battery parts 7 and 8)
    for text in ("Applied for the receptionist job at my GP practice: 3 interviews, no outcome after 10 weeks. "
                 "Registered with a different practice last Tuesday.",
                 "Didn't get the job but they were so decent about it. Keeping my current account with them.",
                 "Six applications, not one reply. Seriously thinking about moving my savings somewhere that "
                 "answers emails."):
        assert score_texts([text])[0].consumer_link is True, text
    for text in ("Three interviews and a two-line email from a no-reply address. I moved my ISA and my current "
                 "account out of Tidewell the same week.",
                 "Their interviewer asked me where I was really from. My savings now live somewhere that doesn't.",
                 "Rejected, but the feedback was the most thoughtful I've had. Opened a savings account with them "
                 "last night."):
        assert score_texts([text])[0].consumer_link is True, text
    # a fan's and a regular's standing in other words (session 23)
    for text in ("Cobalt is my all-time favourite brand, so I applied the day their store posted the ad. "
                 "Interviewed on Saturday and got the offer on Monday.",
                 "I applied to Fernhill, one of the few shops I shop at every week. The interview was short and "
                 "friendly.",
                 "I have been a fan and shopper of Harbour Foods for years. They rejected me after one interview "
                 "with a form email."):
        assert score_texts([text])[0].consumer_link is True, text
    # a silence that is customer service's, not a hiring step's, is no consumer link
    assert score_texts(["Closed my account after two wrong charges. Their helpdesk never replied."])[0] \
        .consumer_link is False


@pytest.mark.parametrize("text, stages", [
    # the candidate failing to answer is not the employer's silence
    ("I froze and couldn't answer the second question at the onsite. Rough day.", ("interview",)),
    # a step told neutrally is part of the story when nothing ends in silence
    ("Accepted the offer on Tuesday. The first week had a buddy, a plan and a laptop ready. Lovely.",
     ("offer", "onboarding")),
    # ...but only situates a silence
    ("Applied in May, had two interviews in June, and it's been two months of nothing since.", ("rejection",)),
    ("The recruiter was rude to me for the whole call.", ("screening",)),
])
def test_stage_attribution(text: str, stages: tuple[str, ...]) -> None:
    assert score_texts([text])[0].stages == stages, score_texts([text])[0].explanation["rules"]


@pytest.mark.parametrize("text, sign", [
    ("Signed my contract today and I could not be more excited to start.", 1),
    ("The hiring manager thanked me, explained the decision and wished me luck.", 1),
    ("Lovely people, great office, and then an offer below my current salary.", -1),
])
def test_sentiment_sign(text: str, sign: int) -> None:
    score = score_texts([text])[0].sentiment
    assert score * sign >= 0.05, score


def test_explanation_contents() -> None:
    r = score_texts(["The interview was lovely. But they never got back to me, no feedback at all."])[0]
    ex = r.explanation
    assert ex["analyzer_version"] == ANALYZER_VERSION
    texts = [s["text"] for s in ex["sentences"]]
    assert "But they never got back to me, no feedback at all." in texts
    neg = next(s for s in ex["sentences"] if s["text"].startswith("But"))
    assert neg["compound"] < 0 and "rejection" in neg["stages"]
    assert any(h["term"] == "feedback" and h["negated"] for h in neg["hits"])
    assert "feedback" in ex["lexicon_hits"]
    assert any("candidate score" in rule for rule in ex["rules"])
    assert any(rule.startswith("theme no_feedback") for rule in ex["rules"])


def test_explanation_built_on_first_access_is_the_same_result() -> None:
    texts = ["Applied twice, interviewed once, then silence. Never shopping at Brightwater again."]
    lazy = score_texts(texts, companies=[("Brightwater", [])])[0]
    assert not isinstance(lazy._explanation, dict)  # not built yet
    eager = Result(*(getattr(lazy, f) for f in Result.__match_args__))  # reading the fields builds it
    assert isinstance(lazy._explanation, dict) and lazy.explanation is eager.explanation
    assert lazy == eager and repr(lazy) == repr(eager) and lazy.explanation["companies"]
    assert repr(lazy).startswith("Result(is_candidate_experience=True, stages=(") and "explanation={" in repr(lazy)
    assert pickle.loads(pickle.dumps(lazy)) == lazy
    with pytest.raises(FrozenInstanceError):
        lazy.sentiment = 0.0  # type: ignore[misc]
    other = score_texts([texts[0] + " Still no reply."])[0]
    assert other != lazy


def test_version_changes_when_a_lexicon_file_changes(tmp_path: Path) -> None:
    lex_copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, lex_copy)
    before = analyzer_version(lex_copy)
    assert before == ANALYZER_VERSION
    text = "The onboarding buddy system was zorgwonderful."
    base = score_texts([text], lexicon_dir=lex_copy)[0].sentiment
    with open(lex_copy / "sentiment.tsv", "a", encoding="utf-8") as fh:
        fh.write("zorgwonderful\t3.0\t-\t-\t-\n")
    after = analyzer_version(lex_copy)
    assert after != before and after.startswith(RULES_VERSION + "+lex.")
    assert score_texts([text], lexicon_dir=lex_copy)[0].sentiment > base
    # README edits do not count as data
    (lex_copy / "README.md").write_text("changed", encoding="utf-8")
    assert analyzer_version(lex_copy) == after


def test_malformed_lexicon_raises(tmp_path: Path) -> None:
    lex_copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, lex_copy)
    with open(lex_copy / "sentiment.tsv", "a", encoding="utf-8") as fh:
        fh.write("brokenterm\tnot-a-number\t-\t-\t-\n")
    with pytest.raises(lexicon.LexiconError):
        score_texts(["hello"], lexicon_dir=lex_copy)


def test_workers_two_equals_serial() -> None:
    path = Path(__file__).resolve().parents[1] / "data/eval/dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [rows[i % len(rows)]["text"] + ("" if i < len(rows) else f" (copy {i})") for i in range(3000)]
    companies = [("Brightwater", ["BWG"]), ("Cobalt Outfitters", ["Cobalt"])]
    serial = score_texts(texts, companies=companies, workers=1)
    parallel = score_texts(texts, companies=companies, workers=2)
    assert len(parallel) == 3000
    assert parallel == serial
    # a few hundred texts: this process and the worker split the chunks between them
    assert score_texts(texts[:400], companies=companies, workers=2) == serial[:400]


# a rating given with a text, outside its words (an imported review's stars): read as one written in the text
RATED = ["The recruiter was friendly and the interview was well organised.",   # words: positive
         "Long wait between rounds and the paperwork was a pain.",              # words: negative
         "Interviewed there in May. Overall 4/5."]                              # its own rating: positive


def test_a_rating_given_with_the_text_decides_its_sign_as_one_written_in_it() -> None:
    plain = score_texts(RATED)
    assert [r.sentiment > 0 for r in plain] == [True, False, True]
    rated = score_texts(RATED, ratings=[(1, 5), (9, 10), (4, 5)])
    assert rated[0].sentiment < -0.05 and rated[1].sentiment > 0.05 and rated[2].sentiment == plain[2].sentiment
    rules = rated[0].explanation["rules"]
    assert "rating given with the post: 1 of 5" in rules and "the writer's rating -> sentiment negative" in rules
    assert rated[1].is_candidate_experience and rated[1].stages == plain[1].stages  # only the tone moves
    # a middling rating reads neutral; a text that rates itself the other way is two-sided
    middling, against = score_texts(RATED[:1] + RATED[2:], ratings=[(3, 5), (1, 5)])
    assert middling.sentiment == 0.0 and against.sentiment == 0.0
    assert "a middling or two-sided rating -> sentiment neutral" in against.explanation["rules"]
    # the stars stand in any genre: advice keeps only its strong tone, a reviewer's own stars are not cut
    advice = "My manager checked in every day of the first week. More companies should do it this way."
    assert not score_texts([advice])[0].is_candidate_experience
    assert score_texts([advice], ratings=[(1, 5)])[0].sentiment < -0.05
    # None for a text without one, and the pool passes each text its own
    texts = [RATED[k % 2] + f" (copy {k})" for k in range(400)]
    ratings = [(1, 5) if k % 2 == 0 else None for k in range(400)]
    serial = score_texts(texts, ratings=ratings, workers=1)
    assert score_texts(texts, ratings=ratings, workers=2) == serial
    assert all(r.sentiment < -0.05 for r in serial)
    with pytest.raises(ValueError, match="1 ratings for 2 texts"):
        score_texts(RATED[:2], ratings=[(1, 5)])


def test_an_error_while_pooled_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, texts, companies=(), ratings=None):
        raise RuntimeError("scoring failed")

    monkeypatch.setattr(Analyzer, "score_many", broken)
    with pytest.raises(RuntimeError, match="scoring failed"):
        score_texts(["Applied in May, then silence."] * 400, workers=2)


def test_sarcasm_counts_against_the_stage_too() -> None:
    text = ("Filled in their application portal last week. Wonderful experience if you enjoy typing your CV "
            "in by hand three times. Not a word from them since.")
    res = score_texts([text])[0]
    assert res.sentiment < 0 and res.stage_sentiment["application"] < 0, (res.stage_sentiment, res.explanation["rules"])


def _sign(score: float) -> int:
    """-1, 0 or 1: the reading's label, as the +-0.05 band gives it."""
    return 0 if abs(score) < 0.05 else (1 if score > 0 else -1)


@pytest.mark.parametrize("sentence,sign", [
    # a sentence that opens with a concession turns at the clause after it, as "but" turns a sentence
    ("Although I was disappointed, it was a very pleasant experience.", 1),
    ("Even though the pay was low, the team was lovely.", 1),
    ("Despite the rejection, the whole process was a pleasure.", 1),
    ("Though the panel was friendly, the task was a nightmare.", -1),
    # in the middle of a sentence "although" opens the point, as "but" does
    ("The interview went well, although they never called back.", -1),
])
def test_a_concession_yields_to_the_clause_after_it(sentence: str, sign: int) -> None:
    from analysis.scoring import _mixed_sentence
    s = Analyzer().scorer.score(sentence)
    signs = frozenset(c > 0 for _a, _b, c in s.clauses if abs(c) >= 0.05)
    assert len(signs) == 2, s.clauses  # (the clauses disagree)
    assert _sign(_mixed_sentence(s, signs)) == sign, s.clauses


@pytest.mark.parametrize("text,sign", [
    # the writer says it was two-sided: neutral, whichever side the words lean to
    ("My interviewer was rude and kept me waiting. On the other hand the offer was generous. Mixed feelings.", 0),
    ("Applied in May. The panel was lovely and the pay is great, but the contract took ages. Still deciding.", 0),
    ("Offer: strong, paid above the band\nFirst week: no laptop, nobody expecting me\n"
     "Verdict: good people, messy start", 0),
    # a one-sided closing verdict sets the sign
    ("I applied in March. The process dragged and one round felt pointless, but the team was straight with me "
     "and the offer was fair. Happy in the end.", 1),
])
def test_the_writers_summing_up_decides(text: str, sign: int) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience
    assert _sign(r.sentiment) == sign, (r.sentiment, r.explanation["rules"])


@pytest.mark.parametrize("text,sign", [
    # how the writer is left feeling, said outright at the close, outweighs the pleasantries told on the way
    ("I had an interview today at a lovely little bookshop. It went really well and the owner said she really "
     "liked me. We laughed a lot and I thanked her warmly. Right at the end she said head office had told her "
     "she was overstaffed. I am so pissed.", -1),
    ("Four rounds, a long wait for the decision and a stressful take-home. The onboarding paperwork was a slog "
     "too. Started on Monday and honestly I'm thrilled.", 1),
    # and so does a feeling the writer has as they write, wherever it is told, all of one sign
    ("I'm sort of crushed. The panel was friendly and the questions were fair, and they said I was a strong "
     "candidate. They went with someone internal.", -1),
    ("I'm so grateful to the recruiter at Nordvale. The first two rounds were a slog and the portal lost my CV "
     "twice. She fixed it all and I start in March.", 1),
    # how the writer was made to feel
    ("The owner was lovely and we talked for an hour about the menu. Then a four-hour unpaid trial shift, and not "
     "a word since. I feel used.", -1),
    ("Rejected by email this morning. The hiring manager added two lines on what would have tipped it and offered "
     "a call next week. I was touched.", 1),
])
def test_the_writers_own_feeling_decides(text: str, sign: int) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience
    assert _sign(r.sentiment) == sign, (r.sentiment, r.explanation["rules"])
    assert any("the writer's closing feeling" in x or "the writer's feeling now" in x for x in r.explanation["rules"])


@pytest.mark.parametrize("text", [
    # a feeling denied, or looked ahead to, is none the writer tells
    "Rejected after the final round. They explained exactly why and pointed me to another team. I'm not upset.",
    "Three weeks since the interview. I'd be thrilled if they ever answered my emails.",
    "The rejection took five weeks and I was ready to be furious.",
    # nor is one the writer had, told further back than the last two sentences
    "I was livid at first. Then the recruiter called and walked me through the panel's notes. It helped a lot. "
    "I reapplied in spring.",
    # in a news report the feeling is someone quoted
    "Nordvale was fined after a tribunal found it withdrew offers from pregnant applicants. 'I was devastated,' "
    "one applicant told the tribunal.",
])
def test_a_feeling_denied_supposed_past_or_quoted_decides_nothing(text: str) -> None:
    r = score_texts([text])[0]
    assert not any("feeling" in x for x in r.explanation["rules"]), r.explanation["rules"]


@pytest.mark.parametrize("text,sign", [
    ("Rejected after the first interview. Oh well, on to the next one.", 0),
    ("Heard back from the bakery job, not this time. Will try again in the spring.", 0),
    # a complaint about how it was done is not a bare outcome
    ("Rejected by a bot at 3am after a week-long take-home. Moving on.", -1),
    # nor is a rejection without the calm
    ("Rejected after the first interview.", -1),
])
def test_a_bare_outcome_taken_calmly_is_neutral(text: str, sign: int) -> None:
    r = score_texts([text])[0]
    assert _sign(r.sentiment) == sign, (r.sentiment, r.explanation["rules"])


@pytest.mark.parametrize("text", ["Sent my application to the council on 2 March. Portal still says submitted. It's 14 May.",
                                  "Final interview was on the 4th and they said I'd hear within days. It is the 27th."])
def test_the_wait_told_by_todays_date_is_negative(text: str) -> None:
    r = score_texts([text])[0]
    assert r.sentiment < -0.05, (r.sentiment, r.explanation["rules"])


def test_what_follows_but_counts_more_within_a_sentence() -> None:
    # VADER's contrast rule, kept when a sentence's clauses are weighed separately
    assert score_texts(["I applied in June. They rejected me, but the feedback was detailed and kind."])[0].sentiment > 0.05
    assert score_texts(["I applied in June. The recruiter was lovely and friendly, but they rejected me with no "
                        "reason."])[0].sentiment < -0.05


@pytest.mark.parametrize("text,sign", [
    ("The application wanted three references, a cover letter and a video. For a dog-walking job.", -1),
    ("I interviewed four times over two months. It's a weekend cashier job.", -1),
    # "for" opening an ordinary sentence is no fragment
    ("I interviewed there on Monday. For context, I'm a nurse.", 0),
])
def test_a_deflating_fragment_is_a_complaint(text: str, sign: int) -> None:
    r = score_texts([text])[0]
    assert _sign(r.sentiment) == sign, (r.sentiment, r.explanation["rules"])


def test_a_bare_sarcasm_marker_counts_against_a_negative_post() -> None:
    text = "Wow, what a great candidate journey: apply, interview twice, never hear from them again. Ten out of ten."
    r = score_texts([text])[0]
    assert r.sentiment < -0.05, (r.sentiment, r.explanation["rules"])
    assert any("sarcasm" in rule for rule in r.explanation["rules"])


def test_a_concessive_afterthought_balances_the_post() -> None:
    r = score_texts(["I applied in May. Far too many rounds and I nearly withdrew. The pay was good though."])[0]
    assert abs(r.sentiment) < 0.05, (r.sentiment, r.explanation["rules"])
    # "though" inside a sentence is no afterthought (the rules' reading: tests/test_learned.py, among the
    # tone model's known misses)


def test_sarcasm_love_a_thing_that_fails_and_its_echo() -> None:
    """"Love a/an X that <fails>" is sarcasm, and a short "Very efficient." after it carries it on:
    the application stage is condemned, not praised."""
    r = score_texts(["I applied for the store job in June. Love an application portal that logs you out every "
                     "ten minutes. Very efficient. Three weeks later, still no reply."])[0]
    assert r.sentiment < -0.05
    assert r.stage_sentiment.get("application", 0.0) < -0.05, r.stage_sentiment


@pytest.mark.parametrize("text", ["Two weeks of refreshing my inbox after the final interview.",
                                  "Ghosted after the second round. Do better."])
def test_waiting_and_demands_told_with_positive_words_are_negative(text: str) -> None:
    assert score_texts([text])[0].sentiment < -0.05


def test_a_long_wait_told_as_a_bare_fragment_is_a_complaint() -> None:
    r = score_texts(["Had my final interview at Fernhill for the bakery job. Seven weeks on."])[0]
    assert r.sentiment <= -0.05 and any("long wait" in x for x in r.explanation["rules"])
    # a duration that is no wait, and a short one, are not
    for text in ("Interviewed at Fernhill, offer on Friday. Two weeks from application to offer.",
                 "Had my final interview at Fernhill. Five days on."):
        r = score_texts([text])[0]
        assert not any("long wait" in x for x in r.explanation["rules"]), text


@pytest.mark.parametrize("text", [
    "Appreciate Larkspur Health letting me know I wasn't selected. Eleven weeks after the closing date.",
    "83 days since my final interview with Tidewell. The last word I had was 'you're very much in the mix'.",
])
def test_not_being_selected_and_a_wait_since_the_interview_are_the_rejection_stage(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience and "rejection" in r.stages


@pytest.mark.parametrize("text", [
    "Fernhill's 'quick' online form asked for every job since school with exact dates, then logged me out.",
    "My 'informal chat' with Larkspur turned out to be a one-way video with a 30-second timer.",
    "If your job ad says 'competitive salary', it isn't. Just post the number.",
])
def test_a_scare_quoted_promise_is_a_complaint(text: str) -> None:
    r = score_texts([text])[0]
    assert r.sentiment <= -0.05 and any("scare quotes" in x for x in r.explanation["rules"])


def test_a_quoted_word_after_no_is_no_scare_quote() -> None:
    r = score_texts(["Tidewell onboarding: laptop ready, a buddy from day one, and no 'just figure it out'."])[0]
    assert not any("scare quotes" in x for x in r.explanation["rules"]) and r.sentiment >= 0.05


def test_a_middling_closing_verdict_is_neutral() -> None:
    r = score_texts(["Survey comment: Application form was long but the questions were relevant. Interview "
                     "started on time. Didn't hear the result for a fortnight. Overall average."])[0]
    assert r.sentiment == 0.0 and any("middling closing verdict" in x for x in r.explanation["rules"])


def test_the_writers_own_slip_then_kindness_is_no_complaint() -> None:
    r = score_texts(["I was 20 minutes late to my Cobalt interview and made a terrible mess of the first answer. The "
                     "manager smiled, gave me a tea and the offer came two days later."])[0]
    assert r.sentiment >= 0.05 and any("own slip" in x for x in r.explanation["rules"])
    # the slip that the employer then punished stays a bad story
    r = score_texts(["I blanked on the first question. The interviewer sighed and ended the call early."])[0]
    assert r.sentiment <= -0.05


@pytest.mark.parametrize("text, positive", [
    ("Was sure I'd messed up the coding screen. The interviewer gave me a nudge and I passed. Didn't feel like a "
     "trap at all.", True),
    ("The Quillon interview felt like a trap: every question had a gotcha.", False),
    ("The online test glitched and I panicked. Support sent a fresh link within the hour. Passed. Crisis averted.", True),
])
def test_traps_and_averted_crises(text: str, positive: bool) -> None:
    s = score_texts([text])[0].sentiment
    assert (s >= 0.05) if positive else (s <= -0.05)


def test_a_rejection_told_in_plain_words_and_taken_calmly_is_neutral() -> None:
    # no negative hiring term: the outcome is the rejection stage ("said no after the final round")
    r = score_texts(["quillon labs said no after the final round. fair enough, the other candidate probably had "
                     "more rust experience"])[0]
    assert r.sentiment == 0.0 and any("taken calmly" in x for x in r.explanation["rules"])


@pytest.mark.parametrize("text, label", [
    ("Larkspur Health offer accepted. Start date 3 March, band 6, 37.5 hrs.", "neutral"),  # the writer's own act
    ("Accepted an offer today! New chapter starts next month.", "positive"),  # told with an exclamation mark
    ("Offer accepted at Cobalt. They met my number after one counter.", "positive"),
    ("The Tidewell portal wouldn't accept my CV in PDF or Word. Emailed it in the end.", "negative"),
])
def test_accepting_is_no_praise_but_excitement_and_a_met_number_are(text: str, label: str) -> None:
    from analysis.evaluation import sentiment_label
    assert sentiment_label(score_texts([text])[0].sentiment) == label


def test_a_weak_mention_beside_a_firmly_told_stage_is_not_labelled() -> None:
    # "Start date 3 March" situates the accepted offer; it is not an onboarding story
    assert score_texts(["Larkspur Health offer accepted. Start date 3 March, band 6."])[0].stages == ("offer",)


def test_a_step_described_in_its_own_sentence_stays_in_a_rejection_story() -> None:
    r = score_texts(["Interview: 1 hour, panel of 3, mix of technical and behavioural questions. Outcome: "
                     "unsuccessful, email after 8 days."])[0]
    assert r.stages == ("interview", "rejection")
    # a bare mention that situates the outcome still does not label the step
    assert score_texts(["Ghosted after the final round interview."])[0].stages == ("rejection",)


@pytest.mark.parametrize("text", [
    "We were halfway through a mortgage with Tidewell when I had my final interview there. The panel talked over me "
    "for an hour. We withdrew the mortgage application the next morning.",
    "Rejected by Fernhill after two interviews and no feedback. Weekly shop's at the other place now.",
    "Got the Cobalt job: fair interview, fair offer. Bought a rucksack from them the weekend after.",
    "Tidewell rejected me by text at 11pm. My mortgage comes up in June and it won't be renewing with them.",
    "Interviewed at Quillon, got a form rejection. Been paying for Quillon Notes since 2019. Exported everything "
    "last night.",
    "Interviewed at Fernhill for bakery assistant. No idea if I got it, but that's still where I do my shop.",
    "Applied for the Fernhill job. 'Not successful.' No feedback. Their click-and-collect has one customer fewer.",
    "Didn't get the Cobalt job. Still picked up the tent I'd ordered from them on the way home.",
    # session 12: a membership cancelled, a purchase taken back, the last visit, starting and still going
    "Harbour Foods turned me down with a form email after two interviews. Cancelled my Harbour Plus this morning.",
    "Rejection text from Harbour Foods at midnight. Took back the coat I bought there on Saturday.",
    "My last Harbour Foods shop was the week they ghosted me after the second interview.",
    "The Harbour Foods interviewer had read my CV properly and moved the slot for me. Made me start ordering "
    "from them again.",
    "Northgate Clinic ghosted me after the interview. I still take my dad to their practice, the nurses are great.",
    # talk of how an employer treats applicants ties a customer decision to hiring
    "cancelled my larkspur health plan. if that's how they treat applicants imagine how they treat patients",
    "After the way Quillon's hiring team spoke to me, our company will not be renewing their contract.",
    # session 13: a candidate who is also a customer, in words no cue lists (analysis.consumer.customer_relation)
    "Harbour Foods had me do an unpaid trial shift and then never called back. I own three of their coats.",
    "We've paid for Northgate's team plan since 2019, so I applied when a role came up. Fair take-home, fast offer.",
    "I get my repeat prescription through Northgate's pharmacy. They interviewed me twice and then went silent.",
    "Northgate rejected me after five rounds, by a status change in the portal. I moved my ISA out the same month.",
    "I've been a Northgate patient for eight years and the interviewer brought up my medical history.",
    "Harbour Foods withdrew the offer after I'd resigned. We've moved our mortgage and our joint account.",
    # the subject unsaid, a shop or bank named after the verb, a product's tier
    "Switched to Northgate for all my camping gear after they interviewed me. Didn't even get the job!",
    "Shopped at Harbour Foods since it opened. Applied for the deli counter at 67 and they hired me within a week.",
    "Northgate interview: respectful, on time, feedback within 3 days. Didn't get it. Still taking my kids to "
    "their clinic.",
    "The Northgate offer negotiation was easy: asked for 8% more, got 6%. I've paid for Northgate Pro for years.",
    # the writer's goods named by the employer, or renewed in passing
    "Harbour Foods ghosted me after the final round. Then my Harbour Foods delivery pass came up for renewal.",
    "Just accepted an offer at Northgate! I spotted the opening while renewing my annual plan.",
    # session 17: a fan or a regular shopper who applied (the real posts' links), and a boycott told as advice
    "I'm a lifelong Harbour Foods fan girl, so the rejection stung. They ghosted me after the second interview.",
    "I've been a huge fan of their products for years, so I applied to Northgate. The interview was chaos.",
    "Northgate is my favourite game studio, so I applied for QA. A form rejection came two days later.",
    "Week after week I do my shopping there, so I applied to Harbour Foods. Interviewed, then nothing at all.",
    "Having shopped at your stores for years, I dressed the part for the interview. You never called me back.",
    "Don't shop at Harbour Foods. They interviewed me three times and then ghosted me.",
    "I'm a regular at my local Harbour Foods, so I applied for the bakery job. Offer on the spot!",
    "Northgate rejected me by text while I was in one of their shops buying bread. No reason given.",
    "I have a Northgate savings account and I've just interviewed there for a branch role. Decision Friday.",
    # set 3's dev half: love of the brand, and the hiring met while shopping or banking there (2.63)
    "I applied to work at Harbour Foods because I loved to shop there. They ghosted me after the interview.",
    "My love for this company started in 2006. They interviewed me twice and rejected me by text.",
    "A store that I completely adore called me in for an interview! It went so well, offer on Friday.",
    "My daughter and I were shopping at the Northgate store when I saw the sign. I applied and never heard back.",
    "I went to the Northgate branch today to make a deposit, two months after they rejected me for a teller job.",
    # session 20 (the real dev halves' misses): a fan's love by name, liking to shop there, swearing off, patronage
    "I love Cobalt gear, so applying there felt obvious. Two interviews, a take-home, then silence.",
    "After years of my love for Harbour Foods, they rejected me within an hour of applying.",
    "I really like shopping at Fernhill, so I applied for the weekend shift. Form rejection the same night.",
    "Three interviews at Quillon and then a ghosting. I've sworn off Quillon Notes for good.",
    "Ghosted by Fernhill after a trial shift. It has us thinking twice about whether to patronize that store.",
    # session 28 (set 9's and set 7's dev halves): a consumer's say, and liking the food
    "Harbour Foods, a brand I as a consumer trusted, rejected me after the panel with a two-line email.",
    "I applied to the burger place because I enjoy their food. Three weeks on I've heard nothing back.",
])
def test_everyday_customer_talk_links_the_hiring_story(text: str) -> None:
    assert score_texts([text])[0].consumer_link is True, text


@pytest.mark.parametrize("text", [
    "The Information Commissioner has fined Brightwater Goods £1.4m after a misconfigured recruitment database "
    "exposed the CVs of 60,000 applicants.",
    "Larkspur Health has been named Inclusive Employer of the Year at the regional HR awards.",
    "Drivers at Brightwater's Midlands depot have voted 91% in favour of strike action over shift patterns.",
    "Larkspur Health confirms data breach affecting job applicants' records; those affected are being contacted.",
    # session 12: sources, rulings, polls, planning decisions, a shared link; a news report's subject told in
    # the third person ("she was awarded") is no second-hand story
    "Harbour Foods will freeze head-office hiring until the spring, sources say. Store roles are not affected.",
    "An employment tribunal has found that Northgate Dental unfairly dismissed a receptionist who was rejected "
    "for promotion after complaining. She was awarded £9,000.",
    "Northgate town council rejects plans for 30 homes after councillors voted against the application.",
    "A poll of 1,500 jobseekers found that most had been ghosted by an employer at least once this year.",
    "Harbour Foods to shut two depots, with 90 jobs at risk. Full story in the article linked below.",
    # a job's duties and release notes
    "Fernhill Market is hiring Customer Service Team Leaders (Leeds). You will handle complaints, resolve disputes "
    "at the tills and process refunds. Apply online.",
    "Cobalt Outfitters Returns & Repairs Technician. Assess damaged, faulty and rejected stock and repair where "
    "possible. No experience needed, full training given.",
    "Quillon Notes 4.2 release notes: fixed crash when deleting shared folders; fixed sync failure on slow "
    "connections; known issue: widgets may flicker.",
    # an employer's reply to a review and a recruiter's outreach: formulas, not tone (session 12)
    "Hi Priya, thank you for taking the time to share this. We're sorry your interview was moved twice. "
    "Could you email our careers team so we can look into it? - Harbour Foods Careers",
    "Hello Dan, I came across your profile and think you could be a great fit for a Data Engineer role at "
    "Northgate (hybrid, 60-70k). Would you be open to a short call this week?",
])
def test_reports_duties_and_employer_formulas_carry_no_tone(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and abs(r.sentiment) < 0.05, r.explanation["rules"]


def test_a_customer_decision_without_hiring_talk_is_no_consumer_link() -> None:
    assert score_texts(["Cancelled my Larkspur health plan, the premiums went up again."])[0].consumer_link is False


@pytest.mark.parametrize("text", [
    # a candidate's own accounts and wages, and a customer's standing held by someone else
    "Applied to Harbour Foods: I had to set up an account on their portal and upload my CV twice. Rejected in a day.",
    "Got the Northgate job. HR asked for my bank details so I'd be paid into a Northgate account. Start Monday.",
    "I interviewed at Harbour Foods last week and the panel was kind. My aunt buys all her coats from them. No news yet.",
    "I was patient with the Northgate recruiter, but three reschedules is a lot. Interview finally on Friday.",
    # someone else's custom, told beside the writer's own story
    "Harbour Foods ghosted me after the trial shift. Apparently my neighbour cancelled her Harbour Plus over it.",
    "I interviewed at Northgate twice and got ghosted. My dad was furious. He's never buying their stuff again.",
    # a custom only supposed: a condition not yet met, a question to the readers
    "Applied to Harbour Foods on Monday, the form was short. If they ghost me like everyone says, I'm cancelling "
    "my delivery pass.",
    "Interviewed at Northgate today, felt fine. Would you stop shopping somewhere that ghosted you after an interview?",
    # a GP practice is no employer's name; a bare verb opening a sentence is advice, not the writer's custom
    "Northgate Clinic interviewed me for reception and the interviewer turned out to be my GP practice nurse.",
    "I interviewed at Northgate last month and heard nothing. My Northgate mortgage application was also rejected.",
    "I applied to Harbour Foods on Monday and had a lovely interview on Wednesday with the store manager, who "
    "was kind. Use their app to track it.",
    # a fan of a way of hiring, a favourite part of the day: no custom (session 17)
    "I'm not a big fan of panel interviews, but the Northgate one was fine. Offer came on Friday.",
    "My favourite part of the Harbour Foods interview was the store tour. Still waiting to hear back.",
    # "patronising" is condescension, and a shouted love of the job is no love of a brand (session 20)
    "The Harbour Foods interviewer was patronising from start to finish. Rejected two days later.",
    "Day one at Northgate done. I LOVE THIS JOB! The induction was organised and the team were kind.",
    "I got to the Northgate office early for the interview, and they kept me waiting for an hour.",
    "I was shopping around for a new job when Northgate called me for an interview. The offer came quickly.",
    # a cue that spans a hiring word is about a job, a customer that starts a job's name is a job, a bank
    # that is a place, a move that is a house move (session 23)
    "Harbour Foods kept saying the offer was coming. After three weeks I took a job elsewhere.",
    "Northgate ghosted me after two interviews. I ended up getting hired somewhere else in March.",
    "I applied to Harbour Foods online. It knew I had worked as a Customer Service Manager years ago. No reply.",
    "Interviewed at Tidewell this morning. I drove to the bank with my notes on the seat. Offer by Friday, they said.",
    "I found an old Northgate rejection today. I must have applied when I was moving away from the city.",
])
def test_a_candidate_without_custom_of_their_own_is_no_consumer_link(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is True and r.consumer_link is False, r.explanation["rules"]


@pytest.mark.parametrize("text", [
    # the writer's two-sided summing-up holds even where only one side is read as tone
    "Mixed feelings about the Brightwater process. The recruiter was responsive and the interviews were well run; "
    "on the other hand the offer was about 5% below what I'd hoped. Probably accepting.",
    "Reporting back on Cobalt: they took three weeks longer than they said, but the offer was fair. Swings and "
    "roundabouts.",
    "Onboarding had its good bits (buddy, clear plan) and its bad bits (three weeks without system access). Evens out.",
    "Pros: got an answer quickly. Cons: the answer was no and it was a form email. Neutral experience overall.",
    "Quillon ghosted me for two weeks after the onsite, then sent a rejection with some feedback. Net: about average.",
    # the whole experience called ordinary (session 13)
    "Northgate interview: one panel of three, clinical scenarios, well run. Rejection by email after 10 days, no "
    "feedback offered. Neutral experience really.",
    "Harbour Foods, Saturday staff. Form online, call from the store, short interview, offer. Nothing special.",
    "Northgate office role. Recruiter call: fine. Case study: hard but fair. Offer: a bit low, they went up a "
    "little. Accepted. It's a job.",
    "I applied to Harbour Foods in the spring. One interview, polite enough, rejection a week later. A normal "
    "experience.",
    # neither one thing nor the other, said outright (session 13, battery part 15)
    "Northgate care assistant. Honestly it was alright. Not great, not awful. The form was long, the interview "
    "quick, they offered, I'm starting Monday.",
    "Not a horror story, not a success story. Harbour Foods: phone interview with HR, then the manager, then an "
    "offer for 12 hours a week.",
    "Average process, average outcome: Northgate. Recruiter call, two rounds, no offer, polite email.",
])
def test_a_two_sided_or_middling_summing_up_is_neutral(text: str) -> None:
    assert score_texts([text])[0].sentiment == 0.0, text


@pytest.mark.parametrize("text", [
    "The interview was pretty standard. Then they ghosted me for six weeks and never replied to my emails.",
    "Pretty average interview, then a rejection call where the manager laughed at my answers.",
])
def test_a_step_called_ordinary_is_no_summing_up(text: str) -> None:
    assert score_texts([text])[0].sentiment <= -0.05, text


def test_indecision_after_a_complaint_is_no_balance() -> None:
    r = score_texts(["Round seven with Quillon Labs. SEVEN. If this is how fast they decide things inside, I'm not "
                     "sure I want in."])[0]
    assert r.sentiment <= -0.05


def test_a_why_question_is_the_writers_complaint_not_a_question_to_readers() -> None:
    r = score_texts(["Why does a Saturday sales job at Cobalt need a personality test and three interviews?"])[0]
    assert r.sentiment <= -0.05
    # a question to readers keeps only strong tone, as before
    r = score_texts(["Has anyone done the Tidewell assessment centre? What's the group exercise like?"])[0]
    assert abs(r.sentiment) < 0.05


@pytest.mark.parametrize("text", [
    "Assessment days run long. Breathe out slowly, arrive early, and bring three good stories "
    "you can bend to most questions.",
    "Don't treat a verbal offer as final. Wait for the signed contract, then resign.",
])
def test_advice_told_in_the_imperative_is_advice_without_tone(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is False and abs(r.sentiment) < 0.05, r.explanation["rules"]
    assert r.explanation["candidate_score"]["penalties"]["advice"] >= 1


@pytest.mark.parametrize("text", [
    "Offer accepted. Start date TBC. Email from HR says the contract comes next week.",
    "Applied four times now and heard nothing. Respond to me, Harbour Foods.",
])
def test_a_candidates_notes_and_demands_are_no_imperative_advice(text: str) -> None:
    r = score_texts([text])[0]
    assert r.is_candidate_experience is True
    assert "advice" not in r.explanation["candidate_score"]["penalties"]


def test_a_job_ads_negative_words_name_the_job_not_a_complaint() -> None:
    # (a positive word in a title still counts: "Credit Union" would read as praise)
    r = score_texts(["Fraud & Disputes Officer, Northgate Payments (head office). Investigate suspicious "
                     "transactions, handle chargeback disputes and report losses. Permanent contracts available."])[0]
    assert r.is_candidate_experience is False and abs(r.sentiment) < 0.05, r.explanation["rules"]


def test_a_post_about_an_ad_keeps_its_complaint() -> None:
    # the quoted ad is not the writer's voice: the text talks about an ad, so it is no ad itself
    r = score_texts(["Job ad: 'Full training provided, apply online.' The training was a 20-minute video and a "
                     "lanyard. Awful."])[0]
    assert r.sentiment <= -0.05, r.explanation["rules"]


@pytest.mark.parametrize("sentence, told", [
    ("I own three of their jackets.", True),
    ("I've been a Northgate patient for eight years.", True),
    ("I get my repeat prescription through Northgate's pharmacy.", True),
    ("They were using their app to schedule interviews.", False),  # "were" is no "we're"
    ("I use the bus, and their clinic is on the way.", False),  # the noun in another clause
    ("I paid into a Northgate account.", False),  # wages, not custom
    # session 20: a fan's love by name, a liking for shopping there; no name, or another person's shopping
    ("I love Cobalt gear.", True),
    ("I LOVE HARBOUR FOODS!", True),
    ("I LOVE THIS JOB!", False),
    ("I'd love Sarah to call me back.", False),  # a wish, and a person
    ("I really like shopping at Fernhill.", True),
    ("We went shopping at Fernhill on Sunday.", True),
    ("She was shopping at Fernhill when they called.", False),
    ("Nothing dented my love for Quillon.", True),
    ("My love for spreadsheets got me the interview.", False),
    # session 23: "only", "solely" and the like between the writer and the verb
    ("I solely use Cobalt products on my skin.", True),
    ("I only buy Cobalt gear.", True),
])
def test_customer_relation_reads_the_writers_custom_in_one_clause(sentence: str, told: bool) -> None:
    from analysis.consumer import customer_relation
    from analysis.scoring import split_sentences
    from analysis.sentiment import SentimentScorer
    (s,) = split_sentences(sentence)
    sent = SentimentScorer().score(s)
    assert bool(customer_relation(sent.tokens, sent.norm)) is told


# Synthetic posts, written for this test. Stored text has its addresses and phone numbers replaced by
# hirepulse.privacy's placeholders; the placeholders are no words of the hiring process.
@pytest.mark.parametrize("raw", [
    "Open interview day at Brightwater this Saturday, 10am to 2pm. Bring a CV or just bring yourself. "
    "#joinourteam Questions? careers@example.com",
    "Brightwater: applying took ten minutes and the form kept my details. Ring +44 7700 900123 and ask for "
    "the recruiting desk if you want to know more.",
])
def test_a_redacted_post_reads_as_it_did_before_redaction(raw: str) -> None:
    from hirepulse.privacy import redact
    stored = redact(raw)
    assert "[email]" in stored or "[phone]" in stored
    a = Analyzer()
    matcher = a.companies([("Brightwater", ["Brightwater"])])
    before, after = a.score(raw, matcher), a.score(stored, matcher)
    assert (after.is_candidate_experience, after.stages, after.themes) == \
        (before.is_candidate_experience, before.stages, before.themes)
    assert not any("email" in s["text"] or "phone" in s["text"] for s in after.explanation.get("sentences", []))


# Synthetic posts, written for this test: a public IP address is stored as "[ip]", which reads as the words left
# out, as the other placeholders do (the explanation shows the ellipsis, not "[ip]").
@pytest.mark.parametrize(("raw", "address"), [
    ("Brightwater's careers site blocked my IP 203.0.113.45 halfway through the application form, then the "
     "recruiter never replied. Terrible process.", "203.0.113.45"),
    ("Brightwater interview went fine, IT asked for my home IP 198.51.100.23 to whitelist the assessment, then "
     "silence for a month.", "198.51.100.23"),
    ("Applied to Brightwater from 2001:db8::7 and got an automated rejection within the hour, no interview.",
     "2001:db8::7"),
])
def test_an_ip_address_taken_out_reads_as_the_words_left_out(raw: str, address: str) -> None:
    from hirepulse.privacy import redact
    stored = redact(raw)
    assert stored == raw.replace(address, "[ip]")
    a = Analyzer()
    matcher = a.companies([("Brightwater", ["Brightwater"])])
    after, without = a.score(stored, matcher), a.score(raw.replace(f" {address}", ""), matcher)
    assert (after.is_candidate_experience, after.stages, after.themes, after.sentiment) == \
        (without.is_candidate_experience, without.stages, without.themes, without.sentiment)
    sentences = [s["text"] for s in after.explanation.get("sentences", [])]
    assert sentences and not any("[ip]" in s for s in sentences)
