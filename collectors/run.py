"""``collect()``: the incremental loop shared by every source (STYLE section 3).

Per query: read the cursor for ``(source, query key)``; the source steps it back by its
look-back and fetches only what is newer (or sends a conditional GET). Pages are parsed as they
arrive and buffered; the buffer is written in one short transaction on a connection opened for
that write alone (upsert, de-duplicated, plus the newest cursor of each query the buffer covers)
once it holds :data:`COMMIT_ROWS` mentions or :data:`COMMIT_SECONDS` have passed, at the end of
the run, before stopping and before recording a failure. A cursor is therefore never saved before
the data it covers: a run killed midway re-fetches from the last committed cursor next time and
the upserts absorb the overlap. Between writes the file is free, so the dashboard can read.
(One transaction per page cost a DuckDB open, checkpoint and close each, ~70 ms on a 50k-row
file: most of a first run's time.)

A source with a daily quota (YouTube) carries a ``budget`` (:class:`~collectors.base.DailyBudget`):
loaded from its ``__units__`` cursor, saved with every write and at the end whatever happened.
When it runs out the source sets ``stopped`` and the run ends ``stopped`` with that reason, keeping
what it stored. A source with ``recheck_first`` does its deletion re-check before fetching.

Every run is logged in ``runs`` (requests, bytes, counts, the error if any). A failing source
raises nothing here: :func:`collect_source` returns a :class:`RunResult` with the reason, and
the caller goes on with the next source. A database that stayed busy past the lock timeout is the
exception: the run is recorded as an error, then :class:`~hirepulse.errors.DatabaseBusy` raised, so
that the scheduler tries the source again soon and ``hirepulse collect`` stops there (the sources
left would each wait out the same lock).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from collectors.base import (CollectorError, RateLimited, RawPage, RobotsDisallowed, RobotsUnreadable, Source,
                             StopRequested, mention_id)
from collectors.http import PoliteClient
from hirepulse import db
from hirepulse.config import Config
from hirepulse.errors import DatabaseBusy, DatabaseError, HirepulseError

log = logging.getLogger(__name__)

SOURCE_MODULES = {
    "hackernews": "collectors.hackernews",
    "mastodon": "collectors.mastodon",
    "stackexchange": "collectors.stackexchange",
    "feeds": "collectors.feeds",
    "web": "collectors.web",
    "gdelt": "collectors.gdelt",
    "reddit": "collectors.reddit",
    "bluesky": "collectors.bluesky",
    "youtube": "collectors.youtube",
}
RECHECK_KEY = "__recheck__"       # cursor key holding the time of the last deletion re-check
UNITS_KEY = "__units__"           # cursor key holding a source's DailyBudget (API units spent on the quota day)
RECHECK_BATCH = 100
COMMIT_ROWS = 5_000               # mentions buffered before a write, at most
COMMIT_SECONDS = 1.0              # and the longest time fetched pages wait to be written
STATUS_OK, STATUS_ERROR, STATUS_STOPPED = "ok", "error", "stopped"

# DuckDB allows one writer transaction per row at a time; sources may run in threads (the
# scheduler), so writes from this process go one at a time. Fetching stays concurrent.
DB_LOCK = threading.RLock()

Progress = Callable[[str, int, int], None]   # (source, pages done, new mentions so far)


@dataclass(slots=True)
class RunResult:
    """What one collection run of one source did."""

    source: str
    status: str = STATUS_OK
    new: int = 0
    updated: int = 0
    skipped: int = 0
    not_fetched: int = 0          # queries not sent: the last answer is still fresh (feeds)
    pages: int = 0
    requests: int = 0
    bytes: int = 0
    deleted: int = 0
    error: str | None = None
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status != STATUS_ERROR


def build_source(name: str, config: Config) -> Source:
    """Instantiate a source from its config section.

    Raises:
        CollectorError: the name is not a known source.
    """
    if name not in SOURCE_MODULES:
        raise CollectorError(f"unknown source {name!r} (known: {', '.join(SOURCE_MODULES)})")
    module = importlib.import_module(SOURCE_MODULES[name])
    return module.build(config, config.source(name))


def make_client(db_path: Path, config: Config, **options: Any) -> PoliteClient:
    """A :class:`PoliteClient` whose "not before" times live in the database's ``host_state``."""

    def load(host: str) -> datetime | None:
        with DB_LOCK, db.connect(db_path) as con:
            return db.get_not_before(con, host)

    def save(host: str, when: datetime) -> None:
        with DB_LOCK, db.connect(db_path) as con:
            db.set_not_before(con, host, when)

    options.setdefault("timeout", config.collect.timeout_seconds)
    return PoliteClient(contact=config.collect.contact, load_not_before=load, save_not_before=save, **options)


