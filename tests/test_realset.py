"""bench/realset.py: the steps that turn collected real posts into a gold set kept outside the repository.
Every text here is synthetic."""

from __future__ import annotations

import importlib.util
import json
import re
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


# The helpers' prompts are made from the briefs as they stand; the tests read them too, and build nothing from a copy.
BRIEFS = (ROOT / "data" / "eval" / "real_posts" / "briefs.md").read_text(encoding="utf-8")
# What no prompt may hold: the briefs' placeholders (OUTPUT_PATH only as the label of a path), a round the helper
# never saw, the project's files.
UNFILLED = re.compile(r'N texts|"rX"|\(a file outside the repository\)|OUTPUT_PATH(?! = /)|PREFIX(?! = "r[A-Z]")'
                      r'|USED_URLS|TEXTS|DISAGREEMENTS|as in the \w+ round|bench/realset\.py')


def _section(heading: str) -> str:
    """The text under the heading that starts with ``heading`` (rest of its line dropped), up to the next heading."""
    after = BRIEFS.split("\n" + heading, 1)[1].split("\n", 1)[1]
    return after.split("\n#", 1)[0].strip()


def _angles(round_name: str) -> list[str]:
    section = _section(f"### Angles of the {round_name} round")
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def _prompts(tmp_path: Path, *args: str) -> int:
    return realset.main(["prompts", str(tmp_path / "set"), "--out", str(tmp_path / "prompts"), *args])


def test_a_rounds_collectors_get_the_common_rules_their_angle_and_the_list_it_names(tmp_path: Path, capsys) -> None:
    used = tmp_path / "used_urls.txt"
    used.write_text("https://a.example/1\n", encoding="utf-8")
    assert _prompts(tmp_path, "--round", "Sixth", "--used-urls", str(used)) == 0
    out, angles = tmp_path / "prompts", _angles("sixth")
    files = sorted(out.glob("collector_*.prompt.txt"))
    assert len(files) == len(angles) == 6
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(angles) + 3 and all(str(out) in line for line in printed)
    assert printed[0] == f"collector rA (candidate stories, 100 texts): {out / 'collector_rA.prompt.txt'}"
    rules = _section("### Common rules").replace("USED_URLS", str(used))
    lists = {name: _section(f"### Target list: {name}") for name in ("candidate stories", "other voices")}
    prefixes = []
    for i, (path, angle) in enumerate(zip(files, angles)):
        prompt = path.read_text(encoding="utf-8")
        prefix = prompt.split('PREFIX = "', 1)[1][:2]
        prefixes.append(prefix)
        output = out / f"collected_{prefix}.jsonl"
        for line in rules.splitlines():  # every line of the rules, with its placeholders filled
            line = line.replace("OUTPUT_PATH", str(output)).replace("PREFIX0", prefix + "0")
            assert line in prompt, (path.name, line)
        assert f'TARGET for you: 100 texts, PREFIX = "{prefix}", OUTPUT_PATH = {output}\n' in prompt
        name = "other voices" if angle.startswith("(other voices") else "candidate stories"
        other = "candidate stories" if name == "other voices" else "other voices"
        assert lists[name].split("\n", 1)[1] in prompt and lists[other].split("\n", 1)[1] not in prompt
        assert prompt.endswith(f"Your angle: {angle}\n")
        assert not [a for a in angles if a != angle and a in prompt]
        assert not UNFILLED.findall(prompt), path.name
    assert prefixes == [f"r{c}" for c in "ABCDEF"]  # in the angles' order, each its own


def test_without_used_urls_the_rule_goes_and_an_angle_as_in_another_round_gets_its_words(tmp_path: Path) -> None:
    assert _prompts(tmp_path, "--round", "fifth", "--texts", "7") == 0
    prompt = (tmp_path / "prompts" / "collector_rB.prompt.txt").read_text(encoding="utf-8")
    assert "USED_URLS" not in prompt and "already used in an earlier round" not in prompt
    assert "only your output file. Do not run" in prompt
    assert "\n- Other collectors work in parallel on other angles; keep to yours.\n" in prompt
    assert "TARGET for you: 7 texts," in prompt
    short = next(a for a in _angles("third") if a.startswith("(candidate stories) SHORT texts:"))
    assert prompt.endswith(f"Your angle: {short}\n")  # "SHORT texts, as in the third round": that round's words
    for path in (tmp_path / "prompts").iterdir():
        assert not UNFILLED.findall(path.read_text(encoding="utf-8")), path.name


