"""Hiring journey: sentiment and volume per stage in journey order, stage-by-theme heat map,
and the most negative and most positive posts per stage."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

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
steps = pd.DataFrame({
    "Stage": journey["stage"].map(ui.stage_label),
    "Mentions": journey["mentions"].astype(int),
    ui.NET_TITLE: journey["net_sentiment"].round(1),
    "Positive (%)": journey["positive_share"].round(1),
    "Negative (%)": journey["negative_share"].round(1),
})
order = ui.stage_order_labels()
left, right = st.columns(2)
with left:
    net = alt.Chart(steps, title="Net sentiment by stage").mark_bar().encode(
        y=alt.Y("Stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X(f"{ui.NET_TITLE}:Q", scale=alt.Scale(domain=[-100, 100]), axis=alt.Axis(values=[-100, -50, 0, 50, 100])),
        color=alt.Color(f"{ui.NET_TITLE}:Q", scale=ui.sentiment_scale(), legend=None),
        tooltip=ui.tooltips(*steps.columns),
    ).properties(height=260)
    ui.altair_chart(net)
with right:
    volume = alt.Chart(steps, title="Candidate mentions by stage").mark_bar().encode(
        y=alt.Y("Stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("Mentions:Q", title="Mentions (posts)"),
        color=alt.Color("Stage:N", scale=ui.stage_colour(order), legend=None),
        tooltip=ui.tooltips(*steps.columns),
    ).properties(height=260)
    ui.altair_chart(volume)
ui.download(steps, "journey_stages")

# --- stage x theme heat map
st.subheader("Themes at each stage")
st.caption("Posts per stage and theme; the colour is the stage's net sentiment in those posts (−100 to +100).")
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
    base = alt.Chart(cells).encode(
        x=alt.X("Stage:N", sort=order, title="Hiring stage", axis=alt.Axis(labelAngle=0, labelLimit=200, orient="top")),
        y=alt.Y("Theme:N", sort=theme_order, title=None, axis=alt.Axis(labelLimit=280)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(f"{ui.NET_TITLE}:Q", scale=ui.sentiment_scale(), legend=alt.Legend(title="Net sentiment")),
        tooltip=ui.tooltips(*cells.columns),
    )
    labels = base.mark_text(fontSize=12).encode(text=alt.Text("Mentions:Q"), color=ui.contrast_text(ui.NET_TITLE))
    ui.chart((heat + labels).properties(height=max(220, 26 * len(theme_order))), cells, "journey_stage_themes")

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
