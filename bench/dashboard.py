"""Dashboard render times on a large database, per view, against fixed targets.

    python bench/dashboard.py [--rows 1000000] [--db PATH] [--reuse]

Builds a DuckDB file with ``--rows`` synthetic mentions and their analysis (mentions, analysis and
analysis_stages rows, written through Arrow into the real schema from ``hirepulse.db``), then
renders every view server-side with Streamlit's AppTest through ``app.py``:

* first load: caches cleared, the frame's and the view's loaders all query DuckDB;
* filter change: the same session, one sidebar filter changed (sources), the other caches warm;
* period change: the same, with the period moved back four weeks (five, six, ...).

Each is measured ``--repeat`` times (each change with a value not seen before, so each misses
the cache) and reported as the median, with the worst in brackets: one sample on a shared
machine is mostly noise.

It also times the SQL alone (the metric functions a view calls, on one connection) to show where
the time goes. Targets: first load at most 1 s per view, a filter change at most 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis import metrics  # noqa: E402
from analysis.metrics import Filters  # noqa: E402
from analysis.scoring import ANALYZER_VERSION, STAGES  # noqa: E402
from analysis.themes import THEMES  # noqa: E402
from hirepulse import db  # noqa: E402
from hirepulse.health import analysis_status  # noqa: E402

FIRST_LOAD_TARGET = 1.0
FILTER_CHANGE_TARGET = 0.3
SEED = 20260301
START = datetime(2025, 5, 5, tzinfo=timezone.utc)          # a Monday
WEEKS = 78
WAVE_WEEKS = range(34, 47)                                  # Brightwater's ghosting wave
COMPANIES = (("Brightwater", 0.52), ("Cobalt Outfitters", 0.24), ("Fernhill Market", 0.21), (None, 0.03))
SOURCES = (("social", 0.32), ("forum", 0.15), ("reviews", 0.14), ("news", 0.09), ("hackernews", 0.1),
           ("mastodon", 0.1), ("survey", 0.05), ("stackexchange", 0.05))
STAGE_WEIGHTS = (0.2, 0.15, 0.3, 0.1, 0.15, 0.1)            # journey order, as STAGES
CANDIDATE_SHARE = 0.45
WORDS = ("recruiter", "interview", "never", "heard", "back", "offer", "great", "panel", "slow", "onboarding",
         "ghosted", "feedback", "kind", "team", "application", "portal", "weeks", "call", "store", "tent",
         "boots", "return", "loyalty", "card", "delivery", "staff", "friendly", "rude", "quick", "process")
VIEWS = ("overview", "journey", "trends", "themes", "competitors", "brand_impact", "mentions", "health", "labelling")
APP = REPO / "app.py"
CONFIG = REPO / "data" / "sample" / "hirepulse.toml"       # Brightwater and its two competitors


# --------------------------------------------------------------------------- synthetic data

def _choice(rng: np.random.Generator, pairs: tuple[tuple[Any, float], ...], n: int) -> np.ndarray:
    values = np.array([v for v, _ in pairs], dtype=object)
    weights = np.array([w for _, w in pairs], dtype=float)
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _lists(rng: np.random.Generator, mask: np.ndarray, choices: list[str], weights: np.ndarray,
           sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Per row, ``sizes[i]`` distinct picks from ``choices`` (Gumbel top-k), empty where not ``mask``."""
    n = len(mask)
    keys = np.log(weights)[None, :] + rng.gumbel(size=(n, len(choices)))
    order = np.argsort(-keys, axis=1)
    sizes = np.where(mask, sizes, 0)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(sizes, out=offsets[1:])
    cols = np.concatenate([order[i, :k] for i, k in enumerate(sizes) if k]) if sizes.any() else np.array([], int)
    rows = np.repeat(np.arange(n), sizes)
    return offsets, rows, cols


