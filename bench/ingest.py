"""Import throughput against row-by-row ``executemany``, in one run.

    python bench/ingest.py [--rows 200000] [--baseline-rows 5000]

hirepulse: the whole `hirepulse import` path on a CSV file (read, validate, redact, hash authors,
Arrow upsert in one transaction). Baseline: the same rows, already prepared as tuples, inserted
with DuckDB's ``executemany`` one row at a time into the same schema (the obvious way to write it).
The baseline runs on a subset because it is slow; both are reported in rows per second.
Target: hirepulse at least 50x the baseline.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collectors.imports import ImportSpec, import_file  # noqa: E402
from hirepulse import db  # noqa: E402

TARGET_RATIO = 50.0
WORDS = ("recruiter", "interview", "never", "heard", "back", "offer", "great", "panel", "slow", "onboarding",
         "ghosted", "feedback", "kind", "team", "application", "portal", "weeks", "call", "store", "tent")


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "published_at", "company", "author", "rating", "text"])
        for i in range(rows):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 60)))
            when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 540))
            writer.writerow([f"r{i}", when.isoformat(), rng.choice(("Brightwater", "Cobalt Outfitters")),
                             f"user{rng.randint(0, 5000)}", rng.randint(1, 5), text])


def bench_hirepulse(csv_path: Path, db_path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    count, stats = import_file(db_path, ImportSpec(csv_path, "csv", source="bench"), salt="bench")
    elapsed = time.perf_counter() - started
    assert stats.new == count
    return count, elapsed


def bench_executemany(db_path: Path, rows: int) -> tuple[int, float]:
    now = datetime.now(timezone.utc)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    values = {"source": "bench", "company": "Brightwater", "kind": "export", "text": "text " * 20,
              "author_key": "k", "rating": 3.0, "rating_scale": 5.0, "fetched_at": now, "first_seen_at": now}
    with db.connect(db_path) as con:
        # the columns by name, as the schema has them (it grows by migrations: a positional list went stale)
        names = [row[0] for row in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                               "table_name = 'mentions' ORDER BY ordinal_position").fetchall()]
        missing = set(values) - set(names)
        if missing:
            raise SystemExit(f"bench/ingest.py: the mentions table has no column {', '.join(sorted(missing))}")
        prepared = [tuple({**values, "id": f"bench:r{i}", "native_id": f"r{i}", "content_hash": f"h{i}",
                           "published_at": start + timedelta(minutes=i)}.get(name) for name in names)
                    for i in range(rows)]
        started = time.perf_counter()
        con.executemany(f"INSERT INTO mentions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                        prepared)
        elapsed = time.perf_counter() - started
    return rows, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        csv_path = tmp_path / "bench.csv"
        make_csv(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        ours_rows, ours_s = bench_hirepulse(csv_path, tmp_path / "ours.duckdb")
        base_rows, base_s = bench_executemany(tmp_path / "base.duckdb", args.baseline_rows)
    ours_rate = ours_rows / ours_s
    base_rate = base_rows / base_s
    ratio = ours_rate / base_rate
    print(f"{'path':<44}{'rows':>9}{'seconds':>10}{'rows/s':>12}")
    print(f"{'hirepulse import (CSV -> Arrow upsert)':<44}{ours_rows:>9}{ours_s:>10.2f}{ours_rate:>12,.0f}")
    print(f"{'baseline: executemany, one row at a time':<44}{base_rows:>9}{base_s:>10.2f}{base_rate:>12,.0f}")
    print(f"input file: {size_mb:.1f} MB")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio: {ratio:,.1f}x the executemany baseline ({verdict} the {TARGET_RATIO:.0f}x target)")


if __name__ == "__main__":
    main()
