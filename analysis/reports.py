"""CSV reports, written by DuckDB's ``COPY`` from the same SQL the dashboard uses.

One function per CSV; ``spikes.csv`` lists the weeks the Trends view marks as spikes, per company, and
``summary.md`` says in sentences what changed, as the Overview does.
Text cells that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading apostrophe (OWASP's advice on CSV injection). A number is never written as
``-0.0``, and a whole number in a column counted in posts or scale points (``WHOLE_NUMBER_COLUMNS``) is written
without ``.0``. Every column is described in ``docs/reports.md``. All files of a report are written into a temporary folder first and moved into
place at the end, so a failed report never leaves half-written files behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analysis import metrics, summary, wording
from analysis.metrics import Filters, SqlParams
from analysis.scoring import STAGE_LABELS
from analysis.themes import THEMES
from hirepulse import db

REPORT_FILES = ("mentions.csv", "stage_summary.csv", "weekly_trend.csv", "themes.csv", "spikes.csv", "summary.md")
SPIKE_COLUMNS = ("company", "week", "stage", "stage_label", "mentions", "baseline", "threshold", "net_index",
                 "top_themes", "top_stages")
# Columns of floating-point type whose values are counts of posts or points of a rating scale: a whole value is
# written "5", not "5.0" (a rating of 4 stars, a scale of 5, a usual volume of 3 posts). Other floating columns
# (sentiments, shares, confidences) keep the form DuckDB writes, "0.0" included.
WHOLE_NUMBER_COLUMNS = frozenset({"rating", "rating_scale", "baseline", "threshold"})
_FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT"})
RECENT_SPIKE_WEEKS = 2   # spikes this many weeks before the newest week, or in it, are the news of a report
_FORMULA_START = r"^[=+\-@\t\r]"


def _csv_safe(column: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    return f"CASE WHEN regexp_matches({quoted}, '{_FORMULA_START}') THEN '''' || {quoted} ELSE {quoted} END AS {quoted}"


def _csv_number(column: str, dtype: str) -> str:
    """A floating-point column as the CSV writes it: a negative zero (a sentiment of -0.0, stored as the
    analyzer computed it) as 0, and in ``WHOLE_NUMBER_COLUMNS`` a whole value without its ".0"."""
    quoted = '"' + column.replace('"', '""') + '"'
    if column in WHOLE_NUMBER_COLUMNS:
        whole = f"isfinite({quoted}) AND {quoted} = trunc({quoted}) AND abs({quoted}) < 1e15"
        return (f"CASE WHEN {whole} THEN CAST(CAST({quoted} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({quoted} AS VARCHAR) END AS {quoted}")
    return f"CASE WHEN {quoted} = 0 THEN CAST(0 AS {dtype}) ELSE {quoted} END AS {quoted}"


def copy_csv(con: duckdb.DuckDBPyConnection, query: SqlParams, path: Path) -> int:
    """Write a query's result to ``path`` as CSV with a header, neutralising formula-like text and writing
    numbers as :func:`_csv_number` does.

    Returns the number of rows written.
    """
    sql, params = query
    described = con.execute(f"DESCRIBE {sql}", params).fetchall()
    columns = []
    for name, dtype, *_ in described:
        quoted = '"' + name.replace('"', '""') + '"'
        columns.append(_csv_safe(name) if dtype == "VARCHAR" else _csv_number(name, dtype) if dtype in _FLOAT_TYPES
                       else quoted)
    target = str(path).replace("'", "''")
    con.execute(f"COPY (SELECT {', '.join(columns)} FROM ({sql})) TO '{target}' (HEADER, DELIMITER ',')", params)
    return con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def _copied(con: duckdb.DuckDBPyConnection, query: SqlParams, path: Path, final: Path) -> int:
    """:func:`copy_csv` into ``path``, a file system's refusal (a full disk, a file size limit) raised as the
    OSError it is, naming the report file it was writing (``final``: the temporary ``path`` is gone by the time
    anyone reads the error), not as DuckDB's error, which a caller would take for a problem of the database."""
    try:
        return copy_csv(con, query, path)
    except (duckdb.IOException, duckdb.PermissionException) as exc:
        reason = str(exc).splitlines()[0].rsplit(": ", 1)[-1]   # ('IO Error: Could not write file "...": File too large')
        raise OSError(errno.EIO, reason, str(final)) from None