def test_angles_that_name_no_target_list_take_one_from_target(tmp_path: Path, capsys) -> None:
    assert _prompts(tmp_path, "--round", "second") == 2
    assert "--target" in capsys.readouterr().err and not (tmp_path / "prompts").exists()
    assert _prompts(tmp_path, "--round", "second", "--target", "candidate", "candidate", "other", "other") == 0
    out = tmp_path / "prompts"
    stories = _section("### Target list: candidate stories").split("\n", 1)[1]
    assert [stories in (out / f"collector_r{c}.prompt.txt").read_text(encoding="utf-8") for c in "ABCD"] == [
        True, True, False, False]
    # one list for every such angle; N from the round's heading ("80 texts each"), else 100
    assert realset.main(["prompts", str(tmp_path / "set"), "--out", str(tmp_path / "fourth"), "--round", "fourth",
                         "--target", "candidate stories"]) == 0
    fourth = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "fourth").glob("collector_*"))]
    assert len(fourth) == 3 and all(stories in f and "TARGET for you: 80 texts," in f for f in fourth)
    # the fourth round's own "what to look for", a list of its own in the briefs
    assert realset.main(["prompts", str(tmp_path / "set"), "--out", str(tmp_path / "customer"), "--round", "fourth",
                         "--target", "customer"]) == 0
    custom = _section("### Target list: customer stories").split("\n", 1)[1]
    got = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "customer").glob("collector_*"))]
    assert len(got) == 3 and all(custom in f and stories not in f for f in got)


def test_the_readers_read_the_sets_texts_and_the_third_reader_its_disagreements(tmp_path: Path) -> None:
    assert _prompts(tmp_path) == 0  # without --round: the readers only
    out, folder = tmp_path / "prompts", tmp_path / "set"
    assert sorted(p.name for p in out.iterdir()) == ["reader_A.prompt.txt", "reader_B.prompt.txt",
                                                     "third_reader.prompt.txt"]
    for reader in "AB":
        prompt = (out / f"reader_{reader}.prompt.txt").read_text(encoding="utf-8")
        assert f"Read ONLY your input file: {folder / 'texts.jsonl'}. Do NOT open" in prompt
        assert f"\nInput: {folder / 'texts.jsonl'} — one JSON line per text" in prompt
        assert f"\nOutput: {out / f'reader_{reader}.jsonl'} — exactly one JSON line" in prompt
        assert _section("## 2. Readers").split("Label definitions:", 1)[1] in prompt
        assert not UNFILLED.findall(prompt)
    third = (out / "third_reader.prompt.txt").read_text(encoding="utf-8")
    assert f"Read ONLY your input file: {folder / 'disagreements.jsonl'} (and this brief)." in third
    assert f"\nOutput: {out / 'third_reader.jsonl'} — one JSON line per input row" in third
    assert not UNFILLED.findall(third)


