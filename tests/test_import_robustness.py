"""`hirepulse import` and `--db` meeting what real users give them: a CSV as the database, an empty file, a folder,
a path that names nothing, company names spelt their own way, rows older than retention, big files and Ctrl+C.
Real files, a real DuckDB file, real subprocesses for the signals."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from collectors.imports import IMPORT_STEP_ROWS
from hirepulse import db
from hirepulse.cli import main
from hirepulse.errors import DatabaseError
from hirepulse.models import company_key

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


# --------------------------------------------------------------------------- paths that name no file

def _created(db_path: Path) -> str:
    """The line collect, import and schedule say when they create the database file."""
    return f"hirepulse: creating a new database at {db_path.resolve()}"


def test_a_missing_file_or_a_folder_is_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    missing = tmp_path / "june.csv"
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "june.csv").write_text(SURVEY, encoding="utf-8")
    inside_a_file = survey / "june.csv"
    for path, said in ((missing, f"no such file: {missing}"), (folder, f"is a folder: {folder}"),
                       (inside_a_file, f"no such file: {inside_a_file}")):
        for check in ([], ["--check"]):
            assert main(["import", str(path), "--db", str(db_path), *check]) == 1
            assert capsys.readouterr().err == f"hirepulse: error: {said}\n"
    assert not db_path.exists()
    # among several files, each is named on its line and the others are imported
    args = ["import", str(missing), str(survey), str(folder), "--db", str(db_path), "--map", "submitted=published_at",
            "comment=text", "step=stage"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"hirepulse: error: no such file: {missing}",
                                         _created(db_path),   # (by the survey, the first file imported)
                                         f"hirepulse: error: is a folder: {folder}",
                                         f"hirepulse: 2 of 3 files not imported: {missing}, {folder}"]
    assert captured.out.startswith(f"{survey}: 2 rows, 2 new")


# --------------------------------------------------------------------------- companies spelt their own way

CONFIG = """[[companies]]
name = "Acme"
aliases = ["Acme Widgets"]
competitors = ["Brightwater"]

