"""The learned readings (analysis/linear.py, tone_model.py, candidate_model.py, train.py): their files,
how they meet the rules, what they add out of sample, and that the shipped weights are what the trainer
makes of the shipped data."""
from __future__ import annotations

import math

import pytest

from analysis import candidate_model as CM
from analysis import consumer_model as KM
from analysis import evaluation as E
from analysis import lexicon
from analysis import stage_model as SM
from analysis import theme_model as HM
from analysis import tone_model as T
from analysis import train as TR
from analysis import linear, scoring
from analysis.linear import LinearModel, windows, words
from analysis.scoring import Analyzer, score_texts

TONE_FILE = lexicon.LEXICON_DIR / T.MODEL_NAME
CANDIDATE_FILE = lexicon.LEXICON_DIR / CM.MODEL_NAME
STAGE_FILE = lexicon.LEXICON_DIR / SM.MODEL_NAME
CONSUMER_FILE = lexicon.LEXICON_DIR / KM.MODEL_NAME
THEME_FILE = lexicon.LEXICON_DIR / HM.MODEL_NAME


def _rules() -> Analyzer:
    return Analyzer.rules_alone()

# the battery's last two parts, p2215-p2614 (written blind in sessions 13 and 14)
LATE_PARTS = ("p2215", "p2614")


def test_words_are_tokens_and_pairs_once_with_curly_apostrophes_unified() -> None:
    assert words("Didn\u2019t hear back. Didn't!") == ["didn't", "hear", "back", "didn't hear", "hear back",
                                                        "back didn't"]
    # every apostrophe the lexicon unifies (a left quote or a modifier letter typed for one)
    assert words("Didn\u2018t, didn\u02bct") == words("Didn't, didn't") == ["didn't", "didn't didn't"]


def test_blend_keeps_an_agreeing_score_and_moves_just_into_the_models_class() -> None:
    assert T.blend(-0.42, (0.7, 0.2, 0.1)) == -0.42
    neutral = T.blend(-0.42, (0.3, 0.6, 0.1))
    assert E.sentiment_label(neutral) == "neutral" and neutral < 0  # the lean stays
    assert T.blend(0.0, (0.5, 0.45, 0.05)) == -0.45
    assert E.sentiment_label(T.blend(0.0, (0.34, 0.32, 0.34))) in ("negative", "positive")
    assert T.blend(0.3, (0.36, 0.33, 0.31)) == -0.05  # a slim lean still lands inside the class


def test_a_negative_read_as_positive_costs_twice() -> None:
    # argmax would say positive; the expected cost says neutral (0.70, against 0.75 negative, 0.80 positive)
    assert T.decide((0.25, 0.3, 0.45)) == 1
    assert E.sentiment_label(T.blend(-0.3, (0.25, 0.3, 0.45))) == "neutral"
    assert T.decide((0.1, 0.3, 0.6)) == 2 and T.decide((0.5, 0.3, 0.2)) == 0
    # the cost settles a disagreement only: rules and model both saying positive stay positive
    assert T.decide((0.395, 0.011, 0.594)) == 0 and T.blend(0.43, (0.395, 0.011, 0.594)) == 0.43


