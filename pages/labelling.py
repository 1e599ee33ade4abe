"""Label posts: a person's reading of the team's own posts, one at a time, for ``hirepulse adapt``.

Posts come from the sidebar's company, period and sources (not its stage filter: that would bend the
sample) in a fixed shuffled order, so the labelled posts are a fair sample rather than the newest. The
analyzer's reading is shown only after a post is labelled, so that it does not anchor the reader. The
writes go through :mod:`pages._loaders` (a short write connection each).
"""

from __future__ import annotations

import os
from datetime import timezone
from typing import Any

import pandas as pd
import streamlit as st

from analysis import metrics, wording
from analysis.evaluation import sentiment_label
from analysis.scoring import ANALYZER_VERSION, STAGES
from analysis.train import MIN_OWN_POSTS
from hirepulse.config import DB_ENV, resolve_config_path
from hirepulse.db import POSITIVE
from hirepulse.errors import ConfigError, DatabaseError
from hirepulse.models import SENTIMENT_LABELS as TONES
from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

RECENT = 8                      # recent labels listed, each with an undo
ADAPTED_DIR = "lexicon-adapted"
LONG_POST = 1400                # characters: a longer post scrolls in its own box, the questions stay in view
CANDIDATE_QUESTION = "Is this a first-hand account of being a candidate?"
LINK_QUESTION = "Ties the experience to being, or no longer being, a customer"


def _caption(sel: ui.Selection) -> str:
    parts = [sel.company or "All companies"]
    if sel.since and sel.until:
        parts.append(f"{ui.fmt_day(sel.since)} – {ui.fmt_day(sel.until)}")
    parts.append("sources: " + ", ".join(ui.source_label(s) for s in sel.sources) if sel.sources else "all sources")
    if sel.stages:
        parts.append("the stage filter does not apply here")
    return " · ".join(parts)


def _write_failed(exc: DatabaseError, action: str) -> None:
    """A write that could not be made: the friendly message, and the answers stay on screen."""
    if "busy" in str(exc):
        st.warning(f"**The database is busy.** A collection or analysis run is writing right now. Nothing is lost: "
                   f"press **{action}** again in a minute.")
    else:
        ui.show_database_error(exc)


def _fetch(loader: Any, *args: Any, **kwargs: Any) -> Any:
    """A loader's data; a database problem stops the page with the dashboard's message, and a busy database
    with a "Try again" that keeps the answers given (a reload would start a new session)."""
    try:
        return loader(*args, **kwargs)
    except DatabaseError as exc:
        ui.show_database_error(exc, retry_key="label_retry")
        st.stop()
    except ConfigError as exc:   # (a lexicon_dir that is not there yet, a misspelt key: said as the other views say it)
        st.error(f"The configuration cannot be used: {exc}")
        st.stop()


def _tone(label: str | None) -> str:
    return (label or "–").capitalize()


def _yes_no(value: Any) -> str:
    return "Yes" if value else "No"


def _read_tone(score: float) -> str:
    return f"{sentiment_label(score, POSITIVE).capitalize()} (score {round(100 * score):d})".replace("-", "−")


def _post(post: dict[str, Any]) -> None:
    text = str(post.get("text") or "")
    with st.container(border=True, height=420 if len(text) > LONG_POST else "content"):
        meta = [ui.fmt_day(post.get("published_at")), str(post.get("company") or ""),
                ui.source_label(str(post.get("source") or ""))]
        st.caption(ui.escape_md(" · ".join(m for m in meta if m)))
        title = post.get("title")
        if isinstance(title, str) and title.strip():
            st.markdown(f"**{ui.escape_md(title.strip())}**")
        st.markdown(ui.escape_md(" ".join(text.split())))
        url = ui.safe_url(post.get("url"))
        if url:
            st.markdown(f"[Open the source post ↗]({url.replace(')', '%29').replace(' ', '%20')})")


