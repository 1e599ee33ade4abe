"""bench/realset.py: the steps that turn collected real posts into a gold set kept outside the repository.
Every text here is synthetic."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("realset", ROOT / "bench" / "realset.py")
realset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(realset)  # type: ignore[union-attr]


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


COLLECTED = [
    {"rid": "rA001", "url": "https://a.example/1", "text": "Applied in May.\n\nNever heard back."},
    {"rid": "rA002", "url": "https://a.example/2", "text": "The recruiter  kept me posted every week."},
    {"rid": "rA003", "url": "https://a.example/1", "text": "Same page again, another span."},
    {"rid": "rB001", "url": "https://b.example/9", "text": "the recruiter kept me posted every week."},
    {"rid": "rB002", "url": "https://b.example/3", "text": "Five ways to follow up after an interview."},
]


def _label(ident: str, sentiment="negative", ce=True, stages=("rejection",), link=False) -> dict:
    return {"id": ident, "sentiment": sentiment, "is_candidate_experience": ce, "stages": list(stages),
            "consumer_link": link}


def test_blind_merges_drops_repeated_urls_and_texts_and_shuffles_reproducibly(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "collect.jsonl", COLLECTED)
    assert realset.main(["blind", str(src), "--out", str(tmp_path / "set")]) == 0
    texts = _read(tmp_path / "set" / "texts.jsonl")
    sources = _read(tmp_path / "set" / "sources.jsonl")
    assert [t["id"] for t in texts] == ["R001", "R002", "R003"]
    assert set(texts[0]) == {"id", "text"}  # the readers see no URL and no collector's id
    assert sorted(s["rid"] for s in sources) == ["rA001", "rA002", "rB002"]
    by_rid = {s["rid"]: s["id"] for s in sources}
    assert {t["id"]: t["text"] for t in texts}[by_rid["rA001"]] == "Applied in May.\n\nNever heard back."
    realset.main(["blind", str(src), "--out", str(tmp_path / "again")])
    assert _read(tmp_path / "again" / "texts.jsonl") == texts
    split = json.loads((tmp_path / "set" / "split.json").read_text(encoding="utf-8"))
    assert split == json.loads((tmp_path / "again" / "split.json").read_text(encoding="utf-8"))
    assert sorted(split["dev"] + split["test"]) == ["R001", "R002", "R003"] and len(split["dev"]) == 1


def test_the_halves_are_drawn_at_random_not_by_position(tmp_path: Path) -> None:
    rows = [{"rid": f"r{n}", "url": f"https://a.example/{n}", "text": f"Synthetic post number {n}."}
            for n in range(200)]
    realset.main(["blind", str(_jsonl(tmp_path / "c.jsonl", rows)), "--out", str(tmp_path / "set")])
    split = json.loads((tmp_path / "set" / "split.json").read_text(encoding="utf-8"))
    assert len(split["dev"]) == len(split["test"]) == 100 and not set(split["dev"]) & set(split["test"])
    first_half = {f"R{n:03d}" for n in range(1, 101)}
    assert 30 < len(first_half & set(split["dev"])) < 70


def _blinded(tmp_path: Path) -> Path:
    folder = tmp_path / "set"
    folder.mkdir()
    _jsonl(folder / "texts.jsonl", [{"id": "R001", "text": "Ghosted after the final round."},
                                    {"id": "R002", "text": "Ten tips for your cover letter."}])
    return folder


def test_disagreements_and_gold_settle_each_field_by_agreement_or_the_third_reader(tmp_path: Path) -> None:
    folder = _blinded(tmp_path)
    a = _jsonl(tmp_path / "a.jsonl", [_label("R001", stages=("interview", "rejection")),
                                      _label("R002", sentiment="neutral", ce=False, stages=())])
    b = _jsonl(tmp_path / "b.jsonl", [_label("R002", sentiment="positive", ce=True, stages=("application",)),
                                      _label("R001", stages=("rejection", "interview"))])
    assert realset.main(["disagreements", str(folder), "--readers", str(a), str(b)]) == 0
    rows = _read(folder / "disagreements.jsonl")
    assert [(r["id"], r["field"], r["a"], r["b"]) for r in rows] == [
        ("R002", "sentiment", "neutral", "positive"), ("R002", "is_candidate_experience", False, True),
        ("R002", "stages", [], ["application"])]  # R001's stages are the same set in another order
    # without the third reader's decisions there is no gold, and nothing is written
    assert realset.main(["gold", str(folder), "--readers", str(a), str(b)]) == 2
    assert not (folder / "gold.jsonl").exists()
    c = _jsonl(tmp_path / "c.jsonl", [{"id": "R002", "field": "sentiment", "value": "neutral"},
                                      {"id": "R002", "field": "is_candidate_experience", "value": False},
                                      {"id": "R002", "field": "stages", "value": ["application"]}])
    assert realset.main(["gold", str(folder), "--readers", str(a), str(b), "--adjudication", str(c)]) == 0
    assert realset.agreement(folder, [a, b]) == pytest.approx(
        {"sentiment": 0.5, "stages": 0.8, "is_candidate_experience": 2 / 3, "consumer_link": 0.0})
    gold = _read(folder / "gold.jsonl")
    assert not (folder / "gold_dev.jsonl").exists()  # no split.json here: no halves
    (folder / "split.json").write_text('{"dev": ["R002"], "test": ["R001"]}', encoding="utf-8")
    assert realset.main(["gold", str(folder), "--readers", str(a), str(b), "--adjudication", str(c)]) == 0
    assert _read(folder / "gold_dev.jsonl") == [gold[1]] and _read(folder / "gold_test.jsonl") == [gold[0]]
    assert gold[0] == {"id": "R001", "text": "Ghosted after the final round.", "sentiment": "negative",
                       "is_candidate_experience": True, "stages": ["interview", "rejection"], "consumer_link": False}
    assert gold[1]["stages"] == [] and gold[1]["sentiment"] == "neutral"  # not a candidate experience: no stages


@pytest.mark.parametrize("verb, rows, message", [
    ("blind", ["{"], "collect.jsonl:1: not JSON"),
    ("blind", [{"rid": "x", "text": "no url"}], "row 1: needs a non-empty 'text' and 'url'"),
    ("gold", [_label("R001")], "a.jsonl: no labels for 1 of 2 texts, e.g. R002"),
    ("gold", [_label("R001", sentiment="angry"), _label("R002")], "a.jsonl:1: 'sentiment' must be one of"),
])
def test_a_bad_input_stops_the_step_with_one_line_and_writes_nothing(tmp_path: Path, capsys, verb, rows,
                                                                     message) -> None:
    if verb == "blind":
        args = ["blind", str(_jsonl(tmp_path / "collect.jsonl", rows)), "--out", str(tmp_path / "set")]
        written = tmp_path / "set" / "texts.jsonl"
    else:
        folder = _blinded(tmp_path)
        good = _jsonl(tmp_path / "b.jsonl", [_label("R001"), _label("R002")])
        args = ["gold", str(folder), "--readers", str(_jsonl(tmp_path / "a.jsonl", rows)), str(good)]
        written = folder / "gold.jsonl"
    assert realset.main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not written.exists()


def test_an_adjudication_row_must_name_a_field_and_a_value_it_allows(tmp_path: Path, capsys) -> None:
    folder = _blinded(tmp_path)
    a = _jsonl(tmp_path / "a.jsonl", [_label("R001"), _label("R002")])
    c = _jsonl(tmp_path / "c.jsonl", [{"id": "R001", "field": "stages", "value": ["lunch"]}])
    assert realset.main(["gold", str(folder), "--readers", str(a), str(a), "--adjudication", str(c)]) == 2
    assert "c.jsonl: row 1: 'field' must be one of" in capsys.readouterr().err
