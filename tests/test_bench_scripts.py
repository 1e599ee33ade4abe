"""The benchmarks run against the schema as it is now: their baselines and generators write into the real tables,
which grow by migrations. No speed is asserted here (the benchmarks hold the targets)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]


def test_the_ingest_benchmark_runs_on_a_small_file() -> None:
    # a schema change that broke its baseline's insert went unseen until someone ran `make bench`
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--rows", "300", "--baseline-rows", "30"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert re.search(r"^hirepulse import \(CSV -> Arrow upsert\)\s+300\s", run.stdout, re.MULTILINE)
    assert re.search(r"^baseline: executemany, one row at a time\s+30\s", run.stdout, re.MULTILINE)
    assert re.search(r"^ratio: [\d,.]+x the executemany baseline", run.stdout, re.MULTILINE)


def test_the_dashboard_benchmarks_database_fills_the_real_schema(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_dashboard", ROOT / "bench" / "dashboard.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "bench.duckdb"
    bench.generate(path, 400)
    with duckdb.connect(str(path), read_only=True) as con:
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentions", "analysis")]
        assert counts == [400, 400]
        assert con.execute("SELECT count(*) FROM analysis_stages").fetchone()[0] > 0


def test_the_erasure_benchmark_runs_on_a_small_file() -> None:
    # (its exit status is the targets' verdict, which a few hundred rows do not test: the run and its lines are)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "erase.py"), "--rows", "300", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    assert re.search(r"^ensure_erased \(hirepulse forget, purge\)\s+[\d.]+\s+\d+$", run.stdout, re.MULTILINE)
    assert re.search(r"^ratio: time [\d.]+x the baseline .* the deleted text is gone from both files$", run.stdout,
                     re.MULTILINE)