[[companies]]
name = "Brightwater"
aliases = ["BWG"]
"""


def test_company_key_sets_aside_case_spacing_punctuation_and_legal_forms() -> None:
    for name in ("ACME corp", "Acme Corp.", "acme", "  Acme,  Inc. ", "The Acme Company", "Acme & Co.", "ACME GmbH"):
        assert company_key(name) == "acme", name
    assert company_key("AT&T") == company_key("AT and T") == "atandt"
    assert company_key("McDonald's") == company_key("McDonalds")
    assert company_key("Nestlé S.A.") == company_key("Nestle SA") == "nestle"
    assert company_key("Bright Water") == company_key("Brightwater")
    assert company_key("Company") == "company" and company_key("The Company") == "company"
    assert company_key("Acme Group") != company_key("Acme")   # (a word of the name, not a legal form)
    assert company_key("Procter & Gamble Co") == "procterandgamble"


def test_company_values_match_the_configured_companies_forgivingly_and_the_rest_are_named_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "hirepulse.toml"
    config.write_text(CONFIG, encoding="utf-8")
    spelt = ["ACME corp", "Acme Corp.", "acme", "acme widgets inc", "brightwater ltd", "B.W.G."]
    others = [f"Unknown Shop {n}" for n in range(1, 11)]   # ten companies the config does not name
    rows = [*spelt, *others, *others[:3]]
    path = tmp_path / "reviews.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["date", "company", "text"])
        for n, company in enumerate(rows):
            writer.writerow([f"2025-06-{n % 28 + 1:02d}", company, f"Review {n}: the recruiter was kind."])
    db_path = tmp_path / "h.duckdb"
    shown = ", ".join(others[:8])
    warning = (f"hirepulse: warning: {path}: 10 companies in the file match no configured company, {{}}kept as "
               f"given: {shown} and 2 more (add them to [[companies]], as a name or an alias, to have them matched)\n")
    assert main(["import", str(path), "--check", "--db", str(db_path), "--config", str(config)]) == 0
    assert capsys.readouterr().err == warning.format("would be ")
    assert main(["import", str(path), "--db", str(db_path), "--config", str(config)]) == 0
    assert capsys.readouterr().err == _created(db_path) + "\n" + warning.format("")
    stored = dict(mentions(db_path, "SELECT company, count(*) FROM mentions GROUP BY company"))
    assert stored == {"Acme": 4, "Brightwater": 2, **{c: 2 if c in others[:3] else 1 for c in others}}
    # every value matched: no warning; one value left: named alone
    (tmp_path / "ok.csv").write_text("date,company,text\n2025-06-01,ACME Corp,Fine.\n2025-06-02,Bogus Inc,Fine too.\n",
                                     encoding="utf-8")
    assert main(["import", str(tmp_path / "ok.csv"), "--db", str(db_path), "--config", str(config)]) == 0
    assert capsys.readouterr().err == (f"hirepulse: warning: {tmp_path / 'ok.csv'}: 1 company in the file matches no "
                                       "configured company, kept as given: Bogus Inc (add it to [[companies]], as a "
                                       "name or an alias, to have it matched)\n")


def test_a_key_two_configured_companies_share_matches_neither(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "hirepulse.toml"
    config.write_text('[[companies]]\nname = "Acme Inc"\n\n[[companies]]\nname = "Acme Ltd"\n', encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_text("date,company,text\n2025-06-01,acme ltd,Fine.\n2025-06-02,ACME,Fine too.\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "h.duckdb"), "--config", str(config)]) == 0
    assert "1 company in the file matches no configured company, kept as given: ACME " in capsys.readouterr().err
    assert sorted(mentions(tmp_path / "h.duckdb", "SELECT company FROM mentions")) == [("ACME",), ("Acme Ltd",)]


# --------------------------------------------------------------------------- rows older than retention

def test_rows_older_than_retention_are_imported_with_a_warning_and_purge_deletes_just_those(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "hirepulse.toml"
    config.write_text('[[companies]]\nname = "Acme"\n\n[privacy]\nretention_days = 30\n', encoding="utf-8")
    today = datetime.now(timezone.utc)
    dates = [today - timedelta(days=400), today - timedelta(days=31), today - timedelta(days=29), today]
    path = tmp_path / "a.csv"
    path.write_text("date,text\n" + "".join(f"{d:%Y-%m-%dT%H:%M:%SZ},Post {n}\n" for n, d in enumerate(dates)),
                    encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    cutoff = f"{today - timedelta(days=30):%Y-%m-%d}"
    said = (f"hirepulse: warning: {path}: 2 rows are dated before {cutoff}, older than [privacy] retention_days "
            "(30 days): {}\n")
    args = ["import", str(path), "--db", str(db_path), "--config", str(config)]
    assert main([*args, "--check"]) == 0
    assert capsys.readouterr().err == said.format("once imported, the next `hirepulse purge` would delete them")
    assert main(args) == 0
    assert capsys.readouterr().err == _created(db_path) + "\n" + said.format("imported, but the next `hirepulse purge` "
                                                                               "deletes them")
    assert mentions(db_path) == [(4,)]
    assert main(["purge", "--db", str(db_path), "--config", str(config)]) == 0
    assert capsys.readouterr().out.startswith("deleted 2 mentions older than 30 days")
    assert sorted(mentions(db_path, "SELECT text FROM mentions")) == [("Post 2",), ("Post 3",)]
    # no retention configured: nothing to warn of
    bare = tmp_path / "bare.toml"
    bare.write_text('[[companies]]\nname = "Acme"\n', encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path), "--config", str(bare)]) == 0
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- big files: progress, Ctrl+C

def big_csv(path: Path, rows: int) -> Path:
    """A synthetic export of ``rows`` rows of about 300 bytes each."""
    rng = random.Random(7)
    words = ("recruiter", "interview", "never", "heard", "back", "offer", "great", "panel", "slow", "onboarding")
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "published_at", "author", "text"])
        for n in range(rows):
            writer.writerow([f"r{n}", (start + timedelta(minutes=n)).isoformat(), f"user{n % 500}",
                             " ".join(rng.choice(words) for _ in range(40))])
    return path


def test_a_big_file_says_how_far_its_import_is_in_steps_of_rows(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = big_csv(tmp_path / "big.csv", 2 * IMPORT_STEP_ROWS - 20_000)   # (about 24 MB)
    assert path.stat().st_size >= 5_000_000
    total = 2 * IMPORT_STEP_ROWS - 20_000
    assert main(["import", str(path), "--db", str(tmp_path / "h.duckdb")]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [   # (stderr is no terminal here: plain lines, one a step)
        f"{path}: reading {path.stat().st_size / 1e6:,.1f} MB",
        f"{path}: {IMPORT_STEP_ROWS:,} of {total:,} rows prepared",
        f"{path}: {total:,} of {total:,} rows prepared",
        _created(tmp_path / "h.duckdb"),   # (once the rows are read: a file refused makes none)
        f"{path}: {IMPORT_STEP_ROWS:,} of {total:,} rows stored",
        f"{path}: {total:,} of {total:,} rows stored"]
    assert captured.out.startswith(f"{path}: {total} rows, {total} new")
    assert mentions(tmp_path / "h.duckdb") == [(total,)]
    small = tmp_path / "small.csv"
    small.write_text("date,text\n2025-06-01,Fine.\n", encoding="utf-8")
    assert main(["import", str(small), "--db", str(tmp_path / "h.duckdb")]) == 0
    assert capsys.readouterr().err == ""


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


@contextlib.contextmanager
def _interrupting(proc: subprocess.Popen[str]) -> Iterator[list[str]]:
    """Once the body has brought ``proc`` to where it should be stopped: Ctrl+C, then its stdout and stderr in the
    list yielded, asserting that it ended within 10 seconds of the signal (a rollback that hangs fails here)."""
    ended: list[str] = []
    try:
        yield ended
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        ended.extend(proc.communicate(timeout=30))
        assert time.monotonic() - started < 10
    finally:
        proc.kill()


def test_ctrl_c_in_a_long_statement_rolls_back_at_once_as_a_keyboard_interrupt(tmp_path: Path) -> None:
    """DuckDB answers SIGINT with RuntimeError("Query interrupted") and leaves the statement running, so the
    ROLLBACK after it waited for minutes: db.connect stops the statement, and says KeyboardInterrupt."""
    proc = sigint_ready("-c", LONG_STATEMENT, str(tmp_path / "h.duckdb"), cwd=tmp_path)
    with _interrupting(proc) as ended:
        assert proc.stdout is not None and proc.stdout.readline() == "running\n"
        time.sleep(1.0)   # (into the long statement)
    out, err = ended
    assert (proc.returncode, out, err) == (0, "KeyboardInterrupt\n0\n", "")


def test_ctrl_c_during_a_big_import_stores_nothing_of_it_and_says_so_in_one_line(tmp_path: Path) -> None:
    path = big_csv(tmp_path / "big.csv", 18_000)   # (over 5 MB: its progress says when it is storing)
    db_path = tmp_path / "h.duckdb"
    # in steps of 2,000 rows, so that Ctrl+C comes with some of them stored in the transaction, more to come
    code = ("import sys, collectors.imports as imports; imports.IMPORT_STEP_ROWS = 2_000; from hirepulse.cli import "
            "main; sys.exit(main(sys.argv[1:]))")
    proc = sigint_ready("-c", code, "import", str(path), "--db", str(db_path), cwd=tmp_path)
    with _interrupting(proc) as ended:
        assert proc.stderr is not None
        lines = [proc.stderr.readline()]
        while "rows stored" not in lines[-1]:
            assert lines[-1], lines
            lines.append(proc.stderr.readline())
        assert lines[-1] == f"{path}: 2,000 of 18,000 rows stored\n"
    out, err = ended
    assert proc.returncode == 130
    assert out == ""
    said = [line for line in err.splitlines() if "rows stored" not in line]   # (a step may finish meanwhile)
    assert said == [f"hirepulse: error: interrupted; nothing from {path} was stored"]
    assert mentions(db_path) == [(0,)]
    assert mentions(db_path, "SELECT count(*) FROM runs WHERE kind = 'import'") == [(0,)]
