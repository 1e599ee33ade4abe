"""Shared rendering helpers for the dashboard views: labels, colours, charts, posts, downloads.

Rendering only: data comes from :mod:`pages._loaders`. Text from the web is always escaped
before it reaches Markdown, and never rendered as HTML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from analysis import wording
from analysis.metrics import Filters, previous_period
from analysis.scoring import STAGES
from analysis.tone_model import SURE, is_sure
from hirepulse.errors import ConfigError, DatabaseError
from hirepulse.models import VERDICT_SCALE, VERDICTS
from pages import _charts as charts

T = TypeVar("T")

NET_TITLE = "Net sentiment (−100 to +100)"
NET_HELP = ("Share of positive minus share of negative posts, in points: +100 means every post is "
            "positive, −100 every post negative. Each post's tone is a machine reading that agrees with a "
            "careful reader on about six real posts in ten, so a move across many posts says more than any "
            "one post: open the posts behind a figure before acting on it (agreement measured with analyzer "
            "version 2.78).")
# Where the candidate net sentiment sits against careful readers, over the posts read as candidate experiences:
# sets 1-3's test halves -37 against the readers' -27 and dev halves -38 against -31 (2.74); set 4's test half
# -32 against -24 and dev half -37 against -38 (2.75); set 5's -47 against -44 and -47 against -49 (2.77); set
# 6's, fans and customers of consumer brands, -15 against +5 and -26 against -10 (2.78); over random samples of
# 50 such posts the median gap is 8-12 points. The reading leans negative by design (a negative post read as
# positive costs twice any other error, analysis/tone_model.py)
CANDIDATE_NET_NOTE = ("On real candidate posts this figure has sat from level with what careful readers give to "
                      "twenty points below it, furthest below where candidates are fans of the brand: the reading "
                      "leans negative on purpose, since a bad experience read as a good one hides a problem. "
                      "Compare periods, stages and companies rather than reading the level; Label posts measures "
                      "that gap on your own posts, and `hirepulse adapt` makes the analyzer expect your own "
                      "posts' balance of negative, neutral and positive.")
# How far the themes can be trusted (bench/accuracy.py on the real posts' held-out halves, against two blind
# readers and a third for their disagreements: sets 1-3 precision 0.36, recall 0.37 at 2.74; set 4 0.46 and
# 0.45 at 2.75; set 5 0.36 and 0.37 at 2.77)
THEMES_NOTE = ("Themes are a machine reading of each post. On real candidate posts between one theme in three "
               "and one in two that it names is one a careful reader names too, and it finds about as large a "
               "share of theirs: compare a theme's volume across periods and companies, and open its posts "
               "before quoting one.")
# How far a stage's tone can be trusted (bench/accuracy.py on the real posts' held-out halves, against blind
# readers, on the stages it reports: sets 1-3 0.582 at 2.74 (0.51 before 2.70); set 4 0.676 at 2.75; set 5
# 0.643 at 2.77)
STAGE_TONE_NOTE = ("Each stage's tone is a machine reading: the post's tone, unless the sentences about that "
                   "step clearly say otherwise. On real candidate posts it matches a careful reader for six "
                   "or seven stages in ten, so compare stages and periods across many posts, and open the "
                   "posts behind a stage before quoting one.")
# Where a stage's figure sits next to the posts' own (Overview's cards, Competitors' table and map): on the same
# posts they differ, a stage's tone coming from the sentences about it (analysis.scoring's stage_sentiment)
STAGE_VS_POST_HELP = ("Why a stage's figure can differ from Candidate sentiment, even on the same posts: Candidate "
                      "sentiment reads each post as a whole; a stage's figure reads what the post says about that "
                      "stage, and takes the post's tone unless those sentences clearly say otherwise. A post glad of "
                      "the offer but angry at the weeks of silence before it counts as negative overall and "
                      "positive for Offer. " + STAGE_TONE_NOTE)
# How far the consumer link can be trusted (bench/accuracy.py on the real posts' held-out halves: sets 1-3 at
# 2.74, 23 posts found, 13 of them among the 46 that blind readers tie to custom, F1 0.377; set 4 at 2.75, 9
# found, 6 of them among the readers' 17, F1 0.462; sets 4 and 5 at 2.77, 12 found, 7 of them among the readers' 23;
# set 6, collected for this reading, at 2.78, 19 found, 11 of them among the readers' 26, F1 0.489; sets 4-6 at
# 2.79, 30 found, 18 of them among the readers' 49, F1 0.456)
CONSUMER_LINK_NOTE = ("Which posts tie a hiring experience to being a customer is a machine reading. On real posts "
                      "it finds half to three quarters as many as a careful reader does, and about three in five "
                      "of those are ones the reader picks too: read it as a sign that such posts exist, not as a "
                      "count, and open them.")
# One colour per stage, in journey order (Tableau 10, colour-blind safe enough to tell apart), without its red and
# blue: those mean negative and positive on every sentiment scale, so a red Rejection line would read as bad news.
STAGE_COLOURS = ("#9c755f", "#76b7b2", "#f28e2b", "#59a14f", "#b07aa1", "#d4a017")
# Two series or a highlighted bar that are not sentiment (your company against others; candidate against brand)
ACCENT, ACCENT_2, MUTED = "#333333", "#f28e2b", "#bab0ac"
# A heat-map cell resting on fewer posts than this is drawn faded: one or two posts paint a full +-100
THIN_MENTIONS = 5
SENTIMENT_SCHEME = "redblue"     # diverging: red negative, white neutral, blue positive
VOLUME_SCHEME = "blues"
SOURCE_LABELS = {
    "hackernews": "Hacker News", "stackexchange": "Stack Exchange", "mastodon": "Mastodon",
    "feeds": "Feeds", "web": "Web pages", "gdelt": "News (GDELT)", "reddit": "Reddit",
    "bluesky": "Bluesky", "youtube": "YouTube", "reviews": "Review site", "survey": "Candidate survey",
    "forum": "Forums", "social": "Social media", "news": "News and blogs",
}
_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:=&])")
_CSV_FORMULA = re.compile(r"^[=+\-@\t\r]")
POST_PREVIEW_CHARS = 600


@dataclass(frozen=True, slots=True)
class Selection:
    """What the sidebar selected; every view reads it through :func:`pages._frame.selection`."""

    company: str | None
    competitors: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    empty: bool = False                      # the database holds no analysed mentions
    notes: tuple[str, ...] = field(default=())

    @property
    def filters(self) -> Filters:
        """Filters for the selected company alone."""
        companies = (self.company,) if self.company else ()
        return Filters(companies=companies, since=self.since, until=self.until,
                       sources=self.sources, stages=self.stages)

    @property
    def peer_filters(self) -> Filters:
        """Filters for the selected company and its competitors."""
        companies = tuple(dict.fromkeys(c for c in (self.company, *self.competitors) if c))
        return Filters(companies=companies, since=self.since, until=self.until,
                       sources=self.sources, stages=self.stages)

    @property
    def no_stage_filters(self) -> Filters:
        """Filters for the company without the stage filter (consumer posts have no stage)."""
        companies = (self.company,) if self.company else ()
        return Filters(companies=companies, since=self.since, until=self.until, sources=self.sources)


# --------------------------------------------------------------------------- labels and numbers

# worded as the report's summary (analysis.summary) words them
fmt_count, fmt_day, fmt_int = wording.fmt_count, wording.fmt_day, wording.fmt_int
fmt_net, fmt_pct = wording.fmt_net, wording.fmt_pct
is_missing, stage_label, theme_label = wording.is_missing, wording.stage_label, wording.theme_label
theme_polarity = wording.theme_polarity


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, str(source).replace("_", " ").capitalize())


def stage_labels(stages: Iterable[str] | None) -> str:
    return ", ".join(stage_label(s) for s in (stages if stages is not None else ()))


def theme_labels(themes: Iterable[str] | None) -> str:
    return ", ".join(theme_label(t) for t in (themes if themes is not None else ()))


def stage_order_labels(stages: Sequence[str] = STAGES) -> list[str]:
    return [stage_label(s) for s in stages]


def _sure_pct(confidence: float) -> int:
    """A confidence as whole percent, rounded down: an unsure 0.8996 shows as 89%, never as a sure-looking 90%."""
    return math.floor(100 * float(confidence) + 1e-6)


TONE_SURE_TITLE = "Tone reading"  # a post table's column of tone_sure
TONE_SURE_HELP = (f"How sure the machine is of the post's tone. Sure: {SURE:.0%} or more; on real posts such "
                  "readings are right about three times in four. Unsure: below that, right about half the "
                  "time, so read the post before quoting it. Empty: read before this was stored; "
                  "`hirepulse analyze` adds it.")


def _sure_text(confidence: float) -> str:
    """"93%"; "under 50%" where the model gave the class read less than even odds (a rating or verdict the writer
    gave, or the cost of reading a complaint as praise, decided against its likeliest class): "Unsure (1%)" next to
    a post's tone would read as a contradiction."""
    pct = _sure_pct(confidence)
    return "under 50%" if pct < 50 else f"{pct}%"


