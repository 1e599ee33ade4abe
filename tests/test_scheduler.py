"""The scheduler: runs happen, never overlap per job, and stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from werkzeug import Request, Response

from hirepulse.cron import next_run
from hirepulse.scheduler import Job, run_forever, run_once
from test_collect_support import FakeAlgolia, Holder, _fresh_robots, hn_hit, runs, wait_for, write_config

__all__ = ["_fresh_robots"]


def test_jobs_run_repeatedly_without_overlap_and_stop() -> None:
    spans: dict[str, list[tuple[float, float]]] = {"slow": [], "fast": []}
    stop = threading.Event()

    def job(name: str, seconds: float):
        def run(should_stop) -> None:
            start = time.monotonic()
            while time.monotonic() - start < seconds and not should_stop():
                time.sleep(0.01)
            spans[name].append((start, time.monotonic()))
        return run

    timer = threading.Timer(1.6, stop.set)
    timer.start()
    assert run_forever([Job("slow", "* * * * *", job("slow", 0.5)), Job("fast", "* * * * *", job("fast", 0.05))],
                       every=0.2, stop=stop, handle_signals=False) == 0
    timer.cancel()
    assert len(spans["fast"]) >= 4 and 2 <= len(spans["slow"]) <= 4
    for name, items in spans.items():
        for (_, end), (start, _) in zip(items, items[1:]):
            assert start >= end, f"{name} overlapped"


def test_run_once_and_next_run() -> None:
    calls: list[str] = []

    def boom(_stop) -> None:
        raise RuntimeError("bad")
    outcome = run_once([Job("a", "0 * * * *", lambda _s: calls.append("a")), Job("b", "0 * * * *", boom)])
    assert calls == ["a"] and outcome == {"a": None, "b": "RuntimeError: bad"}
    from datetime import datetime, timezone
    assert next_run("15 */4 * * *", now=datetime(2024, 1, 1, 5, tzinfo=timezone.utc)) == \
        datetime(2024, 1, 1, 8, 15, tzinfo=timezone.utc)


def test_schedule_subprocess_sigterm(tmp_path: Path, httpserver) -> None:
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 600, f"Acme recruiter {i}") for i in range(20)]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits, delay=0.7))

    def stackexchange(_request: Request) -> Response:
        time.sleep(0.7)
        return Response(json.dumps({"items": [], "has_more": False, "quota_max": 300, "quota_remaining": 290}),
                        content_type="application/json")
    httpserver.expect_request("/2.3/search/advanced").respond_with_handler(stackexchange)
    url = httpserver.url_for("").rstrip("/")
    config = write_config(tmp_path, {"hackernews": {"base_url": url, "min_interval_seconds": 0},
                                     "stackexchange": {"base_url": url, "min_interval_seconds": 0}},
                          companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    log = tmp_path / "schedule.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "schedule", "--every", "0.5",
                                 "--config", str(config), "--db", str(db_path)],
                                env={**os.environ, "HIREPULSE_SALT": "sched-salt"}, stdout=subprocess.DEVNULL, stderr=err)
    # wait (not a fixed sleep: a loaded CI machine is slow) until each source has finished two runs
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        text = log.read_text()
        if all(text.count(f"job collect:{s} finished") >= 2 for s in ("hackernews", "stackexchange")):
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0, log.read_text()
    text = log.read_text()
    assert "received SIGTERM" in text and "scheduler stopped" in text

    rows = runs(db_path)
    for source in ("hackernews", "stackexchange"):
        mine = sorted((r for r in rows if r["source"] == source), key=lambda r: r["started_at"])
        assert len(mine) >= 2, text
        assert all(r["finished_at"] is not None and r["status"] in ("ok", "stopped") for r in mine), mine
        for before, after in zip(mine, mine[1:]):
            assert after["started_at"] >= before["finished_at"], "two runs of one source overlapped"


def test_days_of_the_week_are_read_as_cron_reads_them() -> None:
    from datetime import datetime, timezone

    import pytest

    from hirepulse.config import parse_config
    from hirepulse.errors import ConfigError

    tuesday = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)

    def days(cron: str, runs: int = 7) -> list[str]:
        out, when = [], tuesday
        for _ in range(runs):
            when = next_run(cron, now=when)
            out.append(when.strftime("%a %d"))
            when = when.replace(second=1)
        return out

    # the README's weekly report: Monday in cron, and so here (APScheduler alone read 1 as Tuesday)
    assert days("0 6 * * 1", 2) == ["Mon 07", "Mon 14"]
    assert days("0 6 * * 0", 1) == days("0 6 * * 7", 1) == days("0 6 * * sun", 1) == ["Sun 06"]
    assert days("0 6 * * 1-5", 5) == ["Wed 02", "Thu 03", "Fri 04", "Mon 07", "Tue 08"]
    assert days("0 6 * * mon-fri", 5) == days("0 6 * * 1-5", 5)
    assert days("0 6 * * 5-7", 3) == ["Fri 04", "Sat 05", "Sun 06"]
    assert days("0 6 * * */2", 4) == ["Thu 03", "Sat 05", "Sun 06", "Tue 08"]   # 0, 2, 4, 6: Sun, Tue, Thu, Sat
    assert days("0 6 * * 1,3", 3) == ["Wed 02", "Mon 07", "Wed 09"]
    # both the day of the month and the day of the week restricted: either one, as in cron
    assert days("0 6 3 * 1", 3) == ["Thu 03", "Mon 07", "Mon 14"]
    # the config refuses what cron refuses, with the line
    for bad in ("0 6 * * 8", "0 6 * * fri-mon", "0 6 * * 1/0", "0 6 * *"):
        with pytest.raises(ConfigError, match="invalid cron expression"):
            parse_config(f'[reports]\nschedule = "{bad}"\n', "/srv/hirepulse.toml")


def test_a_failed_collection_is_a_problem_for_the_log_and_for_once(tmp_path: Path, httpserver, capsys,
                                                                    monkeypatch) -> None:
    from hirepulse.cli import main

    # Stack Exchange answers with something that is not its JSON: the run is recorded as an error
    httpserver.expect_request("/2.3/search/advanced").respond_with_data("<html>502 Bad Gateway</html>", status=200,
                                                                         content_type="text/html")
    url = httpserver.url_for("").rstrip("/")
    config = write_config(tmp_path, {"stackexchange": {"base_url": url, "min_interval_seconds": 0}},
                          companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    monkeypatch.setenv("HIREPULSE_SALT", "s")
    assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("collect:stackexchange: error: ") and "not JSON" in out, out
    assert [r["status"] for r in runs(db_path) if r["source"] == "stackexchange"] == ["error"]


def test_the_scheduler_logs_a_jobs_problem_at_warning_and_an_expected_error_in_one_line(caplog) -> None:
    import logging

    from hirepulse.errors import DatabaseError
    from hirepulse.scheduler import _wrap

    def busy(_stop) -> None:
        raise DatabaseError("hp.duckdb is busy (another hirepulse process holds it); gave up after 60s")

    stop = threading.Event()
    with caplog.at_level(logging.INFO, logger="hirepulse.scheduler"):
        _wrap(Job("collect:x", "* * * * *", lambda _s: "error: HTTP 500 from http://x"), stop)()
        _wrap(Job("collect:y", "* * * * *", lambda _s: None), stop)()
        _wrap(Job("purge", "* * * * *", busy), stop)()
    levels = [(r.levelname, r.getMessage().split(" in ")[0].split(" after ")[0]) for r in caplog.records
              if "started" not in r.getMessage()]
    assert levels == [("WARNING", "job collect:x finished"), ("INFO", "job collect:y finished"),
                      ("ERROR", "job purge failed")]
    (purge,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert purge.exc_info is None and purge.getMessage().endswith("gave up after 60s")
    assert "with a problem: error: HTTP 500 from http://x" in caplog.records[1].getMessage()


def test_a_second_scheduler_on_one_database_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    import pytest

    from hirepulse.cli import _one_scheduler, main
    from hirepulse.errors import InputError

    db_path = tmp_path / "hp.duckdb"
    with _one_scheduler(db_path):
        # another process: a lock on the file beside the database, which this one holds
        code = subprocess.run([sys.executable, "-c", "import sys; from hirepulse.cli import _one_scheduler\n"
                               f"with _one_scheduler({str(db_path)!r}): sys.exit(0)"],
                              capture_output=True, text=True, timeout=60)
        assert code.returncode == 1 and f"another `hirepulse schedule` (process {os.getpid()}) already runs on" in code.stderr
        config = write_config(tmp_path, {"hackernews": {}}, companies=[{"name": "Acme"}])
        monkeypatch.setenv("HIREPULSE_SALT", "s")
        with pytest.raises(InputError):   # (the same process: flock is per open file, so it is refused too)
            with _one_scheduler(db_path):
                pass
        assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
        assert "already runs on" in capsys.readouterr().err
    with _one_scheduler(db_path):   # released when the first one ends
        pass


# --------------------------------------------------------------------------- a busy database

def _messages(caplog, level: str | None = None) -> list[str]:
    return [r.getMessage() for r in list(caplog.records) if level is None or r.levelname == level]


def _purge_jobs(tmp_path: Path, db_path: Path) -> list[Job]:
    from hirepulse.cli import _schedule_jobs
    from hirepulse.config import load_config

    config = load_config(write_config(tmp_path, {}, companies=[{"name": "Acme"}],
                                      extra="[privacy]\nretention_days = 30\n"))
    jobs = _schedule_jobs(config, db_path, [], salt="s")
    assert [job.name for job in jobs] == ["purge"]
    return jobs


def test_a_purge_that_meets_a_busy_database_runs_again_soon(tmp_path: Path, monkeypatch, caplog) -> None:
    from hirepulse import db

    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path):
        pass
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT", 0.5)   # (60 s in use)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRIES", 100)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRY_SECONDS", 0.2)
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(_purge_jobs(tmp_path, db_path),),
                              kwargs={"every": 3600, "stop": stop, "handle_signals": False})
    with caplog.at_level(logging.INFO, logger="hirepulse.scheduler"):
        holder = Holder(db_path)
        thread.start()
        try:
            assert wait_for(lambda: any("retry 1 of 100 at" in m for m in _messages(caplog))), _messages(caplog)
        finally:
            holder.release()
        # the next day's purge is not waited for: a retry soon after the other process lets go does it
        assert wait_for(lambda: any(m.startswith("job purge finished") for m in _messages(caplog))), _messages(caplog)
        stop.set()
        thread.join(timeout=60)
    first = _messages(caplog, "WARNING")[0]
    assert first.startswith("job purge failed after ") and "is busy (another hirepulse process holds it)" in first
    assert " UTC" in first and not _messages(caplog, "ERROR")
    assert [(r["kind"], r["status"]) for r in runs(db_path)] == [("purge", "ok")]


def test_busy_retries_are_bounded_then_the_failure_is_an_error(tmp_path: Path, monkeypatch, caplog) -> None:
    from hirepulse import db
    from hirepulse.scheduler import build_scheduler

    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path):
        pass
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT", 0.3)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRIES", 2)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRY_SECONDS", 0.05)
    stop = threading.Event()
    scheduler = build_scheduler(_purge_jobs(tmp_path, db_path), stop, every=3600)
    holder = Holder(db_path)
    try:
        with caplog.at_level(logging.INFO, logger="hirepulse.scheduler"):
            scheduler.start()
            assert wait_for(lambda: bool(_messages(caplog, "ERROR"))), _messages(caplog)
            left = [job.name for job in scheduler.get_jobs()]
            stop.set()
            scheduler.shutdown(wait=True)
    finally:
        holder.release()
    assert [m.split("; ")[-1].split(" at ")[0] for m in _messages(caplog, "WARNING")] == ["retry 1 of 2", "retry 2 of 2"]
    (error,) = _messages(caplog, "ERROR")
    assert error.startswith("job purge failed after ") and error.endswith("gave up after 0s")
    assert _messages(caplog).count("job purge started") == 3
    assert left == ["purge"]   # no retry left waiting: the next run is the scheduled one
    assert runs(db_path) == []


def test_schedule_once_reports_a_busy_database_and_exits_non_zero_without_retrying(tmp_path: Path, monkeypatch,
                                                                                    capsys, caplog) -> None:
    from hirepulse import db
    from hirepulse.cli import main

    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path):
        pass
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT", 0.3)
    config = write_config(tmp_path, {}, companies=[{"name": "Acme"}], extra="[privacy]\nretention_days = 30\n")
    holder = Holder(db_path)
    try:
        with caplog.at_level(logging.INFO, logger="hirepulse.scheduler"):
            assert main(["schedule", "--once", "--config", str(config), "--db", str(db_path)]) == 1
    finally:
        holder.release()
    out = capsys.readouterr().out
    assert out.startswith("purge: ") and "is busy (another hirepulse process holds it)" in out, out
    assert _messages(caplog).count("job purge started") == 1 and not _messages(caplog, "WARNING")


class _OnLog(logging.Handler):
    """Calls ``action`` in the logging thread when a record's message contains ``text``."""

    def __init__(self, text: str, action: Callable[[], None]) -> None:
        super().__init__()
        self.text, self.action = text, action

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.action()


