"""The dashboard through Streamlit's AppTest, on a real DuckDB file built from the sample.

Every view is opened through ``app.py`` (the frame) with ``switch_page``; each test asserts
``not at.exception`` first, then what a person would look for. The lock tests hold a real write
connection in another process, because DuckDB locking is a file matter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, timedelta, timezone
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.metrics import Filters, next_to_label
from analysis.scoring import STAGE_LABELS
from conftest import SAMPLE_SALT
from hirepulse import db

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
RUN_TIMEOUT = 60
WAVE = (date(2026, 1, 1), date(2026, 3, 31))          # the sample's ghosting wave
VIEWS = ("overview", "journey", "trends", "themes", "competitors", "brand_impact", "mentions", "health", "labelling")
DATA_VIEWS = tuple(v for v in VIEWS if v != "health")

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


_SPIKE_CARD = re.compile(r"\*\*(?P<day>\d+ \w+ \d{4}) · (?P<stage>[^*]+)\*\*  \n(?P<mentions>[\d,]+) mentions, usually "
                         r"(?P<usual>[\d.]+) a week · net sentiment (?P<net>\S+)  \nThemes: (?P<themes>.*)  \n"
                         r"Stages: (?P<stages>.*)")


def _spikes(at: AppTest) -> pd.DataFrame:
    """The Trends view's spike cards, read back as the table their download holds."""
    rows = [m.groupdict() for m in (_SPIKE_CARD.fullmatch(md.value) for md in at.markdown) if m]
    return pd.DataFrame({
        "Week starting": [pd.Timestamp(r["day"]).date() for r in rows],
        "Stage": [r["stage"] for r in rows],
        "Mentions": [int(r["mentions"].replace(",", "")) for r in rows],
        "Usual weekly mentions": [float(r["usual"]) for r in rows],
        "Top themes": [r["themes"] for r in rows],
        "Top stages": [r["stages"] for r in rows],
    })


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
                  "Customer-tied complaints", *STAGE_LABELS.values()):
        assert label in labels
    assert all(m.delta for m in at.metric[:3]), "headline figures carry their change"
    # the tone figures say they are machine readings, and how often those match a careful reader
    tone_help = [m.proto.help for m in at.metric if "sentiment" in m.label]
    assert len(tone_help) == 3 and all("machine reading" in h and "six real posts in ten" in h for h in tone_help)
    # the candidate figure says where its level sits against careful readers, and why
    candidate_help = next(m.proto.help for m in at.metric if m.label.startswith("Candidate sentiment"))
    assert "twenty points below" in candidate_help and "leans negative on purpose" in candidate_help
    # plain words first: no version in mid-sentence, no internal "mix" or "proxy"
    assert all("(analyzer 2." not in h and "acting on it (agreement measured with analyzer version 2.78)." in h
               for h in tone_help)
    assert "posts' mix" not in candidate_help and "balance of negative, neutral and positive" in candidate_help
    # the consumer link is being, or no longer being, a customer: a fan who applied counts, not only one who left
    resentment_help = next(m.proto.help for m in at.metric if m.label == "Customer-tied complaints")
    assert "being, or no longer being, the company's customer" in resentment_help and "proxy" not in resentment_help
    summary = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert "Mentions" in summary and "previous period" in summary.replace("\\", "")
    assert _charts(at) == 1
    # the period's spikes, as the Trends view lists them: how many weeks, and the one furthest above usual
    trends = _spikes(_open("trends"))
    ratio = trends["Mentions"] / trends["Usual weekly mentions"].clip(lower=1)
    top = trends.loc[ratio.idxmax()]
    weeks = trends["Week starting"].nunique()
    what = "candidate posts" if top["Stage"] == "All candidate experiences" else f"posts on the {top['Stage']} stage"
    day = f"{top['Week starting'].day} {top['Week starting']:%b %Y}"
    lead = "A spike in the week of" if weeks == 1 else f"Spikes in {weeks} weeks; the furthest above usual in the week of"
    assert f"{lead} {day}: {top['Mentions']} {what}, usually {top['Usual weekly mentions']:.0f} " in (
        summary.replace("\\", ""))
    # the report's summary.md says what the Overview says, for the same company and period
    from hirepulse.cli import main

    out = app_env.parent / "report"
    assert main(["report", "--db", str(app_env), "--out", str(out), "--company", "Brightwater",
                 "--since", WAVE[0].isoformat(), "--until", WAVE[1].isoformat()]) == 0
    written = (out / "summary.md").read_text(encoding="utf-8").split("## Brightwater\n\n", 1)[1].strip()
    assert written == summary.replace("\\", "").strip()


def test_overview_shows_the_consumer_brand_as_competitors_and_brand_impact_read_it(app_env: Path) -> None:
    from analysis.metrics import period_overview

    at = _open("overview")
    card = next(m for m in at.metric if m.label == "Consumer brand sentiment (−100 to +100)")
    share = _open("competitors").dataframe[0].value.set_index("Company")
    assert card.value == f"{share.loc['Brightwater', 'Consumer brand sentiment (−100 to +100)']:+.0f}"
    with db.connect(app_env, read_only=True) as con:
        periods = period_overview(con, Filters(companies=("Brightwater",), since=WAVE[0], until=WAVE[1]))
    brand = periods.set_index("period")["brand_net_sentiment"]
    assert brand["current"] < brand["previous"] - 10, "the sample's brand fell in the wave"
    assert card.delta == f"{brand['current'] - brand['previous']:+.0f}"
    assert card.proto.color == card.proto.MetricColor.RED and "not a candidate experience" in card.proto.help
    # a stage filter narrows the candidate experiences only: the consumer brand stays whole, and says so
    whole = card.value
    at.multiselect(key="stages").set_value(["offer"]).run()
    card = next(m for m in at.metric if m.label == "Consumer brand sentiment (−100 to +100)")
    assert card.value == whole and "a stage filter leaves it whole" in card.proto.help


def test_overview_fades_thin_stage_bars_and_shows_no_change_as_neutral(app_env: Path) -> None:
    from pages import _ui as ui

    at = _open("overview", period=None)
    at.selectbox(key="company").set_value("Fernhill Market").run()
    assert not at.exception
    spec, bars = _drawn(at)[0]
    assert spec["layer"][0]["encoding"]["opacity"] == {
        "condition": {"test": f"datum['Mentions'] < {ui.THIN_MENTIONS}", "value": 0.3}, "value": 1.0}
    assert (bars["Mentions"] < ui.THIN_MENTIONS).any() and (bars["Mentions"] >= ui.THIN_MENTIONS).any()
    assert any(f"Pale bars rest on fewer than {ui.THIN_MENTIONS} posts" in c.value for c in at.caption)
    # a change of nothing is neither red nor green, nor arrowed
    unchanged = [m for m in at.metric if m.delta and m.delta.lstrip("+-").split(" ")[0] == "0"]
    assert any(m.label == "Customer-tied complaints" for m in unchanged), "the sample's Fernhill: 0% and 0% before"
    for m in unchanged:
        assert not m.delta.startswith(("+", "-")), m.label
        assert m.proto.color == m.proto.MetricColor.GRAY and m.proto.direction == m.proto.MetricDirection.NONE, m.label


def test_overview_says_no_complaint_for_a_period_without_one(app_env: Path) -> None:
    at = _open("overview", period=(date(2026, 6, 1), date(2026, 6, 4)))
    assert not at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("- ")).replace("\\", "")
    assert "Mentions fell" in summary and "(0 posts)" not in summary and "complaint" not in summary


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
    # how sure a reading is belongs to the whole post's tone, not to a stage's: the stage cards do not say it
    cards = [c.value for c in at.caption if "Stage sentiment" in c.value]
    assert cards and not any(re.search(r", (un)?sure \(", c) for c in cards)
    # the stage tones say they are a machine reading, and how often a careful reader agrees
    assert any("machine reading" in c.value and "seven stages in ten" in c.value for c in at.caption)


