"""THE schema module: DDL, ``connect()``, migrations, bulk upserts, cursors and runs.

DuckDB lets one process hold a database file at a time: while a writer has it open no other
process can open it, not even read-only, and a reader blocks writers the same way. So every
connection here is short (open, one unit of work, close) and :func:`connect` retries lock
conflicts with jittered backoff for a bounded time. It is the only caller of ``duckdb.connect``.

Raw and derived data stay apart: ``mentions`` holds what sources said, ``analysis`` and
``analysis_stages`` what the analyzer made of it (with the analyzer version), ``fact_*`` the
dashboard's materialised summaries of both (kept in step by every write here), ``labels`` a team's
own reading of some mentions (for ``hirepulse adapt``), ``cursors`` and ``host_state`` the
collectors' incremental state, ``runs`` a log of every job.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

try:
    import fcntl
except ImportError:   # (not on this system: Windows; the side lock is then none, _side_lock)
    fcntl = None  # type: ignore[assignment]

from hirepulse.errors import DatabaseBusy, DatabaseError, os_error_reason
from hirepulse.models import SENTIMENT_LABELS, STAGES, Mention, text_for_analysis
from hirepulse.privacy import author_keys, keyed_id, redact, salted_hex

log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 60.0     # seconds a writer waits for a lock held by another process
READ_LOCK_TIMEOUT = 30.0      # seconds a reader waits
HOST = socket.gethostname()   # recorded with each run, with the process id (interrupted_runs)
RUN_STALE_HOURS = 24          # a run marked running this long reads as interrupted where its process cannot be asked
INTERRUPTED_GONE = "the process ended before the run finished"   # why a run reads as interrupted
INTERRUPTED_STALE = f"no end recorded within {RUN_STALE_HOURS} hours"
INTERRUPTED_UNRECORDED = "the run ended without recording its end"
_CLOCK_SLACK_SECONDS = 2.0    # /proc's boot time is whole seconds; a process cannot start after the run it records
_BACKOFF_START = 0.02
_BACKOFF_CAP = 0.5
LOCK_SUFFIX = ".lock"         # the side lock beside the file: shared while a connection opens it, alone for a rewrite

def _facts_view(extra: str = "") -> str:
    """The ``facts`` view's query: every mention with its analysis (``extra``: columns later migrations
    added to ``analysis`` or ``mentions``, appended)."""
    return f"""
SELECT
    m.id, m.source, m.native_id, m.url, m.kind, m.title, m.text, m.published_at,
    COALESCE(m.company, a.companies[1]) AS company,
    m.query, m.author_key, m.stage_hint, m.rating,
    a.analyzer_version, a.is_candidate_experience, a.sentiment, a.stages, a.themes,
    a.consumer_link, a.companies, a.explanation{extra}
FROM mentions m JOIN analysis a ON a.mention_id = m.id;
"""


SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS migrations (
    name        VARCHAR PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    id            VARCHAR PRIMARY KEY,     -- '<source>:<native_id>'
    source        VARCHAR NOT NULL,
    native_id     VARCHAR NOT NULL,
    url           VARCHAR,
    company       VARCHAR,                 -- the company queried for, or named by the import
    query         VARCHAR,
    kind          VARCHAR,
    title         VARCHAR,                 -- redacted
    text          VARCHAR NOT NULL,        -- redacted
    published_at  TIMESTAMPTZ NOT NULL,
    author_key    VARCHAR,                 -- salted hash, never the raw handle
    lang          VARCHAR,
    stage_hint    VARCHAR,
    rating        DOUBLE,
    content_hash  VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL
    -- rating_scale DOUBLE, added last by migration 0005 (RATING_SCALE_SQL)
);
CREATE TABLE IF NOT EXISTS analysis (
    mention_id              VARCHAR PRIMARY KEY,
    analyzer_version        VARCHAR NOT NULL,
    content_hash            VARCHAR NOT NULL,   -- of the mention text that was scored
    analyzed_at             TIMESTAMPTZ NOT NULL,
    is_candidate_experience BOOLEAN NOT NULL,
    sentiment               DOUBLE NOT NULL,
    stages                  VARCHAR[] NOT NULL,
    themes                  VARCHAR[] NOT NULL,
    consumer_link           BOOLEAN NOT NULL,
    companies               VARCHAR[] NOT NULL,
    explanation             VARCHAR              -- JSON
    -- sentiment_confidence DOUBLE, added last by migration 0004 (SENTIMENT_CONFIDENCE_SQL)
    -- companies_stale BOOLEAN, added last by migration 0011 (ANALYSIS_COMPANIES_SQL)
);
CREATE TABLE IF NOT EXISTS analysis_stages (   -- one row per (mention, stage); no index on purpose
    mention_id  VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,
    sentiment   DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (
    source        VARCHAR NOT NULL,
    key           VARCHAR NOT NULL,        -- the query, instance or URL the cursor belongs to
    value         VARCHAR,                 -- high-water mark (id, unix time, ISO time)
    etag          VARCHAR,
    last_modified VARCHAR,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE TABLE IF NOT EXISTS host_state (
    host        VARCHAR PRIMARY KEY,
    not_before  TIMESTAMPTZ,               -- do not call this host before this time
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS runs_id_seq;
CREATE TABLE IF NOT EXISTS runs (
    id            BIGINT PRIMARY KEY DEFAULT nextval('runs_id_seq'),
    source        VARCHAR NOT NULL,        -- source name, or the import label, or 'analysis'
    kind          VARCHAR NOT NULL,        -- collect, import, analyze, report, purge, forget
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,        -- running, ok, error
    new_count     BIGINT NOT NULL DEFAULT 0,
    updated_count BIGINT NOT NULL DEFAULT 0,
    skipped_count BIGINT NOT NULL DEFAULT 0,
    requests      BIGINT NOT NULL DEFAULT 0,
    bytes         BIGINT NOT NULL DEFAULT 0,
    error         VARCHAR,
    detail        VARCHAR                  -- JSON
    -- pid BIGINT, host VARCHAR, added last by migration 0008 (RUN_PROCESS_SQL)
);
CREATE VIEW IF NOT EXISTS facts AS""" + _facts_view()

# --------------------------------------------------------------------------- the dashboard's facts
#
# ``facts`` (the view above) joins every mention with its analysis, and the per-stage metrics
# join ``analysis_stages`` on top; on a million mentions each join costs the dashboard a second
# per view. ``fact_mentions`` and ``fact_stages`` materialise that join, narrow (no texts: posts
# take theirs from ``mentions`` by key) and sorted by company and time, so the company and
# period filters every view applies skip whole row groups (zone maps). They are derived data,
# kept in step with every write that goes through this module (upserts, erasure, retention,
# deletions found upstream) inside the same transaction.
#
# ``facts_state`` holds the row counts of ``mentions``, ``analysis`` and ``analysis_stages``
# the facts are in step with: set by a rebuild, then moved by exactly what each write through
# this module changed. A writer that bypasses this module (a raw DELETE or INSERT by hand or by
# an older tool) leaves a difference that no later write can hide, so readers
# see that the facts are stale (:func:`facts_fresh`) and fall back to the ``facts`` view until
# :func:`ensure_facts` (run at the end of ``hirepulse analyze``) rebuilds them.

# (as migration 0002 made them: 0004 added fact_mentions.sentiment_confidence DOUBLE, last)
FACTS_DDL = """
CREATE TABLE IF NOT EXISTS fact_mentions (      -- facts, one row per analysed mention
    id                      VARCHAR NOT NULL,
    published_at            TIMESTAMPTZ NOT NULL,
    day                     DATE NOT NULL,      -- published_at's day (UTC)
    week                    DATE NOT NULL,      -- the Monday (UTC) of published_at's week
    company                 VARCHAR,            -- COALESCE(mentions.company, analysis.companies[1])
    source                  VARCHAR NOT NULL,
    is_candidate_experience BOOLEAN NOT NULL,
    sentiment               DOUBLE NOT NULL,
    consumer_link           BOOLEAN NOT NULL,
    stages                  VARCHAR[] NOT NULL,
    themes                  VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS fact_stages (        -- analysis_stages with its mention's facts
    id                      VARCHAR NOT NULL,   -- the mention
    published_at            TIMESTAMPTZ NOT NULL,
    day                     DATE NOT NULL,
    week                    DATE NOT NULL,
    company                 VARCHAR,
    source                  VARCHAR NOT NULL,
    is_candidate_experience BOOLEAN NOT NULL,
    post_sentiment          DOUBLE NOT NULL,    -- the whole mention's sentiment
    stages                  VARCHAR[] NOT NULL,
    themes                  VARCHAR[] NOT NULL,
    stage                   VARCHAR NOT NULL,
    stage_sentiment         DOUBLE NOT NULL,
    first_row               BOOLEAN NOT NULL    -- exactly one stage row per mention is first
);
CREATE TABLE IF NOT EXISTS fact_days (         -- fact_mentions summed per day, company and source
    day                     DATE NOT NULL,
    week                    DATE NOT NULL,
    company                 VARCHAR,
    source                  VARCHAR NOT NULL,
    mentions                BIGINT NOT NULL,
    tone                    BIGINT NOT NULL,    -- positive minus negative mentions
    candidate               BIGINT NOT NULL,    -- candidate experiences...
    candidate_tone          BIGINT NOT NULL,    -- ...their positive minus negative
    brand                   BIGINT NOT NULL,    -- everything else...
    brand_tone              BIGINT NOT NULL,
    consumer_link           BIGINT NOT NULL,    -- mentions with a consumer link
    negative_candidate      BIGINT NOT NULL,    -- negative and (a candidate experience or a consumer link)...
    negative_candidate_link BIGINT NOT NULL     -- ...of them with a consumer link
);
CREATE TABLE IF NOT EXISTS fact_stage_days (   -- candidate experiences' fact_stages summed per day, company, source, stage
    day                     DATE NOT NULL,
    week                    DATE NOT NULL,
    company                 VARCHAR,
    source                  VARCHAR NOT NULL,
    stage                   VARCHAR NOT NULL,
    mentions                BIGINT NOT NULL,    -- stage rows
    tone                    BIGINT NOT NULL,    -- positive minus negative stage scores
    positive                BIGINT NOT NULL,
    negative                BIGINT NOT NULL,
    first_rows              BIGINT NOT NULL,    -- mentions (their first stage row)...
    first_tone              BIGINT NOT NULL     -- ...their positive minus negative (whole mention)
);
CREATE TABLE IF NOT EXISTS facts_state (
    mentions        BIGINT NOT NULL,            -- row counts the facts are in step with
    analysis        BIGINT NOT NULL,
    analysis_stages BIGINT NOT NULL,
    refreshed_at    TIMESTAMPTZ NOT NULL        -- last full rebuild
);
"""
NEGATIVE = -0.05   # sentiment at or below is negative (VADER's convention); analysis.metrics uses these
POSITIVE = 0.05    # sentiment at or above is positive


def tone_sql(expr: str) -> str:
    """SQL for the tone of the sentiment ``expr``: 1 positive, -1 negative, 0 neutral."""
    return f"CASE WHEN {expr} >= {POSITIVE} THEN 1 WHEN {expr} <= {NEGATIVE} THEN -1 ELSE 0 END"


def _fact_mentions_sql(extra: str = "") -> str:
    """``fact_mentions``' rows from the join (``extra``: columns a later migration added, appended)."""
    return f"""
    SELECT m.id, m.published_at, CAST(m.published_at AT TIME ZONE 'UTC' AS DATE),
           CAST(date_trunc('week', m.published_at AT TIME ZONE 'UTC') AS DATE),
           COALESCE(m.company, a.companies[1]) AS company, m.source,
           a.is_candidate_experience, a.sentiment, a.consumer_link, a.stages, a.themes{extra}
    FROM mentions m JOIN analysis a ON a.mention_id = m.id
"""


# the migration 0002 that created the facts keeps the columns it shipped with; since 0004, sentiment_confidence
# comes last (the Mentions view filters on it)
_FACT_MENTIONS_SQL_0002 = _fact_mentions_sql()
_FACT_MENTIONS_SQL = _fact_mentions_sql(", a.sentiment_confidence")
_FACT_STAGES_SQL = """
    SELECT f.id, f.published_at, f.day, f.week, f.company, f.source, f.is_candidate_experience, f.sentiment, f.stages,
           f.themes, s.stage, s.sentiment,
           row_number() OVER (PARTITION BY s.mention_id ORDER BY s.stage, s.sentiment) = 1
    FROM fact_mentions f JOIN analysis_stages s ON s.mention_id = f.id
"""
_TONE = tone_sql("f.sentiment")
_NEGATIVE_CANDIDATE = f"(f.is_candidate_experience OR f.consumer_link) AND f.sentiment <= {NEGATIVE}"
_FACT_DAYS_SQL = f"""
    SELECT f.day, any_value(f.week), f.company, f.source, count(*), sum({_TONE}),
           count(*) FILTER (WHERE f.is_candidate_experience),
           coalesce(sum({_TONE}) FILTER (WHERE f.is_candidate_experience), 0),
           count(*) FILTER (WHERE NOT f.is_candidate_experience),
           coalesce(sum({_TONE}) FILTER (WHERE NOT f.is_candidate_experience), 0),
           count(*) FILTER (WHERE f.consumer_link),
           count(*) FILTER (WHERE {_NEGATIVE_CANDIDATE}),
           count(*) FILTER (WHERE {_NEGATIVE_CANDIDATE} AND f.consumer_link)
    FROM fact_mentions f
"""
_STAGE_TONE = tone_sql("f.stage_sentiment")
_POST_TONE = tone_sql("f.post_sentiment")
_FACT_STAGE_DAYS_SQL = f"""
    SELECT f.day, any_value(f.week), f.company, f.source, f.stage, count(*), sum({_STAGE_TONE}),
           count(*) FILTER (WHERE f.stage_sentiment >= {POSITIVE}), count(*) FILTER (WHERE f.stage_sentiment <= {NEGATIVE}),
           count(*) FILTER (WHERE f.first_row), coalesce(sum({_POST_TONE}) FILTER (WHERE f.first_row), 0)
    FROM fact_stages f
"""
_COUNTS_SQL = "(SELECT count(*) FROM mentions), (SELECT count(*) FROM analysis), (SELECT count(*) FROM analysis_stages)"


def _rebuild_facts_sql(fact_mentions_sql: str) -> str:
    return f"""
DELETE FROM fact_stages;
DELETE FROM fact_mentions;
INSERT INTO fact_mentions {fact_mentions_sql} ORDER BY company, m.published_at, m.id;
INSERT INTO fact_stages {_FACT_STAGES_SQL} ORDER BY f.company, f.published_at, f.id, s.stage;
DELETE FROM fact_days;
INSERT INTO fact_days {_FACT_DAYS_SQL} GROUP BY f.company, f.day, f.source ORDER BY f.company, f.day, f.source;
DELETE FROM fact_stage_days;
INSERT INTO fact_stage_days {_FACT_STAGE_DAYS_SQL} WHERE f.is_candidate_experience
    GROUP BY f.company, f.day, f.source, f.stage ORDER BY f.company, f.day, f.source, f.stage;
DELETE FROM facts_state;
INSERT INTO facts_state SELECT {_COUNTS_SQL}, now();
"""


REBUILD_FACTS_SQL = _rebuild_facts_sql(_FACT_MENTIONS_SQL)

# A team's own reading of its posts (the dashboard's "Label posts" view), for `hirepulse adapt`.
# No author and no copy of the text: the text is taken from ``mentions`` when the labels are
# exported, and a label goes with its mention (erasure, retention, deletions found upstream).
LABELS_DDL = """
CREATE TABLE IF NOT EXISTS labels (
    mention_id              VARCHAR PRIMARY KEY,
    is_candidate_experience BOOLEAN NOT NULL,
    sentiment               VARCHAR NOT NULL,   -- negative, neutral, positive
    stages                  VARCHAR[] NOT NULL, -- [] unless a candidate experience
    consumer_link           BOOLEAN NOT NULL,
    labelled_at             TIMESTAMPTZ NOT NULL
);
"""

# How sure the tone reading (``analysis.sentiment``) is, in [0, 1]: the tone model's probability of the
# class the sentiment's label names (analysis.tone_model.confidence; SURE there splits sure from unsure).
# NULL for rows analysed before it was stored, until `hirepulse analyze` reads them again (the analyzer
# version moved with it), and where the analyzer has no tone model. The ``facts`` view and ``fact_mentions``
# pass it on (the Mentions view shows it and filters on it); the per-stage and per-day facts do not need it.
# (The update fills fact_mentions where the analysis already holds values: never, but on a database whose
# facts were dropped and made again by 0002 after this column was added.)
SENTIMENT_CONFIDENCE_SQL = """
ALTER TABLE analysis ADD COLUMN IF NOT EXISTS sentiment_confidence DOUBLE;
ALTER TABLE fact_mentions ADD COLUMN IF NOT EXISTS sentiment_confidence DOUBLE;
UPDATE fact_mentions f SET sentiment_confidence = a.sentiment_confidence
FROM analysis a WHERE a.mention_id = f.id AND a.sentiment_confidence IS NOT NULL;
CREATE OR REPLACE VIEW facts AS""" + _facts_view(", a.sentiment_confidence")

