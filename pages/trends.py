"""Trends and spikes: weekly volume and sentiment per stage, spikes against a trailing baseline,
and what drove each spike."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.metrics import ALL_STAGES_LABEL, SPIKE_BASELINE_WEEKS, SPIKE_MIN_COUNT, SPIKE_SIGMA, drivers_by_week
from pages import _charts as charts
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

ALL, BY_STAGE = ALL_STAGES_LABEL, "By stage"
BASELINE = "Usual weekly mentions"

sel = selection()
ui.header("Trends and spikes", sel,
          intro=f"A week is a **spike** when it brings clearly more mentions than usual: at least {SPIKE_MIN_COUNT}, "
                f"and more than the average of the previous {SPIKE_BASELINE_WEEKS} weeks by over {SPIKE_SIGMA:g} "
                "times the amount those weeks usually vary.",
          intro_help=f"For analysts: above the mean plus {SPIKE_SIGMA:g} standard deviations of the previous "
                     f"{SPIKE_BASELINE_WEEKS} weeks' mentions, with at least {SPIKE_MIN_COUNT} mentions.")
ui.require_data(sel)

data = ui.fetch(loaders.load_trends, sel.filters)
weekly, drivers = data["weekly"], data["drivers"]
if weekly.empty or not weekly["mentions"].any():
    ui.empty_state("No candidate experiences match the current filters.")
    st.stop()

# the total line is of the posts the stage filter keeps: "Candidate experiences about Offer" under an Offer filter
all_label = (ui.stage_label("all") if not sel.stages else
             "Candidate experiences about " + " or ".join(ui.stage_label(s) for s in sel.stages))


def _stage_name(stage: str) -> str:
    return all_label if stage == "all" else ui.stage_label(stage)


frame = pd.DataFrame({
    "Week": ui.week_strings(weekly["week"]),
    "Stage": weekly["stage"].map(_stage_name),
    "Mentions": weekly["mentions"].astype(int),
    ui.NET_TITLE: weekly["net_sentiment"].round(1),
    BASELINE: weekly["baseline"].round(1),
    "Spike threshold": weekly["threshold"].round(1),
    "Spike": weekly["is_spike"].astype(bool),
})
show = st.segmented_control("Show", [ALL, BY_STAGE], default=ALL, key="trend_split",
                            format_func=lambda option: all_label if option == ALL else option) or ALL
lines = frame[frame["Stage"] == all_label] if show == ALL else frame[frame["Stage"] != all_label]
domain = [all_label] if show == ALL else [s for s in ui.stage_order_labels() if s in set(lines["Stage"])]
scale = {**ui.stage_colour([ui.stage_label("all")] if show == ALL else domain), "domain": domain}   # all_label's grey
colour = charts.nominal("Stage", scale=scale, sort=domain,
                        legend={"orient": "bottom", "title": "Hiring stage", "labelLimit": 400})
week_axis = ui.week_x(lines["Week"])
tooltip = [ui.week_tooltip(), charts.nominal("Stage"),
           *(charts.quantitative(c) for c in ("Mentions", BASELINE, "Spike threshold", ui.NET_TITLE))]

st.subheader("Weekly volume")
# a count axis ticks whole numbers only; a single week is a point, which a line alone does not draw
volume = {"mark": charts.mark("line", point=lines["Week"].nunique() == 1), "encoding": {
    "x": week_axis, "color": colour, "tooltip": tooltip,
    "y": charts.quantitative("Mentions", title="Mentions per week", axis={"tickMinStep": 1, "format": "d"})}}
spikes = {"transform": [{"filter": "datum.Spike"}],
          "mark": charts.mark("point", shape="triangle-up", size=160, filled=True, color="#d62728", opacity=1),
          "encoding": {"x": week_axis, "y": charts.quantitative("Mentions"), "tooltip": tooltip}}
hidden = int(frame.loc[frame["Stage"] != all_label, "Spike"].sum()) if show == ALL else 0
more = (f" {hidden} more spike{'' if hidden == 1 else 's'} on single stages: see {BY_STAGE} and the cards below."
        if hidden else "")
ui.chart(charts.layer(volume, spikes, height=320), lines, "trends_weekly",
         caption=f"Red triangles mark spikes. Weeks start on Monday (UTC).{ui.partial_weeks_note(sel)}{more}")

st.subheader("Weekly net sentiment")
sentiment = {"mark": charts.mark("line", strokeWidth=1.5), "encoding": {
    "x": week_axis, "y": charts.quantitative(ui.NET_TITLE, scale={"domain": [-100, 100]}), "color": colour,
    "tooltip": tooltip}}
# a week's point faded when it rests on a few posts: one or two posts swing a stage's line to ±100
weeks = {"mark": charts.mark("point", filled=True, size=50), "encoding": {
    "x": week_axis, "y": charts.quantitative(ui.NET_TITLE), "color": colour, "opacity": ui.thin_opacity(),
    "tooltip": tooltip}}
charts.show(charts.layer(sentiment, weeks, charts.zero_rule(), height=300), lines)
st.caption(f"Faded points rest on fewer than {ui.THIN_MENTIONS} posts that week: such weeks swing widely, so read "
           "the line together with the volume above.")

st.subheader("Spikes and what drove them")
found = weekly[weekly["is_spike"]]
if found.empty:
    st.info("No spikes in this period: weekly volume stayed within its usual range.")
    st.stop()


tops = drivers_by_week(drivers)


def _top(week: object, stage: str, kind: str) -> str:
    label = ui.theme_label if kind == "theme" else ui.stage_label
    found = tops.get((pd.Timestamp(week).date(), stage, kind), ())
    return ", ".join(f"{label(name)} ({count})" for name, count in found) or "–"


st.caption(f"What drove each spike: the top themes and stages of the posts behind it, the whole week's for "
           f"“{all_label}”, that week's posts on the stage for a single stage.")
table = pd.DataFrame({
    "Week starting": pd.to_datetime(found["week"]).dt.date,
    "Stage": found["stage"].map(_stage_name),
    "Mentions": found["mentions"].astype(int),
    BASELINE: found["baseline"].round(1),
    ui.NET_TITLE: found["net_sentiment"].round(0).astype("Int64"),  # a week may have no scored post
    "Top themes": [_top(w, s, "theme") for w, s in zip(found["week"], found["stage"])],
    "Top stages": [_top(w, s, "stage") for w, s in zip(found["week"], found["stage"])],
})
# A card per spike, not a table: its lists stay readable at any width (a table of seven columns ran past the
# page's edge in a 900 px window beside the sidebar). Spikes are few; the download holds them as a table.
for spike in table.itertuples(index=False):
    week, stage, mentions, usual, net, themes, stages = spike
    with st.container(border=True):
        st.markdown(f"**{ui.fmt_day(week)} · {stage}**  \n"
                    f"{ui.fmt_int(mentions)} mentions, usually {usual:.1f} a week · net sentiment {ui.fmt_net(net)}  \n"
                    f"Themes: {themes}  \nStages: {stages}")
ui.download(table, "trends_spikes")
