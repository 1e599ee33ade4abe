"""Build data/eval/<split>.jsonl for every split in ``SPLITS`` from the hand-written authoring/<split>.txt.

Usage: python data/eval/build.py   (writes the JSONL files; prints nothing)
Raises ValueError on a malformed block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPANIES = json.loads((HERE / "companies.json").read_text(encoding="utf-8"))
ABBREV = {c["abbrev"]: c["name"] for c in COMPANIES}
STAGES = ("application", "screening", "interview", "offer", "rejection", "onboarding")
SENT = {"neg": "negative", "neu": "neutral", "pos": "positive"}
SPLITS = ("dev", "dev2", "dev3", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7",
          "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13")
STAGE_SENT = {"+": "positive", "-": "negative", "0": "neutral"}


def _parse_block(header: str, text: str) -> dict:
    parts = [p.strip() for p in header[3:].split("|")]
    if len(parts) < 8:
        raise ValueError(f"bad header: {header!r}")
    rid, ce, stages, sent, cl, themes, companies, register = parts[:8]
    notes = " | ".join(parts[8:])
    stage_list, stage_labels = [], {}
    if stages not in (".", ""):
        for item in stages.split(","):
            m = re.fullmatch(r"([a-z]+)([+\-0]?)", item.strip())
            if not m or m.group(1) not in STAGES:
                raise ValueError(f"{rid}: bad stage {item!r}")
            stage_list.append(m.group(1))
            if m.group(2):
                stage_labels[m.group(1)] = STAGE_SENT[m.group(2)]
    stage_list = [s for s in STAGES if s in stage_list]
    if ce not in ("0", "1") or cl not in ("0", "1") or sent not in SENT:
        raise ValueError(f"{rid}: bad flag")
    return {
        "id": rid,
        "text": text,
        "is_candidate_experience": ce == "1",
        "stages": stage_list,
        "stage_sentiment": stage_labels,
        "sentiment": SENT[sent],
        "consumer_link": cl == "1",
        "themes": [] if themes in (".", "") else [t.strip() for t in themes.split(",")],
        "companies": [] if companies in (".", "") else [ABBREV[c.strip()] for c in companies.split(",")],
        "register": register,
        "notes": notes,
    }


def parse(path: Path) -> list[dict]:
    """Parse one authoring file into records."""
    records, header, lines = [], None, []
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        if raw.startswith("### "):
            header, lines = raw, []
        elif header is not None and raw.strip() == "":
            if lines:
                records.append(_parse_block(header, "\n".join(lines)))
            header, lines = None, []
        elif header is not None:
            lines.append(raw)
    return records


def main() -> None:
    for name in SPLITS:
        recs = parse(HERE / "authoring" / f"{name}.txt")
        ids = [r["id"] for r in recs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate ids in {name}")
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
