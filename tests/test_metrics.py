"""Dashboard metrics on small hand-made DuckDB files (exact figures) and on the analysed sample."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analysis import metrics as m
from analysis.metrics import Filters
from conftest import SAMPLE_SALT
from hirepulse import db

MONDAY = date(2026, 1, 5)


class _Rows:
    """Writes mentions with their analysis straight into the schema (no analyzer involved)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.n = con, 0

    def add(self, *, day: date, sentiment: float, company: str = "Acme", candidate: bool = True,
            stages: dict[str, float] | None = None, themes: tuple[str, ...] = (), consumer_link: bool = False,
            text: str = "a post", source: str = "forum", title: str | None = None,
            confidence: float | None = None) -> str:
        self.n += 1
        mid = f"{source}:{self.n}"
        when = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=12)
        stages = stages if stages is not None else ({"interview": sentiment} if candidate else {})
        self.con.execute(
            "INSERT INTO mentions (id, source, native_id, url, company, title, text, published_at, content_hash, "
            "fetched_at, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'h', now(), now())",
            [mid, source, str(self.n), f"https://example.org/{self.n}", company, title, text, when])
        self.con.execute(
            "INSERT INTO analysis VALUES (?, 'test', 'h', now(), ?, ?, ?, ?, ?, ?, ?, ?, false)",
            [mid, candidate, sentiment, list(stages), list(themes), consumer_link, [company],
             json.dumps({"sentences": [{"text": text, "compound": sentiment, "stages": list(stages), "hits": []}]}),
             confidence])
        for stage, value in stages.items():
            self.con.execute("INSERT INTO analysis_stages VALUES (?, ?, ?)", [mid, stage, value])
        return mid


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    with db.connect(tmp_path / "metrics.duckdb") as connection:
        yield connection


def _row(df: Any, **match: Any) -> dict[str, Any]:
    for key, value in match.items():
        df = df[df[key] == value]
    assert len(df) == 1, f"expected one row for {match}, got {len(df)}"
    return df.iloc[0].to_dict()


# --------------------------------------------------------------------------- periods

def test_previous_period_has_the_same_length_immediately_before() -> None:
    prev = m.previous_period(Filters(companies=("Acme",), since=date(2026, 3, 1), until=date(2026, 3, 31)))
    assert prev is not None
    assert (prev.since, prev.until) == (date(2026, 1, 29), date(2026, 2, 28))
    assert prev.companies == ("Acme",)
    assert m.previous_period(Filters(since=date(2026, 3, 1))) is None


