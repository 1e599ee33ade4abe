"""Metric functions on tiny hand-computed cases, the label files beside the eval sets, and external
labelled sets (read_labelled and bench/accuracy.py --external)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import evaluation as ev
from analysis.stages import STAGES


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


def test_net_tone_bias_is_the_read_net_tone_minus_the_labelled_one() -> None:
    # labels: 2 negative, 1 neutral, 1 positive (net -0.25); read: 3 negative, 1 positive (net -0.5)
    gold = ["negative", "negative", "neutral", "positive"]
    assert ev.net_tone_bias(gold, ["negative", "negative", "negative", "positive"]) == pytest.approx(-0.25)
    # errors both ways cancel: every label wrong, the same net tone
    assert ev.net_tone_bias(gold, ["positive", "neutral", "negative", "negative"]) == pytest.approx(0.0)
    assert ev.net_tone_bias([], []) is None
    with pytest.raises(ValueError, match="length mismatch"):
        ev.net_tone_bias(gold, gold[:2])


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


def _labels_by_set() -> dict[tuple[str, str], dict]:
    """Every labelled item, the battery's and each eval set's, by (set, id) as the label records name them."""
    gold = {("battery", r["id"]): r for r in _rows(ROOT / "tests/data/phrasings.jsonl")}
    for split in _splits():
        gold.update({(split, r["id"]): r for r in _rows(EVAL / f"{split}.jsonl")})
    return gold


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
    gold = _labels_by_set()
    changes = _rows(EVAL / "adjudication.jsonl")
    assert changes
    for c in changes:
        key, field = (c["set"], c["id"]), c["field"]
        assert c["was"] != c["now"] == gold[key][field] == second[key][field] == third[key][field]
        if field == "is_candidate_experience":
            assert gold[key].get("stages", []) == c["stages_now"] and (c["now"] or not c["stages_now"])


def test_consumer_links_re_read_in_session_17_follow_the_majority_of_their_readers() -> None:
    # every item two blind readers re-read for the consumer link (data/eval/consumer_rereading.jsonl) holds
    # the majority of the written label, both readers and (where one read it) the earlier second reader
    gold = _labels_by_set()
    rows = _rows(EVAL / "consumer_rereading.jsonl")
    assert len(rows) == len({(r["set"], r["id"]) for r in rows}) > 600
    changed = 0
    for r in rows:
        votes = [r["was"], r["reader_a"], r["reader_b"]] + ([r["second_reader"]] if "second_reader" in r else [])
        against = sum(v != r["was"] for v in votes)
        assert r["now"] == (not r["was"] if against > len(votes) / 2 else r["was"]), r
        assert gold[(r["set"], r["id"])]["consumer_link"] == r["now"], r
        changed += r["now"] != r["was"]
    assert changed == 60


def _labelled(ident: str, text: str | None = "I applied and never heard back.", **labels) -> dict:
    row = {"id": ident, "sentiment": "negative", "is_candidate_experience": True, "stages": ["rejection"],
           "consumer_link": False, **labels}
    if text is not None:
        row["text"] = text
    return row


def _write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_read_labelled_reads_an_external_set_and_defaults_themes_and_companies(tmp_path: Path) -> None:
    items = ev.read_labelled(_write(tmp_path / "real.jsonl", [_labelled("r1"), "", _labelled("r2", themes=["ghosting"])]),
                             STAGES)
    assert [i["id"] for i in items] == ["r1", "r2"]
    assert items[0]["themes"] == [] and items[0]["companies"] == [] and items[1]["themes"] == ["ghosting"]
    assert items[0]["stage_sentiment"] == {}
    labels = ev.read_labelled(_write(tmp_path / "b.jsonl", [_labelled("r1", text=None)]), STAGES, with_text=False)
    assert labels[0]["stages"] == ["rejection"]
    # a byte-order mark (a file saved by a Windows editor) opens no JSON
    marked = tmp_path / "bom.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + (tmp_path / "real.jsonl").read_bytes())
    assert ev.read_labelled(marked, STAGES) == ev.read_labelled(tmp_path / "real.jsonl", STAGES)


@pytest.mark.parametrize("row, message", [
    ("{not json", "real.jsonl:1: not JSON"),
    ('["a list"]', "real.jsonl:1: expected a JSON object"),
    (_labelled(""), "real.jsonl:1: 'id' must be"),
    (_labelled("r1", text="  "), "real.jsonl:1: 'text' must be"),
    (_labelled("r1", text=None), "real.jsonl:1: 'text' must be"),
    (_labelled("r1", sentiment="bad"), "real.jsonl:1: 'sentiment' must be one of negative, neutral, positive"),
    (_labelled("r1", consumer_link="no"), "real.jsonl:1: 'consumer_link' must be true or false"),
    (_labelled("r1", stages=["lunch"]), "real.jsonl:1: 'stages' must be a list of application"),
    (_labelled("r1", is_candidate_experience=False), "real.jsonl:1: 'stages' must be [] when"),
    (_labelled("r1", themes="ghosting"), "real.jsonl:1: 'themes' must be a list"),
    (_labelled("r1", stage_sentiment={"offer": "negative"}), "real.jsonl:1: 'stage_sentiment' must map some of its"),
    (_labelled("r1", stage_sentiment={"rejection": "sad"}), "real.jsonl:1: 'stage_sentiment' must map some of its"),
])
def test_read_labelled_names_the_line_and_field_of_a_bad_row(tmp_path: Path, row, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        ev.read_labelled(_write(tmp_path / "real.jsonl", [row]), STAGES)


def test_read_labelled_refuses_a_repeated_id_and_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"real.jsonl:2: 'id' must be a string, unique"):
        ev.read_labelled(_write(tmp_path / "real.jsonl", [_labelled("r1"), _labelled("r1")]), STAGES)
    with pytest.raises(ValueError, match="no labelled items"):
        ev.read_labelled(_write(tmp_path / "empty.jsonl", [""]), STAGES)


def _accuracy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "accuracy.py"), *args],
                          capture_output=True, text=True, timeout=300)


def test_accuracy_bench_scores_an_external_set_and_a_second_reader(tmp_path: Path) -> None:
    # a held-out set of real posts lives outside the repository; these two rows are synthetic
    gold = _write(tmp_path / "real.jsonl", [
        _labelled("r1", "Applied to Brightwater in May, never heard a word back. Three months now."),
        _labelled("r2", "Ten tips for writing a cover letter that gets read.", sentiment="neutral",
                  is_candidate_experience=False, stages=[]),
    ])
    second = _write(tmp_path / "b.jsonl", [_labelled("r2", text=None), _labelled("r1", text=None)])
    done = _accuracy("--external", str(gold), "--second", str(second))
    assert done.returncode == 0, done.stderr
    assert "== real.jsonl (2 texts) ==" in done.stdout and "== holdout" not in done.stdout
    table = {line[:28].strip(): line[28:].split() for line in done.stdout.splitlines() if line[:28].strip()}
    assert table["metric"] == ["hirepulse", "plain", "VADER", "keyword", "2nd", "annotator", "95%", "interval"]
    # the second reader agrees on r1 and calls r2 a negative candidate experience: CE F1 2/3, sentiment 1/2
    assert table["sentiment accuracy"][-2] == "0.500" and table["candidate-exp F1"][-2] == "0.667"
    assert float(table["sentiment accuracy"][0]) >= 0.5  # the hirepulse column reads the texts themselves
    # an external set always has hirepulse's bootstrap interval, around its figure
    low, high = map(float, table["sentiment accuracy"][-1].split("-"))
    assert low <= float(table["sentiment accuracy"][0]) <= high
    # no per-stage or company labels in the set: those lines say "-", not a score of 0 (nor an interval)
    assert table["stage sentiment acc"][0] == table["companies micro-F1"][0] == "-"
    assert table["stage sentiment acc"][-1] == "-"


def test_accuracy_bench_scores_several_external_sets_apart_and_pooled(tmp_path: Path) -> None:
    # two sets' test halves, each with its own "r1" (synthetic rows): both tables, then one over all three texts
    (tmp_path / "set4").mkdir()
    (tmp_path / "set5").mkdir()
    a = _write(tmp_path / "set4" / "gold_test.jsonl", [
        _labelled("r1", "Applied to Brightwater in May, never heard a word back. Three months now.",
                  themes=["ghosting"]),
        _labelled("r2", "Ten tips for writing a cover letter that gets read.", sentiment="neutral",
                  is_candidate_experience=False, stages=[])])
    b = _write(tmp_path / "set5" / "gold_test.jsonl", [
        _labelled("r1", "The Fernhill recruiter rang the same afternoon and the offer was fair. Lovely people.",
                  sentiment="positive", stages=["offer"])])
    done = _accuracy("--external", str(a), str(b))
    assert done.returncode == 0, done.stderr
    heads = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert heads == ["== set4/gold_test.jsonl (2 texts) ==", "== set5/gold_test.jsonl (1 texts) ==",
                     "== 2 sets pooled (3 texts) =="]
    tables = done.stdout.split("== ")[1:]
    themes = [next(line.split()[2] for line in t.splitlines() if line.startswith("themes micro-F1")) for t in tables]
    # set 5 was read without themes: "-" there, and the pooled figure is set 4's, not lowered by set 5's
    # texts counted as having none (the analyzer reads "fair_offer" or the like into its happy story)
    assert themes[1] == "-" and themes[2] == themes[0] != "-"
    done = _accuracy("--external", str(a), str(b), "--second", str(a))
    assert done.returncode == 2 and "--second needs exactly one --external file" in done.stderr


def test_bootstrap_intervals_resample_the_items() -> None:
    def accuracy_of(gold: list[str], pred: list[str]):
        return lambda at: {"accuracy": ev.accuracy([gold[k] for k in at], [pred[k] for k in at]), "unread": None}

    # every item right: every resample reads 1.0; a figure not read on the set has no interval
    assert ev.bootstrap_intervals(accuracy_of(["pos"] * 5, ["pos"] * 5), 5) == {"accuracy": (1.0, 1.0), "unread": None}
    # one item: every resample is that item
    assert ev.bootstrap_intervals(accuracy_of(["pos"], ["neg"]), 1)["accuracy"] == (0.0, 0.0)
    # half right: the interval holds the figure, is repeatable for a seed, and narrows with more items
    small = ev.bootstrap_intervals(accuracy_of(["pos", "neg"] * 20, ["pos", "pos"] * 20), 40)["accuracy"]
    large = ev.bootstrap_intervals(accuracy_of(["pos", "neg"] * 200, ["pos", "pos"] * 200), 400)["accuracy"]
    assert small[0] < 0.5 < small[1] and large[0] < 0.5 < large[1]
    assert large[1] - large[0] < (small[1] - small[0]) / 2  # (the width falls as one over the root of n)
    assert 0.08 < large[1] - large[0] < 0.12  # 2 x 1.96 x sqrt(0.25 / 400) = 0.098
    assert ev.bootstrap_intervals(accuracy_of(["pos", "neg"] * 20, ["pos", "pos"] * 20), 40)["accuracy"] == small
    with pytest.raises(ValueError, match="level"):
        ev.bootstrap_intervals(accuracy_of(["pos"], ["pos"]), 1, level=1.5)
    with pytest.raises(ValueError, match="no items"):
        ev.bootstrap_intervals(accuracy_of([], []), 0)


def test_accuracy_bench_refuses_bad_external_input_in_one_line(tmp_path: Path) -> None:
    gold = _write(tmp_path / "real.jsonl", [_labelled("r1")])
    for args, message in ((("--external", str(tmp_path / "missing.jsonl")), "missing.jsonl"),
                          (("--external", str(_write(tmp_path / "bad.jsonl", ["{"]))), "bad.jsonl:1: not JSON"),
                          (("--external", str(gold), "--errors", "3"), "never inspect held-out items"),
                          (("--second", str(gold)), "--second needs --external"),
                          (("--external", str(gold), "--second", str(_write(tmp_path / "b.jsonl", [
                              _labelled("r9", text=None)]))), "no labels for 1 ids, e.g. r1")):
        done = _accuracy(*args)
        assert done.returncode == 2 and message in done.stderr.strip().splitlines()[-1], (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_reading_scores_of_results_against_labelled_items() -> None:
    from types import SimpleNamespace as R
    items = [{"sentiment": "negative", "is_candidate_experience": True, "stages": ["interview", "rejection"],
              "consumer_link": True},
             {"sentiment": "negative", "is_candidate_experience": False, "stages": [], "consumer_link": False},
             {"sentiment": "positive", "is_candidate_experience": True, "stages": ["offer"], "consumer_link": False}]
    results = [R(sentiment=-0.4, is_candidate_experience=True, stages=("rejection",), consumer_link=True),
               R(sentiment=0.3, is_candidate_experience=True, stages=("offer",), consumer_link=False),
               R(sentiment=0.01, is_candidate_experience=True, stages=("offer",), consumer_link=False)]
    scores = ev.reading_scores(items, results)
    assert scores["sentiment"] == pytest.approx(1 / 3)
    assert scores["negatives_scored_positive"] == pytest.approx(0.5)
    assert scores["candidate_experience_f1"] == pytest.approx(0.8)
    assert scores["consumer_link_f1"] == pytest.approx(1.0)
    # stages over the items labelled as candidate experiences only (the second item's "offer" is not counted)
    assert scores["stage_micro_f1"] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="length mismatch"):
        ev.reading_scores(items, results[:2])


def test_the_accuracy_benchs_keyword_baseline_reads_a_stage_tone_and_scores_it(tmp_path: Path) -> None:
    # the baseline gives each stage it finds the text's keyword tone, so its per-stage tone line compares
    spec = importlib.util.spec_from_file_location("accuracy_bench", Path(__file__).resolve().parents[1] / "bench" / "accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    got = bench.keyword_baseline("My interview was great and the recruiter was friendly.")
    assert got["stages"] and got["stage_sentiment"] == {s: 1.0 for s in got["stages"]}
    assert bench.keyword_baseline("Great tents.")["stage_sentiment"] == {}
    gold = [{**_labelled("r1", text="My interview was great."), "stages": ["interview"],
             "stage_sentiment": {"interview": "positive"}, "themes": [], "companies": []}]
    assert bench.metrics(gold, [bench.keyword_baseline(gold[0]["text"])])["stage sentiment acc"] == 1.0


def test_sure_readings_scores_the_sure_and_the_unsure_apart() -> None:
    gold = ["negative", "negative", "positive", "neutral", "negative"]
    read = ["negative", "positive", "negative", "neutral", "positive"]
    sure = [0.95, 0.92, 0.4, None, 0.6]  # None (no tone model) counts as unsure
    got = ev.sure_readings(gold, read, sure, 0.9)
    assert got == {"sure tone readings": 0.4, "sentiment acc., sure": 0.5, "sentiment acc., unsure": 1 / 3,
                   "neg. scored pos., sure": 0.5}
    nothing_sure = ev.sure_readings(gold, read, [0.1] * 5, 0.9)
    assert nothing_sure["sentiment acc., sure"] is None and nothing_sure["neg. scored pos., sure"] is None
    with pytest.raises(ValueError):
        ev.sure_readings(gold, read, sure[:4], 0.9)
