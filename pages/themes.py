"""Themes: complaint and praise themes ranked by volume or by change, each with its posts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _charts as charts
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

POSTS_SHOWN = 30
KINDS = (("Complaint", "Complaints", "#e15759"), ("Praise", "Praise", "#4e79a7"))

sel = selection()
ui.header("Themes", sel, intro="What candidates complain about and what they praise, and how that moved.")
ui.require_data(sel)
st.caption(ui.THEMES_NOTE)

asked = st.session_state.get("theme_posts")   # the theme picked below on the previous run
data = ui.fetch(loaders.load_themes, sel.filters, theme=asked, limit=POSTS_SHOWN)
themes, posts = data["themes"], data["posts"]
if themes.empty or not themes["mentions"].any():
    ui.empty_state("No themes were found in the posts of this period.")
    st.stop()

rank_by = st.segmented_control("Rank by", ["Volume", "Change"], default="Volume", key="theme_rank") or "Volume"
ranked = pd.DataFrame({
    "Theme": themes["theme"].map(ui.theme_label),
    "Type": themes["theme"].map(ui.theme_polarity).map({"complaint": "Complaint", "praise": "Praise"}),
    "Mentions": themes["mentions"].astype(int),
    "Previous period": themes["previous_mentions"].astype(int),
    "Change": themes["change"].astype(int),
    ui.NET_TITLE: themes["net_sentiment"].round(1),
    "Last seen": themes["last_seen"],
})
key = "Mentions" if rank_by == "Volume" else "Change"
axis_title = "Mentions in the period" if key == "Mentions" else "Change on the previous period"
# complaints and praise on one scale, side by side: 14 praise posts must not look as large as 130 complaints
x_domain = [min(0, int(ranked[key].min())), max(1, int(ranked[key].max()))]
for column, (kind, heading, colour) in zip(st.columns(2), KINDS):
    with column:
        st.subheader(heading)
        part = ranked[ranked["Type"] == kind].sort_values([key, "Mentions"], ascending=False)
        if part.empty:
            st.info(f"No {heading.lower()} themes in this period.")
            continue
        bars = {"mark": charts.mark("bar", color=colour), "height": max(140, 30 * len(part)), "encoding": {
            "x": charts.quantitative(key, title=axis_title, scale={"domain": x_domain},
                                     axis={"format": "d", "tickMinStep": 1}),
            "y": charts.nominal("Theme", sort=part["Theme"].tolist(), title=None,
                                axis={"labelLimit": 260, "labelOverlap": False}),
            "tooltip": [charts.nominal("Theme"), *(charts.quantitative(c) for c in
                                                   ("Mentions", "Previous period", "Change", ui.NET_TITLE))],
        }}
        ui.chart(bars, part, f"themes_{kind.lower()}")

st.subheader("Posts by theme")
ids = themes.sort_values("mentions", ascending=False)["theme"].tolist()
theme = st.selectbox("Theme", ids, format_func=ui.theme_label, key="theme_posts")
if theme != (asked or ids[0]):  # the earlier choice is no longer in the list
    posts = ui.fetch(loaders.load_theme_posts, sel.filters, theme, limit=POSTS_SHOWN)
if posts.empty:
    st.info(f"No posts about “{ui.theme_label(theme)}” in this period.")
else:
    newest = "The newest post" if len(posts) == 1 else f"The {len(posts)} newest posts"
    st.caption(f"{newest} about “{ui.theme_label(theme)}” in the period. "
               "Sentiment is the whole post's, −100 to +100.")
    ui.table(ui.posts_frame(posts), "themes_posts", column_config={
        "Post": st.column_config.TextColumn("Post", width="medium")})
