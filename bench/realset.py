"""Build a held-out set of real posts, kept outside the repository, for `bench/accuracy.py --external`.

Real posts may not be copied into this repository, so the set lives in a folder of the organiser's
choice. The steps, each a verb of this script:

  blind COLLECTED.jsonl... --out DIR
      Collected rows {"rid", "text", "url", ...} (verbatim spans of public posts, gathered by someone
      who does not know the analyzer) become DIR/texts.jsonl ({"id", "text"}, shuffled, ids R001...),
      the only file the readers see, DIR/sources.jsonl ({"id", "rid", "url"}), for the organiser, and
      DIR/split.json: the ids drawn at random into a dev half (its errors may be read item by item) and a
      test half (scored once per release, never read), fixed before any label exists. A repeated URL or
      text is dropped.
  disagreements DIR --readers A.jsonl B.jsonl
      Two readers labelled DIR/texts.jsonl independently (the label definitions of data/eval/README.md).
      Writes DIR/disagreements.jsonl: one row {"id", "text", "field", "a", "b"} per field they read
      differently, for a third reader, who writes {"id", "field", "value"} rows.
  gold DIR --readers A.jsonl B.jsonl [--adjudication C.jsonl]
      Writes DIR/gold.jsonl: the readers' labels where they agree, the third reader's value where they
      do not (every disagreement needs one). Stages are [] wherever the text is not a candidate
      experience. With DIR/split.json, also DIR/gold_dev.jsonl and DIR/gold_test.jsonl. Prints how
      often the two readers agree (each field, before the third reader): the ceiling the labels allow.
      Score the set with: python bench/accuracy.py --external DIR/gold_test.jsonl
      (its --second is for a reader outside the gold: one of its own readers agrees with it too easily).

Every input is checked first; a bad row stops the step with one line naming file, line and field, and
nothing is written.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import evaluation as ev  # noqa: E402
from analysis.stages import STAGES  # noqa: E402

FIELDS = ("sentiment", "is_candidate_experience", "stages", "consumer_link")
SEED = 20261129


def _rows(path: Path) -> list[dict]:
    return [row for _n, row in ev.read_json_lines(path)]


def _write(path: Path, rows: list[dict]) -> None:
    """Write ``rows`` as JSON lines, whole or not at all (a temporary file renamed into place)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(path)


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


def _readers(folder: Path, readers: list[Path]) -> tuple[list[dict], list[dict[str, dict]]]:
    """The blind texts and each reader's labels by id; every reader must label every text."""
    texts = _rows(folder / "texts.jsonl")
    labelled = []
    for path in readers:
        by_id = {r["id"]: r for r in ev.read_labelled(path, STAGES, with_text=False)}
        missing = [t["id"] for t in texts if t["id"] not in by_id]
        if missing:
            raise ValueError(f"{path}: no labels for {len(missing)} of {len(texts)} texts, e.g. {missing[0]}")
        labelled.append(by_id)
    return texts, labelled


def _same(field: str, a, b) -> bool:
    return sorted(a) == sorted(b) if field == "stages" else a == b


def disagreements(folder: Path, readers: list[Path]) -> int:
    """Write ``folder``/disagreements.jsonl: each field two readers read differently."""
    texts, (a, b) = _readers(folder, readers)
    rows = [{"id": t["id"], "text": t["text"], "field": f, "a": a[t["id"]][f], "b": b[t["id"]][f]}
            for t in texts for f in FIELDS if not _same(f, a[t["id"]][f], b[t["id"]][f])]
    _write(folder / "disagreements.jsonl", rows)
    return len(rows)


def agreement(folder: Path, readers: list[Path]) -> dict[str, float]:
    """How far the two readers agree, per field: sentiment accuracy, stage micro-F1, CE and consumer-link F1."""
    texts, (a, b) = _readers(folder, readers)
    ra, rb = [a[t["id"]] for t in texts], [b[t["id"]] for t in texts]
    return {"sentiment": ev.accuracy([r["sentiment"] for r in ra], [r["sentiment"] for r in rb]),
            "stages": ev.micro_f1([r["stages"] for r in ra], [r["stages"] for r in rb]),
            "is_candidate_experience": ev.binary_f1([r["is_candidate_experience"] for r in ra],
                                                    [r["is_candidate_experience"] for r in rb]),
            "consumer_link": ev.binary_f1([r["consumer_link"] for r in ra], [r["consumer_link"] for r in rb])}


def gold(folder: Path, readers: list[Path], adjudication: Path | None) -> int:
    """Write ``folder``/gold.jsonl from two readers' labels and a third reader's decisions."""
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
    return len(out)


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
        p.add_argument("--readers", type=Path, nargs=2, required=True, metavar=("A", "B"))
        if verb == "gold":
            p.add_argument("--adjudication", type=Path, help="the third reader's {id, field, value} rows")
    args = ap.parse_args(argv)
    try:
        if args.verb == "blind":
            n = blind(args.collected, args.out)
            print(f"{n} texts -> {args.out / 'texts.jsonl'} (sources: {args.out / 'sources.jsonl'})")
        elif args.verb == "disagreements":
            n = disagreements(args.folder, args.readers)
            print(f"{n} disagreements -> {args.folder / 'disagreements.jsonl'}")
        else:
            n = gold(args.folder, args.readers, args.adjudication)
            print(f"{n} labelled texts -> {args.folder / 'gold.jsonl'}")
            print("the two readers agree: " + ", ".join(f"{field} {value:.3f}" for field, value in
                                                         agreement(args.folder, args.readers).items()))
    except (OSError, ValueError) as exc:
        print(f"realset: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