def test_period_overview_compares_with_the_previous_period(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    for _ in range(3):   # previous period: three positive candidate posts
        rows.add(day=date(2026, 1, 10), sentiment=0.6)
    rows.add(day=date(2026, 2, 10), sentiment=-0.7, consumer_link=True)      # current
    rows.add(day=date(2026, 2, 11), sentiment=-0.5)
    rows.add(day=date(2026, 2, 12), sentiment=0.5)
    rows.add(day=date(2026, 2, 13), sentiment=0.3, candidate=False)
    rows.add(day=date(2026, 2, 14), sentiment=0.9, company="Other")          # another company
    rows.add(day=date(2026, 3, 20), sentiment=0.9)                           # after the period
    f = Filters(companies=("Acme",), since=date(2026, 2, 1), until=date(2026, 2, 28))
    df = m.period_overview(con, f)
    now, before = _row(df, period="current"), _row(df, period="previous")
    assert now["mentions"] == 4 and now["candidate_mentions"] == 3
    assert now["net_sentiment"] == pytest.approx(0.0)                   # 2 positive, 2 negative
    assert now["candidate_net_sentiment"] == pytest.approx(-100 / 3)
    assert now["brand_net_sentiment"] == pytest.approx(100.0)
    assert (now["negative_candidate_mentions"], now["negative_with_consumer_link"]) == (2, 1)
    assert now["resentment_share"] == pytest.approx(50.0)
    assert before["mentions"] == 3 and before["candidate_net_sentiment"] == pytest.approx(100.0)
    assert before["resentment_share"] is None or before["resentment_share"] != before["resentment_share"]


def test_period_stage_index_and_theme_change(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    rows.add(day=date(2026, 1, 20), sentiment=0.5, stages={"interview": 0.5}, themes=("fast_process",))
    rows.add(day=date(2026, 2, 10), sentiment=-0.6, stages={"interview": -0.6, "rejection": -0.8},
             themes=("ghosting", "no_feedback"))
    rows.add(day=date(2026, 2, 11), sentiment=-0.4, stages={"rejection": -0.4}, themes=("ghosting",))
    f = Filters(since=date(2026, 2, 1), until=date(2026, 2, 28))
    index = m.period_stage_index(con, f)
    assert list(index[index.period == "current"].stage) == ["interview", "rejection"]   # journey order
    assert _row(index, period="current", stage="rejection")["mentions"] == 2
    assert _row(index, period="previous", stage="interview")["net_sentiment"] == pytest.approx(100.0)
    themes = m.period_theme_change(con, f)
    ghosting = _row(themes, theme="ghosting")
    assert (ghosting["mentions"], ghosting["previous_mentions"], ghosting["change"]) == (2, 0, 2)
    assert _row(themes, theme="fast_process")["change"] == -1
    only_interview = m.period_stage_index(con, Filters(since=f.since, until=f.until, stages=("interview",)))
    assert set(only_interview.stage) == {"interview"}, "the stage filter narrows the stage rows too"


# --------------------------------------------------------------------------- journey

def test_stage_journey_theme_matrix_and_extremes(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    rows.add(day=MONDAY, sentiment=0.2, stages={"onboarding": 0.7, "application": 0.03}, themes=("good_onboarding",))
    worst = rows.add(day=MONDAY, sentiment=-0.9, stages={"application": -0.9}, themes=("clunky_application",))
    rows.add(day=MONDAY, sentiment=-0.3, stages={"application": -0.3})
    rows.add(day=MONDAY, sentiment=0.8, candidate=False)
    journey = m.stage_journey(con, Filters())
    assert list(journey.stage) == ["application", "onboarding"]
    app = _row(journey, stage="application")
    assert app["mentions"] == 3
    assert app["net_sentiment"] == pytest.approx(-200 / 3)              # neutral, negative, negative
    assert app["positive_share"] == 0 and app["negative_share"] == pytest.approx(200 / 3)
    matrix = m.stage_theme_matrix(con, Filters())
    assert _row(matrix, stage="onboarding", theme="good_onboarding")["net_sentiment"] == pytest.approx(100.0)
    assert len(matrix) == 3
    extremes = m.stage_extremes(con, Filters(), per_stage=1)
    top = _row(extremes, stage="application", side="worst")
    assert top["sentiment"] == -90 and top["url"].endswith(worst.split(":")[1])
    assert _row(extremes, stage="onboarding", side="best")["sentiment"] == 70
    assert extremes[(extremes.stage == "application") & (extremes.side == "best")].empty, "0.03 is neutral"


# --------------------------------------------------------------------------- trends

def test_weekly_spikes_against_a_trailing_baseline(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    counts = [2, 3, 2, 3, 2, 3, 2, 3, 20, 3]            # week 8 is the spike
    for week, count in enumerate(counts):
        for i in range(count):
            rows.add(day=MONDAY + timedelta(weeks=week), sentiment=-0.5 if week == 8 else 0.4,
                     themes=("ghosting",) if week == 8 else ())
    df = m.weekly_stage_spikes(con, Filters())
    total = df[df.stage == "all"].reset_index(drop=True)
    assert len(total) == len(counts) and list(total.mentions) == counts
    assert list(total.index[total.is_spike]) == [8]
    assert total.loc[8, "baseline"] == pytest.approx(2.5)
    assert total.loc[8, "net_sentiment"] == pytest.approx(-100.0)
    assert not df[(df.stage == "interview") & df.is_spike].empty
    drivers = m.week_drivers(con, Filters(), [(MONDAY + timedelta(weeks=8), "all")])
    theme = _row(drivers, kind="theme", rank=1)
    assert (theme["name"], theme["mentions"], theme["share"]) == ("ghosting", 20, pytest.approx(100.0))


def test_a_stage_spike_is_explained_by_the_posts_on_that_stage(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    week = MONDAY + timedelta(weeks=8)
    for _ in range(12):   # the week's most: interviews that ghosted
        rows.add(day=week, sentiment=-0.5, stages={"interview": -0.5}, themes=("ghosting",))
    for _ in range(9):    # and a screening wave of its own, with another complaint
        rows.add(day=week, sentiment=-0.5, stages={"screening": -0.5, "application": -0.2}, themes=("slow_process",))
    drivers = m.week_drivers(con, Filters(), [(week, "all"), (week, "screening")])
    tops = m.drivers_by_week(drivers)
    assert tops[(week, "all", "theme")] == [("ghosting", 12), ("slow_process", 9)]
    assert tops[(week, "all", "stage")][0] == ("interview", 12)
    assert tops[(week, "screening", "theme")] == [("slow_process", 9)]
    assert tops[(week, "screening", "stage")] == [("application", 9), ("screening", 9)]
    assert _row(drivers, stage="screening", kind="theme", rank=1)["share"] == pytest.approx(100.0)


def test_spike_needs_the_minimum_count_and_zero_fills_weeks(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    for week in (0, 1, 2, 3, 4, 5, 8):                 # weeks 6 and 7 are empty
        rows.add(day=MONDAY + timedelta(weeks=week), sentiment=0.4)
    rows.add(day=MONDAY + timedelta(weeks=8), sentiment=0.4)
    total = m.weekly_stage_spikes(con, Filters())
    total = total[total.stage == "all"]
    assert list(total.mentions) == [1, 1, 1, 1, 1, 1, 0, 0, 2]
    assert not total.is_spike.any(), "2 mentions is below the minimum count"


def test_the_first_week_of_a_period_counts_from_its_first_day(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    thursday = MONDAY + timedelta(days=3)
    for day in (MONDAY, MONDAY + timedelta(days=1), thursday, thursday + timedelta(days=1)):
        rows.add(day=day, sentiment=-0.5 if day < thursday else 0.5)
    rows.add(day=MONDAY - timedelta(weeks=8), sentiment=0.5)   # the baseline's first, whole week
    rows.add(day=MONDAY + timedelta(weeks=1), sentiment=0.5)
    period = Filters(since=thursday, until=MONDAY + timedelta(weeks=1, days=6))
    weekly = m.weekly_stage_spikes(con, period)
    first = _row(weekly, stage="all", week=MONDAY)
    assert (first["mentions"], first["net_sentiment"]) == (2, pytest.approx(100.0)), "Monday and Tuesday left out"
    brand = m.weekly_brand_candidate(con, period)
    assert brand.loc[brand["week"] == MONDAY, "candidate_mentions"].item() == first["mentions"]
    # the baseline: whole weeks before the period's first
    earlier = m.weekly_stage_spikes(con, Filters(since=MONDAY - timedelta(weeks=8), until=MONDAY - timedelta(days=1)))
    assert earlier[earlier.stage == "all"]["mentions"].sum() == 1
    assert first["baseline"] == pytest.approx(1 / 8)
    # the week after is judged against whole weeks: the first one with its Monday and Tuesday
    assert _row(weekly, stage="all", week=MONDAY + timedelta(weeks=1))["baseline"] == pytest.approx(4 / 8)
    db.ensure_facts(con, rebuild=True)
    for by_days in (False, True):   # the materialised facts and day totals give the same figures
        same = m._frame(con, m.weekly_stage_spikes_sql(period, src=m.FACTS, by_days=by_days))
        assert same["mentions"].tolist() == weekly["mentions"].tolist()
        assert same["baseline"].tolist() == pytest.approx(weekly["baseline"].tolist())


# --------------------------------------------------------------------------- competitors and brand

def test_share_of_voice_and_company_stage_net(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    for _ in range(3):
        rows.add(day=MONDAY, sentiment=-0.5, company="Acme")
    rows.add(day=MONDAY, sentiment=0.5, company="Rival")
    rows.add(day=MONDAY, sentiment=0.5, company="Rival", candidate=False)
    voice = m.share_of_voice(con, Filters(companies=("Acme", "Rival")))
    assert list(voice.company) == ["Acme", "Rival"]
    assert voice.share_of_voice.sum() == pytest.approx(100.0)
    assert _row(voice, company="Acme")["candidate_share_of_voice"] == pytest.approx(75.0)
    assert _row(voice, company="Rival")["brand_net_sentiment"] == pytest.approx(100.0)
    per_stage = m.company_stage_net(con, Filters(companies=("Acme", "Rival")))
    assert _row(per_stage, company="Acme", stage="interview")["net_sentiment"] == pytest.approx(-100.0)


def test_brand_series_and_lagged_correlation(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    candidate = [0.6, -0.6, 0.6, 0.6, -0.6, -0.6, 0.6, -0.6, 0.6, 0.6, -0.6, 0.6, -0.6, -0.6]
    for week, value in enumerate(candidate):
        for _ in range(3):
            rows.add(day=MONDAY + timedelta(weeks=week), sentiment=value)
        brand = candidate[week - 2] if week >= 2 else 0.6   # brand follows candidates two weeks later
        for _ in range(3):
            rows.add(day=MONDAY + timedelta(weeks=week, days=1), sentiment=brand, candidate=False)
    rows.add(day=MONDAY, sentiment=-0.6, consumer_link=True, text="cut up my loyalty card")
    weekly = m.weekly_brand_candidate(con, Filters())
    assert len(weekly) == len(candidate)
    assert weekly.loc[0, "consumer_link_mentions"] == 1
    lags = m.brand_lag_correlation(con, Filters())
    assert list(lags.lag_weeks) == list(range(9))
    assert _row(lags, lag_weeks=2)["correlation"] == pytest.approx(1.0, abs=0.2)
    assert lags.correlation.abs().idxmax() == 2
    staged = m.weekly_brand_candidate(con, Filters(stages=("offer",)))
    assert staged.brand_mentions.sum() == weekly.brand_mentions.sum(), "the stage filter leaves brand posts alone"
    assert staged.candidate_mentions.sum() == 0
    posts = m.consumer_link_posts(con, Filters())
    assert list(posts.text) == ["cut up my loyalty card"]


# --------------------------------------------------------------------------- search

def test_mention_search_is_case_insensitive_literal_and_counts_all(con: duckdb.DuckDBPyConnection) -> None:
    rows = _Rows(con)
    rows.add(day=MONDAY, sentiment=-0.5, text="They GHOSTED me after 3 rounds")
    rows.add(day=MONDAY + timedelta(days=1), sentiment=0.5, text="100% better than last time", candidate=False)
    rows.add(day=MONDAY + timedelta(days=2), sentiment=0.0, text="nothing here", title="Ghosted again")
    found = m.mention_search(con, Filters(), search="ghosted")
    assert len(found) == 2 and set(found.total) == {2}
    assert list(m.mention_search(con, Filters(), search="100%").text) == ["100% better than last time"]
    assert m.mention_search(con, Filters(), search="0%_").empty
    assert len(m.mention_search(con, Filters(), candidate_only=True)) == 2
    one = m.mention_search(con, Filters(), limit=1)
    assert len(one) == 1 and one.total.iloc[0] == 3
    assert json.loads(one.explanation.iloc[0])["sentences"]


def test_only_sure_tone_readings_keeps_a_confidence_of_at_least_sure(con: duckdb.DuckDBPyConnection) -> None:
    from analysis.tone_model import SURE

    rows = _Rows(con)
    sure = rows.add(day=MONDAY, sentiment=-0.5, confidence=0.97, text="ghosted after the panel")
    edge = rows.add(day=MONDAY + timedelta(days=1), sentiment=0.5, confidence=SURE, text="ghosted, then an offer")
    rows.add(day=MONDAY + timedelta(days=2), sentiment=0.1, confidence=0.61, text="ghosted maybe")
    rows.add(day=MONDAY + timedelta(days=3), sentiment=0.1, text="ghosted, read before 2.80")     # none stored
    db.ensure_facts(con, rebuild=True)
    every = m.mention_search(con, Filters())
    assert every["sentiment_confidence"].isna().iloc[0] and every["sentiment_confidence"].tolist()[1:] == [0.61, SURE, 0.97]
    for found in (m.mention_search(con, Filters(), sure_only=True), m.mention_search(con, Filters(), search="ghosted",
                  sure_only=True), m.mentions_bundle(con, Filters(), sure_only=True)["mentions"]):
        assert list(found.id) == [edge, sure] and list(found.total) == [2, 2]
        assert list(found.sentiment_confidence) == [SURE, 0.97]
    assert m.source_for(con) is m.FACTS
    assert list(m.mentions_bundle(con, Filters(), sure_only=True, candidate_only=True, limit=1)["mentions"].id) == [edge]


# --------------------------------------------------------------------------- on the analysed sample

def test_sample_metrics_tell_the_ghosting_wave_story(sample_db: Path) -> None:
    wave = Filters(companies=("Brightwater",), since=date(2026, 1, 1), until=date(2026, 3, 31))
    with db.connect(sample_db, read_only=True) as con:
        overview = m.period_overview(con, wave)
        spikes = m.weekly_stage_spikes(con, Filters(companies=("Brightwater",)))
        themes = m.period_theme_change(con, wave)
    now, before = _row(overview, period="current"), _row(overview, period="previous")
    assert now["candidate_mentions"] > before["candidate_mentions"]
    assert now["candidate_net_sentiment"] < before["candidate_net_sentiment"] - 20
    waves = spikes[(spikes.stage == "all") & spikes.is_spike]
    assert any(date(2026, 1, 1) <= w <= date(2026, 3, 31) for w in waves.week)
    assert themes.sort_values("change", ascending=False).iloc[0]["theme"] in {"ghosting", "slow_process", "no_feedback"}


def test_report_metrics_keep_their_columns(sample_db: Path) -> None:
    """Reports depend on these: the dashboard work must not change them."""
    with db.connect(sample_db, read_only=True) as con:
        f = Filters(companies=("Brightwater",))
        assert list(m.stage_summary(con, f).columns) == [
            "company", "stage", "mentions", "avg_sentiment", "negative_share", "positive_share"]
        assert list(m.weekly_trend(con, f).columns) == [
            "week", "company", "mentions", "candidate_mentions", "candidate_sentiment", "other_mentions",
            "brand_sentiment", "consumer_link_mentions"]
        assert list(m.theme_summary(con, f).columns) == [
            "company", "theme", "mentions", "avg_sentiment", "first_seen", "last_seen"]
        sql, _ = m.mentions_export_sql(f)
        assert "stage_sentiment" in sql and "analyzer_version" in sql


def test_a_report_writes_a_reading_that_rounds_to_zero_as_zero_not_minus_zero(con: duckdb.DuckDBPyConnection,
                                                                               tmp_path: Path) -> None:
    import csv

    from analysis.reports import write_reports

    rows = _Rows(con)
    rows.add(day=MONDAY, sentiment=-0.0, stages={"interview": -0.0002, "offer": -0.0})
    write_reports(con, tmp_path / "out", Filters())
    with (tmp_path / "out" / "mentions.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["sentiment"], row["stage_sentiment"]) == ("0.0", "interview=0.0;offer=0.0")


def _same(a: Any, b: Any) -> None:
    """Equal frames; floats may differ in the last bits (parallel sums)."""
    assert list(a.columns) == list(b.columns)
    left, right = a.reset_index(drop=True), b.reset_index(drop=True)
    assert len(left) == len(right)
    for column in left.columns:
        if left[column].dtype.kind == "f":
            assert left[column].fillna(-999).to_numpy() == pytest.approx(right[column].fillna(-999).to_numpy(), rel=1e-9)
        else:
            assert left[column].astype(str).tolist() == right[column].astype(str).tolist(), column


def _bundles_match(con: duckdb.DuckDBPyConnection, wave: Filters, peers: Filters) -> None:
    """Every view bundle gives the figures of the single queries on the facts view."""
    same = _same
    bundle = m.overview_bundle(con, wave)
    same(bundle["overview"], m.period_overview(con, wave))
    same(bundle["stages"], m.period_stage_index(con, wave))
    same(bundle["themes"], m.period_theme_change(con, wave))
    bundle = m.journey_bundle(con, wave)
    same(bundle["journey"], m.stage_journey(con, wave))
    same(bundle["matrix"], m.stage_theme_matrix(con, wave))
    same(bundle["extremes"], m.stage_extremes(con, wave))
    bundle = m.trends_bundle(con, wave)
    same(bundle["weekly"], m.weekly_stage_spikes(con, wave))
    found = bundle["weekly"][bundle["weekly"]["is_spike"]]
    if not found.empty:
        same(bundle["drivers"], m.week_drivers(con, wave, list(zip(found["week"], found["stage"]))))
    bundle = m.competitors_bundle(con, peers)
    same(bundle["voice"], m.share_of_voice(con, peers))
    same(bundle["stages"], m.company_stage_net(con, peers))
    bundle = m.themes_bundle(con, wave, theme="ghosting")
    same(bundle["themes"], m.period_theme_change(con, wave))
    same(bundle["posts"], m.theme_posts(con, wave, "ghosting", limit=30))
    bundle = m.brand_bundle(con, wave, window_since=date(2025, 6, 1))
    same(bundle["weekly"], m.weekly_brand_candidate(con, wave))
    same(bundle["lags"], m.brand_lag_correlation(con, Filters(companies=wave.companies, since=date(2025, 6, 1),
                                                              until=wave.until, sources=wave.sources,
                                                              stages=wave.stages)))
    no_stage = Filters(companies=wave.companies, since=wave.since, until=wave.until, sources=wave.sources)
    same(bundle["posts"], m.consumer_link_posts(con, no_stage))
    same(m.mentions_bundle(con, wave, limit=40)["mentions"], m.mention_search(con, wave, limit=40))
    browse = m.mentions_bundle(con, wave, limit=40, explain=False)["mentions"]
    same(browse.drop(columns="explanation"), m.mention_search(con, wave, limit=40).drop(columns="explanation"))
    assert browse["explanation"].iloc[0] == m.explanation(con, browse["id"].iloc[0])
    assert browse["explanation"].iloc[1:].isna().all()
    same(m.mentions_bundle(con, wave, search="ghosted")["mentions"], m.mention_search(con, wave, search="ghosted"))
    sure = m.mentions_bundle(con, wave, limit=40, sure_only=True)["mentions"]
    same(sure, m.mention_search(con, wave, limit=40, sure_only=True))
    assert 0 < sure["total"].iloc[0] < browse["total"].iloc[0] and (sure["sentiment_confidence"] >= 0.9).all()
    assert m.filter_choices(con) == m.filter_options(con)


WAVE_FILTERS = Filters(companies=("Brightwater",), since=date(2026, 1, 1), until=date(2026, 3, 31),
                       sources=("forum", "survey"))
PEER_FILTERS = Filters(companies=("Brightwater", "Fernhill Market"), since=WAVE_FILTERS.since,
                       until=WAVE_FILTERS.until, stages=("interview",))


def test_view_bundles_match_the_single_metrics(sample_db: Path) -> None:
    """The bundles read the materialised facts and give the same figures as the facts view."""
    with db.connect(sample_db, read_only=True) as con:
        assert m.source_for(con) is m.FACTS
        _bundles_match(con, WAVE_FILTERS, PEER_FILTERS)
        staged = Filters(companies=("Brightwater",), since=date(2025, 11, 1), until=date(2026, 3, 31),
                         stages=("interview", "rejection"))
        _bundles_match(con, staged, Filters(companies=("Brightwater", "Cobalt Outfitters"), since=staged.since,
                                            until=staged.until))
        for filters in (WAVE_FILTERS, staged, Filters(companies=("Brightwater",), since=WAVE_FILTERS.since,
                                                      until=WAVE_FILTERS.until)):
            # Trends and Brand impact count the same candidate posts in the period's first, part week
            trends, brand = m.trends_bundle(con, filters)["weekly"], m.brand_bundle(con, filters)["weekly"]
            first = trends[trends["stage"] == "all"].iloc[0]
            assert first["mentions"] == brand["candidate_mentions"].iloc[0] > 0
            assert first["net_sentiment"] == pytest.approx(brand["candidate_net_sentiment"].iloc[0])


def test_stale_facts_are_not_read(sample_db: Path) -> None:
    """A write that bypasses hirepulse.db (as the collectors' deleted-upstream re-check does)
    makes the bundles read the facts view until analyze rebuilds the facts."""
    with db.connect(sample_db) as con:
        gone = con.execute("""SELECT id FROM facts WHERE company = 'Brightwater' AND source = 'forum'
                              AND published_at >= '2026-01-01' AND published_at < '2026-04-01' LIMIT 5""").fetchall()
        ids = [r[0] for r in gone]
        con.execute("DELETE FROM analysis_stages WHERE list_contains(?, mention_id)", [ids])
        con.execute("DELETE FROM analysis WHERE list_contains(?, mention_id)", [ids])
        con.execute("DELETE FROM mentions WHERE list_contains(?, id)", [ids])
    with db.connect(sample_db, read_only=True) as con:
        assert m.source_for(con) is m.VIEW
        _bundles_match(con, WAVE_FILTERS, PEER_FILTERS)
        stale = int(m.overview_bundle(con, WAVE_FILTERS)["overview"].set_index("period").loc["current", "mentions"])
    from analysis.pipeline import analyze_pending
    analyze_pending(sample_db)
    with db.connect(sample_db, read_only=True) as con:
        assert m.source_for(con) is m.FACTS
        assert int(m.overview_bundle(con, WAVE_FILTERS)["overview"].set_index("period").loc["current", "mentions"]) == stale
        _bundles_match(con, WAVE_FILTERS, PEER_FILTERS)


def test_forget_and_purge_change_the_dashboard_figures(sample_db: Path) -> None:
    """Erasure and retention reach the materialised facts at once: the bundles' figures move."""
    everyone = Filters(companies=("Brightwater",))

    def mentions() -> int:
        with db.connect(sample_db, read_only=True) as con:
            assert m.source_for(con) is m.FACTS
            overview = m.overview_bundle(con, everyone)["overview"]
            return int(overview.set_index("period").loc["current", "mentions"])

    before = mentions()
    with db.connect(sample_db) as con:
        key, count = con.execute("""SELECT m.author_key, count(*) FROM mentions m JOIN facts f ON f.id = m.id
                                    WHERE f.company = 'Brightwater' AND m.author_key IS NOT NULL
                                    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""").fetchone()
        assert db.forget_author(con, key, salt=SAMPLE_SALT) >= count
    assert mentions() == before - count
    with db.connect(sample_db) as con:
        oldest = con.execute("SELECT min(published_at) FROM fact_mentions WHERE company = 'Brightwater'").fetchone()[0]
        days = (datetime.now(timezone.utc) - oldest).days - 30
        db.purge_older_than(con, days)
        purged = con.execute("SELECT count(*) FROM facts WHERE company = 'Brightwater'").fetchone()[0]
    assert mentions() == purged < before - count
