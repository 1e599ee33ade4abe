"""A `hirepulse collect` killed midway (SIGKILL) loses nothing and duplicates nothing on the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hirepulse import db
from test_collect_support import FakeAlgolia, _fresh_robots, hn_hit, ids, runs, write_config

__all__ = ["_fresh_robots"]
NAMES = ("Acme", "Initech", "Globex")


def collect(config: Path, db_path: Path) -> subprocess.Popen:
    env = {**os.environ, "HIREPULSE_SALT": "kill-test-salt"}
    with open(db_path.with_suffix(".stderr"), "ab") as err:
        return subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "collect", "--config", str(config),
                                 "--db", str(db_path), "--source", "hackernews"],
                                env=env, stdout=subprocess.DEVNULL, stderr=err)


def test_sigkill_midway_then_rerun_equals_uninterrupted(tmp_path: Path, httpserver) -> None:
    hits = [hn_hit(1000 * n + i, 1_700_000_000 + i * 900 + n, f"{name} interview note {i}")
            for n, name in enumerate(NAMES) for i in range(100)]
    # 60 pages of 5 at 50 ms each: about 3 s, so pages are written in several batches (COMMIT_SECONDS).
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits, delay=0.05))
    config = write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "hits_per_page": 5,
                                                    "min_interval_seconds": 0}},
                          companies=[{"name": "Acme", "aliases": ["Initech"], "competitors": ["Globex"]}])
    killed_db, fresh_db = tmp_path / "killed.duckdb", tmp_path / "fresh.duckdb"

    proc = collect(config, killed_db)
    deadline = time.monotonic() + 20
    while len(httpserver.log) < 40 and time.monotonic() < deadline:   # into the third query, a batch written
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert [r["status"] for r in runs(killed_db)] == ["running"]
    partial = ids(killed_db)
    assert 0 < len(partial) < 300

    rerun, clean = collect(config, killed_db), collect(config, fresh_db)
    assert rerun.wait(timeout=60) == 0, killed_db.with_suffix(".stderr").read_text()
    assert clean.wait(timeout=60) == 0, fresh_db.with_suffix(".stderr").read_text()

    assert ids(killed_db) == ids(fresh_db) and len(ids(fresh_db)) == 300
    assert partial <= ids(killed_db)
    statuses = [r["status"] for r in runs(killed_db)]
    assert statuses == ["error", "ok"]     # the killed run is closed as interrupted by the next one
    with db.connect(killed_db, read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM mentions").fetchone() == (300, 300)


def test_a_stop_while_a_host_fails_ends_the_run_as_stopped_at_once(tmp_path: Path, httpserver) -> None:
    from collectors.run import collect_source
    from hirepulse.config import load_config

    httpserver.expect_request("/api/v1/search_by_date").respond_with_data("down", status=500)
    config = load_config(write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("").rstrip("/"),
                                                                "min_interval_seconds": 0}}))
    result = collect_source("hackernews", config, tmp_path / "h.duckdb", salt="s", should_stop=lambda: True)
    assert result.status == "stopped" and result.requests == 1, (result.status, result.error)
    assert "waited to be retried" in result.error


def test_a_killed_collection_reads_as_interrupted_until_the_next_run_closes_it(tmp_path: Path, httpserver,
                                                                                capsys) -> None:
    import threading

    from hirepulse.cli import main
    from hirepulse.config import load_config
    from hirepulse.health import collection_health

    asked, release = threading.Event(), threading.Event()
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 900, f"Acme interview note {i}") for i in range(10)]
    algolia = FakeAlgolia(hits)

    def answer(request):
        asked.set()
        release.wait(60)   # (the collection waits here, its run recorded as running)
        return algolia(request)

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(answer)
    config = write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "min_interval_seconds": 0}},
                          companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"

    def status() -> str:
        assert main(["status", "--db", str(db_path), "--config", str(config)]) == 0
        return capsys.readouterr().out

    def health() -> dict:
        with db.connect(db_path, read_only=True) as con:
            (hn,) = [h for h in collection_health(con, load_config(config)) if h["source"] == "hackernews"]
        return hn

    proc = collect(config, db_path)
    assert asked.wait(60)
    assert "collect  hackernews     running" in status() and health()["last_status"] == "running"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    asked.clear()
    release.set()
    # nothing has written since: the row still says running, and it reads as interrupted
    assert [r["status"] for r in runs(db_path)] == ["running"]
    assert "collect  hackernews     interrupted      0 new (the process ended before the run finished)" in status()
    hn = health()
    assert (hn["last_status"], hn["stopped_because"]) == ("interrupted", "the process ended before the run finished")
    # the next run closes it as an error saying so; while that run's process lives, it reads as running
    release.clear()
    rerun = collect(config, db_path)
    assert asked.wait(60)
    try:
        assert [(r["status"], r["error"]) for r in runs(db_path)] == [
            ("error", "interrupted: the process ended before the run finished"), ("running", None)]
        assert health()["last_status"] == "running"
    finally:
        release.set()
    assert rerun.wait(timeout=60) == 0, db_path.with_suffix(".stderr").read_text()
    assert [r["status"] for r in runs(db_path)] == ["error", "ok"] and health()["last_status"] == "ok"
