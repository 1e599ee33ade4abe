"""Collection health from the runs log, as the dashboard reads it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from hirepulse import db
from hirepulse.config import parse_config
from hirepulse.health import collection_health
from hirepulse.models import Mention

CONFIG = parse_config("""
[[companies]]
name = "Acme"
[sources.hackernews]
schedule = "15 */4 * * *"
[sources.reddit]
enabled = false
""")


def test_health_per_source(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    when = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="hackernews", native_id=str(i), text="Acme", published_at=when)
                                 for i in range(3)], salt="s")
        db.record_run(con, "hackernews", "collect", status="ok", new=3)
        db.record_run(con, "hackernews", "collect", status="error", error="HTTP 503 from https://hn.algolia.com/x")
        db.record_run(con, "hackernews", "collect", status="ok", new=0)
        db.record_run(con, "gdelt", "collect", status="error", error="rate limited")
        db.record_run(con, "youtube", "collect", status="stopped", new=4, error="the daily_units budget of 2 is spent")
        db.record_run(con, "stackexchange", "collect", status="stopped", error="stop signal")
        db.record_run(con, "stackexchange", "collect", status="ok", new=1)
        db.record_run(con, "import", "import", status="ok", new=10)
    with db.connect(path, read_only=True) as con:
        health = {h["source"]: h for h in collection_health(con, CONFIG, now=when)}
    hn = health["hackernews"]
    assert (hn["enabled"], hn["mentions_stored"], hn["new_in_last_run"], hn["runs"], hn["last_status"]) == (True, 3, 0, 3, "ok")
    assert hn["last_error"] == "HTTP 503 from https://hn.algolia.com/x" and hn["last_success_at"] >= hn["last_error_at"]
    assert hn["next_run_at"] == datetime(2024, 5, 1, 12, 15, tzinfo=timezone.utc)
    assert health["gdelt"]["last_success_at"] is None and health["gdelt"]["last_error"] == "rate limited"
    assert health["reddit"]["enabled"] is False and health["reddit"]["next_run_at"] is None
    assert health["mastodon"]["runs"] == 0 and health["mastodon"]["mentions_stored"] == 0
    # why the last run stopped early, while it is the last: a spent budget is not an error
    youtube = health["youtube"]
    assert (youtube["last_status"], youtube["stopped_because"], youtube["last_error"]) == (
        "stopped", "the daily_units budget of 2 is spent", None)
    assert health["stackexchange"]["stopped_because"] is None and hn["stopped_because"] is None
    assert list(health) == ["hackernews", "mastodon", "stackexchange", "feeds", "web", "gdelt", "reddit", "bluesky",
                            "youtube"]


def _run(con, source: str, *, pid: int | None, host: str | None, started_at: datetime, kind: str = "collect") -> int:
    run_id = db.start_run(con, source, kind)
    con.execute("UPDATE runs SET pid = ?, host = ?, started_at = ? WHERE id = ?", [pid, host, started_at, run_id])
    return run_id


def test_a_run_whose_process_is_gone_or_that_is_a_day_old_reads_as_interrupted(tmp_path: Path) -> None:
    import subprocess
    import sys
    from datetime import timedelta

    path = tmp_path / "h.duckdb"
    now = datetime.now(timezone.utc)
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    assert ended.wait(timeout=60) == 0
    try:
        with db.connect(path) as con:
            runs = {
                "live": _run(con, "hackernews", pid=alive.pid, host=db.HOST, started_at=now),
                "mine": db.start_run(con, "mastodon", "collect"),   # this process's, as a scheduler thread's
                "ended": _run(con, "stackexchange", pid=ended.pid, host=db.HOST, started_at=now),
                # a process given the id of one that recorded a run before it started (a restarted container's)
                "reused": _run(con, "feeds", pid=alive.pid, host=db.HOST, started_at=now - timedelta(hours=1)),
                "elsewhere": _run(con, "web", pid=1, host="another-host.invalid", started_at=now - timedelta(hours=23)),
                "old": _run(con, "gdelt", pid=1, host="another-host.invalid", started_at=now - timedelta(hours=25)),
            }
        with db.connect(path, read_only=True) as con:
            gone = db.interrupted_runs(con)
            health = {h["source"]: h for h in collection_health(con, CONFIG)}
        assert gone == {runs["ended"]: "the process ended before the run finished",
                        runs["reused"]: "the process ended before the run finished",
                        runs["old"]: "no end recorded within 24 hours"}
        assert {s: (h["last_status"], h["stopped_because"]) for s, h in health.items() if h["runs"]} == {
            "hackernews": ("running", None), "mastodon": ("running", None), "web": ("running", None),
            "stackexchange": ("interrupted", "the process ended before the run finished"),
            "feeds": ("interrupted", "the process ended before the run finished"),
            "gdelt": ("interrupted", "no end recorded within 24 hours")}
        with db.connect(path) as con:   # the next run of a source closes its own: the other sources' are theirs
            assert db.close_interrupted_runs(con, "stackexchange", "collect") == 1
            assert db.close_interrupted_runs(con, "hackernews", "collect") == 0   # (its process lives)
            assert db.close_interrupted_runs(con, "mastodon", "collect") == 1     # (this process starts a new one)
            assert con.execute("SELECT source, error FROM runs WHERE status = 'error' ORDER BY id").fetchall() == [
                ("mastodon", "interrupted: the run ended without recording its end"),
                ("stackexchange", "interrupted: the process ended before the run finished")]
    finally:
        alive.communicate(timeout=60)


def test_a_run_whose_process_runs_here_is_not_interrupted_by_its_age(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # A child process stands in for an analysis and a collection that have run past RUN_STALE_HOURS (set to 0: no
    # real process can be made a day old). This host can ask after it: running, whatever the age, for `status`, the
    # dashboard and the next run of the same kind; the same age with a process of another host is interrupted.
    import subprocess
    import sys

    from hirepulse.cli import main

    path = tmp_path / "h.duckdb"
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        now = datetime.now(timezone.utc)   # (after the child started: it recorded these runs)
        with db.connect(path) as con:
            analysis = _run(con, "analysis", pid=alive.pid, host=db.HOST, started_at=now, kind="analyze")
            _run(con, "hackernews", pid=alive.pid, host=db.HOST, started_at=now)
            elsewhere = _run(con, "gdelt", pid=alive.pid, host="another-host.invalid", started_at=now)
        monkeypatch.setattr(db, "RUN_STALE_HOURS", 0)
        with db.connect(path, read_only=True) as con:
            assert db.interrupted_runs(con) == {elsewhere: "no end recorded within 24 hours"}
            health = {h["source"]: h["last_status"] for h in collection_health(con, CONFIG)}
        assert (health["hackernews"], health["gdelt"]) == ("running", "interrupted")
        capsys.readouterr()
        assert main(["status", "--db", str(path)]) == 0
        shown = {line.split()[3]: line.split()[4] for line in capsys.readouterr().out.splitlines()
                 if line.startswith("  20")}
        assert shown == {"analysis": "running", "hackernews": "running", "gdelt": "interrupted"}
        with db.connect(path) as con:
            assert db.close_interrupted_runs(con, "analysis", "analyze") == 0
            assert db.close_interrupted_runs(con, "hackernews", "collect") == 0
            assert db.close_interrupted_runs(con, "gdelt", "collect") == 1
            assert con.execute("SELECT id FROM runs WHERE status = 'running' ORDER BY id").fetchall() == [
                (analysis,), (analysis + 1,)]
    finally:
        alive.communicate(timeout=60)


def test_a_database_older_than_the_run_process_reads_its_running_rows_by_age(tmp_path: Path, monkeypatch) -> None:
    from datetime import timedelta

    path = tmp_path / "h.duckdb"
    now = datetime.now(timezone.utc)
    with monkeypatch.context() as patch:   # a database made before 0008: its runs name no process
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:6])
        with db.connect(path) as con:
            for source, age in (("hackernews", 2), ("gdelt", 30)):
                con.execute("INSERT INTO runs (source, kind, started_at, status) VALUES (?, 'collect', ?, 'running')",
                            [source, now - timedelta(hours=age)])
    with db.connect(path, read_only=True) as con:   # the dashboard, before anything wrote to it
        assert list(db.interrupted_runs(con).values()) == ["no end recorded within 24 hours"]
        health = {h["source"]: h["last_status"] for h in collection_health(con, CONFIG)}
    assert (health["hackernews"], health["gdelt"]) == ("running", "interrupted")
    with db.connect(path) as con:   # the first write connection migrates it
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM runs WHERE pid IS NULL AND host IS NULL").fetchone()[0] == 2


BOOT_TIME_AFTER_A_FAILED_READ = """
import os, resource
from hirepulse import db
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
held = []
try:
    while True:
        held.append(os.open(os.devnull, os.O_RDONLY))