def test_trends_marks_the_ghosting_wave_spike(app_env: Path) -> None:
    from analysis.metrics import SPIKE_BASELINE_WEEKS, SPIKE_MIN_COUNT, SPIKE_SIGMA

    at = _open("trends")
    assert _charts(at) == 2
    # what a spike is, in plain words; the statistics behind it in the intro's help
    intro = next(m for m in at.markdown if "is a **spike**" in m.value)
    assert f"clearly more mentions than usual: at least {SPIKE_MIN_COUNT}" in intro.value
    assert "standard deviation" not in intro.value and "mean" not in intro.value
    assert f"mean plus {SPIKE_SIGMA:g} standard deviations of the previous {SPIKE_BASELINE_WEEKS} weeks" in intro.proto.help
    spikes = _spikes(at)   # a card per spike, so the driver lists wrap instead of running off the page
    assert len(spikes) == sum("mentions, usually" in m.value for m in at.markdown) > 0
    assert not at.table and not at.dataframe
    assert any(d.month == 2 for d in spikes["Week starting"]), "late-February peak of the sample's wave"
    assert spikes["Top themes"].str.len().gt(1).all()
    # a single stage's spike is explained by its own posts: its stage leads its stages, at the spike's count
    # (a Screening spike explained by the whole week's Rejection and Interview posts explained nothing)
    staged = spikes[spikes["Stage"] != "All candidate experiences"]
    assert {"Screening", "Rejection / no response"} <= set(staged["Stage"])
    for _, row in staged.iterrows():
        assert f"{row['Stage']} ({row['Mentions']})" in row["Top stages"].split(", ")
    assert any("that week's posts on the stage" in c.value for c in at.caption)
    # the volume chart's note points at the single-stage spikes hidden under "All": the cards below hold them
    hidden = len(staged)
    note = next(c.value for c in at.caption if c.value.startswith("Red triangles mark spikes."))
    assert f" {hidden} more spike{'' if hidden == 1 else 's'} on single stages: see By stage and the cards below." in note


def test_themes_ranks_complaints_and_praise_and_shows_posts(app_env: Path) -> None:
    at = _open("themes")
    assert {"Complaints", "Praise", "Posts by theme"} <= {s.value for s in at.subheader}
    # the themes say they are a machine reading, and how often a careful reader agrees
    assert any("machine reading" in c.value and "one theme in three" in c.value and "one in two" in c.value
               for c in at.caption)
    at.button_group(key="theme_rank").set_value("Change").run()
    assert not at.exception
    posts = at.dataframe[-1].value
    assert list(posts.columns) == ["Date", "Company", "Source", "Sentiment (−100 to +100)", "Tone reading", "Post",
                                   "Link"]
    assert len(posts) > 0 and posts["Tone reading"].str.fullmatch(r"(Sure|Unsure) \((\d{1,3}|under 50)%\)").all()


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
    assert any("machine reading" in c.value and "as many as a careful reader" in c.value and "three in five" in c.value
               for c in at.caption)
    assert "Strongest link" in text or "No delay stands out" in text or "Not enough weeks" in text
    # the correlation says in words what its scale means; its statistical name is in the help, for analysts
    [scale] = [c for c in at.caption if c.value.startswith("Each bar says how closely consumer-brand sentiment")]
    assert "near 0, no link" in scale.value and "Pearson correlation" in scale.proto.help
    assert "lag" not in text.lower().replace("flag", "")
    assert _charts(at) >= 1
    assert "Open the source post" in text
    # each post says how sure its tone reading is: the three cards by their sentiment, the table in a column
    cards = [c.value.replace("\\", "") for c in at.caption if "Sentiment " in c.value and "·" in c.value]  # (unescaped)
    assert len(cards) == 3 and all(re.search(r"Sentiment [+-]?\d+, (un)?sure \((\d{1,3}|under 50)%\)$", c) for c in cards)
    posts = at.dataframe[-1].value
    assert posts["Tone reading"].str.fullmatch(r"(Sure|Unsure) \((\d{1,3}|under 50)%\)").all()
    assert [c.rsplit(", ", 1)[1].capitalize() for c in cards] == posts["Tone reading"].head(3).tolist()


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
    # the explanation in plain words: the sentences, the words that set their tone, the analyzer's notes by topic
    assert "How each sentence read" in _texts(at) and "Scored sentences" not in _texts(at)
    sentences = at.dataframe[-1].value
    assert "Words that set its tone" in sentences.columns and "Lexicon terms" not in sentences.columns
    assert [e.label for e in at.expander] == ["How the analyzer decided, clue by clue"]
    notes = "\n".join(m.value for m in at.expander[0].markdown).replace("\\", "")
    assert "**Whether it is a candidate's own account**" in notes
    assert not re.search(r"\btheme [a-z]+_[a-z_]+\b", notes), "themes by their names, not their identifiers"
    at.text_input(key="mention_search").set_value("no post says this zzzz").run()
    assert not at.exception
    assert "No posts match" in _texts(at)


def test_the_analyzers_notes_on_a_post_are_grouped_by_what_they_decide_and_name_themes_by_label() -> None:
    from pages import _ui as ui

    notes = ["self cue 'my application' (+3)", "candidate score 5.0 - 0.0 = 5.0 -> candidate experience",
             "theme slow_process: lexicon:slow|sluggish",
             "theme model: the whole text does not report automated_rejection (p 0.00, most from 'offer')",
             "stage model: the whole text reports rejection (p 0.50), most from 'x'",
             "the writer's rating -> sentiment negative", "consumer cue (stay): keep shopping",
             "product cue 'customer service|support' (-1)", "a note of a kind not seen before"]
    assert ui.rules_by_topic(notes) == [
        ("Whether it is a candidate's own account", ["self cue 'my application' (+3)",
                                                     "candidate score 5.0 - 0.0 = 5.0 -> candidate experience",
                                                     "product cue 'customer service|support' (-1)"]),
        ("Its tone", ["the writer's rating -> sentiment negative"]),
        ("Its hiring stages", ["stage model: the whole text reports “Rejection / no response” (p 0.50), most from 'x'"]),
        ("Its themes", ["theme “Slow process”: lexicon:slow|sluggish",
                        "theme model: the whole text does not report “Automated / keyword rejection” (p 0.00, most "
                        "from 'offer')"]),
        ("Whether it ties hiring to being a customer", ["consumer cue (stay): keep shopping"]),
        ("Other notes", ["a note of a kind not seen before"])]


def test_a_rating_line_names_a_review_sites_verdict_by_its_word() -> None:
    from hirepulse.models import VERDICT_SCALE, VERDICTS
    from pages import _ui as ui

    assert {ui.VERDICT_WORDS[v] for v in VERDICTS.values()} == set(VERDICTS) and VERDICT_SCALE == 3.0
    assert ui.rating_line([1.0, 3.0]) == "The reviewer's own verdict, negative (1 of 3), set this post's sign."
    assert ui.rating_line([3, 3]).startswith("The reviewer's own verdict, positive (3 of 3)")
    assert ui.rating_line([4.5, 5.0]) == ("The reviewer's own rating, 4.5 of 5, set this post's sign (a rating "
                                          "imported with its scale).")
    assert ui.rating_line([2.5, 3.0]).startswith("The reviewer's own rating, 2.5 of 3")
    assert ui.rating_line(None) is None and ui.rating_line([]) is None


def test_mentions_say_when_a_reviewers_own_rating_set_the_sign(app_env: Path) -> None:
    # the sample's review export is imported with its 1-5 scale: each review's stars are read
    at = _open("mentions")
    at.text_input(key="mention_search").set_value("portal crashed twice and wiped everything").run()
    assert not at.exception
    found = at.dataframe[0].value
    assert found["Source"].iloc[0] == "Review site" and found["Sentiment (−100 to +100)"].iloc[0] < 0
    assert "The reviewer's own rating, 1 of 5, set this post's sign" in _texts(at)   # the newest, explained first
    at.text_input(key="mention_search").set_value("form that times out after 15 minutes").run()   # a forum post:
    assert not at.exception                                                                    # no rating, no line
    assert at.dataframe[0].value["Source"].iloc[0] == "Forums" and "The reviewer's own rating" not in _texts(at)


