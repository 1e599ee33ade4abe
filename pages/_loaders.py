"""Data loaders for the dashboard: the only place views get data from.

Each loader is an ``st.cache_data`` function that opens a short read-only connection with
:func:`hirepulse.db.connect`, calls one :mod:`analysis.metrics` function (the Label posts view: one
:mod:`hirepulse.db` labels function or :func:`analysis.metrics.next_to_label`) and closes the connection. Nothing here keeps a connection: a
collection or an analysis run that wants to write waits only for the length of one query. The only
writes are a person's labels, each through a short write connection (see the labels section).

The cache key carries the database file's size and modification time, so new data shows up on
the next rerun after a writer has finished, and the TTL bounds staleness for everything else.
Errors are not cached: a lock that outlives the budget raises :class:`DatabaseError`, which the
views turn into a friendly message (see :func:`pages._ui.fetch`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis import metrics
from analysis.lexicon import adapted_manifest
from analysis.metrics import Filters
from hirepulse import db
from hirepulse.config import Config, load_config, resolve_db_path

CACHE_TTL = "10m"
CACHE_MAX_ENTRIES = 512
LOCK_BUDGET_ENV = "HIREPULSE_LOCK_TIMEOUT"   # seconds a loader waits for a writer's lock
DEFAULT_LOCK_BUDGET = 15.0

FilterKey = tuple[tuple[str, ...], Any, Any, tuple[str, ...], tuple[str, ...]]


def db_path() -> Path:
    """The database the dashboard reads: ``$HIREPULSE_DB`` or ``data/hirepulse.duckdb``."""
    return resolve_db_path()


def lock_budget() -> float:
    """How long a loader waits for another process's lock before giving up (injectable by env)."""
    try:
        return max(0.0, float(os.environ.get(LOCK_BUDGET_ENV, DEFAULT_LOCK_BUDGET)))
    except ValueError:
        return DEFAULT_LOCK_BUDGET