except OSError:   # every file descriptor in use: /proc/stat cannot be opened
    pass
print(db._boot_time())
for fd in held:
    os.close(fd)
print(db._boot_time())
"""


def test_a_failed_read_of_the_boot_time_is_not_kept_for_the_rest_of_the_process() -> None:
    import subprocess
    import sys

    try:
        boot = next(line.split()[1] for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime "))
    except (OSError, StopIteration):
        pytest.skip("no boot time in /proc/stat here")
    done = subprocess.run([sys.executable, "-c", BOOT_TIME_AFTER_A_FAILED_READ], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", boot]   # (read again once a descriptor is free)


T0 = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)


def _imports_fixture(path: Path) -> None:
    """Import runs as watched folders and `hirepulse import` leave them, with the awkward cases: a file refused then
    fixed, a file name in two folders and under two labels, runs without a file, equal finish times, a finish time
    missing, and runs the imports' health leaves out (another kind, not finished)."""
    from datetime import timedelta

    def run(source: str, status: str, minutes: float | None, *, file: str | None = None, folder: str | None = None,
            kind: str = "import", error: str | None = None) -> None:
        detail = {k: v for k, v in (("file", file), ("folder", folder)) if v}
        run_id = db.record_run(con, source, kind, status=status, new=3 if status == "ok" else 0, updated=1,
                               error=error, detail=detail or None)
        con.execute("UPDATE runs SET finished_at = ? WHERE id = ?",
                    [None if minutes is None else T0 + timedelta(minutes=minutes), run_id])

    with db.connect(path) as con:
        run("survey", "ok", 1, file="a.csv", folder="/srv/drop")
        run("survey", "error", 2, file="b.csv", folder="/srv/drop", error="b.csv, row 3: no text")
        run("survey", "ok", 3, file="b.csv", folder="/srv/drop")                                  # fixed
        run("survey", "ok", 4, file="c.csv", folder="/srv/drop")
        run("survey", "error", 5, file="c.csv", folder="/srv/drop", error="c.csv, row 2: unknown stage")  # changed
        run("survey", "ok", 5, file="c.csv", folder="/srv/other")           # the same name elsewhere, the same time
        run("reviews", "error", 6, file="c.csv", folder="/srv/drop", error="c.csv: no date column")
        run("import", "error", 7, file="d.csv", error="d.csv, row 9: bad date")                   # no folder
        run("import", "ok", 8)                                                                    # no file named
        run("import", "error", 8, error="unreadable")                       # the same time: the later id is newer
        run("survey", "error", None, file="f.csv", folder="/srv/drop", error="f.csv: empty")      # no finish time:
        run("survey", "ok", 9, file="f.csv", folder="/srv/drop")                                  # oldest
        run("survey", "error", None, file="g.csv", folder="/srv/drop", error="g.csv: empty")
        run("hackernews", "error", 9.5, kind="collect", error="HTTP 503")
        run("survey", "stopped", 9.6, file="h.csv", folder="/srv/drop")
        db.start_run(con, "survey", "import")
        for n in range(17):
            run("survey", "ok", 10 + n, file=f"e{n}.csv", folder="/srv/drop")