def test_mentions_show_how_sure_each_tone_reading_is_and_can_hide_the_unsure(app_env: Path) -> None:
    from analysis.tone_model import SURE

    wave = ("company = 'Brightwater' AND published_at >= TIMESTAMPTZ '2026-01-01 00:00:00+00' "
            "AND published_at < TIMESTAMPTZ '2026-04-01 00:00:00+00'")
    with db.connect(app_env) as con:   # the newest post as analysed before 2.80: no confidence stored
        newest = con.execute(f"SELECT id FROM facts WHERE {wave} ORDER BY published_at DESC, id LIMIT 1").fetchone()[0]
        con.execute("UPDATE analysis SET sentiment_confidence = NULL WHERE mention_id = ?", [newest])
        con.execute("UPDATE fact_mentions SET sentiment_confidence = NULL WHERE id = ?", [newest])
        second_id, second = con.execute(f"SELECT id, sentiment_confidence FROM facts WHERE {wave} "
                                        "ORDER BY published_at DESC, id LIMIT 1 OFFSET 1").fetchone()
    sure_posts = _count(app_env, f"SELECT count(*) FROM facts WHERE {wave} AND sentiment_confidence >= {SURE}")
    at = _open("mentions")
    rows = at.dataframe[0].value
    assert len(rows) == _count(app_env, f"SELECT count(*) FROM facts WHERE {wave}") > sure_posts > 0
    tones = rows["Tone reading"]
    assert pd.isna(tones.iloc[0])                                       # nothing stored: an empty cell
    assert tones.iloc[1:].str.fullmatch(r"(Sure|Unsure) \((\d{1,3}|under 50)%\)").all()
    assert (tones.iloc[1:].str.startswith("Sure ")).sum() == sure_posts and tones.str.startswith("Unsure ").any()
    assert tones.iloc[1] == f"{'Sure' if second >= SURE else 'Unsure'} ({int(second * 100 + 1e-6)}%)"
    assert "Tone reading: how sure it is was not stored for this post" in _texts(at)   # the post explained first
    _picker(at).set_value(second_id).run()
    assert not at.exception
    pct, word = int(second * 100 + 1e-6), "sure" if second >= SURE else "unsure"
    assert f", {word} \\({pct}%\\)" in _texts(at)                      # on the post's card (Markdown-escaped)
    # the line under it only where there is something to do: read an unsure post before quoting its tone
    assert (f"Tone reading: unsure ({pct}%) — check the post" in _texts(at)) == (second < SURE)
    assert "Tone reading: " not in _texts(at) or second < SURE
    at.toggle(key="mention_sure").set_value(True).run()
    assert not at.exception
    sure = at.dataframe[0].value
    assert len(sure) == sure_posts and sure["Tone reading"].str.startswith("Sure (").all()
    assert f"{sure_posts:,} matching posts." in _texts(at)
    at.text_input(key="mention_search").set_value("ghosted").run()     # the search keeps the filter
    assert not at.exception
    found = at.dataframe[0].value
    assert 0 < len(found) < sure_posts and found["Tone reading"].str.startswith("Sure (").all()


def _collection_table(at: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in at.dataframe if "Next scheduled run" in d.value.columns]
    return table


def test_health_lists_every_source_with_next_run(app_env: Path) -> None:
    at = _open("health")
    table = _collection_table(at)
    assert {"Source", "Last success", "Last error", "Posts stored", "Next scheduled run"} <= set(table.columns)
    assert "Hacker News" in set(table["Source"])
    assert "Why the last run stopped" not in table.columns        # no run stopped early: no empty column
    with db.connect(app_env) as con:   # a YouTube run that spent its daily budget
        db.record_run(con, "youtube", "collect", status="stopped", error="the daily_units budget of 2000 is spent")
    at = _open("health")
    table = _collection_table(at).set_index("Source")
    assert table.loc["YouTube", "Last run"] == "⏹ Stopped"
    assert table.loc["YouTube", "Why the last run stopped"] == "the daily_units budget of 2000 is spent"
    assert table.loc["Hacker News", "Why the last run stopped"] == ""
    # the analysis: the analyzer as installed, every sample post read by it
    metrics = {m.label: m.value for m in at.metric}
    total = f"{_count(app_env, 'SELECT count(*) FROM mentions'):,}"
    assert metrics["Analyzer in use"] == "As installed" and metrics["Posts it has read"] == f"{total} of {total}"
    assert metrics["Posts waiting to be read"] == "0" and not any("not been read" in w.value for w in at.warning)
    # plain words lead; the exact version follows them, and sits in the figure's help, never as the headline
    from analysis.scoring import ANALYZER_VERSION

    line = next(c.value.replace("\\", "") for c in at.caption if c.value.startswith("Posts are read by"))
    assert line == f"Posts are read by the analyzer as installed with hirepulse. Version {ANALYZER_VERSION}."
    assert f"Exact version: {ANALYZER_VERSION}." in next(m.proto.help for m in at.metric if m.label == "Analyzer in use")
    text = _plain(at)
    assert "Readings in use" not in text and "Shipped" not in text and "shipped (" not in text
    schedule = next(c for c in _collection_table(at).columns if c.startswith("Schedule"))
    assert schedule == "Schedule (UTC)"


def test_health_shows_a_collection_whose_process_is_gone_as_interrupted(app_env: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])   # (a `collect` killed midway: its process is gone)
    assert ended.wait(timeout=60) == 0
    with db.connect(app_env) as con:
        for source in ("hackernews", "stackexchange"):
            db.start_run(con, source, "collect")   # (this process's: it still runs)
        con.execute("UPDATE runs SET pid = ? WHERE source = 'hackernews' AND status = 'running'", [ended.pid])
    table = _collection_table(_open("health")).set_index("Source")
    assert table.loc["Hacker News", "Last run"] == "⚠️ Interrupted"
    assert table.loc["Hacker News", "Why the last run stopped"] == "the process ended before the run finished"
    assert table.loc["Stack Exchange", "Last run"] == "⏳ Running"


def test_health_shows_the_latest_imports_and_a_refused_file_until_it_is_fixed(app_env: Path) -> None:
    at = _open("health")
    imports = next(d.value for d in at.dataframe if "Why refused" in d.value.columns)
    demo_files = _count(app_env, "SELECT count(*) FROM runs WHERE kind = 'import'")
    assert len(imports) == demo_files > 0 and set(imports["Result"]) == {"✅ OK"}
    assert {m.label: m.value for m in at.metric}["Refused, waiting for a fix"] == "0" and not at.error
    with db.connect(app_env) as con:   # a watched folder's export stopped at a bad row
        db.record_run(con, "survey", "import", status="error", error="survey.csv, row 7, column 'step': unknown "
                      "stage 'Coffee Chat'", detail={"file": "survey.csv", "folder": "/srv/drop", "sha256": "a"})
    at = _open("health")
    assert {m.label: m.value for m in at.metric}["Refused, waiting for a fix"] == "1"
    [error] = [e.value.replace("\\", "") for e in at.error]   # (Markdown-escaped)
    assert (error.startswith("**survey.csv** (Candidate survey, ")
            and "was refused: survey.csv, row 7, column 'step'" in error)
    latest = next(d.value for d in at.dataframe if "Why refused" in d.value.columns).iloc[0]
    assert (latest["File"], latest["Source"], latest["Result"]) == ("survey.csv", "Candidate survey", "❌ Error")
    with db.connect(app_env) as con:   # fixed: the folder's next read stores it
        db.record_run(con, "survey", "import", status="ok", new=40,
                      detail={"file": "survey.csv", "folder": "/srv/drop", "sha256": "b"})
    at = _open("health")
    assert {m.label: m.value for m in at.metric}["Refused, waiting for a fix"] == "0" and not at.error


def test_health_shows_a_failed_report_until_one_works(app_env: Path) -> None:
    at = _open("health")
    assert not at.error and "No report has been recorded yet" in _plain(at)
    with db.connect(app_env) as con:   # the scheduler's weekly report met a reports folder it cannot write
        db.record_run(con, "reports", "report", status="error", error="reports/2026-03-02: Read-only file system",
                      detail={"out": "reports/2026-03-02"})
    at = _open("health")
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert error.startswith("**The last report failed** (") and "reports/2026-03-02: Read-only file system" in error
    with db.connect(app_env) as con:
        db.record_run(con, "reports", "report", status="ok", detail={"out": "reports/2026-03-09"})
    at = _open("health")
    assert not at.error and "The last report was written" in _plain(at) and "reports/2026-03-09" in _plain(at)


def test_health_says_how_many_posts_wait_for_the_readings_in_use(app_env: Path) -> None:
    with db.connect(app_env) as con:
        con.execute("UPDATE analysis SET analyzer_version = 'old' WHERE mention_id IN "
                    "(SELECT mention_id FROM analysis ORDER BY 1 LIMIT 12)")
    at = _open("health")
    assert {m.label: m.value for m in at.metric}["Posts waiting to be read"] == "12"
    assert "12 posts have not been read by the current analyzer yet" in _plain(at)
    assert "readings in use" not in _plain(at)