def collect_source(name: str, config: Config, db_path: str | Path, *, salt: str, progress: Progress | None = None,
                   should_stop: Callable[[], bool] | None = None, **client_options: Any) -> RunResult:
    """Build the source and its client, run :func:`collect`, never raise for a source failure.

    Raises:
        DatabaseBusy: the database stayed busy past the lock timeout (:func:`collect`).
    """
    db_path = Path(db_path)
    try:
        source = build_source(name, config)
        ua = getattr(source, "user_agent", None)
        if ua:
            client_options.setdefault("user_agent_override", ua)
    except HirepulseError as exc:
        return _record_failure(db_path, name, str(exc))
    with make_client(db_path, config, **client_options) as client:
        return collect(source, client=client, db_path=db_path, salt=salt, progress=progress, should_stop=should_stop)


def collect(source: Source, *, client: PoliteClient, db_path: str | Path, salt: str,
            progress: Progress | None = None, should_stop: Callable[[], bool] | None = None) -> RunResult:
    """Run every query of ``source`` incrementally and log the run. See the module docstring.

    Raises:
        DatabaseBusy: the database stayed busy past the lock timeout; the run is recorded first when it can be.
    """
    db_path = Path(db_path)
    result = RunResult(source=source.name)
    with DB_LOCK, db.connect(db_path) as con:
        db.check_salt(con, salt, record=False)   # (refused before a request is made, not at the first write)
        # an earlier run of this source killed midway, or that could not record its end, is closed as an error
        # saying so; one another process is still making is left to finish
        db.close_interrupted_runs(con, source.name, "collect")
        result.run_id = db.start_run(con, source.name, "collect")
        cursors = db.get_cursors(con, source.name)
    disallowed: list[str] = []
    unreadable: dict[str, list[str]] = {}   # why robots.txt could not be read -> the URLs left for it
    client.should_stop = should_stop
    writer = _Writer(source, db_path, salt, result)
    budget = getattr(source, "budget", None)      # a DailyBudget shared by the runs of one quota day
    if budget is not None:
        budget.load(cursors[UNITS_KEY].value if UNITS_KEY in cursors else None)
    recheck_first = hasattr(source, "find_deleted") and getattr(source, "recheck_first", False)
    busy: DatabaseBusy | None = None
    interrupted: KeyboardInterrupt | None = None
    try:
        if recheck_first and (budget is None or budget.left() > 0):   # forgetting before collecting
            _recheck(source, client, db_path, result, cursors.get(RECHECK_KEY))
        for query in source.queries():
            try:
                for page in source.fetch(client, query, cursors.get(query.key)):
                    writer.add(page, query.key)
                    if progress:
                        progress(source.name, result.pages, result.new)
                    if should_stop and should_stop():
                        writer.flush()
                        result.status = STATUS_STOPPED
                        result.error = "stopped before the end (cursors kept at the last committed page)"
                        break
            except RobotsDisallowed as exc:   # one configured URL; the others still run
                log.warning("%s: %s", source.name, exc)
                if isinstance(exc, RobotsUnreadable):   # (not a refusal: said apart, with why, host by host)
                    unreadable.setdefault(f"robots.txt of {exc.host} could not be read ({exc.why})", []).append(exc.url)
                else:
                    disallowed.append(exc.url)
            if result.status == STATUS_STOPPED:
                break
        writer.flush()
        stopped = getattr(source, "stopped", None)   # the source ended early on its own (a spent budget)
        if stopped and result.status == STATUS_OK:
            result.status, result.error = STATUS_STOPPED, stopped
        if result.status == STATUS_OK and hasattr(source, "find_deleted") and not recheck_first:
            _recheck(source, client, db_path, result, cursors.get(RECHECK_KEY))
        if (disallowed or unreadable) and result.status == STATUS_OK:
            result.status = STATUS_ERROR
            said = [f"{why}: {len(urls)} configured URL(s) not fetched: " + ", ".join(urls)
                    for why, urls in unreadable.items()]
            if disallowed:
                said.append(f"robots.txt disallows {len(disallowed)} configured URL(s), not fetched: "
                            + ", ".join(disallowed))
            result.error = "; ".join(said)
    except DatabaseBusy as exc:   # (no last write: it would wait out the same lock again)
        busy = exc
        result.status, result.error = STATUS_ERROR, str(exc)
        log.info("%s: the database stayed busy; what was fetched since the last write is fetched again next run",
                 source.name)
    except KeyboardInterrupt as exc:   # (Ctrl+C: the run stopped, as for a stop signal; no last write, which the
        interrupted = exc                 # interrupt may have cut in two: the pages since the last one come again)
        result.status, result.error = STATUS_STOPPED, "interrupted (Ctrl+C): cursors kept at the last committed page"
    except Exception as exc:  # noqa: BLE001 - one source's failure must not stop the others
        try:
            if not isinstance(exc, DatabaseError):   # (the store itself failed: again would fail the same way)
                writer.flush()        # keep what was fetched and parsed before the failure
        except Exception:  # noqa: BLE001 - the original failure is the one to report
            log.exception("%s: could not store the pages fetched before the failure", source.name)
        # a host that asked an earlier run to wait, and was not sent anything now: the run is waiting, not failing
        # (cron would mail an error every run until then), so stopped, saying until when
        waiting = isinstance(exc, RateLimited) and exc.earlier
        result.status = STATUS_STOPPED if isinstance(exc, StopRequested) or waiting else STATUS_ERROR
        result.error = str(exc) if isinstance(exc, HirepulseError) else f"{type(exc).__name__}: {exc}"
        if waiting:
            result.error = f"waiting: {result.error}"
        if not isinstance(exc, HirepulseError):
            log.exception("%s failed", source.name)
    result.requests, result.bytes = client.requests, client.bytes
    with DB_LOCK, db.connect(db_path) as con:
        _save_budget(con, source)     # units are spent whether or not the run succeeded
        db.finish_run(con, result.run_id, status=result.status, new=result.new, updated=result.updated,
                      skipped=result.skipped, requests=result.requests, bytes_=result.bytes, error=result.error,
                      detail={"pages": result.pages, "deleted": result.deleted,
                              "not_fetched": result.not_fetched})
    log.info("%s: %s, %d new, %d updated, %s", source.name, result.status, result.new, result.updated,
             _count(result.requests, "request"))
    if busy is not None:
        raise busy
    if interrupted is not None:
        raise interrupted
    return result


