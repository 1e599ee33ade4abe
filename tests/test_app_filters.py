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