def _stamp(path: Path) -> tuple[int, int] | None:
    """Size and mtime of the database file (None when missing): part of every cache key."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def filters_key(filters: Filters) -> FilterKey:
    """A hashable, cache-friendly form of :class:`Filters` (``extra`` is not used by metrics)."""
    return (filters.companies, filters.since, filters.until, filters.sources, filters.stages)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _metric(name: str, path: str, stamp: tuple[int, int] | None, key: FilterKey,
            options: tuple[tuple[str, Any], ...]) -> Any:
    """Run ``analysis.metrics.<name>(con, filters, **options)`` on a short read-only connection."""
    function: Callable[..., pd.DataFrame] = getattr(metrics, name)
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return function(con, Filters(*key), **dict(options))


def _load(name: str, filters: Filters, **options: Any) -> Any:
    path = db_path()
    return _metric(name, str(path), _stamp(path), filters_key(filters), tuple(sorted(options.items())))


# --------------------------------------------------------------------------- frame

@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _filter_options(path: str, stamp: tuple[int, int] | None) -> dict[str, Any]:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return metrics.filter_choices(con)


def load_filter_options() -> dict[str, Any]:
    """Companies, sources and the date range in the data (for the sidebar)."""
    path = db_path()
    return _filter_options(str(path), _stamp(path))


def load_app_config() -> Config:
    """The validated config from ``$HIREPULSE_CONFIG`` or ``./hirepulse.toml`` (defaults if none).

    Not cached: reading a small TOML file is cheap and edits should show on the next rerun.

    Raises:
        ConfigError: the config file is missing (when named) or invalid.
    """
    return load_config()


# --------------------------------------------------------------------------- views: one round trip each

def load_overview(filters: Filters) -> dict[str, pd.DataFrame]:
    """``overview``, ``stages``, ``themes``, ``spikes`` (see :func:`analysis.metrics.overview_bundle`)."""
    return _load("overview_bundle", filters)


def load_journey(filters: Filters) -> dict[str, pd.DataFrame]:
    """``journey``, ``matrix``, ``extremes`` (see :func:`analysis.metrics.journey_bundle`)."""
    return _load("journey_bundle", filters)


def load_trends(filters: Filters) -> dict[str, pd.DataFrame]:
    """``weekly``, ``drivers`` (see :func:`analysis.metrics.trends_bundle`)."""
    return _load("trends_bundle", filters)


def load_themes(filters: Filters, *, theme: str | None = None, limit: int = 30) -> dict[str, pd.DataFrame]:
    """``themes``, ``posts`` (see :func:`analysis.metrics.themes_bundle`)."""
    return _load("themes_bundle", filters, theme=theme, limit=limit)


def load_competitors(filters: Filters) -> dict[str, pd.DataFrame]:
    """``voice``, ``stages`` (see :func:`analysis.metrics.competitors_bundle`)."""
    return _load("competitors_bundle", filters)


def load_brand(filters: Filters, *, window_since: Any = None) -> dict[str, pd.DataFrame]:
    """``weekly``, ``lags``, ``posts`` (see :func:`analysis.metrics.brand_bundle`)."""
    return _load("brand_bundle", filters, window_since=window_since)


# --------------------------------------------------------------------------- single metrics

def load_theme_posts(filters: Filters, theme: str, *, limit: int = 20) -> pd.DataFrame:
    return _load("theme_posts", filters, theme=theme, limit=limit)


def load_mention_search(filters: Filters, *, search: str = "", candidate_only: bool = False,
                        sure_only: bool = False, limit: int = 200) -> pd.DataFrame:
    """Newest matching mentions: browsing reads a slim slice and the shown texts by key; a text
    search has to read the texts of the period. ``sure_only``: only sure tone readings."""
    if search.strip():
        return _load("mention_search", filters, search=search, candidate_only=candidate_only, sure_only=sure_only,
                     limit=limit)
    return _load("mentions_bundle", filters, candidate_only=candidate_only, sure_only=sure_only, limit=limit,
                 explain=False)["mentions"]


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _explanation(path: str, stamp: tuple[int, int] | None, mention_id: str) -> str | None:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return metrics.explanation(con, mention_id)


def load_explanation(mention_id: str) -> str | None:
    """Why one post scored as it did: its analysis' explanation (JSON), if any."""
    path = db_path()
    return _explanation(str(path), _stamp(path), mention_id)


# --------------------------------------------------------------------------- collection health

@st.cache_data(ttl="1m", show_spinner=False)
def _health(path: str, stamp: tuple[int, int] | None, config_key: tuple[str, str | None]) -> pd.DataFrame:
    """``config_key`` (working folder, $HIREPULSE_CONFIG) keys the cache on the config in use."""
    from hirepulse.health import collection_health  # written alongside; ImportError handled by the view

    config = load_app_config()
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return pd.DataFrame(collection_health(con, config))


@st.cache_data(ttl="1m", show_spinner=False)
def _imports(path: str, stamp: tuple[int, int] | None) -> dict[str, Any]:
    from hirepulse.health import import_health

    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return import_health(con)


@st.cache_data(ttl="1m", show_spinner=False)
def _reports(path: str, stamp: tuple[int, int] | None) -> dict[str, Any]:
    from hirepulse.health import report_health

    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return report_health(con)


def load_report_health() -> dict[str, Any]:
    """How the last report went, and the last that failed (:func:`hirepulse.health.report_health`)."""
    path = db_path()
    return _reports(str(path), _stamp(path))


@st.cache_data(ttl="1m", show_spinner=False)
def _posts_by_source(path: str, stamp: tuple[int, int] | None) -> pd.DataFrame:
    from hirepulse.health import posts_by_source

    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return pd.DataFrame(posts_by_source(con), columns=["source", "posts", "newest_post_at", "last_added_at"])


