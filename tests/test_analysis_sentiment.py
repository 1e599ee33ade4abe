"""Sentiment: hiring lexicon on top of VADER, negation, and agreement with real VADER."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import lexicon
from analysis.scoring import split_sentences
from analysis.sentiment import SentimentScorer

ROOT = Path(__file__).resolve().parents[1]
VADER_ZERO_NEGATIVES = [
    "I applied in March and never heard back",
    "Ghosted after the final round interview",
    "The recruiter scheduled an interview and forgot to call me",
    "Offer was rescinded two days before my start date",
    "I will never buy their products again after how they treated me as a candidate",
]
KEPT_UPDATED = "The recruiter kept me updated every week even when there was no news"


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer(lexicon.load())


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.mark.parametrize("text", VADER_ZERO_NEGATIVES)
def test_vader_zero_sentences_come_out_negative(text: str, scorer: SentimentScorer,
                                                vader: SentimentIntensityAnalyzer) -> None:
    assert vader.polarity_scores(text)["compound"] == 0.0  # the problem being fixed
    assert scorer.compound(text) <= -0.3


def test_kept_updated_is_positive(scorer: SentimentScorer, vader: SentimentIntensityAnalyzer) -> None:
    assert vader.polarity_scores(KEPT_UPDATED)["compound"] < 0
    assert scorer.compound(KEPT_UPDATED) >= 0.3


def test_negation_of_vader_word_and_of_hiring_term(scorer: SentimentScorer) -> None:
    assert scorer.compound("The interviewer was rude") < 0
    assert scorer.compound("The interviewer was never rude") > 0
    assert scorer.compound("I got feedback") == 0.0
    assert scorer.compound("I got no feedback") < -0.3
    assert scorer.compound("not a single update in five weeks") < -0.3
    assert scorer.compound("they kept me informed") > 0.3
    assert scorer.compound("they never kept me informed") < -0.3


@pytest.mark.parametrize("text", ["It wasn\u2019t good.", "They haven\u2019t replied.",
                                  "But the interview itself wasn\u2019t nice or professional.",
                                  "Nobody\u2019s been rude, and I didn\u2018t mind the wait."])
def test_a_curly_apostrophe_negates_as_a_straight_one_does(scorer: SentimentScorer, text: str) -> None:
    # web text is typeset: "wasn’t" (U+2019) is how most blog platforms print "wasn't"
    curly, straight = scorer.score(text), scorer.score(text.replace("\u2019", "'").replace("\u2018", "'"))
    assert curly.compound == straight.compound
    assert [(h.valence, h.negated) for h in curly.hits] == [(h.valence, h.negated) for h in straight.hits]
    assert curly.text == text  # the sentence is shown as written


def test_a_dash_set_between_words_reads_as_a_spaced_one(scorer: SentimentScorer) -> None:
    # "well—then nothing" is one whitespace token; typeset web text sets the em dash unspaced
    joined, spaced = scorer.score("The interview went well\u2014then nothing."), scorer.score(
        "The interview went well \u2014 then nothing.")
    assert joined.compound == spaced.compound < 0 and [h.text for h in joined.hits] == ["then nothing"]
    assert joined.text == "The interview went well\u2014then nothing."  # shown as written


def test_intensity_boosters_and_caps(scorer: SentimentScorer) -> None:
    plain = scorer.compound("I got ghosted")
    assert scorer.compound("I got completely ghosted") < plain
    assert scorer.compound("I got GHOSTED by them") < plain


def test_hits_are_reported(scorer: SentimentScorer) -> None:
    res = scorer.score("Radio silence since the onsite, no feedback at all.")
    terms = {h.term for h in res.hits}
    assert "radio silence" in terms
    fb = [h for h in res.hits if h.term == "feedback"]
    assert fb and fb[0].negated and fb[0].theme == "no_feedback"


def test_clauses_split_at_but(scorer: SentimentScorer) -> None:
    res = scorer.score("The interview was great but they ghosted me")
    assert len(res.clauses) == 2
    assert res.clauses[0][2] > 0 > res.clauses[1][2]


def _non_hiring_sentences() -> list[str]:
    out = []
    for line in (ROOT / "data" / "eval" / "vader_agreement.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.strip())
    return out


def test_base_scorer_agrees_with_vader(vader: SentimentIntensityAnalyzer) -> None:
    """Without the hiring lexicon the re-implementation is VADER (compound within 0.05 for >= 95%)."""
    base = SentimentScorer(None)
    sentences = _non_hiring_sentences()
    for name in ("dev", "holdout"):
        with open(ROOT / "data" / "eval" / f"{name}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                sentences.extend(split_sentences(json.loads(line)["text"]))
    random.Random(7).shuffle(sentences)
    assert len(sentences) > 500
    close = sum(1 for s in sentences if abs(base.compound(s) - vader.polarity_scores(s)["compound"]) <= 0.05)
    assert close / len(sentences) >= 0.95


def test_hiring_lexicon_changes_scores_on_hiring_text(vader: SentimentIntensityAnalyzer,
                                                      scorer: SentimentScorer) -> None:
    differ = [s for s in VADER_ZERO_NEGATIVES if abs(scorer.compound(s) - vader.polarity_scores(s)["compound"]) > 0.05]
    assert len(differ) == len(VADER_ZERO_NEGATIVES)


def test_sarcasm_in_negative_hiring_text_is_negative() -> None:
    from analysis.scoring import score_texts
    for text in ("Love how companies say they value every applicant and then never reply to a single email.",
                 "Cool cool, so we're just never replying to candidates now. Noted.",
                 "Great, another automated rejection at 2am. Love that for me."):
        assert score_texts([text])[0].sentiment < 0, text
    # sincere praise with the same words stays positive
    assert score_texts(["Love how quickly they replied, great process."])[0].sentiment > 0


def test_so_thorough_that_and_a_one_word_echo_are_sarcasm() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["Their onboarding is so comprehensive that I'm in week three and still don't have a laptop. "
                     "Thorough."])[0]
    assert r.sentiment <= -0.05


def test_quoted_praise_is_not_the_writers() -> None:
    from analysis.scoring import score_texts
    r = score_texts(['They offered less than my current salary and called it "an exciting opportunity".'])[0]
    assert r.sentiment <= 0
    # (single quotes, as many type them: tests/test_learned.py KNOWN_TONE_MISSES)


def test_single_quote_spans_must_close_in_the_sentence() -> None:
    from analysis.sentiment import quoted_tokens
    raw = "I told 'em the interview was great and they loved it".split()
    assert not any(quoted_tokens(raw, single=True))  # 'em is a word, not a quote
    raw = "the bot said 'we've decided not to move forward' at midnight".split()
    assert quoted_tokens(raw, single=True) == [False] * 3 + [True] * 6 + [False] * 2
    raw = "it was 'fine' apparently".split()  # a one-word quote
    assert quoted_tokens(raw, single=True) == [False, False, True, False]


def test_what_the_writer_braced_for_did_not_happen() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["Recruiter call on Monday. Braced myself for the usual week of silence afterwards. Instead she "
                     "emailed that same afternoon with next steps. Didn't have to chase anyone."])[0]
    assert r.sentiment >= 0.05 and "ghosting" not in r.themes
    # a plain complaint with the same words stays negative
    assert score_texts(["After the recruiter call: the usual week of silence."])[0].sentiment <= -0.05


def test_instead_negates_only_what_it_replaces() -> None:
    # "instead of feedback" negates a hiring term; "Instead I was ghosted" tells what happened instead
    from analysis.scoring import score_texts
    told, replaced = score_texts(["I expected a call back. Instead I was ghosted.",
                                  "Instead of a form email they phoned me to explain."])
    assert told.sentiment <= -0.05, told.explanation["rules"]
    assert replaced.sentiment >= 0.05, replaced.explanation["rules"]


def test_bad_events_named_plainly() -> None:
    from analysis.scoring import score_texts
    for text in ("The interview was great, manager was lovely ... and then they hired her nephew. so. yeah.",
                 "I answered two questions and the manager answered his phone eleven times.",
                 "Good people, but onboarding is clearly nobody's job."):
        assert score_texts([text])[0].sentiment <= -0.05, text


def test_complaints_told_politely() -> None:
    from analysis.scoring import score_texts
    for text in ("Very grateful for the chance to interview. Less grateful for the seven rounds and two take-homes.",
                 "Lovely people. Nobody told me I needed the form until week 3, and I still have no idea who my "
                 "manager is."):
        assert score_texts([text])[0].sentiment <= -0.05, text


def test_a_sentence_opening_with_but_turns_the_post() -> None:
    from analysis.scoring import score_texts
    # the concession comes first, the verdict after "But" (as "but" turns a sentence in VADER)
    for text in ("Quillon: slow, slow, slow. Six weeks between rounds. But every delay came with an email explaining "
                 "why, the panel was fair, and the offer was above what I asked.",
                 "Cobalt: a long wait, two reschedules and a cold waiting room. Still, the panel was kind and the "
                 "offer was fair."):
        assert score_texts([text])[0].sentiment >= 0.05, text
    r = score_texts(["The interview was warm and the panel was lovely. But then they ghosted me for six weeks."])[0]
    assert r.sentiment <= -0.05


def test_names_and_requests_carry_no_tone() -> None:
    from analysis.scoring import score_texts
    for text in ("Interviewed today with two people from the supply chain team, plus a short Excel exercise.",
                 "Please DM us and our Talent team will look into it."):
        assert score_texts([text])[0].sentiment == 0.0, text


@pytest.mark.parametrize("text", [
    "Timeline for anyone curious: applied 2 May, phone call 9 May, interview 16 May, offer 20 May.",
    "Just curious about their usual timelines.",
    "For clarity, all candidates for this role were informed of the outcome by email on 12 June.",
    "Our portal will be offline on Saturday. Applications in progress will be saved.",
    "My flatmate starts there on Monday. Trying to help her prep.",
    "Two-year rotation across retail banking, risk and technology. £2,000 joining bonus.",
    "Day one: badge, laptop, security training, lunch with the team.",
    "Not panicking yet, just curious about timelines.",
    "Honest tip: put your availability at the top of your CV.",
])
def test_framing_words_carry_no_tone(text: str) -> None:
    # VADER reads curious, clarity, saved, help, risk and bonus as tone; here they frame or name
    from analysis.scoring import score_texts
    assert score_texts([text])[0].sentiment == 0.0


def test_a_calm_negation_is_no_praise_but_not_bothering_is_a_complaint() -> None:
    from analysis.scoring import score_texts
    assert score_texts(["Not worried, just planning around another process."])[0].sentiment == 0.0
    assert score_texts(["brightwater never bothered to let me know either way."])[0].sentiment <= -0.05


def test_no_x_is_not_negative_by_itself() -> None:
    from analysis.scoring import score_texts
    assert score_texts(["Interviewed Thursday, offer Friday. No games."])[0].sentiment > 0


def norm(text: str) -> str:
    return " ".join(text.lower().strip(".,").split())


# Variants written as one slot ("gave up|give up") only matched the odd "gave up give up"; every
# phrase below must now be found as a hiring term in an ordinary sentence.
@pytest.mark.parametrize("sentence,term_words", [
    ("The portal kept logging me out so I gave up.", "gave up"),
    ("Honestly it was a waste of time.", "waste of time"),
    ("Their whole reply was no thanks.", "no thanks"),
    ("Long story short, it's a no.", "it's a no"),
    ("The recruiter couldn't be bothered to call.", "couldn't be bothered"),
    ("Got a template email two days later.", "template email"),
    ("They sent the wrong address for the office.", "wrong address"),
    ("Three months in and I still don't have a laptop.", "still don't have"),
    ("Met the panel, and that's the last I heard.", "that's the last i heard"),
    ("No one expected me to know the codebase in week one.", "no one expected me to"),
    ("The panel didn't know which role I was there for.", "didn't know which role"),
])
def test_multi_word_variants_match(sentence: str, term_words: str, scorer: SentimentScorer) -> None:
    hits = scorer.score(sentence).hits
    assert any(norm(h.text) == term_words for h in hits), hits


# Session 26, from the kinds of miss seen on real posts (sentences ours). "heard nothing" was shadowed by a
# neutral line of the same span ("heard anything", there for "never heard anything") and read 0.
@pytest.mark.parametrize("sentence,term_words", [
    ("Heard nothing after the interview.", "heard nothing"),
    ("Followed up twice and heard nothing.", "heard nothing"),
    ("Five weeks on, I have yet to hear back.", "yet to hear"),
    ("It shows how little they respect applicants.", "how little they respect"),
    ("I won't be applying to anything else there in the future.", "won't be applying to anything else"),
    ("They could at least acknowledge the assignment.", "could at least acknowledge"),
    ("You can at the very least reply to people.", "can at the very least reply"),
    ("The least they could do is send a form email.", "the least they could do"),
    ("I would have appreciated an answer either way.", "would have appreciated an answer"),
    ("I'd have appreciated a short email.", "i'd have appreciated a short email"),
    ("I would've liked some feedback on the task.", "would've liked some feedback"),
    ("A two-line email would have been enough.", "would have been enough"),
    # session 27: a let-down, seething, and excitement that only sets up the let-down read 0 or as praise
    ("The final round was a real let-down.", "let-down"),
    ("What a letdown after three weeks of prep.", "letdown"),
    ("The whole process let me down.", "let me down"),
    ("My blood was boiling by the third reschedule.", "blood was boiling"),
    ("I got so excited, only to be told the role was frozen.", "excited only to"),
    ("Three rounds, and they led me on for a month.", "led me on"),
    ("The recruiter gave me false hope.", "false hope"),
    ("It was all false promises about remote work.", "false promises"),
    # session 28: hiring put on hold, pay below what was said, the brush-off, worn down
    ("After the final round they put the hiring on hold.", "hiring on hold"),
    ("They had to pause recruitment for the quarter.", "pause recruitment"),
    ("Then they emailed that they were pausing the hiring process.", "pausing the hiring process"),
    ("The base was 4k lower than we had discussed.", "lower than we had discussed"),
    ("It paid 3k less a year than what the manager and I talked about.", "less a year than what the manager and i talked"),
    ("That one-line reply was a brush-off.", "brush-off"),
    ("The hiring manager brushed me off at the door.", "brushed me off"),
    ("Opening the contract, I felt deflated.", "deflated"),
    ("Four months of this is taking its toll.", "taking its toll"),
    # session 29: a rejection that names who was chosen instead, a process that overran what was said, no notice
    ("Then HR wrote that another candidate had been selected.", "another candidate had been selected"),
    ("They chose someone else for the role.", "chose someone else"),
    ("The recruiter said they were going with a different applicant.", "going with a different applicant"),
    ("They are moving forward with other candidates.", "moving forward with other candidates"),
    ("By March I was out of the running.", "out of the running"),
    ("A voicemail said I was no longer being considered.", "no longer being considered"),
    ("The background check took far longer than promised.", "took far longer than promised"),
    ("The interview was cancelled with no advance notice.", "no advance notice"),
])
def test_silence_owed_courtesy_and_let_downs_are_negative_hits(sentence: str, term_words: str, scorer: SentimentScorer) -> None:
    hit = next((h for h in scorer.score(sentence).hits if norm(h.text) == term_words), None)
    assert hit is not None and hit.valence < 0, scorer.score(sentence).hits
    assert scorer.compound(sentence) < 0


@pytest.mark.parametrize("word", ["shoddy", "slapdash", "amateurish", "botched", "bungled", "mismanaged", "sloppy",
                                  "haphazard", "unorganized", "unresponsive", "shady", "sketchy",
                                  "cringey"])
def test_complaint_words_vader_does_not_know_read_negative(word: str, scorer: SentimentScorer) -> None:
    # each read 0 before session 28 (in neither VADER's table nor ours); negated, the complaint is denied
    assert scorer.compound(f"Honestly the whole hiring process felt {word}.") < 0
    assert scorer.compound(f"The hiring process was not {word} at all.") >= 0


def test_a_pause_or_a_flaky_test_the_writer_names_is_no_complaint(scorer: SentimentScorer) -> None:
    assert scorer.compound("Keep applying while you wait; don't pause your search for one company.") == 0
    assert scorer.compound("The take-home was to fix a flaky test in their CI.") == 0


def test_being_led_somewhere_is_no_complaint(scorer: SentimentScorer) -> None:
    assert scorer.compound("The office manager led us on a tour of the warehouse.") == 0


def test_the_writers_candour_is_no_praise(scorer: SentimentScorer) -> None:
    # VADER reads "honestly" +2.0 and "honest" +2.3: said of the writer's own telling they carry no tone
    assert scorer.compound("Honestly, no.") == 0
    assert scorer.compound("Honestly the whole process let me down.") < 0
    assert scorer.compound("In all honesty the process was slow.") < 0
    assert scorer.compound("If I'm honest, the panel was a mess.") < 0
    # "honestly" strengthens what follows, as "really" does
    assert scorer.compound("Honestly the best interview I've had.") > scorer.compound("The best interview I've had.")
    # the employer's honesty is praise still
    assert scorer.compound("They were honest with me about the timeline.") > 0
    assert scorer.compound("The recruiter told me honestly where I stood.") > 0


@pytest.mark.parametrize("sentence,term_words", [
    ("On day one my laptop wasn't working.", "laptop wasn't working"),
    ("The laptop was not ready when I arrived.", "laptop was not ready"),
    ("They kept none of their promises.", "kept none of their promises"),
])
def test_a_negator_inside_a_gap_negates_the_term(sentence: str, term_words: str, scorer: SentimentScorer) -> None:
    hit = next(h for h in scorer.score(sentence).hits if norm(h.text) == term_words)
    assert hit.negated and hit.valence < 0 and scorer.compound(sentence) < 0
    # without the negator the same line is praise
    plain = scorer.score("My laptop and badge were ready on day one.").hits
    assert [h.valence > 0 and not h.negated for h in plain] == [True]


def test_the_writer_checking_an_inbox_is_waiting_not_an_interviewer_on_a_phone() -> None:
    from analysis.scoring import score_texts
    waiting, rude = score_texts(["I checked my phone every hour for an update from the recruiter.",
                                 "The interviewer kept checking his phone while I talked."])
    assert "ghosting" in waiting.themes and "disrespectful_interviewer" not in waiting.themes
    assert "disrespectful_interviewer" in rude.themes


@pytest.mark.parametrize("sentence", ["At least they told me quickly.", "I heard nothing but good things about the team.",
                                      "I appreciated the quick answer."])
def test_at_least_and_nothing_but_stay_positive(sentence: str, scorer: SentimentScorer) -> None:
    assert all(h.valence >= 0 for h in scorer.score(sentence).hits) and scorer.compound(sentence) >= 0


def _lexicon_rows(names=None):
    """(file name, line number, tab-separated fields) for every entry of the lexicon files."""
    for path in sorted(lexicon.LEXICON_DIR.glob("*.tsv")):
        if names is None or path.name in names:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip() and not line.startswith("#"):
                    yield path.name, number, line.split("\t")


def _lexicon_variants():
    """(file name, line number, variant) for every term variant of every lexicon file."""
    for name, number, fields in _lexicon_rows():
        for variant in fields[0].split(";"):
            yield name, number, variant


def test_no_variant_written_inside_one_slot() -> None:
    """The same trap, caught in every lexicon file: "gave up|give up" reads as the slots "gave",
    "up|give", "up", so two neighbouring slots share an alternative ("up"). Whole-phrase variants
    are written with ";" ("gave up;give up")."""
    suspects = []
    for name, number, variant in _lexicon_variants():
        slots = [set(slot.split("|")) for slot in variant.split()]
        for left, right in zip(slots, slots[1:]):
            if (len(left) > 1 or len(right) > 1) and (left & right) - {"~"}:
                suspects.append(f"{name}:{number}: {variant}")
    assert not suspects, suspects


_PLAIN_WORD = re.compile(r"^[a-z0-9][a-z0-9'\u2019-]*$")


def test_every_sentiment_line_written_out_reads_with_its_own_sign(scorer: SentimentScorer) -> None:
    """Each line's words, written out plainly (gaps empty; up to 60 choices of its alternatives), must read
    with the sign of the line's valence. Catches a line another line hides: an earlier line of the same span
    wins, so "heard nothing" (-2.4) read 0 under "heard anything|nothing" (0) until 2.81), and a variant the
    tokenizer reads as another word ("hours' notice" is read as "hours notice", which the line lacked)."""
    import itertools

    from analysis.lexicon import _parse_slot

    wrong = []
    for name, number, fields in _lexicon_rows({lexicon.SENTIMENT_FILE}):
        valence = float(fields[1])
        if not valence:
            continue
        for variant in fields[0].split(";"):
            words = [sorted(sl.literals) + list(sl.prefixes) for sl in map(_parse_slot, variant.lower().split()) if not sl.gap]
            for combo in itertools.islice(itertools.product(*words), 60):
                if not all(_PLAIN_WORD.match(w) for w in combo):
                    continue  # punctuation and placeholder slots ("!", "[name]") need their own sentence
                hits = scorer.score(" ".join(combo)).hits
                if not hits or (sum(h.valence for h in hits) > 0) != (valence > 0):
                    wrong.append(f"{name}:{number} {' '.join(combo)!r} -> {[(h.term, h.valence) for h in hits]}")
                    break
    assert not wrong, wrong


@pytest.mark.parametrize("text", [
    "Thank you, Quillon Labs, for the opportunity to complete a 12-hour take-home for free. I learned a lot.",
    "Love that they value my time so much they gave me a second take-home to 'get a fuller picture'.",
    "Shoutout to the scheduler for booking my final interview at 3am. Then nothing for five weeks.",
])
def test_thanks_for_a_burden_is_sarcasm(text: str) -> None:
    from analysis.scoring import score_texts
    assert score_texts([text])[0].sentiment <= -0.05


def test_phrases_once_hidden_inside_a_slot_match() -> None:
    # "done|finished with them|you|the lot" read as the slots done|finished, with, them|you|the, lot:
    # "done with them" never matched (found by a one-off scan for a determiner mixed into a slot)
    from analysis.scoring import score_texts
    assert SentimentScorer(lexicon.load()).compound("After that interview I'm done with them.") < -0.05
    r = score_texts(["At my interview they asked if I was planning to have kids."])[0]
    assert "discrimination" in r.themes  # (unfair_interview until the taxonomy had a theme for bias)
    for text in ("Great day, except for the bit where the manager shouted at me.",
                 "Other than the part where they lost my CV, it was fine."):
        assert any(h.valence < 0 for h in SentimentScorer(lexicon.load()).score(text).hits), text


@pytest.mark.parametrize("text", [
    "Not once did the panel ask about the work I'd actually be doing.",
    "Nobody mentioned that the second stage was a four-hour exam.",
    "The starter pack was 22 forms, and surely this could be one online form.",
    "Upload button just spins forever, so I gave up.",
    "Three calls to HR, three different answers about the start date.",
    # an exploding deadline, the third reschedule, minutes' notice, lost shine
    "They made me an offer on Thursday evening and wanted an answer by Friday noon or we go to the next candidate.",
    "Third time their recruiter has moved our intro call. Once with 4 minutes' notice.",
    "Six weeks of checks and two lost forms before I could start have taken most of the shine off it.",
    # a voicemail meant for someone else; a start with no name on the list; a role that did not exist (session 13)
    "They rejected me by voicemail, clearly meant for a different candidate.",
    "Monday: no name on the list at the gate.",
    "Then HR said the role didn't exist.",
    "They never offered any feedback after the final round.",
])
def test_trouble_told_plainly_is_negative(text: str, scorer: SentimentScorer) -> None:
    assert scorer.compound(text) < -0.05


@pytest.mark.parametrize("text", [
    "I interviewed there in May. The recruiter promised to check the salary band and never did.",
    "Applied in spring. Great chat with the team, awful wait afterwards.",
])
def test_trouble_told_plainly_makes_the_post_negative(text: str) -> None:
    from analysis.scoring import score_texts
    assert score_texts([text])[0].sentiment < -0.05


@pytest.mark.parametrize("text", [
    "No offer in the end, but no complaints about how they ran it.",
    "The pairing round felt like two colleagues working on a bug together.",
])
def test_praise_with_negative_looking_words_is_positive(text: str, scorer: SentimentScorer) -> None:
    assert scorer.compound(text) > 0.05


def test_half_the_pay_is_a_lowball(scorer: SentimentScorer) -> None:
    assert scorer.compound("Same team, half the pay.") <= -0.05
    assert scorer.compound("The offer was half what I was on.") <= -0.05


@pytest.mark.parametrize("text", ["She moved to the fraud team in March.", "I applied for a support worker job.",
                                  "The phone screen was fine.",
                                  "The interview was the week before the summer holidays.",
                                  # a person, a safety kit, the candidate's own answers (session 13)
                                  "A friend is weighing up an offer.", "Friends say the panel runs long.",
                                  "Day one was a health and safety video and safety boots.",
                                  "I recorded my answers to five questions.", "I answered two of them.",
                                  "Started the following Monday on full pay.", "Pay: 11.90 an hour."])
def test_job_and_period_names_carry_no_tone(text: str, scorer: SentimentScorer) -> None:
    assert scorer.compound(text) == 0.0


def test_not_once_negates_its_clause(scorer: SentimentScorer) -> None:
    assert scorer.compound("Not once did the recruiter call me back with an answer.") < -0.05
    assert scorer.compound("Not once did the interviewer smile.") < -0.05
    assert scorer.compound("Not once did the panel make me feel rushed.") > 0.05


def test_nobody_as_the_subject_negates_its_clause(scorer: SentimentScorer) -> None:
    # VADER has no "nobody" negator: it reads "Nobody was rude" as a complaint
    assert scorer.compound("Nobody was rude.") > 0.05
    assert scorer.compound("No one was rude or dismissive.") > 0.05  # a hiring term past the window too
    assert scorer.compound("Nobody made me feel stupid.") > 0.05
    assert scorer.compound("Nobody was helpful.") < -0.05
    # "nobody replied" is a complaint term of its own; an object "nobody" negates nothing after it
    assert scorer.compound("Nobody replied to my emails.") < -0.05
    assert scorer.compound("I asked nobody for help, the staff were rude.") < -0.05


def test_no_before_a_bad_thing_tells_it_was_absent(scorer: SentimentScorer) -> None:
    # VADER negates two words after "no"; "no 40-page policy dump" puts "dump" third
    assert scorer.compound("Onboarding had no 40-page policy dump on day one.") > 0.05
    assert scorer.compound("Zero trick questions, zero whiteboard hazing.") > -0.05
    # absence of a good or neutral thing stays a complaint; VADER's own negation is not undone
    assert scorer.compound("First day: no laptop, no login and no desk.") < -0.05
    assert scorer.compound("no increase for a bigger role.") <= 0.05


def test_an_event_with_no_object_did_not_happen(scorer: SentimentScorer) -> None:
    assert scorer.compound("They rescinded nothing, lowballed nothing and ghosted nobody.") > 0.05
    assert scorer.compound("They rescinded the offer.") < -0.05


def test_a_comparisons_foil_is_not_what_happened(scorer: SentimentScorer) -> None:
    s = scorer.score("They rang me the same day, better than being ghosted for weeks.")
    assert s.compound > 0.05
    assert all(h.valence >= 0 and h.theme != "ghosting" for h in s.hits)
    assert scorer.compound("I'd take that over a month of silence any day.") > 0.05
    # without the comparison the same words are a complaint
    assert scorer.compound("I was ghosted for weeks.") < -0.05


@pytest.mark.parametrize("text,sign", [("The questions were sensible and the panel was thorough.", 1),
                                       ("They were very reasonable about my notice period.", 1),
                                       ("I was updated at every stage.", 1),
                                       ("Their demands were unreasonable.", -1)])
def test_grading_words_vader_lacks(text: str, sign: int, scorer: SentimentScorer) -> None:
    assert scorer.compound(text) * sign > 0.05


@pytest.mark.parametrize("text", ["I blanked on a question and the interviewer said \"no worries, take your time\". So kind.",
                                  "The interviewer made a joke about her own first interview and I relaxed.",
                                  "The hiring manager told me straight why they went another way.",
                                  "Applied Monday, offer Wednesday. That's how it's done."])
def test_nerves_humour_and_praise_idioms(text: str) -> None:
    from analysis.scoring import score_texts
    assert score_texts([text])[0].sentiment > 0.05


@pytest.mark.parametrize("text,sign", [
    ("They asked me to solve riddles for a customer support role. Made no sense at all.", -1),
    ("Accepted the offer a month ago and I'm still waiting on the contract.", -1),
    ("Had to make yet another account and upload my CV three separate times.", -1),
    ("The form asked for what it needed and nothing else.", 0),
    ("Applying took four minutes. Why can't every company do this?", 1),
    # session 12: an offer under what was floated, an interviewer elsewhere, a question off limits,
    # quitting a new job, a manager's own lateness
    ("The offer came in well under what the recruiter had floated, and they wouldn't move.", -1),
    ("The interviewer kept his camera off and typed through my whole presentation.", -1),
    ("One of the panel asked about my family plans.", -1),
    ("Started at the depot in March, quit after two weeks.", -1),
    ("The manager spent half the slot explaining why he was late.", -1),
    ("Harbour Foods moved my start date again. Third time.", -1),
    ("The application portal logged me out twice before I could submit.", -1),
])
def test_more_plain_trouble_and_praise(text: str, sign: int) -> None:
    from analysis.scoring import score_texts
    got = score_texts([text])[0].sentiment
    assert (got > 0.05) - (got < -0.05) == sign, got


def test_a_negator_in_an_earlier_clause_does_not_reach_across_but(scorer: SentimentScorer) -> None:
    hits = scorer.score("Didn't get it but no complaints.").hits
    assert [h.negated for h in hits if h.term.startswith("no complaints")] == [False]
    assert scorer.score("They never kept me updated.").hits[0].negated  # same clause: still negated


@pytest.mark.parametrize("text,sign", [("It was the kindest rejection I've had.", 1),
                                       ("The slowest process I have ever been through.", -1),
                                       ("None of the panel knew which role I was there for.", -1),
                                       ("Customer support was useless.", -1)])
def test_superlatives_and_plain_muddles(text: str, sign: int, scorer: SentimentScorer) -> None:
    assert scorer.compound(text) * sign > 0.05


def test_shopping_complaints_told_plainly(scorer: SentimentScorer) -> None:
    assert scorer.compound("The corner shop put its prices up again and shrunk the pies.") < -0.05
    assert scorer.compound("They raised their prices in March.") < -0.05


def test_phrase_gaps_reach_exactly_max_gap_tokens_per_gap() -> None:
    entries = [lexicon.Entry(term, (), "test", k) for k, term in enumerate(
        ["waited ~ weeks", "heard ~ ~ back", "sent ~ reminder*"])]
    matcher = lexicon.PhraseMatcher.build(entries)

    def found(text: str) -> list[str]:
        return [m.entry.term for m in matcher.find(text.split())]

    assert found("we waited weeks") == ["waited ~ weeks"]
    assert found("waited a b c weeks") == ["waited ~ weeks"]  # MAX_GAP (3) tokens skipped
    assert found("waited a b c d weeks") == []
    assert found("never heard back") == ["heard ~ ~ back"]
    assert found("heard a b c d e f back") == ["heard ~ ~ back"]  # two gaps: six tokens
    assert found("heard a b c d e f g back") == []
    assert found("heard a b c d e f") == []
    assert found("sent them two reminders") == ["sent ~ reminder*"]  # a prefix after the gap


@pytest.mark.parametrize("text", ["Not a waste of time: kept me updated every week.",
                                  "Never a template email: they kept me updated every week."])
def test_a_clause_ends_at_the_punctuation_after_a_multi_word_term(text: str, scorer: SentimentScorer) -> None:
    """The colon after "waste of time" closes the clause, so its negator does not reach "kept me
    updated" (a multi-word unit's clause punctuation is on its last token, not its first)."""
    s = scorer.score(text)
    assert [h.negated for h in s.hits if h.term.startswith("kept|")] == [False]
    assert s.compound > 0.5


