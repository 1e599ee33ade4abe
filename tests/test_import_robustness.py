"""`hirepulse import` and `--db` meeting what real users give them: a CSV as the database, an empty file, a folder,
a path that names nothing, company names spelt their own way, rows older than retention, big files and Ctrl+C.
Real files, a real DuckDB file, real subprocesses for the signals."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from hirepulse import db
from hirepulse.cli import main
from hirepulse.errors import DatabaseError

SURVEY = ("submitted,comment,step\n2025-06-03,The panel was kind and on time.,Face to Face\n"
          "2025-06-10,Nobody called back after the final round.,No Offer\n")


def fingerprint(path: Path) -> tuple[str, float, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime, stat.st_mode


def mentions(db_path: Path, sql: str = "SELECT count(*) FROM mentions") -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


# --------------------------------------------------------------------------- --db that is no database

@pytest.mark.parametrize("name, content", [
    ("export.csv", SURVEY),                     # DuckDB itself opened an existing .csv as a database in memory
    ("notes.txt", "remember to import the June export\n"),
    ("hirepulse.duckdb", "id,text\n1,oops: a CSV saved under the database's name\n"),
    ("short.duckdb", "DUCK"),                   # too short to be one, whatever it holds
])
def test_a_db_file_duckdb_did_not_write_is_refused_by_every_verb_and_left_as_it_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    wrong = tmp_path / name
    wrong.write_text(content, encoding="utf-8")
    before = fingerprint(wrong)
    said = f"hirepulse: error: {wrong} is not a DuckDB database: check --db (or $HIREPULSE_DB); the file was left as it is"
    for verb in (["import", str(survey)], ["import", str(survey), "--check"], ["status"], ["analyze"],
                 ["report", "--out", str(tmp_path / "reports")], ["purge", "--older-than", "30"],
                 ["forget", "--id", "survey:1"], ["labels"], ["salt"]):
        assert main(["--db", str(wrong), *verb]) == 1, verb
        captured = capsys.readouterr()
        assert captured.err.splitlines() == [said], verb
        assert captured.out == "", verb
    assert fingerprint(wrong) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "survey.csv"])   # no lock, no log beside it
    for read_only in (False, True):   # (the module's own callers: the dashboard, the scheduler)
        with pytest.raises(DatabaseError, match="is not a DuckDB database"):
            with db.connect(wrong, read_only=read_only):
                pass


def test_a_folder_or_a_device_given_as_the_database_is_named_as_such(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    assert main(["--db", str(folder), "status"]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: is a folder: {folder} (the database is a file: e.g. "
                                       f"{folder / 'hirepulse.duckdb'})\n")
    device = tmp_path / "null"
    device.symlink_to(os.devnull)
    assert main(["--db", str(device), "status"]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: {device} is not a DuckDB database (not even a regular "
                                       "file): check --db or $HIREPULSE_DB\n")
    assert Path(os.devnull).exists() and device.is_symlink()


def test_an_empty_db_file_becomes_a_new_database_with_its_permissions(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    empty = tmp_path / "h.duckdb"
    empty.touch()
    empty.chmod(0o600)   # (a team's private file: the database made in its place stays private)
    # nothing to read yet: said as for a missing database, and the file is left
    assert main(["--db", str(empty), "status"]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: no database at {empty}: the file is empty; run `hirepulse "
                                       "demo --no-app`, `hirepulse import` or `hirepulse collect` first, which make "
                                       "the database in its place\n")
    assert main(["--db", str(empty), "purge", "--older-than", "30"]) == 1
    assert capsys.readouterr().err.startswith(f"hirepulse: error: no database at {empty}: nothing to purge")
    assert empty.stat().st_size == 0
    args = ["--db", str(empty), "import", str(survey), "--map", "submitted=published_at", "comment=text", "step=stage"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"{survey}: 2 rows, 2 new")
    assert mentions(empty) == [(2,)]
    assert empty.stat().st_mode & 0o777 == 0o600


def test_an_empty_file_another_connection_is_opening_is_not_taken_for_an_empty_one(tmp_path: Path) -> None:
    """DuckDB creates a new database's file empty and writes its header within its open, holding the side lock
    shared meanwhile: while any connection holds it, an empty file is waited for, never deleted."""
    import fcntl

    empty = tmp_path / "h.duckdb"
    empty.touch()
    lock = os.open(f"{empty}{db.LOCK_SUFFIX}", os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)   # (as another process's connection holds it while it opens the file)
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="is busy"):
            with db.connect(empty, timeout=0.5):
                pass
        assert time.monotonic() - started >= 0.5
        assert empty.exists() and empty.stat().st_size == 0
    finally:
        os.close(lock)
    with db.connect(empty) as con:   # (let go: an empty file, made a database)
        assert con.execute("SELECT count(*) FROM mentions").fetchone() == (0,)
    assert empty.read_bytes()[8:12] == b"DUCK"


# --------------------------------------------------------------------------- Ctrl+C

def sigint_ready(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """A Python process whose Ctrl+C is Python's own (a process started in the background inherits SIGINT
    ignored, and Python then leaves it so)."""
    return subprocess.Popen([sys.executable, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "HIREPULSE_SALT": "s"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


LONG_STATEMENT = textwrap.dedent("""
    import sys
    from hirepulse import db
    with db.connect(sys.argv[1]) as con:
        con.execute("CREATE TABLE IF NOT EXISTS t (a BIGINT)")
    try:
        with db.connect(sys.argv[1]) as con, db.transaction(con):
            con.execute("INSERT INTO t SELECT range FROM range(1000)")
            print("running", flush=True)
            # minutes of work, in DuckDB's threads
            con.execute("INSERT INTO t SELECT count(*) FROM range(30000000) a, range(10000) b "
                        "WHERE hash(a.range + b.range) % 7 = 0")
    except KeyboardInterrupt:
        print("KeyboardInterrupt", flush=True)
    with db.connect(sys.argv[1], read_only=True) as con:
        print(con.execute("SELECT count(*) FROM t").fetchone()[0], flush=True)
""")


def test_ctrl_c_in_a_long_statement_rolls_back_at_once_as_a_keyboard_interrupt(tmp_path: Path) -> None:
    """DuckDB answers SIGINT with RuntimeError("Query interrupted") and leaves the statement running, so the
    ROLLBACK after it waited for minutes: db.connect stops the statement, and says KeyboardInterrupt."""
    proc = sigint_ready("-c", LONG_STATEMENT, str(tmp_path / "h.duckdb"), cwd=tmp_path)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "running\n"
        time.sleep(1.0)   # (into the long statement)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert time.monotonic() - started < 10
    assert (proc.returncode, out, err) == (0, "KeyboardInterrupt\n0\n", "")
