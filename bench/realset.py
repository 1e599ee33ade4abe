"""Build a held-out set of real posts, kept outside the repository, for `bench/accuracy.py --external`.

Real posts may not be copied into this repository, so the set lives in a folder of the organiser's
choice. The steps, each a verb of this script:

  prompts DIR --out PROMPTS [--round NAME [--texts N] [--used-urls FILE] [--target LIST...]] [--parts K] [--force]
      Each helper's instructions, taken from data/eval/real_posts/briefs.md as it stands when this runs,
      with its placeholders filled, one file per helper in PROMPTS (each helper writes its output there
      too). With --round (e.g. fifth, the round of the "Angles of the fifth round" heading), one collector
      per angle: collector_rA.prompt.txt, rB, ... in the angles' order, each the common rules, the target
      list the angle names in parentheses, and the angle; N texts (default the heading's "N texts each",
      else 100), PREFIX rA..., OUTPUT_PATH PROMPTS/collected_rA.jsonl...; USED_URLS is FILE, and without
      --used-urls the common rules lose their USED_URLS sentences. An angle that names no target list (the
      second and fourth rounds) takes --target: one list for all such angles, or one per such angle, in
      order ("candidate", "other" or "customer", the fourth round's; or a list's full name). An angle written
      "..., as in the third round" gets that round's own words, since a helper never saw it. Always:
      reader_A.prompt.txt and reader_B.prompt.txt (TEXTS = DIR/texts.jsonl, output PROMPTS/reader_A.jsonl,
      reader_B.jsonl) and
      third_reader.prompt.txt (DISAGREEMENTS = DIR/disagreements.jsonl, output PROMPTS/third_reader.jsonl).
      DIR need not exist yet: blind writes it. A set is too long for one reader helper: --parts K (run after
      blind: DIR/texts.jsonl must exist) splits texts.jsonl into K runs of rows, in order, their sizes differing
      by one at most, the smaller first (347 texts in two parts: 173, then 174), written as
      PROMPTS/texts.part1.jsonl ... (part01 ... from ten parts on), and gives each part its own two readers in
      place of the two above: reader_A.part1.prompt.txt (TEXTS = PROMPTS/texts.part1.jsonl, output
      PROMPTS/reader_A.part1.jsonl), reader_A.part2..., reader_B.part1..., ...; the third reader stays one. It
      prints the disagreements command that takes the readers' parts. Prompt files or text parts already in
      PROMPTS stop the step (--force rewrites them), as do an unknown round, any placeholder a prompt would
      still hold, and more parts than texts.
  blind COLLECTED.jsonl... --out DIR
      Collected rows {"rid", "text", "url", ...} (verbatim spans of public posts, gathered by someone
      who does not know the analyzer) become DIR/texts.jsonl ({"id", "text"}, shuffled, ids R001...),
      the only file the readers see, DIR/sources.jsonl ({"id", "rid", "url"}), for the organiser, and
      DIR/split.json: the ids drawn at random into a dev half (its errors may be read item by item) and a
      test half (scored once per release, never read), fixed before any label exists. A repeated URL or
      text is dropped.
  disagreements DIR --readers A B
      Two readers labelled DIR/texts.jsonl independently (the label definitions of data/eval/README.md).
      A and B are each reader's labels: one file (A.jsonl, its rows in any order), or the files of the
      reader's parts joined by commas in the parts' order, with no cat needed
      (PROMPTS/reader_A.part1.jsonl,PROMPTS/reader_A.part2.jsonl). Parts, joined, must follow texts.jsonl row
      by row: a part left out, given twice or out of order stops the step at the part file and line.
      Writes DIR/disagreements.jsonl: one row {"id", "text", "field", "a", "b"} per field they read
      differently, for a third reader, who writes {"id", "field", "value"} rows.
  gold DIR --readers A B [--adjudication C.jsonl]
      (A and B as for disagreements.) Writes DIR/gold.jsonl: the readers' labels where they agree, the
      third reader's value where they do not (every disagreement needs one). Stages are [] wherever the
      text is not a candidate experience. With DIR/split.json, also DIR/gold_dev.jsonl and
      DIR/gold_test.jsonl. Prints how often the two readers agree (each field, before the third reader):
      the ceiling the labels allow.
      Score the set with: python bench/accuracy.py --external DIR/gold_test.jsonl
      (its --second is for a reader outside the gold: one of its own readers agrees with it too easily).

Every input is checked first; a bad row stops the step with one line naming file, line and field, and
nothing is written.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import evaluation as ev  # noqa: E402
from analysis.stages import STAGES  # noqa: E402

FIELDS = ("sentiment", "is_candidate_experience", "stages", "consumer_link")
SEED = 20261129
BRIEFS = ROOT / "data" / "eval" / "real_posts" / "briefs.md"
PROMPT = ".prompt.txt"
# What no prompt may still hold once filled: the briefs' placeholders, and a reference to a round the helper never saw.
# (A name such as OUTPUT_PATH or one briefs.md may gain, DEADLINE_DATE, is a placeholder wherever it is not a label.)
_UNFILLED = re.compile(r'\bN texts\b|"rX"|\(a file outside the repository\)|\b(?:TEXTS|DISAGREEMENTS)\b'
                       r'|\bPREFIX(?! = ")|\b[A-Z]+(?:_[A-Z]+)+\b(?! = )|\bas in the \w+ round\b')


def _rows(path: Path) -> list[dict]:
    return [row for _n, row in ev.read_json_lines(path)]


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` whole or not at all (a temporary file renamed into place)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _write(path: Path, rows: list[dict]) -> None:
    """Write ``rows`` as JSON lines, whole or not at all."""
    _write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def blind(collected: list[Path], out: Path, seed: int = SEED) -> int:
    """Merge, de-duplicate and shuffle collected rows into ``out``/texts.jsonl and sources.jsonl."""
    kept: list[dict] = []
    urls: set[str] = set()
    texts: set[str] = set()
    for path in collected:
        for n, row in enumerate(_rows(path), 1):
            text, url = row.get("text"), row.get("url")
            if not isinstance(text, str) or not text.strip() or not isinstance(url, str) or not url:
                raise ValueError(f"{path}: row {n}: needs a non-empty 'text' and 'url'")
            key = " ".join(text.split()).lower()
            if url in urls or key in texts:
                continue
            urls.add(url)
            texts.add(key)
            kept.append({"rid": str(row.get("rid", f"{path.stem}:{n}")), "url": url, "text": text.strip()})
    if not kept:
        raise ValueError("no collected rows")
    random.Random(seed).shuffle(kept)
    width = max(3, len(str(len(kept))))
    ids = [f"R{i:0{width}d}" for i in range(1, len(kept) + 1)]
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "sources.jsonl", [{"id": i, "rid": k["rid"], "url": k["url"]} for i, k in zip(ids, kept)])
    _write(out / "texts.jsonl", [{"id": i, "text": k["text"]} for i, k in zip(ids, kept)])
    halves = sorted(ids)
    random.Random(seed + 1).shuffle(halves)
    dev = sorted(halves[: len(halves) // 2])
    _write(out / "split.json", [{"dev": dev, "test": sorted(halves[len(dev):])}])  # (one JSON object)
    return len(kept)


def _readers(folder: Path, readers: list[Path | list[Path]]) -> tuple[list[dict], list[dict[str, dict]]]:
    """The blind texts and each reader's labels by id; every reader must label every text. A reader is one file
    (its rows in any order) or the files of its parts, joined in the order given: then the joined rows must follow
    texts.jsonl row by row, so that a part left out, given twice or out of order stops the step."""
    texts = _rows(folder / "texts.jsonl")
    ids = [t["id"] for t in texts]
    labelled = []
    for reader in readers:
        files = [reader] if isinstance(reader, Path) else list(reader)
        by_id: dict[str, dict] = {}
        for path in files:
            seen: set[str] = set()
            rows = ev.read_json_lines(path)
            for k, (n, row) in enumerate(rows):
                ev.check_labelled(row, f"{path}:{n}", STAGES, seen, with_text=False)
                if len(files) > 1 and ids[len(by_id):len(by_id) + 1] != [row["id"]]:
                    want = f"where texts.jsonl has {ids[len(by_id)]}" if len(by_id) < len(ids) else \
                        f"after texts.jsonl's last text ({ids[-1]})"
                    hint = "a part left out or out of order?" if k == 0 else "a reader's files, joined in the order " \
                        "given, must follow it row by row"
                    raise ValueError(f"{path}:{n}: 'id' is {row['id']}, {want} ({hint})")
                by_id[row["id"]] = row
            if not rows:
                raise ValueError(f"{path}: no labelled items")
        missing = [i for i in ids if i not in by_id]
        if missing:
            end = f" (the files given end at {ids[len(by_id) - 1]}: a part left out?)" if len(files) > 1 else ""
            raise ValueError(f"{files[-1]}: no labels for {len(missing)} of {len(texts)} texts, e.g. {missing[0]}{end}")
        labelled.append(by_id)
    return texts, labelled


def _same(field: str, a, b) -> bool:
    return sorted(a) == sorted(b) if field == "stages" else a == b


def disagreements(folder: Path, readers: list[Path | list[Path]]) -> int:
    """Write ``folder``/disagreements.jsonl: each field two readers read differently."""
    texts, (a, b) = _readers(folder, readers)
    rows = [{"id": t["id"], "text": t["text"], "field": f, "a": a[t["id"]][f], "b": b[t["id"]][f]}
            for t in texts for f in FIELDS if not _same(f, a[t["id"]][f], b[t["id"]][f])]
    _write(folder / "disagreements.jsonl", rows)
    return len(rows)


def agreement(folder: Path, readers: list[Path | list[Path]]) -> dict[str, float]:
    """How far the two readers agree, per field: sentiment accuracy, stage micro-F1, CE and consumer-link F1."""
    texts, (a, b) = _readers(folder, readers)
    return _agreement(texts, a, b)


def _agreement(texts: list[dict], a: dict[str, dict], b: dict[str, dict]) -> dict[str, float]:
    ra, rb = [a[t["id"]] for t in texts], [b[t["id"]] for t in texts]
    return {"sentiment": ev.accuracy([r["sentiment"] for r in ra], [r["sentiment"] for r in rb]),
            "stages": ev.micro_f1([r["stages"] for r in ra], [r["stages"] for r in rb]),
            "is_candidate_experience": ev.binary_f1([r["is_candidate_experience"] for r in ra],
                                                    [r["is_candidate_experience"] for r in rb]),
            "consumer_link": ev.binary_f1([r["consumer_link"] for r in ra], [r["consumer_link"] for r in rb])}


def gold(folder: Path, readers: list[Path | list[Path]], adjudication: Path | None) -> tuple[int, dict[str, float]]:
    """Write ``folder``/gold.jsonl from two readers' labels and a third reader's decisions; returns the texts
    written and how far the two readers agree (:func:`agreement`, from the labels read once)."""
    texts, (a, b) = _readers(folder, readers)
    decided: dict[tuple[str, str], object] = {}
    for n, row in enumerate(_rows(adjudication) if adjudication else [], 1):
        field, value = row.get("field"), row.get("value")
        ok = (field == "sentiment" and value in ev.SENTIMENT_LABELS
              or field in ("is_candidate_experience", "consumer_link") and isinstance(value, bool)
              or field == "stages" and isinstance(value, list) and set(value) <= set(STAGES))
        if not ok:
            raise ValueError(f"{adjudication}: row {n}: 'field' must be one of {', '.join(FIELDS)}, "
                             f"with a value that field allows")
        decided[(str(row.get("id")), field)] = value
    out = []
    for t in texts:
        item = {"id": t["id"], "text": t["text"]}
        for f in FIELDS:
            va, vb = a[t["id"]][f], b[t["id"]][f]
            if _same(f, va, vb):
                item[f] = va
            elif (t["id"], f) in decided:
                item[f] = decided[(t["id"], f)]
            else:
                raise ValueError(f"{t['id']}: the readers differ on '{f}' and no adjudication decides it")
        if not item["is_candidate_experience"]:
            item["stages"] = []
        item["stages"] = [s for s in STAGES if s in item["stages"]]
        out.append(item)
    split = folder / "split.json"
    halves = json.loads(split.read_text(encoding="utf-8")) if split.exists() else {}
    for half in ("dev", "test"):
        if half in halves:
            ids = set(halves[half])
            _write(folder / f"gold_{half}.jsonl", [item for item in out if item["id"] in ids])
    _write(folder / "gold.jsonl", out)
    return len(out), _agreement(texts, a, b)


class _Briefs(NamedTuple):
    """The parts of briefs.md a prompt is made of, in the file's own words."""
    common: str
    targets: dict[str, str]  # list name ("candidate stories") -> its text
    rounds: dict[str, tuple[str, list[str]]]  # "fifth" -> (its heading, its angles)
    reader: str
    third: str


