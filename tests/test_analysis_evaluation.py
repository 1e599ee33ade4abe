"""Metric functions on tiny hand-computed cases, and the label files beside the eval sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import evaluation as ev


def test_sentiment_label() -> None:
    assert ev.sentiment_label(0.05) == "positive"
    assert ev.sentiment_label(-0.05) == "negative"
    assert ev.sentiment_label(0.049) == "neutral"


def test_accuracy_and_negatives_scored_positive() -> None:
    gold = ["negative", "negative", "positive", "neutral"]
    pred = ["negative", "positive", "positive", "positive"]
    assert ev.accuracy(gold, pred) == pytest.approx(0.5)
    assert ev.negatives_scored_positive(gold, pred) == pytest.approx(0.5)
    assert ev.negatives_scored_positive(["positive"], ["positive"]) == 0.0


def test_binary_f1() -> None:
    # tp=2 fp=1 fn=1 -> p=2/3 r=2/3 f=2/3
    assert ev.binary_f1([True, True, True, False, False], [True, True, False, True, False]) == pytest.approx(2 / 3)
    assert ev.binary_f1([False], [False]) == 0.0


def test_micro_and_macro_f1() -> None:
    gold = [{"a", "b"}, {"a"}, set()]
    pred = [{"a"}, {"a", "c"}, {"b"}]
    # tp=2 (a,a) fp=2 (c,b) fn=1 (b) -> p=0.5 r=2/3 f=4/7
    assert ev.micro_f1(gold, pred) == pytest.approx(4 / 7)
    per = ev.per_label_f1(gold, pred, ["a", "b", "c"])
    assert per["a"] == pytest.approx(1.0)
    assert per["b"] == 0.0 and per["c"] == 0.0
    assert ev.macro_f1(gold, pred, ["a", "b", "c"]) == pytest.approx(1 / 3)


def test_stage_sentiment_accuracy() -> None:
    acc, n = ev.stage_sentiment_accuracy([{"interview": "positive", "offer": "negative"}],
                                         [{"interview": 0.4, "offer": 0.2}])
    assert n == 2 and acc == pytest.approx(0.5)


def test_length_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        ev.accuracy(["a"], [])


ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "data" / "eval"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _splits() -> tuple[str, ...]:
    """The eval sets data/eval/build.py builds (one list for the sets, not a copy of it here)."""
    return ev.eval_splits()


def test_second_annotation_covers_every_eval_item_once_with_valid_labels() -> None:
    # bench/accuracy.py prints the "2nd annotator" column only for a split it fully covers
    rows = _rows(EVAL / "second_annotator.jsonl")
    keys = [(r["set"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys))
    stages = {"application", "screening", "interview", "offer", "rejection", "onboarding"}
    for r in rows:
        assert r["sentiment"] in ("negative", "neutral", "positive")
        assert isinstance(r["is_candidate_experience"], bool) and isinstance(r["consumer_link"], bool)
        assert set(r["stages"]) <= stages and (r["is_candidate_experience"] or not r["stages"])
        assert "text" not in r  # labels only: the texts stay in the eval sets
    for split in _splits():
        ids = {r["id"] for r in _rows(EVAL / f"{split}.jsonl")}
        assert ids == {i for s, i in keys if s == split}, split


def test_adjudicated_labels_are_the_majority_of_three_readers() -> None:
    # every change in adjudication.jsonl is in the labels now, and two readers voted for it
    second = {(r["set"], r["id"]): r for r in _rows(EVAL / "second_annotator.jsonl")}
    third = {(r["set"], r["id"]): r for r in _rows(EVAL / "third_annotator.jsonl")}
    gold = {("battery", r["id"]): r for r in _rows(ROOT / "tests/data/phrasings.jsonl")}
    for split in _splits():
        gold.update({(split, r["id"]): r for r in _rows(EVAL / f"{split}.jsonl")})
    changes = _rows(EVAL / "adjudication.jsonl")
    assert changes
    for c in changes:
        key, field = (c["set"], c["id"]), c["field"]
        assert c["was"] != c["now"] == gold[key][field] == second[key][field] == third[key][field]
        if field == "is_candidate_experience":
            assert gold[key].get("stages", []) == c["stages_now"] and (c["now"] or not c["stages_now"])