# What an imported ``rating`` is out of (`hirepulse import --rating-scale 5`): with it the analysis reads the
# rating as it reads one written in the text ("Overall 2/5."); NULL (every row before this migration, and
# rows imported without the flag): the rating is kept, not read. Added last to ``mentions``, and to the ``facts``
# view (after sentiment_confidence), from which ``mentions.csv`` takes it.
RATING_SCALE_SQL = """
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS rating_scale DOUBLE;
CREATE OR REPLACE VIEW facts AS""" + _facts_view(", a.sentiment_confidence, m.rating_scale")

# What an erasure request (`hirepulse forget`) named, so that the same person's or post's data is not stored again
# by the next import of a file or the next fetch: a salted author key, a salted key of a mention id or of a post's URL
# without its closing slash (:func:`erasure_key`; neither the id nor the URL itself is kept: a Mastodon status's id
# names its account; versions before kept their plain SHA-256, replaced as they are met), or of its words. Retention (`purge`) deletes by age and records nothing: an old post fetched
# again is new data, kept for the retention period like any other.
ERASURES_DDL = """
CREATE TABLE IF NOT EXISTS erasures (
    kind          VARCHAR NOT NULL,   -- author, id, url or content (content_key)
    key           VARCHAR NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, key)
);
"""

# 0006 kept an erased mention's id as it was; 0007 kept its SHA-256 (now a salted key: :func:`erasure_key`).
ERASURE_ID_HASH_SQL = "UPDATE erasures SET key = sha256(key) WHERE kind = 'id';"

# The process that runs a job (its id, and the name of the host it runs on), so that a run whose process is gone (a
# `collect` killed by SIGKILL or a power cut never records its end) reads as interrupted, not as running for days
# (:func:`interrupted_runs`). NULL on the runs recorded before: those are judged by their age alone.
RUN_PROCESS_SQL = """
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
"""

# Versions before 0009 deleted without rewriting the file (ensure_erased), so what they erased or purged may
# still lie in its free blocks: a database that was in use (it has runs) owes a rewrite, which the next forget
# or purge (the scheduler's daily one too) does. A new database owes none.
REWRITE_AFTER_UPGRADE_SQL = """
INSERT INTO cursors (source, key, value, updated_at)
SELECT 'privacy', '__rewrite__', CAST(now() AS VARCHAR), now() WHERE EXISTS (SELECT 1 FROM runs)
ON CONFLICT DO NOTHING;
"""

# Where a post stored under the id an older version made (Mention.former_id) moved to (_move_former_ids): a
# mentions.csv written before names the post by its former id, and an erasure request quoting it must still find
# it (forget_posts). The former id is kept only as a salted key (privacy.keyed_id): it was an unkeyed hash of
# the post's raw fields, which would let one test guesses of an author or a redacted number.
MOVED_IDS_DDL = """
CREATE TABLE IF NOT EXISTS moved_ids (
    former_key VARCHAR PRIMARY KEY,
    id         VARCHAR NOT NULL
);
"""

# The company config the stored analyses resolved companies with (`[[companies]]`: names and aliases, as
# Config.company_specs gives them; one row), and the analyses to read again for the companies because it changed
# since (``companies_stale``): `hirepulse analyze` compares the config it is given with the one recorded, marks the
# posts whose words hold a name, alias or hashtag form read otherwise now (analysis.companies.changed_names),
# records the new config, and reads those posts' companies again (:func:`mark_companies_stale`). No row: nothing
# recorded yet (a database analysed before this migration), read as a config of no companies, so that the first
# run brings every post that names a configured company in line.
ANALYSIS_COMPANIES_SQL = """
ALTER TABLE analysis ADD COLUMN IF NOT EXISTS companies_stale BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS analysis_companies (
    fingerprint VARCHAR NOT NULL,       -- sha256 of companies
    companies   VARCHAR NOT NULL,       -- JSON [[name, [alias, ...]], ...], in the config's order
    recorded_at TIMESTAMPTZ NOT NULL
);
"""

# Later schema changes, applied in order and recorded by name. Append only; never edit one
# that has shipped.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_base", "SELECT 1"),  # the base schema above
    ("0002_dashboard_facts", FACTS_DDL + _rebuild_facts_sql(_FACT_MENTIONS_SQL_0002)),  # the dashboard's facts
    ("0003_labels", LABELS_DDL),                               # the team's own labels of its posts
    ("0004_sentiment_confidence", SENTIMENT_CONFIDENCE_SQL),   # how sure each tone reading is
    ("0005_rating_scale", RATING_SCALE_SQL),                   # what an imported rating is out of
    ("0006_erasures", ERASURES_DDL),                           # what forget erased: not stored again
    ("0007_erasure_id_hashes", ERASURE_ID_HASH_SQL),           # erased ids kept as hashes, as URLs are
    ("0008_run_process", RUN_PROCESS_SQL),                     # which process runs a job: is it still there?
    ("0009_rewrite_after_upgrade", REWRITE_AFTER_UPGRADE_SQL),   # what older versions erased leaves the file
    ("0010_moved_ids", MOVED_IDS_DDL),                         # a post's id before it was keyed, to erase it by
    ("0011_analysis_companies", ANALYSIS_COMPANIES_SQL),       # the companies analysed with: read again on a change
]
SCHEMA_VERSION = len(MIGRATIONS)

_MENTION_SCHEMA = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("native_id", pa.string()),
    ("url", pa.string()), ("company", pa.string()), ("query", pa.string()), ("kind", pa.string()),
    ("title", pa.string()), ("text", pa.string()),
    ("published_at", pa.timestamp("us", tz="UTC")), ("author_key", pa.string()),
    ("lang", pa.string()), ("stage_hint", pa.string()), ("rating", pa.float64()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("rating_scale", pa.float64()),   # migration 0005
    ("former_id", pa.string()),       # not stored: the id a stored row may still carry (:func:`_move_former_ids`)
    ("content_key", pa.string()),     # not stored: the salted key of its words an erasure remembers (content_key)
])
_UNSTORED = ("former_id", "content_key")
_MENTION_COLUMNS = [f.name for f in _MENTION_SCHEMA if f.name not in _UNSTORED]   # the stored ones
# What counts as a change of a stored mention; hashed by DuckDB, vectorised.
_CONTENT_HASH_SQL = (
    "md5(concat_ws(chr(31), coalesce(i.title, ''), i.text, coalesce(i.url, ''), CAST(i.published_at AS VARCHAR), "
    "coalesce(i.company, ''), coalesce(i.stage_hint, ''), coalesce(CAST(i.rating AS VARCHAR), ''), "
    "coalesce(i.author_key, ''), coalesce(i.kind, ''), "
    # concat_ws skips a NULL: a row without a rating scale hashes as it did before migration 0005
    "CAST(i.rating_scale AS VARCHAR)))"
)


@dataclass(frozen=True, slots=True)
class UpsertStats:
    """What an upsert did: rows that were new, changed, or already stored unchanged; and rows not stored because
    an erasure request named their author or post (:func:`forget_author`, :func:`forget_posts`)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    erased: int = 0

    def __add__(self, other: UpsertStats) -> UpsertStats:
        return UpsertStats(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged,
                           self.erased + other.erased)


@dataclass(frozen=True, slots=True)
class Cursor:
    value: str | None
    etag: str | None = None
    last_modified: str | None = None


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text or "database is locked" in text


class _InProcess:
    """The connections this process has open to each database file, by mode.

    DuckDB opens a file once per process, in one configuration: a read-only connection while a thread of the
    same process has a write connection open (or the reverse) fails at once with "a different configuration"
    (the scheduler analyses after one source's collection while another source writes; the dashboard saves a
    label while other sessions read). So a read asked for while a writer is open is opened read-write too (it
    writes nothing), and a writer waits, up to its timeout, for the process's read-only connections to close;
    readers that arrive while a writer waits queue behind it, so a stream of reads cannot starve it.

    Replacing the file (:func:`ensure_erased`) needs the file to itself (:meth:`acquire_alone`): the connections
    of one process share DuckDB's open instance of a file, so one opened while the old file is being replaced
    would go on reading, and writing, the old file after the new one took its name.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.readers: dict[str, dict[int, int]] = {}   # file -> thread id -> read-only connections open
        self.writers: dict[str, int] = {}              # file -> read-write connections open (upgraded reads too)
        self.waiting: dict[str, int] = {}              # file -> writers waiting for the readers to close
        self.alone: set[str] = set()                   # files being replaced: no connection may open
        self.alone_waiting: dict[str, int] = {}        # file -> replacements waiting for the connections to close

    def acquire(self, key: str, read_only: bool, deadline: float, path: Path) -> bool:
        """Count a connection in; returns whether to open it read-only."""
        me = threading.get_ident()
        with self.cond:
            while True:
                readers = self.readers.setdefault(key, {})
                counted = False
                # a file being replaced, or waiting to be, lets in only a thread's own nested read (as below)
                replacing = (key in self.alone or self.alone_waiting.get(key)) and not readers.get(me)
                if replacing:
                    pass
                elif read_only:
                    if self.writers.get(key):
                        self.writers[key] += 1
                        return False
                    if not self.waiting.get(key) or readers.get(me):   # (a thread's own nested read never waits)
                        readers[me] = readers.get(me, 0) + 1
                        return True
                else:
                    if readers.get(me):
                        raise DatabaseError(f"cannot open {path} for writing inside this thread's own read-only "
                                            "connection to it")
                    if not readers:
                        self.writers[key] = self.writers.get(key, 0) + 1
                        return False
                    self.waiting[key] = self.waiting.get(key, 0) + 1
                    counted = True
                left = deadline - time.monotonic()
                try:
                    if left <= 0:
                        doing = "rewritten" if replacing else "read"
                        raise DatabaseBusy(f"{path} is busy ({doing} by this process); gave up waiting")
                    self.cond.wait(left)
                finally:
                    if counted:
                        self.waiting[key] -= 1

    def acquire_alone(self, key: str, deadline: float, path: Path) -> None:
        """Wait until no connection of this process has the file open, and keep new ones waiting until
        :meth:`release_alone`. (A thread that opens a second connection while it holds a write connection waits
        too, so this gives up at ``deadline`` rather than wait for it.)

        Raises:
            DatabaseError: still open here at ``deadline``, or asked for inside this thread's own connection.
        """
        with self.cond:
            if self.readers.get(key, {}).get(threading.get_ident()):
                raise DatabaseError(f"cannot replace {path} inside this thread's own connection to it")
            self.alone_waiting[key] = self.alone_waiting.get(key, 0) + 1
            try:
                while key in self.alone or self.readers.get(key) or self.writers.get(key):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise DatabaseBusy(f"{path} is busy (in use by this process); gave up waiting")
                    self.cond.wait(left)
                self.alone.add(key)
            finally:
                self.alone_waiting[key] -= 1
                self.cond.notify_all()

    def release_alone(self, key: str) -> None:
        with self.cond:
            self.alone.discard(key)
            self.cond.notify_all()

    def release(self, key: str, opened_read_only: bool) -> None:
        with self.cond:
            if opened_read_only:
                readers = self.readers[key]
                me = threading.get_ident()
                readers[me] -= 1
                if not readers[me]:
                    del readers[me]
            else:
                self.writers[key] -= 1
            self.cond.notify_all()


_IN_PROCESS = _InProcess()

_FIRST_RUN = "run `hirepulse demo --no-app`, `hirepulse import` or `hirepulse collect` first"
DUCKDB_MAGIC = b"DUCK"        # what every DuckDB database file holds at byte DUCKDB_MAGIC_AT (after a checksum)
DUCKDB_MAGIC_AT = 8


