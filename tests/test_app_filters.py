"""The dashboard's filters as each view applies and says them, its tables' formats, and the freshness of each
source, through Streamlit's AppTest on the analysed sample (the helpers and fixture of ``test_app``)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from hirepulse import db
from test_app import WAVE, _drawn, _metric, _open, _texts, app_env  # noqa: F401  (app_env: the fixture)

BRAND = "Consumer brand sentiment (−100 to +100)"


def _posts(path: Path, sql: str, params: list) -> int:
    with db.connect(path, read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


def _config(frame) -> dict:
    """A shown table's column settings (title, help, format), by column."""
    return json.loads(frame.proto.columns or "{}")


def test_the_stage_filter_narrows_the_candidate_experiences_alone_in_every_view(app_env: Path) -> None:
    in_wave = ("SELECT count(*) FROM facts WHERE company = 'Brightwater' AND published_at >= ? AND published_at < ? "
               "AND ({})")
    days = [datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 4, 1, tzinfo=timezone.utc)]
    offer = _posts(app_env, in_wave.format("is_candidate_experience AND list_contains(stages, 'offer')"), days)
    others = _posts(app_env, in_wave.format("NOT is_candidate_experience"), days)
    assert offer and others

    at = _open("overview")
    at.multiselect(key="stages").set_value(["offer"]).run()
    assert not at.exception
    # the posts that name no stage still count in the figures of every post; the candidate figures are Offer's
    assert int(_metric(at, "Mentions").replace(",", "")) == offer + others
    assert f"Only {offer} candidate posts" in at.warning[0].value
    assert _metric(at, "Net sentiment (−100 to +100)") != _metric(at, "Candidate sentiment (−100 to +100)")
    rule = "Posts that are not candidate experiences name no stage, so all of them still count"
    assert rule in _texts(at).replace("\\", "")
    # the two figures of the same posts, the whole post's and the stage's, say why they differ
    index = next(c for c in at.caption if c.value.startswith("Net sentiment of what candidates say about each stage"))
    assert "can differ from Candidate sentiment" in index.value and "reads each post as a whole" in index.proto.help

    whole = _open("competitors").dataframe[0].value.set_index("Company")
    at = _open("competitors")
    at.multiselect(key="stages").set_value(["offer"]).run()
    assert not at.exception and rule in _texts(at).replace("\\", "")
    narrowed = at.dataframe[0].value.set_index("Company")
    assert narrowed.loc["Brightwater", "Mentions"] == offer + others
    assert narrowed.loc["Brightwater", "Candidate posts"] == offer
    assert narrowed[BRAND].notna().all()
    assert narrowed[BRAND].tolist() == whole.loc[narrowed.index, BRAND].tolist()   # the brand side, unnarrowed

    at = _open("brand_impact")
    at.multiselect(key="stages").set_value(["offer"]).run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert rule in text
    # a handful of a stage's posts a week makes no finding of how far brand sentiment follows
    assert "Strongest link" not in text and "No delay stands out" not in text
    assert "Not measured with the Hiring stages filter on: candidate experiences about Offer number about" in text
    assert not any(s.get("encoding", {}).get("x", {}).get("field") == "Weeks later" for s, _ in _drawn(at))
    assert "Strongest link" in _texts(_open("brand_impact")) or "No delay stands out" in _texts(_open("brand_impact"))


def test_an_empty_result_names_the_source_filter_that_causes_it(app_env: Path) -> None:
    at = _open("competitors")
    at.multiselect(key="sources").set_value(["survey"]).run()
    assert not at.exception
    [info] = at.info
    assert info.value.startswith("Cobalt Outfitters and Fernhill Market have no posts from Candidate survey "
                                 "(the Sources filter) in this period")
    assert list(at.dataframe[0].value["Company"]) == ["Brightwater"]
    at.multiselect(key="sources").set_value([]).run()
    assert not at.info, "every company has posts: none is said to be missing"

    at = _open("brand_impact")
    at.multiselect(key="sources").set_value(["survey"]).run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert ("No consumer brand line: Candidate survey, which the Sources filter keeps, holds no posts that are not "
            "candidate experiences") in text
    assert "Widen the date range" not in text and "Not enough weeks" not in text


def test_the_competitors_table_fits_with_short_titles_that_explain_themselves(app_env: Path) -> None:
    settings = _config(_open("competitors").dataframe[0])
    assert settings[BRAND]["label"] == "Brand sentiment" and "consumer brand" in settings[BRAND]["help"]
    assert settings["Candidate sentiment (−100 to +100)"]["type_config"]["format"] == "%+.0f"
    assert all(len(c.get("label", "")) <= 19 for c in settings.values())


def test_tables_word_days_and_net_sentiments_as_the_cards_do(app_env: Path) -> None:
    # a post table: days as "30 Mar 2026", whole-point sentiments, and why an imported post has no link
    at = _open("themes")
    settings = _config(at.dataframe[-1])
    assert settings["Date"]["type_config"]["format"] == "D MMM YYYY"
    assert settings["Sentiment (−100 to +100)"]["type_config"]["format"] == "%+.0f"
    assert "may have no link" in settings["Link"]["help"]
    assert at.multiselect(key="competitors_Brightwater").proto.placeholder == "Add a competitor"


def test_health_shows_how_fresh_each_sources_posts_are(app_env: Path) -> None:
    at = _open("health")
    table = next(d.value for d in at.dataframe if "Days since newest post" in d.value.columns).set_index("Source")
    with db.connect(app_env, read_only=True) as con:
        newest = dict(con.execute("SELECT source, max(published_at) FROM mentions GROUP BY source").fetchall())
    assert set(table.index) == {"Forums", "News and blogs", "Review site", "Social media", "Candidate survey"}
    assert pd.Timestamp(table.loc["Candidate survey", "Newest post"]).date() == newest["survey"].date()
    today = datetime.now(timezone.utc).date()
    assert table.loc["Candidate survey", "Days since newest post"] == (today - newest["survey"].date()).days
    stale = [w.value for w in at.warning if "No source has a post from the last 14 days" in w.value]
    assert bool(stale) == ((today - max(newest.values()).date()).days > 14)
    with db.connect(app_env) as con:   # a post published today: the data is fresh again
        con.execute("UPDATE mentions SET published_at = now() WHERE id = (SELECT min(id) FROM mentions "
                    "WHERE source = 'forum')")
    at = _open("health")
    assert not any("No source has a post" in w.value for w in at.warning)
    assert any("published " in c.value and "(today)" in c.value for c in at.caption)
    table = next(d.value for d in at.dataframe if "Days since newest post" in d.value.columns)
    assert table.iloc[0]["Source"] == "Forums" and table.iloc[0]["Days since newest post"] == 0