@pytest.mark.parametrize("args, message", [
    (["--round", "ninth"], "no round 'ninth' in briefs.md (its rounds: second, third, fourth, fifth, sixth"),
    (["--round", "fifth", "--target", "other"], "every angle of the fifth round names its target list"),
    (["--round", "fifth", "--used-urls", "/nonexistent/used.txt"], "--used-urls /nonexistent/used.txt: no such"),
])
def test_a_bad_request_stops_with_one_line_and_writes_nothing(tmp_path: Path, capsys, args, message) -> None:
    assert _prompts(tmp_path, *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (tmp_path / "prompts").exists()


@pytest.mark.parametrize("before, after, left", [
    ("### Common rules\n\n", "### Common rules\n\nStop by END_DATE.\n", "END_DATE"),  # a new placeholder
    ('PREFIX = "rX"', 'PREFIX: "rX"', "PREFIX"),  # a placeholder written another way
])
def test_a_placeholder_left_unfilled_stops_the_step_and_writes_nothing(tmp_path: Path, capsys, before, after,
                                                                       left) -> None:
    assert before in BRIEFS
    briefs = tmp_path / "briefs.md"
    briefs.write_text(BRIEFS.replace(before, after), encoding="utf-8")
    assert _prompts(tmp_path, "--round", "sixth", "--briefs", str(briefs)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"would still hold the placeholder '{left}" in err[0], err
    assert not (tmp_path / "prompts").exists()


def test_prompt_files_already_there_are_kept_unless_force(tmp_path: Path, capsys) -> None:
    assert _prompts(tmp_path, "--round", "sixth") == 0
    first = tmp_path / "prompts" / "collector_rA.prompt.txt"
    first.write_text("an earlier prompt", encoding="utf-8")
    assert _prompts(tmp_path, "--round", "seventh") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds prompt files already" in err[0] and "--force" in err[0], err
    assert first.read_text(encoding="utf-8") == "an earlier prompt"
    assert _prompts(tmp_path, "--round", "seventh", "--force") == 0
    assert first.read_text(encoding="utf-8").endswith(f"Your angle: {_angles('seventh')[0]}\n")
    assert "TARGET for you: 100 texts," in first.read_text(encoding="utf-8")  # the seventh round gives no N
    assert not list((tmp_path / "prompts").glob("*.part"))


def test_an_angles_own_count_is_named_when_the_collectors_get_another_number(tmp_path: Path, capsys) -> None:
    # the sixth round's angles say "at least 50 of the 100"; a round of 60 texts each keeps those words
    assert _prompts(tmp_path, "--round", "sixth", "--texts", "60") == 0
    printed = capsys.readouterr().out.splitlines()
    counted = [a for a in _angles("sixth") if "of the 100" in a]
    assert counted and sum("its angle says 'of the 100'" in line for line in printed) == len(counted)
    assert _prompts(tmp_path, "--round", "sixth", "--force") == 0  # the round's own 100: nothing to say
    assert not any("its angle says" in line for line in capsys.readouterr().out.splitlines())


# A set too long for one reader helper is read in parts: prompts splits it, disagreements and gold join the parts.

def _texts(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"R{i:03d}", "text": f"Synthetic post {i}: applied — “never heard back”."}
            for i in range(1, n + 1)]
    _jsonl(folder / "texts.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    return [r["id"] for r in rows]


@pytest.mark.parametrize("n, parts, sizes", [(7, 3, [2, 2, 3]), (347, 2, [173, 174]), (5, 5, [1] * 5),
                                             (23, 10, [2, 2, 2, 3, 2, 2, 3, 2, 2, 3])])
def test_parts_cover_the_texts_once_in_order_each_with_its_own_readers(tmp_path: Path, capsys, n, parts,
                                                                      sizes) -> None:
    folder, out = tmp_path / "set", tmp_path / "prompts"
    ids = _texts(folder, n)
    assert _prompts(tmp_path, "--parts", str(parts)) == 0
    tags = [f"part{i:0{len(str(parts))}d}" for i in range(1, parts + 1)]  # part01 ... from ten parts on
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"texts.{t}.jsonl" for t in tags] + [f"reader_{r}.{t}.prompt.txt" for r in "AB" for t in tags]
        + ["third_reader.prompt.txt"])
    chunks = [(out / f"texts.{t}.jsonl").read_bytes() for t in tags]
    assert b"".join(chunks) == (folder / "texts.jsonl").read_bytes()  # every text once, in order, byte for byte
    assert [len(_read(out / f"texts.{t}.jsonl")) for t in tags] == sizes and max(sizes) - min(sizes) <= 1
    printed = capsys.readouterr().out.splitlines()
    start = 0
    for i, (tag, size) in enumerate(zip(tags, sizes), 1):
        first, last = ids[start], ids[start + size - 1]
        start += size
        assert f"texts, part {i} of {parts} ({size} texts, {first} to {last}): {out / f'texts.{tag}.jsonl'}" in printed
        for reader in "AB":
            prompt = (out / f"reader_{reader}.{tag}.prompt.txt").read_text(encoding="utf-8")
            assert f"Read ONLY your input file: {out / f'texts.{tag}.jsonl'}. Do NOT open" in prompt
            assert f"\nInput: {out / f'texts.{tag}.jsonl'} — one JSON line per text" in prompt
            assert f"\nOutput: {out / f'reader_{reader}.{tag}.jsonl'} — exactly one JSON line" in prompt
            assert "texts.jsonl" not in prompt.replace(f"texts.{tag}.jsonl", "") and not UNFILLED.findall(prompt)
            assert (f"reader {reader}, part {i} of {parts} ({size} texts, {first} to {last}): "
                    f"{out / f'reader_{reader}.{tag}.prompt.txt'}") in printed
    third = (out / "third_reader.prompt.txt").read_text(encoding="utf-8")  # one third reader, as without parts
    assert f"Read ONLY your input file: {folder / 'disagreements.jsonl'} (and this brief)." in third
    joined = [",".join(str(out / f"reader_{r}.{t}.jsonl") for t in tags) for r in "AB"]
    assert printed[-1] == f"then: disagreements {folder} --readers {joined[0]} {joined[1]}"
    # text parts already there stop the step as prompt files do; --force rewrites them
    for path in out.glob("*.prompt.txt"):
        path.unlink()
    assert _prompts(tmp_path, "--parts", str(parts)) == 2 and "holds prompt files already" in capsys.readouterr().err
    assert _prompts(tmp_path, "--parts", str(parts), "--force") == 0
    assert b"".join((out / f"texts.{t}.jsonl").read_bytes() for t in tags) == (folder / "texts.jsonl").read_bytes()


