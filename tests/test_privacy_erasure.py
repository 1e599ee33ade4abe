"""What `hirepulse forget` and `hirepulse purge` erase is gone from the bytes of the database file, not only from
its tables: DuckDB marks a deleted row's blocks free without overwriting them, so the file is rewritten
(hirepulse.db.ensure_erased): atomically, under the write lock, keeping its mode, owner and group, only when
something was deleted, and later when it could not be done at once."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from analysis.scoring import ANALYZER_VERSION
from hirepulse import db
from hirepulse.cli import _schedule_jobs, main
from hirepulse.config import load_config
from hirepulse.errors import DatabaseBusy, DatabaseError
from hirepulse.privacy import author_key
from hirepulse.scheduler import run_once
from test_collect_support import SALT, stored_bytes, write_config

# Each form of erasure gets a post of its own, with words found nowhere else: its text (which the analysis
# explanation quotes), its URL and its id.
FORMS = ("author", "url", "id", "purge")
KEPT = b"Zqxkept: the panel was kind and the offer came fast"


def beside(db_path: Path) -> list[str]:
    """The files in the database's folder, but for the analysis lock, which an analysis leaves beside it as any
    connection leaves the side lock (a lock file: no data of the database)."""
    return sorted(name for name in os.listdir(db_path.parent) if not name.endswith(".analysis.lock"))


def erased_text(form: str) -> bytes:
    return f"Zqx{form}text: the recruiter ghosted me after the onsite".encode()


def erased_url(form: str) -> bytes:
    return f"https://forum.example/t/zqx{form}url".encode()


def import_posts(tmp_path: Path) -> Path:
    """The four posts to erase and one to keep, imported and analysed into ``db/h.duckdb`` (a folder of its
    own: every file in it is read as the database's bytes)."""
    db_path = tmp_path / "db" / "h.duckdb"
    db_path.parent.mkdir()
    csv = tmp_path / "posts.csv"
    rows = ["id,text,published_at,author,url"]
    for form in FORMS:
        date = "2020-01-01" if form == "purge" else "2099-01-01"
        rows.append(f"{form},{erased_text(form).decode()},{date},{form}_writer,{erased_url(form).decode()}")
    rows.append(f"kept,{KEPT.decode()},2099-01-02,kept_writer,https://forum.example/t/kept")
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", str(csv), "--db", str(db_path)]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    return db_path


def erase(db_path: Path, form: str) -> list[str]:
    """Run the erasure of ``form`` as a user does; returns the lines it printed."""
    if form == "author":
        args = ["forget", "--author", f"{form}_writer"]
    elif form == "url":
        args = ["forget", "--url", erased_url(form).decode() + "/"]
    elif form == "id":
        (mention_id,) = [r[0] for r in _query(db_path, "SELECT id FROM mentions WHERE native_id = 'id'")]
        args = ["forget", "--id", mention_id]
    else:
        args = ["purge", "--older-than", "365"]
    return _main(args, db_path)


def _main(args: list[str], db_path: Path) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*args, "--db", str(db_path)]) == 0
    return out.getvalue().splitlines()


