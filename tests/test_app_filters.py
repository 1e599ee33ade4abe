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