class _Planned(NamedTuple):
    """A prompt to write: briefs.md's words and the values for their placeholders."""
    stem: str  # collector_rA, reader_A, ...
    helper: str
    template: str
    values: dict[str, object]


def _read_briefs(path: Path) -> _Briefs:
    """Split briefs.md at its headings; the text under a heading ends at the next heading of any level."""
    sections: list[tuple[str, str]] = []
    heading, body = "", []
    for line in path.read_text(encoding="utf-8").splitlines() + ["# (end)"]:
        if re.match(r"#{1,3} ", line):
            sections.append((heading, "\n".join(body).strip()))
            heading, body = line, []
        else:
            body.append(line)
    found: dict[str, str] = {}
    targets: dict[str, str] = {}
    rounds: dict[str, tuple[str, list[str]]] = {}
    for heading, text in sections:
        if m := re.match(r"### Target list: (.+)", heading):
            targets[m.group(1).strip()] = text
        elif m := re.match(r"### Angles of the (\w+) round\b", heading):
            rounds[m.group(1).lower()] = (heading, _bullets(text))
        for key, pattern in (("common", r"### Common rules\b"), ("reader", r"## \d+\. Readers\b"),
                             ("third", r"## \d+\. Third reader\b")):
            if re.match(pattern, heading):
                found[key] = text
    for key, heading in (("common", "### Common rules"), ("reader", "## 2. Readers"), ("third", "## 3. Third reader")):
        if not found.get(key):
            raise ValueError(f"{path}: no '{heading}' section")
    if not targets:
        raise ValueError(f"{path}: no '### Target list: ...' section")
    return _Briefs(found["common"], targets, rounds, found["reader"], found["third"])


