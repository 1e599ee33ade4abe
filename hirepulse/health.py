"""Collection and import health for the dashboard and ``hirepulse status``: SQL over ``runs`` and ``mentions``.

Lives in the shared core (not in ``collectors``) so the dashboard can show it without importing
any collector. The next scheduled run comes from each source's cron expression in the config.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import duckdb
from hirepulse.cron import next_run

from hirepulse.config import SOURCE_KEYS, Config
from hirepulse.db import interrupted_runs

HEALTH_SQL = """
WITH c AS (SELECT * FROM runs WHERE kind = 'collect'),
ok AS (SELECT source, max(finished_at) AS last_success_at FROM c WHERE status = 'ok' GROUP BY source),
err AS (SELECT source, max(finished_at) AS last_error_at, arg_max(error, finished_at) AS last_error
        FROM c WHERE status = 'error' GROUP BY source),
latest AS (SELECT source, max(started_at) AS last_run_at, count(*) AS runs,   -- the last run's fields in one
                  arg_max({'status': status, 'new': new_count, 'error': error, 'id': id}, started_at) AS last_run
           FROM c GROUP BY source),                                                 -- (not NULL)
stored AS (SELECT source, count(*) AS mentions_stored FROM mentions GROUP BY source)
SELECT s.source, l.last_run_at, l.last_run.status, ok.last_success_at, err.last_error_at, err.last_error,
       coalesce(st.mentions_stored, 0), coalesce(l.last_run.new, 0), coalesce(l.runs, 0),
       CASE WHEN l.last_run.status = 'stopped' THEN l.last_run.error END, l.last_run.id
FROM (SELECT unnest(?::VARCHAR[]) AS source) s
LEFT JOIN latest l USING (source) LEFT JOIN ok USING (source) LEFT JOIN err USING (source)
LEFT JOIN stored st USING (source)
"""
_COLUMNS = ("source", "last_run_at", "last_status", "last_success_at", "last_error_at", "last_error",
            "mentions_stored", "new_in_last_run", "runs", "stopped_because", "last_run_id")


def collection_health(con: duckdb.DuckDBPyConnection, config: Config, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """One dict per collector source, in a stable order.

    Keys: ``source``, ``enabled``, ``schedule`` (cron, UTC), ``next_run_at`` (None when disabled),
    ``last_run_at``, ``last_status`` (ok, error, stopped, running, interrupted), ``last_success_at``,
    ``last_error_at``, ``last_error``, ``mentions_stored``, ``new_in_last_run``, ``runs``, ``stopped_because``
    (why the last run stopped early, when it did: a spent daily budget, a stop signal, its process gone); each
    source's newest post is :func:`posts_by_source`'s. A run recorded as running whose process is gone
    (:func:`hirepulse.db.interrupted_runs`) is ``interrupted``, not running. Works on a read-only connection.
    """
    now = now or datetime.now(timezone.utc)
    names = list(SOURCE_KEYS)
    found = {row[0]: dict(zip(_COLUMNS, row)) for row in con.execute(HEALTH_SQL, [names]).fetchall()}
    gone = interrupted_runs(con, now=now)
    out = []
    for name in names:
        source = config.source(name)
        row = found[name]
        last = row.pop("last_run_id")
        if last in gone and row["last_status"] == "running":
            row.update(last_status="interrupted", stopped_because=gone[last])
        upcoming = None
        if source.enabled:
            upcoming = next_run(source.schedule, now=now)
        out.append({"source": name, "enabled": source.enabled, "schedule": source.schedule, "next_run_at": upcoming,
                    **{k: v for k, v in row.items() if k != "source"}})
    return out


REPORT_HEALTH_SQL = """
SELECT count(*), max(started_at), arg_max(status, (started_at, id)), arg_max(id, (started_at, id)),
       arg_max(json_extract_string(detail, '$.out'), (started_at, id)),
       max(finished_at) FILTER (WHERE status = 'ok'), max(finished_at) FILTER (WHERE status = 'error'),
       arg_max(error, finished_at) FILTER (WHERE status = 'error')
