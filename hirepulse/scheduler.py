"""Run jobs on cron schedules (APScheduler 3), one at a time per job, until SIGTERM.

The scheduler knows nothing about collectors or analysis: :mod:`hirepulse.cli` hands it
:class:`Job` objects whose ``func`` does the work (collect one source and analyse, write the
reports, purge old mentions). Each job gets a ``should_stop`` callable and is expected to stop
between units of work when it turns true.

Guarantees: a job never runs twice at once (``max_instances=1``, and a lock per job that its retries
share); runs missed while the previous one was still going are merged into one (``coalesce``); a run
that failed only because the database stayed busy (:class:`~hirepulse.errors.DatabaseBusy`: another
process held it past the lock timeout) is tried again :data:`BUSY_RETRY_SECONDS` later, up to
:data:`BUSY_RETRIES` times, rather than waiting for its next scheduled run (a day away for the
retention purge); SIGTERM or SIGINT stops new runs, tells running jobs to stop, waits for them to
record their end, and returns 0.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hirepulse.cron import cron_trigger
from hirepulse.errors import DatabaseBusy, HirepulseError, os_error_line

log = logging.getLogger(__name__)

TIMEZONE = timezone.utc
MAX_THREADS = 8
MISFIRE_GRACE_SECONDS = 300
PURGE_CRON = "30 3 * * *"     # daily retention purge, UTC
# A run that met a database busy past the lock timeout (a long import or analysis by another process) is tried
# again up to BUSY_RETRIES times, BUSY_RETRY_SECONDS after each failure: within half an hour, not at its next run.
BUSY_RETRIES = 3
BUSY_RETRY_SECONDS = 600.0

StopFlag = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Job:
    """One scheduled job. ``cron`` is a 5-field crontab expression in UTC. ``func`` returns None when its work
    went through, or a line saying what failed (a source that answered with errors, a refused file): the job
    ran, but an operator should hear of it."""

    name: str
    cron: str
    func: Callable[[StopFlag], Any]


def trigger_for(cron: str, *, every: float | None = None) -> BaseTrigger:
    """The APScheduler trigger of a job; ``every`` (seconds) replaces the cron (tests, demos).

    Raises:
        ValueError: the cron expression is invalid.
    """
    if every:
        return IntervalTrigger(seconds=every, timezone=TIMEZONE)
    return cron_trigger(cron, TIMEZONE)


def _call(job: Job, stop: threading.Event, *, retry: Callable[[], str | None] | None = None) -> str | None:
    """Run a job once and log how it went; returns what failed (the line the job returned, or its exception),
    None when it worked. Never raises: a failed job is logged here, once, with its name and time.

    ``retry`` is asked when the job failed only because the database stayed busy; it returns when the job runs
    again (the failure is then a WARNING saying so), or None when it does not (an ERROR, as any failure)."""
    started = time.monotonic()
    log.info("job %s started", job.name)
    try:
        problem = job.func(stop.is_set) or None
    except DatabaseBusy as exc:
        again = retry() if retry else None
        if again:
            log.warning("job %s failed after %.1fs: %s; %s", job.name, time.monotonic() - started, exc, again)
        else:
            log.error("job %s failed after %.1fs: %s", job.name, time.monotonic() - started, exc)
        return str(exc)
    except HirepulseError as exc:   # (an expected condition: one line, no traceback)
        log.error("job %s failed after %.1fs: %s", job.name, time.monotonic() - started, exc)
        return str(exc)
    except OSError as exc:   # the file system said no (a reports folder not writable, a full disk): one line too
        said = os_error_line(exc)
        log.error("job %s failed after %.1fs: %s", job.name, time.monotonic() - started, said)
        return said
    except Exception as exc:  # noqa: BLE001 - report and go on with the next job
        log.exception("job %s failed after %.1fs", job.name, time.monotonic() - started)
        return f"{type(exc).__name__}: {exc}"
    if problem:   # (at WARNING: a log read at warning level and up must see a source failing for days)
        log.warning("job %s finished in %.1fs with a problem: %s", job.name, time.monotonic() - started, problem)
    else:
        log.info("job %s finished in %.1fs", job.name, time.monotonic() - started)
    return problem


def _wrap(job: Job, stop: threading.Event, scheduler: BackgroundScheduler | None = None) -> Callable[..., None]:
    """The function the scheduler calls for ``job``: its scheduled runs, and (given the ``scheduler``) the retries
    of a run that failed only because the database stayed busy, each a one-off job due :data:`BUSY_RETRY_SECONDS`
    after the failure, at most :data:`BUSY_RETRIES` in a row.

    A retry and a scheduled run of the job never overlap (``max_instances`` counts per APScheduler job, and a
    retry is a job of its own): whichever comes while the other runs is skipped. A retry due after a scheduled
    run has started since its failure does nothing: that run did the work."""
    running = threading.Lock()
    started = 0   # runs of the job begun so far

    def run(attempt: int = 0, after: int | None = None) -> None:
        nonlocal started
        if stop.is_set():
            return
        if not running.acquire(blocking=False):
            log.info("job %s still running: this run is skipped", job.name)
            return
        try:
            if after is not None and after != started:
                return
            started += 1
            this = started

            def again() -> str | None:
                if scheduler is None or attempt >= BUSY_RETRIES or stop.is_set():
                    return None
                when = datetime.now(TIMEZONE) + timedelta(seconds=BUSY_RETRY_SECONDS)
                scheduler.add_job(run, DateTrigger(when, timezone=TIMEZONE), args=[attempt + 1, this],
                                  name=f"{job.name} (retry {attempt + 1})")
                return f"retry {attempt + 1} of {BUSY_RETRIES} at {when:%Y-%m-%d %H:%M:%S} UTC"

            _call(job, stop, retry=again)
        finally:
            running.release()
    return run


@contextmanager
def stop_on_signals(stop: threading.Event, said: Callable[[str], None]) -> Iterator[threading.Event]:
    """``stop`` set by SIGTERM or SIGINT (``said`` told the signal's name) while the block runs, the earlier
    handlers back after it; for work that stops between units and records where it got to. Signals reach the
    main thread only: elsewhere nothing is installed."""
    def on_signal(signum: int, _frame: Any) -> None:
        said(signal.Signals(signum).name)
        stop.set()

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def build_scheduler(jobs: Sequence[Job], stop: threading.Event, *, every: float | None = None) -> BackgroundScheduler:
    """A configured, not yet started scheduler holding ``jobs``; a run that meets a busy database is tried again
    :data:`BUSY_RETRY_SECONDS` later, at most :data:`BUSY_RETRIES` times in a row (:func:`_wrap`).

    Raises:
        ValueError: a job's cron expression is invalid.
    """
    # APScheduler warns at every skipped tick; the listener below logs it once, at INFO.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    scheduler = BackgroundScheduler(
        timezone=TIMEZONE,
        executors={"default": ThreadPoolExecutor(MAX_THREADS)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
    first = datetime.now(TIMEZONE) if every else None
    for job in jobs:
        kwargs: dict[str, Any] = {"next_run_time": first} if first else {}
        scheduler.add_job(_wrap(job, stop, scheduler), trigger_for(job.cron, every=every), id=job.name,
                          name=job.name, **kwargs)

    def listen(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.info("job %s still running: this run is skipped", event.job_id)

    scheduler.add_listener(listen, EVENT_JOB_MAX_INSTANCES)
    return scheduler


def run_forever(jobs: Sequence[Job], *, every: float | None = None, stop: threading.Event | None = None,
                handle_signals: bool = True) -> int:
    """Run the jobs on their schedules until SIGTERM/SIGINT (or ``stop`` is set); returns 0. A run that meets a
    busy database is retried as :func:`build_scheduler` says.

    Raises:
        ValueError: a job's cron expression is invalid.
    """
    stop = stop or threading.Event()
    scheduler = build_scheduler(jobs, stop, every=every)

    def said(name: str) -> None:
        log.info("received %s: stopping after the running jobs record their end", name)

    with stop_on_signals(stop, said) if handle_signals else nullcontext(stop):
        scheduler.start()
        for job in scheduler.get_jobs():
            log.info("scheduled %s, next run %s", job.name, job.next_run_time)
        try:
            while not stop.wait(0.5):
                pass
        finally:
            stop.set()
            scheduler.shutdown(wait=True)
    log.info("scheduler stopped")
    return 0


def run_once(jobs: Sequence[Job], *, stop: threading.Event | None = None,
             said: Callable[[str], None] | None = None) -> dict[str, str | None]:
    """Run every job once, in order; returns job name -> what failed (an exception, or the line the job
    returned), None when it worked. A busy database is not retried here: ``schedule --once`` is run by cron or a
    timer, whose next tick is the retry; sleeping through retries would hold the one-scheduler lock into that
    tick, and the caller would hear of the failure half an hour late, if at all.

    SIGTERM or SIGINT (``said`` told its name) tells the running job to stop, as :func:`run_forever` does, so that
    it records its run as stopped, and no job after it starts: those are not in the result."""
    stop = stop or threading.Event()
    outcome: dict[str, str | None] = {}
    with stop_on_signals(stop, said or (lambda _name: None)):
        for job in jobs:
            if stop.is_set():
                break
            outcome[job.name] = _call(job, stop)
    return outcome