def tone_sure(confidence: Any) -> str | None:
    """How sure a post's tone reading is, for a table cell: "Sure (93%)", "Unsure (61%)", "Unsure (under 50%)",
    None when not stored."""
    if is_missing(confidence):
        return None
    return f"{'Sure' if is_sure(confidence) else 'Unsure'} ({_sure_text(confidence)})"


def tone_sure_line(confidence: Any) -> str | None:
    """What to do about a post's tone reading, as one short line under the post: None for a sure one (its card
    says so already), else to check an unsure one, or that it was not stored."""
    if is_missing(confidence):
        return "Tone reading: how sure it is was not stored for this post (`hirepulse analyze` adds it)."
    if is_sure(confidence):
        return None
    return f"Tone reading: unsure ({_sure_text(confidence)}) — check the post before quoting its tone."


VERDICT_WORDS = {value: word for word, value in VERDICTS.items()}  # a verdict's rating -> its word


def rating_line(rated: Any) -> str | None:
    """The line under a post whose imported rating set its sign (``rated``: the explanation's [value, scale]):
    a review site's verdict (1-3 of 3) by its word, a score by its value; None without one."""
    if not rated:
        return None
    value, scale = float(rated[0]), float(rated[1])
    if scale == VERDICT_SCALE and value in VERDICT_WORDS:  # ("Interview experience: Negative", imported as 1 of 3)
        return f"The reviewer's own verdict, {VERDICT_WORDS[value]} ({value:g} of 3), set this post's sign."
    return f"The reviewer's own rating, {value:g} of {scale:g}, set this post's sign (a rating imported with its scale)."