def _imports_read_in_python(path: Path, recent: int) -> dict:
    """The imports' health read the plain way, every finished import run in Python: what the SQL must equal."""
    with db.connect(path, read_only=True) as con:
        every = con.execute("""
            SELECT finished_at, source, json_extract_string(detail, '$.file'), status, new_count, updated_count, error,
                   json_extract_string(detail, '$.folder'), id
            FROM runs WHERE kind = 'import' AND status IN ('ok', 'error')""").fetchall()
    never = datetime.min.replace(tzinfo=timezone.utc)
    every.sort(key=lambda r: (r[0] or never, r[8]), reverse=True)     # newest first, no finish time last
    keys = ("finished_at", "source", "file", "status", "new", "updated", "error")
    newest: dict[tuple, tuple] = {}
    for row in every:
        newest.setdefault((row[1], row[7], row[2]), row)
    return {"recent": [dict(zip(keys, r[:7])) for r in every[:recent]],
            "refused": [dict(zip(keys, r[:7])) for r in newest.values() if r[3] == "error"],
            "files": sum(r[3] == "ok" for r in every)}


def test_import_health_lists_the_latest_runs_and_the_files_waiting_for_a_fix(tmp_path: Path) -> None:
    from hirepulse.health import import_health

    path = tmp_path / "h.duckdb"
    _imports_fixture(path)
    with db.connect(path, read_only=True) as con:
        health = import_health(con)
        assert [import_health(con, recent=n) for n in (1, 5, 40)] == [_imports_read_in_python(path, n) for n in (1, 5, 40)]
    assert health == _imports_read_in_python(path, 20)
    assert health["files"] == 23
    assert [(r["source"], r["file"], r["error"]) for r in health["refused"]] == [
        ("import", None, "unreadable"), ("import", "d.csv", "d.csv, row 9: bad date"),
        ("reviews", "c.csv", "c.csv: no date column"), ("survey", "c.csv", "c.csv, row 2: unknown stage"),
        ("survey", "g.csv", "g.csv: empty")]
    assert health["refused"][0] == {"finished_at": T0.replace(minute=8), "source": "import", "file": None,
                                    "status": "error", "new": 0, "updated": 1, "error": "unreadable"}
    assert len(health["recent"]) == 20 and health["recent"][0]["file"] == "e16.csv"
    assert [r["file"] for r in health["recent"][17:]] == ["f.csv", None, None]   # (the later id first)


class _CountingRows:
    """A DuckDB connection that counts the rows its queries hand to Python (fetchall, fetchone)."""

    def __init__(self, con) -> None:
        self.con, self.rows = con, 0

    def execute(self, *args):
        self.con.execute(*args)
        return self

    def fetchall(self) -> list:
        found = self.con.fetchall()
        self.rows += len(found)
        return found

    def fetchone(self):
        found = self.con.fetchone()
        self.rows += found is not None
        return found

    def __getattr__(self, name: str):
        if name.startswith("fetch") or name in ("df", "arrow", "pl"):
            raise AssertionError(f"read through {name}: not counted")
        return getattr(self.con, name)


def test_import_health_brings_into_python_only_the_rows_it_returns(tmp_path: Path) -> None:
    from hirepulse.health import import_health

    path = tmp_path / "h.duckdb"
    _imports_fixture(path)
    with db.connect(path, read_only=True) as con:
        counting = _CountingRows(con)
        health = import_health(counting, recent=5)   # (years of a folder read hourly: the runs stay in DuckDB)
    assert counting.rows == len(health["recent"]) + len(health["refused"]) + 1 == 11