def generate(path: Path, rows: int, *, seed: int = SEED) -> None:
    """Write ``rows`` mentions with analysis into a new DuckDB file at ``path`` (through Arrow)."""
    rng = np.random.default_rng(seed)
    company = _choice(rng, COMPANIES, rows)
    source = _choice(rng, SOURCES, rows)
    week_weights = np.linspace(0.8, 1.3, WEEKS)               # slow growth over time
    week = rng.choice(WEEKS, size=rows, p=week_weights / week_weights.sum())
    candidate = rng.random(rows) < CANDIDATE_SHARE
    wave = (company == "Brightwater") & np.isin(week, list(WAVE_WEEKS))
    candidate |= wave & (rng.random(rows) < 0.35)               # more candidate talk during the wave
    seconds = rng.integers(0, 7 * 86400, size=rows)
    published = np.datetime64(START.replace(tzinfo=None), "s") + (week * 7 * 86400 + seconds).astype("timedelta64[s]")
    order = np.argsort(published, kind="stable")                # stored in time order, like real ingest
    company, source, week, candidate, wave, published = (a[order] for a in (company, source, week, candidate, wave, published))

    mean = np.where(candidate, np.where(wave, -0.45, 0.05), np.where(wave & (week > WAVE_WEEKS[4]), -0.05, 0.15))
    sentiment = np.clip(rng.normal(mean, 0.45), -0.99, 0.99).round(4)
    stage_sizes = rng.choice([1, 2, 3], size=rows, p=[0.55, 0.3, 0.15])
    s_offsets, s_rows, s_cols = _lists(rng, candidate, list(STAGES), np.array(STAGE_WEIGHTS), stage_sizes)
    complaints = [t for t, theme in THEMES.items() if theme.polarity == "complaint"]
    praise = [t for t, theme in THEMES.items() if theme.polarity == "praise"]
    theme_ids = complaints + praise
    theme_sizes = rng.choice([0, 1, 2], size=rows, p=[0.35, 0.45, 0.2])
    negative, positive = sentiment <= -0.05, sentiment >= 0.05
    weights = np.ones(len(theme_ids))
    weights[theme_ids.index("ghosting")] = 4.0
    t_offsets, t_rows, t_cols = _lists(rng, candidate & (negative | positive), theme_ids, weights, theme_sizes)
    # keep complaint themes on negative posts and praise themes on positive ones
    is_praise = np.array([t in praise for t in theme_ids])[t_cols]
    keep = np.where(negative[t_rows], ~is_praise, is_praise)
    t_rows, t_cols = t_rows[keep], t_cols[keep]
    t_offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(t_rows, minlength=rows), out=t_offsets[1:])
    consumer_link = (candidate & negative & (rng.random(rows) < 0.05)) | (rng.random(rows) < 0.003)
    # how sure each tone reading is (the likeliest of three classes: at least a third); about half sure,
    # as on real posts (analysis.tone_model.SURE); drawn apart, so the rest of the data stays as before
    confidence = np.clip(np.random.default_rng(seed + 1).beta(5.0, 0.7, size=rows), 1 / 3, 1.0).round(4)

    ids = np.array([f"{s}:{i}" for i, s in enumerate(source)], dtype=object)
    words = np.array(WORDS, dtype=object)
    picks = rng.integers(0, len(words), size=(rows, 12))
    texts = [f"{c or 'They'} {' '.join(words[p])}." for c, p in zip(company, picks)]
    published_utc = pa.array(published.astype("datetime64[us]"), type=pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))
    now = pa.scalar(datetime.now(timezone.utc), type=pa.timestamp("us", tz="UTC"))
    companies_list = pa.ListArray.from_arrays(
        pa.array(np.arange(rows + 1, dtype=np.int32)), pa.array(list(company), type=pa.string()))
    stage_list = pa.ListArray.from_arrays(pa.array(s_offsets), pa.array(np.array(STAGES, dtype=object)[s_cols], type=pa.string()))
    theme_list = pa.ListArray.from_arrays(pa.array(t_offsets), pa.array(np.array(theme_ids, dtype=object)[t_cols], type=pa.string()))
    explanation = [json.dumps({"sentences": [{"text": t, "compound": float(v), "stages": [], "hits": []}]})
                   for t, v in zip(texts, sentiment)]

    mentions = pa.table({
        "id": ids, "source": source.astype(str), "native_id": np.arange(rows).astype(str), "url":
        [f"https://example.org/{s}/{i}" for i, s in enumerate(source)], "company": list(company),
        "query": pa.nulls(rows, pa.string()), "kind": pa.nulls(rows, pa.string()), "title": pa.nulls(rows, pa.string()),
        "text": texts, "published_at": published_utc, "author_key": pa.nulls(rows, pa.string()),
        "lang": pa.nulls(rows, pa.string()), "stage_hint": pa.nulls(rows, pa.string()),
        "rating": pa.nulls(rows, pa.float64()), "content_hash": ids,
        "fetched_at": pa.array([now.as_py()] * rows, type=pa.timestamp("us", tz="UTC")),
        "first_seen_at": pa.array([now.as_py()] * rows, type=pa.timestamp("us", tz="UTC")),
    })
    analysis = pa.table({
        "mention_id": ids, "analyzer_version": pa.array(["bench"] * rows), "content_hash": ids,
        "analyzed_at": mentions["fetched_at"], "is_candidate_experience": candidate, "sentiment": sentiment,
        "stages": stage_list, "themes": theme_list, "consumer_link": consumer_link, "companies": companies_list,
        "explanation": explanation, "sentiment_confidence": confidence,
    })
    stage_sentiment = np.clip(sentiment[s_rows] + rng.normal(0, 0.2, size=len(s_rows)), -0.99, 0.99).round(4)
    stages = pa.table({"mention_id": ids[s_rows], "stage": np.array(STAGES, dtype=object)[s_cols],
                       "sentiment": stage_sentiment})
    with db.connect(path) as con:                               # runs the real db.ensure_schema
        for name, table in (("mentions", mentions), ("analysis", analysis), ("analysis_stages", stages)):
            con.register("_in", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _in")   # (columns a migration adds stay NULL)
            con.unregister("_in")
        db.ensure_facts(con, rebuild=True)                      # as `hirepulse analyze` leaves them
        con.execute("CHECKPOINT")


# --------------------------------------------------------------------------- timing

def _sql_only(path: Path, view: str) -> float:
    """Seconds for the metric bundle one view's loader calls (plus the sidebar's), each on its own
    read-only connection, without Streamlit."""
    f = Filters(companies=("Brightwater",), since=date(2026, 8, 3), until=date(2026, 11, 1))
    peers = Filters(companies=("Brightwater", "Cobalt Outfitters", "Fernhill Market"), since=f.since, until=f.until)
    calls = {
        "overview": [lambda c: metrics.overview_bundle(c, f)],
        "journey": [lambda c: metrics.journey_bundle(c, f)],
        "trends": [lambda c: metrics.trends_bundle(c, f)],
        "themes": [lambda c: metrics.themes_bundle(c, f)],
        "competitors": [lambda c: metrics.competitors_bundle(c, peers)],
        "brand_impact": [lambda c: metrics.brand_bundle(c, f, window_since=f.until - timedelta(weeks=52))],
        "mentions": [lambda c: metrics.mentions_bundle(c, f, limit=500, explain=False)],
        "health": [lambda c: analysis_status(c, ANALYZER_VERSION)],
        "labelling": [lambda c: metrics.next_to_label(c, companies=f.companies, since=f.since, until=f.until),
                      lambda c: (db.label_summary(c), db.recent_labels(c, limit=8)),
                      lambda c: metrics.label_agreement_in_use(c, None)],
    }[view]
    started = time.perf_counter()
    for call in [metrics.filter_choices, *calls]:
        with db.connect(path, read_only=True) as con:
            call(con)
    return time.perf_counter() - started


def _render(view: str, repeat: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds of ``repeat`` first loads, filter changes and period changes of one view through
    app.py, server-side. Each change picks a value not picked before, so every one misses the
    cache: sources drop the last, second-last, ... source; the period moves back 4, 5, ... weeks."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    firsts, changes, periods = [], [], []
    for _ in range(repeat):
        st.cache_data.clear()                                   # the view's first load starts cold
        started = time.perf_counter()
        at.switch_page(f"pages/{view}.py").run()
        firsts.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    options = list(at.multiselect(key="sources").options)
    for i in range(repeat):
        started = time.perf_counter()
        at.multiselect(key="sources").set_value([o for j, o in enumerate(options) if j != len(options) - 1 - i]).run()
        changes.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    since, until = at.date_input(key="period").value
    for i in range(repeat):
        back = timedelta(weeks=4 + i)
        started = time.perf_counter()
        at.date_input(key="period").set_value((since - back, until - back)).run()
        periods.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return firsts, changes, periods


def _ms(values: list[float]) -> str:
    """Median (and worst, when repeated) in milliseconds."""
    median = f"{statistics.median(values) * 1000:.0f}"
    return median if len(values) == 1 else f"{median} ({max(values) * 1000:.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="reuse --db if it exists instead of regenerating")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per view and kind (median reported)")
    args = parser.parse_args(argv)
    if args.db:
        return _bench(args, args.db)
    folder = Path(tempfile.mkdtemp(prefix="hirepulse-bench-"))
    try:   # a million mentions take a quarter of a gigabyte: not left behind in /tmp
        return _bench(args, folder / "dashboard.duckdb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bench(args: argparse.Namespace, path: Path) -> int:
    if not (args.reuse and path.exists()):
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} mentions in {time.perf_counter() - started:.1f}s -> {path}")
    os.environ["HIREPULSE_DB"] = str(path)
    os.environ["HIREPULSE_CONFIG"] = str(CONFIG)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    _render("overview", 1)                                       # warm-up: imports, DuckDB
    print(f"\n{'view':<14}{'SQL only':>10}{'first load':>14}{'sources chg':>14}{'period chg':>14}  verdict "
          f"(ms; median (worst) of {args.repeat}; targets {FIRST_LOAD_TARGET * 1000:.0f} / "
          f"{FILTER_CHANGE_TARGET * 1000:.0f} ms on the median)")
    misses = 0
    for view in VIEWS:
        sql = _sql_only(path, view)
        first, change, period = _render(view, args.repeat)
        ok = (statistics.median(first) <= FIRST_LOAD_TARGET
              and max(statistics.median(change), statistics.median(period)) <= FILTER_CHANGE_TARGET)
        misses += not ok
        print(f"{view:<14}{sql * 1000:>8.0f}ms{_ms(first):>14}{_ms(change):>14}{_ms(period):>14}  "
              f"{'ok' if ok else 'MISS'}")
    print(f"\n{len(VIEWS) - misses} of {len(VIEWS)} views within target ({args.rows:,} mentions, "
          f"{os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
