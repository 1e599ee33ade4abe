"""Competitors: share of voice and net sentiment per stage against the configured competitors."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from pages import _charts as charts
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
    "Consumer brand sentiment (−100 to +100)": voice["brand_net_sentiment"].round(1),
})
highlight = charts.when(f"datum.Company === {json.dumps(sel.company)}", ui.ACCENT, ui.MUTED)
company_axis = charts.nominal("Company", sort=companies, title=None, axis={"labelLimit": 200})

st.subheader("Share of voice")
left, right = st.columns(2)
for column, field, title in ((left, "Share (%)", "All mentions"),
                             (right, "Candidate share (%)", "Candidate experiences")):
    with column:
        charts.show({"title": title, "mark": charts.mark("bar"), "height": 44 * len(share) + 50, "encoding": {
            "x": charts.quantitative(field, title="Share of voice (%)", scale={"domain": [0, 100]}),
            "y": company_axis, "color": highlight,
            "tooltip": [charts.nominal("Company"), *(charts.quantitative(c) for c in share.columns[1:])],
        }}, share)
ui.table(share, "competitors_share_of_voice")
st.caption("Consumer brand: every post about the company that is not a candidate experience, as in Brand impact. "
           "A sentiment left empty has no such post in this selection (a stage filter leaves only candidate posts).")

st.subheader("Candidate experience by stage")
st.caption(f"Net sentiment of candidate experiences per stage, −100 to +100, with the number of posts in "
           f"brackets. Cells on fewer than {ui.THIN_MENTIONS} posts are faded: one or two posts make a full ±100.")
if per_stage.empty:
    ui.empty_state("No candidate experiences for these companies in this period.")
    st.stop()
cells = pd.DataFrame({
    "Company": per_stage["company"],
    "Stage": per_stage["stage"].map(ui.stage_label),
    "Mentions": per_stage["mentions"].astype(int),
    ui.NET_TITLE: per_stage["net_sentiment"].round(1),
})
cells["Label"] = [f"{net:+.0f} ({n})" for net, n in zip(cells[ui.NET_TITLE], cells["Mentions"])]
axes = {"x": charts.nominal("Stage", sort=ui.stage_order_labels(), title="Hiring stage",
                            axis={"labelAngle": 0, "labelLimit": 200}),
        "y": company_axis}
heat = {"mark": charts.mark("rect"), "encoding": {
    **axes,
    "color": charts.quantitative(ui.NET_TITLE, scale=ui.sentiment_scale(), legend={"title": "Net sentiment"}),
    "opacity": ui.thin_opacity(),
    "tooltip": [charts.nominal("Company"), charts.nominal("Stage"), charts.quantitative("Mentions"),
                charts.quantitative(ui.NET_TITLE)],
}}
text = {"mark": charts.mark("text", fontSize=13), "encoding": {
    **axes, "text": charts.nominal("Label"), "color": ui.contrast_text(ui.NET_TITLE, "Mentions")}}
ui.chart(charts.layer(heat, text, height=60 * len(companies) + 40), cells, "competitors_stages",
         download_data=cells.drop(columns="Label"))