def test_a_collection_that_meets_a_busy_database_is_recorded_and_raised_for_a_retry(tmp_path: Path, httpserver,
                                                                                      monkeypatch, caplog) -> None:
    import pytest

    from collectors.run import collect_source
    from hirepulse import db
    from hirepulse.config import load_config
    from hirepulse.errors import DatabaseBusy

    db_path = tmp_path / "hp.duckdb"
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 600, f"Acme recruiter {i}") for i in range(20)]
    algolia = FakeAlgolia(hits)
    holders: list[Holder] = []

    def answer(request: Request) -> Response:
        if len(httpserver.log) == 1 and not holders:   # (the second page: the run is under way)
            holders.append(Holder(db_path))
        return algolia(request)

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(answer)
    config = load_config(write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"),
                                                                "hits_per_page": 5, "min_interval_seconds": 0}},
                                      companies=[{"name": "Acme"}]))
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT", 0.5)
    # the other process lets go once the run has given up writing, before it records its end
    hook = _OnLog("the database stayed busy", lambda: holders[0].release())
    logger = logging.getLogger("collectors.run")
    logger.addHandler(hook)
    try:
        with caplog.at_level(logging.INFO, logger="collectors.run"), pytest.raises(DatabaseBusy, match="is busy"):
            collect_source("hackernews", config, db_path, salt="s")
    finally:
        logger.removeHandler(hook)
        for holder in holders:
            if holder.proc.poll() is None:
                holder.release()
    assert holders   # (the other process came in mid-run)
    (run,) = runs(db_path)
    assert run["status"] == "error" and "is busy (another hirepulse process holds it)" in run["error"]