def test_no_expanded_contraction_inside_one_slot() -> None:
    """The trap's other face: "i'm|i am a" reads as the slots "i'm|i", "am", "a", so "i'm a" never
    matches; "doesn't|does not exist" needs "doesn't not". Caught as a slot holding a contraction and
    the first word of its expansion ("i'm" and "i") followed by a slot that is the rest of it ("am").
    Whole-phrase variants are written with ";" ("i'm a;i am a")."""
    rest = {"n't": {"not"}, "'m": {"am"}, "'re": {"are"}, "'ve": {"have"}, "'ll": {"will"},
            "'d": {"had", "would"}}
    suspects = []
    for name, number, variant in _lexicon_variants():
        slots = [set(slot.split("|")) for slot in variant.split()]
        for here, after in zip(slots, slots[1:]):
            if any(alt.endswith(suffix) and alt[: -len(suffix)] in here and words & after
                   for alt in here for suffix, words in rest.items()):
                suspects.append(f"{name}:{number}: {variant}")
    assert not suspects, suspects


def test_lexicon_labels_are_known() -> None:
    """A label column the code does not know is silently ignored (an unknown candidate signal weighs
    nothing, an unknown theme is never shown): every file's label columns are checked here."""
    from analysis.consumer import KINDS
    from analysis.scoring import PENALTY_FACTORS, STAGES
    from analysis.themes import THEMES
    themes = set(THEMES) | {"-"}
    known = {  # file -> per label column (1-based after the term): allowed values
        "candidate.tsv": {1: {"self", "event"} | set(PENALTY_FACTORS) - {"question"}},
        "stages.tsv": {1: set(STAGES) | {"-"}, 2: {"strong", "weak"}},  # ("event": hiring terms' own cues)
        "sentiment.tsv": {3: themes, 4: themes},
        "themes.tsv": {1: themes, 2: themes},
        "sarcasm.tsv": {1: {"opener", "balance", "hedge", "accept", "verdict", "expect", "slip", "ordinary", "feel_bad", "feel_good"}},
        "consumer.tsv": {1: set(KINDS)},
    }
    unknown = [f"{name}:{number}: {fields[col]!r}" for name, number, fields in _lexicon_rows(known)
               for col, allowed in known[name].items() if fields[col].strip() not in allowed]
    assert not unknown, unknown