def _labels_sql(pairs: list[tuple[str, ...]], names: tuple[str, ...]) -> str:
    def lit(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"
    rows = ", ".join("(" + ", ".join(lit(v) for v in pair) + ")" for pair in pairs)
    return f"(VALUES {rows}) AS labels({', '.join(names)})"


def stage_summary_query(filters: Filters) -> SqlParams:
    sql, params = metrics.stage_summary_sql(filters)
    labels = _labels_sql([(k, v) for k, v in STAGE_LABELS.items()], ("stage_id", "stage_label"))
    return (f"SELECT s.company, s.stage, labels.stage_label, s.mentions, s.avg_sentiment, s.negative_share, "
            f"s.positive_share FROM ({sql}) s LEFT JOIN {labels} ON labels.stage_id = s.stage"), params


def themes_query(filters: Filters) -> SqlParams:
    sql, params = metrics.theme_summary_sql(filters)
    labels = _labels_sql([(t.id, t.label, t.polarity) for t in THEMES.values()], ("theme_id", "theme_label", "polarity"))
    return (f"SELECT t.company, t.theme, labels.theme_label, labels.polarity, t.mentions, t.avg_sentiment, "
            f"t.first_seen, t.last_seen FROM ({sql}) t LEFT JOIN {labels} ON labels.theme_id = t.theme "
            f"ORDER BY t.company, t.mentions DESC, t.theme"), params


def spikes(con: duckdb.DuckDBPyConnection, filters: Filters, choices: dict[str, Any] | None = None) -> pd.DataFrame:
    """The spike weeks of each company of ``filters`` (every company stored, when it names none), as the
    Trends view finds them (``metrics.weekly_stage_spikes_sql``: per stage and for all candidate experiences,
    stage ``all``), each with the top three themes and stages of the posts behind it (a stage's spike: the posts
    naming that stage): the ``SPIKE_COLUMNS``, by week, company, stage.
    ``choices``: ``metrics.filter_choices(con)`` when the caller has it already."""
    companies = list(filters.companies) or (choices or metrics.filter_choices(con))["companies"]
    found = []
    for company in companies:
        trends = metrics.trends_bundle(con, Filters(companies=(company,), since=filters.since, until=filters.until))
        weekly, drivers = trends["weekly"], trends["drivers"]   # (the Trends view's own figures, read as fast)
        hits = weekly[weekly["is_spike"]]
        if hits.empty:
            continue
        tops = metrics.drivers_by_week(drivers)
        weeks = [pd.Timestamp(w).date() for w in hits["week"]]
        found.append(pd.DataFrame({
            "company": company, "week": weeks, "stage": hits["stage"].values,
            "stage_label": [wording.stage_label(st) for st in hits["stage"]],
            "mentions": hits["mentions"].astype(int).values, "baseline": hits["baseline"].round(1).values,
            "threshold": hits["threshold"].round(1).values,
            "net_index": hits["net_sentiment"].round(0).astype("Int64").values,   # (-100..100, not a sentiment)
            "top_themes": ["; ".join(f"{n} ({c})" for n, c in tops.get((w, st, "theme"), ()))
                           for w, st in zip(weeks, hits["stage"])],
            "top_stages": ["; ".join(f"{n} ({c})" for n, c in tops.get((w, st, "stage"), ()))
                           for w, st in zip(weeks, hits["stage"])]}))
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mentions" else "Int64" if c == "net_index"
                                          else "float64" if c in ("baseline", "threshold") else "object")
                             for c in SPIKE_COLUMNS})
    return pd.concat(found, ignore_index=True).sort_values(["week", "company", "stage"], kind="stable",
                                                           ignore_index=True)


def recent_spikes(table: pd.DataFrame, newest: date | None) -> pd.DataFrame:
    """The rows of a :func:`spikes` table in the ``RECENT_SPIKE_WEEKS`` weeks before the week of ``newest``, or in
    it: what a scheduled report has to say. ``newest``: the report's last day (its ``until``, else the newest
    mention's)."""
    if table.empty or newest is None:
        return table.iloc[0:0]
    start = recent_start(newest)
    return table[[w >= start for w in table["week"]]]


def recent_start(newest: date) -> date:
    """The Monday ``RECENT_SPIKE_WEEKS`` weeks before the week of ``newest``."""
    return newest - timedelta(days=newest.weekday() + 7 * RECENT_SPIKE_WEEKS)


def spike_lines(table: pd.DataFrame) -> list[str]:
    """One line per spike, for a terminal or a log: "Brightwater, week of 2026-02-23: Rejection / no response,
    48 posts (usually 12.5; net sentiment -71)"."""
    return [f"{row.company}, week of {row.week.isoformat()}: {row.stage_label}, "
            f"{wording.fmt_count(row.mentions, 'post')} (usually {row.baseline:g}; net sentiment {row.net_index:+.0f})"
            for row in table.itertuples()]


def summary_period(con: duckdb.DuckDBPyConnection, filters: Filters,
                   choices: dict[str, Any] | None = None) -> tuple[date, date] | None:
    """The period a report's summary covers: ``filters``' own dates, else what the dashboard opens with (the
    ``metrics.default_period`` of the stored mentions). None with no mention. ``choices``: as for :func:`spikes`."""
    choices = choices or metrics.filter_choices(con)   # (as the dashboard finds its first and last day)
    if choices["last"] is None:
        return None
    first, last = choices["first"].date(), choices["last"].date()
    until = filters.until or max(last, filters.since or last)   # (a --since after the newest post: an empty period)
    return filters.since or metrics.default_period(first, until)[0], until