def _schedule_until(tmp_path: Path, config: Path, db_path: Path, done: str, log_name: str) -> str:
    """`hirepulse schedule` in a real process, its log a file (as under systemd or nohup), until ``done`` is logged;
    then SIGTERM. Returns the log."""
    log = tmp_path / log_name
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "schedule", "--every", "3600",
                                 "--config", str(config), "--db", str(db_path)],
                                env={**os.environ, "HIREPULSE_SALT": "sched-salt"}, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None and done not in log.read_text():
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0, log.read_text()
    return log.read_text()


def test_a_long_scheduled_analysis_logs_how_far_it_is_and_reads_companies_changed_since(tmp_path: Path) -> None:
    from analysis.pipeline import BATCH_SIZE

    (tmp_path / "drop").mkdir()
    then = time.time() - 3600   # (a file changed in the last minute may still be being written)

    def drop(name: str, rows: list[str]) -> None:
        path = tmp_path / "drop" / name
        path.write_text("date,text\n" + "".join(f"2025-06-{1 + k % 28:02d},{row}\n" for k, row in enumerate(rows)),
                        encoding="utf-8")
        os.utime(path, (then, then))

    def config(aliases: list[str]) -> Path:
        return write_config(tmp_path, {}, companies=[{"name": "Brightwater", "aliases": aliases}],
                            extra='\n[[imports]]\nfolder = "drop"\nsource = "forum"\n')

    total = BATCH_SIZE + 500   # two batches
    drop("a.csv", [f"Applied to {'BWG' if k % 3 == 0 else 'the shop'} in week {k}: the recruiter never called back."
                   for k in range(total)])
    db_path = tmp_path / "hp.duckdb"
    text = _schedule_until(tmp_path, config([]), db_path, "job import:drop finished", "first.log")
    lines = text.splitlines()
    progress = [line for line in lines if "INFO hirepulse: analysis: " in line]
    # one line after the first batch says how big the work is (then one every 30 s: this run is shorter)
    assert [line.split("INFO hirepulse: ")[1] for line in progress] == [
        f"analysis: {BATCH_SIZE:,} of {total:,} analysed"], text
    assert any(line.endswith(f"INFO hirepulse: analysed {total:,} mentions") for line in lines), text
    assert lines.index(progress[0]) < next(k for k, line in enumerate(lines) if "job import:drop finished" in line)

    # the scheduler's analysis, given "BWG" as Brightwater's alias, files the posts analysed before under it
    drop("b.csv", ["BWG ghosted me after the final round."])
    text = _schedule_until(tmp_path, config(["BWG"]), db_path, "job import:drop finished", "second.log")
    named = len(range(0, total, 3))
    assert f"INFO hirepulse: analysed 1 mention; re-read the companies of {named:,} to match the configured companies" \
        in text, text
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM facts WHERE company = 'Brightwater'").fetchone()[0] == named + 1


