"""How figures and labels are worded for people: the dashboard, the report's summary and the terminal.

Pure functions, no Streamlit, so the report (``analysis.reports``) words a figure as the dashboard does.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.metrics import ALL_STAGES_LABEL
from analysis.stages import STAGE_LABELS
from analysis.themes import THEMES


def stage_label(stage: str) -> str:
    return ALL_STAGES_LABEL if stage == "all" else STAGE_LABELS.get(stage, str(stage).replace("_", " ").capitalize())


def theme_label(theme: str) -> str:
    found = THEMES.get(theme)
    return found.label if found else str(theme).replace("_", " ").capitalize()


def theme_polarity(theme: str) -> str:
    found = THEMES.get(theme)
    return found.polarity if found else "complaint"


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def fmt_net(value: Any) -> str:
    return "–" if is_missing(value) else f"{value:+.0f}"


def fmt_int(value: Any) -> str:
    return "–" if is_missing(value) else f"{int(value):,}"


def fmt_count(value: Any, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular for one: "1 post", "2 posts", "1,204 candidate posts" (``plural``: when
    it is not the noun plus "s")."""
    if is_missing(value):
        return f"– {plural or noun + 's'}"
    return f"{fmt_int(value)} {noun if int(value) == 1 else plural or noun + 's'}"


def fmt_pct(value: Any) -> str:
    return "–" if is_missing(value) else f"{value:.0f}%"


def fmt_day(value: Any) -> str:
    """A day as "5 Jan 2026" (the day unpadded without glibc's ``%-d``, so on any platform)."""
    if is_missing(value):
        return "–"
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"
