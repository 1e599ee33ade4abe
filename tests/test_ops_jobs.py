"""Scheduled jobs as an operator runs them: recipes that do not stop at one failing source, reports on analysed
posts, one analysis at a time per database, failed reports that show, the salt checked at the scheduler's start,
interruptions that exit non-zero and are recorded as stopped, and one scheduler per file whatever its name."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_DIR
from hirepulse import db
from hirepulse.cli import main
from test_collect_support import FakeAlgolia, _fresh_robots, hn_hit, runs, write_config

__all__ = ["_fresh_robots"]
SALT = "ops-jobs-test-salt-long-enough"


def _import_sample(db_path: Path) -> int:
    assert main(["import", "--db", str(db_path), "--source", "survey", str(SAMPLE_DIR / "candidate_survey.csv")]) == 0
    with db.connect(db_path, read_only=True) as con:
        return con.execute("SELECT count(*) FROM mentions").fetchone()[0]


def _analysed(db_path: Path) -> int:
    with db.connect(db_path, read_only=True) as con:
        return con.execute("SELECT count(*) FROM analysis").fetchone()[0]


def _big_import(tmp_path: Path, rows: int, env: dict[str, str]) -> Path:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"Recruiter ghosted me after round {i}.,2025-01-0{1 + i % 9}\n"
                                                    for i in range(rows)), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "hirepulse.cli", "import", str(path), "--db", str(db_path)], env=env,
                   check=True, capture_output=True, timeout=300)
    return db_path


def _started(db_path: Path) -> bool:
    with db.connect(db_path, read_only=True) as con:
        return bool(con.execute("SELECT count(*) FROM analysis").fetchone()[0])


def _wait(what, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not what():
        time.sleep(0.1)


# --------------------------------------------------------------------------- 1. recipes and report


def test_the_recipes_never_make_analysis_depend_on_every_source_succeeding() -> None:
    text = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    chained = [line for line in text.splitlines() if re.search(r"hirepulse collect[^;#]*&&", line)]
    assert chained == []
    # the systemd unit: ExecStartPost runs only when ExecStart succeeded; the analysis must not hang on collect's status
    assert "ExecStartPost=/srv/hirepulse/.venv/bin/hirepulse analyze" not in text


def test_report_analyses_pending_mentions_first_unless_told_not_to(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    total = _import_sample(db_path)
    capsys.readouterr()
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "skip"), "--no-analyze"]) == 0
    out, err = capsys.readouterr()
    assert _analysed(db_path) == 0 and "never analysed" in err and "--no-analyze" not in out
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "r")]) == 0
    out, err = capsys.readouterr()
    assert _analysed(db_path) == total
    said = [line for line in (out + err).splitlines() if "analysed" in line]
    assert said == [f"analysed {total:,} mentions before the report (--no-analyze skips this)"], out + err
    with open(tmp_path / "r" / "mentions.csv", encoding="utf-8") as fh:
        assert list(csv.DictReader(fh))
    # nothing pending: not a word about it, and no analysis run recorded
    before = len(runs(db_path))
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "again")]) == 0
    out, err = capsys.readouterr()
    assert "analysed" not in out + err
    assert [r for r in runs(db_path)[before:] if r["kind"] == "analyze"] == []


# --------------------------------------------------------------------------- 2. one analysis at a time


def test_a_second_analysis_waits_for_the_first_instead_of_scoring_the_same_posts(tmp_path: Path) -> None:
    env = {**os.environ, "HIREPULSE_SALT": SALT}
    db_path = _big_import(tmp_path, 6000, env)
    first = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path),
                              "--batch-size", "100"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait(lambda: _started(db_path))
    second = subprocess.run([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path)], env=env,
                            capture_output=True, text=True, timeout=300)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err + second.stderr
    assert re.search(r"waiting for the analysis already running on .* \(pid \d+, since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)",
                     second.stderr), second.stderr
    scored = [r["new_count"] for r in runs(db_path) if r["kind"] == "analyze"]
    assert sum(scored) == 6000, scored   # each post scored once


def test_a_scheduled_analysis_skips_while_another_process_analyses(tmp_path: Path) -> None:
    env = {**os.environ, "HIREPULSE_SALT": SALT}
    db_path = _big_import(tmp_path, 6000, env)
    config = write_config(tmp_path, {}, companies=[{"name": "Acme"}],
                          extra=f'\n[reports]\nout_dir = "{tmp_path / "reports"}"\nschedule = "0 6 * * 1"\n')
    first = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path),
                              "--batch-size", "100"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait(lambda: _started(db_path))
    sched = subprocess.run([sys.executable, "-m", "hirepulse.cli", "schedule", "-v", "--once", "--config", str(config),
                            "--db", str(db_path)], env=env, capture_output=True, text=True, timeout=300)
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert re.search(r"analysis skipped: an analysis is already running \(pid \d+, since ", sched.stderr), sched.stderr
    scored = [r["new_count"] for r in runs(db_path) if r["kind"] == "analyze"]
    assert sum(scored) == 6000, scored


# --------------------------------------------------------------------------- 3. failed reports show


def test_a_failing_scheduled_report_is_recorded_shown_and_alerted(tmp_path: Path, httpserver,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from hirepulse.health import report_health

    db_path = tmp_path / "h.duckdb"
    _import_sample(db_path)
    (tmp_path / "blocked").write_text("a file where the reports' folder should be", encoding="utf-8")
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("HOOK", httpserver.url_for("/hook"))
    config = write_config(tmp_path, {}, companies=[{"name": "Brightwater"}],
                          extra=f'\n[reports]\nout_dir = "{tmp_path / "blocked"}"\nschedule = "0 6 * * 1"\n'
                                '\n[alerts]\nwebhook_env = "HOOK"\n')
    capsys.readouterr()
    assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
    report = [r for r in runs(db_path) if r["kind"] == "report"]
    assert [(r["source"], r["status"]) for r in report] == [("reports", "error")]
    assert "blocked" in report[0]["error"]
    posted = [req.get_json()["text"] for req, _ in httpserver.log]
    assert len(posted) == 1 and posted[0].startswith("hirepulse: the scheduled report failed") and "blocked" in posted[0]
    # `status` and the Health view show it
    capsys.readouterr()
    assert main(["status", "--db", str(db_path), "--config", str(config)]) == 0
    assert re.search(r" report +reports +error .*blocked", capsys.readouterr().out)
    with db.connect(db_path, read_only=True) as con:
        health = report_health(con)
    assert health["last_status"] == "error" and "blocked" in health["last_error"] and health["last_success_at"] is None
    # a report that works afterwards: recorded too
    config.write_text(config.read_text(encoding="utf-8").replace(str(tmp_path / "blocked"), str(tmp_path / "ok")),
                      encoding="utf-8")
    assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 0
    with db.connect(db_path, read_only=True) as con:
        health = report_health(con)
    assert health["last_status"] == "ok" and health["last_success_at"] is not None and "blocked" in health["last_error"]


def test_status_shows_each_sources_latest_run_however_many_runs_came_after(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    with db.connect(db_path) as con:
        db.record_run(con, "gdelt", "collect", status="error", error="HTTP 503 from gdelt")
        for _ in range(12):
            db.record_run(con, "hackernews", "collect", status="ok", new=3)
    assert main(["status", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r" collect +gdelt +error .*HTTP 503 from gdelt", out), out
    assert len([line for line in out.splitlines() if " collect " in line]) <= 11   # (still compact)


# --------------------------------------------------------------------------- 4. the salt at the scheduler's start


def test_schedule_refuses_a_salt_other_than_the_databases_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    _import_sample(db_path)   # (keyed with the tests' salt, which the import records)
    config = write_config(tmp_path, {"hackernews": {"base_url": "http://127.0.0.1:9"}}, companies=[{"name": "Acme"}])
    monkeypatch.setenv("HIREPULSE_SALT", "another-salt-that-is-long-enough")
    before = len(runs(db_path))
    capsys.readouterr()
    assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert "HIREPULSE_SALT is not the salt this database's keys were made with" in err
    assert len(runs(db_path)) == before   # nothing started


# --------------------------------------------------------------------------- 5. interruptions


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_analysis_exits_non_zero_saying_what_is_left(tmp_path: Path, sig: int, code: int) -> None:
    env = {**os.environ, "HIREPULSE_SALT": SALT}
    db_path = _big_import(tmp_path, 20_000, env)
    proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path),
                             "--batch-size", "200"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait(lambda: _started(db_path))
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    (run,) = [r for r in runs(db_path) if r["kind"] == "analyze"]
    done = run["new_count"]
    assert run["status"] == "stopped" and 0 < done < 20_000
    assert f"interrupted: analysed {done:,} mentions, {20_000 - done:,} left for the next run" in err, err


def _slow_hn(tmp_path: Path, httpserver) -> Path:
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 600, f"Acme recruiter {i}") for i in range(40)]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits, delay=0.3))
    return write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "hits_per_page": 2,
                                                  "min_interval_seconds": 0}}, companies=[{"name": "Acme"}])


def _collect_running(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    try:
        return any(r["kind"] == "collect" and r["status"] == "running" for r in runs(db_path))
    except Exception:  # noqa: BLE001 - not yet made
        return False


def test_sigterm_to_schedule_once_says_so_and_records_the_run_as_stopped(tmp_path: Path, httpserver) -> None:
    config = _slow_hn(tmp_path, httpserver)
    db_path = tmp_path / "h.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "schedule", "--once", "--config", str(config),
                             "--db", str(db_path)], env={**os.environ, "HIREPULSE_SALT": SALT},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait(lambda: len(httpserver.log) >= 3, 60)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "hirepulse: SIGTERM: stopped" in err, err
    assert [(r["kind"], r["status"]) for r in runs(db_path) if r["kind"] == "collect"] == [("collect", "stopped")]


def test_ctrl_c_during_collect_records_the_run_as_stopped(tmp_path: Path, httpserver) -> None:
    config = _slow_hn(tmp_path, httpserver)
    db_path = tmp_path / "h.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "collect", "--config", str(config),
                             "--db", str(db_path)], env={**os.environ, "HIREPULSE_SALT": SALT},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait(lambda: len(httpserver.log) >= 3, 60)
    proc.send_signal(signal.SIGINT)
    sent_at = len(httpserver.log)
    out, err = proc.communicate(timeout=60)
    # (a Ctrl+C during a page's short write that DuckDB dropped let the collection run to its last page, about one
    # time in three, before db._interruptible raised it again: requests when sent and in all, and the output)
    assert proc.returncode == 130, (sent_at, len(httpserver.log), out, err)
    assert [r["status"] for r in runs(db_path) if r["kind"] == "collect"] == ["stopped"], err


# --------------------------------------------------------------------------- 6. one scheduler per file


def test_a_second_scheduler_through_a_symlink_is_refused(tmp_path: Path) -> None:
    from hirepulse.cli import _one_scheduler

    db_path = tmp_path / "hp.duckdb"
    db_path.touch()
    link = tmp_path / "link.duckdb"
    link.symlink_to(db_path)
    with _one_scheduler(db_path):
        code = subprocess.run([sys.executable, "-c", "import sys; from hirepulse.cli import _one_scheduler\n"
                               f"with _one_scheduler({str(link)!r}): sys.exit(0)"],
                              capture_output=True, text=True, timeout=60)
    assert code.returncode == 1 and f"(process {os.getpid()}) already runs on" in code.stderr