def _questions(post: dict[str, Any]) -> None:
    pid = post["id"]
    # (a run that stops before the form, the database busy, keeps these answers: Streamlit forgets a widget's
    # state only after a run that went to its end without drawing it)
    candidate = st.radio(f"**{CANDIDATE_QUESTION}**", ("Yes", "No"), index=None, horizontal=True, key=f"label_ce_{pid}",
                         help="Yes when the writer tells of their own application, screening, interview, offer, "
                              "rejection or first days. No for advice, news, recruiters, employers, questions not "
                              "yet lived, and customers with no hiring story.")
    tone = st.radio("**Tone**", TONES, index=None, horizontal=True, format_func=str.capitalize,
                    key=f"label_tone_{pid}", help="How the writer feels about what they describe, taken as a whole.")
    stages: list[str] = []
    if candidate == "Yes":
        stages = st.multiselect("**Hiring stages it tells of**", list(STAGES), format_func=ui.stage_label,
                                key=f"label_stages_{pid}", placeholder="Choose the stages (none if it names no step)")
    link = st.checkbox(LINK_QUESTION, key=f"label_link_{pid}",
                       help="Being a customer, or no longer being one, because of how they were treated as a "
                            "candidate: \"I won't shop there again\", \"a customer for years, and this is how "
                            "they treat applicants\".")
    with st.container(horizontal=True):
        save = st.button("Save and next", type="primary", key="label_save", icon=":material/check:")
        skip = st.button("Skip", key="label_skip", help="Leave this post unlabelled for now; it comes back in a new "
                                                        "session.")
    if skip:
        st.session_state.setdefault("label_skipped", []).append(pid)
        st.rerun()
    if not save:
        return
    missing = [name for name, answer in (("whether it is a first-hand account", candidate), ("its tone", tone))
               if answer is None]
    if missing:
        st.error(f"Before saving, choose {' and '.join(missing)}.")
        return
    try:
        loaders.save_label(pid, is_candidate_experience=candidate == "Yes", sentiment=tone,
                           stages=stages if candidate == "Yes" else [], consumer_link=bool(link))
    except ValueError as exc:
        st.error(str(exc))
        return
    except DatabaseError as exc:
        _write_failed(exc, "Save and next")
        return
    st.session_state["label_last"] = pid
    st.rerun()


def _progress(summary: dict[str, Any]) -> None:
    st.subheader("Progress")
    n = summary["posts"]
    if n < MIN_OWN_POSTS:
        st.markdown(f"**{n:,} {'post' if n == 1 else 'posts'} labelled**; adapting the analyzer to your posts "
                    f"needs at least {MIN_OWN_POSTS}.")
    else:
        st.markdown(f"**{n:,} posts labelled**: enough to adapt the analyzer to your posts. A few hundred teach it "
                    "more.")
    st.progress(min(n / MIN_OWN_POSTS, 1.0))
    if n:
        tones = " · ".join(f"{summary['sentiment'][t]:,} {t}" for t in TONES)
        st.caption(f"{tones} · {ui.fmt_count(summary['candidate_experiences'], 'first-hand candidate account')} · "
                   f"{summary['consumer_links']:,} tied to being a customer")


AGREEMENT_NOTE = ("How often the analyzer, as the dashboard shows it, reads your posts as you labelled them (for "
                  "negatives read as positive, lower is better). Spotted: high only when it finds most of the "
                  "candidate accounts, stages or customer ties you marked and most of those it finds are ones you "
                  "marked too. Candidate sentiment: how many points the dashboard's candidate sentiment sits above "
                  "or below yours on the same posts (below zero: gloomier than you). Likely range: where the "
                  "result would probably fall on as many other posts of yours. Sure tone readings should match "
                  "your labels more often than unsure ones; if they do not on your posts, do not lean on the "
                  "Mentions view's **Only sure tone readings** filter. Where you differ, your label is what "
                  "`hirepulse adapt` learns from.")
