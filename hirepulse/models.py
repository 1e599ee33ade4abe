"""The record every collector and importer produces.

A :class:`Mention` is what a source said, as fetched: raw and unanalysed. It lives in the shared
core so that :mod:`hirepulse.db` can store it without importing the collectors.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone


# The vocabulary of a reading, shared by the analyzer (analysis.stages, analysis.evaluation), the stored labels
# (hirepulse.db) and the classify contract.
STAGES: tuple[str, ...] = ("application", "screening", "interview", "offer", "rejection", "onboarding")
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
# A review site's own verdict on an interview ("Interview experience: Negative") given as a rating: a rating of
# three steps, 1, 2 or 3 out of VERDICT_SCALE, read for tone whatever scale numbers are given on (its words name
# its scale, as a number's cannot). Read by `hirepulse import` and `hirepulse classify`.
VERDICTS: dict[str, float] = {label: float(k) for k, label in enumerate(SENTIMENT_LABELS, start=1)}
VERDICT_SCALE = 3.0
_VERDICT = re.compile(r"\s*(negative|neutral|positive)(?:\s+experience)?\s*", re.IGNORECASE)


def verdict_rating(value: object) -> float | None:
    """A verdict word ("Positive", "negative experience", any case) as its rating out of :data:`VERDICT_SCALE`;
    None for anything else."""
    m = _VERDICT.fullmatch(value) if isinstance(value, str) else None
    return VERDICTS[m.group(1).lower()] if m else None


def text_for_analysis(title: str | None, text: str) -> str:
    """A post's title and body as the one text the analyzer scores (``hirepulse analyze``) and a label
    describes (``hirepulse labels export``); a title that is already the start of the body is not repeated."""
    if title and not text.startswith(title):
        sep = "" if title.rstrip().endswith((".", "!", "?", ":")) else "."
        return f"{title.rstrip()}{sep} {text}"
    return text


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Mention:
    """One post, comment, review, survey answer or article about a company.

    ``author`` is the handle exactly as the source shows it. It never reaches storage:
    :func:`hirepulse.db.upsert_mentions` keeps only a salted hash of it, and redacts e-mail
    addresses and phone numbers from ``title`` and ``text``.
    """

    source: str                      # stable source id: "hackernews", "survey", ...
    native_id: str                   # the source's own id, or hash_id() of identifying fields
    text: str
    published_at: datetime           # timezone-aware; stored as UTC
    url: str | None = None
    company: str | None = None       # the company queried for, or named by the import
    title: str | None = None
    author: str | None = None        # raw handle, hashed on the way into the database
    lang: str | None = None
    query: str | None = None         # the query that found it
    kind: str | None = None          # story, comment, status, question, review, survey, article, ...
    stage_hint: str | None = None    # a hiring stage stated by the source (survey exports)
    rating: float | None = None
    rating_scale: float | None = None  # what ``rating`` is out of (an import's --rating-scale); None: not read
    fetched_at: datetime = field(default_factory=utcnow)

    @property
    def id(self) -> str:
        return mention_id(self.source, self.native_id)


def mention_id(source: str, native_id: str) -> str:
    """The stable id of a mention across the database, reports and ``classify``."""
    return f"{source}:{native_id}"


def hash_id(*parts: object) -> str:
    """A stable id from identifying fields, for records without a native id (sqlite-utils' idea)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]