def test_health_says_how_many_posts_wait_for_their_companies_to_be_read_again(app_env: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    at = _open("health")   # the companies the sample was read with: nothing to read again
    assert not any("a company the config now reads otherwise" in w.value for w in at.warning)
    # the alias "BWG" dropped from the config: the posts naming it are Brightwater's no more, once analyze runs
    config = tmp_path / "hirepulse.toml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace(', "BWG"]', "]"), encoding="utf-8")
    monkeypatch.setenv("HIREPULSE_CONFIG", str(config))
    from hirepulse.cli import main

    assert main(["status", "--db", str(app_env), "--config", str(config)]) == 0
    said = re.search(r"companies to re-read: ([\d,]+) mentions?", capsys.readouterr().out)
    assert said, "status counts them too"
    count = int(said.group(1).replace(",", ""))
    with db.connect(app_env, read_only=True) as con:
        naming = con.execute("SELECT count(*) FROM mentions WHERE regexp_matches(coalesce(title, '') || ' ' || text, "
                             "'(?i)\\bBWG\\b')").fetchone()[0]
    assert count == naming > 0
    at = _open("health")
    warning = next(w.value for w in at.warning if "a company the config now reads otherwise" in w.value)
    assert warning.startswith(f"**{count:,} posts** name a company the config now reads otherwise")
    assert "`hirepulse analyze` reads their companies again" in warning


