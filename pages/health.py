"""Collection health: the analysis's state; the latest imports and the files refused; per source, the last
success, the last error, counts and the next run."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.metrics import DEFAULT_PERIOD_DAYS
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

STATUS_LABELS = {"ok": "✅ OK", "error": "❌ Error", "running": "⏳ Running", "stopped": "⏹ Stopped",
                 "interrupted": "⚠️ Interrupted"}
COLUMNS = {  # column of hirepulse.health.collection_health -> label, in display order
    "source": "Source", "enabled": "Enabled", "last_status": "Last run", "last_run_at": "Last run at",
    "new_in_last_run": "New posts in last run", "last_success_at": "Last success",
    "last_error_at": "Last error at", "last_error": "Last error", "stopped_because": "Why the last run stopped",
    "runs": "Runs", "mentions_stored": "Posts stored", "schedule": "Schedule (UTC)",
    "next_run_at": "Next scheduled run",
}   # (each source's newest post is in "Posts by source", with the imported sources')
# the table's titles, short so that every column fits on a laptop's screen (the CSV keeps the long ones)
SHORT_TITLES = {"Last run at": ("Run at", "When the last run started."),
                "New posts in last run": ("New", "Posts the last run stored that were not stored before."),
                "Last error at": ("Error at", "When the last run that failed ended."),
                "Runs": ("Runs", "Collection runs recorded."), "Posts stored": ("Posts", "Posts stored from it."),
                "Schedule (UTC)": ("Schedule", "When the source runs, in cron notation (UTC): minute, hour, day of "
                                               "month, month and day of week, where * means every one. Next run gives "
                                               "the date it comes to."),
                "Next scheduled run": ("Next run", "The next run its schedule sets.")}
STALE_DAYS = 14   # a newest post older than this, among all sources, is worth a warning
ANALYZER_STATES = {"installed": "As installed", "adapted": "Adapted to your posts", "problem": "Cannot be used"}
ANALYZER_HELP = ("What reads each post's tone, stages, themes and customer ties: the analyzer as installed with "
                 "hirepulse, or one adapted to your team's labelled posts with `hirepulse adapt`.")


def _analyzer_line(readings: dict) -> str:
    """The analyzer in use, one that loads, in plain words with its exact version last (``hirepulse status``
    says the same in its own terms: :func:`hirepulse.health.describe_readings`)."""
    from hirepulse.health import adapted_from

    version = f" Version {readings['version']}."
    adapted = readings["adapted"]
    if not adapted:
        return "Posts are read by the analyzer as installed with hirepulse." + version
    when = f" on {ui.fmt_day(str(adapted['adapted_at'])[:10])}" if adapted.get("adapted_at") else ""
    return f"Posts are read by an analyzer adapted to your posts{when}, {adapted_from(adapted)}." + version


def _when(value: object) -> str:
    return ui.time_text(value)


selection()  # the sidebar: every view shows the same frame
st.title("Collection health")
st.caption("Whether every stored post has been read by the current analyzer; whether the last report worked; the latest imports and any file "
           "refused; how fresh each source's posts are; per source, when it last worked, what went wrong last, how "
           "much it brought in and when it runs next. It covers the whole database: the sidebar's filters do not "
           "apply here. Times are in UTC.")

readings, state = ui.fetch(loaders.load_analysis_status)
st.subheader("Analysis")
cols = st.columns(3)
cols[0].metric("Analyzer in use", ANALYZER_STATES["problem" if readings["problem"] else
                                                 "adapted" if readings["adapted"] else "installed"],
               border=True, help=ANALYZER_HELP + (f" Exact version: {readings['version']}." if readings["version"]
                                                  else ""))
if state is not None:
    cols[1].metric("Posts it has read", f"{state['current']:,} of {state['mentions']:,}", border=True)
    cols[2].metric("Posts waiting to be read", f"{state['pending']:,}", border=True,
                   help="New posts, or posts read by an earlier version of the analyzer: `hirepulse analyze` reads "
                        "them.")
if readings["problem"]:
    st.error(f"The analyzer named in the config cannot be loaded: {ui.escape_md(readings['problem'])}")
else:
    st.caption(ui.escape_md(_analyzer_line(readings)))
    if state and state["pending"]:
        st.warning(f"**{ui.fmt_count(state['pending'], 'post')}** {'has' if state['pending'] == 1 else 'have'} not "
                   "been read by the current analyzer yet (new posts, or "
                   "the analyzer was upgraded or adapted since): until `hirepulse analyze` runs, the views leave out "
                   "posts never read and show the rest as an earlier version of the analyzer read them.")
    if state and state["companies_reread"]:
        st.warning(f"**{ui.fmt_count(state['companies_reread'], 'post')}** name{'s' if state['companies_reread'] == 1 else ''} "
                   "a company the config now reads otherwise (a company or alias added, changed or removed): "
                   "`hirepulse analyze` reads their companies again. Until then, the views count them under the "
                   "companies they were read with.")

st.subheader("Reports")
reports = ui.fetch(loaders.load_report_health)
if not reports["runs"]:
    st.caption("No report has been recorded yet: `hirepulse report` writes one, and the scheduler on [reports] "
               "schedule.")
elif reports["last_status"] == "error":
    st.error(f"**The last report failed** ({_when(reports['last_error_at'])}): "
             f"{ui.escape_md(reports['last_error'] or '')}. "
             + (f"The last one written: {_when(reports['last_success_at'])}." if reports["last_success_at"]
                else "No report has been written yet."))
else:
    st.caption(ui.escape_md(
        f"The last report was written {_when(reports['last_success_at'])}"
        + (f" into {reports['out']}" if reports["out"] and reports["last_status"] == "ok" else "")
        + (f"; the last run reads {STATUS_LABELS.get(reports['last_status'], reports['last_status'])}"
           if reports["last_status"] != "ok" else "")
        + "." if reports["last_success_at"] else
        f"The last report run reads {STATUS_LABELS.get(reports['last_status'], reports['last_status'])}."))

st.subheader("Imports")
imports = ui.fetch(loaders.load_import_health)
if not imports["recent"]:
    st.caption("No import has run yet: `hirepulse import FILE` reads an export, and a watched folder (an "
               "[[imports]] entry in the config) is read on its schedule.")
else:
    cols = st.columns(2)
    cols[0].metric("Files imported", f"{imports['files']:,}", border=True)
    cols[1].metric("Refused, waiting for a fix", len(imports["refused"]), border=True,
                   help="A file in a watched folder whose last read stopped at a bad row: nothing of it is "
                        "stored, and it is read again once the file, or the folder's [[imports]] entry in the "
                        "config, changes.")
    for item in imports["refused"][:5]:
        st.error(f"**{ui.escape_md(item['file'] or '?')}** ({ui.escape_md(ui.source_label(item['source']))}, {_when(item['finished_at'])}) "
                 f"was refused: {ui.escape_md(item['error'] or '')}")
    recent = pd.DataFrame(imports["recent"])
    ui.table(pd.DataFrame({
        "When": recent["finished_at"].map(_when), "Source": recent["source"].map(ui.source_label), "File": recent["file"].fillna(""),
        "Result": recent["status"].map(lambda s: STATUS_LABELS.get(s, s)), "New posts": recent["new"],
        "Updated": recent["updated"], "Why refused": recent["error"].fillna(""),
    }), "import_runs")

st.subheader("Posts by source")
fresh = ui.fetch(loaders.load_posts_by_source)
if fresh.empty:
    st.caption("No posts stored yet.")
else:
    today = pd.Timestamp.now(tz="UTC").normalize()
    newest = pd.to_datetime(fresh["newest_post_at"], utc=True)
    age = (today - newest.dt.normalize()).dt.days.clip(lower=0)
    latest = newest.max()
    days = int(age.min())
    ago = "today" if not days else f"{days} day{'s' if days > 1 else ''} ago"
    line = (f"The views open on the {DEFAULT_PERIOD_DAYS // 7} weeks up to the newest post of all, published "
            f"{ui.fmt_day(latest)} ({ago}). A source whose newest post is old has brought in "
            "nothing new, even when its runs or imports succeed: an import of an old export adds posts today "
            "whose newest is weeks old.")
    if days > STALE_DAYS:
        st.warning(f"**No source has a post from the last {STALE_DAYS} days.** " + line)
    else:
        st.caption(line)
    ui.table(pd.DataFrame({
        "Source": fresh["source"].map(ui.source_label), "Posts stored": fresh["posts"].astype(int),
        "Newest post": newest.dt.tz_localize(None).dt.normalize(), "Days since newest post": age.astype(int),
        "Last stored": fresh["last_added_at"].map(_when),
    }), "posts_by_source", column_config={
        "Newest post": st.column_config.DateColumn("Newest post", format=ui.DAY_FORMAT,
                                                   help="The day the newest stored post from it was published."),
        "Last stored": st.column_config.TextColumn("Last stored", help="When a post from it was last stored, "
                                                                       "by a collection run or an import.")})

st.subheader("Collection")
try:
    health = ui.fetch(loaders.load_collection_health)
except ImportError:
    st.info("Collection health is not available in this installation. `hirepulse status` on the command line "
            "shows the recent runs.")
    st.stop()
if health.empty:
    st.info("No sources are configured.")
    st.stop()

enabled = health[health["enabled"].astype(bool)] if "enabled" in health else health
failing = enabled[enabled.get("last_status", pd.Series(dtype=str)) == "error"] if "last_status" in enabled else enabled.iloc[:0]
never = enabled[enabled["runs"].fillna(0) == 0] if "runs" in enabled else enabled.iloc[:0]
cols = st.columns(3)
cols[0].metric("Sources enabled", f"{len(enabled)} of {len(health)}", border=True)
cols[1].metric("Failing (last run an error)", len(failing), border=True)
cols[2].metric("Never collected", len(never), border=True)
if not health.get("runs", pd.Series([0])).fillna(0).any():
    st.info("No collection has run yet: the posts here came from imports. Start one with `hirepulse collect`.")

shown = pd.DataFrame({label: health[column] for column, label in COLUMNS.items() if column in health})
shown["Source"] = shown["Source"].map(ui.source_label)
if "Enabled" in shown:
    shown["Enabled"] = shown["Enabled"].map({True: "Yes", False: "No"})
if "Last run" in shown:
    shown["Last run"] = shown["Last run"].map(lambda s: STATUS_LABELS.get(s, "Never") if isinstance(s, str) else "Never")
for label in ("Last run at", "Last success", "Last error at", "Next scheduled run"):
    if label in shown:
        shown[label] = shown[label].map(_when)
for label in ("Last error", "Why the last run stopped"):
    if label in shown:
        shown[label] = shown[label].fillna("")
if "Why the last run stopped" in shown and not shown["Why the last run stopped"].any():
    shown = shown.drop(columns="Why the last run stopped")   # (shown only while some source's last run stopped)
ui.table(shown, "collection_health", column_config={
    "Enabled": st.column_config.TextColumn("Enabled", width="small"),
    **{long: st.column_config.Column(short, help=about) for long, (short, about) in SHORT_TITLES.items()
       if long in shown}})