def _bullets(text: str) -> list[str]:
    """The '- ' items of a section (an indented line continues the item above); the notes around them are not angles."""
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line[:1] in (" ", "\t") and line.strip():
            items[-1] += " " + line.strip()
    return items


def _plain(text: str) -> str:
    """``text`` without parentheses and with single spaces, to find one angle's words in another's."""
    return " ".join(re.sub(r"\s*\([^()]*\)", "", text).split())


def _split_angle(angle: str) -> tuple[str, str]:
    """An angle's leading parenthesis ("(candidate stories, ...) ", or "") and the rest."""
    m = re.match(r"(\([^()]*\)\s*)?(.*)", angle, re.S)
    return m.group(1) or "", m.group(2)  # type: ignore[union-attr]


def _angle_target(angle: str, names: list[str]) -> str | None:
    """The target list an angle names at the start of its parenthesis, if any."""
    inside = _split_angle(angle)[0].strip()[1:-1]
    return next((n for n in names if inside == n or inside.startswith(n + ",")), None)


def _resolved(angle: str, rounds: dict[str, tuple[str, list[str]]], where: str) -> str:
    """An angle written "SHORT texts, as in the third round" gets the third round's words: no helper saw that round."""
    head, body = _split_angle(angle)
    ref = re.match(r"(?P<lead>[^()]+?), as in the (?P<round>\w+) round\b", body)
    if not ref:
        return angle
    lead, other = " ".join(ref["lead"].split()), ref["round"].lower()
    found = [rest for rest in (_split_angle(a)[1] for a in rounds.get(other, ("", []))[1])
             if _plain(rest).startswith(lead) and not _plain(rest)[len(lead):len(lead) + 1].isalnum()]
    if len(found) != 1:
        raise ValueError(f"{where}: \"{lead}, as in the {other} round\" matches {len(found)} angles of that round, "
                         f"not one")
    return head + found[0].rstrip(".") + body[ref.end():]