def test_never_so_exclaims_rather_than_negates() -> None:
    from analysis.scoring import score_texts
    # VADER reads "never so good" as emphasis; a hiring term after "never ... so/such" is not negated either
    r = score_texts(["Recruiter took a week to reply and the video screen glitched. And yet I've never felt so "
                     "respected as a candidate."])[0]
    assert r.sentiment >= 0.05 and "respectful_treatment" in r.themes
    assert score_texts(["I was never respected as a candidate there."])[0].sentiment <= -0.05


@pytest.mark.parametrize("text, label", [
    ("Pros: clear job spec, interview on time, written offer within 48h. Cons: parking at the depot is a "
     "nightmare on interview day. Overall 4/5.", "positive"),
    ("Rating: 2/5. The interviewers were lovely, though.", "negative"),
    ("Their notes app: syncs fast, search is good, but the widget still crashes. 3/5.", "neutral"),
    ("Applied, interviewed twice, offer in ten days. 5 stars.", "positive"),
    ("Ghosted after the final round. 10/10.", "negative"),  # the sarcastic score after a bad story
    # a review line naming what it rates, and star glyphs (session 13)
    ("Northgate review, 3/5. Application easy, interview professional, then five weeks of waiting.", "neutral"),
    ("\u2605\u2605\u2605\u2606\u2606 Harbour Foods, picker interview. Pros: quick decision. Cons: no chance to "
     "ask questions.", "neutral"),
    ("\u2605\u2605\u2605\u2605\u2606 Fast and kind, though the parking was a nightmare.", "positive"),
    ("Rating: \u2605\u2606\u2606\u2606\u2606. The recruiter was friendly enough.", "negative"),
    ("\u2b50\u2b50\u2b50\u2b50\u2b50 would apply to Northgate again, though the form crashed once.", "positive"),
    # a two-word employer before the score; stars mid-text; 5/10 is middling (session 13)
    ("Harbour Foods interview: 3/5. Manager was fine, questions were generic, the offer was for fewer hours.",
     "neutral"),
    ("Northgate picker interview: 3 stars. Quick, no surprises, offer at minimum wage as advertised. Fine.",
     "neutral"),
    ("Harbour Foods - interview experience 5/10. Good: clear job description. Bad: interviewer read off a sheet.",
     "neutral"),
])
def test_the_writers_own_rating_is_the_verdict(text: str, label: str) -> None:
    from analysis.evaluation import sentiment_label
    from analysis.scoring import score_texts
    assert sentiment_label(score_texts([text])[0].sentiment) == label