class _Writer:
    """Buffers parsed pages and writes them, with their cursors, in one transaction per batch."""

    def __init__(self, source: Source, db_path: Path, salt: str, result: RunResult) -> None:
        self.source, self.db_path, self.salt, self.result = source, db_path, salt, result
        self.mentions: list[Any] = []
        self.cursors: dict[str, db.Cursor] = {}   # query key -> newest cursor of the buffered pages
        self.started = time.monotonic()

    def add(self, page: RawPage, key: str) -> None:
        """Parse one page into the buffer (ParseError propagates); write when the buffer is due."""
        if page.meta.get("not_fetched"):
            self.result.not_fetched += 1
            log.debug("%s: %s not fetched: %s", self.source.name, key, page.meta["not_fetched"])
        elif not page.meta.get("checkpoint"):
            self.mentions.extend(list(self.source.parse(page)))   # all of a page or none of it
            self.result.pages += 1
        cursor = page.meta.get("cursor")
        if cursor is not None:
            self.cursors[key] = cursor
        if len(self.mentions) >= COMMIT_ROWS or time.monotonic() - self.started >= COMMIT_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the buffered mentions and cursors together; the buffer is kept if this fails."""
        if self.mentions or self.cursors:
            table = db.mentions_table(self.mentions, salt=self.salt) if self.mentions else None
            with DB_LOCK, db.connect(self.db_path) as con, db.transaction(con):
                stats = db.upsert_mentions(con, table, salt=self.salt) if table is not None else db.UpsertStats()
                for key, cursor in self.cursors.items():
                    db.set_cursor(con, self.source.name, key, cursor)
                _save_budget(con, self.source)   # so that a killed run's units still count
            self.result.new += stats.new
            self.result.updated += stats.updated
            self.result.skipped += stats.unchanged + stats.erased   # (erased: named by `hirepulse forget`)
            self.mentions, self.cursors = [], {}
        self.started = time.monotonic()


def _save_budget(con: Any, source: Any) -> None:
    """Store a source's DailyBudget (if it has one) in its ``UNITS_KEY`` cursor, inside the caller's connection."""
    budget = getattr(source, "budget", None)
    if budget is not None:
        db.set_cursor(con, source.name, UNITS_KEY, db.Cursor(budget.dump()))


def _recheck(source: Any, client: PoliteClient, db_path: Path, result: RunResult, last: db.Cursor | None) -> None:
    """Delete stored mentions the source reports deleted upstream (Reddit, Bluesky, Mastodon).

    Every ``recheck_days`` (0: never), the mentions published in the last ``recheck_max_age_days``
    (0: every mention stored from the source) are handed to ``source.find_deleted`` in batches of
    ``recheck_batch``; those it names are
    deleted here with their analysis (:func:`hirepulse.db.delete_mentions`). A source's first run
    only records the time: what it just fetched exists upstream.
    """
    every = float(getattr(source, "recheck_days", 7))
    now = datetime.now(timezone.utc)
    if every <= 0 or (last and last.value and datetime.fromisoformat(last.value) > now - timedelta(days=every)):
        return                        # ``last``: the cursor read at the start of the run
    with DB_LOCK, db.connect(db_path) as con:
        if last is None or not last.value:
            db.set_cursor(con, source.name, RECHECK_KEY, db.Cursor(now.isoformat()))
            return
        max_age = float(getattr(source, "recheck_max_age_days", 30))
        window = now - timedelta(days=max_age) if max_age > 0 else datetime(1970, 1, 1, tzinfo=timezone.utc)
        ids = [row[0] for row in con.execute(
            "SELECT native_id FROM mentions WHERE source = ? AND published_at >= ? ORDER BY published_at DESC",
            [source.name, window]).fetchall()]
    batch = int(getattr(source, "recheck_batch", RECHECK_BATCH))
    gone: list[str] = []
    for start in range(0, len(ids), batch):
        gone.extend(source.find_deleted(client, ids[start:start + batch]))
    with DB_LOCK:
        with db.connect(db_path) as con:
            with db.transaction(con):
                result.deleted = db.delete_mentions(con, [mention_id(source.name, n) for n in gone])
                db.set_cursor(con, source.name, RECHECK_KEY, db.Cursor(now.isoformat()))
            if result.deleted:
                con.execute("CHECKPOINT")    # as `hirepulse forget`: the deleted text leaves the WAL too
        log.info("%s: re-checked %s, %d deleted upstream", source.name, _count(len(ids), "mention"), result.deleted)
        # and leaves the file's free blocks too (a no-op unless this or an earlier deletion left traces); a
        # failure is said, not fatal: the posts are deleted, and the next forget, purge or re-check rewrites
        try:
            db.ensure_erased(db_path, should_stop=client.should_stop)
        except HirepulseError as exc:
            log.warning("%s: %s", source.name, exc)


def _count(number: int, noun: str) -> str:
    """ "1 request", "2 requests": the log's counts say one in the singular, as the CLI's do."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _record_failure(db_path: Path, name: str, reason: str) -> RunResult:
    with DB_LOCK, db.connect(db_path) as con:
        run_id = db.record_run(con, name, "collect", status=STATUS_ERROR, error=reason)
    return RunResult(source=name, status=STATUS_ERROR, error=reason, run_id=run_id)