def test_weights_file_round_trip_and_a_bad_row_is_named(tmp_path) -> None:
    model = T.ToneModel.load(TONE_FILE)
    path = tmp_path / "w.tsv"
    model.write(path, header=["test"])
    again = T.ToneModel.load(path)
    feats = words("Ghosted after the final round, but the recruiter was lovely.")
    assert again.probabilities(feats, -0.3, True) == pytest.approx(model.probabilities(feats, -0.3, True), abs=1e-5)
    path.write_text(path.read_text(encoding="utf-8") + "ghosted\t1.0\tx\t0.2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"w\.tsv:\d+: bad model row"):
        T.ToneModel.load(path)
    (tmp_path / "short.tsv").write_text("=bias\t0\t0\t0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the features =score"):
        T.ToneModel.load(tmp_path / "short.tsv")
    with pytest.raises(ValueError, match="a tone model has 3 columns, not 1"):
        T.ToneModel.load(CANDIDATE_FILE, dense=CM.DENSE)
    with pytest.raises(ValueError, match="rows differ in width"):
        LinearModel({"=bias": (0.0,), "a": (1.0, 2.0)}, ())


def test_the_analyzer_explains_a_second_reading_and_keeps_the_writers_own_verdict() -> None:
    text = "Larkspur interview Tuesday, rejection Friday, standard email."
    rules = _rules().score(text)
    full = score_texts([text])[0]
    assert E.sentiment_label(rules.sentiment) == "negative"  # the rules hear "rejection"
    assert E.sentiment_label(full.sentiment) == "neutral"
    why = [r for r in full.explanation["rules"] if r.startswith("tone model:")]
    assert len(why) == 1 and "the rules read negative" in why[0] and "reads neutral" in why[0], why
    # a rating the writer gives is the rules' to read, whatever the words around it
    rated = "Applied, interviewed twice, offer in ten days. 5 stars."
    assert score_texts([rated])[0].sentiment == _rules().score(rated).sentiment >= 0.05


def test_a_readings_confidence_is_the_models_probability_of_its_class() -> None:
    probs = (0.2, 0.3, 0.5)
    assert T.confidence(-0.4, probs) == 0.2 and T.confidence(0.0, probs) == 0.3 and T.confidence(0.06, probs) == 0.5
    assert T.confidence(0.3, (0.123456, 0.0, 0.876544)) == 0.8765  # to four places
    text = "Larkspur interview Tuesday, rejection Friday, standard email."
    full = Analyzer()
    feats, sums = full._words(text)
    reading = full.score(text)
    probs = full.tone.probabilities(feats, _rules().score(text).sentiment, reading.is_candidate_experience,
                                    full._table.part(sums, full.tone))
    assert reading.sentiment_confidence == round(probs[T.label_index(reading.sentiment)], 4)
    # the writer's own rating stands, and the model still says how sure that reading is
    rated = score_texts(["Applied, interviewed twice, offer in ten days. 5 stars."])[0]
    assert rated.sentiment == _rules().score("Applied, interviewed twice, offer in ten days. 5 stars.").sentiment
    assert 0.0 < rated.sentiment_confidence <= 1.0
    # without a tone model there is no confidence to give
    assert _rules().score(text).sentiment_confidence is None


def test_sure_tone_readings_are_right_more_often_than_unsure_ones() -> None:
    # the thirteen held-out sets, pooled (2,542 texts, 0.881 right): at 2.80 the sure readings (three in four)
    # are right 0.947 of the time and the rest 0.662; on real posts' dev halves 0.77 against 0.47
    # (analysis/README.md, "How sure a tone reading is")
    items = [i for split in E.eval_splits() if split.startswith("holdout")
             for i in E.read_labelled(E.EVAL_DIR / f"{split}.jsonl", scoring.STAGES)]
    results = score_texts([i["text"] for i in items])
    gold = [i["sentiment"] for i in items]
    read = [E.sentiment_label(r.sentiment) for r in results]
    parts = E.sure_readings(gold, read, [r.sentiment_confidence for r in results], T.SURE)
    assert 0.6 <= parts["sure tone readings"] <= 0.95, parts
    assert parts["sentiment acc., sure"] >= 0.93 and parts["sentiment acc., unsure"] <= 0.75, parts
    assert parts["neg. scored pos., sure"] <= 0.015, parts


def test_a_long_text_is_cut_into_windows_of_whole_sentences() -> None:
    short = ["Applied Monday.", "Rejected Friday."]
    assert windows(short) == ["Applied Monday. Rejected Friday."]  # under one window: the text itself
    sentences = [f"On day {k} the {w} rang {k + 2} times about shift {k * 3}." for k, w in
                 enumerate(("recruiter", "manager", "agency", "office", "panel", "owner", "head", "clerk", "desk",
                            "chair", "team", "boss"))]
    parts = windows(sentences, width=40)
    assert " ".join(parts) == " ".join(sentences)  # every sentence once, in order, none cut
    assert len(parts) > 2 and all(len(words(p)) >= 40 for p in parts)
    # each window closes at the first sentence that brings it to the width (counted as words() counts)
    starts = [0]
    for p in parts[:-1]:
        starts.append(starts[-1] + sum(1 for s in sentences if s in p))
    for start, end in zip(starts, starts[1:]):
        assert len(words(" ".join(sentences[start:end - 1]))) < 40 <= len(words(" ".join(sentences[start:end])))
    # a tail of under half a window joins the window before it
    assert len(windows(sentences[:5], width=40)) == len(windows(sentences[:4], width=40))


def test_windows_readings_pool_as_their_mean_log_probability() -> None:
    assert T.combine([(0.2, 0.3, 0.5)] * 3) == pytest.approx((0.2, 0.3, 0.5))
    pooled = T.combine([(0.98, 0.01, 0.01), (0.01, 0.01, 0.98)])  # two windows pulling apart
    assert pooled[0] == pytest.approx(pooled[2]) and pooled[1] < pooled[0]
    # three windows for neutral, one torn between the poles: neutral
    assert max(range(3), key=T.combine([(0.1, 0.8, 0.1)] * 3 + [(0.5, 0.01, 0.49)]).__getitem__) == 1


def test_a_long_story_is_read_in_windows_not_swamped_by_its_ordinary_words(monkeypatch) -> None:
    # synthetic, ours: a warm start, then eight hours of unpaid work and silence. Read as one text, its
    # ordinary words ("actually", "have to", "they were") outweigh the rules' negative reading
    text = ("So I had my first proper interview at the bakery on the high street and honestly it started well. "
            "The owner gave me a coffee and we actually talked about sourdough for ages, which I loved. Then she "
            "said I would have to do a trial shift, unpaid, starting at four in the morning, and I agreed because "
            "I really wanted it. I did the full shift, eight hours, scrubbing trays and shaping rolls, and at the "
            "end she said thanks, they would be in touch. They were not in touch. I messaged twice over the next "
            "fortnight and got nothing back, not even a no. Then I saw the same advert go up again in the window. "
            "Eight hours of free work and not a single word back.")
    assert len(words(text)) > linear.LONG
    assert E.sentiment_label(_rules().score(text).sentiment) == "negative"
    assert E.sentiment_label(Analyzer().score(text).sentiment) == "negative"
    monkeypatch.setattr(scoring, "LONG", 10 ** 6)  # the same model reading the whole text at once
    swamped = Analyzer().score(text)
    assert E.sentiment_label(swamped.sentiment) == "positive"
    assert any("the whole text reads positive" in r for r in swamped.explanation["rules"])


def test_a_long_story_keeps_the_custom_its_writer_ties_to_it_in_one_place() -> None:
    # synthetic, ours: a customer of years applies, is interviewed and hears nothing. The tie is one
    # sentence. Until session 17 the whole-text reading stripped it ("and a", "said", "asked"); since the
    # consumer links were re-read (data/eval/consumer_rereading.jsonl) the whole text sits near the threshold
    text = ("I have bought every pair of walking boots I own from Cobalt Outfitters, and my kids' school coats too, "
            "so when they advertised for a weekend sales assistant at the big store I applied the same night. The "
            "form took about twenty minutes and asked the usual things about availability and experience. Two weeks "
            "later a recruiter rang and we had a short chat about why I wanted the job, which was easy to answer. She "
            "booked me for an interview the following Thursday with the store manager and a team leader. The "
            "interview itself was fine, a few questions about handling a difficult customer and a little role play at "
            "the till. They said I would hear by the end of the next week. I did not hear anything, then or since. I "
            "emailed twice and rang the store once and was told someone would call me back, and nobody did. It has "
            "been six weeks now.")
    assert len(words(text)) > linear.LONG and _rules().score(text).consumer_link
    assert Analyzer().score(text).consumer_link



def test_the_consumer_link_of_a_long_text_is_its_likeliest_windows() -> None:
    # synthetic, ours: one window tells the writer's custom, six tell the interview. The window that
    # ties decides (the windows' mean probability, 0.44, would not link); without it the same rules' link
    # is taken away, and the explanation says so
    analyzer = Analyzer()
    analyzer.score("warm up")  # (the word table is built on first use)
    table = analyzer._table

    def part(text: str) -> tuple[list[str], list[float]]:
        feats = words(text)
        return feats, table.sums(feats)

    tie = part("I have shopped at Cobalt every week for ten years and I still buy all my boots from them, so I "
               "applied.")
    rest = [part("The interview was on a Tuesday at ten and lasted about forty minutes with two managers."),
            part("They asked about my availability, my last job, and how I would deal with a queue at the till."),
            part("Then they said I would hear by Friday, and I went home and made some tea.")]
    feats, sums = part("one text")  # (read only when there are no windows)
    kept: list[str] = []
    assert analyzer._consumer_reading(feats, sums, True, True, kept, [*rest, tie, *rest])
    assert kept == []  # the model agrees with the rules: nothing to explain
    dropped: list[str] = []
    assert not analyzer._consumer_reading(feats, sums, True, True, dropped, rest)
    assert dropped and dropped[0].startswith("consumer model: none of its 3 windows ties")

def test_the_candidate_model_explains_its_decision_and_needs_hiring_words() -> None:
    text = "Relevant questions. On time. Friendly. No complaints."  # an interview review told in fragments
    assert not _rules().score(text).is_candidate_experience
    full = score_texts([text])[0]
    assert full.is_candidate_experience and full.stages  # a candidate experience gets its stages
    why = [r for r in full.explanation["rules"] if r.startswith("candidate model:")]
    assert len(why) == 1 and "reads as a candidate experience (p 0." in why[0] and "'questions'" in why[0], why
    # no hiring word, no hiring experience, whatever the words: the model does not read such a text
    analyzer = Analyzer()
    analyzer.candidate = CM.CandidateModel({**analyzer.candidate.weights, "=bias": (50.0,)}, CM.DENSE)
    jacket = "Honestly the best jacket I have ever owned, my partner loves it too."
    assert analyzer.score(jacket).is_candidate_experience is False
    assert analyzer.score("The recruiter rang me back today.").is_candidate_experience is True


def test_the_stage_model_adds_and_drops_stages_and_explains_them() -> None:
    text = "Applied on a Sunday night, had a screening call booked by Monday lunchtime. Very efficient."
    assert _rules().score(text).stages == ("screening",)  # the rules: "applied" only situates the call
    full = score_texts([text])[0]
    assert full.stages == ("application", "screening")
    assert set(full.stage_sentiment) == set(full.stages)
    assert full.stage_sentiment["application"] == full.sentiment  # no clause of its own: the text's tone
    why = [r for r in full.explanation["rules"] if r.startswith("stage model:")]
    assert why == [w for w in why if "reports application (p 0." in w] and len(why) == 1, why
    # a stage the model does not read leaves the stage sentiment too
    dropped = score_texts(["Onboarding was nothing but forms. I filled in my emergency contact details five "
                           "separate times."])[0]
    assert dropped.stages == ("onboarding",) and set(dropped.stage_sentiment) == {"onboarding"}
    # when no stage reaches the threshold, the rules' stages stand
    model = SM.StageModel.load(STAGE_FILE)
    quiet = SM.StageModel({**model.weights, "=bias": (-50.0,) * 6}, SM.DENSE)
    assert quiet.stages(words(text), ("screening",))[0] == ("screening",)


def test_the_consumer_model_explains_its_link() -> None:
    text = "Just applied to Fernhill. Funny, I was in there buying bread this morning."
    assert not _rules().score(text).consumer_link  # a customer, but no cue ties the custom to the story
    full = score_texts([text])[0]
    assert full.consumer_link
    why = [r for r in full.explanation["rules"] if r.startswith("consumer model:")]
    assert len(why) == 1 and "ties the hiring experience to the writer's custom (p 0." in why[0], why
    assert "'buying'" in why[0] or "'applied to'" in why[0], why


# Texts the rules' own tests read right and the learned readings (trained on 12,634 texts, 2.52) do not:
# their known misses. The rules must keep reading them right.
KNOWN_TONE_MISSES = [
    ("Northgate moved my start date forward a week.", 0),  # the model: negative (moved-back start dates)
    ("A gentle suggestion: if the role is mainly nights, it might be worth saying so before the third "
     "interview rather than after the offer.", -1),  # the model: neutral
    ("Harbour Foods: interview Wednesday, offer Thursday. Withdrawn on Monday after I resigned.", -1),
    ("They changed their mind about the offer two days later.", -1),  # the model: neutral
    ("A regional retailer has been fined after an investigation found it rejected older applicants through an "
     "automated filter. Absolutely disgusting, shameful behaviour.", -1),  # the model: the report's words
    ("I applied in May. Far too many rounds and I nearly withdrew, though I stayed.", -1),  # the model: neutral
    ("Clicked no and the screen went straight to 'Thank you, your application will not be progressed'.",
     -1),  # the model: the canned thanks
]
KNOWN_STAGE_MISSES = [
    ("Final interview was on the 3rd. Today is the 28th.", ("rejection",)),  # the model adds the interview
    ("Pros: applying took five minutes and the form kept my answers. Cons: nobody ever replied.",
     ("application", "rejection")),  # the model drops the rejection
]
KNOWN_CANDIDATE_MISSES = [
    ("The pharmacist was rude to me at the counter and the queue took an hour.", False),  # a customer's
]
KNOWN_CONSUMER_MISSES = [
    ("The recruiter laughed at the gap in my CV during the phone screen. I've found somewhere else for my "
     "running kit.", True),  # the model: no link
]


@pytest.mark.parametrize("text, sign", KNOWN_TONE_MISSES)
def test_the_tone_models_known_misses_are_read_right_by_the_rules(text: str, sign: int) -> None:
    rules = _rules().score(text).sentiment
    assert (rules >= 0.05) - (rules <= -0.05) == sign, rules


@pytest.mark.parametrize("text, stages", KNOWN_STAGE_MISSES)
def test_the_stage_models_known_misses_are_read_right_by_the_rules(text: str, stages: tuple) -> None:
    assert _rules().score(text).stages == stages


@pytest.mark.parametrize("text, is_ce", KNOWN_CANDIDATE_MISSES)
def test_the_candidate_models_known_misses_are_read_right_by_the_rules(text: str, is_ce: bool) -> None:
    assert _rules().score(text).is_candidate_experience is is_ce


@pytest.mark.parametrize("text, link", KNOWN_CONSUMER_MISSES)
def test_the_consumer_models_known_misses_are_read_right_by_the_rules(text: str, link: bool) -> None:
    assert _rules().score(text).consumer_link is link


def test_changing_the_weights_changes_the_analyzer_version(tmp_path) -> None:
    import shutil

    from analysis.scoring import analyzer_version
    copy = tmp_path / "lex"
    shutil.copytree(lexicon.LEXICON_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    before = analyzer_version(copy)
    path = copy / T.MODEL_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("=bias\t", "=bias\t1", 1), encoding="utf-8")
    assert analyzer_version(copy) != before


@pytest.fixture(scope="module")
def training():
    pytest.importorskip("sklearn", reason="the trainer needs the optional scikit-learn (make test installs it)")
    return TR.training_items()


def _late_split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    ids = [i["id"] for i in items]
    lo, hi = ids.index(LATE_PARTS[0]), ids.index(LATE_PARTS[1]) + 1
    return items[:lo] + items[hi:], items[lo:hi]


def test_out_of_sample_the_models_read_better_than_the_rules(training) -> None:
    """Trained without the battery's parts 15 and 16, the models read them better than the rules do:
    tone (rules 2.44 on their 400 texts: 0.563, 0.188 of negatives read as positive; the tone model trained
    without them: 0.728 and 0.104), the candidate decision, the stages and the themes (as the readers read
    them: themes_read)."""
    seen, unseen = _late_split(training)
    rules = _rules()
    learned = _rules()
    learned.candidate, learned.stage, learned.consumer, learned.tone, learned.theme = TR.fit_all(seen)
    matcher = rules.companies(E.eval_companies())
    by_rules = [rules.score(i["text"], matcher) for i in unseen]
    by_both = [learned.score(i["text"], matcher) for i in unseen]
    gold = [i["sentiment"] for i in unseen]
    r_tone = [E.sentiment_label(r.sentiment) for r in by_rules]
    m_tone = [E.sentiment_label(r.sentiment) for r in by_both]
    assert E.accuracy(gold, m_tone) >= E.accuracy(gold, r_tone) + 0.08, (E.accuracy(gold, r_tone),
                                                                        E.accuracy(gold, m_tone))
    assert E.negatives_scored_positive(gold, m_tone) <= E.negatives_scored_positive(gold, r_tone)
    ce = [i["is_candidate_experience"] for i in unseen]
    assert (E.binary_f1(ce, [r.is_candidate_experience for r in by_both])
            >= E.binary_f1(ce, [r.is_candidate_experience for r in by_rules]))
    staged = [k for k, i in enumerate(unseen) if i["is_candidate_experience"]]
    gold_stages = [unseen[k]["stages"] for k in staged]
    assert (E.micro_f1(gold_stages, [by_both[k].stages for k in staged])
            >= E.micro_f1(gold_stages, [by_rules[k].stages for k in staged]))
    themed = [k for k, i in enumerate(unseen) if "themes_read" in i]
    gold_themes = [unseen[k]["themes_read"] for k in themed]
    by_rules_f1 = E.micro_f1(gold_themes, [by_rules[k].themes for k in themed])
    by_both_f1 = E.micro_f1(gold_themes, [by_both[k].themes for k in themed])
    assert by_both_f1 >= by_rules_f1 + 0.05, (by_rules_f1, by_both_f1)


def _decisions(models, items: list[dict]) -> list[tuple]:
    analyzer = _rules()
    analyzer.candidate, analyzer.stage, analyzer.consumer, analyzer.tone, analyzer.theme = models
    matcher = analyzer.companies(E.eval_companies())
    return [(r.is_candidate_experience, r.stages, r.consumer_link, E.sentiment_label(r.sentiment), r.themes)
            for r in (analyzer.score(i["text"], matcher) for i in items)]


def test_the_shipped_weights_are_what_the_trainer_makes_of_the_shipped_data(training) -> None:
    """Retrain after changing the rules, the lexicon or the training data: `python -m analysis.train`."""
    fresh = TR.fit_all(training)
    shipped = (CM.CandidateModel.load(CANDIDATE_FILE), SM.StageModel.load(STAGE_FILE),
               KM.ConsumerModel.load(CONSUMER_FILE), T.ToneModel.load(TONE_FILE), HM.ThemeModel.load(THEME_FILE))
    for new, old in zip(fresh, shipped):
        assert set(new.weights) == set(old.weights), "the features differ: retrain"
    ours, theirs = _decisions(fresh, training), _decisions(shipped, training)
    differ = sum(a != b for a, b in zip(ours, theirs))
    assert differ <= 0.005 * len(training), f"{differ} of {len(training)} texts read otherwise: retrain"


def test_the_theme_model_reads_a_long_texts_themes_in_its_likeliest_window() -> None:
    # a theme is told in one place: of a long text, each theme's probability is its likeliest window's
    width = len(HM.THEME_IDS)
    k = HM.THEME_IDS.index("ghosting")
    weights = {"=bias": (-4.0,) * width, "silence": tuple(8.0 if j == k else 0.0 for j in range(width)),
               **{name: (0.0,) * width for name in HM.DENSE}}
    model = HM.ThemeModel(weights, HM.DENSE)
    windows_ = [["we", "met"], ["silence"], ["we", "talked"]]
    read, probs, where = model.themes([w for part in windows_ for w in part], (), windows_)
    assert read == ("ghosting",) and probs["ghosting"] > 0.95 and where["ghosting"] == 1
    # without the word, no window reads it; and the rules' theme is only one feature among the words
    assert model.themes(["we", "met"], (), [["we"], ["met"]])[0] == ()


def test_the_theme_model_explains_the_themes_it_adds_and_drops() -> None:
    # the rules read a quick process ("the next morning") and an automated rejection; the model reads the
    # timed one-way video as an unfair interview and no praise of speed, and keeps what the lexicon names
    text = ("One-way video interview with a countdown timer and no option to redo an answer. Rejected by an "
            "algorithm the next morning.")
    rules = _rules().score(text)
    full = score_texts([text])[0]
    changed = set(full.themes) ^ set(rules.themes)
    why = [r for r in full.explanation["rules"] if r.startswith("theme model:")]
    assert rules.themes == ("automated_rejection", "fast_process")
    assert full.themes == ("automated_rejection", "unfair_interview")
    assert len(why) == len(changed), (rules.themes, full.themes, why)
    for theme in changed:
        verb = "reports" if theme in full.themes else "does not report"
        assert any(f"{verb} {theme} (p 0." in w for w in why), why
    shown = [r for r in full.explanation["rules"] if r.startswith("theme ") and not r.startswith("theme model")]
    assert {r.split(":")[0][6:] for r in shown} == set(full.themes)  # every theme shown has its reason


def test_the_theme_models_priors_move_to_the_rates_of_real_posts(tmp_path) -> None:
    # a theme the training texts hold twice as often as real posts loses log 2 of bias; a far rarer one at
    # most PRIOR_SHIFT_CAP; a theme without a target rate keeps its bias
    width = len(HM.THEME_IDS)
    model = HM.ThemeModel({"=bias": (0.0,) * width, **{name: (0.0,) * width for name in HM.DENSE}}, HM.DENSE)
    shifted = HM.shift_priors(model, {"ghosting": (199, 998), "fair_offer": (0, 998)},
                              {"ghosting": (99, 998), "fair_offer": (500, 998)})
    bias = dict(zip(HM.THEME_IDS, shifted.weights["=bias"]))
    assert bias["ghosting"] == pytest.approx(-math.log(2), abs=0.01)
    assert bias["fair_offer"] == HM.PRIOR_SHIFT_CAP and bias["lowball_offer"] == 0.0
    # the shipped rates file reads, and a bad row is named
    assert set(HM.read_rates(lexicon.LEXICON_DIR / HM.RATES_NAME)) == set(HM.THEME_IDS)
    bad = tmp_path / "rates.tsv"
    bad.write_text("ghosting\t3\t10\nnot_a_theme\t1\t10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rates.tsv:2"):
        HM.read_rates(bad)


def test_a_theme_read_in_a_window_is_explained_by_that_window() -> None:
    # a long text is read in windows; the change a window makes is explained by that window and its words,
    # not as "the whole text" (a toy theme model that hears ghosting in one made-up word)
    width = len(HM.THEME_IDS)
    k = HM.THEME_IDS.index("ghosting")
    weights = {"=bias": (-6.0,) * width, "zorblat": tuple(12.0 if j == k else 0.0 for j in range(width)),
               **{name: (0.0,) * width for name in HM.DENSE}}
    analyzer = Analyzer()
    analyzer.theme = HM.ThemeModel(weights, HM.DENSE)
    opening = ("I applied for the warehouse planner job in April through the careers page of the company. "
               "The form asked for my address, my last three employers, two references and a short cover note. "
               "A recruiter called on a Tuesday morning to talk about shifts, the commute, the team size and pay. "
               "Then I met the site lead and two planners at the depot for an hour of questions about stock counts. ")
    text = opening + "After that came zorblat for five weeks while I waited at home and checked my mail daily."
    assert len(words(text)) > linear.LONG
    result = analyzer.score(text)
    assert result.is_candidate_experience and "ghosting" in result.themes
    why = [r for r in result.explanation["rules"] if r.startswith("theme model:") and "ghosting" in r]
    assert len(why) == 1 and "'zorblat'" in why[0], why
    assert why[0].startswith("theme model: window 2 of its 2 reports ghosting (p 1.00"), why


def test_the_tone_models_priors_move_to_the_real_posts_mix_for_candidate_experiences(tmp_path) -> None:
    # the candidate experiences' shift goes to the =ce flag's weights: their classes move by the log ratio of
    # the two mixes (capped); other texts and the words are untouched
    zero = (0.0, 0.0, 0.0)
    model = T.ToneModel({"=bias": zero, "ghosted": (1.0, 0.0, -1.0), **{name: zero for name in T.DENSE}}, T.DENSE)
    shifted = T.shift_priors(model, (49, 19, 29), (97, 19, 14))
    assert shifted.weights["=bias"] == zero and shifted.weights["ghosted"] == (1.0, 0.0, -1.0)
    ce = [w * T.DENSE_SCALE for w in shifted.weights["=ce"]]
    assert ce[0] == pytest.approx(math.log((98 / 133) / (50 / 100)), abs=1e-9)
    assert ce[2] == pytest.approx(math.log((15 / 133) / (30 / 100)), abs=1e-9)
    feats = words("ghosted")
    before, after = model.probabilities(feats, -0.4, True), shifted.probabilities(feats, -0.4, True)
    assert after[0] > before[0] and after[2] < before[2]  # more negative, less positive, for a candidate's post
    assert shifted.probabilities(feats, -0.4, False) == pytest.approx(model.probabilities(feats, -0.4, False))
    capped = T.shift_priors(model, (1000, 1, 1), (1, 1, 1000))
    assert max(abs(w) * T.DENSE_SCALE for w in capped.weights["=ce"]) == pytest.approx(T.PRIOR_SHIFT_CAP)
    # the shipped rates read, and a bad row is named
    assert len(T.read_rates(lexicon.LEXICON_DIR / T.RATES_NAME)) == 3
    bad = tmp_path / "rates.tsv"
    bad.write_text("candidate\t3\t4\t5\nshoppers\t1\t1\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rates.tsv:2"):
        T.read_rates(bad)
    bad.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no candidate rates"):
        T.read_rates(bad)


def test_the_consumer_models_prior_moves_to_the_real_posts_rate_for_candidate_experiences(tmp_path) -> None:
    # training texts that link twice as often as real candidate posts: a candidate's post loses about log 2 of
    # the link's logit through the =ce flag; other texts and the words are untouched; the shift is capped
    model = KM.ConsumerModel({"=bias": (0.0,), "customer": (1.5,), **{name: (0.0,) for name in KM.DENSE}}, KM.DENSE)
    shifted = KM.shift_priors(model, (199, 998), (99, 998))
    assert shifted.weights["=bias"] == (0.0,) and shifted.weights["customer"] == (1.5,)
    assert shifted.weights["=ce"][0] == pytest.approx(math.log((100 / 1000) / (200 / 1000)), abs=1e-9)
    feats = words("customer")
    assert shifted.probability(feats, KM.dense(True, True)) < model.probability(feats, KM.dense(True, True))
    assert shifted.probability(feats, KM.dense(True, False)) == pytest.approx(model.probability(feats, KM.dense(True, False)))
    assert KM.shift_priors(model, (900, 1000), (1, 1000)).weights["=ce"][0] == -KM.PRIOR_SHIFT_CAP
    # the shipped rate reads, and a bad row is named
    links, total = KM.read_rates(lexicon.LEXICON_DIR / KM.RATES_NAME)
    assert 0 < links < total
    bad = tmp_path / "rates.tsv"
    for body, message in (("candidate\t3\t40\ncandidate\t50\t40\n", "rates.tsv:2"),
                          ("candidate\tthree\t40\n", "rates.tsv:1"), ("# nothing\n", "no candidate rate")):
        bad.write_text(body, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            KM.read_rates(bad)


def test_the_trainers_help_explains_and_trains_nothing(monkeypatch, capsys) -> None:
    # `python -m analysis.train --help` once ran the whole training and overwrote the weights
    monkeypatch.setattr(TR, "training_items", lambda: pytest.fail("--help must not read the training texts"))
    with pytest.raises(SystemExit) as done:
        TR.main(["--help"])
    assert done.value.code == 0
    assert "Retrain the five learned readings" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        TR.main(["--weights-elsewhere"])
    assert done.value.code == 2