def period_caption(sel: Selection) -> str:
    """"Brightwater · 1 Aug 2026 – 31 Oct 2026 (compared with …)"."""
    parts = [sel.company or "All companies"]
    if sel.since and sel.until:
        parts.append(f"{fmt_day(sel.since)} – {fmt_day(sel.until)}")
        prev = previous_period(sel.filters)
        if prev:
            parts.append(f"compared with {fmt_day(prev.since)} – {fmt_day(prev.until)}")
    if sel.sources:
        parts.append("sources: " + ", ".join(source_label(s) for s in sel.sources))
    if sel.stages:
        parts.append("stages: " + stage_labels(sel.stages))
    return " · ".join(parts)


# --------------------------------------------------------------------------- safe text

def escape_md(text: Any) -> str:
    """Escape Markdown (and the HTML-looking ``<``) so web text renders as plain text."""
    return _MD_SPECIALS.sub(r"\\\1", "" if text is None else str(text))


def safe_url(url: Any) -> str | None:
    """The URL if it is http(s), else None (no javascript: or data: links from the web)."""
    if not isinstance(url, str) or not re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return None
    return url.strip()


def post_text(title: Any, text: Any) -> str:
    """A post's title and body as one text (the title first, when it is not the body's start)."""
    body = "" if text is None or is_missing(text) else str(text)
    if isinstance(title, str) and title.strip() and not body.startswith(title.strip()):
        return f"{title.strip()} — {body}"
    return body


def preview(text: Any, limit: int = POST_PREVIEW_CHARS) -> str:
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- page furniture

def header(title: str, sel: Selection, *, intro: str | None = None, intro_help: str | None = None) -> None:
    """The view's title, its period, and an optional intro (``intro_help``: a tooltip on it, for the technical
    terms the plain intro leaves out)."""
    st.title(title)
    st.caption(escape_md(period_caption(sel)))
    if intro:
        st.markdown(intro, help=intro_help)
    for note in sel.notes:
        st.info(note)


