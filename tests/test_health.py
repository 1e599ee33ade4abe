"""Collection health from the runs log, as the dashboard reads it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

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


def _run(con, source: str, *, pid: int | None, host: str | None, started_at: datetime) -> int:
    run_id = db.start_run(con, source, "collect")
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


def test_a_database_older_than_the_run_process_reads_its_running_rows_by_age(tmp_path: Path, monkeypatch) -> None:
    from datetime import timedelta

    path = tmp_path / "h.duckdb"
    now = datetime.now(timezone.utc)
    with monkeypatch.context() as patch:   # a database made by the hirepulse before 0007: runs name no process
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
