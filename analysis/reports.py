"""CSV reports, written by DuckDB's ``COPY`` from the same SQL the dashboard uses.

One function per CSV. Text cells that a spreadsheet would run as a formula (first character
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe (OWASP's advice on
CSV injection). All files of a report are written into a temporary folder first and moved into
place at the end, so a failed report never leaves half-written files behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from analysis import metrics
from analysis.metrics import Filters, SqlParams
from analysis.scoring import STAGE_LABELS
from analysis.themes import THEMES
from hirepulse import db

REPORT_FILES = ("mentions.csv", "stage_summary.csv", "weekly_trend.csv", "themes.csv")
_FORMULA_START = r"^[=+\-@\t\r]"


def _csv_safe(column: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    return f"CASE WHEN regexp_matches({quoted}, '{_FORMULA_START}') THEN '''' || {quoted} ELSE {quoted} END AS {quoted}"


def copy_csv(con: duckdb.DuckDBPyConnection, query: SqlParams, path: Path) -> int:
    """Write a query's result to ``path`` as CSV with a header, neutralising formula-like text.

    Returns the number of rows written.
    """
    sql, params = query
    described = con.execute(f"DESCRIBE {sql}", params).fetchall()
    columns = []
    for name, dtype, *_ in described:
        quoted = '"' + name.replace('"', '""') + '"'
        columns.append(_csv_safe(name) if dtype == "VARCHAR" else quoted)
    target = str(path).replace("'", "''")
    con.execute(f"COPY (SELECT {', '.join(columns)} FROM ({sql})) TO '{target}' (HEADER, DELIMITER ',')", params)
    return con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


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


def write_reports(con: duckdb.DuckDBPyConnection, out_dir: str | os.PathLike[str], filters: Filters) -> dict[str, int]:
    """Write the four report CSVs into ``out_dir``; returns rows per file.

    Raises:
        OSError: the folder cannot be created or written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    queries = {
        # (sentiment_confidence last: analysts read the columns before it by position)
        "mentions.csv": metrics.mentions_export_sql(filters, confidence=db.sentiment_confidence_sql(con, "f")),
        "stage_summary.csv": stage_summary_query(filters),
        "weekly_trend.csv": metrics.weekly_trend_sql(filters),
        "themes.csv": themes_query(filters),
    }
    staging = Path(tempfile.mkdtemp(prefix=".hirepulse-report-", dir=out))
    try:
        counts = {name: copy_csv(con, query, staging / name) for name, query in queries.items()}
        for name in REPORT_FILES:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts
