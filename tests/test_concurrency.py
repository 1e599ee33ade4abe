"""Reading while writing: one process imports files back to back while another keeps reporting.

DuckDB lets one process hold the file at a time, so this only works because every connection is
short and lock conflicts are waited out. Nothing may fail and nothing may be lost.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

FILES = 8
ROWS = 400

READER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from hirepulse.cli import main
    db, out, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    ok = failed = 0
    deadline = time.monotonic() + 120
    while not stop.exists() and time.monotonic() < deadline:
        if not Path(db).exists():
            time.sleep(0.01)
            continue
        code = main(["report", "--db", db, "--out", str(out / str(ok))])
        if code == 0:
            ok += 1
        else:
            failed += 1
    print(ok, failed)
""")


def write_files(folder: Path) -> list[Path]:
    paths = []
    for f in range(FILES):
        path = folder / f"batch{f}.csv"
        lines = ["id,published_at,company,text"]
        lines += [f"f{f}r{r},2026-0{1 + r % 9}-1{r % 9}T10:00:00Z,Brightwater,Candidate post {f}-{r}: the recruiter never called back" for r in range(ROWS)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_reports_run_while_files_are_imported_back_to_back(tmp_path: Path) -> None:
    db_path = tmp_path / "shared.duckdb"
    stop = tmp_path / "stop"
    out = tmp_path / "reports"
    files = write_files(tmp_path)
    env_cmd = [sys.executable, "-m", "hirepulse.cli"]
    with subprocess.Popen([sys.executable, "-c", READER, str(db_path), str(out), str(stop)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as reader:
        writer = subprocess.run([*env_cmd, "import", *map(str, files), "--db", str(db_path), "--source", "survey"],
                                capture_output=True, text=True, timeout=180)
        analyzer = subprocess.run([*env_cmd, "analyze", "--db", str(db_path)], capture_output=True, text=True, timeout=180)
        stop.touch()
        reader_out, reader_err = reader.communicate(timeout=180)
    assert writer.returncode == 0, writer.stderr
    assert analyzer.returncode == 0, analyzer.stderr
    assert writer.stdout.count(f"{ROWS} rows, {ROWS} new") == FILES
    ok, failed = map(int, reader_out.splitlines()[-1].split())
    assert failed == 0, reader_err
    assert ok >= 1
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == FILES * ROWS
        assert con.execute("SELECT count(*) FROM analysis").fetchone()[0] == FILES * ROWS
        assert con.execute("SELECT count(*) FROM runs WHERE kind = 'import' AND status = 'ok'").fetchone()[0] == FILES
    finally:
        con.close()


def test_threads_of_one_process_read_and_write_one_file_without_clashing(tmp_path: Path) -> None:
    """DuckDB opens a file in one configuration per process: a read-only connection next to a thread's open
    write connection (the scheduler analysing after one source while another writes; the dashboard saving a
    label while other sessions read) failed at once with "a different configuration"."""
    import threading
    import time

    from analysis.pipeline import analyze_pending
    from hirepulse import db
    from hirepulse.errors import DatabaseError
    from hirepulse.models import Mention

    path = tmp_path / "h.duckdb"
    when = datetime(2026, 1, 5, tzinfo=timezone.utc)
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id=str(i), text=f"Ghosted after round {i}.",
                                         published_at=when) for i in range(40)], salt="s")
    # a write connection held by another thread: reads (and a whole analysis run, which reads its batches
    # read-only) go ahead meanwhile
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.connect(path) as con:
            con.execute("SELECT 1")
            held.set()
            release.wait(20)

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(20)
    try:
        with db.connect(path, read_only=True) as con:
            assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 40
        assert analyze_pending(path).analyzed == 40
    finally:
        release.set()
        thread.join()
    # a read-only connection held by another thread: a writer waits for it to close, then writes
    held.clear()
    release.clear()
    closed_at: list[float] = []

    def reader() -> None:
        with db.connect(path, read_only=True) as con:
            con.execute("SELECT 1")
            held.set()
            time.sleep(0.5)
        closed_at.append(time.monotonic())

    thread = threading.Thread(target=reader)
    thread.start()
    assert held.wait(20)
    with db.connect(path) as con:
        opened_at = time.monotonic()
        con.execute("DELETE FROM labels")
    thread.join()
    assert closed_at and opened_at >= closed_at[0]
    # a thread cannot wait for itself: writing inside its own read-only connection is a clear error at once
    with db.connect(path, read_only=True):
        with pytest.raises(DatabaseError, match="inside this thread's own read-only connection"):
            with db.connect(path, timeout=30):
                pass