AGREEMENT_TERMS = ("For analysts: spotted is the F1 score (stages: micro-F1, on the posts you and the analyzer "
                   "both call candidate accounts); candidate sentiment is the net sentiment of the analyzer's "
                   "tones minus that of yours, over the posts you call candidate accounts; the likely range is a "
                   "95% percentile bootstrap interval.")


def _agreement(readings: dict, state: dict | None) -> None:
    """How far the readings the dashboard shows agree with the labels, with how far that could move; ``readings``
    and ``state``: loaders.load_analysis_status."""
    st.subheader("How the analyzer reads your posts")
    figures, scope, adapted = _fetch(loaders.load_label_agreement, readings["adapted"])
    if state and state["pending"]:
        # the figures are those of the readings stored; the captions below speak of the readings in use
        st.warning(f"{ui.fmt_count(state['pending'], 'stored post')} {'has' if state['pending'] == 1 else 'have'} "
                   "not been read by the current analyzer yet: until "
                   "`hirepulse analyze` runs, the figures below describe how an earlier version read them, not the "
                   f"current one (version {readings['version']}).")
    if scope == "since":
        st.caption("On the posts labelled since the analyzer was adapted to your posts (`hirepulse adapt`): posts "
                   "it never learned from.")
    elif scope == "learned":
        until = metrics.labelled_until(adapted).astimezone(timezone.utc)   # (the day compared: UTC, as everywhere)
        st.caption(f"The analyzer in use was adapted with your labels up to {ui.fmt_day(until)}, so on those posts it "
                   f"agrees more than it will on new ones. Once {metrics.AGREEMENT_MIN} posts labelled since are read, "
                   "this shows those alone.")
    elif scope == "file":
        st.caption("The analyzer in use was adapted (`hirepulse adapt`) from a file of labelled posts: on any of "
                   "those posts it agrees more than it will on new ones.")
    n = int(figures["posts"].max()) if len(figures) else 0
    if n < metrics.AGREEMENT_MIN:
        st.caption(f"Once the analyzer has read {metrics.AGREEMENT_MIN} of your labelled posts "
                   f"({n:,} so far; `hirepulse analyze` reads new posts), this shows how often it reads them as "
                   "you do: how far to trust the dashboard for your own posts.")
        return

    def name(row: Any) -> str:
        return wording.agreement_name(row.measure, row.posts, n)

    def shown(row: Any) -> tuple[str, str]:
        return wording.agreement_figure(row.measure, row.value, row.low, row.high)

    shipped = None
    if scope == "since":   # did adapting help? the shipped readings on the same posts, which neither learned from
        shipped = {r.measure: shown(r)[0] for r in _fetch(loaders.load_shipped_agreement, adapted).itertuples()}
    table = (f"| On {n:,} of your posts | Result | Likely range |" + (" Before adapting |" if shipped else "")
             + "\n|---|---|---|"
             + ("---|" if shipped else "") + "\n" + "\n".join(
                 f"| {name(row)} | **{figure}** | {span} |" + (f" {shipped.get(row.measure, '–')} |" if shipped else "")
                 for row in figures.itertuples() for figure, span in [shown(row)]))
    st.markdown(table)
    if shipped:
        st.caption("Before adapting: how the analyzer as installed, before `hirepulse adapt`, reads the same posts. "
                   "Where the adapted analyzer does no better, adapting has not helped yet on your posts; more "
                   "labels, or going back to the analyzer as installed (remove `lexicon_dir` from the config), are "
                   "the ways on.")
    st.caption(AGREEMENT_NOTE, help=AGREEMENT_TERMS)


