"""Every verb that writes, where the file system refuses the write, ends in one line on stderr and exit 1, with
the database as it was: no traceback, nothing half-written.

The verbs run as a subprocess for which file modes hold. Root ignores them, so when the tests run as root (CI
does) the subprocess runs under ``setpriv`` without root's power to override file modes (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH, from its bounding and inheritable sets): a folder of mode 0555 refuses it as it refuses any
user. A probe skips the tests, saying why, where modes still do not bind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLE_DIR, SAMPLE_SALT
from hirepulse import db

SAMPLE_CONFIG = SAMPLE_DIR / "hirepulse.toml"
MODES_BIND = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture(scope="module")
def modes_bind(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command prefix under which file modes bind a subprocess: none for a user, :data:`MODES_BIND` for root.
    Skips unless a probe shows it: this Python runs under the prefix, and a folder of mode 0555 refuses it a file
    (a file system that ignores modes, or a checkout the prefix cannot read, would make the tests fail for the
    wrong reason)."""
    prefix = MODES_BIND if os.geteuid() == 0 else []
    if prefix and shutil.which("setpriv") is None:
        pytest.skip("running as root, and there is no setpriv to take root's power to override file modes away")
    folder = tmp_path_factory.mktemp("probe")
    folder.chmod(0o555)
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", "import sys, hirepulse.cli\n"
                                "try:\n    open(sys.argv[1], 'w')\nexcept PermissionError:\n    sys.exit(0)\n"
                                "sys.exit(3)", str(folder / "x")], capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o755)
    if probe.returncode:
        pytest.skip("file modes do not bind a subprocess here (setpriv refused, the file system ignores modes, or "
                    f"the checkout cannot be read without root's powers): exit {probe.returncode}")
    return prefix