def _without_used_urls(rules: str) -> str:
    """The common rules with no list of used pages: each sentence naming USED_URLS goes, and so does the name
    from the files a collector may open; the other sentences of its line stay."""
    lines = []
    for line in rules.splitlines():
        line = re.sub(r",? and USED_URLS\b", "", line)
        if "USED_URLS" in line:
            mark = "- " if line.startswith("- ") else ""
            kept = [s for s in re.split(r"(?<=[.!?])\s+", line[len(mark):]) if "USED_URLS" not in s]
            if not kept:
                continue
            line = mark + " ".join(kept)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _fill(text: str, **values: object) -> str:
    """Put real values where the briefs hold placeholders; the organiser's gloss after TEXTS or DISAGREEMENTS
    ("(the texts.jsonl that ... wrote)") names a project file the helper may not open, so it goes too."""
    subs = {"prefix": [(r'PREFIX = "rX"', 'PREFIX = "{}"'), (r"\bPREFIX(?=\d)", "{}")],
            "output": [(r"\(a file outside the repository\)", "{}"), (r"\bOUTPUT_PATH\b(?! = )", "{}")],
            "n": [(r"\bN texts\b", "{} texts")],
            "used": [(r"\bUSED_URLS\b", "{}")],
            "texts": [(r"\bTEXTS\b(?: \(the [^()]*\bwrote\))?", "{}")],
            "disagreements": [(r"\bDISAGREEMENTS\b(?: \(the [^()]*\bwrote\))?", "{}")]}
    for key, value in values.items():
        for pattern, form in subs[key]:
            text = re.sub(pattern, lambda _m: form.format(value), text)  # (a function: a path's "\" stays as is)
    return text