def _last_reading(mention_id: str) -> None:
    reading = _fetch(loaders.load_label_reading, mention_id)
    if reading is None:  # (undone since)
        return
    st.markdown("**Your last label, and how the analyzer read it**")
    st.caption(ui.escape_md(ui.preview(ui.post_text(reading["title"], reading["text"]), 90)))
    if not reading["analysed"]:
        st.caption("The analyzer has not read this post yet (`hirepulse analyze`).")
        return
    sure = ui.tone_sure(reading["read_sentiment_confidence"])   # ("Sure (93%)", "Unsure (61%)"; None: not stored)
    rows = [("Tone", _tone(reading["sentiment"]),
             _read_tone(float(reading["read_sentiment"])) + (f" · {sure.lower()}" if sure else ""),
             reading["sentiment"] == sentiment_label(float(reading["read_sentiment"]), POSITIVE)),
            ("Candidate", _yes_no(reading["is_candidate_experience"]), _yes_no(reading["read_is_candidate_experience"]),
             reading["is_candidate_experience"] == reading["read_is_candidate_experience"]),
            ("Stages", ui.stage_labels(reading["stages"]) or "–", ui.stage_labels(reading["read_stages"]) or "–",
             list(reading["stages"]) == list(reading["read_stages"])),
            ("Customer", _yes_no(reading["consumer_link"]), _yes_no(reading["read_consumer_link"]),
             reading["consumer_link"] == reading["read_consumer_link"])]
    st.markdown("| | You | Analyzer |\n|---|---|---|\n"
                + "\n".join(f"| {name} | {you} | {read if same else f'**{read}**'} |" for name, you, read, same in rows))
    st.caption("Where the analyzer differs, it is in bold. Your label is what it learns from.")


def _recent(recent: list[dict[str, Any]]) -> None:
    st.subheader("Recent labels")
    if not recent:
        st.caption("Labels you save show here, each with a way to undo it.")
        return
    for row in recent:
        text_col, undo_col = st.columns([6, 1], vertical_alignment="center")
        stages = ui.stage_labels(row["stages"])
        said = [_tone(row["sentiment"]),
                "first-hand candidate" + (f" ({stages})" if stages else "") if row["is_candidate_experience"]
                else "not a candidate account"]
        if row["consumer_link"]:
            said.append("tied to being a customer")
        text_col.markdown(f"**{ui.escape_md(' · '.join(said))}**  \n"
                          f"{ui.escape_md(ui.preview(ui.post_text(row['title'], row['text']), 140))}")
        if undo_col.button("Undo", key=f"label_undo_{row['id']}", icon=":material/undo:",
                           help="Remove this label: the post comes back to be labelled again."):
            try:
                loaders.delete_label(row["id"])
            except DatabaseError as exc:
                _write_failed(exc, "Undo")
            else:
                if st.session_state.get("label_last") == row["id"]:
                    st.session_state.pop("label_last")
                st.rerun()


def _read_by(version: str | None, in_use: str | None) -> str:
    """Which analyzer read a post, in plain words: the one installed, the adapted one in use, or another."""
    if version == ANALYZER_VERSION:
        return "Analyzer as installed"
    return "Adapted analyzer" if version == in_use else "Another version"


def _differences(in_use: str | None) -> None:
    """The labelled posts the analyzer reads otherwise (tone or candidate account), newest label first: where
    it goes wrong on the team's posts, each with the reading's version, as a table to download."""
    read = [r for r in _fetch(loaders.load_label_readings) if r["analysed"]]
    differ = [r for r in read if r["sentiment"] != sentiment_label(float(r["read_sentiment"]), POSITIVE)
              or r["is_candidate_experience"] != r["read_is_candidate_experience"]]
    if not read:
        return
    st.subheader("Where the analyzer reads your posts otherwise")
    if not differ:
        on = "On the one labelled post" if len(read) == 1 else f"On all {len(read):,} labelled posts"
        st.caption(f"{on} it has read, the analyzer reads the tone and whether it is a candidate's account as you "
                   "do.")
        return
    st.caption(f"{len(differ):,} of the {ui.fmt_count(len(read), 'labelled post')} it has read, by tone or by "
               "whether it is a candidate's account: what to look at before trusting a figure, and what `hirepulse "
               "adapt` learns from.")
    differ.sort(key=lambda r: r["labelled_at"], reverse=True)
    ui.table(pd.DataFrame({
        "Post": [ui.preview(ui.post_text(r["title"], r["text"]), 300) for r in differ],
        "Your tone": [_tone(r["sentiment"]) for r in differ],
        "Its tone": [_read_tone(float(r["read_sentiment"])) for r in differ],
        "Candidate's account (you / it)": [f"{_yes_no(r['is_candidate_experience'])} / "
                                           f"{_yes_no(r['read_is_candidate_experience'])}" for r in differ],
        "Read by": [_read_by(r["analyzer_version"], in_use) for r in differ],
        "Analyzer version": [r["analyzer_version"] for r in differ],
    }), "label_differences", column_config={
        "Post": st.column_config.TextColumn("Post", width="large"),
        "Analyzer version": st.column_config.TextColumn("Analyzer version", help="The exact version that read the "
                                                        "post, for anyone tracing a reading.")})