def _query(db_path: Path, sql: str) -> list[tuple]:
    with db.connect(db_path, read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("form", FORMS)
def test_what_an_erasure_deletes_is_gone_from_the_bytes_of_the_file(tmp_path: Path, form: str) -> None:
    db_path = import_posts(tmp_path)
    before = stored_bytes(db_path)
    # the test can see stored words at all: every post is there in plain bytes before
    assert KEPT in before and erased_text(form) in before and erased_url(form) in before
    said = erase(db_path, form)
    after = stored_bytes(db_path)
    assert erased_text(form) not in after and erased_url(form) not in after
    # the other posts are all still there
    assert KEPT in after
    assert all(erased_text(other) in after for other in FORMS if other != form)
    assert beside(db_path) == ["h.duckdb", "h.duckdb.lock"]   # no WAL, no copy left beside it
    assert said[0].startswith("deleted 1 mention")
    assert said[1].startswith(f"rewrote {db_path} so that no trace of what was deleted is left in it")


def test_the_rewritten_file_keeps_its_schema_data_mode_and_erasure_memory(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    os.chmod(db_path, 0o640)
    tables = ("mentions", "analysis", "analysis_stages", "fact_mentions", "fact_stages", "fact_days",
              "fact_stage_days", "labels", "cursors", "migrations", "erasures")
    with db.connect(db_path) as con:
        db.save_label(con, "import:kept", is_candidate_experience=True, sentiment="positive", stages=["offer"])
        expected = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
        last_run = con.execute("SELECT max(id) FROM runs").fetchone()[0]
    inode = db_path.stat().st_ino
    erase(db_path, "author")
    assert db_path.stat().st_ino != inode                       # a new file took the old one's name...
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o640        # ...with its permissions
    with db.connect(db_path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert db.facts_fresh(con)
        assert db.rewrite_owed(con) is None
        gone = {"import:author"}
        for table in tables:
            rows = sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall()))
            if table == "erasures":
                # the request is remembered in the new file: the author's key, and the erased post's id, URL and words
                assert sorted(r[0] for r in con.execute("SELECT kind FROM erasures").fetchall()) == [
                    "author", "content", "id", "url"]
            elif table in ("mentions", "analysis", "analysis_stages", "fact_mentions", "fact_stages"):
                assert rows == [r for r in expected[table] if not any(g in r for g in gone)], table
            elif table not in ("fact_days", "fact_stage_days"):  # (the day sums moved by the deleted post)
                assert rows == expected[table], table
        # the runs go on numbering where they were (the sequence came along)
        assert db.record_run(con, "test", "check", status="ok") > last_run + 1
    # and the erased author's post is still refused when the same export comes again
    assert main(["import", str(tmp_path / "posts.csv"), "--db", str(db_path)]) == 0
    assert _query(db_path, "SELECT count(*) FROM mentions WHERE native_id = 'author'") == [(0,)]


def test_a_purge_or_forget_that_deletes_nothing_does_not_rewrite(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    inode = db_path.stat().st_ino
    assert _main(["purge", "--older-than", "36500"], db_path) == ["deleted 0 mentions older than 36500 days"]
    said = _main(["forget", "--author", "nobody"], db_path)
    assert said[0] == "deleted 0 mentions by that author (and their analysis)"
    assert not any(line.startswith("rewrote ") for line in said)
    assert db_path.stat().st_ino == inode


def test_no_room_for_the_copy_is_one_line_and_the_next_run_rewrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db_path = import_posts(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr(db, "REWRITE_HEADROOM", 10**18)      # more free space than any disk has
    assert main(["forget", "--author", "author_writer", "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "deleted 1 mention by that author (and their analysis)\n"   # the deletion went through
    assert err.count("\n") == 1 and err.startswith(f"hirepulse: error: {db_path} still holds traces of deleted "
                                                   "data: rewriting it needs about ")
    assert err.endswith("; the next `hirepulse forget` or `hirepulse purge` rewrites it\n")
    assert erased_text("author") in stored_bytes(db_path)      # as it says
    assert _query(db_path, "SELECT count(*) FROM mentions WHERE native_id = 'author'") == [(0,)]
    assert main(["status", "--db", str(db_path)]) == 0
    assert "the file still holds traces of data deleted since " in capsys.readouterr().out
    # with room again, the next purge rewrites, though it deletes nothing itself
    monkeypatch.undo()
    said = _main(["purge", "--older-than", "36500"], db_path)
    assert said[0] == "deleted 0 mentions older than 36500 days" and said[1].startswith("rewrote ")
    assert erased_text("author") not in stored_bytes(db_path)


CRASH = textwrap.dedent("""
    import os, sys
    from hirepulse import db
    path = sys.argv[1]
    with db.connect(path) as con:
        assert db.forget_author(con, sys.argv[2], salt=sys.argv[3]) == 1
    def progress(done, total):
        if done:              # the copy has begun: the process dies here, as on a power cut or SIGKILL
            os._exit(3)
    db.ensure_erased(path, progress=progress)
""")


def test_a_rewrite_killed_midway_leaves_the_old_file_and_the_next_forget_finishes_it(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    killed = subprocess.run([sys.executable, "-c", CRASH, str(db_path), author_key("author_writer", SALT), SALT],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == 3, killed.stderr
    assert (db_path.parent / f"h.duckdb{db.REWRITE_SUFFIX}").exists()     # the half-written copy...
    with db.connect(db_path) as con:                                      # ...never replaced the file
        assert con.execute("SELECT native_id FROM mentions ORDER BY 1").fetchall() == [
            ("id",), ("kept",), ("purge",), ("url",)]
        assert db.schema_version(con) == db.SCHEMA_VERSION and db.rewrite_owed(con) is not None
    assert erased_text("author") in stored_bytes(db_path)
    said = _main(["forget", "--author", "nobody"], db_path)
    assert said[-1].startswith("rewrote ")
    assert erased_text("author") not in stored_bytes(db_path)
    assert beside(db_path) == ["h.duckdb", "h.duckdb.lock"]


READER = textwrap.dedent("""
    import sys
    from hirepulse import db
    from hirepulse.errors import DatabaseError
    try:
        with db.connect(sys.argv[1], read_only=True, timeout=0.5) as con:
            print(con.execute("SELECT count(*) FROM mentions").fetchone()[0])
    except DatabaseError as exc:
        print(exc)
""")


def test_the_file_stays_locked_until_the_new_one_is_in_place(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    with db.connect(db_path) as con:
        assert db.forget_author(con, author_key("author_writer", SALT), salt=SALT) == 1
    seen: list[str] = []
    writes: list[threading.Thread] = []

    def write_host() -> None:
        with db.connect(db_path) as con:
            db.set_not_before(con, "late.example", datetime(2030, 1, 1, tzinfo=timezone.utc))

    def progress(done: int, total: int) -> None:
        if done == total and not writes:   # every row copied, the file not yet replaced
            # another process cannot open it, not even to read...
            seen.append(subprocess.run([sys.executable, "-c", READER, str(db_path)], capture_output=True,
                                       text=True, timeout=60).stdout.strip())
            # ...and a thread of this one waits: a write now would land in the old file and be lost
            thread = threading.Thread(target=write_host)
            thread.start()
            writes.append(thread)
            thread.join(1.0)

    assert db.ensure_erased(db_path, progress=progress) is not None
    writes[0].join(60)
    assert seen and "is busy" in seen[0], seen
    # the thread's write went to the new file: another process sees it
    reread = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, duckdb
        con = duckdb.connect(sys.argv[1], read_only=True)
        print(con.execute("SELECT count(*) FROM host_state WHERE host = 'late.example'").fetchone()[0])
    """), str(db_path)], capture_output=True, text=True, timeout=60)
    assert reread.stdout.strip() == "1", reread.stderr
    assert erased_text("author") not in stored_bytes(db_path)


HOLDS_THE_SIDE_LOCK = textwrap.dedent("""
    import fcntl, sys
    with open(sys.argv[1], "a") as fh:   # (made if missing)
        fcntl.flock(fh, fcntl.LOCK_SH if sys.argv[2] == "shared" else fcntl.LOCK_EX)
        print("held", flush=True)
        sys.stdin.readline()
""")


@contextlib.contextmanager
def side_lock_held(db_path: Path, how: str):
    """Another process holding the file's side lock: "shared" as a connection being opened, "alone" as a rewrite
    across its rename."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDS_THE_SIDE_LOCK, f"{db_path}{db.LOCK_SUFFIX}", how],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.communicate("\n", timeout=60)


def test_a_rewrite_and_the_opening_of_a_connection_wait_for_each_other(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    with db.connect(db_path) as con:
        assert db.forget_author(con, author_key("author_writer", SALT), salt=SALT) == 1
    inode = db_path.stat().st_ino
    with side_lock_held(db_path, "shared"):   # a connection of another process, being opened
        with pytest.raises(DatabaseBusy, match=r"could not rewrite .*: .* is busy \(another hirepulse process is "
                                               r"opening it\); gave up waiting; the next"):
            db.ensure_erased(db_path, timeout=1)
    assert db_path.stat().st_ino == inode
    with side_lock_held(db_path, "alone"):    # a rewrite of another process, across its rename
        with pytest.raises(DatabaseBusy, match="another hirepulse process holds it"):
            with db.connect(db_path, read_only=True, timeout=1):
                pass
    assert db.ensure_erased(db_path) is not None and db_path.stat().st_ino != inode


# The race the side lock closes, made to happen: `strace` holds a connection's DuckDB lock call (the first fcntl on
# the file) for seconds, as a busy machine might for microseconds, after DuckDB opened the old file. Meanwhile the
# rewrite replaces and closes it, and a third process writes to the new file and dies before its checkpoint: its
# write is in the log beside the file (by name) only. Let in, the held connection would lock the old file, take
# that log into it and delete it as it closes.
HOLD_SECONDS = 6
OPENED_THEN_HELD = textwrap.dedent("""
    import os, sys
    print(os.getpid(), flush=True)
    from hirepulse import db
    with db.connect(sys.argv[1]) as con:
        con.execute("SELECT count(*) FROM mentions").fetchone()
""")
WRITES_THEN_DIES = textwrap.dedent("""
    import os, sys
    from datetime import datetime, timezone
    from hirepulse import db
    sys.stdin.readline()
    with db.connect(sys.argv[1]) as con:
        db.set_not_before(con, "late.example", datetime(2030, 1, 1, tzinfo=timezone.utc))
        os._exit(0)   # (no checkpoint: the write is in h.duckdb.wal only)
""")


@pytest.fixture(scope="module")
def strace() -> list[str]:
    """strace, to hold one system call of a process; skips where it is missing or may not trace."""
    import shutil

    if shutil.which("strace") is None:
        pytest.skip("no strace to hold a connection between DuckDB's open and its lock")
    probe = subprocess.run(["strace", "-qq", "-o", os.devnull, "-e", "inject=fcntl:delay_enter=1", sys.executable,
                            "-c", "pass"], capture_output=True, text=True, timeout=120)
    if probe.returncode:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()[:200]}")
    return ["strace", "-qq", "-o", os.devnull]


def _has_open(pid: int, inode: int) -> bool:
    """Whether process ``pid`` has a file of ``inode`` open."""
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):   # (closed meanwhile)
            if os.stat(f"/proc/{pid}/fd/{fd}").st_ino == inode:
                return True
    return False


def test_a_connection_held_across_the_rename_leaves_the_new_files_log_alone(tmp_path: Path,
                                                                            strace: list[str]) -> None:
    db_path = import_posts(tmp_path)
    with db.connect(db_path) as con:
        assert db.forget_author(con, author_key("author_writer", SALT), salt=SALT) == 1
    old = db_path.stat().st_ino
    dies = subprocess.Popen([sys.executable, "-c", WRITES_THEN_DIES, str(db_path)], stdin=subprocess.PIPE, text=True)
    held = subprocess.Popen([*strace, "-P", str(db_path), "-e", "trace=fcntl", "-e",
                             f"inject=fcntl:delay_enter={HOLD_SECONDS * 1_000_000}:when=1", sys.executable, "-c",
                             OPENED_THEN_HELD, str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        pid = int(held.stdout.readline())
        deadline = time.monotonic() + 60   # until DuckDB has opened the old file (its lock call held)
        while not _has_open(pid, old):
            assert time.monotonic() < deadline and held.poll() is None, "the old file was never opened"
            time.sleep(0.01)
        assert db.ensure_erased(db_path) is not None
        dies.communicate("\n", timeout=60)
        _, err = held.communicate(timeout=120)
        assert held.returncode == 0, err
    finally:
        for proc in (dies, held):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert db_path.stat().st_ino != old
    assert _query(db_path, "SELECT count(*) FROM host_state WHERE host = 'late.example'") == [(1,)]


def test_a_rewrite_asked_to_stop_leaves_the_old_file(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    with db.connect(db_path) as con:
        assert db.forget_author(con, author_key("author_writer", SALT), salt=SALT) == 1
    inode = db_path.stat().st_ino
    with pytest.raises(DatabaseError, match="stopped before the rewrite finished"):
        db.ensure_erased(db_path, should_stop=lambda: True)
    assert db_path.stat().st_ino == inode and beside(db_path) == ["h.duckdb", "h.duckdb.lock"]
    with db.connect(db_path, read_only=True) as con:
        assert db.rewrite_owed(con) is not None


def test_the_scheduled_purge_rewrites_only_when_it_deleted(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    config = load_config(write_config(tmp_path, {}, extra="\n[privacy]\nretention_days = 36500\n"), required=True)
    (purge,) = [j for j in _schedule_jobs(config, db_path, [], salt=SALT) if j.name == "purge"]
    inode = db_path.stat().st_ino
    assert run_once([purge]) == {"purge": None}
    assert db_path.stat().st_ino == inode                      # nothing deleted: the file was left alone
    config = load_config(write_config(tmp_path, {}, extra="\n[privacy]\nretention_days = 365\n"), required=True)
    (purge,) = [j for j in _schedule_jobs(config, db_path, [], salt=SALT) if j.name == "purge"]
    assert run_once([purge]) == {"purge": None}
    assert db_path.stat().st_ino != inode
    assert erased_text("purge") not in stored_bytes(db_path) and KEPT in stored_bytes(db_path)


def test_a_database_reached_through_a_symbolic_link_is_rewritten_where_it_lies(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    link = tmp_path / "link.duckdb"
    link.symlink_to(db_path)
    erase(link, "author")
    assert link.is_symlink() and link.resolve() == db_path.resolve()
    assert erased_text("author") not in stored_bytes(db_path) and KEPT in stored_bytes(db_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_the_rewritten_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    os.chown(db_path, 12345, 23456)      # a service user's file, erased on request by root
    erase(db_path, "author")
    assert (db_path.stat().st_uid, db_path.stat().st_gid) == (12345, 23456)
    assert erased_text("author") not in stored_bytes(db_path)


HOLDER = textwrap.dedent("""
    import sys
    from hirepulse import db
    with db.connect(sys.argv[1], read_only=True) as con:   # the dashboard, reading
        print("holding", flush=True)
        sys.stdin.readline()
""")


def test_a_file_another_process_holds_is_waited_for_then_said_busy_and_rewritten_later(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    with db.connect(db_path) as con:
        assert db.forget_author(con, author_key("author_writer", SALT), salt=SALT) == 1
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            # (busy, as the scheduler knows it: a job that met a busy file is tried again within the half hour)
            with pytest.raises(DatabaseBusy, match=r"^could not rewrite .* is busy .*; the next `hirepulse forget` or "
                                                   r"`hirepulse purge` will$"):
                db.ensure_erased(db_path, timeout=0.5)
        finally:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.close()
            holder.wait(60)
    assert erased_text("author") in stored_bytes(db_path)     # untouched while it was held
    assert db.ensure_erased(db_path) is not None
    assert erased_text("author") not in stored_bytes(db_path)


def test_purged_run_errors_leave_the_bytes_of_the_file_too(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    secret = "Zqxrunerror: row 3 held jane.zqx"
    with db.connect(db_path) as con:
        run_id = db.record_run(con, "survey", "import", status="error", error=secret)
        con.execute("UPDATE runs SET started_at = started_at - INTERVAL 800 DAY, "
                    "finished_at = finished_at - INTERVAL 800 DAY WHERE id = ?", [run_id])
        con.execute("CHECKPOINT")
    assert b"Zqxrunerror" in stored_bytes(db_path)
    said = _main(["purge", "--older-than", "365"], db_path)
    assert "deleted the error text of 1 run that ended before then" in said and said[-1].startswith("rewrote ")
    assert b"Zqxrunerror" not in stored_bytes(db_path)


def test_a_copy_left_by_a_killed_rewrite_goes_at_the_next_write(tmp_path: Path) -> None:
    db_path = import_posts(tmp_path)
    killed = subprocess.run([sys.executable, "-c", CRASH, str(db_path), author_key("author_writer", SALT), SALT],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == 3, killed.stderr
    assert (db_path.parent / f"h.duckdb{db.REWRITE_SUFFIX}").exists()   # a copy of every post, beside the file
    with db.connect(db_path, read_only=True):
        pass   # (a reader cannot know whether a rewrite is under way: it leaves the copy alone)
    assert (db_path.parent / f"h.duckdb{db.REWRITE_SUFFIX}").exists()
    with db.connect(db_path) as con:   # any writer holds the lock no rewrite can run without
        db.record_run(con, "test", "check", status="ok")
    assert beside(db_path) == ["h.duckdb", "h.duckdb.lock"]


def test_a_database_used_before_rewrites_existed_owes_one_and_a_new_one_does_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "old.duckdb"
    with monkeypatch.context() as patch:   # made by a version that deleted without rewriting the file
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:8])
        with db.connect(old) as con:
            db.record_run(con, "privacy", "forget", status="ok", skipped=3)
    with db.connect(old) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION and db.rewrite_owed(con) is not None
    new = tmp_path / "new.duckdb"
    with db.connect(new) as con:
        assert db.rewrite_owed(con) is None
    assert _main(["purge", "--older-than", "365"], old)[-1].startswith("rewrote ")
    with db.connect(old, read_only=True) as con:
        assert db.rewrite_owed(con) is None


def test_redact_applies_todays_rules_to_what_an_older_version_stored(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = import_posts(tmp_path)
    config = write_config(tmp_path, {"stackexchange": {"enabled": True, "key_env": "ZQX_SE_KEY"}})
    monkeypatch.setenv("ZQX_SE_KEY", "zqxsekey-4242-secret")
    with db.connect(db_path) as con:   # as an older redactor left them: a number it missed, an error it kept whole
        con.execute("UPDATE mentions SET text = text || ' My IP 203.0.113.45 was blocked. Call me on +447700900123.' "
                    "WHERE native_id = 'kept'")
        con.execute(f"UPDATE mentions AS i SET content_hash = {db._CONTENT_HASH_SQL} WHERE native_id = 'kept'")
        run_id = db.record_run(con, "survey", "import", status="error", error="row 3 unreadable")
        con.execute("UPDATE runs SET error = ? WHERE id = ?", ["row 3: date 'jane.zqx@example.org' unreadable", run_id])
        db.record_run(con, "stackexchange", "collect", status="error", error="HTTP 400")
        con.execute("UPDATE runs SET error = 'HTTP 400: key zqxsekey-4242-secret is not valid' WHERE error = 'HTTP 400'")
        (kept,) = con.execute("SELECT id FROM mentions WHERE native_id = 'kept'").fetchone()
        db.save_label(con, kept, is_candidate_experience=True, sentiment="positive", stages=["interview"])
        con.execute("CHECKPOINT")
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mentions WHERE text LIKE '%+447700900123%'").fetchone()[0] == 1
    assert b"jane.zqx@example.org" in stored_bytes(db_path) and b"zqxsekey-4242" in stored_bytes(db_path)
    said = _main(["redact", "--config", str(config)], db_path)
    assert said[0] == ("redacted 1 mention and the error text of 2 runs again with the current rules (run "
                       "`hirepulse analyze` to read the changed posts again)") and said[-1].startswith("rewrote ")
    assert not any(b in stored_bytes(db_path) for b in (b"+447700900123", b"jane.zqx@example.org", b"zqxsekey-4242",
                                                         b"203.0.113.45"))
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT text FROM mentions WHERE id = ?", [kept]).fetchone()[0].endswith(
            " My IP [ip] was blocked. Call me on [phone].")
        assert db.label_count(con) == 1 and db.count_pending_analysis(con, ANALYZER_VERSION) == 1
    assert _main(["redact", "--config", str(config)], db_path) == [
        "redacted 0 mentions and the error text of 0 runs again with the current rules"]   # (nothing left: no rewrite)
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE error LIKE '%key [key] is not valid%'").fetchone()[0] == 1
    assert any(" redact   privacy        ok         done" in line for line in _main(["status"], db_path))


def test_another_salt_than_the_databases_is_refused_before_anything_is_stored_or_erased(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Under a mistyped or changed salt no key matches: an erased author's posts would be imported again, and an
    # old erasure re-keyed under the wrong salt for good. The file keeps a keyed check of its salt.
    db_path = import_posts(tmp_path)
    assert main(["forget", "--author", "author_writer", "--db", str(db_path)]) == 0
    stored = _query(db_path, "SELECT count(*) FROM mentions")
    monkeypatch.setenv("HIREPULSE_SALT", "a-salt-typed-wrong")
    capsys.readouterr()
    csv = tmp_path / "posts.csv"
    for args in (["import", str(csv)], ["forget", "--author", "kept_writer"], ["forget", "--id", "csv:kept"]):
        assert main([*args, "--db", str(db_path)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the privacy salt given is not the one this database's keys were made with" in err
        assert "a-salt-typed-wrong" not in err
    assert _query(db_path, "SELECT count(*) FROM mentions") == stored
    assert not _query(db_path, "SELECT value FROM cursors WHERE value LIKE '%typed-wrong%'")
    # a database written before the check: the first salt given is taken as its own
    with db.connect(db_path) as con:
        con.execute("DELETE FROM cursors WHERE source = 'privacy' AND key = '__salt__'")
    assert main(["import", str(csv), "--db", str(db_path)]) == 0
    monkeypatch.setenv("HIREPULSE_SALT", SALT)
    assert main(["import", str(csv), "--db", str(db_path)]) == 1


def test_hirepulse_salt_says_whether_the_salt_set_is_the_databases_and_status_says_it_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = import_posts(tmp_path)
    capsys.readouterr()
    assert main(["salt", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("HIREPULSE_SALT is the one this database's keys were made with (checked "
                                              "since ")
    assert main(["status", "--db", str(db_path)]) == 0
    assert "  salt: HIREPULSE_SALT is the one this database's keys" in capsys.readouterr().out
    monkeypatch.setenv("HIREPULSE_SALT", "a-salt-typed-wrong")
    assert main(["salt", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HIREPULSE_SALT is not the salt this database's keys were made with" in err
    assert "a-salt-typed-wrong" not in err
    assert main(["status", "--db", str(db_path)]) == 0
    assert "  salt: HIREPULSE_SALT is NOT the one" in capsys.readouterr().out
    monkeypatch.delenv("HIREPULSE_SALT")
    assert main(["status", "--db", str(db_path)]) == 0
    assert "  salt: HIREPULSE_SALT is not set" in capsys.readouterr().out


def test_salt_drop_check_lets_the_right_salt_store_again_where_a_wrong_one_was_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # a database from before the check, whose first run after the upgrade had a mistyped salt: the right one is
    # then refused until the check is dropped
    db_path = import_posts(tmp_path)
    csv = tmp_path / "posts.csv"
    with db.connect(db_path) as con:
        con.execute("DELETE FROM cursors WHERE source = 'privacy' AND key = '__salt__'")
    capsys.readouterr()
    assert main(["salt", "--db", str(db_path)]) == 0
    assert "no salt check recorded" in capsys.readouterr().out
    monkeypatch.setenv("HIREPULSE_SALT", "a-salt-typed-wrong")
    assert main(["import", str(csv), "--db", str(db_path)]) == 0
    monkeypatch.setenv("HIREPULSE_SALT", SALT)
    assert main(["forget", "--author", "kept_writer", "--db", str(db_path)]) == 1
    capsys.readouterr()
    assert main(["salt", "--drop-check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("dropped the salt check recorded on ")
    assert not _query(db_path, "SELECT * FROM cursors WHERE source = 'privacy' AND key = '__salt__'")
    assert main(["forget", "--author", "kept_writer", "--db", str(db_path)]) == 0
    assert main(["import", str(csv), "--db", str(db_path)]) == 0
    assert main(["salt", "--db", str(db_path)]) == 0
    assert main(["salt", "--drop-check", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["salt", "--drop-check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.endswith("nothing to drop\n")


def test_salt_drop_check_refuses_the_demos_database_and_a_missing_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "demo.duckdb"
    assert main(["demo", "--no-app", "--db", str(demo)]) == 0
    capsys.readouterr()
    assert main(["salt", "--drop-check", "--db", str(demo)]) == 1
    assert "holds the synthetic sample of `hirepulse demo`" in capsys.readouterr().err
    assert _query(demo, "SELECT count(*) FROM cursors WHERE source = 'privacy' AND key = '__salt__'") == [(1,)]
    assert main(["salt", "--db", str(tmp_path / "typo.duckdb")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "typo.duckdb").exists()
