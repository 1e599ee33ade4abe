"""Brand impact: candidate-experience sentiment next to consumer-brand sentiment over time, their
lagged correlation, and the posts that tie a hiring experience to being, or no longer being, a customer."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from analysis.metrics import MAX_LAG_WEEKS, MIN_WEEKLY_MENTIONS
from pages import _charts as charts
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

SMOOTH_WEEKS = 4
MIN_WEEKS_COMPARED = 8     # a correlation over fewer weeks is noise
CORRELATION_WEEKS = 52
STANDS_OUT = 0.1           # a lag is called the strongest only this far (in |r|) above the next one
CANDIDATE, BRAND = "Candidate experience", "Consumer brand"
WEEKS_LATER = "Weeks later"   # the lag: brand sentiment measured this many weeks after candidate sentiment

sel = selection()
ui.header("Brand impact", sel, intro="Does the way candidates are treated show up in how the brand is seen? "
          "Consumer brand means every post about the company that is not a candidate experience.")
ui.require_data(sel)
ui.stage_filter_note(sel, "the Consumer brand line counts every one of them, the Candidate experience line only the "
                          "candidate experiences kept.")

window_since = None if sel.until is None else min(
    sel.since or sel.until, sel.until - timedelta(weeks=CORRELATION_WEEKS) + timedelta(days=1))
data = ui.fetch(loaders.load_brand, sel.filters, window_since=window_since)
weekly, lags, posts = data["weekly"], data["lags"], data["posts"]
if weekly.empty:
    ui.empty_state()
    st.stop()

st.subheader("Candidate experience and consumer brand, week by week")
smooth = st.toggle(f"Smooth over {SMOOTH_WEEKS} weeks", value=True, key="brand_smooth")
series = pd.DataFrame({"Week": ui.week_strings(weekly["week"]),
                       CANDIDATE: weekly["candidate_net_sentiment"], BRAND: weekly["brand_net_sentiment"]})
if smooth:
    series[[CANDIDATE, BRAND]] = series[[CANDIDATE, BRAND]].rolling(SMOOTH_WEEKS, min_periods=1).mean()
long = series.melt("Week", var_name="Series", value_name=ui.NET_TITLE).dropna()
long[ui.NET_TITLE] = long[ui.NET_TITLE].round(1)
# points on the raw weeks, and on any series of a single week, which a line alone does not draw
single = long.groupby("Series").size().min() < 2 if not long.empty else False
lines = {"mark": charts.mark("line", point=bool(not smooth or single)), "encoding": {
    "x": ui.week_x(long["Week"]),
    "y": charts.quantitative(ui.NET_TITLE, scale={"domain": [-100, 100]}),
    "color": charts.nominal("Series", scale={"domain": [CANDIDATE, BRAND], "range": [ui.ACCENT, ui.ACCENT_2]},
                            legend={"orient": "bottom", "title": None}),
    "tooltip": [ui.week_tooltip(), charts.nominal("Series"), charts.quantitative(ui.NET_TITLE)],
}}
export = weekly.rename(columns={"week": "Week starting", "candidate_mentions": "Candidate mentions",
                                "candidate_net_sentiment": f"{CANDIDATE} (−100 to +100)", "brand_mentions": "Consumer mentions",
                                "brand_net_sentiment": f"{BRAND} (−100 to +100)",
                                "consumer_link_mentions": "Posts tied to being a customer"})
ui.chart(charts.layer(lines, charts.zero_rule(), height=340), long, "brand_weekly", download_data=export,
         caption="Weeks start on Monday (UTC). The download holds the weekly values before smoothing.")
# a side with no post at all is not a matter of too few weeks: name the filter that leaves it out
unseen = [side for side, column in ((BRAND, "brand_mentions"), (CANDIDATE, "candidate_mentions"))
          if not weekly[column].sum()]
if unseen and sel.sources:
    kind = "posts that are not candidate experiences" if unseen[0] == BRAND else "candidate experiences"
    st.info(f"No {unseen[0].lower()} line: {ui.escape_md(ui.sources_named(sel))}, which the Sources filter keeps, "
            f"holds no {kind} in this period. Add a source to the filter, or clear it, to compare the two.")

st.subheader("Does candidate sentiment lead brand sentiment?")
st.caption(f"Each bar says how closely consumer-brand sentiment follows candidate sentiment that many weeks "
           "later, from −1 to +1: near +1, brand sentiment rises and falls with candidate sentiment; near 0, no "
           f"link; near −1, it moves the other way. Over the {CORRELATION_WEEKS} weeks up to the end of the period "
           "(or the period itself, if longer): a year of weeks makes a steadier estimate than a short period.",
           help="For analysts: the Pearson correlation of the weekly candidate net sentiment with the consumer-brand "
                f"net sentiment 0 to {MAX_LAG_WEEKS} weeks later (the lag), over weeks with at least "
                f"{MIN_WEEKLY_MENTIONS} posts on each side.")
corr = pd.DataFrame({WEEKS_LATER: lags["lag_weeks"].astype(int), "Correlation": lags["correlation"].round(2),
                     "Weeks compared": lags["weeks"].astype(int)})
usable = corr[corr["Weeks compared"] >= MIN_WEEKS_COMPARED].dropna(subset=["Correlation"])
if sel.stages:
    # a stage's few posts a week swing its weekly sentiment by chance: a delay "found" in them would be noise
    # (the sample's Offer posts: 2 a week, and a "strongest link" of +0.64 over 11 weeks)
    per_week = weekly["candidate_mentions"]
    st.info(f"Not measured with the Hiring stages filter on: candidate experiences about "
            f"{ui.escape_md(ui.stage_labels(sel.stages))} number about {per_week.median():.0f} a week in this period "
            f"(at most {per_week.max():.0f}), so a week's sentiment turns on a post or two. Clear the stage filter "
            "to see how all candidate experiences move with the brand.")
elif unseen:
    st.info(f"Nothing to compare: the {unseen[0].lower()} side has no post in this selection"
            + (" (see above)." if sel.sources else ". Widen the date range."))
elif usable.empty:
    st.info(f"Not enough weeks to compare: each bar needs {MIN_WEEKS_COMPARED} weeks with at least "
            f"{MIN_WEEKLY_MENTIONS} candidate and {MIN_WEEKLY_MENTIONS} consumer posts. Widen the date range.")
else:
    ranked = usable.reindex(usable["Correlation"].abs().sort_values(ascending=False).index)
    best = ranked.iloc[0]
    lag = int(best[WEEKS_LATER])
    runner_up = abs(ranked["Correlation"].iloc[1]) if len(ranked) > 1 else 0.0
    caveat = (f"Moving together is a hint, not proof that one causes the other; bars resting on fewer than "
              f"{MIN_WEEKS_COMPARED} weeks are faded.")
    if abs(best["Correlation"]) - runner_up >= STANDS_OUT:
        st.markdown(f"Strongest link: consumer-brand sentiment **{lag} week{'' if lag == 1 else 's'}** after "
                    f"candidate sentiment, correlation **{best['Correlation']:+.2f}** over "
                    f"{int(best['Weeks compared'])} weeks. {caveat}")
    else:   # nine near-equal bars: naming the tallest would read noise as a finding
        st.markdown(f"No delay stands out: the correlations run from **{usable['Correlation'].min():+.2f}** to "
                    f"**{usable['Correlation'].max():+.2f}**, none {STANDS_OUT:.1f} clear of the next. {caveat}")
    corr["Enough weeks"] = corr["Weeks compared"] >= MIN_WEEKS_COMPARED
    # one colour: a correlation is not a sentiment, and pale bars must mean "too few weeks", not "near zero"
    bars = {"mark": charts.mark("bar", color=ui.ACCENT), "height": 260, "encoding": {
        "x": charts.ordinal(WEEKS_LATER, title="Consumer-brand sentiment measured this many weeks later",
                            axis={"labelAngle": 0}),
        "y": charts.quantitative("Correlation", scale={"domain": [-1, 1]}, title="Correlation (−1 to +1)"),
        "opacity": charts.when("datum['Enough weeks']", 1.0, 0.25),
        "tooltip": [charts.quantitative(c) for c in (WEEKS_LATER, "Correlation", "Weeks compared")],
    }}
    ui.chart(bars, corr, "brand_lag_correlation", download_data=corr.drop(columns="Enough weeks"))

st.subheader("Hiring experiences tied to being a customer")
st.caption(ui.CONSUMER_LINK_NOTE)
if posts.empty:
    st.info(f"No post {'from ' + ui.escape_md(ui.sources_named(sel)) + ' ' if sel.sources else ''}in this period "
            "ties how candidates were treated to buying from the company.")
else:
    st.caption(f"{ui.fmt_count(len(posts), 'post')}, newest first; the three newest in full. Candidates who tie how "
               "they were treated to being the company's customer: customers and fans who applied, and people who "
               "stopped (or kept) buying over how they or others were treated."
               + (" The sidebar's stage filter does not narrow this list: a customer's post often names no stage."
                  if sel.stages else ""))
    for _, post in posts.head(3).iterrows():
        ui.post_card(post)
    ui.table(ui.posts_frame(posts), "brand_customer_posts", column_config={
        "Post": st.column_config.TextColumn("Post", width="medium")})