def test_the_schedulers_lines_say_one_in_the_singular(tmp_path: Path, caplog) -> None:
    from datetime import datetime, timezone

    from collectors.run import RunResult
    from hirepulse import db
    from hirepulse.cli import _collect_line, _jobs_line, _schedule_jobs
    from hirepulse.config import load_config
    from hirepulse.models import Mention

    (tmp_path / "drop").mkdir()
    path = tmp_path / "drop" / "one.csv"
    today = datetime.now(timezone.utc).date().isoformat()
    path.write_text(f"date,text\n{today},The Acme recruiter never called back.\n", encoding="utf-8")
    os.utime(path, (time.time() - 3600, time.time() - 3600))   # (a file changed in the last minute may still be written)
    config = load_config(write_config(tmp_path, {}, companies=[{"name": "Acme"}],
                                      extra='[privacy]\nretention_days = 1\n\n[[imports]]\nfolder = "drop"\n'
                                            'source = "forum"\n'))
    db_path = tmp_path / "hp.duckdb"
    jobs = {job.name: job for job in _schedule_jobs(config, db_path, [], salt="s")}
    with caplog.at_level(logging.INFO, logger="hirepulse"):
        assert jobs["import:drop"].func(lambda: False) is None
        assert "analysed 1 mention" in _messages(caplog), _messages(caplog)
        with db.connect(db_path) as con:   # (imported posts count their age from when they were stored)
            db.upsert_mentions(con, [Mention(source="forum", native_id="old", text="An old post.", author="a",
                                             published_at=datetime(2001, 1, 5, tzinfo=timezone.utc))], salt="s")
        caplog.clear()
        jobs["purge"].func(lambda: False)
    assert "purged 1 mention older than 1 day (and the error text of 0 runs)" in _messages(caplog), _messages(caplog)
    assert _collect_line("feeds", RunResult("feeds", new=1, requests=1)) == "collect feeds: ok, 1 new, 1 request"
    assert _collect_line("feeds", RunResult("feeds", status="error", requests=2, error="HTTP 500")) == \
        "collect feeds: error, 0 new, 2 requests (HTTP 500)"
    assert _jobs_line([jobs["purge"]]).startswith("hirepulse schedule: 1 job (purge); ")


