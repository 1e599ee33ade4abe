"""Competitors: share of voice and net sentiment per stage against the configured competitors."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

sel = selection()
ui.header("Competitors", sel, intro="The company next to its competitors, in the same period and sources.")
ui.require_data(sel)
if not sel.competitors:
    st.info("No competitors selected. Pick some in the sidebar, or list them under `competitors` for the "
            "company in hirepulse.toml.")
    st.stop()

data = ui.fetch(loaders.load_competitors, sel.peer_filters)
voice, per_stage = data["voice"], data["stages"]
if voice.empty:
    ui.empty_state()
    st.stop()
companies = list(voice["company"])
share = pd.DataFrame({
    "Company": voice["company"],
    "Mentions": voice["mentions"].astype(int),
    "Share (%)": voice["share_of_voice"].round(1),
    "Candidate posts": voice["candidate_mentions"].astype(int),
    "Candidate share (%)": voice["candidate_share_of_voice"].round(1),
    "Candidate sentiment (−100 to +100)": voice["candidate_net_sentiment"].round(1),
    "Brand sentiment (−100 to +100)": voice["brand_net_sentiment"].round(1),
})
highlight = ui.when(f"datum.Company === {json.dumps(sel.company)}", "#4e79a7", "#bab0ac")

st.subheader("Share of voice")
left, right = st.columns(2)
for column, field, title in ((left, "Share (%)", "All mentions"),
                             (right, "Candidate share (%)", "Candidate experiences")):
    with column:
        bars = alt.Chart(share, title=title).mark_bar().encode(
            x=alt.X(f"{field}:Q", title="Share of voice (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("Company:N", sort=companies, title=None, axis=alt.Axis(labelLimit=200)), color=highlight,
            tooltip=ui.tooltips(*share.columns),
        ).properties(height=44 * len(share) + 50)
        ui.altair_chart(bars)
ui.table(share, "competitors_share_of_voice")

st.subheader("Candidate experience by stage")
st.caption("Net sentiment of candidate experiences per stage, −100 to +100; the number is the mention count.")
if per_stage.empty:
    ui.empty_state("No candidate experiences for these companies in this period.")
    st.stop()
cells = pd.DataFrame({
    "Company": per_stage["company"],
    "Stage": per_stage["stage"].map(ui.stage_label),
    "Mentions": per_stage["mentions"].astype(int),
    ui.NET_TITLE: per_stage["net_sentiment"].round(1),
})
base = alt.Chart(cells).encode(
    x=alt.X("Stage:N", sort=ui.stage_order_labels(), title="Hiring stage", axis=alt.Axis(labelAngle=0, labelLimit=200)),
    y=alt.Y("Company:N", sort=companies, title=None, axis=alt.Axis(labelLimit=200)),
)
heat = base.mark_rect().encode(
    color=alt.Color(f"{ui.NET_TITLE}:Q", scale=ui.sentiment_scale(), legend=alt.Legend(title="Net sentiment")),
    tooltip=ui.tooltips(*cells.columns),
)
text = base.mark_text(fontSize=13).encode(text=alt.Text(f"{ui.NET_TITLE}:Q", format="+.0f"),
                                          color=ui.contrast_text(ui.NET_TITLE))
ui.chart((heat + text).properties(height=60 * len(companies) + 40), cells, "competitors_stages")