def fetch(loader: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a loader; a database problem becomes a friendly message and stops the page."""
    try:
        return loader(*args, **kwargs)
    except DatabaseError as exc:
        show_database_error(exc)
        st.stop()
    except ConfigError as exc:
        st.error(f"The configuration cannot be used: {exc}")
        st.stop()
    raise AssertionError("unreachable")


def show_database_error(exc: DatabaseError, *, retry_key: str | None = None) -> None:
    """A database problem as a friendly message. With ``retry_key``, a busy database also gets a "Try again"
    button (keyed so): a rerun in the same session, which keeps what the person entered, where a reload would
    start afresh."""
    text = str(exc)
    if "no database" in text:
        st.info("**No data yet.** The dashboard found no database to read. Run `hirepulse demo --no-app` "
                "for the synthetic sample, or `hirepulse import` / `hirepulse collect` for your own data, "
                f"then reload this page.\n\n{escape_md(text)}")
    elif "busy" in text:
        st.warning("**The database is busy.** A collection or analysis run is writing new data right now "
                   "and the dashboard could not wait any longer. "
                   + ("Try again in a minute: nothing you entered is lost." if retry_key else
                      "Reload the page in a minute."))
        if retry_key:
            st.button("Try again", key=retry_key, icon=":material/refresh:")
    else:
        st.error(f"**The database cannot be read.** {escape_md(text)}")


def stage_filter_note(sel: Selection, whole: str) -> None:
    """Under a view that counts candidate and consumer-brand posts side by side (Overview, Competitors, Brand
    impact), the one rule the stage filter follows there (``Filters.where(keep_brand=True)``): it narrows the
    candidate experiences to the posts about its stages and keeps every other post, which names no stage.
    ``whole``: the view's figures that count those posts, as a sentence. Nothing without a stage filter."""
    if not sel.stages:
        return
    which = "that stage" if len(sel.stages) == 1 else "those stages"
    st.caption(f"Hiring stages filter ({escape_md(stage_labels(sel.stages))}): a candidate experience counts only "
               f"when it is about {which}. Posts that are not candidate experiences name no stage, so all of them "
               f"still count: {whole}")


def word_list(names: Sequence[str], last: str = "and") -> str:
    """Names for a sentence: "A", "A and B", "A, B and C" (``last`` the word before the last)."""
    return ", ".join(names) if len(names) < 2 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def sources_named(sel: Selection) -> str:
    """The Sources filter's choices for a sentence: "Candidate survey", "Forums or Review site"."""
    return word_list([source_label(s) for s in sel.sources], "or")


def empty_state(message: str = "No mentions match the current filters.") -> None:
    st.info(f"{message} Widen the date range or clear the source and stage filters in the sidebar.")


def require_data(sel: Selection) -> None:
    """Stop the page with an empty state when the database holds no analysed mentions."""
    if sel.empty:
        st.info("**No mentions yet.** The database is empty: import the sample with "
                "`hirepulse demo --no-app`, or collect with `hirepulse collect`, then reload.")
        st.stop()


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise spreadsheet formulas in text cells (OWASP CSV injection).

    Text columns are ``object`` or, with pandas 3, ``str`` dtype: both are checked.
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(lambda v: "'" + v if isinstance(v, str) and _CSV_FORMULA.match(v) else v)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV for a spreadsheet: UTF-8, no index, formulas neutralised."""
    return csv_safe(df).to_csv(index=False).encode("utf-8")


def download(df: pd.DataFrame, name: str, *, label: str = "Download CSV") -> None:
    """A download button for a table (as shown, with human column names).

    The CSV is written when the button is clicked, not on every rerun of the view.
    """
    st.download_button(label, data=lambda: csv_bytes(df), file_name=f"hirepulse_{name}.csv", mime="text/csv",
                       key=f"download_{name}", icon=":material/download:")


# A table shows a day and a net sentiment as the cards and charts word them (fmt_day, fmt_net): "5 Jan 2026",
# "-78" (its CSV keeps the exact values)
DAY_FORMAT = "D MMM YYYY"     # (Streamlit's notation)
NET_FORMAT = "%+.0f"
NET_SUFFIX = "(−100 to +100)"   # how the title of a column of net sentiments ends
LINK_HELP = ("The post where it was published. An imported post, such as a survey answer, may have no link: "
             "its cell shows –.")


def _is_days(column: pd.Series) -> bool:
    """Whether a table's column holds days (dates, or times all at midnight), not moments."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        found = column.dropna()
        return bool((found == found.dt.normalize()).all())
    first = column.dropna().head(1)
    return not first.empty and isinstance(first.iloc[0], date) and not isinstance(first.iloc[0], datetime)


def table(df: pd.DataFrame, name: str, *, column_config: dict[str, Any] | None = None,
          height: int | str = "auto") -> None:
    """A read-only table plus its CSV download. Days and net sentiments are shown as everywhere else
    (:data:`DAY_FORMAT`, :data:`NET_FORMAT`); ``column_config`` overrides."""
    config: dict[str, Any] = {}
    for c in df.columns:
        if c == "Link":
            config[c] = st.column_config.LinkColumn(c, display_text="Open post", help=LINK_HELP)
        elif str(c).endswith(NET_SUFFIX) and pd.api.types.is_numeric_dtype(df[c].dtype):
            config[c] = st.column_config.NumberColumn(c, format=NET_FORMAT)
        elif _is_days(df[c]):
            config[c] = st.column_config.DateColumn(c, format=DAY_FORMAT)
    if TONE_SURE_TITLE in df.columns:
        config[TONE_SURE_TITLE] = st.column_config.TextColumn(TONE_SURE_TITLE, help=TONE_SURE_HELP)
    config.update(column_config or {})
    st.dataframe(df, hide_index=True, column_config=config, height=height, placeholder="–")
    download(df, name)


def static_table(df: pd.DataFrame, name: str, *, formats: dict[str, Any] | None = None) -> None:
    """A few rows shown whole, long text wrapped (no scrolling, no cut-off columns), plus its CSV
    download of the unformatted values. ``formats``: column -> format string or callable, for the
    display only. For short lists whose every cell is meant to be read; ``table`` is for the rest."""
    st.table(df.style.format(formats or {}, na_rep="–"), hide_index=True, border="horizontal")
    download(df, name)


def time_text(value: Any) -> str:
    """A moment in UTC as "5 Jan 2026 14:05" (the day as :func:`fmt_day`), "–" when missing."""
    if is_missing(value) or value is pd.NaT:
        return "–"
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp
    return f"{fmt_day(stamp)} {stamp:%H:%M}"


def day_text(day: Any) -> str:
    """:func:`fmt_day`'s "5 Jan 2026", kept on one line in a wrapping table."""
    return fmt_day(day).replace(" ", "\u00a0")


def chart(spec: charts.Spec, data: pd.DataFrame, name: str, *, caption: str | None = None,
          download_data: pd.DataFrame | None = None) -> None:
    """A chart of ``data``, an optional caption, and a CSV download of the data behind it
    (``download_data`` when the table to download differs from what is drawn)."""
    charts.show(spec, data)
    if caption:
        st.caption(caption)
    download(data if download_data is None else download_data, name)


# --------------------------------------------------------------------------- chart parts (Vega-Lite)

def stage_colour(domain_labels: Sequence[str] | None = None) -> dict[str, Any]:
    """One consistent colour per stage (by label), in journey order."""
    labels = list(domain_labels) if domain_labels is not None else stage_order_labels()
    colours = {stage_label(s): c for s, c in zip(STAGES, STAGE_COLOURS)}
    colours[stage_label("all")] = "#555555"
    return {"domain": labels, "range": [colours.get(label, "#999999") for label in labels]}


def sentiment_scale() -> dict[str, Any]:
    return {"domain": [-100, 100], "domainMid": 0, "scheme": SENTIMENT_SCHEME}


def week_x(weeks: Iterable[Any], field: str = "Week", title: str = "Week starting") -> dict[str, Any]:
    """A week axis in UTC (weeks start on Monday, UTC), labelled "5 Jan 2026", ticked at the chart's ``weeks``:
    Vega's own weekly ticks fall on Sundays, a day before every point."""
    days = sorted({pd.Timestamp(w).date() for w in weeks if not is_missing(w)})
    axis = {"format": "%-d %b %Y", "labelAngle": 0, "labelOverlap": True,
            "values": [{"year": d.year, "month": d.month, "date": d.day, "utc": True} for d in days]}
    return charts.temporal(field, title=title, scale={"type": "utc"}, axis=axis)


def partial_weeks_note(sel: Selection) -> str:
    """" The first week (29 Dec 2025) holds 4 days of the period and the last (30 Mar 2026) 2: ...", " Its only week
    (1 Jun 2026) holds 2 days of the period." for a period inside one week, or "" when the period starts on a
    Monday and ends on a Sunday: a weekly count of a part week reads as a fall."""
    if sel.since is None or sel.until is None:
        return ""
    days = (sel.until - sel.since).days + 1
    if days < 7 and sel.since.weekday() <= sel.until.weekday():   # a period inside one week
        monday = sel.since - timedelta(days=sel.since.weekday())
        return f" Its only week ({fmt_day(monday)}) holds {days} day{'s' if days > 1 else ''} of the period."
    parts = []
    first_days = 7 - sel.since.weekday()
    last_days = sel.until.weekday() + 1
    if sel.since.weekday() and (sel.until - sel.since).days >= first_days:
        monday = sel.since - timedelta(days=sel.since.weekday())
        parts.append(f"the first week ({fmt_day(monday)}) holds {first_days} day{'s' if first_days > 1 else ''} of the period")
    if last_days < 7:
        monday = sel.until - timedelta(days=sel.until.weekday())
        parts.append(f"the last ({fmt_day(monday)}) {last_days} day{'s' if last_days > 1 else ''}" if parts else
                     f"the last week ({fmt_day(monday)}) holds {last_days} day{'s' if last_days > 1 else ''} of the period")
    if not parts:
        return ""
    text = " and ".join(parts)
    return f" {text[0].upper()}{text[1:]}: compare {'their volumes' if len(parts) > 1 else 'its volume'} with care."


def week_tooltip(field: str = "Week") -> dict[str, Any]:
    return charts.temporal(field, timeUnit="utcyearmonthdate", title="Week starting", format="%-d %b %Y")


def week_strings(values: pd.Series) -> pd.Series:
    """Weeks as ISO dates (parsed as UTC by Vega, so no browser time zone shifts a week)."""
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def thin_opacity(field: str = "Mentions") -> dict[str, Any]:
    """A heat-map cell's opacity: faded when it rests on fewer than :data:`THIN_MENTIONS` posts."""
    return charts.when(f"datum['{field}'] < {THIN_MENTIONS}", 0.3, 1.0)


def contrast_text(field: str, faded: str, *, limit: float = 55) -> dict[str, Any]:
    """White text on the dark ends of the diverging sentiment scale, black elsewhere, and on a cell drawn faded
    (:func:`thin_opacity` of the ``faded`` field): its colour is pale whatever its sentiment."""
    return {"condition": [{"test": f"datum['{faded}'] < {THIN_MENTIONS}", "value": "black"},
                          {"test": f"abs(datum['{field}']) > {limit}", "value": "white"}], "value": "black"}


# --------------------------------------------------------------------------- posts

def post_card(row: pd.Series | dict[str, Any], *, score_label: str = "Sentiment") -> None:
    """One post as escaped text with its date, company, source, score and a link to the source. The score says
    how sure its tone reading is ("Sentiment -75, sure (93%)") when the row carries a stored
    ``sentiment_confidence``: the post lists of the whole post's tone do; a stage's rows (Hiring journey) do not,
    the figure being the whole post's."""
    get = row.get
    with st.container(border=True):
        meta = [fmt_day(get("published_at")), str(get("company") or ""), source_label(str(get("source") or ""))]
        if not is_missing(get("sentiment")):
            sure = tone_sure(get("sentiment_confidence"))
            meta.append(f"{score_label} {fmt_net(get('sentiment'))}" + (f", {sure.lower()}" if sure else ""))
        st.caption(escape_md(" · ".join(m for m in meta if m)))
        title = get("title")
        if isinstance(title, str) and title.strip():
            st.markdown(f"**{escape_md(preview(title, 160))}**")
        st.markdown(escape_md(preview(get("text"))))
        url = safe_url(get("url"))
        if url:
            st.markdown(f"[Open the source post ↗]({url.replace(')', '%29').replace(' ', '%20')})")


# --------------------------------------------------------------------------- why a post scored as it did

RULES_NOTE = ("The analyzer's own notes on this post, grouped by what they decided, for anyone checking a reading "
              "in detail. A signed number in brackets is how much a clue added to or took from the case for a "
              "first-hand candidate account; p is how likely a learned model found something to be, from 0 to 1; "
              "words joined by | are alternatives the analyzer looks for.")
RULE_TOPICS = ("Whether it is a candidate's own account", "Its tone", "Its hiring stages", "Its themes",
               "Whether it ties hiring to being a customer", "Other notes")
# how the analyzer's notes open (analysis/scoring.py), by what they decide; a note matching none is an "Other note"
_CANDIDATE_NOTES = ("candidate model", "candidate score", "first-hand evidence", "no hiring vocabulary",
                    "product or service text", "every hiring sentence", "first-person text", "implicit first person",
                    "sentence telling of a hiring stage", "verdict on a named employer")
_TONE_NOTES = ("tone model", "rating given", "a middling or two-sided rating", "the writer's", "sarcasm", "feared",
               "a hiring step told", "deflating fragment", "a long wait told", "a rhetorical why-question",
               "scare quotes", "balance marker", "a plain outcome")
_THEME_NOTE = re.compile(r"^theme (?!model:)([a-z_]+):")
_MODEL_NOTE = re.compile(r"^(theme|stage) model: (.*? reports?) ([a-z_]+) \(p ")


def rule_topic(note: str) -> str:
    """Which of :data:`RULE_TOPICS` one of the analyzer's notes on a post bears on."""
    if note.startswith("theme"):
        return RULE_TOPICS[3]
    if note.startswith(("stage model", "stage tone")):
        return RULE_TOPICS[2]
    if note.startswith(("consumer", "a candidate who is also a customer")):
        return RULE_TOPICS[4]
    if note.startswith(_CANDIDATE_NOTES) or " cue '" in note or "in the imperative" in note:
        return RULE_TOPICS[0]
    if note.startswith(_TONE_NOTES) or "-> sentiment" in note:
        return RULE_TOPICS[1]
    return RULE_TOPICS[5]


def rule_text(note: str) -> str:
    """One of the analyzer's notes with the theme or stage it names by the name the views give it:
    "theme slow_process: ..." -> "theme “Slow process”: ..."."""
    note = _THEME_NOTE.sub(lambda m: f"theme “{theme_label(m[1])}”:", note)
    return _MODEL_NOTE.sub(lambda m: f"{m[1]} model: {m[2]} “{(theme_label if m[1] == 'theme' else stage_label)(m[3])}” (p ",
                           note)


def rules_by_topic(rules: Iterable[Any]) -> list[tuple[str, list[str]]]:
    """The analyzer's notes on a post (its explanation's ``rules``), each readable (:func:`rule_text`), grouped
    under :data:`RULE_TOPICS` in that order, each group in the notes' own order; empty groups left out."""
    groups: dict[str, list[str]] = {topic: [] for topic in RULE_TOPICS}
    for note in rules:
        groups[rule_topic(str(note))].append(rule_text(str(note)))
    return [(topic, notes) for topic, notes in groups.items() if notes]


def posts_frame(df: pd.DataFrame, *, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Posts as a table with human column names (for downloads and tables)."""
    out = pd.DataFrame({
        "Date": pd.to_datetime(df["published_at"]).dt.date,
        "Company": df["company"],
        "Source": df["source"].map(source_label),
    })
    for column, label in (extra or {}).items():
        out[label] = df[column].values
    if "sentiment" in df:
        out[NET_TITLE.replace("Net sentiment", "Sentiment")] = df["sentiment"].values
    if "sentiment_confidence" in df:
        out[TONE_SURE_TITLE] = df["sentiment_confidence"].map(tone_sure).values
    titles = df["title"] if "title" in df else pd.Series([None] * len(df), index=df.index)
    out["Post"] = [preview(post_text(t, x), 2000) for t, x in zip(titles, df["text"])]
    out["Link"] = df["url"].map(safe_url).values
    return out
