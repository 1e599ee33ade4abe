"""Hiring journey: sentiment and volume per stage in journey order, stage-by-theme heat map,
and the most negative and most positive posts per stage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _charts as charts
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

sel = selection()
ui.header("Hiring journey", sel, intro="How candidates describe each step, from application to onboarding.")
ui.require_data(sel)

data = ui.fetch(loaders.load_journey, sel.filters)
journey, matrix, extremes = data["journey"], data["matrix"], data["extremes"]
if journey.empty:
    ui.empty_state("No candidate experiences match the current filters.")
    st.stop()

# --- sentiment and volume per stage
st.subheader("Sentiment and volume by stage")
st.caption(ui.STAGE_TONE_NOTE)
steps = pd.DataFrame({
    "Stage": journey["stage"].map(ui.stage_label),
    "Mentions": journey["mentions"].astype(int),
    ui.NET_TITLE: journey["net_sentiment"].round(1),
    "Positive (%)": journey["positive_share"].round(1),
    "Negative (%)": journey["negative_share"].round(1),
})
order = ui.stage_order_labels()
stage_axis = charts.nominal("Stage", sort=order, title=None, axis={"labelLimit": 200})
step_tips = [charts.nominal("Stage"), *(charts.quantitative(c) for c in steps.columns[1:])]
left, right = st.columns(2)
with left:
    charts.show({"title": "Net sentiment by stage", "mark": charts.mark("bar"), "height": 260, "encoding": {
        "y": stage_axis,
        "x": charts.quantitative(ui.NET_TITLE, scale={"domain": [-100, 100]}, axis={"values": [-100, -50, 0, 50, 100]}),
        "color": charts.quantitative(ui.NET_TITLE, scale=ui.sentiment_scale(), legend=None),
        "tooltip": step_tips,
    }}, steps)
with right:
    charts.show({"title": "Candidate mentions by stage", "mark": charts.mark("bar"), "height": 260, "encoding": {
        "y": stage_axis,
        "x": charts.quantitative("Mentions", title="Mentions (posts)"),
        "color": charts.nominal("Stage", scale=ui.stage_colour(order), legend=None),
        "tooltip": step_tips,
    }}, steps)
ui.download(steps, "journey_stages")

# --- stage x theme heat map
st.subheader("Themes at each stage")
st.caption("Posts per stage and theme; the colour is the stage's net sentiment in those posts (−100 to +100). "
           f"Cells on fewer than {ui.THIN_MENTIONS} posts are faded.")
if matrix.empty:
    st.info("No themes were found in these posts.")
else:
    cells = pd.DataFrame({
        "Stage": matrix["stage"].map(ui.stage_label),
        "Theme": matrix["theme"].map(ui.theme_label),
        "Mentions": matrix["mentions"].astype(int),
        ui.NET_TITLE: matrix["net_sentiment"].round(1),
    })
    theme_order = cells.groupby("Theme")["Mentions"].sum().sort_values(ascending=False).index.tolist()
    axes = {"x": charts.nominal("Stage", sort=order, title="Hiring stage",
                                axis={"labelAngle": 0, "labelLimit": 200, "orient": "top"}),
            "y": charts.nominal("Theme", sort=theme_order, title=None, axis={"labelLimit": 280})}
    heat = {"mark": charts.mark("rect"), "encoding": {
        **axes,
        "color": charts.quantitative(ui.NET_TITLE, scale=ui.sentiment_scale(), legend={"title": "Net sentiment"}),
        "opacity": ui.thin_opacity(),
        "tooltip": [charts.nominal("Stage"), charts.nominal("Theme"), charts.quantitative("Mentions"),
                    charts.quantitative(ui.NET_TITLE)],
    }}
    labels = {"mark": charts.mark("text", fontSize=12), "encoding": {
        **axes, "text": charts.quantitative("Mentions"), "color": ui.contrast_text(ui.NET_TITLE, "Mentions")}}
    ui.chart(charts.layer(heat, labels, height=max(220, 26 * len(theme_order))), cells, "journey_stage_themes")

# --- worst and best posts per stage
st.subheader("Worst and best posts per stage")
stages = [s for s in journey["stage"] if s in set(extremes["stage"])]
if not stages:
    st.info("No clearly negative or positive posts in this selection.")
else:
    # one stage at a time: rendering every stage's cards at once doubled the view's render time
    stage = st.segmented_control("Stage", stages, format_func=ui.stage_label, default=stages[0],
                                 key="journey_stage") or stages[0]
    if stage not in stages:
        stage = stages[0]
    worst_col, best_col = st.columns(2)
    for column, side, heading in ((worst_col, "worst", "Most negative"), (best_col, "best", "Most positive")):
        with column:
            st.markdown(f"**{heading}**")
            posts = extremes[(extremes["stage"] == stage) & (extremes["side"] == side)]
            if posts.empty:
                st.caption("None in this period.")
            for _, post in posts.iterrows():
                ui.post_card(post, score_label="Stage sentiment")
    ui.download(ui.posts_frame(extremes, extra={"stage": "Stage", "side": "Side"}).assign(
        Stage=lambda d: d["Stage"].map(ui.stage_label),
        Side=lambda d: d["Side"].map({"worst": "Most negative", "best": "Most positive"})), "journey_posts")
