"""What an erasure's file rewrite costs on a large database, against DuckDB's own copy of the same file.

    python bench/erase.py [--rows 1000000] [--repeat 3]

``hirepulse forget`` and ``purge`` rewrite the database file after deleting (``db.ensure_erased``), so that no
byte of what was deleted survives in its free blocks. That is a copy of everything left, done while every other
writer waits. This builds a file of ``--rows`` synthetic mentions with their analysis (bench/dashboard.py's
generator), deletes one post, and times, each in a fresh process so that its peak memory is its own:

* ``ensure_erased``: the rewrite as hirepulse does it (the file held for writing, its free space checked, the
  copy's progress read from another thread for the progress bar, the copy flushed to disk, then one rename);
* baseline: DuckDB's one statement for it, ``COPY FROM DATABASE`` into a new file, flushed to disk, then the same
  rename.

Each is run ``--repeat`` times on a fresh copy of the file (median reported). Targets: the rewrite takes at most
1.5 times the baseline's time and at most 1.5 times its peak memory; and after either, the deleted post's text
is nowhere in the file's bytes (checked, not timed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
TIME_TARGET = 1.5
MEMORY_TARGET = 1.5
MARK = "Zqxbencherased"   # written into the post that is deleted, looked for in the bytes afterwards

# Each measured step runs in its own interpreter and prints {"seconds", "peak_mb"}; peak memory is the
# process's own high-water mark, so the parent's generator does not count.
_STEP = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[3])
path, how = sys.argv[1], sys.argv[2]
import duckdb
from hirepulse import db
started = time.perf_counter()   # (after the imports: the work alone is timed)
if how == "hirepulse":
    assert db.ensure_erased(path) is not None, "no rewrite was owed"
else:
    tmp = path + ".copy"
    with duckdb.connect(path) as con:
        con.execute("SET enable_progress_bar_print = false")   # (its bar would share stdout with the figures)
        con.execute("CHECKPOINT")
        con.execute(f"ATTACH '{tmp}' AS fresh")
        con.execute(f"COPY FROM DATABASE {con.execute('SELECT current_database()').fetchone()[0]} TO fresh")
        con.execute("DETACH fresh")
    with open(tmp, "rb") as copy:   # (on disk before it takes the name, as any safe replacement)
        os.fsync(copy.fileno())
    os.replace(tmp, path)
seconds = time.perf_counter() - started
# (VmHWM, not ru_maxrss: the latter starts from the forking parent's, which generated the data)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def _generator():
    spec = importlib.util.spec_from_file_location("bench_dashboard", REPO / "bench" / "dashboard.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def _prepare(source: Path, target: Path) -> None:
    """A copy of the generated file with one post deleted as hirepulse deletes it (owing the rewrite)."""
    shutil.copyfile(source, target)
    sys.path.insert(0, str(REPO))
    from hirepulse import db

    with db.connect(target) as con:
        victim = con.execute("SELECT id FROM mentions WHERE text LIKE ?", [f"%{MARK}%"]).fetchone()[0]
        assert db.forget_posts(con, ids=[victim], salt="bench-salt") == 1


def _step(path: Path, how: str) -> dict[str, float]:
    run = subprocess.run([sys.executable, "-c", _STEP, str(path), how, str(REPO)], capture_output=True, text=True,
                         timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"{how} step failed: {run.stderr.strip().splitlines()[-1]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if MARK.encode() in path.read_bytes():
        raise SystemExit(f"{how}: the deleted post's text is still in the file")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median reported)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="hirepulse-bench-erase-"))
    try:   # (a million mentions take a quarter of a gigabyte, and each run needs a copy: none left in /tmp)
        source = folder / "generated.duckdb"
        started = time.perf_counter()
        _generator()(source, args.rows)
        with duckdb.connect(str(source)) as con:   # one post whose words can be looked for in the bytes
            con.execute("UPDATE mentions SET text = text || ? WHERE id = (SELECT min(id) FROM mentions)",
                        [f" {MARK}"])
        size = source.stat().st_size / 1e6
        print(f"generated {args.rows:,} mentions ({size:.0f} MB) in {time.perf_counter() - started:.1f}s")
        runs: dict[str, list[dict[str, float]]] = {"hirepulse": [], "baseline": []}
        for _ in range(args.repeat):
            for how in ("hirepulse", "baseline"):   # (interleaved: the machine's load falls on both alike)
                path = folder / f"{how}.duckdb"
                _prepare(source, path)
                runs[how].append(_step(path, how))
                path.unlink()
        medians = {how: {k: statistics.median(r[k] for r in rs) for k in ("seconds", "peak_mb")}
                   for how, rs in runs.items()}
        print(f"{'':44}{'seconds':>10}{'peak MB':>10}")
        print(f"{'ensure_erased (hirepulse forget, purge)':44}{medians['hirepulse']['seconds']:>10.2f}"
              f"{medians['hirepulse']['peak_mb']:>10.0f}")
        print(f"{'baseline: COPY FROM DATABASE, fsync, rename':44}{medians['baseline']['seconds']:>10.2f}"
              f"{medians['baseline']['peak_mb']:>10.0f}")
        time_ratio = medians["hirepulse"]["seconds"] / medians["baseline"]["seconds"]
        memory_ratio = medians["hirepulse"]["peak_mb"] / medians["baseline"]["peak_mb"]
        print(f"ratio: time {time_ratio:.2f}x the baseline (target at most {TIME_TARGET}x), peak memory "
              f"{memory_ratio:.2f}x (target at most {MEMORY_TARGET}x); the deleted text is gone from both files")
        return 0 if time_ratio <= TIME_TARGET and memory_ratio <= MEMORY_TARGET else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
