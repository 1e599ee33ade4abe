"""Metrics as SQL over the ``facts`` view (mentions joined with their analysis).

Each metric is a pair: ``<name>_sql(filters) -> (sql, params)`` so reports can hand the same
query to DuckDB's ``COPY``, and ``<name>(con, filters) -> DataFrame`` for the dashboard.
Functions take ``con`` first and never open connections themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import duckdb
import pandas as pd

from analysis.scoring import STAGES

NEGATIVE = -0.05   # sentiment at or below is negative (VADER's convention)
POSITIVE = 0.05    # sentiment at or above is positive

SqlParams = tuple[str, list[Any]]


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user narrowed the view to; empty tuples mean everything."""

    companies: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None           # inclusive
    sources: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def where(self, alias: str = "f") -> SqlParams:
        """A ``WHERE`` clause (always present, ``TRUE`` when unfiltered) and its parameters."""
        parts: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.companies:
            parts.append(f"{alias}.company IN (SELECT unnest(?))")
            params.append(list(self.companies))
        if self.since:
            parts.append(f"{alias}.published_at >= ?")
            params.append(_start_of(self.since))
        if self.until:
            parts.append(f"{alias}.published_at < ?")
            params.append(_start_of(self.until) + timedelta(days=1))
        if self.sources:
            parts.append(f"{alias}.source IN (SELECT unnest(?))")
            params.append(list(self.sources))
        if self.stages:
            parts.append(f"list_has_any({alias}.stages, ?)")
            params.append(list(self.stages))
        return " AND ".join(parts), params


def _start_of(day: date) -> datetime:
    if isinstance(day, datetime):
        return day.astimezone(timezone.utc)
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _stage_order_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES))
    return f"CASE {column} {cases} ELSE 99 END"


def _df(con: duckdb.DuckDBPyConnection, query: SqlParams) -> pd.DataFrame:
    sql, params = query
    return con.execute(sql, params).df()


# --------------------------------------------------------------------------- mentions

def mentions_export_sql(filters: Filters) -> SqlParams:
    """One row per analysed mention with its analysis columns, newest first."""
    where, params = filters.where("f")
    sql = f"""
        WITH per_stage AS (
            SELECT s.mention_id,
                   string_agg(s.stage || '=' || CAST(round(s.sentiment, 3) AS VARCHAR), ';'
                              ORDER BY {_stage_order_sql('s.stage')}) AS stage_sentiment
            FROM analysis_stages s GROUP BY s.mention_id
        )
        SELECT f.id, f.source, f.url, f.company, f.published_at, f.kind, f.title, f.text,
               f.is_candidate_experience,
               array_to_string(f.stages, ';') AS stages,
               per_stage.stage_sentiment,
               round(f.sentiment, 4) AS sentiment,
               array_to_string(f.themes, ';') AS themes,
               f.consumer_link,
               array_to_string(f.companies, ';') AS companies_named,
               f.stage_hint, f.rating, f.analyzer_version
        FROM facts f LEFT JOIN per_stage ON per_stage.mention_id = f.id
        WHERE {where}
        ORDER BY f.published_at DESC, f.id
    """
    return sql, params