def test_one_part_is_the_readers_prompts_of_old(tmp_path: Path, capsys) -> None:
    assert _prompts(tmp_path) == 0  # no texts.jsonl needed: the collectors' prompts come before blind
    without = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "prompts").iterdir()}
    printed = capsys.readouterr().out
    assert realset.main(["prompts", str(tmp_path / "set"), "--out", str(tmp_path / "one"), "--parts", "1"]) == 0
    assert {p.name: p.read_text(encoding="utf-8").replace(str(tmp_path / "one"), str(tmp_path / "prompts"))
            for p in (tmp_path / "one").iterdir()} == without
    assert sorted(without) == ["reader_A.prompt.txt", "reader_B.prompt.txt", "third_reader.prompt.txt"]
    assert capsys.readouterr().out == printed.replace(str(tmp_path / "prompts"), str(tmp_path / "one"))


@pytest.mark.parametrize("texts, parts, message", [
    (None, "2", "--parts 2: no {texts} to split yet (blind writes it)"),
    (3, "4", "--parts 4: {texts} holds only 3 texts"),
    (3, "0", "--parts 0: a set is read in 1 part or more"),
])
def test_parts_need_the_sets_texts_and_no_more_parts_than_texts(tmp_path: Path, capsys, texts, parts,
                                                                message) -> None:
    if texts:
        _texts(tmp_path / "set", texts)
    assert _prompts(tmp_path, "--parts", parts) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message.format(texts=tmp_path / "set" / "texts.jsonl") in err[0], err
    assert not (tmp_path / "prompts").exists()


def _read_in_parts(tmp_path: Path) -> tuple[Path, dict[str, list[Path]], Path]:
    """A set of five texts read in parts (2 and 3 texts) by readers A and B, whose parts are also joined by hand
    (key "A" and "B": the one joined file), and a third reader's decisions."""
    folder = tmp_path / "set"
    _texts(folder, 5)
    (folder / "split.json").write_text('{"dev": ["R001", "R004"], "test": ["R002", "R003", "R005"]}',
                                       encoding="utf-8")
    labels = {"A": [_label("R001"), _label("R002", sentiment="neutral", ce=False, stages=()), _label("R003"),
                    _label("R004", stages=("interview",)), _label("R005", link=True)],
              "B": [_label("R001"), _label("R002", sentiment="positive", ce=True, stages=("offer",)), _label("R003"),
                    _label("R004", stages=("interview", "rejection")), _label("R005")]}
    files: dict[str, list[Path]] = {}
    for reader, rows in labels.items():
        files[reader] = [_jsonl(tmp_path / f"reader_{reader}.jsonl", rows)]
        files[reader + "parts"] = [_jsonl(tmp_path / f"reader_{reader}.part1.jsonl", rows[:2]),
                                   _jsonl(tmp_path / f"reader_{reader}.part2.jsonl", rows[2:])]
    c = _jsonl(tmp_path / "c.jsonl", [{"id": "R002", "field": "sentiment", "value": "neutral"},
                                      {"id": "R002", "field": "is_candidate_experience", "value": False},
                                      {"id": "R002", "field": "stages", "value": []},
                                      {"id": "R004", "field": "stages", "value": ["interview"]},
                                      {"id": "R005", "field": "consumer_link", "value": True}])
    return folder, files, c


