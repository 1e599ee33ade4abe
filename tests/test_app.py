"""The dashboard through Streamlit's AppTest, on a real DuckDB file built from the sample.

Every view is opened through ``app.py`` (the frame) with ``switch_page``; each test asserts
``not at.exception`` first, then what a person would look for. The lock tests hold a real write
connection in another process, because DuckDB locking is a file matter.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.metrics import Filters
from analysis.scoring import STAGE_LABELS
from hirepulse import db

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
RUN_TIMEOUT = 60
WAVE = (date(2026, 1, 1), date(2026, 3, 31))          # the sample's ghosting wave
VIEWS = ("overview", "journey", "trends", "themes", "competitors", "brand_impact", "mentions", "health")
DATA_VIEWS = VIEWS[:-1]

if str(REPO) not in sys.path:  # the views' helpers import as `pages._loaders`, like app.py does
    sys.path.insert(0, str(REPO))


@pytest.fixture
def app_env(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HIREPULSE_DB", str(sample_db))
    monkeypatch.setenv("HIREPULSE_CONFIG", str(SAMPLE_CONFIG))
    return sample_db


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


def _open(page: str, *, period: tuple[date, date] | None = WAVE) -> AppTest:
    """Run the frame, pick the period, switch to ``pages/<page>.py`` and run it."""
    _clear_caches()
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT).run()
    assert not at.exception, at.exception
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    if period is not None:
        at.date_input(key="period").set_value(period).run()
        assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    """All visible text of the main area and sidebar that AppTest exposes, as one string."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error")
             for e in getattr(at, kind)]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def _downloads(at: AppTest) -> int:
    return len(at.get("download_button"))


# --------------------------------------------------------------------------- every view renders

@pytest.mark.parametrize("page", VIEWS)
def test_every_view_renders_with_title_and_downloads(app_env: Path, page: str) -> None:
    at = _open(page)
    assert len(at.title) == 1
    assert not at.error
    if page in DATA_VIEWS:
        assert _downloads(at) >= 1, "every chart and table has a CSV download"
        assert "Brightwater" in at.caption[0].value


def test_sidebar_offers_company_competitors_period_sources_stages(app_env: Path) -> None:
    at = _open("overview")
    assert at.selectbox(key="company").value == "Brightwater"
    assert at.multiselect(key="competitors_Brightwater").value == ["Cobalt Outfitters", "Fernhill Market"]
    assert at.date_input(key="period").value == WAVE
    assert at.multiselect(key="sources").options
    assert "Interview" in at.multiselect(key="stages").options


def test_overview_kpis_deltas_summary_and_stage_index(app_env: Path) -> None:
    at = _open("overview")
    labels = [m.label for m in at.metric]
    for label in ("Mentions", "Net sentiment (−100 to +100)", "Candidate sentiment (−100 to +100)",
                  "Resentment proxy (%)", *STAGE_LABELS.values()):
        assert label in labels
    assert all(m.delta for m in at.metric[:3]), "headline figures carry their change"
    # the tone figures say they are machine readings, and how often those match a careful reader
    tone_help = [m.proto.help for m in at.metric if "sentiment" in m.label]
    assert len(tone_help) == 2 and all("machine reading" in h and "six real posts in ten" in h for h in tone_help)
    # the candidate figure says where its level sits against careful readers, and why
    candidate_help = next(m.proto.help for m in at.metric if m.label.startswith("Candidate sentiment"))
    assert "ten points below" in candidate_help and "leans negative on purpose" in candidate_help
    # the consumer link is being, or no longer being, a customer: a fan who applied counts, not only one who left
    resentment_help = next(m.proto.help for m in at.metric if m.label == "Resentment proxy (%)")
    assert "being, or no longer being, the company's customer" in resentment_help
    summary = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert "Mentions" in summary and "previous period" in summary.replace("\\", "")
    assert _charts(at) == 1


def test_filters_change_the_numbers(app_env: Path) -> None:
    at = _open("overview")
    everything = int(_metric(at, "Mentions").replace(",", ""))
    at.multiselect(key="sources").set_value(["survey"]).run()
    assert not at.exception
    survey_only = int(_metric(at, "Mentions").replace(",", ""))
    assert 0 < survey_only < everything
    at.multiselect(key="sources").set_value([]).run()
    at.selectbox(key="company").set_value("Fernhill Market").run()
    assert not at.exception
    assert int(_metric(at, "Mentions").replace(",", "")) != everything
    assert "Fernhill Market" in at.caption[0].value


