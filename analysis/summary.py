"""Plain-language "what changed" sentences, from the period comparison: the Overview's, and the report's
``summary.md``.

Pure functions over the frames :func:`analysis.metrics.overview_bundle` returns: easy to test, no Streamlit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.wording import (fmt_count, fmt_day, fmt_int, fmt_net, fmt_pct, is_missing, stage_label, theme_label,
                              theme_polarity)

NOTABLE_POINTS = 5        # a move of fewer net-sentiment points is "about the same"
NOTABLE_VOLUME = 0.15     # a relative volume change below 15% is "about the same"
MIN_STAGE_MENTIONS = 5    # stages with fewer mentions in either period are not called out
FEW_POSTS = 20            # a figure from fewer posts than this says on how many it rests


def period_row(overview: pd.DataFrame, period: str) -> dict[str, Any]:
    """The ``period`` row of :func:`analysis.metrics.period_overview` as a dict (zeros if absent)."""
    rows = overview[overview["period"] == period]
    if rows.empty:
        return {"mentions": 0, "candidate_mentions": 0, "net_sentiment": None, "candidate_net_sentiment": None,
                "brand_net_sentiment": None, "negative_candidate_mentions": 0, "negative_with_consumer_link": 0,
                "resentment_share": None}
    return rows.iloc[0].to_dict()


def delta(now: Any, before: Any) -> float | None:
    if is_missing(now) or is_missing(before):
        return None
    return float(now) - float(before)


def _volume_sentence(label: str, now: int, before: int) -> str | None:
    if before == 0:
        return f"{label}: {fmt_int(now)} (nothing in the previous period)." if now else None
    change = (now - before) / before
    if abs(change) < NOTABLE_VOLUME:
        return f"{label} held steady at {fmt_int(now)} ({change:+.0%})."
    verb = "rose" if change > 0 else "fell"
    return f"{label} {verb} {abs(change):.0%}, from {fmt_int(before)} to {fmt_int(now)}."


def _few(now: int, before: int | None = None) -> str:
    """" on only 3 posts (6 before)": said after a figure that rests on fewer than FEW_POSTS posts, else ""."""
    if now >= FEW_POSTS and (before is None or before >= FEW_POSTS):
        return ""
    was = "" if before is None else f" ({fmt_int(before)} before)"
    return f", on only {fmt_count(now, 'post')}{was}"


def _net_sentence(label: str, now: Any, before: Any, posts: int, posts_before: int) -> str | None:
    if is_missing(now):
        return None
    moved = delta(now, before)
    if moved is None:
        return f"{label} is {fmt_net(now)}{_few(posts)}."
    if abs(moved) < NOTABLE_POINTS:
        return f"{label} is about the same at {fmt_net(now)} (was {fmt_net(before)}){_few(posts, posts_before)}."
    verb = "improved" if moved > 0 else "worsened"
    return f"{label} {verb} by {abs(moved):.0f} points, to {fmt_net(now)} (was {fmt_net(before)}){_few(posts, posts_before)}."


def summarise(overview: pd.DataFrame, stage_index: pd.DataFrame, theme_change: pd.DataFrame,
              spikes: pd.DataFrame | None = None) -> list[str]:
    """Up to six short sentences on what changed against the previous period; ``spikes`` (the period's spike
    rows of :func:`analysis.metrics.weekly_stage_spikes`), when given, adds one on the period's spikes."""
    now, before = period_row(overview, "current"), period_row(overview, "previous")
    has_previous = bool((overview["period"] == "previous").any())
    lines: list[str | None] = []
    if has_previous:
        lines.append(_volume_sentence("Mentions", int(now["mentions"]), int(before["mentions"])))
        lines.append(_net_sentence("Candidate-experience sentiment", now["candidate_net_sentiment"],
                                   before["candidate_net_sentiment"], int(now["candidate_mentions"]),
                                   int(before["candidate_mentions"])))
    else:
        lines.append(f"{fmt_count(now['mentions'], 'mention')}; no earlier data to compare with.")
    lines.append(_stage_sentence(stage_index, has_previous))
    lines.append(_theme_sentence(theme_change, has_previous))
    if spikes is not None:
        lines.append(_spike_sentence(spikes))
    if not is_missing(now["resentment_share"]) and now["negative_candidate_mentions"]:
        was = f" (was {fmt_pct(before['resentment_share'])})" if has_previous and not is_missing(before["resentment_share"]) else ""
        lines.append(f"{fmt_pct(now['resentment_share'])} of negative candidate posts tie the experience to being a "
                     f"customer{was}: {fmt_int(now['negative_with_consumer_link'])} of "
                     f"{fmt_int(now['negative_candidate_mentions'])}.")
    return [line for line in lines if line]