def _joined(paths: list[Path]) -> str:
    return ",".join(str(p) for p in paths)


def test_disagreements_and_gold_from_a_readers_parts_equal_those_from_the_parts_joined(tmp_path: Path) -> None:
    folder, files, c = _read_in_parts(tmp_path)
    results = {}
    for way in ("", "parts"):
        readers = [_joined(files["A" + way]), _joined(files["B" + way])]
        assert realset.main(["disagreements", str(folder), "--readers", *readers]) == 0
        assert realset.main(["gold", str(folder), "--readers", *readers, "--adjudication", str(c)]) == 0
        results[way] = {name: (folder / name).read_bytes() for name in
                        ("disagreements.jsonl", "gold.jsonl", "gold_dev.jsonl", "gold_test.jsonl")}
        for name in results[way]:
            (folder / name).unlink()
    assert results["parts"] == results[""]
    assert [(r["id"], r["field"]) for r in json.loads("[" + ",".join(
        results[""]["disagreements.jsonl"].decode().splitlines()) + "]")] == [
        ("R002", "sentiment"), ("R002", "is_candidate_experience"), ("R002", "stages"), ("R004", "stages"),
        ("R005", "consumer_link")]
    assert realset.agreement(folder, [files["Aparts"], files["Bparts"]]) == realset.agreement(
        folder, [files["A"][0], files["B"][0]])


@pytest.mark.parametrize("verb", ["disagreements", "gold"])
@pytest.mark.parametrize("order, message", [
    ([1, 0], "reader_A.part2.jsonl:1: 'id' is R003, where texts.jsonl has R001 (a part left out or out of order?)"),
    ([1], "reader_A.part2.jsonl: no labels for 2 of 5 texts, e.g. R001"),  # one file: read as a whole reader's
    ([0], "reader_A.part1.jsonl: no labels for 3 of 5 texts, e.g. R003"),
    ([0, 0], "reader_A.part1.jsonl:1: 'id' is R001, where texts.jsonl has R003 (a part left out or out of order?)"),
    ([0, 1, 1], "reader_A.part2.jsonl:1: 'id' is R003, after texts.jsonl's last text (R005)"),
    ([0, 2], "reader_A.part3.jsonl:2: 'id' is R005, where texts.jsonl has R004 (a reader's files, joined in"),
    ([0, 3], "reader_A.part4.jsonl:2: 'sentiment' must be one of"),
])
def test_a_part_left_out_out_of_order_or_bad_stops_with_one_line_and_writes_nothing(
        tmp_path: Path, capsys, verb, order, message) -> None:
    folder, files, c = _read_in_parts(tmp_path)
    rows = _read(files["A"][0])
    _jsonl(tmp_path / "reader_A.part3.jsonl", [rows[2], rows[4], rows[3]])  # its rows out of order
    _jsonl(tmp_path / "reader_A.part4.jsonl", [rows[2], dict(rows[3], sentiment="angry"), rows[4]])
    parts = [tmp_path / f"reader_A.part{i + 1}.jsonl" for i in order]
    extra = ["--adjudication", str(c)] if verb == "gold" else []
    assert realset.main([verb, str(folder), "--readers", _joined(parts), _joined(files["Bparts"]), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and str(parts[0].parent) in err[0], err
    assert not [p.name for p in folder.iterdir() if p.name not in ("texts.jsonl", "split.json")]