def test_glitches_and_overruns_are_complaints() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["The assessment day overran by two hours and the video screen glitched twice."])[0]
    assert r.sentiment <= -0.05 and {"disorganised_scheduling", "clunky_application"} <= set(r.themes)


def test_a_fear_that_did_not_come_true_is_no_complaint() -> None:
    from analysis.scoring import score_texts
    for text in ("Failed the numerical test, panicked and fully expected to be binned. They let me resit the "
                 "next week. Passed.",
                 "Everyone warned me their head office takes months. Applied 3 March, interviewed 10 March, offer "
                 "12 March."):
        r = score_texts([text])[0]
        assert r.sentiment >= 0.05 and any("fear did not come true" in x for x in r.explanation["rules"]), text
    # the fear came true: a negative sentence follows
    r = score_texts(["Fully expected to be ghosted after the final round. Three weeks on, still nothing."])[0]
    assert r.sentiment <= -0.05


def test_a_complaint_the_writer_concedes_before_but_weighs_as_a_plain_one() -> None:
    from analysis.scoring import score_texts
    # the hiring term before the turn ("double-booked") no longer outweighs the praise after it
    for text in ("They double-booked my interview slot and I sat in an empty call for ten minutes. But the hiring "
                 "manager emailed within the hour, owned it, rescheduled for the next morning, and the interview was "
                 "one of the best conversations I've had.",
                 "Rejected by Quillon Labs, but their notes on my take-home were genuinely useful and I've already "
                 "fixed two habits."):
        assert score_texts([text])[0].sentiment >= 0.05, text
    # "Still" turns a post only as "Still, ...": "Still in shock" continues it
    r = score_texts(["Larkspur came back with an offer above what I asked for. Didn't even have to negotiate. "
                     "Still in shock."])[0]
    assert r.sentiment >= 0.05