def test_stage_filter_narrows_the_journey(app_env: Path) -> None:
    at = _open("journey")
    assert "Worst and best posts per stage" in _texts(at)
    stages_before = len(at.button_group(key="journey_stage").options)
    at.multiselect(key="stages").set_value(["interview"]).run()
    assert not at.exception
    picker = at.button_group(key="journey_stage")
    assert len(picker.options) == 1 < stages_before
    assert picker.value == "interview"


def test_journey_has_stage_charts_heat_map_and_posts(app_env: Path) -> None:
    at = _open("journey")
    assert _charts(at) == 3
    assert at.button_group(key="journey_stage").value == "application"
    assert "Open the source post" in _texts(at)
    at.button_group(key="journey_stage").set_value("rejection").run()
    assert not at.exception
    assert "Stage sentiment" in _texts(at)
    # the stage tones say they are a machine reading, and how often a careful reader agrees
    assert any("machine reading" in c.value and "six stages in ten" in c.value for c in at.caption)


def test_trends_marks_the_ghosting_wave_spike(app_env: Path) -> None:
    at = _open("trends")
    assert _charts(at) == 2
    spikes = at.dataframe[0].value
    assert list(spikes.columns[:3]) == ["Week starting", "Stage", "Mentions"]
    assert any(d.month == 2 for d in spikes["Week starting"]), "late-February peak of the sample's wave"
    assert spikes["Top themes that week"].str.len().gt(1).all()


def test_themes_ranks_complaints_and_praise_and_shows_posts(app_env: Path) -> None:
    at = _open("themes")
    assert {"Complaints", "Praise", "Posts by theme"} <= {s.value for s in at.subheader}
    # the themes say they are a machine reading, and how often a careful reader agrees
    assert any("machine reading" in c.value and "one theme in three" in c.value for c in at.caption)
    at.button_group(key="theme_rank").set_value("Change").run()
    assert not at.exception
    posts = at.dataframe[-1].value
    assert list(posts.columns) == ["Date", "Company", "Source", "Sentiment (−100 to +100)", "Post", "Link"]
    assert len(posts) > 0


def test_competitors_share_of_voice_and_stage_heat_map(app_env: Path) -> None:
    at = _open("competitors")
    share = at.dataframe[0].value
    assert set(share["Company"]) == {"Brightwater", "Cobalt Outfitters", "Fernhill Market"}
    assert share["Share (%)"].sum() == pytest.approx(100, abs=0.5)
    assert _charts(at) == 3
    at.multiselect(key="competitors_Brightwater").set_value([]).run()
    assert not at.exception
    assert "No competitors selected" in _texts(at)


def test_brand_impact_series_correlation_and_stopped_customers(app_env: Path) -> None:
    at = _open("brand_impact")
    text = _texts(at)
    assert "Hiring experiences tied to being a customer" in text
    # the reading's reach on real posts is said where the posts are shown
    assert any("machine reading" in c.value and "half as many as a careful reader" in c.value for c in at.caption)
    assert "Strongest link" in text or "Not enough weeks" in text
    assert _charts(at) >= 1
    assert "Open the source post" in text


def test_mentions_search_filters_rows_and_explains_scores(app_env: Path) -> None:
    at = _open("mentions")
    rows = at.dataframe[0].value
    assert "Post" in rows.columns and "Link" in rows.columns
    assert not any("_" in c for c in rows.columns), "human column names only"
    assert "Tied to being a customer" in rows.columns and "Stopped being a customer" not in rows.columns
    at.text_input(key="mention_search").set_value("ghosted").run()
    assert not at.exception
    found = at.dataframe[0].value
    assert 0 < len(found) < len(rows)
    assert found["Post"].str.lower().str.contains("ghosted").all()
    assert "Scored sentences" in _texts(at)
    at.text_input(key="mention_search").set_value("no post says this zzzz").run()
    assert not at.exception
    assert "No posts match" in _texts(at)


def test_health_lists_every_source_with_next_run(app_env: Path) -> None:
    at = _open("health")
    table = at.dataframe[0].value
    assert {"Source", "Last success", "Last error", "Posts stored", "Next scheduled run"} <= set(table.columns)
    assert "Hacker News" in set(table["Source"])


def test_post_text_is_escaped_not_rendered(app_env: Path) -> None:
    from pages._ui import escape_md, safe_url

    assert escape_md("**bold** <script>x</script> [a](javascript:x) $x$") == (
        "\\*\\*bold\\*\\* \\<script\\>x\\</script\\> \\[a\\]\\(javascript\\:x\\) \\$x\\$")
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"


# --------------------------------------------------------------------------- empty and missing data