def hirepulse(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, with the salt of the sample the databases here hold."""
    return subprocess.run([*prefix, sys.executable, "-m", "hirepulse.cli", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "HIREPULSE_SALT": SAMPLE_SALT})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


HINTS = {"folder": "(the folder must be writable too, for DuckDB's log h.duckdb.wal)",
         "wal": "(h.duckdb.wal, DuckDB's log beside it, must be writable too)"}


@pytest.fixture(params=HINTS)
def locked_db(request: pytest.FixtureRequest, sample_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The analysed sample where DuckDB cannot write its WAL: in a folder no one may create a file in ("folder"),
    or beside a WAL of its last writes that no one may write to ("wal")."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "h.duckdb"
    shutil.move(sample_db, path)
    with db.connect(path, read_only=True):   # (as hirepulse leaves a file it used: its side lock beside it)
        pass
    wal = Path(f"{path}.wal")
    if request.param == "wal":   # (a write left in the log: a process that ended before its checkpoint)
        con = duckdb.connect(str(path))
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        con.execute("INSERT INTO cursors (source, key, value, updated_at) VALUES ('test', 'last', 'written', now())")
        con.close()
        assert wal.stat().st_size
        wal.chmod(0o444)
    else:
        folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)


def _one_id(path: Path) -> str:
    with db.connect(path, read_only=True) as con:
        return con.execute("SELECT id FROM mentions ORDER BY id LIMIT 1").fetchone()[0]


WRITING_VERBS = {
    "forget --id": lambda path: ["forget", "--id", _one_id(path)],
    "forget --author": lambda path: ["forget", "--author", "someone"],
    "purge": lambda path: ["purge", "--older-than", "1"],
    "redact": lambda path: ["redact"],
    "analyze": lambda path: ["analyze"],
    "import": lambda path: ["import", "--source", "survey2", str(SAMPLE_DIR / "candidate_survey.csv")],
    "demo": lambda path: ["demo", "--no-app"],
}


@pytest.mark.parametrize("verb", WRITING_VERBS)
def test_a_write_into_a_folder_that_refuses_it_is_one_line_and_changes_nothing(locked_db: Path, modes_bind: list[str],
                                                                               verb: str) -> None:
    args = WRITING_VERBS[verb](locked_db)
    folder = locked_db.parent

    def files() -> dict[str, str]:   # (not the analysis lock, `analyze`'s alone: who held it last is no stored data)
        return {name: digest(folder / name) for name in os.listdir(folder) if name != f"{locked_db.name}.analysis.lock"}

    before = files()
    done = hirepulse(modes_bind, "--db", str(locked_db), "--config", str(SAMPLE_CONFIG), *args)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if not line.startswith("hirepulse: warning:")]
    assert line.startswith(f"hirepulse: error: cannot write to {locked_db}: Failed to commit: "), line
    hint = HINTS["wal" if f"{locked_db.name}.wal" in before else "folder"]
    assert line.endswith(f"; nothing of that change was stored {hint}"), line
    assert files() == before


@pytest.mark.parametrize("under", ["", "reports/"])
def test_a_db_path_through_a_regular_file_names_the_file_in_the_way(tmp_path: Path, under: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from hirepulse.cli import main

    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "data" / f"{under}h.duckdb"
    assert main(["import", "--db", str(path), "--source", "survey", str(SAMPLE_DIR / "candidate_survey.csv")]) == 1
    assert capsys.readouterr().err == f"hirepulse: error: cannot create {path}: {tmp_path / 'data'} is a file, not a folder\n"
    assert (tmp_path / "data").read_text(encoding="utf-8") == "not a folder"


def test_a_db_path_through_a_folder_that_cannot_be_searched_is_said_as_the_database_s(tmp_path: Path,
                                                                                    modes_bind: list[str]) -> None:
    # (looking for a file in the folder's way must not itself fail on the folder it cannot search)
    closed = tmp_path / "closed"
    closed.mkdir()
    path = closed / "a" / "b" / "h.duckdb"
    closed.chmod(0)
    try:
        done = hirepulse(modes_bind, "--db", str(path), "import", "--source", "survey",
                         str(SAMPLE_DIR / "candidate_survey.csv"))
    finally:
        closed.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == f"hirepulse: error: cannot create {path}: {path.parent}: Permission denied\n"


def test_a_copy_left_by_a_rewrite_that_cannot_be_deleted_is_said_as_such(sample_db: Path, tmp_path: Path,
                                                                        modes_bind: list[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "h.duckdb"
    shutil.move(sample_db, path)
    copy = folder / f"h.duckdb{db.REWRITE_SUFFIX}"
    copy.write_bytes(b"what a killed rewrite had copied")
    folder.chmod(0o555)
    try:
        done = hirepulse(modes_bind, "--db", str(path), "analyze")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == (f"hirepulse: error: cannot delete {copy}, the copy an unfinished rewrite of the database "
                           "left (it may hold deleted data): Permission denied\n")
    assert sorted(os.listdir(folder)) == ["h.duckdb", copy.name]


# `hirepulse purge` with its progress bar replaced: as the rewrite's copy starts, the folder turns read-only (the
# copy fails: DuckDB cannot create the copy's log, and the copy cannot be deleted), and with "interrupt", Ctrl+C.
FOLDER_TURNS_READ_ONLY = """
import sys
from pathlib import Path
from hirepulse import cli

def progress(description, total):
    def update(done, new_total):
        Path(sys.argv[1]).parent.chmod(0o555)
        if sys.argv[2] == "interrupt":
            raise KeyboardInterrupt
    return update, lambda: None

cli._progress = progress
sys.exit(cli.main(["purge", "--older-than", "36500", "--db", sys.argv[1]]))
"""


@pytest.mark.parametrize("how", ["fails", "interrupt"])
def test_a_rewrite_that_cannot_delete_its_copy_says_why_it_failed_first_then_the_copy(
        sample_db: Path, tmp_path: Path, modes_bind: list[str], how: str) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "h.duckdb"
    shutil.move(sample_db, path)
    with db.connect(path) as con:   # (the deletion that makes the file owe a rewrite)
        assert db.forget_posts(con, ids=[_one_id(path)], salt=SAMPLE_SALT) == 1
    copy = folder / f"h.duckdb{db.REWRITE_SUFFIX}"
    try:
        done = subprocess.run([*modes_bind, sys.executable, "-c", FOLDER_TURNS_READ_ONLY, str(path), how],
                              capture_output=True, text=True, timeout=300)
    finally:
        folder.chmod(0o755)
    assert done.stdout == "deleted 0 mentions older than 36500 days\n"
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    if how == "fails":
        assert done.returncode == 1
        assert done.stderr.startswith(f"hirepulse: error: {path} still holds traces of deleted data: the copy failed: ")
        assert (f'{copy}.wal": Permission denied; the unfinished copy {copy} could not be deleted either '
                '(Permission denied): delete it ') in done.stderr
        assert done.stderr.endswith(", then the next `hirepulse forget` or `hirepulse purge` rewrites it\n")
    else:
        assert done.returncode == 130
        assert done.stderr == (f"hirepulse: error: interrupted; cannot delete {copy}, the copy an unfinished rewrite "
                               "of the database left (it may hold deleted data): Permission denied\n")
    assert sorted(os.listdir(folder)) == ["h.duckdb", "h.duckdb.lock", copy.name]
    # the folder writable again, the next purge deletes the copy and rewrites
    done = hirepulse(modes_bind, "--db", str(path), "purge", "--older-than", "36500")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"rewrote {path} ")
    assert sorted(os.listdir(folder)) == ["h.duckdb", "h.duckdb.lock"]


def test_a_report_the_file_system_refuses_midway_is_said_as_the_reports_and_leaves_none(sample_db: Path,
                                                                                        tmp_path: Path) -> None:
    # A file size limit (as a full disk would) stops DuckDB's COPY of mentions.csv: the reports' problem, not the
    # database's, and no report file and no staging folder are left. (Python ignores SIGXFSZ, so the write fails.)
    import resource

    limit = 16 * 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    assert sample_db.stat().st_size > limit   # (the database is only read)
    (tmp_path / "reports").mkdir()
    # into a folder that was there: left as it was; into folders the report made (a dated one, as cron's
    # `--out reports/$(date -u +%F)/weekly`): taken away again, not left empty for someone to wonder about
    for out in (tmp_path / "reports", tmp_path / "reports" / "2026-03-09" / "weekly"):
        done = subprocess.run([sys.executable, "-m", "hirepulse.cli", "--db", str(sample_db), "--config",
                               str(SAMPLE_CONFIG), "report", "--out", str(out)], capture_output=True, text=True,
                              timeout=300, preexec_fn=small_files)
        assert done.returncode == 1, done.stderr
        assert done.stderr == (f"hirepulse: error: --out: cannot write the reports into {out}: File too large "
                               f"({out / 'mentions.csv'})\n")
        assert list((tmp_path / "reports").iterdir()) == []


@pytest.mark.parametrize("verb", [["forget", "--author", "Candidate in Riverside"], ["purge", "--older-than", "400"]])
def test_an_erasure_the_disk_cannot_take_into_the_file_says_what_it_deleted_and_what_the_file_holds(
        sample_db: Path, verb: list[str]) -> None:
    # The deletion commits into DuckDB's log; moving it into the file then fails (a file size limit, as a full disk
    # would: Python ignores SIGXFSZ), which makes DuckDB give up the connection. The erasure is done all the same:
    # said and recorded, with the one line of what the file still holds, not an error that it failed.
    import resource

    limit = sample_db.stat().st_size

    def no_growth() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "HIREPULSE_SALT": SAMPLE_SALT}
    command = [sys.executable, "-m", "hirepulse.cli", "--db", str(sample_db), *verb]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, preexec_fn=no_growth)
    assert done.returncode == 1, done.stderr
    deleted = re.fullmatch(r"deleted (\d+) mentions (by that author|older than 400 days).*", done.stdout.splitlines()[0])
    assert deleted and int(deleted.group(1)) > 0, done.stdout
    assert done.stderr.startswith(f"hirepulse: error: {sample_db} still holds traces of deleted data: ")
    assert done.stderr.endswith("File too large; the next `hirepulse forget` or `hirepulse purge` rewrites it\n")
    assert len(done.stderr.splitlines()) == 1
    with duckdb.connect(str(sample_db), read_only=True) as con:
        kind = verb[0]
        assert con.execute("SELECT skipped_count FROM runs WHERE kind = ? ORDER BY started_at DESC LIMIT 1",
                           [kind]).fetchone() == (int(deleted.group(1)),), "the erasure is recorded"
    # with room again, the next purge finds nothing more to delete and rewrites the file
    done = subprocess.run([sys.executable, "-m", "hirepulse.cli", "--db", str(sample_db), "purge", "--older-than",
                           "36500"], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and done.stdout.splitlines()[-1].startswith(f"rewrote {sample_db} "), done