def mentions_export(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _df(con, mentions_export_sql(filters))


# --------------------------------------------------------------------------- per stage

def stage_summary_sql(filters: Filters) -> SqlParams:
    """Per company and stage, over candidate-experience mentions: volume, mean sentiment, shares."""
    where, params = filters.where("f")
    sql = f"""
        SELECT f.company, s.stage,
               count(*) AS mentions,
               round(avg(s.sentiment), 4) AS avg_sentiment,
               round(avg(CASE WHEN s.sentiment <= {NEGATIVE} THEN 1 ELSE 0 END), 4) AS negative_share,
               round(avg(CASE WHEN s.sentiment >= {POSITIVE} THEN 1 ELSE 0 END), 4) AS positive_share
        FROM facts f JOIN analysis_stages s ON s.mention_id = f.id
        WHERE f.is_candidate_experience AND {where}
        GROUP BY f.company, s.stage
        ORDER BY f.company, {_stage_order_sql('s.stage')}
    """
    return sql, params


def stage_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _df(con, stage_summary_sql(filters))


# --------------------------------------------------------------------------- over time

def weekly_trend_sql(filters: Filters) -> SqlParams:
    """Per ISO week (starting Monday, UTC) and company: candidate and consumer volume and sentiment."""
    where, params = filters.where("f")
    sql = f"""
        SELECT CAST(date_trunc('week', f.published_at) AS DATE) AS week, f.company,
               count(*) AS mentions,
               count(*) FILTER (WHERE f.is_candidate_experience) AS candidate_mentions,
               round(avg(f.sentiment) FILTER (WHERE f.is_candidate_experience), 4) AS candidate_sentiment,
               count(*) FILTER (WHERE NOT f.is_candidate_experience) AS other_mentions,
               round(avg(f.sentiment) FILTER (WHERE NOT f.is_candidate_experience), 4) AS brand_sentiment,
               count(*) FILTER (WHERE f.consumer_link) AS consumer_link_mentions
        FROM facts f
        WHERE {where}
        GROUP BY ALL
        ORDER BY week, f.company
    """
    return sql, params


def weekly_trend(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _df(con, weekly_trend_sql(filters))


# --------------------------------------------------------------------------- themes

def theme_summary_sql(filters: Filters) -> SqlParams:
    """Per company and theme: mentions carrying it, their mean sentiment, first and last seen."""
    where, params = filters.where("f")
    sql = f"""
        SELECT f.company, t.theme,
               count(*) AS mentions,
               round(avg(f.sentiment), 4) AS avg_sentiment,
               CAST(min(f.published_at) AS DATE) AS first_seen,
               CAST(max(f.published_at) AS DATE) AS last_seen
        FROM facts f, unnest(f.themes) AS t(theme)
        WHERE {where}
        GROUP BY f.company, t.theme
        ORDER BY f.company, mentions DESC, t.theme
    """
    return sql, params


def theme_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _df(con, theme_summary_sql(filters))


# --------------------------------------------------------------------------- headline figures

def overview_kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any]:
    """Headline numbers: mentions, candidate-experience mentions, net sentiment, consumer links."""
    where, params = filters.where("f")
    row = con.execute(f"""
        SELECT count(*),
               count(*) FILTER (WHERE f.is_candidate_experience),
               avg(CASE WHEN f.sentiment >= {POSITIVE} THEN 1 WHEN f.sentiment <= {NEGATIVE} THEN -1 ELSE 0 END),
               avg(CASE WHEN f.sentiment >= {POSITIVE} THEN 1 WHEN f.sentiment <= {NEGATIVE} THEN -1 ELSE 0 END)
                   FILTER (WHERE f.is_candidate_experience),
               count(*) FILTER (WHERE f.consumer_link),
               min(f.published_at), max(f.published_at)
        FROM facts f WHERE {where}
    """, params).fetchone()
    return {
        "mentions": row[0], "candidate_mentions": row[1],
        "net_sentiment": row[2], "candidate_net_sentiment": row[3],
        "consumer_link_mentions": row[4], "first": row[5], "last": row[6],
    }


def latest_mentions(con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int = 20) -> pd.DataFrame:
    where, params = filters.where("f")
    return con.execute(f"""
        SELECT f.published_at, f.company, f.source, f.stages, f.sentiment, f.text, f.url
        FROM facts f WHERE {where}
        ORDER BY f.published_at DESC LIMIT {int(limit)}
    """, params).df()


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Values the sidebar offers: companies, sources, and the date range of the data."""
    companies = [r[0] for r in con.execute("SELECT DISTINCT company FROM facts WHERE company IS NOT NULL ORDER BY 1").fetchall()]
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM mentions ORDER BY 1").fetchall()]
    first, last = con.execute("SELECT min(published_at), max(published_at) FROM mentions").fetchone()
    return {"companies": companies, "sources": sources, "first": first, "last": last}