def _target_name(value: str, names: list[str]) -> str:
    """The target list --target means: its full name or its first word ("candidate", "other")."""
    for name in names:
        if value.lower() in (name.lower(), name.split()[0].lower()):
            return name
    raise ValueError(f"--target {value}: briefs.md has no such target list (it has: {', '.join(names)})")


def _collectors(b: _Briefs, round_name: str, n: int | None, targets: list[str], used_urls: Path | None,
                out: Path) -> list[_Planned]:
    """One prompt for each angle of a round, prefixes rA, rB, ... in the angles' order."""
    key = round_name.lower()
    if key not in b.rounds:
        raise ValueError(f"no round '{round_name}' in briefs.md (its rounds: {', '.join(b.rounds)})")
    heading, angles = b.rounds[key]
    if not angles or len(angles) > 26:
        raise ValueError(f"the {key} round lists {len(angles)} angles; a round needs 1 to 26")
    if n is None:
        each = re.search(r"\b(\d+) texts each\b", heading)
        n = int(each.group(1)) if each else 100
    if n < 1:
        raise ValueError(f"--texts {n}: a collector needs at least one text")
    used = None
    if used_urls is not None:
        used = used_urls.resolve()
        if not used.is_file():
            raise ValueError(f"--used-urls {used_urls}: no such file")
    names = list(b.targets)
    own = [_angle_target(a, names) for a in angles]
    lacking = [i for i, t in enumerate(own) if t is None]
    chosen = [_target_name(t, names) for t in targets]
    if lacking and not chosen:
        short = " or ".join(name.split()[0] for name in names)
        raise ValueError(f"angle(s) {', '.join(str(i + 1) for i in lacking)} of the {key} round name no target "
                         f"list: pass --target ({short}), one for all or one each")
    if chosen and not lacking:
        raise ValueError(f"every angle of the {key} round names its target list; --target is for angles that name none")
    if len(chosen) not in (0, 1, len(lacking)):
        raise ValueError(f"--target: {len(chosen)} lists for {len(lacking)} angles that name none; give one, "
                         f"or one per angle")
    rules = b.common if used else _without_used_urls(b.common)
    planned = []
    for i, angle in enumerate(angles):
        prefix = "r" + string.ascii_uppercase[i]
        target = own[i] or chosen[0 if len(chosen) == 1 else lacking.index(i)]
        text = _resolved(angle, b.rounds, f"angle {i + 1} of the {key} round")
        prompt = f"{rules}\n\n{b.targets[target]}\n\nYour angle: {text}\n"
        values: dict[str, object] = {"prefix": prefix, "output": out / f"collected_{prefix}.jsonl", "n": n}
        if used:
            values["used"] = used
        # an angle's own counts are the round's ("at least 50 of the 100"): say so when N is another number
        counts = {int(k) for k in re.findall(r"\bof the (\d+)\b", text)} - {n}
        note = f"; its angle says 'of the {max(counts)}'" if counts else ""
        planned.append(_Planned(f"collector_{prefix}", f"collector {prefix} ({target}, {n} texts{note})", prompt,
                                values))
    return planned


def _parts(texts: Path, parts: int) -> list[tuple[str, list[dict]]]:
    """``texts`` in ``parts`` runs of rows, in order, as ("part1", rows) ...; [] for one part (the readers read
    ``texts`` itself). Part i holds rows i*n//parts to (i+1)*n//parts: 347 texts in two parts are 173 and 174."""
    if parts < 1:
        raise ValueError(f"--parts {parts}: a set is read in 1 part or more")
    if parts == 1:
        return []
    if not texts.is_file():
        raise ValueError(f"--parts {parts}: no {texts} to split yet (blind writes it); nothing written")
    rows = _rows(texts)
    if parts > len(rows):
        raise ValueError(f"--parts {parts}: {texts} holds only {len(rows)} texts; nothing written")
    width = len(str(parts))  # part01 ... part12: the files sort in the parts' order
    return [(f"part{i + 1:0{width}d}", rows[i * len(rows) // parts:(i + 1) * len(rows) // parts])
            for i in range(parts)]


def _part_name(i: int, parts: int, rows: list[dict]) -> str:
    return f"part {i} of {parts} ({len(rows)} texts, {rows[0].get('id')} to {rows[-1].get('id')})"


def prompts(folder: Path, out: Path, round_name: str | None = None, n: int | None = None,
            targets: list[str] | None = None, used_urls: Path | None = None, force: bool = False,
            briefs: Path = BRIEFS, parts: int = 1) -> list[tuple[Path, str]]:
    """Write each helper's prompt into ``out``, made from briefs.md's own words with every placeholder filled,
    so that a set is rebuilt the same way every time; returns (file, helper) for each file written. With ``parts``
    above 1, ``folder``/texts.jsonl is split into that many runs of rows, in order (sizes differing by one at most,
    the smaller first), written to ``out`` as texts.part1.jsonl ..., each read by its own readers A and B."""
    b = _read_briefs(briefs)
    folder, out = folder.resolve(), out.resolve()
    for what, path in (("the set folder", folder), ("--out", out)):
        if path.is_relative_to(ROOT):
            raise ValueError(f"{what} {path} is inside the repository; the posts must stay outside it")
    planned: list[_Planned] = []
    if round_name is not None:
        planned += _collectors(b, round_name, n, targets or [], used_urls, out)
    elif n is not None or targets or used_urls is not None:
        raise ValueError("--texts, --target and --used-urls are for the collectors: they need --round")
    split = _parts(folder / "texts.jsonl", parts)
    for reader in "AB":
        if parts == 1:
            planned.append(_Planned(f"reader_{reader}", f"reader {reader}", b.reader + "\n",
                                    {"texts": folder / "texts.jsonl", "output": out / f"reader_{reader}.jsonl"}))
        for i, (tag, rows) in enumerate(split, 1):
            planned.append(_Planned(f"reader_{reader}.{tag}", f"reader {reader}, {_part_name(i, parts, rows)}",
                                    b.reader + "\n", {"texts": out / f"texts.{tag}.jsonl",
                                                      "output": out / f"reader_{reader}.{tag}.jsonl"}))
    planned.append(_Planned("third_reader", "third reader", b.third + "\n",
                            {"disagreements": folder / "disagreements.jsonl", "output": out / "third_reader.jsonl"}))
    for plan in planned:  # (checked with blanks for the values: a path of the organiser's may hold capitals)
        left = _UNFILLED.search(_fill(plan.template, **dict.fromkeys(plan.values, "\0")))
        if left:
            raise ValueError(f"{plan.stem}{PROMPT} would still hold the placeholder '{left.group(0)}' "
                             f"({briefs.name} changed?); nothing written")
    existing = sorted([*out.glob("*" + PROMPT), *out.glob("texts.part*.jsonl")]) if out.is_dir() else []
    if existing and not force:
        raise ValueError(f"{out} holds prompt files already ({existing[0].name}, ...); --force rewrites them")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (tag, rows) in enumerate(split, 1):
        _write(out / f"texts.{tag}.jsonl", rows)
        written.append((out / f"texts.{tag}.jsonl", f"texts, {_part_name(i, parts, rows)}"))
    for plan in planned:
        _write_text(out / (plan.stem + PROMPT), _fill(plan.template, **plan.values))
        written.append((out / (plan.stem + PROMPT), plan.helper))
    return written


def _files(value: str) -> list[Path]:
    """--readers: a reader's one file, or its part files joined by commas, in the parts' order."""
    if not all(value.split(",")):
        raise argparse.ArgumentTypeError(f"{value!r}: an empty file name between commas")
    return [Path(name) for name in value.split(",")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = ap.add_subparsers(dest="verb", required=True)
    p = verbs.add_parser("blind", help="merge collected rows into the readers' texts.jsonl")
    p.add_argument("collected", type=Path, nargs="+")
    p.add_argument("--out", type=Path, required=True, help="the set's folder (outside the repository)")
    for verb, text in (("disagreements", "list the fields two readers read differently"),
                       ("gold", "the gold labels: agreement, else the third reader's decision")):
        p = verbs.add_parser(verb, help=text)
        p.add_argument("folder", type=Path, help="the folder blind wrote")
        p.add_argument("--readers", type=_files, nargs=2, required=True, metavar=("A", "B"),
                       help="each reader's labels: one file, or the files of its parts joined by commas in the "
                       "parts' order (A.part1.jsonl,A.part2.jsonl), which must then follow texts.jsonl row by row")
        if verb == "gold":
            p.add_argument("--adjudication", type=Path, help="the third reader's {id, field, value} rows")
    p = verbs.add_parser("prompts", help="write each helper's prompt from briefs.md, its placeholders filled",
                         description="Write each helper's prompt into --out, from data/eval/real_posts/briefs.md with "
                         "its placeholders filled: with --round, one collector per angle of that round; always the "
                         "two readers and the third reader. Each helper's output file goes in --out too. With "
                         "--parts K, the set's texts.jsonl is split into K parts in --out (texts.part1.jsonl ...), "
                         "each read by its own readers A and B (reader_A.part1.prompt.txt, writing "
                         "reader_A.part1.jsonl, ...).")
    p.add_argument("folder", type=Path, help="the set's folder: blind writes the readers' texts.jsonl there, "
                   "disagreements the third reader's disagreements.jsonl (it need not exist yet)")
    p.add_argument("--out", type=Path, required=True, help="folder for the prompt files and the helpers' outputs "
                   "(outside the repository)")
    p.add_argument("--round", dest="round_name", metavar="NAME", help="the collectors' round, the word of its "
                   "'Angles of the NAME round' heading (e.g. fifth); without it, only the readers' prompts")
    p.add_argument("--texts", type=int, metavar="N", help="texts per collector (default: the round's "
                   "'N texts each', else 100)")
    p.add_argument("--used-urls", type=Path, metavar="FILE", help="the pages already used, for USED_URLS; "
                   "without it the collectors' USED_URLS sentences are left out")
    p.add_argument("--target", nargs="+", metavar="LIST", help="target list for the angles that name none "
                   "(second and fourth rounds): 'candidate', 'other' or 'customer' (the fourth round's), one for "
                   "all or one per angle in order")
    p.add_argument("--parts", type=int, default=1, metavar="K", help="split the set's texts.jsonl (it must exist) "
                   "into K runs of rows, in order and of near-equal size, one pair of readers per part; default 1: "
                   "the readers read texts.jsonl itself")
    p.add_argument("--force", action="store_true", help="rewrite the prompt files (and text parts) already in --out")
    p.add_argument("--briefs", type=Path, default=BRIEFS, help="the briefs (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        if args.verb == "prompts":
            written = prompts(args.folder, args.out, args.round_name, args.texts, args.target, args.used_urls,
                              args.force, args.briefs, args.parts)
            for path, helper in written:
                print(f"{helper}: {path}")
            if args.parts > 1:  # each reader's outputs, in the parts' order, as disagreements and gold take them
                print(f"then: disagreements {args.folder} --readers " + " ".join(
                    ",".join(str(path.with_name(path.name[:-len(PROMPT)] + ".jsonl")) for path, _h in written
                             if path.name.startswith(f"reader_{reader}.")) for reader in "AB"))
        elif args.verb == "blind":
            n = blind(args.collected, args.out)
            print(f"{n} texts -> {args.out / 'texts.jsonl'} (sources: {args.out / 'sources.jsonl'})")
        elif args.verb == "disagreements":
            n = disagreements(args.folder, args.readers)
            print(f"{n} disagreements -> {args.folder / 'disagreements.jsonl'}")
        else:
            n, agree = gold(args.folder, args.readers, args.adjudication)
            print(f"{n} labelled texts -> {args.folder / 'gold.jsonl'}")
            print("the two readers agree: " + ", ".join(f"{field} {value:.3f}" for field, value in agree.items()))
    except (OSError, ValueError) as exc:
        print(f"realset: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