def check_database_path(path: str | os.PathLike[str]) -> None:
    """Refuse a database path that names something hirepulse must not open as its database: a folder, something
    other than a regular file (a device, a pipe), or a file DuckDB did not write (a CSV export or a text file given
    as ``--db`` by mistake). The file is only looked at: nothing is written to it, nor beside it. DuckDB itself
    would open an existing ``.csv`` file as an empty database in memory, over the file, so that an import into it
    said it stored rows that went nowhere. Every DuckDB file says so in its first bytes (:data:`DUCKDB_MAGIC`). A
    missing path, or an empty file, passes: the database is made there (:func:`_open`). A path that cannot be
    looked at (a folder that cannot be searched) passes too: the open says why, as it did.

    Raises:
        DatabaseError: one line naming the path and what it is.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseError(f"is a folder: {path} (the database is a file: e.g. {path / 'hirepulse.duckdb'})")
    if not stat.S_ISREG(st.st_mode):
        raise DatabaseError(f"{path} is not a DuckDB database (not even a regular file): check --db or $HIREPULSE_DB")
    if st.st_size == 0:
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(DUCKDB_MAGIC_AT + len(DUCKDB_MAGIC))
    except OSError:
        return
    if head[DUCKDB_MAGIC_AT:] != DUCKDB_MAGIC:
        raise DatabaseError(f"{path} is not a DuckDB database: check --db (or $HIREPULSE_DB); the file was left "
                            "as it is")


def database_exists(path: str | os.PathLike[str]) -> bool:
    """Whether there is something at ``path`` to open as the database: a missing path or an empty file is none (an
    empty file is where a write connection makes a new one, :func:`_open`). A folder or another file counts, for
    :func:`connect` to refuse by name."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size > 0 or not stat.S_ISREG(st.st_mode)


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl+C: Python's KeyboardInterrupt, or the RuntimeError("Query interrupted") that DuckDB's
    Python module raises in its place when SIGINT comes while a statement runs."""
    return isinstance(exc, KeyboardInterrupt) or (type(exc) is RuntimeError and str(exc) == "Query interrupted")


# The connections the main thread has open (:func:`_interruptible`): Ctrl+C interrupts their statements.
_MAIN_CONNECTIONS: list[duckdb.DuckDBPyConnection] = []


# Set by :func:`_on_sigint`, cleared once a KeyboardInterrupt is on its way out of :func:`_interruptible`.
_SIGINT_SEEN = threading.Event()


def _on_sigint(signum: int, frame: Any) -> None:
    """SIGINT while the main thread holds connections: stop their statements, then raise KeyboardInterrupt as
    Python's own handler does. DuckDB runs this handler itself while a statement runs, and when the statement has
    ended meanwhile it drops the KeyboardInterrupt and returns the result (seen: a collect given Ctrl+C during a
    page's short write went on to the last page, about one time in three), so the signal is also remembered for
    :func:`_interruptible` to raise when its block ends."""
    _SIGINT_SEEN.set()
    for con in list(_MAIN_CONNECTIONS):
        with suppress(Exception):
            con.interrupt()
    raise KeyboardInterrupt


@contextmanager
def _interruptible() -> Iterator[Callable[[duckdb.DuckDBPyConnection], None]]:
    """While the block runs (a connection's opening, its work and its close), Ctrl+C stops the statement of the
    connection handed to the function yielded, once it is open.

    DuckDB's Python module answers SIGINT during a statement by raising RuntimeError("Query interrupted") and
    leaves the statement running in its threads: the ROLLBACK (or the next statement, or the close) then waits
    for it to finish, minutes on a big import, so Ctrl+C looked like a hang. Here SIGINT interrupts the
    connection first (DuckDB stops the statement within milliseconds), then raises KeyboardInterrupt; one that
    DuckDB dropped (:func:`_on_sigint`) is raised when the block ends, the close included. Only in the main thread
    (where Python runs signal handlers), and only where Python's own handler is in place: a program with its own
    (the scheduler stops on a flag) keeps it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda con: None
        return
    handler = signal.getsignal(signal.SIGINT)
    if handler is not signal.default_int_handler and handler is not _on_sigint:
        yield lambda con: None
        return
    mine: list[duckdb.DuckDBPyConnection] = []

    def watch(con: duckdb.DuckDBPyConnection) -> None:
        _MAIN_CONNECTIONS.append(con)
        mine.append(con)

    if handler is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        try:
            yield watch
        except BaseException:
            _SIGINT_SEEN.clear()   # (a KeyboardInterrupt on its way out, or another error: said as it is)
            raise
        if _SIGINT_SEEN.is_set():   # (a Ctrl+C that DuckDB dropped: the work of the block is done, the rest is not)
            _SIGINT_SEEN.clear()
            raise KeyboardInterrupt
    finally:
        for con in mine:
            for index, held in enumerate(_MAIN_CONNECTIONS):
                if held is con:
                    del _MAIN_CONNECTIONS[index]
                    break
        if not _MAIN_CONNECTIONS and signal.getsignal(signal.SIGINT) is _on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)


_new_database_notice: Callable[[Path], None] | None = None


@contextmanager
def announcing_new_databases(say: Callable[[Path], None]) -> Iterator[None]:
    """Within the block, a write connection that creates the database file calls ``say`` with its absolute path, once
    its schema is made. The CLI says so for the verbs that store (collect, import, schedule): the default path is
    relative to the working folder, so a cron job run elsewhere made a second, empty database without a word."""
    global _new_database_notice
    before, _new_database_notice = _new_database_notice, say
    try:
        yield
    finally:
        _new_database_notice = before


@contextmanager
def connect(path: str | os.PathLike[str], *, read_only: bool = False, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one unit of work, then close it.

    A write connection creates the file (in place of an empty one too) and brings the schema up to date. A path
    that names a folder, or a file DuckDB did not write, is refused before anything is done to it
    (:func:`check_database_path`). A lock held by another process is waited out with jittered exponential backoff
    for up to ``timeout`` seconds; within this process, connections in the two modes are kept from clashing
    (:class:`_InProcess`).

    Ctrl+C in the middle of a statement stops the statement (:func:`_interruptible`) and comes out as
    KeyboardInterrupt, not as DuckDB's own "Query interrupted" error; a transaction open then is rolled back.

    Raises:
        DatabaseBusy: still locked after ``timeout`` (the same work may go through later).
        DatabaseError: the file is missing or empty (read-only), not a DuckDB database, or unusable.
    """
    path = Path(path)
    if timeout is None:
        timeout = READ_LOCK_TIMEOUT if read_only else WRITE_LOCK_TIMEOUT
    check_database_path(path)
    if read_only and not path.exists():
        raise DatabaseError(f"no database at {path}: {_FIRST_RUN}")
    if not read_only:
        _make_folder(path)
    deadline = time.monotonic() + timeout
    key = os.path.realpath(path)
    as_read_only = _IN_PROCESS.acquire(key, read_only, deadline, path)
    try:
        new = not read_only and (not path.exists() or path.stat().st_size == 0)   # (an empty file: made anew)
        with _interruptible() as watch, _open(path, as_read_only, deadline, timeout) as con:
            watch(con)
            try:
                if not read_only:
                    ensure_schema(con)
                if new and _new_database_notice is not None:
                    _new_database_notice(path.resolve())
                if not as_read_only:
                    # a rewrite killed before its rename left its copy (ensure_erased): whoever holds the file for
                    # writing knows that no rewrite is under way, so the stray copy of the data goes
                    _remove_copy(Path(key))
                yield con
            except duckdb.Error as exc:
                said = _storage_error(path, exc)
                if said is None:
                    raise
                raise said from None
            except RuntimeError as exc:
                if not is_interrupt(exc):
                    raise
                con.interrupt()   # (stopped already where _interruptible is in place; here too where it is not)
                raise KeyboardInterrupt from None
    finally:
        _IN_PROCESS.release(key, as_read_only)


_STORAGE_ERRORS = (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException)


def _storage_error(path: Path, exc: duckdb.Error) -> DatabaseError | None:
    """The one line for a DuckDB error that the file system caused the database's own files while a connection was
    in use (a folder where the WAL cannot be created, a full disk, a file that stopped reading); None for any other
    error: a bug's traceback is not hidden, and a file the caller's own statement writes (a report's COPY) is the
    caller's to say (its error names another file). A commit that failed stored nothing of its transaction."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    committing = isinstance(exc, duckdb.TransactionException) and "Failed to commit" in text
    ours = isinstance(exc, duckdb.FatalException) or (isinstance(exc, _STORAGE_ERRORS) and path.name in text)
    if not committing and not ours:
        return None
    text = re.sub(r"^(TransactionContext|IO|Permission|FATAL) Error: ", "", text)
    said = f"cannot {'write to' if committing else 'use'} {path}: {text}"
    if committing:
        said += "; nothing of that change was stored"
    if ".wal" in text and "Permission denied" in text:
        wal = Path(f"{path}.wal")
        said += (f" ({wal.name}, DuckDB's log beside it, must be writable too)" if wal.exists() else
                 f" (the folder must be writable too, for DuckDB's log {wal.name})")
    return DatabaseError(said)


def _make_folder(path: Path) -> None:
    """Create the folders a new database file goes in.

    Raises:
        DatabaseError: a folder cannot be created (a file of its name is in the way, no permission).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {os_error_reason(exc)}") from None


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode the name ``path`` stands for now; None when there is no such file yet."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _side_lock(path: Path) -> int | None:
    """A descriptor of the side lock of the database file ``path`` (``<file>.lock``, beside it), made when missing.

    DuckDB opens a file, then locks it, and finds its log ``<file>.wal`` by name. A connection that opened the old
    file just before a rewrite's rename and locked it just after the rewrite closed it would hold the old file:
    it would take the log that a process on the new file has written meanwhile into the old one, and delete it
    as it closes (a committed write lost, should that process then die). So every connection holds the side
    lock shared for as long as it opens the file (:func:`_open`), and a rewrite holds it alone from before its
    rename until it has closed the old file (:func:`ensure_erased`).

    The file stays for good: deleting a lock file that another process holds, or is about to open, would make
    two locks of one. None where there is no side lock: no flock (Windows), or a lock file this user can
    neither make nor open (a folder it may not write to, before any writer made one); the connection goes
    without, as versions before this one do.
    """
    if fcntl is None:
        return None
    try:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return os.open(path, os.O_RDONLY)
    except OSError:
        return None
    with suppress(OSError):   # (whatever the umask: every user of the database must be able to open it; it is empty)
        os.fchmod(fd, 0o644)
    return fd


def _flock(fd: int, *, shared: bool) -> bool:
    """Take the side lock ``fd`` shared, or alone, without waiting: whether it was had (True also where the file
    system cannot lock: as where there is no side lock)."""
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def _hold_alone(fd: int | None, deadline: float, path: Path) -> None:
    """Hold the side lock ``fd`` alone, waiting until ``deadline`` for the connections being opened meanwhile (each
    holds it shared only that long).

    Raises:
        DatabaseBusy: it is still held shared at ``deadline``.
    """
    delay = _BACKOFF_START
    while fd is not None and not _flock(fd, shared=False):
        if time.monotonic() >= deadline:
            raise DatabaseBusy(f"{path} is busy (another hirepulse process is opening it); gave up waiting")
        delay = _back_off(delay)


def _back_off(delay: float) -> float:
    """Sleep about ``delay`` seconds, jittered so that processes waiting for one another do not retry in step; the
    next, doubled delay (up to :data:`_BACKOFF_CAP`)."""
    time.sleep(delay * (0.5 + random.random()))
    return min(delay * 2, _BACKOFF_CAP)


SCHEDULE_LOCK_SUFFIX = ".schedule.lock"   # held by the one `hirepulse schedule` of a database file
ANALYSIS_LOCK_SUFFIX = ".analysis.lock"   # held by the one analysis of a database file at a time
LOCK_POLL_SECONDS = 0.5


def lock_path(db_path: str | os.PathLike[str], suffix: str) -> Path:
    """The lock file ``suffix`` of the database file ``db_path``, beside the file itself: the path resolved first
    (a symlink, a relative path, ``..``), so that every name of one file shares its locks.

    Raises:
        DatabaseError: ``db_path`` may not be a database (:func:`check_database_path`): no lock is made beside a
            CSV given as ``--db`` by mistake.
    """
    check_database_path(db_path)
    return Path(f"{Path(db_path).resolve()}{suffix}")


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The process holding a lock file (:func:`process_lock`), as it wrote itself in: its id, and since when."""
    pid: str
    since: datetime | None

    def __str__(self) -> str:
        return f"pid {self.pid}" + (f", since {self.since:%Y-%m-%d %H:%M} UTC" if self.since else "")


class LockHeld(DatabaseError):
    """Another process holds the lock file (:func:`process_lock`); ``holder`` says which, and since when."""

    def __init__(self, path: Path, holder: LockHolder) -> None:
        super().__init__(f"{path} is held by {holder}")
        self.path, self.holder = path, holder


def _holder(fh: Any) -> LockHolder:
    fh.seek(0)
    pid, _, since = fh.read().strip().partition(" ")
    try:
        when = datetime.fromisoformat(since) if since else None
    except ValueError:
        when = None
    return LockHolder(pid or "?", when)


@contextmanager
def process_lock(path: Path, *, wait: Callable[[LockHolder], bool] | None = None) -> Iterator[None]:
    """Hold an advisory lock (flock) on the file ``path``, made when missing, for the block; this process's id and
    the time written in it for the next to name. Released when the block ends or the process does, however it
    ends (a SIGKILL, a power cut: no stale lock to clear by hand). flock is per open file, so another thread of
    this process that asks is refused as another process is.

    ``wait``: None to give up at once when another holds it; else asked with the holder every
    :data:`LOCK_POLL_SECONDS` while it is held, and waited on as long as it returns True. Where the system has no
    flock, or the file cannot be made or opened (a folder this user may not write to), nothing is locked.

    Raises:
        LockHeld: another holds it, and ``wait`` is None or returned False.
    """
    if fcntl is None:
        yield
        return
    try:
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held across the yield
    except OSError:
        yield
        return
    with fh:
        locked = True
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fh)
                if wait is None or not wait(holder):
                    raise LockHeld(path, holder) from None
                time.sleep(LOCK_POLL_SECONDS)
            except OSError:   # (a file system that cannot lock: as where there is no flock)
                locked = False
                break
        if locked:
            with suppress(OSError):
                fh.seek(0)
                fh.truncate()
                fh.write(f"{os.getpid()} {datetime.now(timezone.utc).isoformat(timespec='seconds')}")
                fh.flush()
                os.fchmod(fh.fileno(), 0o644)
        try:
            yield
        finally:
            if locked:
                fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _open(path: Path, read_only: bool, deadline: float, timeout: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection, another process's lock waited out until ``deadline`` (:func:`connect`).

    An empty file at ``path`` (made by ``touch`` or a tool that reserves the name; DuckDB refuses one) is made a
    new database, with its permissions, by a write connection, once no other connection is opening the file: a
    file that another process's DuckDB is creating is empty for a moment, and that process holds the side lock
    meanwhile (DuckDB writes its header within its open). A read-only connection says there is no database yet.
    """
    delay = _BACKOFF_START
    side = Path(os.path.realpath(path) + LOCK_SUFFIX)   # (beside the file a rewrite replaces: a link is followed)
    mode: int | None = None   # the permissions of an empty file that was made a database
    conflict = ""   # DuckDB's last word on the lock, which names the process holding it
    while True:
        check_database_path(path)   # (before the side lock is made beside it: a CSV given by mistake gets none)
        lock = _side_lock(side)
        try:
            # held shared while the file opens: a rewrite holds it alone across its rename (_side_lock)
            if lock is None or _flock(lock, shared=True):
                check_database_path(path)   # (again: no rewrite renames another file into its place now)
                empty = _empty_file(path)
                # alone, no other connection is opening the file, so none is creating it: it is an empty file
                if empty is not None and (lock is None or _flock(lock, shared=False)):
                    empty = _empty_file(path)   # (written meanwhile, it was being created: opened as it is)
                    if empty is not None:
                        if read_only:
                            raise DatabaseError(f"no database at {path}: the file is empty; {_FIRST_RUN}, which "
                                                "make the database in its place")
                        _remove_empty(path)
                        mode, empty = empty, None
                if empty is None:
                    opened = _file_identity(path)
                    con = duckdb.connect(str(path), read_only=read_only)
                    # A rewrite's rename between DuckDB's open and its lock would leave this connection holding the
                    # old file, whose writes would be lost with it. The side lock keeps the rename out; where there
                    # is none (and for a version before it), the name is looked at again: it names another file
                    # now, so open that one. (A file this call made cannot have been rewritten.)
                    if opened is None or _file_identity(path) == opened:
                        if mode is not None:
                            with suppress(OSError):
                                os.chmod(path, mode)
                            log.info("made the empty file %s a new database", path)
                        break
                    con.close()
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise DatabaseError(f"cannot open {path}: {str(exc).splitlines()[0]}") from None
            conflict = str(exc)
        finally:
            if lock is not None:
                os.close(lock)   # (its shared lock with it: once open, the connection holds its file, not the name)
        if time.monotonic() >= deadline:
            holder = re.search(r"\(PID (\d+)\)", conflict)   # ("Conflicting lock is held in /usr/bin/python3 (PID 42)")
            raise DatabaseBusy(f"{path} is busy (another hirepulse process holds it); "
                               + (f"held by {process_named(int(holder[1]))}; " if holder else "")
                               + f"gave up after {timeout:.0f}s") from None
        delay = _back_off(delay)
    try:
        con.execute("SET TimeZone = 'UTC'")
        # (DuckDB draws its own progress bar on stdout for a statement over 2 s: in the middle of a command's
        # output or a report's; the rewrite reads the progress instead, _watched)
        con.execute("SET enable_progress_bar_print = false")
        yield con
    finally:
        con.close()


def _empty_file(path: Path) -> int | None:
    """The permission bits of the regular file ``path`` when it is empty; None otherwise (missing too)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) and st.st_size == 0 else None


def _remove_empty(path: Path) -> None:
    """Delete the empty file ``path`` (the file a link names, so that the link names the new database), for DuckDB
    to make a database in its place.

    Raises:
        DatabaseError: it cannot be deleted (a folder this user may not write to).
    """
    try:
        os.unlink(os.path.realpath(path))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise DatabaseError(f"cannot make the empty file {path} a database: {os_error_reason(exc)}") from None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and apply pending migrations (idempotent)."""
    con.execute(SCHEMA_SQL)
    done = {row[0] for row in con.execute("SELECT name FROM migrations").fetchall()}
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO migrations VALUES (?, now())", [name])
        log.info("applied migration %s", name)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM migrations").fetchone()[0]


# --------------------------------------------------------------------------- facts upkeep

def facts_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``fact_mentions`` and ``fact_stages`` are in step with the tables they derive from.

    Cheap (three table counts against ``facts_state``), and safe on a read-only connection to a
    database whose schema predates the facts (False then).
    """
    try:
        row = con.execute(f"""
            SELECT c.m = s.mentions AND c.a = s.analysis AND c.s = s.analysis_stages
            FROM facts_state s, (SELECT {_COUNTS_SQL}) AS c(m, a, s)
        """).fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row and row[0])


def rebuild_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the facts from scratch, sorted by company and time (in the caller's transaction, if any)."""
    con.execute(REBUILD_FACTS_SQL)


def ensure_facts(con: duckdb.DuckDBPyConnection, *, rebuild: bool = False) -> bool:
    """Rebuild the facts when they are stale (or when ``rebuild``); returns whether it rebuilt.

    Rebuilding also restores the (company, time) order that incremental upkeep wears down.
    """
    if not rebuild and facts_fresh(con):
        return False
    with transaction(con):
        rebuild_facts(con)
    log.info("rebuilt the dashboard facts")
    return True


def mark_facts_stale(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the facts stale until the next rebuild: readers use the ``facts`` view meanwhile.

    For a run that rewrites a large part of the analysis: keeping the facts in step batch by
    batch would cost about as much as the writes themselves, and the run rebuilds them anyway.
    """
    con.execute("UPDATE facts_state SET mentions = -1")


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    return con.execute(f"SELECT {_COUNTS_SQL}").fetchone()


def _shift_stamp(con: duckdb.DuckDBPyConnection, before: tuple[int, int, int]) -> None:
    """Move ``facts_state`` by what this module's write changed (``before`` = counts before it).

    Not set to the new counts: a bypassing writer's earlier change must stay visible as a
    difference, however later writes move the counts.
    """
    after = _counts(con)
    con.execute("UPDATE facts_state SET mentions = mentions + ?, analysis = analysis + ?, "
                "analysis_stages = analysis_stages + ?", [a - b for a, b in zip(after, before)])


def _refresh_facts(con: duckdb.DuckDBPyConnection, ids_sql: str, params: Sequence[Any] = (), *,
                   reinsert: bool = True) -> None:
    """Bring the facts of the mentions ``ids_sql`` selects (one ``id`` column) in step with
    ``mentions`` / ``analysis`` / ``analysis_stages``, in the caller's transaction: after a write
    to them (``reinsert``), or before deleting the mentions (not ``reinsert``). The days those
    mentions were or are on are summed again."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _fact_ids AS SELECT DISTINCT id FROM ({ids_sql})", list(params))
    try:
        if not con.execute("SELECT count(*) FROM _fact_ids").fetchone()[0]:
            return
        con.execute("""CREATE OR REPLACE TEMP TABLE _fact_cells AS
                       SELECT DISTINCT day, company, source FROM fact_mentions WHERE id IN (SELECT id FROM _fact_ids)""")
        con.execute("DELETE FROM fact_stages WHERE id IN (SELECT id FROM _fact_ids)")
        con.execute("DELETE FROM fact_mentions WHERE id IN (SELECT id FROM _fact_ids)")
        if reinsert:
            con.execute(f"INSERT INTO fact_mentions {_FACT_MENTIONS_SQL} WHERE m.id IN (SELECT id FROM _fact_ids)")
            con.execute(f"INSERT INTO fact_stages {_FACT_STAGES_SQL} WHERE f.id IN (SELECT id FROM _fact_ids)")
            con.execute("""INSERT INTO _fact_cells SELECT DISTINCT day, company, source FROM fact_mentions
                           WHERE id IN (SELECT id FROM _fact_ids)""")
        same_cell = ("{0}.day = c.day AND {0}.company IS NOT DISTINCT FROM c.company AND {0}.source = c.source")
        con.execute(f"DELETE FROM fact_days d USING _fact_cells c WHERE {same_cell.format('d')}")
        days = "f.day BETWEEN (SELECT min(day) FROM _fact_cells) AND (SELECT max(day) FROM _fact_cells)"
        con.execute(f"""INSERT INTO fact_days {_FACT_DAYS_SQL}
                        WHERE {days} AND EXISTS (SELECT 1 FROM _fact_cells c WHERE {same_cell.format('f')})
                        GROUP BY f.company, f.day, f.source""")
        con.execute(f"DELETE FROM fact_stage_days d USING _fact_cells c WHERE {same_cell.format('d')}")
        con.execute(f"""INSERT INTO fact_stage_days {_FACT_STAGE_DAYS_SQL}
                        WHERE f.is_candidate_experience AND {days}
                          AND EXISTS (SELECT 1 FROM _fact_cells c WHERE {same_cell.format('f')})
                        GROUP BY f.company, f.day, f.source, f.stage""")
    finally:
        con.execute("DROP TABLE IF EXISTS _fact_ids")
        con.execute("DROP TABLE IF EXISTS _fact_cells")


# --------------------------------------------------------------------------- mentions

def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: published_at and fetched_at must carry a timezone")
    return value.astimezone(timezone.utc)


def _utc_column(values: list[datetime]) -> pa.Array:
    """Timezone-aware datetimes as an Arrow UTC timestamp column. Arrow converts each value from its own zone (4x
    faster than converting them in Python first); it would take a naive one for UTC, so those are refused here."""
    if any(v.tzinfo is None for v in values):
        raise ValueError("naive datetime: published_at and fetched_at must carry a timezone")
    return pa.array(values, type=pa.timestamp("us", tz="UTC"))


MENTION_FIELDS = ("source", "native_id", "url", "company", "query", "kind", "title", "text", "published_at",
                  "author", "lang", "stage_hint", "rating", "fetched_at", "rating_scale", "former_id")


def mentions_table(mentions: Iterable[Mention], *, salt: str) -> pa.Table:
    """Prepare mentions for storage as an Arrow table; see :func:`mentions_table_from_columns`."""
    items = list(mentions)
    return mentions_table_from_columns({f: [getattr(m, f) for m in items] for f in MENTION_FIELDS}, salt=salt)


def last_of_each_id(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Columns of raw mention fields with only the last row of each id (source and native id) kept, in their
    order: as :func:`mentions_table_from_columns` stores them, for a caller that stores them in parts (an import
    in steps, all in one transaction), so that no part updates a row another part brought.

    Raises:
        ValueError: a row without a native id (an import's columns read without the salt).
    """
    if None in columns["native_id"]:
        raise ValueError("a mention without an id: read an import's columns with the salt to store them")
    last = {f"{s}:{n}": index for index, (s, n) in enumerate(zip(columns["source"], columns["native_id"]))}
    if len(last) == len(columns["native_id"]):
        return columns
    keep = sorted(last.values())
    return {name: [values[i] for i in keep] for name, values in columns.items()}


def mentions_table_from_columns(columns: dict[str, list[Any]], *, salt: str) -> pa.Table:
    """Columns of raw mention fields (:data:`MENTION_FIELDS`) to the Arrow table :func:`upsert_mentions` stores.

    This is where privacy is applied: e-mail addresses and phone numbers are redacted from titles
    and texts, raw author handles are replaced by salted keys, and a comment keeps no title (where a
    source gives it one, it is the title of the post it answers: another author's words; see
    :func:`_drop_comment_titles`).
    Within the batch the last row of an id wins (DuckDB would otherwise keep the first of two equal keys
    in one statement, or fail).

    Raises:
        ValueError: a row without a native id (an import's columns read without the salt).
    """
    columns = last_of_each_id(columns)
    ids = [f"{s}:{n}" for s, n in zip(columns["source"], columns["native_id"])]
    keys = author_keys(columns["author"], salt)
    texts = [redact(t) or "" for t in columns["text"]]
    table = {
        "id": ids,
        **{name: columns[name] for name in ("source", "native_id", "url", "company", "query", "kind")},
        "title": [redact(t) if t and k != "comment" else None for t, k in zip(columns["title"], columns["kind"])],
        "text": texts,
        "published_at": _utc_column(columns["published_at"]),
        "author_key": [keys[h] for h in columns["author"]],
        "lang": columns["lang"], "stage_hint": columns["stage_hint"], "rating": columns["rating"],
        "fetched_at": _utc_column(columns["fetched_at"]),
        "rating_scale": columns["rating_scale"],
        "former_id": columns.get("former_id") or [None] * len(ids),
        "content_key": [None] * len(ids),   # (made by upsert_mentions only when an erasure remembers words)
    }
    return pa.table(table, schema=_MENTION_SCHEMA)


def upsert_mentions(con: duckdb.DuckDBPyConnection, mentions: Iterable[Mention] | pa.Table, *, salt: str | None = None) -> UpsertStats:
    """Insert new mentions and update changed ones in one statement, through Arrow.

    Unchanged mentions (same content hash) are not written again, so re-importing a file or
    re-fetching an overlap adds nothing; a row stored under an incoming row's ``former_id`` is first moved to its
    id (:func:`_move_former_ids`). Runs inside the caller's transaction if one is open.

    Raises:
        ValueError: ``salt`` missing when raw mentions are passed.
    """
    if isinstance(mentions, pa.Table):
        table = mentions
    else:
        if salt is None:
            raise ValueError("salt is required to store mentions")
        table = mentions_table(mentions, salt=salt)
    if table.num_rows == 0:
        return UpsertStats()
    erasures, word_erasures, post_erasures, unsalted = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE kind = 'content'), count(*) FILTER (WHERE kind IN ('id', 'url')), "
        f"count(*) FILTER (WHERE kind IN ('id', 'url') AND length(key) <> {ERASURE_KEY_CHARS}) FROM erasures").fetchone()
    if (word_erasures or post_erasures) and salt is None:
        raise ValueError("salt is required to store mentions once an erasure remembers posts (by salted keys)")
    if salt is not None:
        check_salt(con, salt)
    if word_erasures:
        # each row's words keyed (content_key) to be compared with the erased posts' words: a fifth of an
        # import's time, so only where an erasure remembers some
        keys = [content_key(t, c, p, salt) for t, c, p in zip(table.column("text").to_pylist(),
                                                               table.column("company").to_pylist(),
                                                               table.column("published_at").to_pylist())]
        table = table.set_column(table.column_names.index("content_key"), "content_key", pa.array(keys, pa.string()))
    con.register("_incoming_raw", table)
    source = "_incoming_raw"
    try:
        if erasures:
            # rows an erasure request named, by author, id (or the id the row had before ids were salted), URL (as
            # given, or as a normalised address: _URL_NORM_SQL) or words (content_key), are left out before anything is
            # compared
            if post_erasures:
                _erased_posts(con, "_incoming_raw", salt or "", unsalted=bool(unsalted))
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE _incoming_kept AS
                SELECT i.* FROM _incoming_raw i
                ANTI JOIN (SELECT key FROM erasures WHERE kind = 'author') a ON a.key = i.author_key
                ANTI JOIN (SELECT key FROM erasures WHERE kind = 'content') c ON c.key = i.content_key
                {"ANTI JOIN _erased e ON e.id = i.id" if post_erasures else ""}
            """)
            source = "_incoming_kept"
        if table.column("former_id").null_count < table.num_rows:
            _move_former_ids(con, source, salt)
        # One join with the stored mentions, before any write: whether each row is new, and
        # whether it differs from what is stored (new or changed). The counts, the write and the
        # facts upkeep below all read these flags.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _incoming AS
            SELECT i.*, m.id IS NULL AS is_new, m.content_hash IS DISTINCT FROM i.content_hash AS changed
            FROM (SELECT i.*, {_CONTENT_HASH_SQL} AS content_hash FROM {source} i) i
            LEFT JOIN mentions m ON m.id = i.id
        """)
        new, updated, unchanged = con.execute("""
            SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE changed AND NOT is_new),
                   count(*) FILTER (WHERE NOT changed)
            FROM _incoming
        """).fetchone()
        erased = table.num_rows - new - updated - unchanged   # (one _incoming row per row kept: ids are unique)
        if new or updated:
            before = _counts(con)
            cols = [*_MENTION_COLUMNS, "content_hash"]
            updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
            if updated:
                # a label describes the words it was given for: an edit upstream takes it away and the
                # post comes back to be labelled (new metadata alone, a rating or a URL, keeps it; so does a
                # comment losing the title of the post it answers, which comments no longer keep)
                con.execute("""
                    DELETE FROM labels WHERE mention_id IN (
                        SELECT i.id FROM _incoming i JOIN mentions m ON m.id = i.id
                        WHERE i.changed AND (m.text <> i.text OR m.title IS DISTINCT FROM i.title
                                             AND NOT (i.kind = 'comment' AND i.title IS NULL)))
                """)
            con.execute(f"""
                INSERT INTO mentions ({', '.join(cols)}, first_seen_at)
                SELECT {', '.join('i.' + c for c in cols)}, now()
                FROM _incoming i
                WHERE i.changed
                ON CONFLICT (id) DO UPDATE SET {updates}
            """)
            # a changed mention keeps its old analysis until re-analysed: its date, company or
            # source may have moved. Only analysed mentions have facts: a new one has none.
            _refresh_facts(con, "SELECT i.id FROM _incoming i SEMI JOIN analysis a ON a.mention_id = i.id WHERE i.changed")
            _shift_stamp(con, before)
    finally:
        con.unregister("_incoming_raw")
        con.execute("DROP TABLE IF EXISTS _erased")
        con.execute("DROP TABLE IF EXISTS _incoming_kept")
        con.execute("DROP TABLE IF EXISTS _incoming")
    return UpsertStats(new=new, updated=updated, unchanged=unchanged, erased=erased)


def _erased_posts(con: duckdb.DuckDBPyConnection, incoming: str, salt: str, *, unsalted: bool = True) -> None:
    """The ids of the rows of ``incoming`` an erasure names by their id, the id they had before ids were salted or
    their URL (as given, or as a normalised address: _URL_NORM_SQL), as the temp table ``_erased``, matched by the salted
    key and by the unsalted one versions before kept (``unsalted``: some are left); such an unsalted key is replaced
    by the salted one (keeping when it was requested), in the caller's transaction if one is open, so that the
    unsalted keys fade out, and the file owes a rewrite (the old key stays in its free blocks until then)."""
    plain = ", sha256(value) AS plain" if unsalted else ""   # (a fifth of the hashing, for keys no longer there)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _erased_values AS
        SELECT id, kind, {_erasure_key_sql("kind", "value")} AS keyed{plain} FROM (
            SELECT id, 'id' AS kind, id AS value FROM {incoming}
            UNION ALL SELECT id, 'id', source || ':' || former_id FROM {incoming} WHERE former_id IS NOT NULL
            UNION ALL SELECT id, 'url', rtrim(url, '/') FROM {incoming} WHERE url IS NOT NULL
            UNION ALL SELECT id, 'url', {_URL_NORM_SQL.format("url")} FROM {incoming} WHERE url IS NOT NULL)
    """, _erasure_pads(salt))
    try:
        old_keys = ("UNION SELECT DISTINCT v.id FROM _erased_values v JOIN erasures e ON e.kind = v.kind "
                    "AND e.key = v.plain" if unsalted else "")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _erased AS
            SELECT DISTINCT v.id FROM _erased_values v JOIN erasures e ON e.kind = v.kind AND e.key = v.keyed
            {old_keys}
        """)
        if unsalted:
            con.execute("""
                CREATE OR REPLACE TEMP TABLE _rekeyed AS
                SELECT DISTINCT e.kind, e.key, v.keyed, e.requested_at
                FROM _erased_values v JOIN erasures e ON e.kind = v.kind AND e.key = v.plain
            """)
            if con.execute("SELECT count(*) FROM _rekeyed").fetchone()[0]:
                con.execute("INSERT INTO erasures SELECT kind, keyed, requested_at FROM _rekeyed ON CONFLICT DO NOTHING")
                con.execute("DELETE FROM erasures e USING _rekeyed r WHERE e.kind = r.kind AND e.key = r.key")
                _owe_rewrite(con)
    finally:
        con.execute("DROP TABLE IF EXISTS _rekeyed")
        con.execute("DROP TABLE _erased_values")


def _move_former_ids(con: duckdb.DuckDBPyConnection, incoming: str, salt: str | None) -> None:
    """Move the stored mentions that incoming rows (the table ``incoming``, one row per id) name by their
    ``former_id`` to the rows' own ids, with their analysis, facts and label, in the caller's transaction: a post
    imported or fetched before ids were salted (:attr:`hirepulse.models.Mention.former_id`) stays one row, and keeps
    what the team gave it, when it comes again. Where the new id is stored too (a writer of both versions at
    work), the former row is a copy: its label goes to the new one unless that has its own, and it is deleted."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _moves AS
        SELECT m.id AS old, i.id AS new, i.native_id, n.id IS NOT NULL AS copy
        FROM {incoming} i JOIN mentions m ON m.id = i.source || ':' || i.former_id
            -- (the same writer too: a handle that happens to equal another author's salted key gives that
            -- author's former id, and must not take their post)
            AND m.author_key IS NOT DISTINCT FROM i.author_key
        LEFT JOIN mentions n ON n.id = i.id
        WHERE i.former_id IS NOT NULL AND i.id <> m.id
    """)
    try:
        moves, copies = con.execute("SELECT count(*), count(*) FILTER (WHERE copy) FROM _moves").fetchone()
        if not moves:
            return
        con.execute("""
            INSERT INTO labels SELECT l.* REPLACE (v.new AS mention_id)
            FROM labels l JOIN _moves v ON v.old = l.mention_id
            ON CONFLICT DO NOTHING
        """)
        con.execute("DELETE FROM labels WHERE mention_id IN (SELECT old FROM _moves)")
        if copies:
            _delete_mentions_where(con, "id IN (SELECT old FROM _moves WHERE copy)", [])
        con.execute("""INSERT INTO mentions SELECT m.* REPLACE (v.new AS id, v.native_id AS native_id)
                       FROM mentions m JOIN _moves v ON v.old = m.id WHERE NOT v.copy""")
        con.execute("DELETE FROM mentions WHERE id IN (SELECT old FROM _moves WHERE NOT copy)")
        if salt is not None:   # (where each went, by the former id's salted key: forget_posts)
            moved = {_former_key(old, salt): new for old, new in con.execute("SELECT old, new FROM _moves").fetchall()}
            con.register("_moved", pa.table({"former_key": list(moved), "id": list(moved.values())}))
            try:
                con.execute("INSERT INTO moved_ids SELECT former_key, id FROM _moved "
                            "ON CONFLICT DO UPDATE SET id = excluded.id")
            finally:
                con.unregister("_moved")
        for table, column in (("analysis", "mention_id"), ("analysis_stages", "mention_id"), ("fact_mentions", "id"),
                              ("fact_stages", "id")):
            con.execute(f"UPDATE {table} SET {column} = v.new FROM _moves v WHERE {table}.{column} = v.old")
        from analysis.wording import fmt_count   # (here: analysis.wording reads hirepulse.db)

        kept = moves - copies
        log.info("moved %s to %s, deleted %s", fmt_count(kept, "mention"),
                 "its salted id" if kept == 1 else "their salted ids", fmt_count(copies, "copy", "copies"))
    finally:
        con.execute("DROP TABLE IF EXISTS _moves")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, with ROLLBACK on any exception. After Ctrl+C the statement it stopped is interrupted
    first: DuckDB may still be running it, and the ROLLBACK would wait for it to end (:func:`_interruptible`)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException as exc:
        if is_interrupt(exc):
            con.interrupt()
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# --------------------------------------------------------------------------- analysis storage

_ANALYSIS_SCHEMA = pa.schema([
    ("mention_id", pa.string()), ("analyzer_version", pa.string()), ("content_hash", pa.string()),
    ("analyzed_at", pa.timestamp("us", tz="UTC")), ("is_candidate_experience", pa.bool_()),
    ("sentiment", pa.float64()), ("stages", pa.list_(pa.string())), ("themes", pa.list_(pa.string())),
    ("consumer_link", pa.bool_()), ("companies", pa.list_(pa.string())), ("explanation", pa.string()),
    ("sentiment_confidence", pa.float64()),   # as migration 0004 added it
    ("companies_stale", pa.bool_()),          # last, as migration 0011 added it
])
_STAGE_SCHEMA = pa.schema([("mention_id", pa.string()), ("stage", pa.string()), ("sentiment", pa.float64())])


def fetch_pending_analysis(con: duckdb.DuckDBPyConnection, analyzer_version: str, *,
                           limit: int) -> list[tuple[str, str | None, str, str, str | None, float | None, float | None]]:
    """Mentions never analysed, analysed by another analyzer version, or changed since.

    Returns ``(id, title, text, content_hash, stage_hint, rating, rating_scale)`` tuples, at most ``limit``.
    """
    return con.execute("""
        SELECT m.id, m.title, m.text, m.content_hash, m.stage_hint, m.rating, m.rating_scale
        FROM mentions m LEFT JOIN analysis a ON a.mention_id = m.id
        WHERE a.mention_id IS NULL OR a.analyzer_version <> ? OR a.content_hash <> m.content_hash
        ORDER BY m.id
        LIMIT ?
    """, [analyzer_version, limit]).fetchall()


def count_pending_analysis(con: duckdb.DuckDBPyConnection, analyzer_version: str) -> int:
    return con.execute("""
        SELECT count(*) FROM mentions m LEFT JOIN analysis a ON a.mention_id = m.id
        WHERE a.mention_id IS NULL OR a.analyzer_version <> ? OR a.content_hash <> m.content_hash
    """, [analyzer_version]).fetchone()[0]


# A stored analysis whose reading stands (made by the analyzer version in use, of the words stored now) and whose
# companies are to be read again: the config's companies changed since (migration 0011)
_STALE_COMPANIES_SQL = """
    FROM mentions m JOIN analysis a ON a.mention_id = m.id
    WHERE a.companies_stale AND a.analyzer_version = ? AND a.content_hash = m.content_hash
"""
# A post's title and text joined as the analyzer reads them (hirepulse.models.text_for_analysis: the title, a full
# stop unless it ends in one, ".!?:", then the text; the text alone when it opens with the title), so that a name
# split across the two is judged alike by the prefilter and the analyzer ("Acme Co" + "Never called" reads "Acme
# Co. Never called"). The character class is exactly what Python's str.rstrip() strips.
_TITLE_STRIPPED_SQL = r"regexp_replace(m.title, '[\t-\r\x{1c}-\x{20}\x{85}\p{Z}]+$', '')"
_ANALYSED_TEXT_SQL = f"""(CASE WHEN m.title IS NULL OR m.title = '' OR starts_with(m.text, m.title) THEN m.text
    ELSE {_TITLE_STRIPPED_SQL} || (CASE WHEN regexp_matches({_TITLE_STRIPPED_SQL}, '[.!?:]$') THEN '' ELSE '.' END)
         || ' ' || m.text END)"""
# ... lower-cased, ’ read as ': what the company prefilter looks for names in
_LOWER_WORDS_SQL = f"replace(lower({_ANALYSED_TEXT_SQL}), chr(8217), chr(39))"


def companies_fingerprint(companies: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The fingerprint of a company config (``(name, aliases)`` pairs, in the config's order) that
    ``analysis_companies`` records."""
    return hashlib.sha256(_companies_json(companies).encode()).hexdigest()


def _companies_json(companies: Sequence[tuple[str, Sequence[str]]]) -> str:
    return json.dumps([[name, list(aliases)] for name, aliases in companies], ensure_ascii=False)


def recorded_companies(con: duckdb.DuckDBPyConnection) -> tuple[str, list[tuple[str, tuple[str, ...]]]] | None:
    """The fingerprint and the company config (``(name, aliases)`` pairs) the stored analyses resolved companies
    with, as :func:`mark_companies_stale` recorded them; None when none is recorded (nothing analysed since
    migration 0011)."""
    row = con.execute("SELECT fingerprint, companies FROM analysis_companies").fetchone()
    if row is None:
        return None
    return row[0], [(name, tuple(aliases)) for name, aliases in json.loads(row[1])]


def mark_companies_stale(con: duckdb.DuckDBPyConnection, companies: Sequence[tuple[str, Sequence[str]]],
                         names: Iterable[str]) -> int:
    """Record ``companies`` as the company config of the stored analyses and mark for reading again the companies
    of every analysed post whose title and text, joined as the analyzer reads them and lower-cased (’ read as '),
    holds one of ``names`` (lower-cased
    names, aliases or hashtag forms read otherwise than under the config recorded before:
    analysis.companies.changed_names), in one transaction; returns how many analyses it marked.

    A cheap prefilter, run by DuckDB over the stored words: it may mark a post whose companies come out as before
    (a name inside a longer word, an everyday word that is also a company's name), never miss one that changes.
    """
    names = sorted(set(names))
    with transaction(con):
        marked = 0
        if names:
            holds = " OR ".join(f"contains({_LOWER_WORDS_SQL}, ?)" for _ in names)
            marked = con.execute(f"""
                UPDATE analysis a SET companies_stale = true FROM mentions m
                WHERE m.id = a.mention_id AND NOT coalesce(a.companies_stale, false) AND ({holds})
            """, names).fetchone()[0]
        con.execute("DELETE FROM analysis_companies")
        con.execute("INSERT INTO analysis_companies VALUES (?, ?, now())",
                    [companies_fingerprint(companies), _companies_json(companies)])
    return marked


def count_stale_companies(con: duckdb.DuckDBPyConnection, analyzer_version: str, names: Iterable[str] = ()) -> int:
    """How many analyses made by ``analyzer_version`` of the words stored now have their companies to read again
    (:func:`mark_companies_stale`); the others marked are read again whole (:func:`count_pending_analysis`). With
    ``names``, also those :func:`mark_companies_stale` would mark given them: the count a run would read again,
    marking nothing (works read-only, on a database older than migration 0011 too)."""
    names = sorted(set(names))
    if not has_companies_stale(con):   # (read-only, not migrated yet: nothing marked)
        if not names:
            return 0
        marked = "false"
    else:
        marked = "coalesce(a.companies_stale, false)"
    holds = "".join(f" OR contains({_LOWER_WORDS_SQL}, ?)" for _ in names)
    return con.execute(f"""
        SELECT count(*) FROM mentions m JOIN analysis a ON a.mention_id = m.id
        WHERE a.analyzer_version = ? AND a.content_hash = m.content_hash AND ({marked}{holds})
    """, [analyzer_version, *names]).fetchone()[0]


def has_companies_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``analysis`` has the ``companies_stale`` column, and the companies analysed with are recorded
    (migration 0011)."""
    return _has_column(con, "analysis", "companies_stale")


def fetch_stale_companies(con: duckdb.DuckDBPyConnection, analyzer_version: str, *,
                          limit: int) -> list[tuple[str, str | None, str, str | None]]:
    """Analyses :func:`count_stale_companies` counts, at most ``limit``: ``(id, title, text, explanation)``."""
    return con.execute("SELECT m.id, m.title, m.text, a.explanation" + _STALE_COMPANIES_SQL + "ORDER BY m.id LIMIT ?",
                       [analyzer_version, limit]).fetchall()


def update_companies(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, Sequence[str], str]], *,
                     keep_facts: bool = True, progress: tuple[int, int, int] | None = None) -> int:
    """Store the companies read again for analyses marked by :func:`mark_companies_stale`: ``(mention_id,
    companies, explanation JSON)`` each, in one transaction, with the dashboard's facts of those posts
    (``keep_facts=False``: left to the rebuild of a run that marked them stale). An analysis no longer marked (read
    whole meanwhile) or gone (erased) is left as it is; returns how many were stored. ``progress``: as for
    :func:`upsert_analysis`."""
    if not rows:
        return 0
    table = pa.table({"mention_id": [r[0] for r in rows], "companies": [list(r[1]) for r in rows],
                      "explanation": [r[2] for r in rows]},
                     schema=pa.schema([("mention_id", pa.string()), ("companies", pa.list_(pa.string())),
                                       ("explanation", pa.string())]))
    con.register("_companies_in", table)
    try:
        with transaction(con):
            stored = con.execute("""
                UPDATE analysis a SET companies = i.companies, explanation = i.explanation, companies_stale = false
                FROM _companies_in i WHERE a.mention_id = i.mention_id AND a.companies_stale
            """).fetchone()[0]
            if keep_facts:   # (row counts unchanged: facts_state stays as it is)
                _refresh_facts(con, "SELECT mention_id AS id FROM _companies_in")
            if progress is not None:
                run_id, done, total = progress
                note_run_progress(con, run_id, done=done, total=total)
    finally:
        con.unregister("_companies_in")
    return stored


def _confidence(value: Any) -> float | None:
    return None if value is None else float(value)


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether ``table`` (or view) has ``column``: a read-only connection to a database older than the migration
    that added it sees none, and its readers read NULL instead."""
    return bool(con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
                            [table, column]).fetchone()[0])


def has_sentiment_confidence(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``analysis`` has the ``sentiment_confidence`` column (migration 0004)."""
    return _has_column(con, "analysis", "sentiment_confidence")


def rating_scale_sql(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """The SQL for the ``facts`` row ``alias``'s ``rating_scale``: the column, or a typed NULL on a database
    older than migration 0005 (read as for a rating imported without its scale)."""
    return f"{alias}.rating_scale" if _has_column(con, "facts", "rating_scale") else "CAST(NULL AS DOUBLE)"


def sentiment_confidence_sql(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """The SQL for ``alias``'s ``sentiment_confidence``: the column, or a typed NULL on a database older than
    migration 0004 (read as for a post analysed before it: not stored, so never sure)."""
    return f"{alias}.sentiment_confidence" if has_sentiment_confidence(con) else "CAST(NULL AS DOUBLE)"


def upsert_analysis(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]], *, keep_facts: bool = True,
                    progress: tuple[int, int, int] | None = None) -> int:
    """Store analysis results (one dict per mention, keys as the ``analysis`` columns plus
    ``stage_sentiment``; ``sentiment_confidence`` may be left out, stored as NULL), replacing older
    results of the same mentions, in one transaction.

    ``keep_facts=False`` leaves the dashboard's facts alone: only for a run that marked them
    stale (:func:`mark_facts_stale`) and rebuilds them at its end. ``progress``: (run id, done, total), the
    running run's count noted in the same transaction (:func:`note_run_progress`), so that it never says more
    or fewer than are stored, however the process ends.
    """
    if not rows:
        return 0
    now = datetime.now(timezone.utc)
    analysis = pa.table({
        "mention_id": [r["mention_id"] for r in rows],
        "analyzer_version": [r["analyzer_version"] for r in rows],
        "content_hash": [r["content_hash"] for r in rows],
        "analyzed_at": [now] * len(rows),
        "is_candidate_experience": [bool(r["is_candidate_experience"]) for r in rows],
        "sentiment": [float(r["sentiment"]) for r in rows],
        "stages": [list(r["stages"]) for r in rows],
        "themes": [list(r["themes"]) for r in rows],
        "consumer_link": [bool(r["consumer_link"]) for r in rows],
        "companies": [list(r["companies"]) for r in rows],
        "explanation": [json.dumps(r.get("explanation") or {}, ensure_ascii=False) for r in rows],
        "sentiment_confidence": [_confidence(r.get("sentiment_confidence")) for r in rows],
        "companies_stale": [False] * len(rows),
    }, schema=_ANALYSIS_SCHEMA)
    stage_rows = [(r["mention_id"], stage, float(score)) for r in rows for stage, score in r["stage_sentiment"].items()]
    stages = pa.table({
        "mention_id": [s[0] for s in stage_rows],
        "stage": [s[1] for s in stage_rows],
        "sentiment": [s[2] for s in stage_rows],
    }, schema=_STAGE_SCHEMA)
    con.register("_analysis_in", analysis)
    con.register("_stages_in", stages)
    try:
        with transaction(con):
            before = _counts(con) if keep_facts else None
            # only for mentions still stored: an analysis that read a batch while a forget or a purge deleted
            # some of it would otherwise store the erased posts' results, their sentences quoted in the
            # explanation, with nothing left to delete them by
            con.execute("INSERT OR REPLACE INTO analysis SELECT * FROM _analysis_in "
                        "WHERE mention_id IN (SELECT id FROM mentions)")
            con.execute("DELETE FROM analysis_stages WHERE mention_id IN (SELECT mention_id FROM _analysis_in)")
            con.execute("INSERT INTO analysis_stages SELECT * FROM _stages_in "
                        "WHERE mention_id IN (SELECT id FROM mentions)")
            if before is not None:
                _refresh_facts(con, "SELECT mention_id AS id FROM _analysis_in")
                _shift_stamp(con, before)
            if progress is not None:
                run_id, done, total = progress
                note_run_progress(con, run_id, done=done, total=total)
    finally:
        con.unregister("_analysis_in")
        con.unregister("_stages_in")
    return len(rows)


# --------------------------------------------------------------------------- cursors, hosts, runs

def get_cursor(con: duckdb.DuckDBPyConnection, source: str, key: str) -> Cursor | None:
    row = con.execute("SELECT value, etag, last_modified FROM cursors WHERE source = ? AND key = ?", [source, key]).fetchone()
    return Cursor(*row) if row else None


def get_cursors(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, Cursor]:
    """Every cursor of a source, by key (one read at the start of a run)."""
    rows = con.execute("SELECT key, value, etag, last_modified FROM cursors WHERE source = ?", [source]).fetchall()
    return {key: Cursor(*rest) for key, *rest in rows}


def set_cursor(con: duckdb.DuckDBPyConnection, source: str, key: str, cursor: Cursor) -> None:
    """Save a cursor. Call only after the data it covers is committed."""
    con.execute("""
        INSERT INTO cursors VALUES (?, ?, ?, ?, ?, now())
        ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, etag = excluded.etag,
            last_modified = excluded.last_modified, updated_at = excluded.updated_at
    """, [source, key, cursor.value, cursor.etag, cursor.last_modified])


def get_not_before(con: duckdb.DuckDBPyConnection, host: str) -> datetime | None:
    row = con.execute("SELECT not_before FROM host_state WHERE host = ?", [host]).fetchone()
    return row[0] if row else None


def set_not_before(con: duckdb.DuckDBPyConnection, host: str, when: datetime) -> None:
    con.execute("""
        INSERT INTO host_state VALUES (?, ?, now())
        ON CONFLICT (host) DO UPDATE SET not_before = excluded.not_before, updated_at = excluded.updated_at
    """, [host, _utc(when)])


def host_waits(con: duckdb.DuckDBPyConnection, *, now: datetime | None = None) -> list[tuple[str, datetime]]:
    """The hosts that asked us to wait and the time each may be called again, for those still ahead of ``now``,
    soonest first (what `hirepulse status` shows)."""
    return [(host, _utc(until)) for host, until in con.execute(
        "SELECT host, not_before FROM host_state WHERE not_before > ? ORDER BY not_before, host",
        [_utc(now or datetime.now(timezone.utc))]).fetchall()]


def clear_not_before(con: duckdb.DuckDBPyConnection, host: str) -> None:
    """Forget the wait ``host`` asked for (`hirepulse collect --clear-wait`): the next run calls it again."""
    con.execute("DELETE FROM host_state WHERE host = ?", [host])


def start_run(con: duckdb.DuckDBPyConnection, source: str, kind: str) -> int:
    """Record a run as started by this process (its id and host, for :func:`interrupted_runs`); returns its id for
    :func:`finish_run`."""
    return con.execute(
        "INSERT INTO runs (source, kind, started_at, status, pid, host) VALUES (?, ?, now(), 'running', ?, ?) "
        "RETURNING id", [source, kind, os.getpid(), HOST],
    ).fetchone()[0]


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, *, status: str, new: int = 0, updated: int = 0,
               skipped: int = 0, requests: int = 0, bytes_: int = 0, error: str | None = None,
               detail: dict[str, Any] | None = None) -> None:
    """Record how a run ended. The ``error`` is stored redacted, as posts are: the Health view, ``status`` and alerts
    show it, and an import's error may quote a cell holding an e-mail address or a phone number."""
    con.execute("""
        UPDATE runs SET finished_at = now(), status = ?, new_count = ?, updated_count = ?, skipped_count = ?,
            requests = ?, bytes = ?, error = ?, detail = ?
        WHERE id = ?
    """, [status, new, updated, skipped, requests, bytes_, redact(error), json.dumps(detail) if detail else None,
          run_id])


def note_run_progress(con: duckdb.DuckDBPyConnection, run_id: int, *, done: int, total: int) -> None:
    """Record how far a running run has come, ``done`` of ``total`` (its ``new_count`` and ``detail.total``), so
    that `hirepulse status` can tell while it runs; :func:`finish_run` then records how it ended."""
    con.execute("UPDATE runs SET new_count = ?, detail = ? WHERE id = ? AND status = 'running'",
                [done, json.dumps({"total": total}), run_id])


def interrupted_runs(con: duckdb.DuckDBPyConnection, *, now: datetime | None = None, source: str | None = None,
                     kind: str | None = None) -> dict[int, str]:
    """The runs recorded as running that are not: run id -> why they read as interrupted. A run whose process
    no longer runs on this host (killed, or the machine went down: it never recorded its end), and a run started
    more than :data:`RUN_STALE_HOURS` ago whose process cannot be asked (another host's, one /proc does not show,
    or none named: recorded before migration 0008). A run whose process this host shows running since before the
    run started is not interrupted however long it takes (an analysis of years of posts on a small machine). Only
    the runs of ``source`` and ``kind`` when given (only their processes are asked after). Works read-only, on a
    database of any version."""
    process = "pid, host" if _has_column(con, "runs", "pid") else "NULL, NULL"
    where = "".join(f" AND {column} = ?" for column, value in (("source", source), ("kind", kind)) if value is not None)
    rows = con.execute(f"SELECT id, started_at, {process} FROM runs WHERE status = 'running'{where}",
                       [value for value in (source, kind) if value is not None]).fetchall()
    stale = (now or datetime.now(timezone.utc)) - timedelta(hours=RUN_STALE_HOURS)
    found: dict[int, str] = {}
    for run_id, started_at, pid, host in rows:
        running = _still_running(pid, _utc(started_at)) if pid is not None and host == HOST else None
        if running is False:
            found[run_id] = INTERRUPTED_GONE
        elif running is None and _utc(started_at) < stale:
            found[run_id] = INTERRUPTED_STALE
    return found


def close_interrupted_runs(con: duckdb.DuckDBPyConnection, source: str, kind: str) -> int:
    """Record as errors ("interrupted: " and why) the runs of ``source`` and ``kind`` still marked running that are
    not: those :func:`interrupted_runs` finds, and this process's own, for a caller that makes one such run at a
    time and is about to start the next (a run whose end could not be recorded, the database busy, left its row
    behind). A run another live process is making is left to finish. Returns how many were closed."""
    closing = interrupted_runs(con, source=source, kind=kind)
    for (run_id,) in con.execute("SELECT id FROM runs WHERE status = 'running' AND source = ? AND kind = ? "
                                 "AND pid = ? AND host = ?", [source, kind, os.getpid(), HOST]).fetchall():
        closing.setdefault(run_id, INTERRUPTED_UNRECORDED)
    if not closing:
        return 0
    return len(con.execute(
        "UPDATE runs SET status = 'error', finished_at = now(), error = 'interrupted: ' || closing.why "
        "FROM (SELECT unnest(?::BIGINT[]) AS id, unnest(?::VARCHAR[]) AS why) AS closing "
        "WHERE runs.id = closing.id AND runs.status = 'running' RETURNING runs.id",
        [list(closing), list(closing.values())]).fetchall())


def _still_running(pid: int, since: datetime) -> bool | None:
    """Whether the process ``pid`` of this host, which recorded a run at ``since``, still runs. True: /proc (Linux)
    shows a process of that id, not a zombie, that started before ``since``, so not a later process given the same
    id (a container's hirepulse is process 1 after every restart). False: no process has that id, or /proc shows
    it a zombie or started after ``since``. None when it cannot be told: /proc does not show it (not Linux,
    another user's process hidden by ``hidepid``), or Windows, where nothing is asked (os.kill would end the
    process); the age bound decides then."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:   # (PermissionError: it exists, another user's)
        pass
    stat = _process_stat(pid)
    if stat is None:
        return None
    state, started = stat
    return state not in ("Z", "X") and started <= since.timestamp() + _CLOCK_SLACK_SECONDS


_BOOT_TIME: list[int] = []   # when this machine booted, once read (_boot_time)


def _boot_time() -> int | None:
    """When this machine booted (Unix time, whole seconds), from /proc/stat; None where /proc does not say. Kept
    once read (it does not change while the process runs); a read that failed is not: a dashboard or a scheduler
    that once found no file descriptor free would otherwise tell no run's process from a later one given its id
    until it restarts."""
    if not _BOOT_TIME:
        try:
            _BOOT_TIME.append(next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                                   if line.startswith("btime ")))
        except (OSError, StopIteration, IndexError, ValueError):
            return None
    return _BOOT_TIME[0]


def process_named(pid: int) -> str:
    """A process as a busy database's message names it: "process 4242 (hirepulse import)", its id alone where this
    host's /proc does not show it. Of its command line only the program is said (a Python interpreter's script or
    module), and for hirepulse its verb: not the other arguments, which may name a person's export file."""
    try:
        argv = [a for a in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0") if a]
    except OSError:
        argv = []
    program = _program(argv)
    return f"process {pid} ({program})" if program else f"process {pid}"


def _program(argv: list[str]) -> str:
    """The program of a command line, with hirepulse's verb: "hirepulse import", "streamlit", "python3 -c"."""
    if not argv:
        return ""
    name, rest = os.path.basename(argv[0]), argv[1:]
    if name.startswith("python"):
        while rest and rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
            rest = rest[1:]   # (the interpreter's own options: -u, -X dev, ...)
        if not rest:
            return name
        if rest[0] == "-c":
            return f"{name} -c"
        if rest[0] == "-m":
            name, rest = (rest[1] if len(rest) > 1 else name), rest[2:]
        else:
            name, rest = os.path.basename(rest[0]), rest[1:]
    if name not in ("hirepulse", "hirepulse.cli"):
        return name
    words = iter(rest)
    for word in words:
        if word in ("--db", "--config"):
            next(words, None)   # (its value)
        elif not word.startswith("-"):
            return f"hirepulse {word}"
    return "hirepulse"


def _process_stat(pid: int) -> tuple[str, float] | None:
    """The state letter of process ``pid`` and when it started (Unix time), from /proc; None where /proc does not
    show it (not Linux, or another user's process hidden by ``hidepid``)."""
    boot = _boot_time()
    if boot is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()   # (after the command's name)
        return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")   # field 22: clock ticks after boot
    except (OSError, IndexError, ValueError):
        return None


def imported_file_hashes(con: duckdb.DuckDBPyConnection) -> tuple[set[str], dict[tuple[str, str], str]]:
    """What import runs have read, by content (``detail.sha256``): the hashes of the files stored, and the
    (hash, options) pairs of the files refused (``detail.options``, how they were read), each with the error its
    latest refusal recorded, so a watched folder's file is read once per content, a refused one again once the
    file or its folder's options change, and named again with its error while it stays refused."""
    rows = con.execute("SELECT status = 'ok', json_extract_string(detail, '$.sha256'), "
                       "coalesce(json_extract_string(detail, '$.options'), ''), arg_max(error, id) FROM runs "
                       "WHERE kind = 'import' AND detail IS NOT NULL "
                       "AND json_extract_string(detail, '$.sha256') IS NOT NULL GROUP BY ALL").fetchall()
    return ({sha for ok, sha, _, _ in rows if ok},
            {(sha, options): error or "refused" for ok, sha, options, error in rows if not ok})


def record_run(con: duckdb.DuckDBPyConnection, source: str, kind: str, *, status: str, **counts: Any) -> int:
    """Record a finished run in one call (for jobs that run inside one connection)."""
    run_id = start_run(con, source, kind)
    finish_run(con, run_id, status=status, **counts)
    return run_id


PURGED_ERROR = "(the error's text was deleted after the retention period)"


def retention_cutoff(days: int, *, now: datetime | None = None) -> datetime:
    """The moment ``days`` days before ``now`` (default: now), before which retention counts a post as too old:
    :func:`purge_older_than` deletes the mentions dated (or first stored) before it and :func:`purge_run_errors`
    the error text of the runs that ended before it, and an import warns of the rows it brings in dated before it,
    which the next purge deletes."""
    return (now or datetime.now(timezone.utc)) - timedelta(days=days)


def purge(con: duckdb.DuckDBPyConnection, days: int) -> tuple[int, int]:
    """A retention run, as `hirepulse purge` and the scheduler's daily one make it: the mentions older than ``days``
    days (:func:`purge_older_than`) and the error text of the runs that ended before then
    (:func:`purge_run_errors`), recorded as a privacy run, all in one transaction. Returns (mentions, runs) purged.

    Raises:
        DeletedNotCheckpointed: purged, but the checkpoint after it failed (:func:`_checkpoint_after_deleting`).
    """
    with transaction(con):
        errors = purge_run_errors(con, days)
        count = _delete_older_than(con, days)
        record_run(con, "privacy", "purge", status="ok", skipped=count, detail={"older_than_days": days})
    _checkpoint_after_deleting(con, count, (count, errors))   # (it takes the old error text out of the WAL too)
    return count, errors


def purge_run_errors(con: duckdb.DuckDBPyConnection, days: int) -> int:
    """Replace the error text of runs that finished more than ``days`` days ago with :data:`PURGED_ERROR`, as
    ``purge`` deletes posts of that age: an import's error names a file's row and may once have quoted its cells.
    The runs stay (a watched folder knows the files it read, and refused, by them). Returns how many changed; the
    caller checkpoints, so that the old text leaves the WAL too (:func:`purge`: :func:`purge_older_than` does)."""
    cutoff = retention_cutoff(days)
    count = len(con.execute("UPDATE runs SET error = ? WHERE error IS NOT NULL AND error <> ? AND finished_at < ? "
                            "RETURNING id", [PURGED_ERROR, PURGED_ERROR, cutoff]).fetchall())
    if count:
        _owe_rewrite(con)   # (the old text stays in the file's free blocks until it is rewritten, as a post's)
    return count


def redact_stored(con: duckdb.DuckDBPyConnection, *, secrets: Sequence[str] = ()) -> tuple[int, int]:
    """Apply the current redaction (:func:`hirepulse.privacy.redact`) to every stored post's text and title and to
    every run's error text, for what an older version stored under rules that missed some addresses and numbers
    (or, for errors, before they were redacted at all). A post whose words change comes back to `hirepulse
    analyze` (its content hash moves) and keeps its label: it says the same with a number taken out. ``secrets``
    (credential values) are replaced by "[key]" in the errors: an older version could quote an API key there.
    Marks the file as owing a rewrite when anything changed, so the old words leave its free blocks too. Returns
    (posts, runs) changed."""

    def scrub(error: str) -> str:
        for secret in secrets:
            error = error.replace(secret, "[key]")
        return redact(error)

    posts = [(i, new_text, new_title) for i, text, title in
             con.execute("SELECT id, text, title FROM mentions").fetchall()
             for new_text, new_title in [(redact(text), redact(title) if title else title)]
             if new_text != text or new_title != title]
    runs = [(i, new) for i, error in con.execute("SELECT id, error FROM runs WHERE error IS NOT NULL").fetchall()
            for new in [scrub(error)] if new != error]
    with transaction(con):
        if posts:
            con.register("_redacted", pa.table({"id": [p[0] for p in posts], "text": [p[1] for p in posts],
                                                "title": [p[2] for p in posts]}))
            try:
                con.execute("UPDATE mentions SET text = r.text, title = r.title FROM _redacted r WHERE mentions.id = r.id")
                _rehash(con, "SELECT id FROM _redacted")
            finally:
                con.unregister("_redacted")
        if runs:
            con.register("_scrubbed", pa.table({"id": [r[0] for r in runs], "error": [r[1] for r in runs]}))
            try:
                con.execute("UPDATE runs SET error = r.error FROM _scrubbed r WHERE runs.id = r.id")
            finally:
                con.unregister("_scrubbed")
        if posts or runs:
            _owe_rewrite(con)
    return len(posts), len(runs)


def _rehash(con: duckdb.DuckDBPyConnection, ids_sql: str) -> None:
    """Store the content hash of the mentions ``ids_sql`` selects anew, after their words were changed in place:
    `hirepulse analyze` then reads them again."""
    con.execute(f"UPDATE mentions AS i SET content_hash = {_CONTENT_HASH_SQL} WHERE i.id IN ({ids_sql})")


def holds_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `hirepulse demo` filled this database with the synthetic sample (its run, source and kind "demo")."""
    return bool(con.execute("SELECT count(*) FROM runs WHERE source = 'demo' AND kind = 'demo'").fetchone()[0])


# --------------------------------------------------------------------------- privacy: erasure and retention

# The keys an erased mention id and an erased URL (without its closing slash) are remembered by: keyed with the
# salt (:func:`erasure_key`), so that no one holding the database can tell whether a given public post was erased
# on request by hashing its address. Versions before kept their plain SHA-256 (``sha256(value)``), which cannot be
# keyed again without the value: those are still matched, and replaced by the keyed form when an import, a fetch or
# a forget meets the value (:func:`_remember_values`, :func:`upsert_mentions`).
ERASURE_KEY_CHARS = 32


def erasure_key(kind: str, value: str, salt: str) -> str:
    """The salted key (HMAC-SHA256, :data:`ERASURE_KEY_CHARS` hex chars) an erasure of ``kind`` ("id" or "url")
    remembers ``value`` by; :func:`_erasure_key_sql` makes the same in SQL."""
    message = f"erasure\x1f{kind}\x1f{value}"
    return salted_hex(salt, message, ERASURE_KEY_CHARS)


def _erasure_key_sql(kind: str, expr: str) -> str:
    """:func:`erasure_key` of the SQL expressions ``kind`` and ``expr``, as HMAC-SHA256 spelled out (RFC 2104): it
    takes two parameters, :func:`_erasure_pads` of the salt, in that order (the salt is never written into the SQL)."""
    prefix = f"'erasure' || chr(31) || {kind} || chr(31)"
    return (f"substr(sha256(?::BLOB || unhex(sha256(?::BLOB || encode({prefix} || {expr})))), 1, "
            f"{ERASURE_KEY_CHARS})")


def _erasure_pads(salt: str) -> list[bytes]:
    """The HMAC's outer and inner padded keys made from the salt, the parameters of :func:`_erasure_key_sql`."""
    key = salt.encode("utf-8")
    key = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    return [bytes(b ^ 0x5C for b in key), bytes(b ^ 0x36 for b in key)]


# A post's address normalised, in SQL ({} is the column), the one definition stored addresses and those an erasure
# request names are read by (forget_posts, _erased_posts): without the scheme, a leading
# "www." or a closing slash, the host in lower case, and a Mastodon status's ActivityPub address
# (/users/NAME/statuses/ID) as its web address (/@NAME/ID). Paths keep their case: ids in them are case-sensitive.
_URL_NORM_SQL = (
    "regexp_replace(lower(regexp_extract({0}, '^[a-zA-Z]+://(?:www\\.)?([^/?#]*)', 1)) || "
    "regexp_replace(rtrim(regexp_replace({0}, '^[a-zA-Z]+://[^/?#]*', ''), '/'), "
    "'^/users/([^/]+)/statuses/([^/?#]+)$', '/@\\1/\\2'), '^$', {0})"
)
_BLUESKY_LINK = re.compile(r"https?://(?:www\.)?bsky\.app/profile/(did:[a-z]+:[\w.:%-]+)/post/([\w~.:-]+)/?")
# An erased post's words are remembered only when it has at least this many: a short text ("Great interview")
# is written the same way by many people, and its key would keep theirs out (:func:`content_key`).
CONTENT_KEY_MIN_WORDS = 8


def content_key(text: str | None, company: str | None, published_at: datetime | None, salt: str) -> str | None:
    """A salted key (HMAC-SHA256) of a post's stored (redacted) words, its company and its day (UTC), under which an
    erasure remembers the post, so that it is not stored again under another author spelling or id (an export
    that renames or drops its author column); None for a text of fewer than :data:`CONTENT_KEY_MIN_WORDS` words.
    Case and spacing do not count."""
    words = (text or "").split()
    if len(words) < CONTENT_KEY_MIN_WORDS or published_at is None:
        return None
    message = "\x1f".join(((company or "").casefold(), _utc(published_at).date().isoformat(), " ".join(words).casefold()))
    return salted_hex(salt, message, 32)


def _link_uri(url: str) -> str | None:
    """The ``at://`` URI a Bluesky post's link by the account's DID (or the URI itself) names: the stored id."""
    link = _BLUESKY_LINK.fullmatch(url)
    if link:
        return f"at://{link.group(1).lower()}/app.bsky.feed.post/{link.group(2)}"
    return url.rstrip("/") if url.startswith("at://") else None


def _remember_erasure(con: duckdb.DuckDBPyConnection, kind: str, keys_sql: str, params: Sequence[Any]) -> None:
    """Record what an erasure request named (:data:`ERASURES_DDL`), in the caller's transaction: the keys the
    query ``keys_sql`` (one column) selects, in one statement."""
    con.execute(f"INSERT INTO erasures SELECT DISTINCT ?, k, now() FROM ({keys_sql}) t(k) WHERE k IS NOT NULL "
                "ON CONFLICT DO NOTHING", [kind, *params])


def _remember_values(con: duckdb.DuckDBPyConnection, kind: str, values_sql: str, params: Sequence[Any],
                     salt: str) -> None:
    """Record the ids or URLs (``kind``) the query ``values_sql`` (one column) selects by their salted keys
    (:func:`erasure_key`), in the caller's transaction; an unsalted key a version before remembered one of them by
    is replaced by the salted one, keeping when it was requested."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _values AS SELECT DISTINCT v FROM ({values_sql}) t(v) "
                "WHERE v IS NOT NULL", list(params))
    try:
        con.execute(f"""
            INSERT INTO erasures
            SELECT ?, {_erasure_key_sql("?", "v.v")}, coalesce(e.requested_at, now())
            FROM _values v LEFT JOIN erasures e ON e.kind = ? AND e.key = sha256(v.v)
            ON CONFLICT DO NOTHING
        """, [kind, *_erasure_pads(salt), kind, kind])
        if con.execute("DELETE FROM erasures WHERE kind = ? AND key IN (SELECT sha256(v) FROM _values) RETURNING key",
                       [kind]).fetchall():
            _owe_rewrite(con)   # (the unsalted key stays in the file's free blocks until it is rewritten)
    finally:
        con.execute("DROP TABLE _values")


def _remember_contents(con: duckdb.DuckDBPyConnection, condition: str, params: list[Any], salt: str) -> None:
    """Remember the :func:`content_key` of each mention matching ``condition``, in the caller's transaction."""
    rows = con.execute(f"SELECT text, company, published_at FROM mentions WHERE {condition}", params).fetchall()
    keys = sorted({k for k in (content_key(*row, salt) for row in rows) if k})
    if keys:
        _remember_erasure(con, "content", "SELECT unnest(?)", [keys])


def forget_author(con: duckdb.DuckDBPyConnection, *keys: str, ids: Sequence[str] | None = None,
                  salt: str, record: bool = False) -> int:
    """Delete every mention by the author with these salted keys (one person, by every handle a source may have
    stored them under: `hirepulse forget --author`), its analysis, facts and label, and remember the keys, and
    the posts' ids and URLs (by salted keys: :func:`erasure_key`) and their words (:func:`content_key`), so that no
    later import or fetch stores the author's posts again, even under another handle (a renamed account) or none.
    A URL that posts by others share (an export's link to a company's review page) is not remembered: it would keep
    their posts out. With ``ids`` (the posts :func:`collectors.authors.resolve` found to be that author's), exactly
    those are deleted: a key may also be another person's on another source or site. ``record``: the erasure is
    recorded as a privacy run in the deletion's own transaction. Returns the count.

    Raises:
        DeletedNotCheckpointed: deleted, but the checkpoint after it failed (:func:`_checkpoint_after_deleting`).
    """
    check_salt(con, salt, record=False)   # (an erasure that matches nothing proves no salt)
    if ids is None:
        condition, params = "list_contains(?, author_key)", [list(keys)]
    else:
        condition, params = "list_contains(?, id)", [list(ids)]
    mine = f"SELECT {{}} FROM mentions WHERE {condition}"
    url = "rtrim(url, '/')"
    with transaction(con):
        _remember_erasure(con, "author", "SELECT unnest(?)", [list(keys)])
        _remember_values(con, "id", mine.format("id"), params, salt)
        _remember_values(con, "url", f"{mine.format(url)} EXCEPT SELECT {url} FROM mentions "
                                     f"WHERE NOT ({condition})", params * 2, salt)
        _remember_contents(con, condition, params, salt)
        count = _delete_mentions_where(con, condition, params)
        if record:
            record_run(con, "privacy", "forget", status="ok", new=0, skipped=count)
    return _checkpoint_after_deleting(con, count)


class DeletedNotCheckpointed(DatabaseError):
    """A deletion that is committed (what was deleted stays deleted, the file owes a rewrite, the run is recorded)
    whose checkpoint then failed (the disk full): DuckDB invalidates the connection then, so the caller reopens the
    file for what follows (:func:`ensure_erased` says what the file still holds). ``count``: mentions deleted;
    ``result``: what the function that deleted returns (its count, or purge's pair)."""

    def __init__(self, count: int, reason: str, result: Any = None) -> None:
        super().__init__(f"deleted {count} mention{'' if count == 1 else 's'}, but moving the deletion from DuckDB's "
                         f"log into the database file failed: {reason}")
        self.count = count
        self.result = count if result is None else result


def _checkpoint_after_deleting(con: duckdb.DuckDBPyConnection, count: int, result: Any = None) -> int:
    """Move a committed deletion from the WAL into the file, so the deleted words leave the WAL; returns ``count``.

    Raises:
        DeletedNotCheckpointed: the checkpoint failed; the deletion stands (raising a plain error would report a
            done erasure as failed, with no line of what was deleted).
    """
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise DeletedNotCheckpointed(count, _first_line(exc), result) from None
    return count


def _former_key(mention_id: str, salt: str) -> str:
    """The salted key :data:`MOVED_IDS_DDL` keeps a moved post's former id by."""
    return keyed_id(salt, "former", mention_id)


def forget_posts(con: duckdb.DuckDBPyConnection, *, ids: Sequence[str] = (), urls: Sequence[str] = (),
                 salt: str, record: bool = False) -> int:
    """Delete the mentions with these ids (``mentions.csv``'s ``id``) or at these URLs, with their analysis, facts
    and labels, as :func:`forget_author` does: an erasure request that names a post rather than its author. A URL
    matches in any of the forms :data:`_URL_NORM_SQL` reads as one (http or https, with or without "www." or a closing
    slash, a Mastodon status's /users/ address or its /@ one, a Bluesky link with the DID or the ``at://`` URI,
    which match the stored id). The ids and URLs (as given and normalised, and the ids of the posts found at the
    URLs) are remembered by salted keys (:func:`erasure_key`), and the posts' words (:func:`content_key`), so that a
    later import or fetch does not store the posts again. ``record`` and the error raised: as :func:`forget_author`.
    Returns the count."""
    check_salt(con, salt, record=False)   # (an erasure that matches nothing proves no salt)
    named = [u.strip() for u in urls if u.strip().rstrip("/")]
    given = sorted({u.rstrip("/") + end for u in named for end in ("", "/")})
    normal = sorted(n for (n,) in con.execute(f"SELECT DISTINCT {_URL_NORM_SQL.format('u')} FROM unnest(?::VARCHAR[]) t(u)",
                                              [named]).fetchall())
    natives = sorted({uri for uri in map(_link_uri, named) if uri})
    ids = [i.strip() for i in ids if i.strip()]
    if ids:   # an id from a mentions.csv written before the post moved to its keyed id
        moved = con.execute("SELECT id FROM moved_ids WHERE list_contains(?, former_key)",
                            [[_former_key(i, salt) for i in ids]]).fetchall()
        ids = sorted({*ids, *(new for (new,) in moved)})
    condition = (f"list_contains(?, id) OR list_contains(?, url) OR list_contains(?, native_id) "
                 f"OR list_contains(?, {_URL_NORM_SQL.format('url')}) "
                 f"OR list_contains(?, {_URL_NORM_SQL.format('native_id')})")
    params = [ids, given, natives, normal, normal]
    with transaction(con):
        _remember_values(con, "id", f"SELECT unnest(?) UNION SELECT id FROM mentions WHERE {condition}",
                         [ids, *params], salt)
        _remember_values(con, "url", "SELECT rtrim(u, '/') FROM unnest(?) t(u)", [given + normal], salt)
        _remember_contents(con, condition, params, salt)
        count = _delete_mentions_where(con, condition, params)
        if record:
            record_run(con, "privacy", "forget", status="ok", new=0, skipped=count)
    return _checkpoint_after_deleting(con, count)


def delete_mentions(con: duckdb.DuckDBPyConnection, mention_ids: list[str]) -> int:
    """Delete these mentions, their analysis, facts and labels, as :func:`forget_author` does, in the
    caller's transaction (collectors: content deleted upstream). Returns how many were deleted."""
    if not mention_ids:
        return 0
    return _delete_mentions_where(con, "list_contains(?, id)", [mention_ids])


def purge_older_than(con: duckdb.DuckDBPyConnection, days: int) -> int:
    """Delete mentions older than ``days`` days, their analysis, facts and labels. Returns the count.

    A mention's age counts from its date or from when it was first stored, whichever is earlier: a post
    dated in the future (a client's clock, a typo in an export: 2999-01-01) would otherwise never come of
    age, and retention would keep it for ever. A later edit or fetch does not move ``first_seen_at``."""
    with transaction(con):
        count = _delete_older_than(con, days)
    return _checkpoint_after_deleting(con, count)


def _delete_older_than(con: duckdb.DuckDBPyConnection, days: int) -> int:
    return _delete_mentions_where(con, "least(published_at, first_seen_at) < ?", [retention_cutoff(days)])


def _delete_mentions_where(con: duckdb.DuckDBPyConnection, condition: str, params: list[Any]) -> int:
    """Delete the mentions matching ``condition`` (a WHERE over ``mentions``) with everything derived
    from them (analysis, stages, the dashboard's facts, the team's labels), in the caller's transaction."""
    before = _counts(con)
    retitled = _drop_comment_titles(con)
    # the matching ids, found once: the facts and the three deletes below all read this list
    # (a failure rolls the caller's transaction back, the temp table with it)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _gone AS SELECT id FROM mentions WHERE {condition}", params)
    ids = "SELECT id FROM _gone"
    _refresh_facts(con, ids, reinsert=False)
    con.execute(f"DELETE FROM labels WHERE mention_id IN ({ids})")
    con.execute(f"DELETE FROM moved_ids WHERE id IN ({ids})")
    con.execute(f"DELETE FROM analysis_stages WHERE mention_id IN ({ids})")
    con.execute(f"DELETE FROM analysis WHERE mention_id IN ({ids})")
    count = len(con.execute(f"DELETE FROM mentions WHERE id IN ({ids}) RETURNING id").fetchall())
    con.execute("DROP TABLE _gone")
    _shift_stamp(con, before)
    if count or retitled:
        _owe_rewrite(con)   # (the deleted rows and titles stay in the file's free blocks until ensure_erased)
    return count


def _drop_comment_titles(con: duckdb.DuckDBPyConnection) -> int:
    """Clear the titles that comments were stored with before comments stopped keeping one, in the caller's
    transaction, with the analysis, stages and facts read from them; returns how many comments. The team's
    labels stay: they hold no text, and a label tells what the comment's own words say as much as before.

    Hacker News and Reddit gave a comment the title of its story or post, and a web page's comments the
    article's: another author's words, which stayed on the comments after that author's erasure (or the post's
    purge, or its deletion upstream). Which author a stored title came from cannot be told (Hacker News names
    no story author on a comment), so every erasure, purge and upstream deletion clears them all, once: no
    comment is stored with a title any more (:func:`mentions_table_from_columns`), so later calls find none.
    The comments come back to `hirepulse analyze` to be read from their own words.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE _retitled AS SELECT id FROM mentions "
                "WHERE kind = 'comment' AND title IS NOT NULL")
    try:
        count = con.execute("SELECT count(*) FROM _retitled").fetchone()[0]
        if count:
            ids = "SELECT id FROM _retitled"
            _refresh_facts(con, ids, reinsert=False)
            for table in ("analysis_stages", "analysis"):   # (the explanation quotes the title)
                con.execute(f"DELETE FROM {table} WHERE mention_id IN ({ids})")
            con.execute(f"UPDATE mentions SET title = NULL WHERE id IN ({ids})")
            _rehash(con, ids)
            from analysis.wording import fmt_count   # (here: analysis.wording reads hirepulse.db)

            log.info("cleared the post titles stored on %s by an earlier version", fmt_count(count, "comment"))
    finally:
        con.execute("DROP TABLE IF EXISTS _retitled")
    return count


# --------------------------------------------------------------------------- privacy: no trace left in the file
#
# A DELETE and a CHECKPOINT make DuckDB mark the blocks that held the deleted rows free, not overwrite them:
# the erased texts, URLs and explanations stay in the file (and in every copy or backup of it) until DuckDB
# happens to reuse those blocks. So every deletion done for privacy (erasure, retention, a post deleted at its
# source) records in the same transaction that the file owes a rewrite (:func:`_owe_rewrite`), and the command
# that deleted then calls :func:`ensure_erased`, which copies what is left into a new file and puts it in the
# old one's place. The mark lives in the file itself, so a rewrite that failed (no room for the copy) or never
# ran (the process was killed) is done by the next forget or purge, even one that deletes nothing.

REWRITE_HEADROOM = 64 * 1024 * 1024   # bytes left free on the disk beyond the copy: other writers need room too
REWRITE_SUFFIX = ".rewrite-tmp"       # the copy, beside the file until it takes the file's name
_REWRITE_POLL_SECONDS = 0.2           # how often the copy's progress is read, and a stop request looked for
_REWRITE_MARK = ("privacy", "__rewrite__")   # the cursors row: since when the file owes a rewrite
_REWRITE_ALIAS = "_hirepulse_rewrite"


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What :func:`ensure_erased` did: the file's size in bytes before and after, and how long it took."""

    before: int
    after: int
    seconds: float


_SALT_MARK = ("privacy", "__salt__")   # the cursors row: a keyed check of the salt the file's keys were made with


def _salt_check(salt: str) -> str:
    """What :data:`_SALT_MARK` holds for ``salt``: a key of a fixed message made with it, never the salt."""
    return salted_hex(salt, b"hirepulse salt check", 16)


def check_salt(con: duckdb.DuckDBPyConnection, salt: str, *, record: bool = True) -> None:
    """Refuse a salt other than the one this file's keys were made with; remember the first one that stores (only a
    keyed check of it: :data:`_SALT_MARK`), in the caller's transaction. ``record`` False: check only (a run about
    to fetch; an erasure, which may match nothing and so proves nothing about the salt).

    Every key hirepulse stores is made with the salt: authors, made ids, and what an erasure remembers. Under another
    salt (a mistyped or rotated environment variable) none of them match: an erased author's or post's next fetch
    would be stored again, and an erasure met by it re-keyed under the wrong salt, for good.

    Raises:
        DatabaseError: the file's keys were made with another salt.
    """
    recorded = salt_recorded(con, salt)
    if recorded is None:
        if record:
            con.execute("INSERT INTO cursors (source, key, value, updated_at) VALUES (?, ?, ?, now()) "
                        "ON CONFLICT DO NOTHING", [*_SALT_MARK, _salt_check(salt)])
    elif not recorded[0]:
        demo = (" (it holds the synthetic sample of `hirepulse demo`, written with the demo's salt: give your posts "
                "another --db)" if holds_demo(con) else "")
        raise DatabaseError("the privacy salt given is not the one this database's keys were made with (checked "
                            f"since {recorded[1]:%Y-%m-%d}): nothing stored or erased (under another salt, erased authors "
                            f"and posts would be stored again); set the salt this database was written with{demo}")


def salt_recorded(con: duckdb.DuckDBPyConnection, salt: str) -> tuple[bool, datetime] | None:
    """Whether ``salt`` is the one this file's check was recorded with, and since when; None when the file holds no
    check yet (the first run that stores records its salt)."""
    row = con.execute("SELECT value, updated_at FROM cursors WHERE source = ? AND key = ?", list(_SALT_MARK)).fetchone()
    if row is None:
        return None
    return row[0] == _salt_check(salt), _utc(row[1])


def drop_salt_check(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Forget the file's check of its salt (in the caller's transaction), so that the next run that stores records
    the salt it has; since when the dropped check held, None when there was none. Keys already made under the
    old salt stay as they are: an author or post erased under one salt is not recognised under another."""
    row = con.execute("DELETE FROM cursors WHERE source = ? AND key = ? RETURNING updated_at",
                      list(_SALT_MARK)).fetchone()
    return _utc(row[0]) if row else None


def _owe_rewrite(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the file as holding deleted data in its free blocks, in the caller's transaction (the first mark's
    time is kept: it says since when)."""
    con.execute("INSERT INTO cursors (source, key, value, updated_at) VALUES (?, ?, CAST(now() AS VARCHAR), now()) "
                "ON CONFLICT DO NOTHING", list(_REWRITE_MARK))


def rewrite_owed(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Since when the file holds deleted data that :func:`ensure_erased` has not yet rewritten away; None when
    it holds none."""
    row = con.execute("SELECT updated_at FROM cursors WHERE source = ? AND key = ?", list(_REWRITE_MARK)).fetchone()
    return _utc(row[0]) if row else None


def ensure_erased(path: str | os.PathLike[str], *, progress: Callable[[int, int], None] | None = None,
                  should_stop: Callable[[], bool] | None = None, headroom: int | None = None,
                  timeout: float | None = None) -> Rewrite | None:
    """Rewrite the database file when a deletion left data in its free blocks (:func:`rewrite_owed`), so that no
    byte of what was deleted survives in it; None when nothing is owed (the usual daily purge that deleted
    nothing costs one open).

    The tables are copied into a new file beside the old one (``<file>.rewrite-tmp``), which then takes the old
    one's name in one rename, with the old file's permissions (and owner and group where this user may set
    them). The old file is held open for writing the whole time: another process waits for it as for any
    writer and then opens the new file (the side lock keeps it from opening the old one across the rename:
    :func:`_side_lock`); this process's other threads wait too (:class:`_InProcess`). A failure
    or a crash before the rename leaves the old file as it was, still owing the rewrite. ``progress(done,
    total)`` is called with rows copied (first with 0); ``should_stop`` is asked between steps.

    Call it with no connection to the file open in this thread.

    Raises:
        DatabaseError: one line: the file is busy past ``timeout``, the disk has no room for the copy plus
            ``headroom`` bytes (default :data:`REWRITE_HEADROOM`), the copy failed, the old file's owner and
            group cannot be kept, or ``should_stop`` turned true; then the copy's name, when it could not be
            deleted either. What was deleted stays deleted; the file still holds traces of it until a later call
            succeeds. (Ctrl+C, or a bug, is raised as it is, with a copy not deleted in a note.)
    """
    if not database_exists(path):
        return None
    timeout = WRITE_LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    key = os.path.realpath(path)
    real = Path(key)   # (a symbolic link is followed: the file it names is the one that holds the traces)
    with ExitStack() as held:
        try:
            _IN_PROCESS.acquire_alone(key, deadline, Path(path))
            held.callback(_IN_PROCESS.release_alone, key)
            side = _side_lock(Path(key + LOCK_SUFFIX))
            if side is not None:   # (registered before the old file's connection, so closed, its lock with it, after)
                held.callback(os.close, side)
            con = held.enter_context(_open(real, False, deadline, timeout))
            # alone from now until the old file is closed, after the rename: no connection opens it meanwhile
            # (_side_lock). Taken once the old file is open, so that waiting for it keeps no reader out.
            _hold_alone(side, deadline, Path(path))
        except DatabaseError as exc:   # (busy: whether anything is owed cannot be read)
            # (still DatabaseBusy when busy: the scheduler retries a busy job within the half hour)
            raise type(exc)(f"could not rewrite {path} to remove what deleted data left in it: {exc}; the "
                            "next `hirepulse forget` or `hirepulse purge` will") from None
        _remove_copy(real)   # a copy a crash left behind holds data deleted since: never reused
        if rewrite_owed(con) is None:
            return None
        return _rewrite(con, real, progress, should_stop, REWRITE_HEADROOM if headroom is None else headroom)


def _copy_path(path: Path) -> Path:
    return path.with_name(path.name + REWRITE_SUFFIX)


def _remove_copy(path: Path) -> None:
    """Delete what an unfinished rewrite left beside ``path``.

    Raises:
        DatabaseError: it cannot be deleted (its folder is not writable): it may hold deleted data, so nothing is
            written until it goes.
    """
    left = _delete_copy(path)
    if left is not None:
        raise DatabaseError(_left_line(*left))


def _delete_copy(path: Path) -> tuple[Path, str] | None:
    """Delete what an unfinished rewrite left beside ``path``; the file that could not be deleted, and why, if one
    could not."""
    for leftover in (_copy_path(path), Path(f"{_copy_path(path)}.wal")):
        if leftover.is_file():
            try:
                leftover.unlink()
            except OSError as exc:
                return leftover, exc.strerror or str(exc)
    return None


def _left_line(leftover: Path, why: str) -> str:
    return (f"cannot delete {leftover}, the copy an unfinished rewrite of the database left (it may hold deleted "
            f"data): {why}")


class _Unfinished(Exception):
    """Why a rewrite stopped before its rename, for :func:`_rewrite` to say in its one line (:func:`_traces_left`)."""


def _rewrite(con: duckdb.DuckDBPyConnection, path: Path, progress: Callable[[int, int], None] | None,
             should_stop: Callable[[], bool] | None, headroom: int) -> Rewrite:
    """:func:`ensure_erased`'s copy and swap, on its connection to the old file."""
    started = time.monotonic()
    try:
        con.execute("CHECKPOINT")   # everything in the file itself, none in the WAL (which the new file must not get)
    except duckdb.Error as exc:   # (the disk full: the file cannot take the WAL's changes, let alone be copied)
        raise _traces_left(path, _first_line(exc)) from None
    name = con.execute("SELECT current_database()").fetchone()[0]
    used = con.execute("SELECT used_blocks * block_size FROM pragma_database_size() WHERE database_name = ?",
                       [name]).fetchone()[0]
    free = shutil.disk_usage(path.parent).free
    if free < used + headroom:
        raise _traces_left(path, f"rewriting it needs about {_size(used + headroom)} free in {path.parent} "
                                 f"({_size(free)} free)")
    before = path.stat()
    copy = _copy_path(path)
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                         "AND NOT temporary ORDER BY schema_name, table_name", [name]).fetchall()
    log.info("rewriting %s (%s) so that no deleted data survives in it", path, _size(before.st_size))
    attached = False
    try:
        con.execute(f"ATTACH {_sql_string(str(copy))} AS {_REWRITE_ALIAS}")
        attached = True
        total = sum(con.execute(f"SELECT count(*) FROM {_sql_name(name)}.{_sql_name(schema)}.{_sql_name(table)}")
                    .fetchone()[0] for schema, table in tables)
        if progress:
            progress(0, total)
        if should_stop and should_stop():
            raise _Unfinished("stopped before the rewrite finished")
        # One statement copies the schema, the sequences and the rows: table by table in row groups took twice
        # as long and three times the memory (one transaction holding every chunk; bench/erase.py). Its progress
        # is read from another thread, which also interrupts it when asked to stop.
        with _watched(con, total, progress, should_stop) as stopped:
            try:
                con.execute(f"COPY FROM DATABASE {_sql_name(name)} TO {_REWRITE_ALIAS}")
            except duckdb.InterruptException:
                if stopped():
                    raise _Unfinished("stopped before the rewrite finished") from None
                raise
        if progress:
            progress(total, total)
        con.execute(f"DELETE FROM {_REWRITE_ALIAS}.main.cursors WHERE source = ? AND key = ?", list(_REWRITE_MARK))
        con.execute(f"DETACH {_REWRITE_ALIAS}")   # (checkpoints the copy: all of it in the file, no WAL)
        attached = False
        _swap(path, copy, before)
    except BaseException as exc:   # (Ctrl+C too: the old file is intact, the copy goes)
        with suppress(duckdb.Error):
            if attached:
                con.execute(f"DETACH {_REWRITE_ALIAS}")
        # a copy that cannot be deleted either (the folder turned read-only: the cause of the failure, often) is
        # said after the failure, not instead of it
        left = _delete_copy(path)
        if isinstance(exc, _Unfinished):
            reason = str(exc)
        elif isinstance(exc, duckdb.Error):
            reason = f"the copy failed: {str(exc).splitlines()[0]}"
        elif isinstance(exc, OSError):
            reason = f"the copy failed: {exc.strerror or exc}"
        else:   # (Ctrl+C, or a bug: raised as it is, the copy it left in a note)
            if left is not None:
                exc.add_note(_left_line(*left))
            raise
        raise _traces_left(path, reason, left) from None
    after = path.stat().st_size
    log.info("rewrote %s: %s, was %s", path, _size(after), _size(before.st_size))
    return Rewrite(before=before.st_size, after=after, seconds=time.monotonic() - started)


@contextmanager
def _watched(con: duckdb.DuckDBPyConnection, total: int, progress: Callable[[int, int], None] | None,
             should_stop: Callable[[], bool] | None) -> Iterator[Callable[[], bool]]:
    """While the caller runs one long statement on ``con``: pass its progress on as rows of ``total`` and
    interrupt it when ``should_stop`` turns true, from a thread that looks every :data:`_REWRITE_POLL_SECONDS`.
    Yields whether it interrupted."""
    done = threading.Event()
    interrupted = threading.Event()
    if progress:   # (tracked, not drawn: _open turned DuckDB's own bar off)
        con.execute("SET enable_progress_bar = true")
        con.execute("SET progress_bar_time = 0")
    shown = 0

    def watch() -> None:
        nonlocal shown
        while not done.wait(_REWRITE_POLL_SECONDS):
            if should_stop and should_stop():
                interrupted.set()
                con.interrupt()
                return
            if progress:
                # percent of the table being copied (-1 between tables): a rough share, never shown going back
                share = con.query_progress()
                if share > 0 and int(total * share / 100) > shown:
                    shown = min(total, int(total * share / 100))
                    progress(shown, total)

    watcher = threading.Thread(target=watch, name="hirepulse-rewrite-progress", daemon=True)
    watcher.start()
    try:
        yield interrupted.is_set
    finally:
        done.set()
        watcher.join()


def _swap(path: Path, copy: Path, before: os.stat_result) -> None:
    """Put the finished ``copy`` in ``path``'s place in one rename, durable, with the old file's permissions.

    Raises:
        _Unfinished: a WAL file is left beside the copy or the old file (the new file must not get one), or
            the copy cannot get the old file's owner and group (the service that runs hirepulse could lose
            access to its own database).
        OSError: the file system refused.
    """
    for wal in (Path(f"{copy}.wal"), Path(f"{path}.wal")):
        if wal.exists() and wal.stat().st_size:
            raise _Unfinished(f"{wal} is not empty after a checkpoint; the file was left as it was")
    fd = os.open(copy, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(copy, stat.S_IMODE(before.st_mode))
    made = copy.stat()
    if (made.st_uid, made.st_gid) != (before.st_uid, before.st_gid):
        with suppress(PermissionError):   # (root may; another user only to a group it belongs to, its own file)
            os.chown(copy, before.st_uid, before.st_gid)
        made = copy.stat()
        if (made.st_uid, made.st_gid) != (before.st_uid, before.st_gid):
            raise _Unfinished(f"the rewritten file cannot keep the owner and group of the old one "
                              f"({before.st_uid}:{before.st_gid}): run the command as its owner or as root")
    os.replace(copy, path)
    try:   # (so that the rename itself survives a power cut; it is done either way)
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.warning("%s: could not flush the folder after the rename: %s", path, exc)


def _first_line(exc: duckdb.Error) -> str:
    """A DuckDB error's first line without its kind: "Failed to create checkpoint because of error: ..."."""
    return re.sub(r"^(FATAL|IO) Error: ", "", (str(exc).splitlines() or [type(exc).__name__])[0])


def _traces_left(path: Path, reason: str, left: tuple[Path, str] | None = None) -> DatabaseError:
    """The one line for a rewrite not done: why (``reason``, first), and the copy it could not delete (``left``:
    the file and why), which keeps every writer out until it goes (:func:`connect`)."""
    then = "the next `hirepulse forget` or `hirepulse purge` rewrites it"
    if left is not None:
        leftover, why = left
        then = (f"the unfinished copy {leftover} could not be deleted either ({why}): delete it (it may hold deleted "
                f"data, and no hirepulse command writes to the database while it is there), then {then}")
    return DatabaseError(f"{path} still holds traces of deleted data: {reason}; {then}")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _size(n: float) -> str:
    """A byte count for people: 2.9 MB."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"


# --------------------------------------------------------------------------- labels: the team's own reading
#
# Labels feed ``hirepulse adapt`` in the format ``analysis.evaluation.read_labelled`` reads; their values and
# the text a label describes come from the shared core (``hirepulse.models``), as the analyzer's do.


def has_labels(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the ``labels`` table exists (a read-only connection to a database older than it sees none)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'labels'").fetchone()[0])


def save_label(con: duckdb.DuckDBPyConnection, mention_id: str, *, is_candidate_experience: bool, sentiment: str,
               stages: Sequence[str] = (), consumer_link: bool = False) -> None:
    """Store (or replace) the team's label of one mention, stamped now.

    Raises:
        ValueError: one line naming the bad value: an unknown mention, a sentiment other than negative,
            neutral or positive, a stage outside the six, stages on a post that is not a candidate
            experience, or a yes/no answer that is not a bool.
    """
    if not isinstance(is_candidate_experience, bool):
        raise ValueError("is_candidate_experience must be true or false")
    if not isinstance(consumer_link, bool):
        raise ValueError("consumer_link must be true or false")
    if sentiment not in SENTIMENT_LABELS:
        raise ValueError(f"sentiment must be one of {', '.join(SENTIMENT_LABELS)} (got {sentiment!r})")
    if isinstance(stages, str):
        raise ValueError("stages must be a list of hiring stages")
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage {unknown[0]!r} (stages are {', '.join(STAGES)})")
    if stages and not is_candidate_experience:
        raise ValueError("stages must be empty when the post is not a candidate experience")
    row = con.execute("SELECT text FROM mentions WHERE id = ?", [mention_id]).fetchone()
    if row is None:
        raise ValueError(f"no mention {mention_id!r} to label")
    if not row[0].strip():
        raise ValueError(f"mention {mention_id!r} has no text to label")
    ordered = [s for s in STAGES if s in set(stages)]
    con.execute("""
        INSERT INTO labels VALUES (?, ?, ?, ?, ?, now())
        ON CONFLICT (mention_id) DO UPDATE SET is_candidate_experience = excluded.is_candidate_experience,
            sentiment = excluded.sentiment, stages = excluded.stages, consumer_link = excluded.consumer_link,
            labelled_at = excluded.labelled_at
    """, [mention_id, is_candidate_experience, sentiment, ordered, consumer_link])


def delete_label(con: duckdb.DuckDBPyConnection, mention_id: str) -> bool:
    """Remove the label of one mention (an undo); returns whether there was one."""
    return bool(con.execute("DELETE FROM labels WHERE mention_id = ? RETURNING mention_id", [mention_id]).fetchall())


def label_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many mentions carry a label (0 on a database older than the labels)."""
    return con.execute("SELECT count(*) FROM labels").fetchone()[0] if has_labels(con) else 0


def newest_label(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the newest label was saved (UTC); None without labels."""
    if not has_labels(con):
        return None
    newest = con.execute("SELECT max(labelled_at) FROM labels").fetchone()[0]
    return _utc(newest) if newest is not None else None


def label_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The labels counted: ``posts``, ``candidate_experiences``, ``sentiment`` (label -> count, all three),
    ``stages`` (stage -> count, all six), ``consumer_links``."""
    summary: dict[str, Any] = {"posts": 0, "candidate_experiences": 0, "sentiment": dict.fromkeys(SENTIMENT_LABELS, 0),
                               "stages": dict.fromkeys(STAGES, 0), "consumer_links": 0}
    if not has_labels(con):
        return summary
    posts, candidate, links = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE is_candidate_experience), count(*) FILTER (WHERE consumer_link)
        FROM labels""").fetchone()
    summary.update(posts=posts, candidate_experiences=candidate, consumer_links=links)
    for label, n in con.execute("SELECT sentiment, count(*) FROM labels GROUP BY 1").fetchall():
        summary["sentiment"][label] = n
    for stage, n in con.execute("SELECT stage, count(*) FROM (SELECT unnest(stages) AS stage FROM labels) GROUP BY 1").fetchall():
        summary["stages"][stage] = n
    return summary


def labelled_posts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every labelled mention in the format ``analysis.evaluation.read_labelled`` reads (``id``, ``text``,
    ``sentiment``, ``is_candidate_experience``, ``stages``, ``consumer_link``), ordered by id. The text is
    the stored (redacted) title and body joined as ``hirepulse analyze`` scores them."""
    if not has_labels(con):
        return []
    rows = con.execute("""
        SELECT l.mention_id, m.title, m.text, l.sentiment, l.is_candidate_experience, l.stages, l.consumer_link
        FROM labels l JOIN mentions m ON m.id = l.mention_id
        ORDER BY l.mention_id
    """).fetchall()
    return [{"id": mid, "text": text_for_analysis(title, text), "sentiment": sentiment,
             "is_candidate_experience": bool(ce), "stages": list(stages), "consumer_link": bool(link)}
            for mid, title, text, sentiment, ce, stages, link in rows if text.strip()]


def labelled_jsonl(posts: Sequence[dict[str, Any]]) -> bytes:
    """Labelled posts as the JSON-lines file ``hirepulse labels export`` writes (UTF-8, one object a line);
    ``hirepulse adapt`` hashes the same bytes when it reads the labels from the database."""
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts).encode("utf-8")


def recent_labels(con: duckdb.DuckDBPyConnection, *, limit: int = 10) -> list[dict[str, Any]]:
    """The latest labels, newest first, each with its mention's date, company, source, title and text."""
    if not has_labels(con):
        return []
    cursor = con.execute(f"""
        SELECT l.mention_id AS id, l.labelled_at, l.is_candidate_experience, l.sentiment, l.stages, l.consumer_link,
               m.published_at, COALESCE(m.company, a.companies[1]) AS company, m.source, m.title, m.text
        FROM labels l JOIN mentions m ON m.id = l.mention_id LEFT JOIN analysis a ON a.mention_id = m.id
        ORDER BY l.labelled_at DESC, l.mention_id
        LIMIT {int(limit)}
    """)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


_LABEL_READINGS_SQL = """
    SELECT l.mention_id AS id, l.labelled_at, l.sentiment, l.is_candidate_experience, l.stages, l.consumer_link,
           a.mention_id IS NOT NULL AS analysed, a.analyzer_version, a.sentiment AS read_sentiment,
           a.is_candidate_experience AS read_is_candidate_experience, a.stages AS read_stages,
           a.consumer_link AS read_consumer_link, {confidence} AS read_sentiment_confidence{texts}
    FROM labels l {join} LEFT JOIN analysis a ON a.mention_id = l.mention_id
"""


def _label_readings(con: duckdb.DuckDBPyConnection, where: str = "", params: Sequence[Any] = (), *,
                    texts: bool = True) -> list[dict[str, Any]]:
    if not has_labels(con):
        return []
    # (without the texts, no mention is read: a label goes with its mention, so every label has one)
    sql = _LABEL_READINGS_SQL.format(texts=", m.title, m.text" if texts else "",
                                     confidence=sentiment_confidence_sql(con, "a"),
                                     join="JOIN mentions m ON m.id = l.mention_id" if texts else "")
    cursor = con.execute(sql + where + " ORDER BY l.mention_id", list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def label_reading(con: duckdb.DuckDBPyConnection, mention_id: str) -> dict[str, Any] | None:
    """One labelled mention's label next to the analyzer's reading of it (``analysed`` False when it has
    none): ``sentiment`` / ``is_candidate_experience`` / ``stages`` / ``consumer_link`` are the label's,
    the same with ``read_`` in front the analyzer's (its sentiment a score in [-1, 1]; ``analyzer_version``
    the version that read it; ``read_sentiment_confidence`` how sure its tone reading is, 0 to 1, None when not
    stored), ``labelled_at``, and the post's ``title`` and ``text``. None without a label."""
    found = _label_readings(con, "WHERE l.mention_id = ?", [mention_id])
    return found[0] if found else None


def label_readings(con: duckdb.DuckDBPyConnection, *, since: datetime | None = None,
                   texts: bool = True) -> list[dict[str, Any]]:
    """Every label (``since``: saved after that moment) next to the analyzer's reading, as
    :func:`label_reading` gives one, ordered by id; without ``texts``, no title or text (the agreement
    figures need none, and a thousand posts' texts are most of what such a read would fetch)."""
    if since is None:
        return _label_readings(con, texts=texts)
    return _label_readings(con, "WHERE l.labelled_at > ?", [since], texts=texts)