def load_posts_by_source() -> pd.DataFrame:
    """Per source with posts: how many, the newest's publication, the last stored
    (:func:`hirepulse.health.posts_by_source`)."""
    path = db_path()
    return _posts_by_source(str(path), _stamp(path))


def load_import_health() -> dict[str, Any]:
    """The latest import runs and the files refused (:func:`hirepulse.health.import_health`)."""
    path = db_path()
    return _imports(str(path), _stamp(path))


@st.cache_data(ttl="1m", show_spinner=False)
def _analysis_status(path: str, stamp: tuple[int, int] | None, version: str,
                     companies: tuple[tuple[str, tuple[str, ...]], ...] | None) -> dict[str, int]:
    from analysis.pipeline import companies_to_reread
    from hirepulse.health import analysis_status

    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        # `companies_reread`: the posts whose companies alone the next `hirepulse analyze` reads again (as
        # `hirepulse status` counts them, given the same config)
        return {**analysis_status(con, version), "companies_reread": companies_to_reread(con, version, companies)}


def load_analysis_status() -> tuple[dict[str, Any], dict[str, int] | None]:
    """The readings in use (the config's ``[analysis] lexicon_dir``: :func:`analysis.scoring.readings_in_use`)
    and how many stored posts they have read, how many wait for ``hirepulse analyze`` and how many wait for it
    to read their companies again, as the configured companies changed (None when the readings do not load)."""
    from analysis.scoring import readings_in_use

    config = load_app_config()
    readings = readings_in_use(config.analysis.lexicon_dir)
    if readings["version"] is None:
        return readings, None
    path = db_path()
    companies = tuple(config.company_specs()) if config.path else None   # no config file: as analyze without one
    return readings, _analysis_status(str(path), _stamp(path), readings["version"], companies)


def load_collection_health() -> pd.DataFrame:
    """Per source: last success, last error, counts and next scheduled run.

    Raises:
        ImportError: ``hirepulse.health`` is not available in this build.
        DatabaseError, ConfigError: as the other loaders.
    """
    path = db_path()
    return _health(str(path), _stamp(path), (os.getcwd(), os.environ.get("HIREPULSE_CONFIG")))


# --------------------------------------------------------------------------- labels (the Label posts view)
#
# Reads as above; the two writes (save, undo) go through a short write connection with the same lock
# budget, so a collector that holds the file makes a save wait, then fail with DatabaseError (the view
# keeps the person's answers on screen and asks them to save again). After a write the label caches
# are cleared at once, not only when the file's stamp moves.

@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _next_to_label(path: str, stamp: tuple[int, int] | None, key: FilterKey,
                   exclude: tuple[str, ...]) -> tuple[list[dict[str, Any]], int]:
    companies, since, until, sources, _stages = key
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return metrics.next_to_label(con, companies=companies, since=since, until=until, sources=sources,
                                     exclude=exclude)


def load_next_to_label(filters: Filters, *, exclude: tuple[str, ...] = ()) -> tuple[dict[str, Any] | None, int]:
    """The next post to label under the company, period and source filters (not the stage filter: the
    sample stays representative), skipping ``exclude``; and how many are left (see
    :func:`analysis.metrics.next_to_label`)."""
    path = db_path()
    posts, remaining = _next_to_label(str(path), _stamp(path), filters_key(filters), tuple(exclude))
    return (posts[0] if posts else None), remaining


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _labels_overview(path: str, stamp: tuple[int, int] | None, recent: int) -> dict[str, Any]:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return {"summary": db.label_summary(con), "recent": db.recent_labels(con, limit=recent)}


def load_labels_overview(*, recent: int = 10) -> dict[str, Any]:
    """``summary`` (:func:`hirepulse.db.label_summary`) and the ``recent`` latest labels."""
    path = db_path()
    return _labels_overview(str(path), _stamp(path), recent)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _label_reading(path: str, stamp: tuple[int, int] | None, mention_id: str) -> dict[str, Any] | None:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return db.label_reading(con, mention_id)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _label_readings(path: str, stamp: tuple[int, int] | None) -> list[dict[str, Any]]:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return db.label_readings(con)