def test_thanks_for_a_harm_is_sarcasm() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["Thank you Cobalt Outfitters for the rejection text at midnight. In return I've taken back the "
                     "tent I bought last week."])[0]
    assert r.sentiment <= -0.05 and any("sarcasm" in x for x in r.explanation["rules"])
    r = score_texts(["Thanks to the Fernhill recruiter for the quick update after my interview."])[0]
    assert r.sentiment >= 0.05


def test_a_ledger_of_no_replies_and_not_wondering_where_one_stood() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["Emails sent to the recruiter since the final interview: 5. Replies: 0. Days since: 41."])[0]
    assert r.sentiment <= -0.05 and "ghosting" in r.themes
    r = score_texts(["Cobalt Outfitters. Applied: 2 Jan. Acknowledgement: none. Chased: 23 Jan, 14 Feb. Feedback: nil."])[0]
    assert r.sentiment <= -0.05 and "no_feedback" in r.themes
    # "left me wondering where I stood" is the complaint; "not once did I wonder where I stood" is praise
    assert score_texts(["The recruiter left me wondering where I stood for a month."])[0].sentiment <= -0.05
    assert score_texts(["Not once did I wonder where I stood during the interviews."])[0].sentiment >= 0.05
    assert score_texts(["Not once in the process did I have to chase anyone."])[0].sentiment >= 0.05