def test_health_names_adapted_readings_and_says_when_they_do_not_load(app_env: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import lexicon
    from analysis.scoring import RULES_VERSION

    folder = tmp_path / "adapted"
    folder.mkdir()
    for path in lexicon.LEXICON_DIR.iterdir():   # the shipped files, as an adaptation's folder holds them
        if path.suffix in lexicon.DATA_SUFFIXES:
            (folder / path.name).write_bytes(path.read_bytes())
    with open(folder / "tone_model.tsv", "a", encoding="utf-8") as fh:   # (new weights: a version of its own)
        fh.write("# adapted\n")
    manifest = {"rules_version": RULES_VERSION, "posts": 80, "labelled_database": "hirepulse.duckdb",
                "adapted_at": "2026-11-02T10:00:00+00:00"}
    (folder / lexicon.ADAPTED_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    config = tmp_path / "hirepulse.toml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8") + f'\n[analysis]\nlexicon_dir = "{folder}"\n',
                      encoding="utf-8")
    monkeypatch.setenv("HIREPULSE_CONFIG", str(config))
    at = _open("health")
    metrics = {m.label: m.value for m in at.metric}
    total = f"{_count(app_env, 'SELECT count(*) FROM mentions'):,}"
    # its own version: every sample post waits to be read by it
    assert metrics["Analyzer in use"] == "Adapted to your posts" and metrics["Posts waiting to be read"] == total
    assert ("Posts are read by an analyzer adapted to your posts on 2 Nov 2026, with 80 labelled posts from the "
            "labels in hirepulse.duckdb. Version 2.") in _plain(at)
    manifest["rules_version"] = "1.0"
    (folder / lexicon.ADAPTED_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    at = _open("health")
    assert {m.label: m.value for m in at.metric}["Analyzer in use"] == "Cannot be used"
    [error] = [e.value.replace("\\", "") for e in at.error if "cannot be loaded" in e.value]
    assert "adapted for analyzer 1.0" in error and "run `hirepulse adapt` again" in error


def _count(path: Path, sql: str) -> int:
    with db.connect(path, read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_post_text_is_escaped_not_rendered(app_env: Path) -> None:
    from pages._ui import escape_md, safe_url

    assert escape_md("**bold** <script>x</script> [a](javascript:x) $x$") == (
        "\\*\\*bold\\*\\* \\<script\\>x\\</script\\> \\[a\\]\\(javascript\\:x\\) \\$x\\$")
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"

def _picker(at: AppTest):
    """The Mentions view's picker of the post to explain."""
    return next(s for s in at.selectbox if s.label == "Post")


def _shown(picker, before: tuple[str, str] | None = None) -> tuple[str, str]:
    """(the picker's id, the label a browser shows in it) after a run, as a browser keeps it: a new picker shows
    the option the server set or else its default; a picker kept from the run ``before`` goes on showing what it
    showed there, unless the server sets another value."""
    proto = picker.proto
    if proto.set_value:
        return proto.id, proto.raw_value
    if before is None or before[0] != proto.id:
        return proto.id, proto.options[proto.default]
    return before


def _explained(at: AppTest, label: str) -> bool:
    """Whether the post card explained below the picker is the post ``label`` names ("2026-03-17 · Brightwater ·
    Offer took weeks.")."""
    day, company, text = label.split(" · ", 2)
    card = f"{date.fromisoformat(day).day} {date.fromisoformat(day):%b %Y} · {company} · "
    return (any(c.value.replace("\\", "").startswith(card) for c in at.caption)
            and any(m.value.replace("\\", "").startswith(text.rstrip("…")) for m in at.markdown))


def test_the_post_picker_names_the_post_it_explains_after_a_new_search(app_env: Path) -> None:
    at = _open("mentions")
    shown = _shown(_picker(at))
    assert _explained(at, shown[1])
    for search in ("offer", "ghosted", ""):   # each search brings other posts first
        at.text_input(key="mention_search").set_value(search).run()
        assert not at.exception
        picker = _picker(at)
        shown = _shown(picker, shown)
        assert shown[1] in picker.options, f"the picker still names a post of the last results: {shown[1]}"
        assert shown[1] == picker.format_func(picker.value) and _explained(at, shown[1])


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
        db.forget_author(con, key, salt=SAMPLE_SALT)
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


# --------------------------------------------------------------------------- Label posts

def _labels(path: Path) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        return con.execute("SELECT mention_id, is_candidate_experience, sentiment, stages, consumer_link FROM labels "
                           "ORDER BY labelled_at").fetchall()


def _current_post(at: AppTest) -> str:
    """The id of the post the form is for (its widgets are keyed by it)."""
    return next(r.key for r in at.radio if r.key.startswith("label_ce_")).removeprefix("label_ce_")


def _click(at: AppTest, key: str) -> None:
    """Click a button whose handler ends in ``st.rerun()``. AppTest runs a view picked with ``switch_page``
    without app.py until a rerun goes through the frame, and the widgets' ids differ between the two: one
    more run settles them, so that the next ``set_value`` reaches the form (a browser has no such step)."""
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    at.run()


def _plain(at: AppTest) -> str:
    return _texts(at).replace("*", "").replace("\\", "")


def test_label_posts_saves_a_label_refuses_a_toneless_one_skips_and_undoes(app_env: Path) -> None:
    at = _open("labelling")
    first = _current_post(at)
    with db.connect(app_env, read_only=True) as con:   # the fixed shuffle under the sidebar's filters
        expected = next_to_label(con, companies=["Brightwater"], since=WAVE[0], until=WAVE[1], limit=3)[0]
    assert [p["id"] for p in expected][0] == first
    text = _plain(at)
    assert "0 posts labelled; adapting the analyzer to your posts needs at least 50." in text
    assert "Analyzer" not in text and "Sentiment" not in text, "no reading of the analyzer before a person labels"
    assert at.radio(key=f"label_tone_{first}").value is None, "no tone preselected"
    assert not [m for m in at.multiselect if m.key.startswith("label_stages_")], "stages only for a candidate account"
    # a save without a tone is refused in one line, stores nothing and keeps the answers given
    at.radio(key=f"label_ce_{first}").set_value("Yes").run()
    at.multiselect(key=f"label_stages_{first}").set_value(["interview", "rejection"]).run()
    at.button(key="label_save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Before saving, choose its tone."]
    assert _labels(app_env) == [] and _current_post(at) == first
    assert at.radio(key=f"label_ce_{first}").value == "Yes"
    # with a tone it saves, moves on, and shows the analyzer's reading of the post just labelled
    at.radio(key=f"label_tone_{first}").set_value("negative")
    at.checkbox(key=f"label_link_{first}").check().run()
    _click(at, "label_save")
    assert _labels(app_env) == [(first, True, "negative", ["interview", "rejection"], True)]
    second = _current_post(at)
    assert second == expected[1]["id"]
    text = _plain(at)
    assert "1 post labelled; adapting the analyzer to your posts needs at least 50." in text
    assert "Your last label, and how the analyzer read it" in text and "Analyzer" in text
    assert "Negative · first-hand candidate (Interview, Rejection / no response) · tied to being a customer" in text
    # a post that is not a candidate account is saved with no stages, whatever was picked before
    at.radio(key=f"label_ce_{second}").set_value("Yes").run()
    at.multiselect(key=f"label_stages_{second}").set_value(["offer"]).run()
    at.radio(key=f"label_ce_{second}").set_value("No").run()
    assert not [m for m in at.multiselect if m.key.startswith("label_stages_")]
    # skip leaves it unlabelled and moves on
    _click(at, "label_skip")
    assert _current_post(at) == expected[2]["id"] and len(_labels(app_env)) == 1
    assert "(1 skipped)" in _texts(at)
    # undo removes the label; the post comes back first in the shuffle
    _click(at, f"label_undo_{first}")
    assert _labels(app_env) == [] and _current_post(at) == first
    assert "0 posts labelled" in _plain(at) and "Your last label" not in _plain(at)


def test_label_posts_says_how_to_adapt_and_downloads_what_adapt_reads(app_env: Path, tmp_path: Path) -> None:
    from analysis.evaluation import read_labelled
    from analysis.scoring import STAGES
    from pages import _loaders as loaders

    at = _open("labelling")
    download = at.get("download_button")[0]
    assert download.proto.label == "Download labels" and download.proto.disabled, "nothing to download yet"
    assert "JSON-lines file" in download.proto.help
    codes = [c.value for c in at.code]
    # the folder beside the config file, in full, which is where the config's lexicon_dir = "lexicon-adapted" reads
    assert f"hirepulse adapt --out {SAMPLE_CONFIG.resolve().parent / 'lexicon-adapted'} --db {app_env}" in codes
    assert '[analysis]\nlexicon_dir = "lexicon-adapted"' in codes
    post = _current_post(at)
    at.radio(key=f"label_ce_{post}").set_value("No")
    at.radio(key=f"label_tone_{post}").set_value("neutral").run()
    _click(at, "label_save")
    assert not at.get("download_button")[0].proto.disabled
    path = tmp_path / "labels.jsonl"
    path.write_bytes(loaders.labels_jsonl())          # what the button serves
    [row] = read_labelled(path, STAGES)
    assert (row["id"], row["sentiment"], row["is_candidate_experience"], row["stages"]) == (post, "neutral", False, [])


def test_label_posts_follows_the_company_period_and_source_filters(app_env: Path) -> None:
    at = _open("labelling")
    first = _current_post(at)
    at.multiselect(key="stages").set_value(["onboarding"]).run()   # would bend the sample: not applied here
    assert not at.exception, at.exception
    assert _current_post(at) == first and "the stage filter does not apply here" in at.caption[0].value
    at.selectbox(key="company").set_value("Fernhill Market").run()
    at.multiselect(key="sources").set_value(["reviews"]).run()
    assert not at.exception, at.exception
    with db.connect(app_env, read_only=True) as con:
        posts, remaining = next_to_label(con, companies=["Fernhill Market"], since=WAVE[0], until=WAVE[1],
                                              sources=["reviews"])
    assert 0 < remaining < 115 and _current_post(at) == posts[0]["id"] and posts[0]["source"] == "reviews"
    assert f"{remaining:,} posts left to label under these filters" in _texts(at)
    quiet = (date(2026, 1, 1), date(2026, 1, 2))   # no Fernhill Market review those two days
    with db.connect(app_env, read_only=True) as con:
        assert next_to_label(con, companies=["Fernhill Market"], since=quiet[0], until=quiet[1],
                                  sources=["reviews"])[1] == 0
    at.date_input(key="period").set_value(quiet).run()
    assert not at.exception, at.exception
    # no post there at all is not "every post is labelled"
    assert "No posts in this period from these sources" in _texts(at)
    assert "Every post under these filters is labelled" not in _texts(at)
    assert not [r for r in at.radio if r.key.startswith("label_")]
    # a day whose one post is labelled: every post is
    with db.connect(app_env) as con:
        day, mid = con.execute("SELECT CAST(timezone('UTC', published_at) AS DATE), any_value(id) FROM facts "
                               "WHERE company = 'Fernhill Market' AND source = 'reviews' GROUP BY 1 "
                               "HAVING count(*) = 1 ORDER BY 1 LIMIT 1").fetchone()
        db.save_label(con, mid, is_candidate_experience=False, sentiment="neutral")
    at.date_input(key="period").set_value((day, day)).run()
    assert not at.exception, at.exception
    assert "Every post under these filters is labelled" in _texts(at) and "No posts in" not in _texts(at)


def test_a_save_while_a_collector_holds_the_database_loses_nothing(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pages import _loaders as loaders

    at = _open("labelling")
    post = _current_post(at)
    at.radio(key=f"label_ce_{post}").set_value("Yes")
    at.radio(key=f"label_tone_{post}").set_value("positive").run()
    monkeypatch.setenv(loaders.LOCK_BUDGET_ENV, "0.5")
    holder = _hold_write_lock(app_env, 8.0)
    try:
        at.button(key="label_save").click().run()
        assert not at.exception, at.exception
        assert not at.error
        assert "The database is busy" in _texts(at) and "Nothing is lost" in _texts(at)
    finally:
        holder.kill()
        _release(holder)
    assert _labels(app_env) == []
    at.run()   # a minute later (a rerun, not a reload): the answers are still there
    assert not at.exception, at.exception
    assert at.radio(key=f"label_ce_{post}").value == "Yes" and at.radio(key=f"label_tone_{post}").value == "positive"
    at.button(key="label_save").click().run()
    assert not at.exception, at.exception
    assert _labels(app_env) == [(post, True, "positive", [], False)]


def test_a_busy_database_while_reading_keeps_the_answers_for_a_try_again(app_env: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The reads miss their cache (the collector wrote since) while the lock is held: the form cannot be drawn,
    and Streamlit forgets the state of widgets a run leaves out; the answers come back after "Try again"."""
    from pages import _loaders as loaders

    at = _open("labelling")
    post = _current_post(at)
    at.radio(key=f"label_ce_{post}").set_value("Yes").run()
    at.radio(key=f"label_tone_{post}").set_value("negative")
    at.multiselect(key=f"label_stages_{post}").set_value(["offer"]).run()
    monkeypatch.setenv(loaders.LOCK_BUDGET_ENV, "0.5")
    holder = _hold_write_lock(app_env, 8.0)
    try:
        _clear_caches()
        at.run()
        assert not at.exception, at.exception
        assert "The database is busy" in _texts(at) and "nothing you entered is lost" in _texts(at)
        assert not [r for r in at.radio if r.key.startswith("label_")], "the form could not be drawn"
    finally:
        holder.kill()
        _release(holder)
    at.button(key="frame_retry").click().run()   # (the sidebar's read is the first to find the lock)
    assert not at.exception, at.exception
    assert at.radio(key=f"label_ce_{post}").value == "Yes" and at.radio(key=f"label_tone_{post}").value == "negative"
    assert at.multiselect(key=f"label_stages_{post}").value == ["offer"]
    _click(at, "label_save")
    assert _labels(app_env) == [(post, True, "negative", ["offer"], False)]


def _label_as_read(path: Path, agree: int, differ: int, skip: int = 0) -> None:
    """Label ``agree + differ`` analysed sample posts (after the first ``skip``, by id): the first ``agree`` with
    the tone the analyzer read, the others with a tone it did not read; candidate account and stages as read."""
    with db.connect(path) as con:
        rows = con.execute("SELECT mention_id, sentiment, is_candidate_experience, stages FROM analysis "
                           "ORDER BY mention_id LIMIT ? OFFSET ?", [agree + differ, skip]).fetchall()
        for k, (mid, score, ce, stages) in enumerate(rows):
            read = "positive" if score >= db.POSITIVE else "negative" if score <= db.NEGATIVE else "neutral"
            tone = read if k < agree else ("neutral" if read != "neutral" else "positive")
            db.save_label(con, mid, is_candidate_experience=ce, sentiment=tone, stages=list(stages) if ce else [])


def test_label_posts_shows_how_the_readings_agree_with_the_labels(app_env: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _label_as_read(app_env, 5, 0)
    at = _open("labelling")
    text = _plain(at)
    assert "How the analyzer reads your posts" in text and "Once the analyzer has read 20 of your labelled posts (5 so far" in text
    assert "Measured on your own posts" not in _plain(_open("overview"))
    assert "On all 5 labelled posts it has read, the analyzer reads the tone" in text
    _label_as_read(app_env, 18, 6)     # (the same first five again, and 19 more)
    at = _open("labelling")
    tone_row = next(line for line in _plain(at).splitlines() if line.startswith("| Tone |"))
    assert "| 75% |" in tone_row and "| On 24 of your posts | Result | Likely range |" in _plain(at)
    # the six posts labelled with another tone are listed, and only they
    assert "6 of the 24 labelled posts it has read" in _plain(at)
    assert "| Candidate sentiment, the analyzer's minus yours, " in _plain(at)
    assert "| Candidate accounts spotted |" in _plain(at) and " points |" in _plain(at)
    differ = next(d.value for d in at.dataframe if "Your tone" in d.value.columns)
    assert len(differ) == 6 and (differ["Your tone"] != differ["Its tone"].str.split(" ").str[0]).all()
    assert set(differ["Candidate's account (you / it)"]) <= {"Yes / Yes", "No / No"}
    # which analyzer read each post, in words; its exact version in a column of its own, after them
    from analysis.scoring import ANALYZER_VERSION

    assert set(differ["Read by"]) == {"Analyzer as installed"} and set(differ["Analyzer version"]) == {ANALYZER_VERSION}
    assert "| Negatives read as positive, " in _plain(at)
    # the statistics' technical names are for analysts, in the note's help; the note itself is plain words
    for jargon in ("F1", "bootstrap", "net tone gap", "Figure | Range", "readings in use", "pts"):
        assert jargon not in _plain(at), jargon
    [note] = [c for c in at.caption if c.value.startswith("How often the analyzer, as the dashboard shows it")]
    assert "the F1 score" in note.proto.help and "95% percentile bootstrap interval" in note.proto.help
    # the Overview says it under its headline figures (and says nothing with fewer than 20)
    overview = _plain(_open("overview"))
    assert "Measured on your own posts: on 24 posts your team labelled, the analyzer reads the tone as you do in 75% (" in overview
    assert "; on the candidate accounts among them, its candidate sentiment is" in overview and "net tone" not in overview
    # readings adapted with these labels: said so, and the figures are still shown until 20 newer labels come
    with db.connect(app_env, read_only=True) as con:
        newest = db.newest_label(con)
    adapted = tmp_path / "adapted"
    adapted.mkdir()
    # (written with an offset that puts it on another calendar day than in UTC: the day said is the one compared)
    offset = timezone(timedelta(hours=13 if newest.astimezone(timezone.utc).hour >= 12 else -12))
    (adapted / "adapted.json").write_text(json.dumps({"labelled_until": newest.astimezone(offset).isoformat()}),
                                          encoding="utf-8")
    config = tmp_path / "hirepulse.toml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8") + f'\n[analysis]\nlexicon_dir = "{adapted}"\n',
                      encoding="utf-8")
    monkeypatch.setenv("HIREPULSE_CONFIG", str(config))
    at = _open("labelling")
    text = _plain(at)
    day = newest.astimezone(timezone.utc)
    assert f"The analyzer in use was adapted with your labels up to {day.day} {day:%b %Y}, so" in text
    assert "Once 20 posts labelled since" in text
    assert "| 75% |" in next(line for line in text.splitlines() if line.startswith("| Tone |"))
    # the Overview does not quote a figure the readings learned: it says why there is none yet
    overview = _plain(_open("overview"))
    assert "Measured on your own posts" not in overview
    assert "The analyzer was adapted with your team's labels, so how it reads those posts says little" in overview
    assert "readings" not in overview
    # 20 posts labelled since, all as read: the figures are theirs alone
    time.sleep(0.01)
    _label_as_read(app_env, 20, 0, skip=24)
    at = _open("labelling")
    text = _plain(at)
    assert "On the posts labelled since the analyzer was adapted to your posts" in text and "| On 20 of your posts |" in text
    assert "| 100% | too few posts to tell |" in next(line for line in text.splitlines() if line.startswith("| Tone |"))
    # beside them, the shipped readings on the same posts, read again as `hirepulse analyze` reads a post: here the
    # stored readings are the shipped ones, so the two columns must agree measure by measure
    assert "| On 20 of your posts | Result | Likely range | Before adapting |" in text and "Shipped" not in text
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| ") and "posts |" not in line
            and line.count("|") == 5]
    assert rows and all(figure.strip().strip("*") == shipped.strip() for _name, figure, _span, shipped in rows), rows
    assert ("Measured on your own posts: on 20 posts your team labelled since the analyzer was adapted, the analyzer "
            "reads the tone as you do in 100%") in _plain(_open("overview"))
    # a lexicon_dir that is not there (yet): one line, as on every view, not a traceback
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8") + '\n[analysis]\nlexicon_dir = "not-there"\n',
                      encoding="utf-8")
    at = _open("labelling")
    assert not at.exception
    assert any("The configuration cannot be used" in e.value and "is not a folder" in e.value for e in at.error)


def test_label_posts_says_when_its_figures_describe_readings_not_in_use_yet(app_env: Path) -> None:
    from analysis.scoring import ANALYZER_VERSION

    _label_as_read(app_env, 20, 0)
    assert not _open("labelling").warning
    with db.connect(app_env) as con:   # (as after an upgrade or an adapt, before `hirepulse analyze`)
        con.execute("UPDATE analysis SET analyzer_version = 'old' WHERE mention_id IN "
                    "(SELECT mention_id FROM analysis ORDER BY 1 LIMIT 7)")
    [warning] = _open("labelling").warning
    assert warning.value.startswith("7 stored posts have not been read by the current analyzer yet: ")
    assert "the figures below describe how an earlier version read them" in warning.value
    assert warning.value.endswith(f"(version {ANALYZER_VERSION}).")


def test_label_posts_shows_the_tone_of_sure_and_unsure_readings_apart(app_env: Path) -> None:
    from analysis.tone_model import SURE
    from pages import _ui as ui

    _label_as_read(app_env, 16, 8)    # (by id: the first 16 with the tone read, the other 8 with another)
    with db.connect(app_env) as con:
        ids = [r[0] for r in con.execute("SELECT mention_id FROM labels ORDER BY mention_id").fetchall()]
        # sure: 10 read as labelled, 2 not; unsure: 3 + 3 below SURE, 3 + 3 not stored (6 of 12 as labelled)
        for group, confidence in ((ids[:10] + ids[16:18], SURE), (ids[10:13] + ids[18:21], 0.6),
                                  (ids[13:16] + ids[21:], None)):
            con.execute("UPDATE analysis SET sentiment_confidence = ? WHERE list_contains(?, mention_id)",
                        [confidence, group])
            con.execute("UPDATE fact_mentions SET sentiment_confidence = ? WHERE list_contains(?, id)",
                        [confidence, group])
    at = _open("labelling")
    lines = _plain(at).splitlines()
    assert "| On 24 of your posts | Result | Likely range |" in lines
    rows = [line for line in lines if line.startswith("| Tone")][:3]
    assert rows[0].startswith("| Tone | 67% |")
    assert rows[1].startswith("| Tone, sure readings, 12 posts | 83% |")
    assert rows[2].startswith("| Tone, unsure readings, 12 posts | 50% |")
    assert ("Sure tone readings should match your labels more often than unsure ones; if they do not on your "
            "posts, do not lean on the Mentions view's Only sure tone readings filter.") in _plain(at)
    # the post labelled next: its tone reading's sureness next to the analyzer's tone
    post = _current_post(at)
    with db.connect(app_env, read_only=True) as con:
        confidence = con.execute("SELECT sentiment_confidence FROM analysis WHERE mention_id = ?", [post]).fetchone()[0]
    assert confidence is not None
    at.radio(key=f"label_ce_{post}").set_value("No")
    at.radio(key=f"label_tone_{post}").set_value("neutral").run()
    _click(at, "label_save")
    mine = next(line for line in _plain(at).splitlines() if line.startswith("| Tone | Neutral |"))
    assert mine.endswith(f" · {ui.tone_sure(confidence).lower()} |") and "%)" in mine


def _drawn(at: AppTest) -> list[tuple[dict, pd.DataFrame]]:
    """Each chart's Vega-Lite spec and the data it is drawn from (decoded from the Arrow Streamlit sends)."""
    import pyarrow as pa

    out = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        blob = proto.data.data or next((d.data.data for d in proto.datasets if d.data.data), b"")
        out.append((json.loads(proto.spec), pa.ipc.open_stream(blob).read_all().to_pandas() if blob else None))
    return out


def test_heat_maps_fade_cells_on_few_posts_and_competitor_cells_say_their_posts(app_env: Path) -> None:
    from pages import _ui as ui

    fade = {"condition": {"test": f"datum['Mentions'] < {ui.THIN_MENTIONS}", "value": 0.3}, "value": 1.0}
    at = _open("competitors")
    spec, cells = _drawn(at)[-1]
    heat, text = spec["layer"]
    assert heat["encoding"]["opacity"] == fade and text["encoding"]["text"]["field"] == "Label"
    # dark text on a faded cell, which is pale whatever its sentiment
    assert text["encoding"]["color"]["condition"][0] == {"test": fade["condition"]["test"], "value": "black"}
    assert cells["Label"].tolist() == [f"{net:+.0f} ({n})" for net, n in zip(cells[ui.NET_TITLE], cells["Mentions"])]
    assert (cells["Mentions"] < ui.THIN_MENTIONS).any(), "the sample has thin cells to fade"
    assert any("the number of posts in brackets" in c.value for c in at.caption)
    assert not any("the number is the mention count" in c.value for c in at.caption)
    at = _open("journey")
    heat = next(s for s, _ in _drawn(at) if "layer" in s and s["layer"][0]["mark"]["type"] == "rect")
    assert heat["layer"][0]["encoding"]["opacity"] == fade
    assert heat["layer"][1]["encoding"]["color"]["condition"][0]["test"] == fade["condition"]["test"]
    # no stage is drawn in a sentiment colour: a red Rejection bar would read as bad news
    volume = next(s for s, _ in _drawn(at) if s.get("title") == "Candidate mentions by stage")
    assert not {"#e15759", "#4e79a7"} & set(volume["encoding"]["color"]["scale"]["range"])


def test_week_ticks_fall_on_the_mondays_the_weeks_start_on(app_env: Path) -> None:
    at = _open("trends")
    for spec, data in _drawn(at)[:2]:
        ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
        days = [date(t["year"], t["month"], t["date"]) for t in ticks]
        assert days and all(d.weekday() == 0 for d in days) and all(t["utc"] for t in ticks)
        assert [d.isoformat() for d in days] == sorted(set(data["Week"]))


def test_complaints_and_praise_share_one_scale(app_env: Path) -> None:
    at = _open("themes")
    bars = [(s, d) for s, d in _drawn(at)]
    assert len(bars) == 2
    domains = [s["encoding"]["x"]["scale"]["domain"] for s, _ in bars]
    assert domains[0] == domains[1] == [0, max(int(d["Mentions"].max()) for _, d in bars)]
    at.button_group(key="theme_rank").set_value("Change").run()
    assert all(s["encoding"]["x"]["title"] == "Change on the previous period" for s, _ in _drawn(at))


def test_overview_warns_when_a_selection_rests_on_few_posts(app_env: Path) -> None:
    at = _open("overview")
    assert not at.warning
    at.multiselect(key="stages").set_value(["offer"]).run()
    at.multiselect(key="sources").set_value(["forum"]).run()
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith("Only ") and "a few posts swing these figures widely" in warning.value
    # a stage card's change between a few posts is marked, and not coloured as good or bad news
    offer = next(m for m in at.metric if m.label == "Offer")
    assert "few posts" in offer.delta and "in the one before" in offer.proto.help
    assert offer.proto.color == offer.proto.MetricColor.GRAY
    interview = _open("overview").metric   # the whole sample: enough posts, coloured as news
    assert next(m for m in interview if m.label == "Interview").proto.color != offer.proto.MetricColor.GRAY


def test_brand_impact_names_a_strongest_lag_only_when_one_stands_out(app_env: Path) -> None:
    at = _open("brand_impact")
    spec, lags = next((s, d) for s, d in _drawn(at) if s.get("encoding", {}).get("x", {}).get("field") == "Weeks later")
    usable = lags[lags["Enough weeks"]]["Correlation"]
    top, second = usable.abs().sort_values(ascending=False).iloc[:2]
    text = _texts(at).replace("\\", "")
    if top - second >= 0.1:
        assert "Strongest link" in text
    else:   # the sample's nine lags sit close together: no bar is named as the finding
        assert "Strongest link" not in text
        assert f"No delay stands out: the correlations run from **{usable.min():+.2f}** to **{usable.max():+.2f}**" in text
    # one colour for every bar: pale means too few weeks, not a weak correlation
    assert spec["mark"]["color"] == "#333333" and "color" not in spec["encoding"]


def test_part_weeks_at_the_ends_of_a_period_are_named_and_thin_weeks_faded(app_env: Path) -> None:
    from pages import _ui as ui

    wave = ui.Selection(company="Brightwater", since=date(2026, 1, 1), until=date(2026, 3, 31))  # Thursday, Tuesday
    assert ui.partial_weeks_note(wave) == (" The first week (29 Dec 2025) holds 4 days of the period and the last "
                                           "(30 Mar 2026) 2 days: compare their volumes with care.")
    assert ui.partial_weeks_note(ui.Selection(None, since=date(2026, 1, 5), until=date(2026, 3, 29))) == ""
    assert ui.partial_weeks_note(ui.Selection(None, since=date(2026, 1, 5), until=date(2026, 3, 31))) == (
        " The last week (30 Mar 2026) holds 2 days of the period: compare its volume with care.")
    assert ui.partial_weeks_note(ui.Selection(None, since=date(2026, 6, 3), until=date(2026, 6, 4))) == (
        " Its only week (1 Jun 2026) holds 2 days of the period.")
    assert ui.partial_weeks_note(ui.Selection(None, since=date(2026, 6, 7), until=date(2026, 6, 7))) == (
        " Its only week (1 Jun 2026) holds 1 day of the period.")
    at = _open("trends")
    assert any("The first week (29 Dec 2025) holds 4 days" in c.value for c in at.caption)
    line, points, _zero = _drawn(at)[1][0]["layer"]
    assert points["encoding"]["opacity"]["condition"]["test"] == f"datum['Mentions'] < {ui.THIN_MENTIONS}"


def test_trends_count_the_first_week_from_the_periods_start_and_say_when_it_has_no_posts(app_env: Path) -> None:
    at = _open("trends")
    volume = _drawn(at)[0][1]
    first_week = volume.loc[volume["Week"] == "2025-12-29", "Mentions"].item()
    at.switch_page("pages/brand_impact.py").run()
    assert not at.exception
    brand = _drawn(at)[0][1]   # smoothed over 4 weeks, which leaves a series' first week as it is
    candidate = brand[(brand["Week"] == "2025-12-29") & (brand["Series"] == "Candidate experience")]
    with db.connect(app_env, read_only=True) as con:   # the candidate posts of 1-4 Jan, none of 29-31 Dec
        posts = con.execute("SELECT count(*), 100.0 * avg(CASE WHEN sentiment <= ? THEN -1 WHEN sentiment >= ? "
                            "THEN 1 ELSE 0 END) FROM facts WHERE company = 'Brightwater' AND is_candidate_experience "
                            "AND published_at >= TIMESTAMPTZ '2026-01-01 00:00:00+00' "
                            "AND published_at < TIMESTAMPTZ '2026-01-05 00:00:00+00'",
                            [db.NEGATIVE, db.POSITIVE]).fetchone()
    assert first_week == posts[0]
    assert candidate["Net sentiment (−100 to +100)"].item() == pytest.approx(posts[1], abs=0.05)
    # a period without a candidate post: no charts of the weeks around it, and no word of spikes
    at = _open("trends", period=(date(2026, 6, 3), date(2026, 6, 4)))
    assert _charts(at) == 0 and "No spikes" not in _texts(at)
    assert "No candidate experiences match" in _texts(at)


def test_trends_name_the_stages_filtered_count_in_whole_numbers_and_draw_a_single_week(app_env: Path) -> None:
    at = _open("trends")
    at.multiselect(key="stages").set_value(["offer"]).run()
    assert not at.exception
    volume, weeks = _drawn(at)[0]
    line = volume["layer"][0]
    assert set(weeks["Stage"]) == {"Candidate experiences about Offer"}, "not 'All candidate experiences'"
    assert line["encoding"]["color"]["scale"]["domain"] == ["Candidate experiences about Offer"]
    assert weeks["Mentions"].max() < 5, "few posts a week: an axis that would tick halves"
    assert line["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert not line["mark"].get("point"), "many weeks: a line"
    assert "All candidate experiences" not in set(_spikes(at)["Stage"])
    # a period of one week: its single point is drawn, on Trends and on Brand impact
    at = _open("trends", period=(date(2026, 3, 23), date(2026, 3, 29)))
    volume, weeks = _drawn(at)[0]
    assert weeks["Week"].nunique() == 1 and volume["layer"][0]["mark"]["point"] is True
    at.switch_page("pages/brand_impact.py").run()
    spec, series = _drawn(at)[0]
    assert series["Week"].nunique() == 1 and at.toggle(key="brand_smooth").value
    assert spec["layer"][0]["mark"]["point"] is True


def test_views_that_leave_a_filter_out_say_so(app_env: Path) -> None:
    at = _open("brand_impact")
    assert "stage filter does not narrow this list" not in _texts(at)
    at.multiselect(key="stages").set_value(["offer"]).run()
    assert "The sidebar's stage filter does not narrow this list" in _texts(at)
    assert "the sidebar's filters do not apply here" in _texts(_open("health"))
    # the post table: the post's words in a wide column beside its tone, the link last
    rows = _open("mentions").dataframe[0].value
    assert list(rows.columns).index("Post") == list(rows.columns).index("Tone reading") + 1
    assert rows.columns[-1] == "Link"


def test_a_tone_reading_below_even_odds_is_not_shown_as_a_tiny_percent() -> None:
    from pages import _ui as ui

    assert [ui.tone_sure(c) for c in (0.93, 0.8996, 0.61, 0.5, 0.49, 0.01, None)] == [
        "Sure (93%)", "Unsure (89%)", "Unsure (61%)", "Unsure (50%)", "Unsure (under 50%)", "Unsure (under 50%)", None]
    assert ui.tone_sure_line(0.01) == "Tone reading: unsure (under 50%) — check the post before quoting its tone."
    assert ui.tone_sure_line(0.95) is None


def test_what_changed_says_on_how_few_posts_a_move_rests() -> None:
    from analysis.summary import summarise

    def overview(now: int, before: int) -> pd.DataFrame:
        return pd.DataFrame([
            {"period": "current", "mentions": now, "candidate_mentions": now, "net_sentiment": -50.0,
             "candidate_net_sentiment": -100.0, "brand_net_sentiment": None, "negative_candidate_mentions": 0,
             "negative_with_consumer_link": 0, "resentment_share": None},
            {"period": "previous", "mentions": before, "candidate_mentions": before, "net_sentiment": 10.0,
             "candidate_net_sentiment": 17.0, "brand_net_sentiment": None, "negative_candidate_mentions": 0,
             "negative_with_consumer_link": 0, "resentment_share": None}])

    def stages(offer_now: int, offer_before: int, interview: int = 40) -> pd.DataFrame:
        return pd.DataFrame([("current", "offer", offer_now, 45.0), ("previous", "offer", offer_before, -44.0),
                             ("current", "interview", interview, -20.0), ("previous", "interview", interview, -30.0)],
                            columns=["period", "stage", "mentions", "net_sentiment"])

    no_themes = pd.DataFrame(columns=["theme", "mentions", "change"])
    lines = summarise(overview(3, 6), stages(11, 9), no_themes)
    assert ("Candidate-experience sentiment worsened by 117 points, to -100 (was +17), on only 3 posts (6 before)."
            in lines)
    assert "The biggest stage move: Offer improved by 89 points, to +45, on only 11 posts (9 before)." in lines
    # enough posts on both sides: the figures speak for themselves
    lines = summarise(overview(300, 260), stages(40, 35), no_themes)
    assert ("Candidate-experience sentiment worsened by 117 points, to -100 (was +17)." in lines
            and "The biggest stage move: Offer improved by 89 points, to +45." in lines)
    # a stage on fewer than five posts in either period is not called out; the next biggest move is
    assert "The biggest stage move: Interview improved by 10 points, to -20." in summarise(
        overview(300, 260), stages(4, 35), no_themes)


def test_the_spike_sentence_names_the_week_furthest_above_its_usual_volume() -> None:
    from datetime import date

    from analysis.summary import _spike_sentence

    def rows(*spikes: tuple) -> pd.DataFrame:
        return pd.DataFrame(spikes, columns=["week", "stage", "mentions", "baseline"])

    assert _spike_sentence(rows()) is None
    one = rows((date(2026, 2, 16), "all", 37, 18.75))
    assert _spike_sentence(one) == ("A spike in the week of 16 Feb 2026: 37 candidate posts, usually 19 "
                                    "(Trends and spikes says what drove it).")
    # two rows of one week are one week; the furthest above its usual (12 of 2.9, not 37 of 18.8) is named
    several = rows((date(2026, 2, 16), "all", 37, 18.75), (date(2026, 2, 16), "screening", 8, 3.0),
                   (date(2026, 1, 5), "rejection", 12, 2.875))
    assert _spike_sentence(several) == ("Spikes in 2 weeks; the furthest above usual in the week of 5 Jan 2026: 12 posts on the "
                                        "Rejection / no response stage, usually 3 (Trends and spikes says what drove "
                                        "it).")
    # a spike out of (almost) nothing does not win by dividing by zero
    assert "8 posts on the Offer stage" not in _spike_sentence(rows((date(2026, 1, 5), "offer", 8, 0.0),
                                                                    (date(2026, 1, 12), "all", 60, 4.0)))


# --------------------------------------------------------------------------- a count of one

ONE_OF_A_KIND = re.compile(r"(?<![\d,.])1 (?:[\w-]+ ){0,3}(?:posts|mentions|accounts)\b")


@pytest.fixture
def one_post_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database of one analysed post (synthetic, written for this test): a candidate ghosted by Brightwater who
    stops shopping there, labelled in the dashboard."""
    from hirepulse.cli import main

    path = tmp_path / "one.csv"
    path.write_text("published_at,text\n2026-02-10,\"I applied to Brightwater and the recruiter ghosted me after the "
                    "final interview. After how they treated me I won't shop at Brightwater again.\"\n",
                    encoding="utf-8")
    db_path = tmp_path / "one.duckdb"
    assert main(["import", str(path), "--source", "forum", "--db", str(db_path), "--config", str(SAMPLE_CONFIG)]) == 0
    assert main(["analyze", "--db", str(db_path), "--config", str(SAMPLE_CONFIG)]) == 0
    with db.connect(db_path) as con:
        (mid,) = con.execute("SELECT id FROM mentions").fetchone()
        db.save_label(con, mid, is_candidate_experience=True, sentiment="negative", stages=["interview"],
                      consumer_link=True)
    monkeypatch.setenv("HIREPULSE_DB", str(db_path))
    monkeypatch.setenv("HIREPULSE_CONFIG", str(SAMPLE_CONFIG))
    return db_path


def _all_words(at: AppTest) -> str:
    """What a view says, help texts of its cards included."""
    return _texts(at) + "\n" + "\n".join(m.proto.help for m in at.metric)


@pytest.mark.parametrize("view", DATA_VIEWS)
def test_a_count_of_one_is_said_in_the_singular(one_post_env: Path, view: str) -> None:
    at = _open(view, period=None)
    said = _all_words(at)
    assert not ONE_OF_A_KIND.findall(said), said
    expected = {"overview": ["Only 1 candidate post in this selection", "1 mention in the period"],
                "mentions": ["1 matching post."], "brand_impact": ["1 post, newest first"],
                "themes": ["The newest post about"], "labelling": ["1 first-hand candidate account ·"]}.get(view, [])
    for words in expected:
        assert words in said, said


def test_health_and_label_posts_say_one_post_left_unread_in_the_singular(one_post_env: Path) -> None:
    with db.connect(one_post_env) as con:   # (as after an upgrade, before `hirepulse analyze`)
        con.execute("UPDATE analysis SET analyzer_version = 'old'")
    health = _open("health", period=None)
    assert "**1 post** has not been read by the current analyzer yet" in [w.value for w in health.warning][0]
    labelling = _all_words(_open("labelling", period=None))
    assert "1 stored post has not been read by the current analyzer yet" in labelling, labelling
    assert not ONE_OF_A_KIND.findall(labelling), labelling