def summary_markdown(con: duckdb.DuckDBPyConnection, filters: Filters,
                     choices: dict[str, Any] | None = None) -> tuple[str, int]:
    """``summary.md``: the Overview's "what changed" sentences (``analysis.summary``) for each company of
    ``filters`` (every company with mentions in the period, when it names none) over :func:`summary_period`,
    against the period of the same length before it. Returns the text and how many companies it covers.
    ``choices``: as for :func:`spikes`."""
    period = summary_period(con, filters, choices)
    lines = ["# hirepulse summary", ""]
    if period is None:
        return "\n".join([*lines, "No mentions are stored yet.", ""]), 0
    since, until = period
    scope = Filters(companies=filters.companies, since=since, until=until, sources=filters.sources)
    before = metrics.previous_period(scope)
    span = f"{wording.fmt_day(since)} – {wording.fmt_day(until)}"
    if before:
        span += f", compared with {wording.fmt_day(before.since)} – {wording.fmt_day(before.until)}"
    lines += [span, "", "Every figure is a machine reading of public posts; the dashboard shows the posts behind it.", ""]
    where, params = scope.where("f")
    companies = list(filters.companies) or [r[0] for r in con.execute(
        f"SELECT DISTINCT f.company FROM facts f WHERE f.company IS NOT NULL AND {where} ORDER BY 1", params).fetchall()]
    for company in companies:
        bundle = metrics.overview_bundle(con, Filters(companies=(company,), since=since, until=until,
                                                     sources=filters.sources))
        said = summary.summarise(bundle["overview"], bundle["stages"], bundle["themes"], bundle["spikes"])
        if not summary.period_row(bundle["overview"], "current")["mentions"]:
            said = ["No mentions in this period."]
        lines += [f"## {company}", "", *(f"- {line}" for line in said), ""]
    if not companies:
        lines += ["No mentions in this period.", ""]
    return "\n".join(lines), len(companies)


@dataclass(frozen=True)
class Written:
    """What :func:`write_reports` wrote: rows per CSV file (for ``summary.md``, the companies it covers), and the
    spikes of the newest weeks (:func:`recent_spikes`)."""

    counts: dict[str, int]
    recent_spikes: pd.DataFrame
    newest: date | None   # the report's last day: its ``until``, else the newest mention's


def write_reports(con: duckdb.DuckDBPyConnection, out_dir: str | os.PathLike[str], filters: Filters,
                  choices: dict | None = None) -> Written:
    """Write the report files (``REPORT_FILES``) into ``out_dir``, each whole or not at all, and none when a folder
    has a file's name (``choices``: the :func:`analysis.metrics.filter_choices` the caller has already read, else
    read here).

    Raises:
        OSError: the folder cannot be created or written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    queries = {
        # (sentiment_confidence last: analysts read the columns before it by position)
        "mentions.csv": metrics.mentions_export_sql(filters, confidence=db.sentiment_confidence_sql(con, "f"),
                                                    rating_scale=db.rating_scale_sql(con, "f")),
        "stage_summary.csv": stage_summary_query(filters),
        "weekly_trend.csv": metrics.weekly_trend_sql(filters),
        "themes.csv": themes_query(filters),
        "spikes.csv": ("SELECT * FROM _hp_spikes", []),
    }
    if choices is None:   # (read once: the spikes, the summary's period and the caller use it)
        choices = metrics.filter_choices(con)
    found = spikes(con, filters, choices)
    staging = Path(tempfile.mkdtemp(prefix=".hirepulse-report-", dir=out))
    con.register("_hp_spikes", found)   # (a read-only connection can still read a frame)
    try:
        counts = {name: _copied(con, query, staging / name, out / name) for name, query in queries.items()}
        text, counts["summary.md"] = summary_markdown(con, filters, choices)
        (staging / "summary.md").write_text(text, encoding="utf-8")
        for name in REPORT_FILES:   # (a folder in a file's place would stop the renames halfway: the set mixed)
            if (out / name).is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder has the name of a report file", str(out / name))
        for name in REPORT_FILES:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        con.unregister("_hp_spikes")
    newest = filters.until or _newest_day(con, filters)
    return Written(counts, recent_spikes(found, newest), newest)


def _newest_day(con: duckdb.DuckDBPyConnection, filters: Filters) -> date | None:
    where, params = filters.where("f")
    return con.execute(f"SELECT CAST(max(f.published_at) AS DATE) FROM facts f WHERE {where}", params).fetchone()[0]