def _use(summary: dict[str, Any]) -> None:
    st.subheader("Use your labels")
    st.download_button("Download labels", data=loaders.labels_jsonl, file_name="hirepulse_labels.jsonl",
                       mime="application/jsonl", key="labels_download", icon=":material/download:",
                       disabled=not summary["posts"],
                       help="Your labels as a JSON-lines file, the format `hirepulse adapt --labelled` reads.")
    db_option = f" --db {loaders.db_path()}" if os.environ.get(DB_ENV) else ""
    st.markdown(f"With at least {MIN_OWN_POSTS} labels, whoever runs hirepulse can retrain the analyzer on them "
                "(once, first: `pip install -e '.[train]'`):")
    # the folder beside the config file, named in full: the config reads lexicon_dir from its own folder, so a
    # bare "--out lexicon-adapted" run from elsewhere wrote a folder the config then could not find
    config_path = resolve_config_path(None)[0].resolve()
    st.code(f"hirepulse adapt --out {config_path.parent / ADAPTED_DIR}{db_option}", language="bash", wrap_lines=True)
    st.markdown(f"then add to `{config_path.name}` (`{config_path}`), and run `hirepulse analyze` to read every "
                "post again with it:")
    st.code(f'[analysis]\nlexicon_dir = "{ADAPTED_DIR}"', language="toml")


sel = selection()
st.title("Label posts")
st.caption(ui.escape_md(_caption(sel)))
ui.require_data(sel)
st.markdown("Read each post and say what it is. Your labels teach the analyzer how your own posts read "
            "(`hirepulse adapt`). Posts come in a fixed shuffled order, so the ones you label are a fair sample.")

skipped = tuple(st.session_state.get("label_skipped", ()))
post, remaining = _fetch(loaders.load_next_to_label, sel.filters, exclude=skipped)
overview = _fetch(loaders.load_labels_overview, recent=RECENT)

left, right = st.columns([3, 2], gap="large")
with left:
    # none left: all labelled (or skipped), or none there at all (a quick top-1 read, asked only here)
    if post is None and _fetch(loaders.load_mention_search, sel.no_stage_filters, limit=1).empty:
        st.info("No posts in this period from these sources, so nothing to label. Widen the period or choose "
                "other sources in the sidebar.")
    elif post is None:
        st.info("Every post under these filters is labelled" + (" or skipped." if skipped else ".")
                + " Widen the period or choose other sources in the sidebar.")
        if skipped and st.button(f"Show the {'skipped post' if len(skipped) == 1 else f'{len(skipped)} skipped posts'} "
                                 "again", key="label_unskip"):
            st.session_state["label_skipped"] = []
            st.rerun()
    else:
        st.caption(f"{remaining:,} {'post' if remaining == 1 else 'posts'} left to label under these filters"
                   + (f" ({len(skipped)} skipped)" if skipped else ""))
        _post(post)
        _questions(post)
# (the config, the adapt manifest and the lexicon's digest, read once for the two parts that show them)
readings, state = _fetch(loaders.load_analysis_status)
with right:
    _progress(overview["summary"])
    _agreement(readings, state)
    if st.session_state.get("label_last"):
        _last_reading(st.session_state["label_last"])
    _use(overview["summary"])
_recent(overview["recent"])
_differences(readings["version"])
