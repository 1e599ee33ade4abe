"""`hirepulse collect`: a failing source is reported and recorded; the others finish."""

from __future__ import annotations

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
