"""Overview: headline figures against the previous period and what changed, in plain words."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.metrics import AGREEMENT_MIN
from analysis.scoring import STAGES
from analysis.summary import FEW_POSTS, delta, period_row, summarise
from pages import _charts as charts
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection


def _change(moved: float | None, text: Callable[[float], str] = ui.fmt_net, colour: str = "normal") -> dict:
    """A card's ``delta``, ``delta_color`` and ``delta_arrow``: none without a change; a change that rounds to
    nothing shown as "0", neither coloured nor arrowed (a red "↑ +0" read as bad news)."""
    if moved is None:
        return {"delta": None}
    if round(moved) == 0:
        return {"delta": text(0).lstrip("+"), "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text(moved), "delta_color": colour}


sel = selection()
ui.header("Overview", sel)
ui.require_data(sel)
ui.stage_filter_note(sel, "Mentions and Net sentiment count them with the candidate experiences kept; the "
                          "candidate figures and the stage index count only those.")

data = ui.fetch(loaders.load_overview, sel.filters)
overview, stage_index, theme_change = data["overview"], data["stages"], data["themes"]
now, before = period_row(overview, "current"), period_row(overview, "previous")
if not now["mentions"]:
    ui.empty_state()
    st.stop()

# --- headline figures
RESENTMENT = "Customer-tied complaints"  # (its value is a percentage)
BRAND = "Consumer brand sentiment (−100 to +100)"
few = min(int(now["candidate_mentions"]), int(before["candidate_mentions"]) if before["mentions"] else FEW_POSTS)
if few < FEW_POSTS:
    st.warning(f"Only {ui.fmt_count(now['candidate_mentions'], 'candidate post')} in this selection"
               + (f" and {ui.fmt_int(before['candidate_mentions'])} in the period before" if before["mentions"] else "")
               + ": a few posts swing these figures widely. Widen the period or clear the source and stage filters "
                 "before reading a change as a trend.")
# two rows of three, as the stage cards below: first the candidate experience and the brand side by side, with
# where they meet (complaints tied to being a customer); then the volume and the tone of every post. (Five
# cards in one row cut their labels short on a laptop's screen.)
cols = [c for _ in range(2) for c in st.columns(3)]
cols[0].metric("Candidate sentiment (−100 to +100)", ui.fmt_net(now["candidate_net_sentiment"]),
               **_change(delta(now["candidate_net_sentiment"], before["candidate_net_sentiment"])),
               help="Net sentiment of first-hand candidate experiences. " + ui.NET_HELP + " " + ui.CANDIDATE_NET_NOTE,
               border=True)
# the consumer brand as Competitors and Brand impact read it: every post about the company that is not a
# candidate experience (analysis.metrics.period_overview's brand_net_sentiment)
cols[1].metric(BRAND, ui.fmt_net(now["brand_net_sentiment"]),
               **_change(delta(now["brand_net_sentiment"], before["brand_net_sentiment"])),
               help="Net sentiment of every post about the company that is not a candidate experience: how the "
                    "brand is seen, as in Competitors and Brand impact (a stage filter leaves it whole: such posts name no "
                    "hiring stage). " + ui.NET_HELP,
               border=True)
cols[2].metric(RESENTMENT, ui.fmt_pct(now["resentment_share"]),
               **_change(delta(now["resentment_share"], before["resentment_share"]), lambda v: f"{v:+.0f} pts",
                         "inverse"),
               help="Share of negative candidate experiences whose writer ties them to being, or no longer "
                    "being, the company's customer: customers treated badly as candidates (a sign of the "
                    "resentment that costs sales). Lower is better. "
                    + ui.CONSUMER_LINK_NOTE,
               border=True)
cols[3].metric("Mentions", ui.fmt_int(now["mentions"]),
               **_change(now["mentions"] - before["mentions"] if before["mentions"] else None, lambda v: f"{v:+,}",
                         "off"),
               help="Posts naming the company in the period.", border=True)
cols[4].metric(ui.NET_TITLE, ui.fmt_net(now["net_sentiment"]),
               **_change(delta(now["net_sentiment"], before["net_sentiment"])),
               help=ui.NET_HELP + " All posts about the company.", border=True)

# how far to trust these figures for the company's own posts, once the team has labelled enough of them
figures, scope, _adapted = ui.fetch(loaders.load_label_agreement)
measured = figures.set_index("measure")
if scope in ("learned", "file") and "tone" in measured.index:
    # adapted with these very labels (or with a file that may hold them): a figure on them flatters the readings
    learned = ("your team's labels" if scope == "learned" else
               "a file of labelled posts, which may hold the posts your team labelled here")
    st.caption(f"The analyzer was adapted with {learned}, so how it reads those posts says little about how it "
               "reads others. "
               + (f"Once {AGREEMENT_MIN} more posts are labelled and analysed, a line here measures them on those. "
                  if scope == "learned" else "") + "More in **Label posts**.")
elif "tone" in measured.index and int(measured.loc["tone", "posts"]) >= AGREEMENT_MIN:
    tone = measured.loc["tone"]
    since = " since the analyzer was adapted" if scope == "since" else ""
    level = ""
    if "candidate_net_bias" in measured.index:
        gap = round(100 * float(measured.loc["candidate_net_bias", "value"]))
        level = (f"; on the candidate accounts among them, its candidate sentiment is {abs(gap)} points "
                 f"{'below' if gap < 0 else 'above'} yours" if gap else "; on the candidate accounts among them, "
                 "its candidate sentiment is yours")
    st.caption(f"Measured on your own posts: on {int(tone['posts']):,} posts your team labelled{since}, the analyzer "
               f"reads the tone as you do in {tone['value']:.0%} (likely {100 * tone['low']:.0f}–{tone['high']:.0%})"
               f"{level}. More in **Label posts**.")

st.subheader("What changed")
st.markdown("\n".join(f"- {ui.escape_md(line)}" for line in summarise(overview, stage_index, theme_change, data["spikes"])))

# --- candidate-experience index per stage
st.subheader("Candidate-experience index by hiring stage")
st.caption("Net sentiment of what candidates say about each stage, −100 to +100; the change is against the previous period."
           + (" On the same posts it can differ from Candidate sentiment above: the first reads what they say about "
              "the stage, the second the whole post." if sel.stages else ""),
           help=ui.STAGE_VS_POST_HELP)
current = stage_index[stage_index["period"] == "current"].set_index("stage")
previous = stage_index[stage_index["period"] == "previous"].set_index("stage")
stages = [s for s in STAGES if s in current.index]
if not stages:
    ui.empty_state("No candidate experiences in this period.")
    st.stop()
columns = [c for _ in range(0, len(stages), 3) for c in st.columns(3)]
for column, stage in zip(columns, stages):
    moved = delta(current.loc[stage, "net_sentiment"], previous["net_sentiment"].get(stage))
    posts, posts_before = int(current.loc[stage, "mentions"]), int(previous["mentions"].get(stage, 0))
    thin = min(posts, posts_before) < FEW_POSTS   # a change between a few posts is not coloured as news
    column.metric(ui.stage_label(stage), ui.fmt_net(current.loc[stage, "net_sentiment"]),
                  **_change(moved, lambda v: ui.fmt_net(v) + (" (few posts)" if thin else ""),
                            "off" if thin else "normal"),
                  help=f"{ui.fmt_count(posts, 'mention')} in the period, {ui.fmt_int(posts_before)} in the one before",
                  border=True)

table = pd.DataFrame({
    "Stage": [ui.stage_label(s) for s in stages],
    "Stage (mentions)": [f"{ui.stage_label(s)} ({int(current.loc[s, 'mentions'])})" for s in stages],
    "Mentions": [int(current.loc[s, "mentions"]) for s in stages],
    "Index (−100 to +100)": [round(current.loc[s, "net_sentiment"], 1) for s in stages],
    "Previous period": [None if pd.isna(previous["net_sentiment"].get(s)) else round(previous["net_sentiment"].get(s), 1)
                        for s in stages],
})
INDEX = "Index (−100 to +100)"
bars = {"mark": charts.mark("bar"), "encoding": {
    "x": charts.nominal("Stage (mentions)", sort=None, title="Hiring stage (mentions in the period)",
                        axis={"labelAngle": 0, "labelLimit": 200}),
    "y": charts.quantitative(INDEX, scale={"domain": [-100, 100]}, title=ui.NET_TITLE),
    "color": charts.quantitative(INDEX, scale=ui.sentiment_scale(), legend={"title": "Net sentiment"}),
    "opacity": ui.thin_opacity(),   # faded as the heat maps fade a cell on a few posts
    "tooltip": [charts.nominal("Stage"), charts.quantitative("Mentions"), charts.quantitative(INDEX),
                charts.quantitative("Previous period")],
}}
ticks = {"mark": charts.mark("tick", color="#333", thickness=2, size=40), "encoding": {
    "x": charts.nominal("Stage (mentions)", sort=None), "y": charts.quantitative("Previous period"),
    "tooltip": [charts.nominal("Stage"), charts.quantitative("Previous period")],
}}
ui.chart(charts.layer(bars, ticks, height=320), table, "overview_stage_index",
         download_data=table.drop(columns="Stage (mentions)"),
         caption=f"Bars: this period. Black ticks: the previous period. Pale bars rest on fewer than "
                 f"{ui.THIN_MENTIONS} posts: one or two posts make a full ±100.")