FROM runs WHERE source = 'reports' AND kind = 'report'
"""


def report_health(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """How the reports went (`hirepulse report` and the scheduler's, each recorded as a run "reports"/"report"):
    ``runs``, ``last_run_at``, ``last_status`` (ok, error, stopped, running, interrupted), ``out`` (the folder the
    last one wrote, or meant to), ``last_success_at``, ``last_error_at`` and ``last_error``. One query. Works
    read-only."""
    runs, last_at, status, last_id, out, ok_at, error_at, error = con.execute(REPORT_HEALTH_SQL).fetchone()
    if status == "running" and last_id in interrupted_runs(con, source="reports", kind="report"):
        status = "interrupted"
    return {"runs": runs, "last_run_at": last_at, "last_status": status, "out": out, "last_success_at": ok_at,
            "last_error_at": error_at, "last_error": error}


# Every finished import run with the file it read (its label, and the watched folder when it came from one); each
# query below reads it, newest first where order matters, so that only the rows shown come into Python.
_IMPORT_RUNS = """
SELECT finished_at, source, json_extract_string(detail, '$.file') AS file, status, new_count, updated_count, error,
       json_extract_string(detail, '$.folder') AS folder, id
FROM runs WHERE kind = 'import' AND status IN ('ok', 'error')
"""
_IMPORT_COLUMNS = ("finished_at", "source", "file", "status", "new", "updated", "error")
_IMPORT_SELECT = "finished_at, source, file, status, new_count, updated_count, error"
RECENT_IMPORTS_SQL = f"SELECT {_IMPORT_SELECT} FROM ({_IMPORT_RUNS}) ORDER BY finished_at DESC, id DESC LIMIT ?"
# A file is known by (label, folder, file), and waits for a fix while its newest run is a refusal: the newest as
# ORDER BY finished_at DESC, id DESC ranks them, NULL oldest. (An aggregate per file: a window would sort every run.)
REFUSED_IMPORTS_SQL = f"""
SELECT {_IMPORT_SELECT} FROM (
    SELECT unnest(newest) FROM (
        SELECT arg_max(i, (coalesce(i.finished_at, TIMESTAMPTZ '-infinity'), i.id)) AS newest
        FROM ({_IMPORT_RUNS}) i GROUP BY i.source, i.folder, i.file))
WHERE status = 'error' ORDER BY finished_at DESC, id DESC
"""
FILES_IMPORTED_SQL = "SELECT count(*) FROM runs WHERE kind = 'import' AND status = 'ok'"


def _import_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return [dict(zip(_IMPORT_COLUMNS, row)) for row in con.execute(sql, params or []).fetchall()]


def refused_imports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """:func:`import_health`'s ``refused`` alone (one query), for `hirepulse status`, which shows only those."""
    return _import_rows(con, REFUSED_IMPORTS_SQL)


def import_health(con: duckdb.DuckDBPyConnection, *, recent: int = 20) -> dict[str, Any]:
    """The imports' side of health: ``recent``, the latest import runs (newest first; each a dict of
    finished_at, source, file, status, new, updated, error); ``refused``, the files whose latest import was
    refused (a watched folder's file waits for a fix: it is read again once it changes), newest first; ``files``,
    how many imports stored a file. Three queries, whatever the number of runs: years of a folder read hourly
    stay in DuckDB. Works read-only."""
    return {"recent": _import_rows(con, RECENT_IMPORTS_SQL, [recent]), "refused": refused_imports(con),
            "files": con.execute(FILES_IMPORTED_SQL).fetchone()[0]}


POSTS_BY_SOURCE_SQL = """
SELECT source, count(*) AS posts, max(published_at) AS newest_post_at, max(first_seen_at) AS last_added_at
FROM mentions GROUP BY source ORDER BY newest_post_at DESC, source
"""


def posts_by_source(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """How fresh each source's stored posts are, collected or imported, newest first: one dict per source with
    posts, of ``source``, ``posts``, ``newest_post_at`` (when the newest was published) and ``last_added_at``
    (when a post of it was last stored). An import of an old export adds posts today whose newest is weeks
    old: the two dates tell that apart from a source that brings in nothing. Works read-only."""
    names = ("source", "posts", "newest_post_at", "last_added_at")
    return [dict(zip(names, row)) for row in con.execute(POSTS_BY_SOURCE_SQL).fetchall()]


def analysis_status(con: duckdb.DuckDBPyConnection, version: str) -> dict[str, int]:
    """How far the stored readings are those of the analyzer ``version`` in use: ``mentions``; ``current``,
    read by it; ``pending``, waiting for ``hirepulse analyze`` (never read, or read by another version: before
    an upgrade or an adaptation). Counted on the analysis table alone, without joining every mention (1 ms,
    not 300, on a million): a post edited at its source since it was read counts as current here, though
    ``analyze`` reads it again. Works read-only."""
    mentions, current = con.execute(
        "SELECT (SELECT count(*) FROM mentions), count(*) FROM analysis WHERE analyzer_version = ?", [version]).fetchone()
    return {"mentions": mentions, "current": current, "pending": mentions - current}


def running_analyses(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The analyses running now, oldest first: their ``started_at``, ``done`` (mentions scored so far) and
    ``total`` (what they set out to score; None for a run of a version that did not record it). A run recorded
    as running whose process is gone (:func:`hirepulse.db.interrupted_runs`) is not one. Works read-only."""
    gone = interrupted_runs(con, source="analysis", kind="analyze")
    rows = con.execute("SELECT id, started_at, new_count, TRY_CAST(json_extract_string(detail, '$.total') AS BIGINT) "
                       "FROM runs WHERE source = 'analysis' AND kind = 'analyze' AND status = 'running' "
                       "ORDER BY started_at, id").fetchall()
    return [{"started_at": started, "done": done, "total": total}
            for run_id, started, done, total in rows if run_id not in gone]


def describe_readings(readings: dict[str, Any]) -> str:
    """One line on the analyzer in use (``analysis.scoring.readings_in_use``) in the Health view's words, for
    `hirepulse status`."""
    adapted = readings["adapted"]
    if readings["problem"]:
        return f"cannot be used: {readings['problem']}"
    if not adapted:
        return f"as installed (version {readings['version']})"
    when = f" on {str(adapted['adapted_at'])[:10]}" if adapted.get("adapted_at") else ""
    return f"adapted to your posts{when} {adapted_from(adapted)} (version {readings['version']})"


def adapted_from(adapted: dict[str, Any]) -> str:
    """What adapted readings learned from (their `hirepulse adapt` manifest), in the words `hirepulse status` and
    the Health view share: "with N labelled posts from" the file, the database's labels, or labelled posts."""
    source = adapted.get("labelled_file") or (f"the labels in {adapted['labelled_database']}"
                                              if adapted.get("labelled_database") else "labelled posts")
    return f"with {adapted.get('posts', '?')} labelled posts from {source}"
