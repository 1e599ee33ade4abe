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


AGREEMENT_NAMES = {  # measure (analysis.metrics.label_agreement) -> what the dashboard and `hirepulse labels` call it
    "tone": "Tone",
    "tone_sure": "Tone, sure readings",
    "tone_unsure": "Tone, unsure readings",
    "negatives_read_positive": "Negatives read as positive",
    "candidate": "Candidate accounts spotted",
    "stages": "Stages spotted",
    "consumer_link": "Customer ties spotted",
    "candidate_net_bias": "Candidate sentiment, the analyzer's minus yours",
}
TOO_FEW_TO_TELL = "too few posts to tell"


def agreement_name(measure: str, posts: int, of: int) -> str:
    """A measure of how the readings agree with the labels, named, with the posts it is read on where they are
    fewer than ``of``, all those read (negatives: those labelled so; stages: those both call a candidate's)."""
    return AGREEMENT_NAMES.get(measure, measure) + (f", {int(posts):,} posts" if int(posts) < of else "")


def agreement_figure(measure: str, value: float, low: float | None, high: float | None) -> tuple[str, str]:
    """A measure's figure and its likely range (``low``-``high``, the bootstrap interval): a share in %, the
    candidate sentiment gap in signed points."""
    points = measure == "candidate_net_bias"
    figure = fmt_net(100 * value) + " points" if points else f"{value:.0%}"
    if is_missing(low) or is_missing(high):
        return figure, "–"
    if low == high:
        # every resample gave the same figure (no customer tie found in 2 posts that have one; 20 of 20 read
        # alike): the bootstrap cannot say how far it could move, and "0–0%" read as certainty
        return figure, TOO_FEW_TO_TELL
    return figure, (f"{fmt_net(100 * low)} to {fmt_net(100 * high)}" if points else f"{100 * low:.0f}–{high:.0%}")