def test_each_scheduled_run_reads_the_config_again_when_it_changed_and_keeps_the_last_good_one(
        tmp_path: Path, caplog) -> None:
    from hirepulse.cli import _schedule_jobs
    from hirepulse.config import load_config

    (tmp_path / "drop").mkdir()
    stamp = [time.time() - 3600]

    def drop(name: str, rows: list[str]) -> None:
        path = tmp_path / "drop" / name
        path.write_text("date,text\n" + "".join(f"2025-06-0{1 + k},{row}\n" for k, row in enumerate(rows)),
                        encoding="utf-8")
        os.utime(path, (stamp[0], stamp[0]))   # (a file changed in the last minute may still be being written)

    folder = '\n[[imports]]\nfolder = "drop"\nsource = "forum"\n'

    def edit(text: str) -> None:   # (each edit a second apart: the scheduler goes by the file's time)
        config_path.write_text(text, encoding="utf-8")
        stamp[0] += 1
        os.utime(config_path, (stamp[0], stamp[0]))

    config_path = write_config(tmp_path, {}, companies=[{"name": "Brightwater"}], extra=folder)
    os.utime(config_path, (stamp[0], stamp[0]))
    db_path = tmp_path / "hp.duckdb"
    (job,) = _schedule_jobs(load_config(config_path), db_path, [], salt="s")

    def run() -> list[tuple[str, str]]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="hirepulse"):
            assert job.func(lambda: False) is None
        return [(r.levelname, r.getMessage()) for r in caplog.records if r.getMessage().startswith("config")]

    def brightwater() -> int:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return con.execute("SELECT count(*) FROM facts WHERE company = 'Brightwater'").fetchone()[0]

    drop("a.csv", ["Applied to BWG and the recruiter never called back.", "BWG ghosted me after the final round.",
                   "The shop down the road was hiring."])
    assert run() == [] and brightwater() == 0
    # "BWG" given to Brightwater while the scheduler runs: its next run reads the file again, and the posts
    # analysed before are filed under it
    good = write_config(tmp_path, {}, companies=[{"name": "Brightwater", "aliases": ["BWG"]}], extra=folder,
                        name="good.toml").read_text(encoding="utf-8")
    edit(good)
    drop("b.csv", ["BWG's offer came through at last."])
    said = run()
    assert said == [("INFO", f"config: {config_path} changed: read again, for this run and the next ones")], said
    assert brightwater() == 3
    assert run() == []   # unchanged since: not read again

    # an edit that cannot be used: one error line, and the runs go on with the config read before
    edit(good.replace("[[companies]]", "[[companies]", 1))
    drop("c.csv", ["BWG never answered my email."])
    (said,) = run()
    assert said[0] == "ERROR" and said[1].startswith(f"config: {config_path} changed but cannot be used, so the runs "
                                                     f"keep the config read before until it is fixed: {config_path}:")
    assert "\n" not in said[1] and brightwater() == 4
    assert run() == []   # (said once, not at every run)
    edit(write_config(tmp_path, {}, companies=[], extra=folder, name="none.toml").read_text(encoding="utf-8"))
    # (valid, but no company left: every post's would be taken away)
    (said,) = run()
    assert said[0] == "ERROR" and "no [[companies]] configured" in said[1]

    # fixed, with a schedule changed too: read again, and the schedule said to need a restart
    edit(good.replace('source = "forum"', 'source = "forum"\nschedule = "5 * * * *"', 1))
    said = run()
    assert said[0] == ("INFO", f"config: {config_path} changed: read again, for this run and the next ones"), said
    assert said[1][0] == "WARNING" and said[1][1].startswith("config: the jobs or their schedules changed") \
        and said[1][1].endswith("restart `hirepulse schedule` to apply them"), said
    assert len(said) == 2
