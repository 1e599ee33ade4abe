"""docs/reports.md documents every column of every CSV `hirepulse report` writes: no more, no fewer."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from analysis.reports import REPORT_FILES
from hirepulse.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "reports.md"
_FILE_HEADING = re.compile(r"^## `([\w.]+)`\s*$")


def documented_columns(text: str) -> dict[str, list[str]]:
    """Each file heading of the doc (``## `name.csv```) with the first cell of every row of the table below it
    (``| `column` | ...``), in order; ``summary.md`` has no table."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = _FILE_HEADING.match(line)
        if heading:
            current = found.setdefault(heading.group(1), [])
        elif line.startswith("## "):
            current = None
        elif current is not None and line.startswith("| `"):
            current.append(line.split("|")[1].strip().strip("`"))
    return found


def test_every_report_column_is_documented_and_every_documented_column_written(sample_db: Path,
                                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    # --until: a period with spikes, so that spikes.csv has rows under its header as well
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--until", "2026-03-08"]) == 0
    documented = documented_columns(DOC.read_text(encoding="utf-8"))
    assert set(documented) == set(REPORT_FILES) == {p.name for p in out.iterdir()}
    for name in REPORT_FILES:
        if not name.endswith(".csv"):
            assert documented[name] == []
            continue
        with (out / name).open(encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        assert rows, name
        assert len(documented[name]) == len(set(documented[name])), f"{name}: a column documented twice"
        assert set(header) == set(documented[name]), name
