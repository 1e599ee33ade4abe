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

ui.stage_filter_note(sel, "All mentions and Consumer brand sentiment count them; the candidate columns and the "
                          "map by stage count only the candidate experiences kept.")
data = ui.fetch(loaders.load_competitors, sel.peer_filters)
voice, per_stage = data["voice"], data["stages"]
where = f"from {ui.sources_named(sel)} (the Sources filter) " if sel.sources else ""
if voice.empty:
    ui.empty_state(f"No posts {where}about these companies in this period.")
    st.stop()
companies = list(voice["company"])
missing = [c for c in sel.peer_filters.companies if c not in companies]
if missing:   # a company without a post is compared with nothing: say so rather than drop it
    st.info(f"{ui.escape_md(ui.word_list(missing))} {'has' if len(missing) == 1 else 'have'} no posts {where}in this "
            f"period, so {'it is' if len(missing) == 1 else 'they are'} not compared below. "
            + ("Clear or widen the Sources filter to compare all of them." if sel.sources else "Widen the period."))
SENTIMENTS = {"Candidate sentiment (−100 to +100)": "candidate_net_sentiment",
              "Consumer brand sentiment (−100 to +100)": "brand_net_sentiment"}
share = pd.DataFrame({
    "Company": voice["company"],
    "Mentions": voice["mentions"].astype(int),
    "Share (%)": voice["share_of_voice"].round(1),
    "Candidate posts": voice["candidate_mentions"].astype(int),
    "Candidate share (%)": voice["candidate_share_of_voice"].round(1),
    **{title: voice[column].round(1) for title, column in SENTIMENTS.items()},
})
highlight = charts.when(f"datum.Company === {json.dumps(sel.company)}", ui.ACCENT, ui.MUTED)
company_axis = charts.nominal("Company", sort=companies, title=None, axis={"labelLimit": 200})

st.subheader("Share of voice")
left, right = st.columns(2)
for column, field, title in ((left, "Share (%)", "All mentions"),
                             (right, "Candidate share (%)", "Candidate experiences")):
    with column:
        charts.show({"title": title, "mark": charts.mark("bar"), "height": 34 * len(share), "encoding": {
            "x": charts.quantitative(field, title="Share of voice (%)", scale={"domain": [0, 100]}),
            "y": company_axis, "color": highlight,
            "tooltip": [charts.nominal("Company"), *(charts.quantitative(c) for c in share.columns[1:])],
        }}, share)
# short titles with help, so that every column fits beside the others on a laptop's screen (the CSV keeps the long)
percent = {"format": "%.1f%%"}
ui.table(share, "competitors_share_of_voice", column_config={
    "Mentions": st.column_config.NumberColumn("Posts", help="Posts naming the company in the period.", width="small"),
    "Share (%)": st.column_config.NumberColumn("Share", help="Its share of all the companies' posts.", **percent),
    "Candidate posts": st.column_config.NumberColumn(
        "Candidate posts", help="Of its posts, those that tell a candidate's own hiring experience."),
    "Candidate share (%)": st.column_config.NumberColumn(
        "Candidate share", help="Its share of all the companies' candidate experiences.", **percent),
    "Candidate sentiment (−100 to +100)": st.column_config.NumberColumn(
        "Candidate sentiment", help="Net sentiment of its candidate experiences, −100 to +100. " + ui.NET_HELP,
        format=ui.NET_FORMAT),
    "Consumer brand sentiment (−100 to +100)": st.column_config.NumberColumn(
        "Brand sentiment", help="Net sentiment of its other posts, how it is seen as a consumer brand, −100 to "
                                "+100. Empty when it has none in this selection. " + ui.NET_HELP,
        format=ui.NET_FORMAT),
})
st.caption("Brand sentiment is the consumer brand's: every post about the company that is not a candidate "
           "experience, as in Brand impact. A sentiment left empty has no such post in this selection"
           + (f": {ui.escape_md(ui.sources_named(sel))} (the Sources filter) may hold candidate experiences alone."
              if sel.sources and share["Consumer brand sentiment (−100 to +100)"].isna().any() else "."))

st.subheader("Candidate experience by stage")
st.caption(f"Net sentiment of candidate experiences per stage, −100 to +100, with the number of posts in "
           f"brackets. Cells on fewer than {ui.THIN_MENTIONS} posts are faded: one or two posts make a full ±100. "
           "A stage's figure reads what the posts say about that stage, so it can differ from the Candidate "
           "sentiment above.", help=ui.STAGE_VS_POST_HELP)
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
# a stage a row and a company a column, as a table of them: the stage names never run into each other, and a few
# companies leave each cell room for its figure on a narrow screen too (stages across, they did not at 900 px)
axes = {"y": charts.nominal("Stage", sort=ui.stage_order_labels(), title=None, axis={"labelLimit": 200}),
        "x": charts.nominal("Company", sort=companies, title=None,
                            axis={"orient": "top", "labelAngle": 0, "labelExpr": "split(datum.label, ' ')"})}
heat = {"mark": charts.mark("rect"), "encoding": {
    **axes,
    "color": charts.quantitative(ui.NET_TITLE, scale=ui.sentiment_scale(),
                                 legend={"title": "Net sentiment", "orient": "bottom"}),
    "opacity": ui.thin_opacity(),
    "tooltip": [charts.nominal("Company"), charts.nominal("Stage"), charts.quantitative("Mentions"),
                charts.quantitative(ui.NET_TITLE)],
}}
text = {"mark": charts.mark("text", fontSize=12), "encoding": {
    **axes, "text": charts.nominal("Label"), "color": ui.contrast_text(ui.NET_TITLE, "Mentions")}}
ui.chart(charts.layer(heat, text, height=34 * cells["Stage"].nunique()), cells, "competitors_stages",
         download_data=cells.drop(columns="Label"))