def load_label_readings() -> list[dict[str, Any]]:
    """Every label next to the analyzer's reading of its post (:func:`hirepulse.db.label_readings`)."""
    path = db_path()
    return _label_readings(str(path), _stamp(path))


def load_label_reading(mention_id: str) -> dict[str, Any] | None:
    """A labelled post's label next to the analyzer's reading of it (shown only after it is labelled)."""
    path = db_path()
    return _label_reading(str(path), _stamp(path), mention_id)


def labels_jsonl() -> bytes:
    """Every label as the JSON lines `hirepulse adapt --labelled` reads (for the download button; not cached:
    built when the button is clicked)."""
    with db.connect(db_path(), read_only=True, timeout=lock_budget()) as con:
        return db.labelled_jsonl(db.labelled_posts(con))


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _label_agreement(path: str, stamp: tuple[int, int] | None, adapted: str) -> tuple[pd.DataFrame, str]:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        return metrics.label_agreement_in_use(con, json.loads(adapted))


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _shipped_agreement(path: str, stamp: tuple[int, int] | None, since: datetime, companies: str) -> pd.DataFrame:
    with db.connect(path, read_only=True, timeout=lock_budget()) as con:
        rows = metrics.shipped_readings(con, since, [(name, tuple(aliases)) for name, aliases in json.loads(companies)])
        return metrics.label_agreement(con, rows=rows)


def load_shipped_agreement(adapted: dict[str, Any]) -> pd.DataFrame:
    """The shipped readings' agreement with the labels saved since ``adapted`` readings were adapted (their
    manifest's ``labelled_until``): the same figures as :func:`load_label_agreement`'s "since" scope, for the
    readings the team would have without adapting. The posts are read again here (a few hundred at most)."""
    path = db_path()
    companies = json.dumps([[name, list(aliases)] for name, aliases in load_app_config().company_specs()])
    return _shipped_agreement(str(path), _stamp(path), metrics.labelled_until(adapted), companies)


_UNREAD = object()


def load_label_agreement(adapted: dict[str, Any] | None | object = _UNREAD,
                         ) -> tuple[pd.DataFrame, str, dict[str, Any] | None]:
    """How the stored readings agree with the team's labels, for the readings in use (the config's
    ``[analysis] lexicon_dir``): :func:`analysis.metrics.label_agreement_in_use`'s figures and what they cover,
    and the ``hirepulse adapt`` manifest of those readings (None: the shipped ones; given when the caller has
    read it already, as :func:`load_analysis_status`'s ``adapted``)."""
    if adapted is _UNREAD:
        adapted = adapted_manifest(load_app_config().analysis.lexicon_dir)
    path = db_path()
    figures, scope = _label_agreement(str(path), _stamp(path), json.dumps(adapted, sort_keys=True))
    return figures, scope, adapted


def _labels_changed() -> None:
    _next_to_label.clear()
    _labels_overview.clear()
    _label_reading.clear()
    _label_agreement.clear()
    _label_readings.clear()


def save_label(mention_id: str, **label: Any) -> None:
    """Store a person's label of one post (:func:`hirepulse.db.save_label`) through a short write connection.

    Raises:
        ValueError: a bad value (one line).
        DatabaseError: the database stayed locked past the budget, or cannot be written.
    """
    with db.connect(db_path(), timeout=lock_budget()) as con:
        db.save_label(con, mention_id, **label)
    _labels_changed()


def delete_label(mention_id: str) -> None:
    """Undo a label: the post goes back to be labelled. Raises DatabaseError as :func:`save_label`."""
    with db.connect(db_path(), timeout=lock_budget()) as con:
        db.delete_label(con, mention_id)
    _labels_changed()