@pytest.mark.parametrize("page", VIEWS)
def test_empty_database_shows_an_empty_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    path = tmp_path / "empty.duckdb"
    with db.connect(path):
        pass
    monkeypatch.setenv("HIREPULSE_DB", str(path))
    monkeypatch.setenv("HIREPULSE_CONFIG", str(SAMPLE_CONFIG))
    at = _open(page, period=None)
    assert not at.error
    assert at.info, "an empty state explains what to do"
    if page != "health":
        assert "No mentions yet" in _texts(at)


def test_filter_with_no_rows_shows_an_empty_state(app_env: Path) -> None:
    at = _open("overview")
    at.multiselect(key="stages").set_value(["onboarding"]).run()
    at.multiselect(key="sources").set_value(["news"]).run()
    assert not at.exception
    at.date_input(key="period").set_value((date(2025, 5, 1), date(2025, 5, 2))).run()
    assert not at.exception
    assert "No mentions match" in _texts(at) or "No candidate experiences" in _texts(at)


@pytest.mark.parametrize("page", VIEWS)
def test_missing_database_shows_a_friendly_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    monkeypatch.setenv("HIREPULSE_DB", str(tmp_path / "nowhere.duckdb"))
    monkeypatch.setenv("HIREPULSE_CONFIG", str(SAMPLE_CONFIG))
    at = _open(page, period=None)
    assert not at.error
    assert "No data yet" in _texts(at)
    assert "hirepulse demo" in _texts(at)


def test_invalid_config_is_a_note_not_a_crash(app_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[companies]]\nname = 3\n", encoding="utf-8")
    monkeypatch.setenv("HIREPULSE_CONFIG", str(bad))
    at = _open("overview")
    assert "configuration cannot be used" in _texts(at)
    assert _metric(at, "Mentions")


# --------------------------------------------------------------------------- a writer holds the lock

_HOLD = """
import sys, time
from hirepulse import db
with db.connect(sys.argv[1]) as con:
    con.execute("SELECT 1")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process opens the database for writing and keeps it for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    proc.wait(timeout=30)
    if proc.stdout is not None:
        proc.stdout.close()


def test_loader_waits_for_a_short_write_and_returns_data(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pages import _loaders as loaders

    monkeypatch.setenv(loaders.LOCK_BUDGET_ENV, "20")
    _clear_caches()
    holder = _hold_write_lock(app_env, 2.0)
    try:
        started = time.monotonic()
        overview = loaders.load_overview(Filters(companies=("Brightwater",), since=WAVE[0], until=WAVE[1]))["overview"]
        waited = time.monotonic() - started
    finally:
        _release(holder)
    assert waited > 0.5, "the loader had to wait for the writer"
    assert int(overview.loc[overview["period"] == "current", "mentions"].iloc[0]) > 0


def test_lock_held_past_the_budget_shows_the_friendly_message(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pages import _loaders as loaders

    monkeypatch.setenv(loaders.LOCK_BUDGET_ENV, "0.5")
    _clear_caches()
    holder = _hold_write_lock(app_env, 8.0)
    try:
        at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT).run()
        assert not at.exception
        assert not at.error
        assert "The database is busy" in _texts(at)
    finally:
        holder.kill()
        _release(holder)


def test_forgetting_an_author_changes_the_dashboard_at_once(app_env: Path) -> None:
    """Erasure reaches the dashboard's materialised facts and its caches: the next rerun shows it."""
    at = _open("overview")
    before = int(_metric(at, "Mentions").replace(",", ""))
    with db.connect(app_env) as con:
        key, count = con.execute("""
            SELECT m.author_key, count(*) FROM mentions m JOIN facts f ON f.id = m.id
            WHERE f.company = 'Brightwater' AND m.author_key IS NOT NULL
              AND f.published_at >= ? AND f.published_at < ?
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1
        """, [WAVE[0], WAVE[1] + timedelta(days=1)]).fetchone()
        db.forget_author(con, key)
    at.run()
    assert not at.exception, at.exception
    assert int(_metric(at, "Mentions").replace(",", "")) == before - count


def test_downloads_neutralise_spreadsheet_formulas_in_text_columns() -> None:
    """pandas 3 keeps text in ``str`` columns, not ``object`` ones: both are neutralised."""
    import pandas as pd

    from pages._ui import csv_bytes

    text = csv_bytes(pd.DataFrame({"Post": ["=HYPERLINK(\"http://x.example\")", "fine", "@SUM(A1)"], "Mentions": [1, 2, 3],
                                   "Old": pd.Series(["+1", "x", None], dtype=object)})).decode()
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+1" in text and "\nfine," in text