def _stage_sentence(stage_index: pd.DataFrame, has_previous: bool) -> str | None:
    current = stage_index[stage_index["period"] == "current"].set_index("stage")
    current = current[current["mentions"] >= MIN_STAGE_MENTIONS]
    if current.empty:
        return None
    if not has_previous:
        worst = current["net_sentiment"].idxmin()
        return f"The weakest stage is {stage_label(worst)} at {fmt_net(current.loc[worst, 'net_sentiment'])}."
    previous = stage_index[stage_index["period"] == "previous"].set_index("stage")
    previous = previous[previous["mentions"] >= MIN_STAGE_MENTIONS]
    moves = (current["net_sentiment"] - previous["net_sentiment"]).dropna()
    if moves.empty or moves.abs().max() < NOTABLE_POINTS:
        worst = current["net_sentiment"].idxmin()
        return f"No stage moved much; the weakest is {stage_label(worst)} at {fmt_net(current.loc[worst, 'net_sentiment'])}."
    stage = moves.abs().idxmax()
    verb = "improved" if moves[stage] > 0 else "worsened"
    posts, posts_before = int(current.loc[stage, "mentions"]), int(previous.loc[stage, "mentions"])
    return (f"The biggest stage move: {stage_label(stage)} {verb} by {abs(moves[stage]):.0f} points, "
            f"to {fmt_net(current.loc[stage, 'net_sentiment'])}{_few(posts, posts_before)}.")


def _spike_sentence(spikes: pd.DataFrame) -> str | None:
    """The period's spikes in one sentence: how many weeks, and the one furthest above its usual volume."""
    if spikes.empty:
        return None
    weeks = spikes["week"].nunique()
    top = spikes.loc[(spikes["mentions"] / spikes["baseline"].clip(lower=1)).idxmax()]
    what = (fmt_count(top["mentions"], "candidate post") if top["stage"] == "all"
            else f"{fmt_count(top['mentions'], 'post')} on the {stage_label(top['stage'])} stage")
    lead = "A spike in the week of" if weeks == 1 else f"Spikes in {weeks} weeks; the furthest above usual in the week of"
    return (f"{lead} {fmt_day(top['week'])}: {what}, usually {top['baseline']:.0f} "
            "(Trends and spikes says what drove it).")


def _theme_sentence(theme_change: pd.DataFrame, has_previous: bool) -> str | None:
    if theme_change.empty:
        return None
    complaints = theme_change[theme_change["theme"].map(theme_polarity) == "complaint"]
    if complaints.empty:
        return None
    key = "change" if has_previous else "mentions"
    top = complaints.sort_values([key, "mentions"], ascending=False).iloc[0]
    if has_previous and top["change"] > 0:
        return (f"Fastest-growing complaint: {theme_label(top['theme'])}, {fmt_count(top['mentions'], 'post')} "
                f"({int(top['change']):+d} on the previous period).")
    top = complaints.sort_values("mentions", ascending=False).iloc[0]
    if not top["mentions"]:   # the complaints were all in the previous period: none is "most common" now
        return None
    return f"Most common complaint: {theme_label(top['theme'])} ({fmt_count(top['mentions'], 'post')})."
