"""Score stored mentions in batches and store the results.

Each batch is read through one short connection, scored with no connection open (scoring is
the slow part, and a held connection would lock the dashboard and collectors out), then written
through another short connection (which also keeps the dashboard's facts in step, see
:func:`hirepulse.db.ensure_facts`). Only mentions never analysed, analysed by an older analyzer
version, or changed since are scored, so re-running is cheap and safe. When the config's companies
changed since the stored analyses were made, the posts whose words hold a name, alias or hashtag form
read otherwise now have their companies read again, and nothing else: the companies a post names feed
no other part of its reading (candidate experience, stages, tone, themes and customer link are read
from its words alone).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis import wording
from analysis.companies import changed_names
from analysis.scoring import ANALYZER_VERSION, STAGES, Result, analyzer_version, resolve_companies, score_texts
from hirepulse import db
from hirepulse.models import text_for_analysis

log = logging.getLogger(__name__)

BATCH_SIZE = 4000
REBUILD_SHARE = 0.25   # rebuild the dashboard facts when a run analyses this share of them


@dataclass(frozen=True, slots=True)
class AnalyzeStats:
    """What a run did: ``analyzed`` mentions read whole, ``companies_reread`` whose companies alone were read
    again (the config's companies changed since), of ``pending_before`` (both) waiting when it started."""
    analyzed: int
    pending_before: int
    analyzer_version: str
    companies_reread: int = 0


def result_row(mention_id: str, content_hash: str, stage_hint: str | None, result: Result,
               version: str = ANALYZER_VERSION, rating: tuple[float, float] | None = None) -> dict[str, Any]:
    """A scored mention as an ``analysis`` row.

    A stage stated by the source (a candidate-survey answer filed under "interview") is taken as
    given: the mention is a candidate experience of that stage even when its words do not say so,
    scored with the text's overall sentiment unless the text speaks to that stage itself. Where the
    row's own rating was read (``rating``: (value, scale), a score given for that stage on the scale the
    import named), the stage takes the overall sentiment, which the rating signed, whatever its sentences
    say; the explanation records the rating, for the dashboard's "why".
    ``sentiment_confidence`` is how sure the analyzer is of the sentiment (None without a tone model).
    """
    is_ce, stages, stage_sentiment = result.is_candidate_experience, tuple(result.stages), dict(result.stage_sentiment)
    explanation = dict(result.explanation)
    if rating is not None:
        explanation["rating"] = list(rating)
    if stage_hint in STAGES:
        is_ce = True
        if rating is not None or stage_hint not in stage_sentiment:
            stage_sentiment[stage_hint] = result.sentiment
        stages = tuple(s for s in STAGES if s in stage_sentiment)
        explanation["stage_hint"] = stage_hint
    return {
        "mention_id": mention_id, "analyzer_version": version, "content_hash": content_hash,
        "is_candidate_experience": is_ce, "sentiment": result.sentiment, "stages": stages,
        "stage_sentiment": stage_sentiment, "themes": result.themes, "consumer_link": result.consumer_link,
        "companies": result.companies, "explanation": explanation,
        "sentiment_confidence": result.sentiment_confidence,
    }


def read_mentions(batch: Sequence[tuple], *, companies: Sequence[tuple[str, Sequence[str]]] = (),
                  lexicon_dir: str | os.PathLike[str] | None = None,
                  version: str = ANALYZER_VERSION) -> list[dict[str, Any]]:
    """Stored mentions read as ``analysis`` rows (:func:`result_row`): ``batch`` holds
    ``(id, title, text, content_hash, stage_hint, rating, rating_scale)`` tuples, as
    :func:`hirepulse.db.fetch_pending_analysis` gives them."""
    # a rating imported with its scale (`hirepulse import --rating-scale`) is read as the reviewer's own
    ratings = [(rating, scale) if rating is not None and scale else None for *_, rating, scale in batch]
    results = score_texts([text_for_analysis(title, text) for _, title, text, *_ in batch], companies=companies,
                          lexicon_dir=lexicon_dir, ratings=ratings if any(ratings) else None)
    return [result_row(mid, chash, hint, r, version, rating=given)
            for (mid, _, _, chash, hint, *_), r, given in zip(batch, results, ratings)]


def reread_companies(batch: Sequence[tuple], *, companies: Sequence[tuple[str, Sequence[str]]],
                     lexicon_dir: str | os.PathLike[str] | None = None) -> list[tuple[str, tuple[str, ...], str]]:
    """The companies of analysed mentions read again under ``companies``, the rest of their reading kept: ``batch``
    holds ``(id, title, text, explanation JSON)`` tuples, as :func:`hirepulse.db.fetch_stale_companies` gives them;
    returns ``(id, companies, explanation JSON)`` with the explanation's ``companies`` replaced, as
    :func:`hirepulse.db.update_companies` stores them."""
    found = resolve_companies([text_for_analysis(title, text) for _, title, text, _ in batch], companies=companies,
                              lexicon_dir=lexicon_dir)
    rows = []
    for (mention_id, _, _, explanation), (names, details) in zip(batch, found):
        explained = json.loads(explanation) if explanation else {}
        explained["companies"] = details
        rows.append((mention_id, names, json.dumps(explained, ensure_ascii=False)))
    return rows


def _companies_to_use(recorded: tuple[str, Sequence[tuple[str, Sequence[str]]]] | None,
                      companies: Sequence[tuple[str, Sequence[str]]] | None,
                      ) -> tuple[list[tuple[str, tuple[str, ...]]], frozenset[str] | None]:
    """The companies a run given ``companies`` (None: those ``recorded``, :func:`hirepulse.db.recorded_companies`)
    resolves with, and the names it looks for in the stored posts to mark their companies for reading again: None
    when they are the companies recorded (nothing to mark)."""
    if companies is None:
        companies = recorded[1] if recorded else []
    companies = [(name, tuple(aliases)) for name, aliases in companies]
    if recorded is not None and recorded[0] == db.companies_fingerprint(companies):
        return companies, None
    return companies, changed_names(recorded[1] if recorded else (), companies)


def companies_to_reread(con: Any, analyzer_version: str,
                        companies: Sequence[tuple[str, Sequence[str]]] | None = None) -> int:
    """How many posts :func:`analyze_pending`, given ``companies`` (None: as for a run with no config file) and
    reading with ``analyzer_version``, would have the companies of read again, their other readings kept: those an
    earlier run marked and left (stopped), and those whose words hold a name read otherwise under ``companies``
    than under the companies recorded. Marks nothing: works on a read-only connection (`hirepulse status`), and
    searches the stored words (as the run would) only when the companies differ from those recorded."""
    recorded = db.recorded_companies(con) if db.has_companies_stale(con) else None
    _, names = _companies_to_use(recorded, companies)
    return db.count_stale_companies(con, analyzer_version, names or ())


def analyze_pending(
    db_path: str | os.PathLike[str],
    *,
    companies: Sequence[tuple[str, Sequence[str]]] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    lexicon_dir: str | os.PathLike[str] | None = None,
    should_stop: Callable[[], bool] | None = None,
    wait: Callable[[db.LockHolder], bool] | None = None,
) -> AnalyzeStats:
    """Analyse every pending mention in ``db_path``; ``progress(done, total)`` after each batch.
    ``companies``: the config's ``(name, aliases)`` pairs; None: those the stored analyses were made with (none
    when nothing is recorded), as for a run with no config file. Where they differ from those recorded in the
    database, the posts whose words hold a name, alias or hashtag form read otherwise now are marked, the new
    companies recorded, and those posts' companies read again, after the mentions read whole
    (:func:`reread_companies`; a stopped run leaves the rest marked for the next).
    ``lexicon_dir``: an adapted lexicon (``hirepulse adapt``) instead of the shipped one; its own analyzer
    version, so switching to it, away from it or to a newer adaptation re-scores every mention.
    ``should_stop``: asked before each batch; when it turns true the run ends there, recorded as stopped, and
    what is left waits for the next run (a stop signal must not wait out a backlog of a million posts).

    One analysis runs on a database file at a time (a lock beside it, :data:`hirepulse.db.ANALYSIS_LOCK_SUFFIX`):
    two would score the same pending posts, each the whole backlog. ``wait`` is asked with the process holding it
    while another analysis runs (every half second): True to wait on, False to give up (:class:`LockHeld`).
    None waits until it ends, or until ``should_stop``: the run then analysed nothing, and left what is pending.

    Raises:
        DatabaseError: the database cannot be opened within the lock budget.
        LockHeld: another process analyses this database, and ``wait`` returned False.
    """
    version = ANALYZER_VERSION if lexicon_dir is None else analyzer_version(lexicon_dir)
    stopped_waiting = False

    def waiting(holder: db.LockHolder) -> bool:
        nonlocal stopped_waiting
        stopped_waiting = should_stop is not None and should_stop()
        return not stopped_waiting and (wait is None or wait(holder))

    try:
        with db.process_lock(db.lock_path(db_path, db.ANALYSIS_LOCK_SUFFIX), wait=waiting):
            return _analyze_pending(db_path, companies=companies, batch_size=batch_size, progress=progress,
                                    lexicon_dir=lexicon_dir, should_stop=should_stop, version=version)
    except db.LockHeld:
        if not stopped_waiting:
            raise
    with db.connect(db_path, read_only=True) as con:   # (stopped while waiting: what the run would have done)
        left = db.count_pending_analysis(con, version) + db.count_stale_companies(con, version)
    return AnalyzeStats(analyzed=0, pending_before=left, analyzer_version=version)


def _analyze_pending(db_path: str | os.PathLike[str], *, companies: Sequence[tuple[str, Sequence[str]]] | None,
                     batch_size: int, progress: Callable[[int, int], None] | None,
                     lexicon_dir: str | os.PathLike[str] | None, should_stop: Callable[[], bool] | None,
                     version: str) -> AnalyzeStats:
    """:func:`analyze_pending`, the analysis lock held."""
    with db.connect(db_path) as con:
        companies, names = _companies_to_use(db.recorded_companies(con), companies)
        if names is not None:
            marked = db.mark_companies_stale(con, companies, names)
            log.info("the configured companies changed: %s may name one otherwise now",
                     wording.fmt_count(marked, "analysed mention"))
        whole = db.count_pending_analysis(con, version)
        names_only = db.count_stale_companies(con, version)
        total = whole + names_only
        # an earlier analysis killed midway, or that could not record its end, is closed as an error saying so
        # (one another process is still making is left to finish), as a collection closes its source's
        db.close_interrupted_runs(con, "analysis", "analyze")
        run_id = db.start_run(con, "analysis", "analyze")
        db.note_run_progress(con, run_id, done=0, total=total)   # (`hirepulse status` counts it while it runs)
        # A run that rewrites a good part of the analysis rebuilds the dashboard's facts at its
        # end (which also restores their order); keeping them in step batch by batch too would
        # cost about as much as the writes. The dashboard reads the facts view meanwhile.
        facts = con.execute("SELECT count(*) FROM fact_mentions").fetchone()[0]
        rebuild = total > 0 and total >= REBUILD_SHARE * facts
        if rebuild:
            db.mark_facts_stale(con)
    done = reread = 0
    stopped = False

    def go_on() -> bool:
        nonlocal stopped
        stopped = should_stop is not None and should_stop()
        return not stopped

    try:
        while done < whole and go_on():
            with db.connect(db_path, read_only=True) as con:
                batch = db.fetch_pending_analysis(con, version, limit=batch_size)
            if not batch:
                break
            rows = read_mentions(batch, companies=companies, lexicon_dir=lexicon_dir, version=version)
            with db.connect(db_path) as con:
                db.upsert_analysis(con, rows, keep_facts=not rebuild,
                                   progress=(run_id, min(done + len(rows), total), total))
            done += len(rows)
            if progress:
                progress(min(done, total), total)
        while reread < names_only and not stopped and go_on():
            with db.connect(db_path, read_only=True) as con:
                batch = db.fetch_stale_companies(con, version, limit=batch_size)
            if not batch:
                break
            found = reread_companies(batch, companies=companies, lexicon_dir=lexicon_dir)
            with db.connect(db_path) as con:
                db.update_companies(con, found, keep_facts=not rebuild,
                                    progress=(run_id, min(done + reread + len(found), total), total))
            reread += len(found)
            if progress:
                progress(min(done + reread, total), total)
    except BaseException as exc:
        with db.connect(db_path) as con:
            db.finish_run(con, run_id, status="error", new=done, updated=reread,
                          error=str(exc)[:500] or type(exc).__name__)
        raise
    left = max(0, total - done - reread)
    with db.connect(db_path) as con:
        db.finish_run(con, run_id, status="stopped" if stopped else "ok", new=done, updated=reread,
                      detail={"analyzer_version": version, **({"companies_reread": reread} if reread else {}),
                              **({"left": left} if stopped else {})})
        # Rebuilt when this run marked them stale, or when a writer bypassed hirepulse.db (a raw
        # DELETE or INSERT by hand or by an older tool); otherwise the batches kept them in step. A stopped
        # run leaves stale facts stale (the views read the facts view meanwhile): the next run rebuilds them.
        if not stopped:
            db.ensure_facts(con, rebuild=rebuild)
    log.info("analysed %s with analyzer %s%s%s", wording.fmt_count(done, "mention"), version,
             f"; read the companies of {reread} again, as the configured companies changed" if reread else "",
             f"; stopped with {left} left for the next run" if stopped else "")
    return AnalyzeStats(analyzed=done, pending_before=total, analyzer_version=version, companies_reread=reread)