def test_starting_without_the_basics_is_poor_onboarding() -> None:
    from analysis.scoring import score_texts
    r = score_texts(["In fairness, my Fernhill onboarding day had biscuits. It did not have a login for me, a locker, "
                     "or anyone who knew I was starting. But biscuits."])[0]
    assert r.sentiment <= -0.05 and "poor_onboarding" in r.themes
    assert "poor_onboarding" in score_texts(["First week at Tidewell: I started without a laptop."])[0].themes


@pytest.mark.parametrize("text, check", [
    ("Candidate withdrew from our Larkspur process after round two. Totally fair, wished her well.",
     lambda r: r.is_candidate_experience is False and abs(r.sentiment) < 0.05),  # recruiter voice
    ("The interviewer read his questions without looking up once.", lambda r: r.sentiment <= -0.05),
    ("Uploaded my CV, then had to type everything again into their form.",
     lambda r: "clunky_application" in r.themes),
])
def test_variants_once_written_inside_one_slot_now_match(text: str, check) -> None:
    from analysis.scoring import score_texts
    assert check(score_texts([text])[0]), text


def test_exasperated_emoji_and_jobs_given_to_relatives() -> None:
    from analysis.scoring import score_texts
    assert score_texts(["cobalt interview experience \U0001F644\U0001F644"])[0].sentiment <= -0.05
    assert score_texts(["Cobalt sent a polite email: the job went to the manager's nephew."])[0].sentiment <= -0.05


