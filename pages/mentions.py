"""Mentions: a searchable table of posts with a link to each source, how sure each tone reading is, and why
it scored as it did."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from pages import _loaders as loaders
from pages import _ui as ui
from pages._frame import selection

ROW_LIMIT = 500
WORDS = "Words that set its tone"
WORDS_HELP = ("Words and phrases from the analyzer's word list (its lexicon) found in the sentence, each with its "
              "weight, from −4 (very negative) to +4 (very positive); negated: the sentence turns the word around.")

sel = selection()
ui.header("Mentions", sel, intro="Every post behind the numbers. Search the text, open the source, and see why a "
                                 "post scored as it did.")
ui.require_data(sel)

search_col, candidate_col, sure_col = st.columns([2, 1, 1])
search = search_col.text_input("Search the posts", key="mention_search", placeholder="e.g. ghosted, recruiter, offer")
candidate_only = candidate_col.toggle("Candidate experiences only", key="mention_candidates")
sure_only = sure_col.toggle("Only sure tone readings", key="mention_sure",
                            help="Hides the posts whose tone the machine is unsure of, or has not rated yet.")
found = ui.fetch(loaders.load_mention_search, sel.filters, search=search, candidate_only=candidate_only,
                 sure_only=sure_only, limit=ROW_LIMIT)
if found.empty:
    ui.empty_state("No posts with a sure tone reading match this search and these filters." if sure_only
                   else "No posts match this search and these filters.")
    st.stop()

total = int(found["total"].iloc[0])
st.caption(f"Showing the newest {len(found):,} of {total:,} matching posts." if total > len(found)
           else f"{ui.fmt_count(total, 'matching post')}.")
# the post's words next to its tone, in a wide column, then what else was read of it; the metadata columns kept
# narrow: with the post at medium width between them, the stages, themes and customer tie sat off a laptop's
# screen and the post itself showed some thirty characters
rows = pd.DataFrame({
    "Date": pd.to_datetime(found["published_at"]).dt.date,
    "Company": found["company"],
    "Source": found["source"].map(ui.source_label),
    "Sentiment (−100 to +100)": found["sentiment"],
    ui.TONE_SURE_TITLE: found["sentiment_confidence"].map(ui.tone_sure),
    "Post": [ui.preview(ui.post_text(t, x), 2000) for t, x in zip(found["title"], found["text"])],
    "Stages": found["stages"].map(ui.stage_labels),
    "Themes": found["themes"].map(ui.theme_labels),
    "Candidate experience": found["is_candidate_experience"].map({True: "Yes", False: "No"}),
    "Tied to being a customer": found["consumer_link"].map({True: "Yes", False: ""}),
    "Link": found["url"].map(ui.safe_url),
})
ui.table(rows, "mentions", height=420, column_config={
    **{c: st.column_config.Column(width="small") for c in ("Date", "Company")},
    "Post": st.column_config.TextColumn("Post", width="large"),
    "Sentiment (−100 to +100)": st.column_config.NumberColumn("Sentiment", format="%+d", width="small",
                                                               help="The post's tone, −100 to +100"),
})

st.subheader("Why did a post score this way?")
ids = found["id"].tolist()
labels = {i: f"{day} · {company or ''} · {ui.preview(text, 80)}"   # plain lists: .iloc per row cost 0.1 s
          for i, day, company, text in zip(ids, rows["Date"].tolist(), found["company"].tolist(),
                                           found["text"].tolist())}
# The options are the posts' ids, and every set of results gets a picker of its own: a browser shows the label
# it last showed until the server tells it otherwise, and a picker of row numbers kept through a new search
# named a post of the old results while the card below explained row 0 of the new ones.
results = hashlib.md5("\n".join(ids).encode()).hexdigest()[:12]
picked = st.selectbox("Post", ids, format_func=lambda i: labels.get(i, ""), key=f"mention_explain_{results}")
post = found.iloc[ids.index(picked)]
ui.post_card(post)   # (its sentiment says how sure the reading is; the line below, what to do when it is not)
if (todo := ui.tone_sure_line(post["sentiment_confidence"])) is not None:
    st.caption(todo)
stored = post["explanation"] if isinstance(post["explanation"], str) else ui.fetch(loaders.load_explanation, post["id"])
try:
    explanation = json.loads(stored or "{}")
except (TypeError, ValueError):
    explanation = {}
sentences = explanation.get("sentences") or []
rules = explanation.get("rules") or []
# an imported rating read with its scale (`hirepulse import --rating-scale`): [value, scale] (analysis.pipeline)
rated = explanation.get("rating")
if (line := ui.rating_line(rated)) is not None:
    st.caption(line)
if not sentences:
    st.caption("No sentence carried a tone, named a hiring stage or used a word from the analyzer's word list"
               + ("." if rated else ": the post scored as neutral."))
else:
    st.markdown("**How each sentence read**")
    st.dataframe(pd.DataFrame({
        "Sentence": [s.get("text", "") for s in sentences],
        "Sentiment (−100 to +100)": [round(100 * float(s.get("compound") or 0)) for s in sentences],
        "Stages": [ui.stage_labels(s.get("stages") or []) for s in sentences],
        WORDS: [", ".join(f"{h.get('text') or h.get('term')} ({float(h.get('valence') or 0):+.1f}"
                          f"{', negated' if h.get('negated') else ''})" for h in s.get("hits") or [])
                for s in sentences],
    }), hide_index=True, column_config={WORDS: st.column_config.TextColumn(WORDS, help=WORDS_HELP)})
if rules:
    with st.expander("How the analyzer decided, clue by clue"):
        st.caption(ui.RULES_NOTE)
        for topic, notes in ui.rules_by_topic(rules):
            st.markdown(f"**{topic}**\n\n" + "\n".join(f"- {ui.escape_md(note)}" for note in notes))
