"""`hirepulse collect`: a failing source is reported and recorded; the others finish."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hirepulse.cli import main
from test_collect_support import FakeAlgolia, _fresh_robots, hn_hit, rows, runs, write_config

__all__ = ["_fresh_robots"]


def test_failure_isolation_and_summary(tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str],
                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="collectors.run")
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 600, f"Acme recruiter {i}") for i in range(30)]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits))
    httpserver.expect_request("/2.3/search/advanced").respond_with_data("{not json", content_type="application/json")
    url = httpserver.url_for("").rstrip("/")
    config = write_config(tmp_path, {"hackernews": {"base_url": url, "min_interval_seconds": 0},
                                     "stackexchange": {"base_url": url, "min_interval_seconds": 0}},
                          companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    code = main(["collect", "--config", str(config), "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("hirepulse: error:")] == [
        f"hirepulse: error: stackexchange: unexpected payload from {url}/2.3/search/advanced: not JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"]
    assert "hackernews" in out and "stackexchange" in out and "requests" in out
    assert "fresh" in out and "deleted" in out           # feeds not sent as still fresh; deleted upstream
    # the log's counts say one request in the singular (each source here needed one page)
    logged = [r.getMessage() for r in caplog.records if r.name == "collectors.run"]
    assert sorted(logged) == ["hackernews: ok, 30 new, 0 updated, 1 request", "stackexchange: error, 0 new, 0 updated, 1 request"]
    assert len(rows(db_path, "hackernews")) == 30
    log = {(r["source"], r["status"]) for r in runs(db_path)}
    assert log == {("hackernews", "ok"), ("stackexchange", "error")}

    code = main(["collect", "--config", str(config), "--db", str(db_path), "--source", "hackernews"])
    assert code == 0 and len(rows(db_path, "hackernews")) == 30


def test_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path, {"hackernews": {}}, companies=[])
    assert main(["collect", "--config", str(config), "--db", str(tmp_path / "x.duckdb")]) == 1
    assert capsys.readouterr().err.strip().endswith("no [[companies]] configured: add the companies to collect about "
                                                    "(see `hirepulse init`)")
    config = write_config(tmp_path, {"hackernews": {}})
    monkeypatch.delenv("HIREPULSE_SALT")
    assert main(["collect", "--config", str(config), "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "privacy salt missing" in err
    monkeypatch.setenv("HIREPULSE_SALT", "s")
    assert main(["collect", "--config", str(config), "--source", "nope"]) == 1
    assert "unknown source 'nope'" in capsys.readouterr().err


def test_no_source_enabled_is_one_line_and_exit_1_as_for_schedule(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, {})   # every source disabled
    db_path = tmp_path / "hp.duckdb"
    assert main(["collect", "--config", str(config), "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == (f"hirepulse: error: {config}: nothing to collect: no source is enabled (set enabled "
                                 "= true in a [sources.NAME] table)\n")
    assert not db_path.exists()
    assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: {config}: nothing to schedule: no source is enabled and no "
                                       "[[imports]] folder is watched (set enabled = true in a [sources.NAME] table)\n")


def test_a_hosts_wait_is_said_as_a_utc_time_shown_by_status_and_can_be_cleared(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    from hirepulse import db

    httpserver.expect_request("/api/v1/search_by_date").respond_with_data("slow down", status=429,
                                                                          headers={"Retry-After": "3600"})
    url = httpserver.url_for("").rstrip("/")
    host = f"localhost:{httpserver.port}"
    config = write_config(tmp_path, {"hackernews": {"base_url": url, "min_interval_seconds": 0}},
                          companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    base = ["--config", str(config), "--db", str(db_path)]

    # the run the host answered 429 fails (something new happened), and says until when, as a UTC time
    assert main(["collect", *base]) == 1
    err = capsys.readouterr().err
    with db.connect(db_path, read_only=True) as con:
        until = db.get_not_before(con, host)
    up = until.replace(second=0, microsecond=0) + timedelta(minutes=1 if until.second or until.microsecond else 0)
    shown = f"{up:%Y-%m-%d %H:%M} UTC"   # (rounded up to the minute: not before the time it asked for)
    assert f"rate limited: the host asked us to wait until {shown}" in err and "3600s" not in err

    # a later run sends nothing and is not an error for cron: it is waiting, and says so in one line
    asked = len(httpserver.log)
    assert main(["collect", *base]) == 0
    err = capsys.readouterr().err
    assert len(httpserver.log) == asked
    said = [line for line in err.splitlines() if line.startswith("hirepulse:")]
    assert len(said) == 1 and said[0].startswith(f"hirepulse: note: hackernews: waiting: not sent to {url}/api/v1/")
    assert f"the host asked us earlier to wait until {shown}" in err
    assert runs(db_path)[-1]["status"] == "stopped"

    # status shows the wait, one line per host, and how to clear it
    assert main(["status", *base]) == 0
    out = capsys.readouterr().out
    assert (f"  {host} asked us to wait: nothing is sent to it until {shown} (`hirepulse collect --clear-wait "
            f"{host}` clears it)") in out.splitlines()

    # a host with no wait is a one-line error; clearing one says so, is recorded, and the next run sends again
    assert main(["collect", *base, "--clear-wait", "nowhere.example.org"]) == 1
    assert capsys.readouterr().err.strip() == (f"hirepulse: error: --clear-wait: no wait is remembered for "
                                               f"nowhere.example.org (remembered: {host})")
    assert main(["collect", *base, "--clear-wait", f"http://{host}/anything"]) == 0
    assert capsys.readouterr().out.strip() == (f"cleared the wait {host} asked for (until {shown}): the next "
                                               "collection sends to it again")
    assert main(["status", *base]) == 0
    out = capsys.readouterr().out
    assert "nothing is sent to it" not in out and f"clear-wait {host}" in " ".join(out.split())
    with db.connect(db_path, read_only=True) as con:
        assert db.get_not_before(con, host) is None
    assert main(["collect", *base]) == 1
    assert len(httpserver.log) == asked + 1