@pytest.mark.parametrize("text", [
    # courtesy an employer did not have to show
    "got turned down by #fernhill for the bakery lead role but the store manager phoned me herself instead of just "
    "sending an email.",
    "The pay was a bit lower than I'd hoped, but the store manager rang me personally to make the offer.",
    "My application got eaten by the portal twice. Emailed the careers inbox and a real person rang me back and sorted it.",
    "Four of them on the panel, but they gave me water and time to think.",
    "The take-home was capped at 2 hours and they paid £150 for the take-home.",
    # "zero chaos" and other quiet praise
    "Onboarding at Quillon: laptop set up, accounts working, a buddy and a proper first-week plan. Zero chaos.",
    "The recruiter texted me before each stage with what to expect. Took all the anxiety out of it.",
    "No offer, but the rejection came with two concrete reasons. Would interview there again.",
    "Rejected after the final interview, but the manager phoned to explain exactly why.",
    # what the employer did unasked
    "Quillon paid for my train to the onsite before I'd even asked.",
    "The tidewell recruiter rang at exactly the time she said she would and told me the salary up front.",
    "Larkspur turned me down for the nursing post but rang, actually rang, to tell me, and pointed me to a "
    "different clinic that was hiring.",
    "Larkspur rang with the offer at 5:50 on a Friday so I wouldn't spend the weekend wondering.",
    "First day at Larkspur: my name already on the rota and my login working. It's the small things.",
    # a rejection praised for how it came; a promise kept; feedback written for the candidate (session 12)
    "Harbour Foods didn't take me on, and still sent the most decent rejection I've had.",
    "Northgate sent the outcome on the Thursday they'd promised, with the two things to work on.",
    "Got individual feedback on both exercises from Harbour Foods even though I didn't get through.",
    # told in working days; a supervisor checking in each shift (session 13)
    "The Northgate recruiter answered every email within a working day.",
    "First week at Harbour Foods: the supervisor checked in at the end of every shift.",
    # a raised offer, a feedback call, a date given and met (session 13)
    "Harbour Foods raised their offer by 3k after one email.",
    "Northgate turned me down and the feedback call lasted 25 minutes, with a senior manager.",
    "Northgate recruiter screen: 20 mins, salary range in the first minute, next-step date given and met.",
    "Rejected, but they rang me to tell me and offered feedback on the spot.",
    "The form crashed twice and I nearly gave up, but I got the job. Worth the hassle!",
])
def test_praise_told_as_what_the_employer_did(text: str) -> None:
    from analysis.scoring import score_texts
    assert score_texts([text])[0].sentiment >= 0.05, text
