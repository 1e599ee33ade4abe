"""Metrics as SQL over the ``facts`` view (mentions joined with their analysis).

Each metric is a pair: ``<name>_sql(filters) -> (sql, params)`` so reports can hand the same
query to DuckDB's ``COPY``, and ``<name>(con, filters) -> DataFrame`` for the dashboard.
Functions take ``con`` first and never open connections themselves.

The dashboard's view bundles (at the end) run the same metrics on the materialised facts that
``hirepulse.db`` keeps in step (:data:`FACTS`, and the day totals ``fact_days`` /
``fact_stage_days``), falling back to the view (:data:`VIEW`) while those are stale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import duckdb
import pandas as pd

from analysis.scoring import STAGES
from analysis.tone_model import SURE, is_sure
from hirepulse import db

# sentiment at or below NEGATIVE is negative, at or above POSITIVE positive (VADER's convention);
# defined with the materialised facts, which count tone by them too, so both always agree
NEGATIVE, POSITIVE = db.NEGATIVE, db.POSITIVE

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

    def where(self, alias: str = "f", *, keep_brand: bool = False) -> SqlParams:
        """A ``WHERE`` clause (always present, ``TRUE`` when unfiltered) and its parameters.

        ``keep_brand``: the stage filter narrows the candidate experiences only and keeps every other
        post (the consumer brand's, which names no stage), for figures that count both sides.
        """
        parts: list[str] = ["TRUE"]
        params: list[Any] = []
        # literal IN lists: DuckDB pushes them into the scan; IN (SELECT unnest(?)) is a join
        if self.companies:
            parts.append(f"{alias}.company IN ({_marks(self.companies)})")
            params.extend(self.companies)
        if self.since:
            parts.append(f"{alias}.published_at >= ?")
            params.append(_start_of(self.since))
        if self.until:
            parts.append(f"{alias}.published_at < ?")
            params.append(_start_of(self.until) + timedelta(days=1))
        if self.sources:
            parts.append(f"{alias}.source IN ({_marks(self.sources)})")
            params.extend(self.sources)
        if self.stages:
            about = f"list_has_any({alias}.stages, ?)"
            parts.append(f"(NOT {alias}.is_candidate_experience OR {about})" if keep_brand else about)
            params.append(list(self.stages))
        return " AND ".join(parts), params


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


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

def mentions_export_sql(filters: Filters, *, confidence: str = "f.sentiment_confidence",
                        rating_scale: str = "f.rating_scale") -> SqlParams:
    """One row per analysed mention with its analysis columns, newest first; ``sentiment_confidence``
    (how sure the sentiment is, NULL when not stored), then ``rating_scale`` (what ``rating`` is out of, NULL
    when the import did not say), come last, after the columns readers already take by position.
    ``confidence`` and ``rating_scale``: their SQL (``db.sentiment_confidence_sql``, ``db.rating_scale_sql``:
    NULL on a database older than the column)."""
    where, params = filters.where("f")
    sql = f"""
        WITH per_stage AS (
            SELECT s.mention_id,
                   -- (+ 0.0: a reading that rounds to a negative zero, -0.0, is written 0.0)
                   string_agg(s.stage || '=' || CAST(round(s.sentiment, 3) + 0.0 AS VARCHAR), ';'
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
               f.stage_hint, f.rating, f.analyzer_version,
               {confidence} AS sentiment_confidence, {rating_scale} AS rating_scale
        FROM facts f LEFT JOIN per_stage ON per_stage.mention_id = f.id
        WHERE {where}
        ORDER BY f.published_at DESC, f.id
    """
    return sql, params


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
    tone = db.tone_sql("f.sentiment")
    row = con.execute(f"""
        SELECT count(*),
               count(*) FILTER (WHERE f.is_candidate_experience),
               avg({tone}),
               avg({tone}) FILTER (WHERE f.is_candidate_experience),
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


# =========================================================================== dashboard metrics
#
# Added for the dashboard (issue #5). Sentiment here is "net sentiment" on a -100..+100 scale:
# the share of positive minus the share of negative, in percent (VADER's +-0.05 thresholds).
# Each query is one round trip shaped for one view, so a page renders with few queries.

SPIKE_BASELINE_WEEKS = 8      # trailing weeks a spike is measured against
SPIKE_SIGMA = 3.0             # a spike is above mean + SIGMA standard deviations...
SPIKE_MIN_COUNT = 8           # ...and has at least this many mentions
SPIKE_MIN_HISTORY = 4         # weeks of baseline needed before a week can be a spike
ALL_STAGES_LABEL = "All candidate experiences"   # the label of weekly_stage_spikes' stage 'all'
DEFAULT_PERIOD_DAYS = 91      # the period the dashboard opens with, and the report's summary covers: 13 weeks
MAX_LAG_WEEKS = 8
MIN_WEEKLY_MENTIONS = 3       # weeks with fewer mentions are left out of correlations


def _frame(con: duckdb.DuckDBPyConnection, query: SqlParams) -> pd.DataFrame:
    """Run a query into a DataFrame through Arrow.

    DuckDB 1.5's ``.df()`` converts TIMESTAMPTZ columns with a pandas call that pandas 3.1
    deprecates (a warning on every query); Arrow gives the same UTC timestamps without it.
    DATE columns arrive as ``datetime.date`` objects and lists as arrays.
    """
    sql, params = query
    return con.execute(sql, params).to_arrow_table().to_pandas()


@dataclass(frozen=True, slots=True)
class Source:
    """Where the dashboard's queries read from, as SQL fragments; every query names rows ``f``.

    ``mentions`` gives one row per analysed mention with the ``facts`` view's columns;
    ``stages`` one row per (mention, stage) with the mention's columns plus the ``stage`` and
    ``stage_sentiment`` expressions; ``post_sentiment`` is the mention's sentiment there and
    ``first_row`` (when known) is true on exactly one stage row per mention.
    """

    mentions: str
    stages: str
    stage: str
    stage_sentiment: str
    post_sentiment: str
    week: str = "CAST(date_trunc('week', f.published_at) AS DATE)"   # the Monday (UTC) of a row's week
    first_row: str | None = None
    texts: bool = True           # rows carry url, title, text and explanation


# The facts view: always in step with the data, but joins every mention with its analysis.
VIEW = Source(mentions="facts f", stages="facts f JOIN analysis_stages s ON s.mention_id = f.id",
              stage="s.stage", stage_sentiment="s.sentiment", post_sentiment="f.sentiment")
_NO_TEXTS = ("CAST(NULL AS VARCHAR) AS url, CAST(NULL AS VARCHAR) AS title, CAST(NULL AS VARCHAR) AS text, "
             "CAST(NULL AS VARCHAR) AS explanation")
# The materialised facts (hirepulse.db's fact_mentions and fact_stages): no join, sorted by
# company and time, no texts (post lists take theirs by key, see _with_text). Used while
# db.facts_fresh says so.
FACTS = Source(mentions=f"(SELECT *, {_NO_TEXTS} FROM fact_mentions) f",
               stages=f"(SELECT *, {_NO_TEXTS} FROM fact_stages) f",
               stage="f.stage", stage_sentiment="f.stage_sentiment", post_sentiment="f.post_sentiment",
               week="f.week", first_row="f.first_row", texts=False)


def source_for(con: duckdb.DuckDBPyConnection) -> Source:
    """:data:`FACTS` when the materialised facts are in step with the data, else :data:`VIEW`."""
    return FACTS if db.facts_fresh(con) else VIEW


def _net(expr: str) -> str:
    """SQL for net sentiment (-100..+100) of the sentiment values ``expr``."""
    return f"100.0 * avg({db.tone_sql(expr)})"


def _stage_rows(filters: Filters, stage: str = "s.stage") -> SqlParams:
    """Restrict per-stage rows (``stage`` is the row's stage) to the selected stages
    (``Filters.where`` selects mentions only)."""
    if not filters.stages:
        return "TRUE", []
    return f"{stage} IN ({_marks(filters.stages)})", list(filters.stages)


def previous_period(filters: Filters) -> Filters | None:
    """The period of the same length immediately before ``filters`` (None without both dates)."""
    if filters.since is None or filters.until is None:
        return None
    length = (filters.until - filters.since).days + 1
    return Filters(companies=filters.companies, since=filters.since - timedelta(days=length),
                   until=filters.since - timedelta(days=1), sources=filters.sources,
                   stages=filters.stages, extra=dict(filters.extra))


def _two_periods(filters: Filters, alias: str = "f", *, keep_brand: bool = False) -> tuple[str, str, list[Any]]:
    """WHERE over the current and previous period, and a ``period`` expression splitting them
    (``keep_brand`` as for :meth:`Filters.where`).

    Returns ``(period_expr, where, params)``; params of the period expression come first.
    """
    both = _both_periods(filters)
    if both is None:
        where, params = filters.where(alias, keep_brand=keep_brand)
        return "'current'", where, params
    where, params = both.where(alias, keep_brand=keep_brand)
    period = f"CASE WHEN {alias}.published_at >= ? THEN 'current' ELSE 'previous' END"
    return period, where, [_start_of(filters.since), *params]


def _both_periods(filters: Filters) -> Filters | None:
    """``filters`` stretched back over the previous period (None when there is none)."""
    prev = previous_period(filters)
    if prev is None:
        return None
    return Filters(companies=filters.companies, since=prev.since, until=filters.until,
                   sources=filters.sources, stages=filters.stages)


def period_overview_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Headline figures for the current and the previous period (one row per period).

    Columns: period ('current' / 'previous'), mentions, candidate_mentions, net_sentiment,
    candidate_net_sentiment, brand_net_sentiment, negative_candidate_mentions,
    negative_with_consumer_link, resentment_share (percent of negative candidate experiences
    that carry a consumer link).

    A post with a consumer link ("after how they treated me I stopped shopping there") counts as
    a candidate experience for the resentment proxy even when the analyzer did not mark it as
    one: the link is only detected in posts about hiring.

    A stage filter narrows the candidate experiences only: every other post names no stage, and
    all of them count (as in :func:`share_of_voice_sql` and the brand series). The resentment proxy
    is a candidate figure, so under a stage filter it leaves out the linked posts that are not
    candidate experiences: they name no stage either.
    """
    period, where, params = _two_periods(filters, keep_brand=True)
    linked = "FALSE" if filters.stages else "f.consumer_link"
    neg_cand = f"(f.is_candidate_experience OR {linked}) AND f.sentiment <= {NEGATIVE}"
    sql = f"""
        SELECT {period} AS period,
               count(*) AS mentions,
               count(*) FILTER (WHERE f.is_candidate_experience) AS candidate_mentions,
               {_net('f.sentiment')} AS net_sentiment,
               {_net('f.sentiment')} FILTER (WHERE f.is_candidate_experience) AS candidate_net_sentiment,
               {_net('f.sentiment')} FILTER (WHERE NOT f.is_candidate_experience) AS brand_net_sentiment,
               count(*) FILTER (WHERE {neg_cand}) AS negative_candidate_mentions,
               count(*) FILTER (WHERE {neg_cand} AND f.consumer_link) AS negative_with_consumer_link,
               100.0 * count(*) FILTER (WHERE {neg_cand} AND f.consumer_link)
                   / nullif(count(*) FILTER (WHERE {neg_cand}), 0) AS resentment_share
        FROM {src.mentions}
        WHERE {where}
        GROUP BY 1
        ORDER BY period
    """
    return sql, params


def period_overview(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, period_overview_sql(filters))


def period_stage_index_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Candidate-experience index per stage (net sentiment of the stage's sentences' scores) for
    the current and previous period. Columns: period, stage, mentions, net_sentiment."""
    period, where, params = _two_periods(filters)
    stage_where, stage_params = _stage_rows(filters, src.stage)
    sql = f"""
        SELECT {period} AS period, {src.stage} AS stage,
               count(*) AS mentions,
               {_net(src.stage_sentiment)} AS net_sentiment
        FROM {src.stages}
        WHERE f.is_candidate_experience AND {where} AND {stage_where}
        GROUP BY 1, 2
        ORDER BY period, {_stage_order_sql('stage')}
    """
    return sql, [*params, *stage_params]


def period_stage_index(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, period_stage_index_sql(filters))


def period_theme_change_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Per theme: mentions in the current and previous period, the change, and net sentiment.

    Columns: theme, mentions, previous_mentions, change, net_sentiment, last_seen.
    """
    period, where, params = _two_periods(filters)
    sql = f"""
        WITH base AS (
            SELECT {period} AS period, f.themes, f.sentiment, f.published_at
            FROM {src.mentions}
            WHERE {where} AND len(f.themes) > 0
        ),
        t AS (SELECT period, unnest(themes) AS theme, sentiment, published_at FROM base)
        SELECT theme,
               count(*) FILTER (WHERE period = 'current') AS mentions,
               count(*) FILTER (WHERE period = 'previous') AS previous_mentions,
               count(*) FILTER (WHERE period = 'current') - count(*) FILTER (WHERE period = 'previous') AS change,
               {_net('sentiment')} FILTER (WHERE period = 'current') AS net_sentiment,
               CAST(max(published_at) AS DATE) AS last_seen
        FROM t
        GROUP BY theme
        ORDER BY mentions DESC, theme
    """
    return sql, params


def period_theme_change(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, period_theme_change_sql(filters))


# --------------------------------------------------------------------------- hiring journey

def stage_journey_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Per stage in journey order, over candidate experiences: volume, net sentiment, shares.

    Columns: stage, mentions, net_sentiment, positive_share, negative_share (percent).
    """
    where, params = filters.where("f")
    stage_where, stage_params = _stage_rows(filters, src.stage)
    score = src.stage_sentiment
    sql = f"""
        SELECT {src.stage} AS stage,
               count(*) AS mentions,
               {_net(score)} AS net_sentiment,
               100.0 * avg(CASE WHEN {score} >= {POSITIVE} THEN 1 ELSE 0 END) AS positive_share,
               100.0 * avg(CASE WHEN {score} <= {NEGATIVE} THEN 1 ELSE 0 END) AS negative_share
        FROM {src.stages}
        WHERE f.is_candidate_experience AND {where} AND {stage_where}
        GROUP BY 1
        ORDER BY {_stage_order_sql('stage')}
    """
    return sql, [*params, *stage_params]


def stage_journey(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, stage_journey_sql(filters))


def stage_theme_matrix_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Candidate experiences per (stage, theme) pair: volume and net sentiment of the stage.

    A post that names two stages and two themes counts in all four cells.
    Columns: stage, theme, mentions, net_sentiment.
    """
    where, params = filters.where("f")
    stage_where, stage_params = _stage_rows(filters, src.stage)
    sql = f"""
        WITH base AS (
            SELECT {src.stage} AS stage, {src.stage_sentiment} AS sentiment, f.themes
            FROM {src.stages}
            WHERE f.is_candidate_experience AND {where} AND {stage_where} AND len(f.themes) > 0
        )
        SELECT stage, theme, count(*) AS mentions, {_net('sentiment')} AS net_sentiment
        FROM (SELECT stage, sentiment, unnest(themes) AS theme FROM base)
        GROUP BY 1, 2
        ORDER BY {_stage_order_sql('stage')}, mentions DESC, theme
    """
    return sql, [*params, *stage_params]


def stage_theme_matrix(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, stage_theme_matrix_sql(filters))


def stage_extremes_sql(filters: Filters, *, per_stage: int = 3, src: Source = VIEW) -> SqlParams:
    """The most negative and most positive candidate posts per stage, by the stage's sentiment.

    Columns: stage, side ('worst' / 'best'), rank, id, published_at, company, source, url, title,
    text, sentiment (-100..+100 scale: the stage score times 100).
    """
    where, params = filters.where("f")
    stage_where, stage_params = _stage_rows(filters, src.stage)
    n = int(per_stage)
    # One pass, no sort of the selection: per stage, min_by keeps the n posts with the smallest
    # keys (score, newest first, id), the score negated for the best side; the few kept are
    # ranked afterwards.
    score = src.stage_sentiment
    post = (f"{{'id': f.id, 'published_at': f.published_at, 'company': f.company, 'source': f.source, "
            f"'url': f.url, 'title': f.title, 'text': f.text, 'sentiment': {score}}}")

    def key(sign: str) -> str:
        return f"{{'score': {sign}{score}, 'newest': -epoch_us(f.published_at), 'id': f.id}}"

    sql = f"""
        WITH picked AS (
            SELECT {src.stage} AS stage,
                   min_by({post}, {key('')}, {n}) FILTER (WHERE {score} <= {NEGATIVE}) AS worst,
                   min_by({post}, {key('-')}, {n}) FILTER (WHERE {score} >= {POSITIVE}) AS best
            FROM {src.stages}
            WHERE f.is_candidate_experience AND {where} AND {stage_where}
            GROUP BY 1
        ),
        posts AS (
            SELECT stage, 'worst' AS side, unnest(worst, recursive := true) FROM picked
            UNION ALL
            SELECT stage, 'best' AS side, unnest(best, recursive := true) FROM picked
        ),
        ranked AS (
            SELECT *, row_number() OVER (
                       PARTITION BY stage, side
                       ORDER BY CASE side WHEN 'worst' THEN sentiment ELSE -sentiment END, published_at DESC, id) AS rank
            FROM posts
        )
        SELECT stage, side, rank, id, published_at, company, source, url, title, text,
               round(100 * sentiment) AS sentiment
        FROM ranked
        ORDER BY {_stage_order_sql('stage')}, side DESC, rank
    """
    return sql, [*params, *stage_params]


def stage_extremes(con: duckdb.DuckDBPyConnection, filters: Filters, *, per_stage: int = 3) -> pd.DataFrame:
    return _frame(con, stage_extremes_sql(filters, per_stage=per_stage))


# --------------------------------------------------------------------------- trends and spikes

def weekly_stage_spikes_sql(filters: Filters, *, baseline_weeks: int = SPIKE_BASELINE_WEEKS,
                            sigma: float = SPIKE_SIGMA, min_count: int = SPIKE_MIN_COUNT,
                            src: Source = VIEW, by_days: bool = False) -> SqlParams:
    """Weekly candidate-experience volume and net sentiment per stage, with spikes marked.

    Every week of the range appears for every stage (zero-filled). A week is a spike when its
    volume exceeds the trailing ``baseline_weeks`` mean by more than ``sigma`` standard
    deviations and reaches ``min_count``. The baseline looks back before ``since``, over whole
    weeks, so the first weeks of the range are judged too. The range's weeks count its days only: a
    first week that starts before ``since`` counts from ``since`` (as the last counts up to ``until``,
    and as the brand series of :func:`brand_bundle` count), while the baselines of the weeks after it
    count it whole. Stage ``'all'`` is the total over candidate experiences.

    Columns: week, stage, mentions, net_sentiment, baseline, threshold, is_spike.
    """
    since = None if filters.since is None else _as_date(filters.since)
    monday = None if since is None else since - timedelta(days=since.weekday())
    history = Filters(companies=filters.companies,
                      since=None if monday is None else monday - timedelta(weeks=baseline_weeks),
                      until=filters.until, sources=filters.sources, stages=filters.stages)
    first = "TRUE" if filters.since is None else "week >= CAST(date_trunc('week', ?) AS DATE)"
    if by_days:   # the same weekly figures from fact_stage_days (no stage filter), no rows
        rows = ""
        per_stage, row_params = _stage_weeks_days(history, since=since)
    else:
        where, params = history.where("f")
        # shown: in the range (the weeks before it are judged by their whole counts only, then left out)
        shown, shown_params = ("TRUE", []) if since is None else ("f.published_at >= ?", [_start_of(filters.since)])
        stage_where, stage_params = _stage_rows(filters, src.stage)
        if src.first_row and not filters.stages:   # every stage row of a mention is here: count its first
            all_rows = f"""SELECT week, 'all', count(*) FILTER (WHERE first_row AND shown),
                                  {_net('post_sentiment')} FILTER (WHERE first_row AND shown),
                                  count(*) FILTER (WHERE first_row)
                           FROM rows GROUP BY week"""
        else:
            all_rows = f"""SELECT week, 'all', count(*) FILTER (WHERE shown),
                                  {_net('post_sentiment')} FILTER (WHERE shown), count(*)
                           FROM (SELECT DISTINCT week, id, post_sentiment, shown FROM rows) GROUP BY week"""
        per_stage = f"""
            SELECT week, stage, count(*) FILTER (WHERE shown) AS mentions,
                   {_net('sentiment')} FILTER (WHERE shown) AS net_sentiment, count(*) AS whole
            FROM rows GROUP BY 1, 2
            UNION ALL
            {all_rows}"""
        rows = f"""
        rows AS (
            SELECT {src.week} AS week, {src.stage} AS stage,
                   {src.stage_sentiment} AS sentiment, f.id, {src.post_sentiment} AS post_sentiment,
                   {src.first_row or 'NULL'} AS first_row, {shown} AS shown
            FROM {src.stages}
            WHERE f.is_candidate_experience AND {where} AND {stage_where}
        ),"""
        row_params = [*shown_params, *params, *stage_params]
    first_params = [] if filters.since is None else [_start_of(filters.since)]
    b = int(baseline_weeks)
    sql = f"""
        WITH {rows}
        per_stage AS ({per_stage}
        ),
        weeks AS (
            SELECT CAST(unnest(generate_series(min(week), max(week), INTERVAL 7 DAY)) AS DATE) AS week
            FROM per_stage
        ),
        grid AS (
            SELECT w.week, st.stage, coalesce(p.mentions, 0) AS mentions, p.net_sentiment,
                   coalesce(p.whole, 0) AS whole
            FROM weeks w CROSS JOIN (SELECT DISTINCT stage FROM per_stage) st
            LEFT JOIN per_stage p ON p.week = w.week AND p.stage = st.stage
        ),
        judged AS (
            SELECT *,
                   avg(whole) OVER prior AS baseline,
                   stddev_pop(whole) OVER prior AS sd,
                   count(*) OVER prior AS history
            FROM grid
            WINDOW prior AS (PARTITION BY stage ORDER BY week ROWS BETWEEN {b} PRECEDING AND 1 PRECEDING)
        )
        SELECT week, stage, mentions, net_sentiment, baseline,
               baseline + {float(sigma)} * coalesce(sd, 0) AS threshold,
               coalesce(history >= {SPIKE_MIN_HISTORY} AND mentions >= {int(min_count)}
                        AND mentions > baseline + {float(sigma)} * coalesce(sd, 0), FALSE) AS is_spike
        FROM judged
        WHERE {first}
        ORDER BY week, CASE stage WHEN 'all' THEN -1 ELSE {_stage_order_sql('stage')} END
    """
    return sql, [*row_params, *first_params]


def weekly_stage_spikes(con: duckdb.DuckDBPyConnection, filters: Filters, **options: Any) -> pd.DataFrame:
    return _frame(con, weekly_stage_spikes_sql(filters, **options))


def week_drivers_sql(filters: Filters, spikes: Sequence[tuple[date, str]], *, top: int = 3,
                     src: Source = VIEW) -> SqlParams:
    """What drove the given spikes, each a (week, stage) of :func:`weekly_stage_spikes`: the top themes and
    stages of the posts behind it, the week's candidate experiences for stage ``'all'``, those naming the
    stage for a stage's spike (a Screening spike by what the Screening posts say, not by the whole week).

    Columns: week, stage, kind ('theme' / 'stage'), name, mentions, share (percent of the spike's
    posts), rank.
    """
    where, params = filters.where("f")
    spikes = [(_as_date(week), str(stage)) for week, stage in spikes]
    sql = f"""
        WITH spikes AS (
            SELECT unnest(?) AS week, unnest(?) AS stage
        ),
        wk AS (
            SELECT s.week, s.stage, f.id, f.themes, f.stages
            FROM {src.mentions} JOIN spikes s ON s.week = {src.week}
            WHERE f.is_candidate_experience AND {where}
              AND (s.stage = 'all' OR list_contains(f.stages, s.stage))
        ),
        totals AS (SELECT week, stage, count(*) AS total FROM wk GROUP BY week, stage),
        counted AS (
            SELECT week, stage, 'theme' AS kind, name, count(*) AS mentions
            FROM (SELECT week, stage, unnest(themes) AS name FROM wk) GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT week, stage, 'stage', name, count(*)
            FROM (SELECT week, stage, unnest(stages) AS name FROM wk) GROUP BY 1, 2, 3, 4
        )
        SELECT c.week, c.stage, c.kind, c.name, c.mentions, 100.0 * c.mentions / t.total AS share,
               row_number() OVER (PARTITION BY c.week, c.stage, c.kind ORDER BY c.mentions DESC, c.name) AS rank
        FROM counted c JOIN totals t USING (week, stage)
        QUALIFY rank <= {int(top)}
        ORDER BY c.week, CASE c.stage WHEN 'all' THEN -1 ELSE {_stage_order_sql('c.stage')} END, c.kind, rank
    """
    return sql, [[w for w, _ in spikes], [st for _, st in spikes], *params]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def week_drivers(con: duckdb.DuckDBPyConnection, filters: Filters, spikes: Sequence[tuple[date, str]], *,
                 top: int = 3) -> pd.DataFrame:
    return _frame(con, week_drivers_sql(filters, spikes, top=top))


def drivers_by_week(drivers: pd.DataFrame) -> dict[tuple[date, str, str], list[tuple[str, int]]]:
    """A :func:`week_drivers` frame as ``{(week, stage, kind): [(name, mentions), ...]}`` in its order (top
    first), in one pass: what a table of spikes looks up per cell (the Trends view, ``spikes.csv``)."""
    out: dict[tuple[date, str, str], list[tuple[str, int]]] = {}
    for week, stage, kind, name, count in zip(drivers["week"], drivers["stage"], drivers["kind"], drivers["name"],
                                              drivers["mentions"]):
        out.setdefault((pd.Timestamp(week).date(), stage, kind), []).append((name, int(count)))
    return out


# --------------------------------------------------------------------------- themes

def theme_posts_sql(filters: Filters, theme: str, *, limit: int = 20, src: Source = VIEW,
                    confidence: str = "f.sentiment_confidence") -> SqlParams:
    """The newest posts carrying ``theme``. Columns: id, published_at, company, source, url, title,
    text, sentiment (-100..+100), sentiment_confidence (as :func:`mention_search_sql`), stages.
    ``confidence``: its SQL, as for :func:`mentions_export_sql`."""
    where, params = filters.where("f")
    sql = f"""
        SELECT f.id, f.published_at, f.company, f.source, f.url, f.title, f.text,
               round(100 * f.sentiment) AS sentiment, {confidence} AS sentiment_confidence, f.stages
        FROM {src.mentions}
        WHERE list_contains(f.themes, ?) AND {where}
        ORDER BY f.published_at DESC, f.id
        LIMIT {int(limit)}
    """
    return sql, [theme, *params]


def theme_posts(con: duckdb.DuckDBPyConnection, filters: Filters, theme: str, *, limit: int = 20) -> pd.DataFrame:
    return _frame(con, theme_posts_sql(filters, theme, limit=limit, confidence=db.sentiment_confidence_sql(con, "f")))


# --------------------------------------------------------------------------- competitors

def share_of_voice_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Per company: volume, share of voice (percent of all mentions in the filter) and net
    sentiment, for all mentions and for candidate experiences.

    Columns: company, mentions, share_of_voice, candidate_mentions, candidate_share_of_voice,
    candidate_net_sentiment, brand_net_sentiment.

    A stage filter narrows the candidate experiences only (as in :func:`period_overview_sql`).
    """
    where, params = filters.where("f", keep_brand=True)
    sql = f"""
        SELECT f.company,
               count(*) AS mentions,
               100.0 * count(*) / sum(count(*)) OVER () AS share_of_voice,
               count(*) FILTER (WHERE f.is_candidate_experience) AS candidate_mentions,
               100.0 * count(*) FILTER (WHERE f.is_candidate_experience)
                   / nullif(sum(count(*) FILTER (WHERE f.is_candidate_experience)) OVER (), 0)
                   AS candidate_share_of_voice,
               {_net('f.sentiment')} FILTER (WHERE f.is_candidate_experience) AS candidate_net_sentiment,
               {_net('f.sentiment')} FILTER (WHERE NOT f.is_candidate_experience) AS brand_net_sentiment
        FROM {src.mentions}
        WHERE f.company IS NOT NULL AND {where}
        GROUP BY f.company
        ORDER BY mentions DESC, f.company
    """
    return sql, params


def share_of_voice(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, share_of_voice_sql(filters))


def company_stage_net_sql(filters: Filters, *, src: Source = VIEW) -> SqlParams:
    """Net sentiment and volume per company and stage over candidate experiences.

    Columns: company, stage, mentions, net_sentiment.
    """
    where, params = filters.where("f")
    stage_where, stage_params = _stage_rows(filters, src.stage)
    sql = f"""
        SELECT f.company, {src.stage} AS stage, count(*) AS mentions, {_net(src.stage_sentiment)} AS net_sentiment
        FROM {src.stages}
        WHERE f.is_candidate_experience AND f.company IS NOT NULL AND {where} AND {stage_where}
        GROUP BY 1, 2
        ORDER BY company, {_stage_order_sql('stage')}
    """
    return sql, [*params, *stage_params]


def company_stage_net(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, company_stage_net_sql(filters))


# --------------------------------------------------------------------------- brand impact

def _brand_candidate(filters: Filters) -> SqlParams:
    """Which mentions count as candidate experiences in the brand series: the stage filter narrows
    the candidate side only (brand posts have no stage).

    Not ``Filters.where(keep_brand=True)``, which drops the other stages' candidate experiences from the
    scan: Brand impact counts customer-tied posts, and lists them, whatever their stage (a customer's post
    often names none), so its scan keeps every post and only this flag follows the stage filter."""
    if filters.stages:
        return "f.is_candidate_experience AND list_has_any(f.stages, ?)", [list(filters.stages)]
    return "f.is_candidate_experience", []


def _weekly_brand_candidate_cte(filters: Filters, src: Source = VIEW, *, per_week: str | None = None) -> SqlParams:
    """The weekly series as CTEs ``per_week``, ``weeks`` (zero-filled) and ``series``.

    ``per_week`` replaces the aggregation over ``src`` by a query of the same columns on weekly
    figures computed beforehand (see :func:`brand_bundle`).
    """
    params: list[Any] = []
    if per_week is None:
        where, params = Filters(companies=filters.companies, since=filters.since, until=filters.until,
                                sources=filters.sources).where("f")
        candidate, stage_params = _brand_candidate(filters)
        params = [*stage_params, *params]
        per_week = f"""
            SELECT week,
                   count(*) FILTER (WHERE candidate) AS candidate_mentions,
                   {_net('sentiment')} FILTER (WHERE candidate) AS candidate_net_sentiment,
                   count(*) FILTER (WHERE NOT is_candidate_experience) AS brand_mentions,
                   {_net('sentiment')} FILTER (WHERE NOT is_candidate_experience) AS brand_net_sentiment,
                   count(*) FILTER (WHERE consumer_link) AS consumer_link_mentions
            FROM (
                SELECT {src.week} AS week, f.sentiment,
                       f.is_candidate_experience, f.consumer_link, {candidate} AS candidate
                FROM {src.mentions}
                WHERE {where}
            )
            GROUP BY week"""
    cte = f"""
        per_week AS ({per_week}
        ),
        weeks AS (
            SELECT CAST(unnest(generate_series(min(week), max(week), INTERVAL 7 DAY)) AS DATE) AS week
            FROM per_week
        ),
        series AS (
            SELECT w.week, coalesce(p.candidate_mentions, 0) AS candidate_mentions, p.candidate_net_sentiment,
                   coalesce(p.brand_mentions, 0) AS brand_mentions, p.brand_net_sentiment,
                   coalesce(p.consumer_link_mentions, 0) AS consumer_link_mentions
            FROM weeks w LEFT JOIN per_week p USING (week)
        )
    """
    return cte, params


def weekly_brand_candidate_sql(filters: Filters, *, src: Source = VIEW, per_week: str | None = None) -> SqlParams:
    """Per week (zero-filled): candidate-experience and consumer-brand (all other mentions)
    volume and net sentiment, and consumer-link posts.

    Columns: week, candidate_mentions, candidate_net_sentiment, brand_mentions,
    brand_net_sentiment, consumer_link_mentions.
    """
    cte, params = _weekly_brand_candidate_cte(filters, src, per_week=per_week)
    return f"WITH {cte} SELECT * FROM series ORDER BY week", params


def weekly_brand_candidate(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, weekly_brand_candidate_sql(filters))


def brand_lag_correlation_sql(filters: Filters, *, max_lag: int = MAX_LAG_WEEKS,
                              min_mentions: int = MIN_WEEKLY_MENTIONS, src: Source = VIEW,
                              per_week: str | None = None) -> SqlParams:
    """Pearson correlation of weekly candidate net sentiment with consumer-brand net sentiment
    ``lag`` weeks later, for lags 0..max_lag. Weeks with fewer than ``min_mentions`` on either
    side are left out. Columns: lag_weeks, weeks, correlation.
    """
    cte, params = _weekly_brand_candidate_cte(filters, src, per_week=per_week)
    sql = f"""
        WITH {cte},
        lags AS (SELECT unnest(range(0, {int(max_lag) + 1})) AS lag_weeks)
        SELECT l.lag_weeks,
               count(b.week) AS weeks,
               corr(c.candidate_net_sentiment, b.brand_net_sentiment) AS correlation
        FROM lags l
        LEFT JOIN series c ON c.candidate_mentions >= {int(min_mentions)}
        LEFT JOIN series b ON b.week = c.week + CAST(l.lag_weeks * 7 AS INTEGER)
                          AND b.brand_mentions >= {int(min_mentions)}
        GROUP BY l.lag_weeks
        ORDER BY l.lag_weeks
    """
    return sql, params


def brand_lag_correlation(con: duckdb.DuckDBPyConnection, filters: Filters, **options: Any) -> pd.DataFrame:
    return _frame(con, brand_lag_correlation_sql(filters, **options))


def consumer_link_posts_sql(filters: Filters, *, limit: int = 50, src: Source = VIEW,
                            confidence: str = "f.sentiment_confidence") -> SqlParams:
    """Posts with a consumer link (a hiring experience tied to being, or no longer being, a customer),
    newest first.

    Columns: id, published_at, company, source, url, title, text, sentiment (-100..+100),
    sentiment_confidence (as :func:`mention_search_sql`), stages. ``confidence``: its SQL, as for
    :func:`mentions_export_sql`.
    """
    where, params = filters.where("f")
    sql = f"""
        SELECT f.id, f.published_at, f.company, f.source, f.url, f.title, f.text,
               round(100 * f.sentiment) AS sentiment, {confidence} AS sentiment_confidence, f.stages
        FROM {src.mentions}
        WHERE f.consumer_link AND {where}
        ORDER BY f.published_at DESC, f.id
        LIMIT {int(limit)}
    """
    return sql, params


def consumer_link_posts(con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int = 50) -> pd.DataFrame:
    return _frame(con, consumer_link_posts_sql(filters, limit=limit, confidence=db.sentiment_confidence_sql(con, "f")))


# --------------------------------------------------------------------------- mention search

def _mention_search_where(filters: Filters, *, search: str, candidate_only: bool, sure_only: bool = False,
                          confidence: str = "f.sentiment_confidence") -> SqlParams:
    """``sure_only``: only mentions whose tone reading is sure (a ``sentiment_confidence`` of at least
    ``tone_model.SURE``; one not stored, NULL, is not sure). ``confidence``: its SQL, as for
    :func:`mentions_export_sql`."""
    where, params = filters.where("f")
    if search.strip():
        needle = search.strip().lower()
        where += " AND (contains(lower(f.text), ?) OR contains(lower(coalesce(f.title, '')), ?))"
        params += [needle, needle]
    if candidate_only:
        where += " AND f.is_candidate_experience"
    if sure_only:
        where += f" AND {confidence} >= ?"
        params.append(SURE)
    return where, params


def mention_search_sql(filters: Filters, *, search: str = "", candidate_only: bool = False, sure_only: bool = False,
                       limit: int = 200, src: Source = VIEW, total: bool = True,
                       confidence: str = "f.sentiment_confidence") -> SqlParams:
    """Mentions matching a case-insensitive text search, newest first, with their explanation.

    Columns: id, published_at, company, source, url, title, text, is_candidate_experience,
    stages, themes, consumer_link, sentiment (-100..+100), sentiment_confidence (0..1, how sure the
    sentiment is; NULL when not stored), explanation (JSON), total (matches before the limit; left
    out with ``total=False``, for a caller that counts them apart). ``sure_only``: only sure tone
    readings; ``confidence``: as :func:`mentions_export_sql`.
    """
    where, params = _mention_search_where(filters, search=search, candidate_only=candidate_only,
                                          sure_only=sure_only, confidence=confidence)
    total_column = ", count(*) OVER () AS total" if total else ""
    sql = f"""
        SELECT f.id, f.published_at, f.company, f.source, f.url, f.title, f.text,
               f.is_candidate_experience, f.stages, f.themes, f.consumer_link,
               round(100 * f.sentiment) AS sentiment, {confidence} AS sentiment_confidence,
               f.explanation{total_column}
        FROM {src.mentions}
        WHERE {where}
        ORDER BY f.published_at DESC, f.id
        LIMIT {int(limit)}
    """
    return sql, params


def mention_search(con: duckdb.DuckDBPyConnection, filters: Filters, *, search: str = "",
                   candidate_only: bool = False, sure_only: bool = False, limit: int = 200) -> pd.DataFrame:
    return _frame(con, mention_search_sql(filters, search=search, candidate_only=candidate_only, sure_only=sure_only,
                                          limit=limit, confidence=db.sentiment_confidence_sql(con, "f")))


# --------------------------------------------------------------------------- one round trip per view
#
# Every query above reads the ``facts`` view, which joins each mention with its analysis (and
# the stage queries join ``analysis_stages`` on top); on a large database those joins are most
# of a query's time. A view bundle runs the view's queries on one short read-only connection
# against the materialised facts instead (hirepulse.db's ``fact_mentions`` / ``fact_stages``:
# narrow, sorted by company and time, no join), and takes the texts of the few posts it shows
# from ``mentions`` by key. While the facts are stale (a writer bypassed hirepulse.db; fixed by the
# next ``hirepulse analyze``) the same queries read the view: slower, never wrong.


# Figures over whole mentions (counts and net sentiment per period, company or week) need no row
# at all: hirepulse.db's ``fact_days`` holds them summed per day, company and source, and a
# period is whole days. The stage filter selects mentions by their stages, which the days do not
# keep, so with a stage filter these figures come from the rows.

def _by_days(src: Source, filters: Filters) -> bool:
    return src is FACTS and not filters.stages


def _days_where(filters: Filters) -> SqlParams:
    parts, params = ["TRUE"], []
    if filters.companies:
        parts.append(f"d.company IN ({_marks(filters.companies)})")
        params.extend(filters.companies)
    if filters.since:
        parts.append("d.day >= ?")
        params.append(_as_date(filters.since))
    if filters.until:
        parts.append("d.day <= ?")
        params.append(_as_date(filters.until))
    if filters.sources:
        parts.append(f"d.source IN ({_marks(filters.sources)})")
        params.extend(filters.sources)
    return " AND ".join(parts), params


def _days_net(tone: str, count: str) -> str:
    return f"100.0 * CAST(sum({tone}) AS DOUBLE) / nullif(sum({count}), 0)"


def _days_two_periods(filters: Filters) -> tuple[str, str, list[Any]]:
    """:func:`_two_periods` for the ``fact_*days`` tables (alias ``d``, whole days)."""
    both = _both_periods(filters)
    if both is None:
        where, params = _days_where(filters)
        return "'current'", where, params
    where, params = _days_where(both)
    return "CASE WHEN d.day >= ? THEN 'current' ELSE 'previous' END", where, [_as_date(filters.since), *params]


def period_overview_days_sql(filters: Filters) -> SqlParams:
    """:func:`period_overview_sql` from ``fact_days`` (no stage filter)."""
    period, where, params = _days_two_periods(filters)
    sql = f"""
        SELECT {period} AS period,
               CAST(sum(d.mentions) AS BIGINT) AS mentions,
               CAST(sum(d.candidate) AS BIGINT) AS candidate_mentions,
               {_days_net('d.tone', 'd.mentions')} AS net_sentiment,
               {_days_net('d.candidate_tone', 'd.candidate')} AS candidate_net_sentiment,
               {_days_net('d.brand_tone', 'd.brand')} AS brand_net_sentiment,
               CAST(sum(d.negative_candidate) AS BIGINT) AS negative_candidate_mentions,
               CAST(sum(d.negative_candidate_link) AS BIGINT) AS negative_with_consumer_link,
               100.0 * CAST(sum(d.negative_candidate_link) AS DOUBLE) / nullif(sum(d.negative_candidate), 0)
                   AS resentment_share
        FROM fact_days d
        WHERE {where}
        GROUP BY 1
        ORDER BY period
    """
    return sql, params


def share_of_voice_days_sql(filters: Filters) -> SqlParams:
    """:func:`share_of_voice_sql` from ``fact_days`` (no stage filter)."""
    where, params = _days_where(filters)
    sql = f"""
        SELECT d.company,
               CAST(sum(d.mentions) AS BIGINT) AS mentions,
               100.0 * CAST(sum(d.mentions) AS DOUBLE) / sum(sum(d.mentions)) OVER () AS share_of_voice,
               CAST(sum(d.candidate) AS BIGINT) AS candidate_mentions,
               100.0 * CAST(sum(d.candidate) AS DOUBLE) / nullif(sum(sum(d.candidate)) OVER (), 0)
                   AS candidate_share_of_voice,
               {_days_net('d.candidate_tone', 'd.candidate')} AS candidate_net_sentiment,
               {_days_net('d.brand_tone', 'd.brand')} AS brand_net_sentiment
        FROM fact_days d
        WHERE d.company IS NOT NULL AND {where}
        GROUP BY d.company
        ORDER BY mentions DESC, d.company
    """
    return sql, params


def period_stage_index_days_sql(filters: Filters) -> SqlParams:
    """:func:`period_stage_index_sql` from ``fact_stage_days`` (no stage filter)."""
    period, where, params = _days_two_periods(filters)
    sql = f"""
        SELECT {period} AS period, d.stage, CAST(sum(d.mentions) AS BIGINT) AS mentions,
               {_days_net('d.tone', 'd.mentions')} AS net_sentiment
        FROM fact_stage_days d
        WHERE {where}
        GROUP BY 1, 2
        ORDER BY period, {_stage_order_sql('stage')}
    """
    return sql, params


def stage_journey_days_sql(filters: Filters) -> SqlParams:
    """:func:`stage_journey_sql` from ``fact_stage_days`` (no stage filter)."""
    where, params = _days_where(filters)
    sql = f"""
        SELECT d.stage, CAST(sum(d.mentions) AS BIGINT) AS mentions,
               {_days_net('d.tone', 'd.mentions')} AS net_sentiment,
               100.0 * CAST(sum(d.positive) AS DOUBLE) / sum(d.mentions) AS positive_share,
               100.0 * CAST(sum(d.negative) AS DOUBLE) / sum(d.mentions) AS negative_share
        FROM fact_stage_days d
        WHERE {where}
        GROUP BY 1
        ORDER BY {_stage_order_sql('stage')}
    """
    return sql, params


def company_stage_net_days_sql(filters: Filters) -> SqlParams:
    """:func:`company_stage_net_sql` from ``fact_stage_days`` (no stage filter)."""
    where, params = _days_where(filters)
    sql = f"""
        SELECT d.company, d.stage, CAST(sum(d.mentions) AS BIGINT) AS mentions,
               {_days_net('d.tone', 'd.mentions')} AS net_sentiment
        FROM fact_stage_days d
        WHERE d.company IS NOT NULL AND {where}
        GROUP BY 1, 2
        ORDER BY company, {_stage_order_sql('stage')}
    """
    return sql, params


def _stage_weeks_days(filters: Filters, *, since: date | None = None) -> SqlParams:
    """``per_stage`` of :func:`weekly_stage_spikes_sql` from ``fact_stage_days`` (no stage filter):
    per week and stage, and per week over whole mentions (``'all'``, one first row each): ``mentions``
    and ``net_sentiment`` from ``since`` on, ``whole`` with the days before it."""
    where, params = _days_where(filters)
    shown, shown_params = ("TRUE", []) if since is None else ("d.day >= ?", [_as_date(since)])
    days = f"(SELECT *, {shown} AS shown FROM fact_stage_days d WHERE {where}) d"
    sql = f"""
            SELECT d.week, d.stage, CAST(sum(d.mentions) FILTER (WHERE d.shown) AS BIGINT) AS mentions,
                   {_days_net('CASE WHEN d.shown THEN d.tone END', 'CASE WHEN d.shown THEN d.mentions END')}
                       AS net_sentiment,
                   CAST(sum(d.mentions) AS BIGINT) AS whole
            FROM {days}
            GROUP BY 1, 2
            UNION ALL
            SELECT d.week, 'all', CAST(sum(d.first_rows) FILTER (WHERE d.shown) AS BIGINT),
                   {_days_net('CASE WHEN d.shown THEN d.first_tone END', 'CASE WHEN d.shown THEN d.first_rows END')},
                   CAST(sum(d.first_rows) AS BIGINT)
            FROM {days}
            GROUP BY 1
            HAVING sum(d.first_rows) > 0"""
    return sql, [*shown_params, *params, *shown_params, *params]


def _with_text(con: duckdb.DuckDBPyConnection, posts: pd.DataFrame, src: Source) -> pd.DataFrame:
    """Fill ``url``, ``title``, ``text`` (and ``explanation`` when present) of posts read from a
    source without texts, from the database, by key."""
    if posts.empty or src.texts:
        return posts
    ids = list(dict.fromkeys(posts["id"]))
    marks = _marks(ids)   # a literal IN list lets DuckDB use the primary-key index...
    first, last = posts["published_at"].min(), posts["published_at"].max()   # ...and the time, zone maps
    texts = _frame(con, (f"SELECT id, url, title, text FROM mentions WHERE id IN ({marks}) "
                         "AND published_at BETWEEN ? AND ?", [*ids, first, last])).set_index("id")
    out = posts.copy()
    for column in ("url", "title", "text"):
        out[column] = out["id"].map(texts[column])
    if "explanation" in out.columns:
        found = _frame(con, (f"SELECT mention_id, explanation FROM analysis WHERE mention_id IN ({marks})", ids))
        out["explanation"] = out["id"].map(found.set_index("mention_id")["explanation"])
    return out


def overview_bundle(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, pd.DataFrame]:
    """Overview in one round trip: ``overview`` (period_overview), ``stages`` (period_stage_index),
    ``themes`` (period_theme_change), each with the columns of the function named, and ``spikes``: the
    spike rows of weekly_stage_spikes in the period (what the Trends view lists)."""
    src = source_for(con)
    overview = period_overview_days_sql(filters) if _by_days(src, filters) else period_overview_sql(filters, src=src)
    stages = period_stage_index_days_sql(filters) if _by_days(src, filters) else period_stage_index_sql(filters, src=src)
    weekly = _frame(con, weekly_stage_spikes_sql(filters, src=src, by_days=_by_days(src, filters)))
    return {"overview": _frame(con, overview),
            "stages": _frame(con, stages),
            "themes": _frame(con, period_theme_change_sql(filters, src=src)),
            "spikes": weekly[weekly["is_spike"]].reset_index(drop=True) if not weekly.empty else weekly}


def journey_bundle(con: duckdb.DuckDBPyConnection, filters: Filters, *, per_stage: int = 3) -> dict[str, pd.DataFrame]:
    """Hiring journey in one round trip: ``journey``, ``matrix``, ``extremes``."""
    src = source_for(con)
    extremes = _frame(con, stage_extremes_sql(filters, per_stage=per_stage, src=src))
    journey = stage_journey_days_sql(filters) if _by_days(src, filters) else stage_journey_sql(filters, src=src)
    return {"journey": _frame(con, journey),
            "matrix": _frame(con, stage_theme_matrix_sql(filters, src=src)),
            "extremes": _with_text(con, extremes, src)}


def trends_bundle(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, pd.DataFrame]:
    """Trends in one round trip: ``weekly`` (weekly_stage_spikes) and ``drivers`` (week_drivers
    of its spikes)."""
    src = source_for(con)
    weekly = _frame(con, weekly_stage_spikes_sql(filters, src=src, by_days=_by_days(src, filters)))
    found = weekly[weekly["is_spike"]] if not weekly.empty else weekly
    spikes = list(zip(found["week"], found["stage"])) if not found.empty else []
    drivers = _frame(con, week_drivers_sql(filters, spikes, src=src)) if spikes else pd.DataFrame(
        columns=["week", "stage", "kind", "name", "mentions", "share", "rank"])
    return {"weekly": weekly, "drivers": drivers}


def themes_bundle(con: duckdb.DuckDBPyConnection, filters: Filters, *, theme: str | None = None,
                  limit: int = 30) -> dict[str, pd.DataFrame]:
    """Themes in one round trip: ``themes`` (period_theme_change) and ``posts`` (theme_posts of
    ``theme``, or of the most frequent theme when None)."""
    src = source_for(con)
    themes = _frame(con, period_theme_change_sql(filters, src=src))
    chosen = theme or (themes["theme"].iloc[0] if not themes.empty else "")
    posts = _frame(con, theme_posts_sql(filters, chosen, limit=limit, src=src,
                                        confidence=db.sentiment_confidence_sql(con, "f")))
    return {"themes": themes, "posts": _with_text(con, posts, src)}


def competitors_bundle(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, pd.DataFrame]:
    """Competitors in one round trip: ``voice`` (share_of_voice), ``stages`` (company_stage_net)."""
    src = source_for(con)
    voice = share_of_voice_days_sql(filters) if _by_days(src, filters) else share_of_voice_sql(filters, src=src)
    return {"voice": _frame(con, voice),
            "stages": _frame(con, company_stage_net_days_sql(filters) if _by_days(src, filters)
                             else company_stage_net_sql(filters, src=src))}


_BRAND_WEEKS = "_hp_brand_weeks"


def _brand_weeks(con: duckdb.DuckDBPyConnection, filters: Filters, window_since: date | None, src: Source) -> None:
    """In one scan, the weekly sums both brand series need, into a temporary table: ``p_*`` over
    the period of ``filters``, ``w_*`` over the correlation window from ``window_since``."""
    starts = [d for d in (window_since, filters.since) if d is not None]
    scan = Filters(companies=filters.companies, since=min(starts) if starts else None, until=filters.until,
                   sources=filters.sources)
    flags: list[str] = []
    ranges: list[Any] = []
    days = _by_days(src, filters)
    for since in (filters.since, window_since or filters.since):
        flags.append("TRUE" if since is None else ("d.day >= ?" if days else "f.published_at >= ?"))
        ranges += [] if since is None else [_as_date(since) if days else _start_of(since)]

    def sums(prefix: str) -> str:
        return ", ".join(f"CAST(sum({name}) FILTER (WHERE in_{prefix}) AS BIGINT) AS {prefix}_{name}"
                         for name in ("n", "c_n", "c_tone", "b_n", "b_tone", "link_n"))

    if days:   # the days' sums, summed again per week
        where, params = _days_where(scan)
        rows = f"""
            SELECT d.week, {flags[0]} AS in_p, {flags[1]} AS in_w, d.mentions AS n, d.candidate AS c_n,
                   d.candidate_tone AS c_tone, d.brand AS b_n, d.brand_tone AS b_tone, d.consumer_link AS link_n
            FROM fact_days d
            WHERE {where}"""
        stage_params: list[Any] = []
    else:      # one row per mention, counted
        where, params = scan.where("f")
        candidate, stage_params = _brand_candidate(filters)
        tone = db.tone_sql("f.sentiment")
        rows = f"""
            SELECT week, in_p, in_w, 1 AS n, CAST(candidate AS INTEGER) AS c_n,
                   CASE WHEN candidate THEN tone ELSE 0 END AS c_tone,
                   CAST(NOT is_candidate_experience AS INTEGER) AS b_n,
                   CASE WHEN is_candidate_experience THEN 0 ELSE tone END AS b_tone,
                   CAST(consumer_link AS INTEGER) AS link_n
            FROM (
                SELECT {src.week} AS week, {flags[0]} AS in_p, {flags[1]} AS in_w, {candidate} AS candidate,
                       {tone} AS tone, f.is_candidate_experience, f.consumer_link
                FROM {src.mentions}
                WHERE {where}
            )"""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {_BRAND_WEEKS} AS
        SELECT week, {sums('p')}, {sums('w')}
        FROM ({rows})
        GROUP BY week
    """, [*ranges, *stage_params, *params])


def _brand_per_week(prefix: str) -> str:
    """``per_week`` of the brand series from the ``prefix`` sums of :func:`_brand_weeks`."""
    def net(side: str) -> str:
        return f"100.0 * CAST({prefix}_{side}_tone AS DOUBLE) / nullif({prefix}_{side}_n, 0)"
    return f"""
            SELECT week, {prefix}_c_n AS candidate_mentions, {net('c')} AS candidate_net_sentiment,
                   {prefix}_b_n AS brand_mentions, {net('b')} AS brand_net_sentiment,
                   {prefix}_link_n AS consumer_link_mentions
            FROM {_BRAND_WEEKS} WHERE {prefix}_n > 0"""


def brand_bundle(con: duckdb.DuckDBPyConnection, filters: Filters, *, window_since: date | None = None,
                 limit: int = 50) -> dict[str, pd.DataFrame]:
    """Brand impact in one round trip: ``weekly`` (weekly_brand_candidate over the period),
    ``lags`` (brand_lag_correlation from ``window_since``), ``posts`` (consumer_link_posts of the
    period without the stage filter).

    Both series come from one scan: weekly sums of the period and of the window, which cover
    the same weeks but for the period's first, partial one.
    """
    src = source_for(con)
    _brand_weeks(con, filters, window_since, src)
    no_stages = Filters(companies=filters.companies, since=filters.since, until=filters.until, sources=filters.sources)
    posts = _frame(con, consumer_link_posts_sql(no_stages, limit=limit, src=src,
                                                confidence=db.sentiment_confidence_sql(con, "f")))
    return {"weekly": _frame(con, weekly_brand_candidate_sql(filters, per_week=_brand_per_week("p"))),
            "lags": _frame(con, brand_lag_correlation_sql(filters, per_week=_brand_per_week("w"))),
            "posts": _with_text(con, posts, src)}


def default_period(first: date, last: date) -> tuple[date, date]:
    """The period the dashboard opens with and the report's summary covers without dates: the
    ``DEFAULT_PERIOD_DAYS`` up to the newest mention's day ``last``, not before the first's, ``first``."""
    return max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)), last


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Like :func:`filter_options` (same keys), without joining every mention to its analysis:
    companies from the mentions, plus the analysed company of mentions stored without one."""
    if db.facts_fresh(con):   # fact_mentions.company already falls back to the analysed company
        analysed = "SELECT DISTINCT company FROM fact_mentions WHERE company IS NOT NULL"
    else:
        analysed = """SELECT DISTINCT a.companies[1] FROM mentions m JOIN analysis a ON a.mention_id = m.id
                      WHERE m.company IS NULL AND a.companies[1] IS NOT NULL"""
    companies = [r[0] for r in con.execute(f"""
        SELECT DISTINCT company FROM mentions WHERE company IS NOT NULL
        UNION
        {analysed}
        ORDER BY 1
    """).fetchall()]
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM mentions ORDER BY 1").fetchall()]
    first, last = con.execute("SELECT min(published_at), max(published_at) FROM mentions").fetchone()
    return {"companies": companies, "sources": sources, "first": first, "last": last}


def mentions_bundle(con: duckdb.DuckDBPyConnection, filters: Filters, *, search: str = "",
                    candidate_only: bool = False, sure_only: bool = False, limit: int = 200,
                    explain: bool = True) -> dict[str, pd.DataFrame]:
    """Mentions view in one round trip: ``mentions`` with the columns of :func:`mention_search`.

    Browsing (no search text) reads the facts and takes the shown posts' texts by key; a search
    has to read the texts, so it runs on the facts view. With ``explain=False`` browsing fills
    ``explanation`` of the first (newest) post only: fetching hundreds costs more than the rest,
    and the view asks :func:`explanation` for any other post it is asked to explain.
    """
    if search.strip():
        return {"mentions": mention_search(con, filters, search=search, candidate_only=candidate_only,
                                           sure_only=sure_only, limit=limit)}
    src, confidence = source_for(con), db.sentiment_confidence_sql(con, "f")
    # a top-N and a count: count(*) OVER () would carry every matching row through a window
    found = _frame(con, mention_search_sql(filters, candidate_only=candidate_only, sure_only=sure_only, limit=limit,
                                           src=src, total=False, confidence=confidence))
    where, params = _mention_search_where(filters, search="", candidate_only=candidate_only, sure_only=sure_only,
                                          confidence=confidence)
    total = con.execute(f"SELECT count(*) FROM {src.mentions} WHERE {where}", params).fetchone()[0]
    found["total"] = pd.Series(total, index=found.index, dtype="int64")
    found = _with_text(con, found if explain else found.drop(columns="explanation"), src)
    if not explain:   # only the newest post's, the one the view explains first
        found.insert(len(found.columns) - 1, "explanation", None)
        if not found.empty:
            found.loc[found.index[0], "explanation"] = explanation(con, found["id"].iloc[0])
    return {"mentions": found}


def explanation(con: duckdb.DuckDBPyConnection, mention_id: str) -> str | None:
    """The stored explanation (JSON) of one mention's analysis, if any."""
    row = con.execute("SELECT explanation FROM analysis WHERE mention_id = ?", [mention_id]).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- the Label posts view's queue

def next_to_label(con: duckdb.DuckDBPyConnection, *, companies: Sequence[str] = (), since: date | None = None,
                  until: date | None = None, sources: Sequence[str] = (), exclude: Sequence[str] = (),
                  limit: int = 1) -> tuple[list[dict[str, Any]], int]:
    """The next analysed mentions to label under the dashboard's company, period and source filters (as
    :meth:`Filters.where` reads them; never the stage filter, which would bend the sample), leaving out
    labelled ones and ``exclude`` (skipped this session). Returns ``(posts, remaining)``: at most ``limit``
    posts (id, published_at, company, source, url, title, text) and how many are left under the filters.

    The posts are those the views count (analysed; a post comes once ``hirepulse analyze`` has read it),
    from the source the views read (:func:`source_for`: the materialised facts while they are in step, a
    million mentions in milliseconds), their texts taken by key for the posts shown only. The order is a
    fixed shuffle (by an md5 of the id), not newest first, so that the posts a team labels are a fair sample
    of the filtered ones, and the same post comes back until it is labelled or skipped. The analyzer's
    reading is not returned: a person labels without seeing it."""
    src = source_for(con)
    where, params = Filters(tuple(companies), since, until, tuple(sources)).where("f")
    if exclude:
        where += " AND NOT list_contains(?, f.id)"
        params.append(list(exclude))
    if db.has_labels(con):
        where += " AND f.id NOT IN (SELECT mention_id FROM labels)"
    remaining = con.execute(f"SELECT count(*) FROM {src.mentions} WHERE {where}", params).fetchone()[0]
    posts = _frame(con, (f"SELECT f.id, f.published_at, f.company, f.source, f.url, f.title, f.text "
                         f"FROM {src.mentions} WHERE {where} ORDER BY md5(f.id), f.id LIMIT {int(limit)}", params))
    return _with_text(con, posts, src).to_dict("records"), remaining


# --------------------------------------------------------------------------- the team's labels against the readings

AGREEMENT_MIN = 20      # analysed labels below which the view shows no agreement figures (too few to read)
AGREEMENT_RESAMPLES = 400
AGREEMENT_MEASURES = ("tone", "tone_sure", "tone_unsure", "negatives_read_positive", "candidate", "stages",
                      "consumer_link", "candidate_net_bias")   # in the order shown; named in analysis.wording


def label_agreement(con: duckdb.DuckDBPyConnection, *, since: datetime | None = None,
                    resamples: int = AGREEMENT_RESAMPLES, level: float = 0.95, seed: int = 0,
                    rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """How the readings the dashboard shows agree with the team's own labels (the Label posts view), on the
    labelled posts the analyzer has read (``since``: only labels saved after that moment). One row per
    measure of :data:`AGREEMENT_MEASURES` that can be read on them, with ``value``, a percentile bootstrap
    interval at ``level`` (``low``, ``high``: how far it could move on as many other posts; ``resamples``
    samples drawn with replacement, ``seed`` makes them repeatable) and ``posts`` (the posts it is read on):

    - ``tone``: the share whose tone (negative, neutral, positive) the analyzer reads as labelled;
    - ``tone_sure``, ``tone_unsure``: the same over the posts whose stored tone reading is sure (a
      ``sentiment_confidence`` of at least ``tone_model.SURE``) and over the others (below it, or not stored:
      read before analyzer 2.80): sure readings should agree more often, as they do on the bench;
    - ``negatives_read_positive``: of the posts labelled negative, the share read as positive;
    - ``candidate``: F1 of "a first-hand candidate account";
    - ``stages``: micro-F1 of the stages, on the posts both call candidate accounts;
    - ``consumer_link``: F1 of the tie to being a customer;
    - ``candidate_net_bias``: over the posts labelled candidate accounts, the net tone (share positive minus
      share negative, -1 to 1) of the readings minus that of the labels (``evaluation.net_tone_bias``):
      how far the level of the dashboard's candidate sentiment sits from the team's, negative when gloomier.

    A measure whose posts are missing (no negative labels; no sure reading; neither side finds a customer tie)
    has no row.
    The figures are those of :mod:`analysis.evaluation` (``bench/accuracy.py``), each a ratio of per-post
    counts, so a resample's figures are its posts' counts summed: one matrix product, not a loop over
    resamples (2,000 labels in about 0.1 s, which the Overview's first load can afford)."""
    import numpy as np

    from analysis.evaluation import sentiment_label

    if rows is None:   # (``rows``: readings of the labelled posts other than those stored, as shipped_readings)
        rows = db.label_readings(con, since=since, texts=False)
    rows = [r for r in rows if r["analysed"]]
    columns = ["measure", "value", "low", "high", "posts"]
    if not rows:
        return pd.DataFrame(columns=columns)

    def confusion(gold: bool, read: bool) -> tuple[int, int, int]:
        return int(gold and read), int(read and not gold), int(gold and not read)

    counts = []   # per post: the counts every figure is a ratio of
    for r in rows:
        read = sentiment_label(float(r["read_sentiment"]), POSITIVE)
        told, found = bool(r["is_candidate_experience"]), bool(r["read_is_candidate_experience"])
        both = told and found
        sure = is_sure(r["read_sentiment_confidence"])
        gold_stages, read_stages = (set(r["stages"]), set(r["read_stages"])) if both else (set(), set())
        counts.append((
            1, int(read == r["sentiment"]),
            int(r["sentiment"] == "negative"), int(r["sentiment"] == "negative" and read == "positive"),
            *confusion(told, found),
            int(both), len(gold_stages & read_stages), len(read_stages - gold_stages), len(gold_stages - read_stages),
            *confusion(bool(r["consumer_link"]), bool(r["read_consumer_link"])),
            # a candidate account, and its read net tone minus its labelled one (-2 to 2)
            int(told), int(told) * ((read == "positive") - (read == "negative")
                                    - (r["sentiment"] == "positive") + (r["sentiment"] == "negative")),
            # a sure tone reading, and one read as labelled (the unsure ones: the rest of columns 0 and 1)
            int(sure), int(sure and read == r["sentiment"]),
        ))
    per_post = np.array(counts, dtype=np.int64)                       # posts x 18
    n = len(rows)
    weights = np.random.default_rng(seed).multinomial(n, np.full(n, 1.0 / n), size=resamples)
    sums = np.vstack([per_post.sum(axis=0), weights @ per_post])     # row 0: the posts as they are

    def f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        return np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)

    with np.errstate(divide="ignore", invalid="ignore"):
        figures = {   # measure -> (its value per resample, the posts it is read on per resample)
            "tone": (sums[:, 1] / sums[:, 0], sums[:, 0]),
            "tone_sure": (sums[:, 17] / sums[:, 16], sums[:, 16]),
            "tone_unsure": ((sums[:, 1] - sums[:, 17]) / (sums[:, 0] - sums[:, 16]), sums[:, 0] - sums[:, 16]),
            "negatives_read_positive": (sums[:, 3] / sums[:, 2], sums[:, 2]),
            "candidate": (f1(sums[:, 4], sums[:, 5], sums[:, 6]),
                          np.where(sums[:, 4] + sums[:, 5] + sums[:, 6] > 0, sums[:, 0], 0)),
            "stages": (f1(sums[:, 8], sums[:, 9], sums[:, 10]), sums[:, 7]),
            "consumer_link": (f1(sums[:, 11], sums[:, 12], sums[:, 13]),
                              np.where(sums[:, 11] + sums[:, 12] + sums[:, 13] > 0, sums[:, 0], 0)),
            "candidate_net_bias": (sums[:, 15] / sums[:, 14], sums[:, 14]),
        }
    tail = (1 - level) / 2
    out = []
    for measure in AGREEMENT_MEASURES:
        values, posts = figures[measure]
        if not posts[0]:
            continue
        kept = np.sort(values[1:][posts[1:] > 0])   # (a resample without such posts does not read it)
        low = kept[max(0, math.floor(tail * len(kept)))] if len(kept) else None
        high = kept[min(len(kept) - 1, math.ceil((1 - tail) * len(kept)) - 1)] if len(kept) else None
        out.append((measure, float(values[0]), low, high, int(posts[0])))
    return pd.DataFrame(out, columns=columns)


_SHIPPED_SQL = """
    SELECT m.id, m.title, m.text, m.content_hash, m.stage_hint, m.rating, m.rating_scale,
           l.labelled_at, l.sentiment, l.is_candidate_experience, l.stages, l.consumer_link
    FROM labels l JOIN mentions m ON m.id = l.mention_id
    WHERE l.labelled_at > ?
    ORDER BY l.mention_id
"""


def shipped_readings(con: duckdb.DuckDBPyConnection, since: datetime,
                     companies: Sequence[tuple[str, Sequence[str]]] = ()) -> list[dict[str, Any]]:
    """The posts labelled after ``since`` read again by the shipped readings, as :func:`label_agreement` takes
    them (``rows``): what the analyzer would have said without the team's adaptation, read as
    ``hirepulse analyze`` reads a post (:func:`analysis.pipeline.read_mentions`), so that the Label posts view can
    show whether adapting helped on posts neither reading learned from."""
    from analysis.pipeline import read_mentions

    labelled = con.execute(_SHIPPED_SQL, [since]).fetchall()
    if not labelled:
        return []
    read = read_mentions([row[:7] for row in labelled], companies=companies)
    return [{"id": row[0], "labelled_at": row[7], "sentiment": row[8], "is_candidate_experience": row[9],
             "stages": row[10], "consumer_link": row[11], "analysed": True,
             "read_sentiment": r["sentiment"], "read_is_candidate_experience": r["is_candidate_experience"],
             "read_stages": list(r["stages"]), "read_consumer_link": r["consumer_link"],
             "read_sentiment_confidence": r["sentiment_confidence"]}
            for row, r in zip(labelled, read)]


def label_agreement_in_use(con: duckdb.DuckDBPyConnection, adapted: dict | None,
                           resamples: int = AGREEMENT_RESAMPLES) -> tuple[pd.DataFrame, str]:
    """:func:`label_agreement` as it should be read for the readings in use, and what it covers:

    - ``"shipped"``: the shipped readings (``adapted`` None: no ``hirepulse adapt`` manifest), every label;
    - ``"since"``: readings adapted from the database (``adapted["labelled_until"]``), the labels saved after
      it, which they never learned from, once at least ``AGREEMENT_MIN`` of those are read;
    - ``"learned"``: the same readings before then, every label: they flatter the readings;
    - ``"file"``: readings adapted from a file, every label (any of them may be among the file's).
    """
    until = labelled_until(adapted)
    if until is not None:
        fresh = label_agreement(con, since=until, resamples=resamples)
        if len(fresh) and fresh["posts"].max() >= AGREEMENT_MIN:
            return fresh, "since"
    return label_agreement(con, resamples=resamples), ("shipped" if adapted is None else "learned" if until else "file")


def labelled_until(adapted: dict[str, Any] | None) -> datetime | None:
    """When the labels that adapted readings learned from end: their `hirepulse adapt` manifest's
    ``labelled_until`` (UTC when it gives no offset). None for the shipped readings (``adapted`` None), readings
    adapted from a file, and a hand-edited manifest whose value is not a time (read as if adapted from a file)."""
    until = adapted.get("labelled_until") if adapted else None
    if not until:
        return None
    try:
        moment = datetime.fromisoformat(str(until))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
