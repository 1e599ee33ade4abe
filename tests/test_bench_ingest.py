"""bench/ingest.py runs against the schema as it is now (its baseline inserts into the real mentions table)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_ingest_benchmark_runs_on_a_small_file() -> None:
    # no speed is asserted (benchmarks hold the targets): a schema change that broke its baseline's insert went
    # unseen until someone ran `make bench`
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--rows", "300", "--baseline-rows", "30"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert re.search(r"^hirepulse import \(CSV -> Arrow upsert\)\s+300\s", run.stdout, re.MULTILINE)
    assert re.search(r"^baseline: executemany, one row at a time\s+30\s", run.stdout, re.MULTILINE)
    assert re.search(r"^ratio: [\d,.]+x the executemany baseline", run.stdout, re.MULTILINE)
