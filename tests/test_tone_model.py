"""The tone model (analysis/tone_model.py): its file, its blend with the rules, what it adds out of
sample, and that the shipped weights are what the trainer makes from the shipped data."""
from __future__ import annotations

import pytest

from analysis import evaluation as E
from analysis import tone_model as T
from analysis.scoring import Analyzer, score_texts

# the battery's last two parts, p2215-p2614 (written blind in sessions 13 and 14)
LATE_PARTS = ("p2215", "p2614")


def test_words_are_tokens_and_pairs_once_with_curly_apostrophes_unified() -> None:
    assert T.words("Didn\u2019t hear back. Didn't!") == ["didn't", "hear", "back", "didn't hear", "hear back",
                                                        "back didn't"]


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
    model = T.ToneModel.load()
    path = tmp_path / "w.tsv"
    T.write(model, path, header=["test"])
    again = T.ToneModel.load(path)
    text = "Ghosted after the final round, but the recruiter was lovely."
    assert again.probabilities(text, -0.3, True) == pytest.approx(model.probabilities(text, -0.3, True), abs=1e-5)
    path.write_text(path.read_text(encoding="utf-8") + "ghosted\t1.0\tx\t0.2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"w\.tsv:\d+: bad tone model row"):
        T.ToneModel.load(path)
    (tmp_path / "short.tsv").write_text("=bias\t0\t0\t0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the features =score"):
        T.ToneModel.load(tmp_path / "short.tsv")


def test_the_analyzer_explains_a_second_reading_and_keeps_the_writers_own_verdict() -> None:
    text = "Larkspur interview Tuesday, rejection Friday, standard email."
    rules = Analyzer(tone_model=False).score(text)
    full = score_texts([text])[0]
    assert E.sentiment_label(rules.sentiment) == "negative"  # the rules hear "rejection"
    assert E.sentiment_label(full.sentiment) == "neutral"
    why = [r for r in full.explanation["rules"] if r.startswith("tone model:")]
    assert len(why) == 1 and "the rules read negative" in why[0] and "reads neutral" in why[0], why
    # a rating the writer gives is the rules' to read, whatever the words around it
    rated = "Applied, interviewed twice, offer in ten days. 5 stars."
    assert score_texts([rated])[0].sentiment == Analyzer(tone_model=False).score(rated).sentiment >= 0.05


# Texts the rules' own tests read right and the tone model (trained on 4,634 texts) does not: its known
# misses. The rules must keep reading them right.
KNOWN_MISSES = [
    ("Northgate moved my start date forward a week.", 0),  # the model: negative (moved-back start dates)
    ("A gentle suggestion: if the role is mainly nights, it might be worth saying so before the third "
     "interview rather than after the offer.", -1),  # the model: neutral
    ("Harbour Foods: interview Wednesday, offer Thursday. Withdrawn on Monday after I resigned.", -1),
    ("They changed their mind about the offer two days later.", -1),  # the model: neutral
    ("A regional retailer has been fined after an investigation found it rejected older applicants through an "
     "automated filter. Absolutely disgusting, shameful behaviour.", -1),  # the model: the report's words
]


@pytest.mark.parametrize("text, sign", KNOWN_MISSES)
def test_the_models_known_misses_are_read_right_by_the_rules(text: str, sign: int) -> None:
    rules = Analyzer(tone_model=False).score(text).sentiment
    assert (rules >= 0.05) - (rules <= -0.05) == sign, rules


def test_changing_the_weights_changes_the_analyzer_version(tmp_path) -> None:
    import shutil

    from analysis.scoring import analyzer_version
    from analysis import lexicon
    copy = tmp_path / "lex"
    shutil.copytree(lexicon.LEXICON_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    before = analyzer_version(copy)
    path = copy / T.MODEL_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("=bias\t", "=bias\t1", 1), encoding="utf-8")
    assert analyzer_version(copy) != before


@pytest.fixture(scope="module")
def training():
    pytest.importorskip("sklearn", reason="the trainer needs the optional scikit-learn (make test installs it)")
    items = T.training_items()
    texts = [i["text"] for i in items]
    return items, texts, T.rules_reading(texts)


def test_out_of_sample_the_model_reads_tone_better_than_the_rules(training) -> None:
    """Trained without the battery's last two parts, the model reads their tone clearly better than the
    rules do (on their 400 texts, rules 2.44: 0.563 with 0.188 of negatives read as positive; the model
    trained without them: 0.728 and 0.104)."""
    items, texts, reading = training
    ids = [i["id"] for i in items]
    lo, hi = ids.index(LATE_PARTS[0]), ids.index(LATE_PARTS[1]) + 1
    keep = [k for k in range(len(items)) if not lo <= k < hi]
    model = T.train([texts[k] for k in keep], [items[k]["sentiment"] for k in keep],
                    [reading[k][0] for k in keep], [reading[k][1] for k in keep])
    gold = [items[k]["sentiment"] for k in range(lo, hi)]
    rules = [E.sentiment_label(reading[k][0]) for k in range(lo, hi)]
    blended = [E.sentiment_label(T.blend(reading[k][0], model.probabilities(texts[k], *reading[k])))
               for k in range(lo, hi)]
    assert E.accuracy(gold, blended) >= E.accuracy(gold, rules) + 0.08, (E.accuracy(gold, rules),
                                                                        E.accuracy(gold, blended))
    assert E.negatives_scored_positive(gold, blended) <= E.negatives_scored_positive(gold, rules)


def test_the_shipped_weights_are_what_the_trainer_makes_of_the_shipped_data(training) -> None:
    """Retrain after changing the rules or the training data: `python -m analysis.tone_model`."""
    items, texts, reading = training
    fresh = T.train(texts, [i["sentiment"] for i in items], [s for s, _ in reading], [ce for _, ce in reading])
    shipped = T.ToneModel.load()
    assert set(fresh.weights) == set(shipped.weights), "the features differ: retrain"
    agree = sum(max(range(3), key=lambda k, p=fresh.probabilities(t, s, ce): p[k])
                == max(range(3), key=lambda k, p=shipped.probabilities(t, s, ce): p[k])
                for t, (s, ce) in zip(texts, reading))
    assert agree >= 0.995 * len(texts), f"{len(texts) - agree} of {len(texts)} texts read otherwise: retrain"
