"""The record every collector and importer produces.

A :class:`Mention` is what a source said, as fetched: raw and unanalysed. It lives in the shared
core so that :mod:`hirepulse.db` can store it without importing the collectors.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone


# The vocabulary of a reading, shared by the analyzer (analysis.stages, analysis.evaluation), the stored labels
# (hirepulse.db) and the classify contract.
STAGES: tuple[str, ...] = ("application", "screening", "interview", "offer", "rejection", "onboarding")
# The fields an import fills from a file's columns (collectors.imports; the config's [[imports]] maps to them).
IMPORT_FIELDS: tuple[str, ...] = ("text", "published_at", "url", "company", "author", "stage", "rating", "id", "title")
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
# A review site's own verdict on an interview ("Interview experience: Negative") given as a rating: a rating of
# three steps, 1, 2 or 3 out of VERDICT_SCALE, read for tone whatever scale numbers are given on (its words name
# its scale, as a number's cannot). Read by `hirepulse import` and `hirepulse classify`.
VERDICTS: dict[str, float] = {label: float(k) for k, label in enumerate(SENTIMENT_LABELS, start=1)}
# a stage cell's or option's common names for the six stages (case, hyphens and spacing aside): what candidates,
# surveys and applicant-tracking systems call them
STAGE_SYNONYMS = {
    "applied": "application", "apply": "application", "applying": "application",
    # ("phone_screen": a tracking system's field value; stage_key keeps underscores, so it is a key of its own)
    "screen": "screening", "phone screen": "screening", "recruiter screen": "screening", "phone_screen": "screening",
    "interviews": "interview", "onsite": "interview", "final interview": "interview", "technical interview": "interview",
    "offers": "offer", "negotiation": "offer",
    "rejected": "rejection", "declined": "rejection", "ghosted": "rejection",
    "onboard": "onboarding", "orientation": "onboarding", "first day": "onboarding",
    # the default steps of common applicant-tracking systems, whose names a candidate survey's stage column
    # carries: "Application Review", "Preliminary Phone Screen", "Face to Face", "On-site Interview"
    "application review": "application", "resume review": "application", "new applicant": "application",
    "preliminary phone screen": "screening", "phone screening": "screening", "assessment": "screening",
    "online assessment": "screening", "phone interview": "interview", "video interview": "interview",
    "face to face": "interview", "on site": "interview", "on site interview": "interview",
    "onsite interview": "interview", "panel interview": "interview", "hiring manager interview": "interview",
    "final round": "interview", "offer extended": "offer",
    # an interview review's outcome, as review sites ask it: the step where the process ended
    "accepted offer": "offer", "declined offer": "offer", "offer accepted": "offer", "offer declined": "offer",
    "no offer": "rejection", "not selected": "rejection",
}


def unknown_stage(value: str, *, cell: bool = False) -> str:
    """The error for a stage that :func:`normalise_stage` does not know (a stage cell, or ``--stage``)."""
    hint = f"; name the stage it means with --stage-values '{value}=STAGE'" if cell else ""
    return f"unknown stage {value!r} (stages: {', '.join(STAGES)}{hint})"


def stage_key(value: str) -> str:
    """A stage name as :data:`STAGE_SYNONYMS` and a file's own step names are keyed: lower case, hyphens as spaces,
    single spaces ("On-site  Interview" -> "on site interview")."""
    return " ".join(value.lower().replace("-", " ").split())


def normalise_stage(value: str, own: Mapping[str, str] | None = None) -> str | None:
    """A stage name or a common synonym, case-insensitive, to one of :data:`STAGES`; ``own`` first, the file's own
    names for its steps (``--stage-values``, ``stage_values`` of an ``[[imports]]`` table)."""
    key = stage_key(value)
    if own and key in own:
        return own[key]
    if key in STAGES:
        return key
    return STAGE_SYNONYMS.get(key)


VERDICT_SCALE = 3.0
_VERDICT = re.compile(r"\s*(negative|neutral|positive)(?:\s+experience)?\s*", re.IGNORECASE)
# "3,5": a rating written with the decimal comma of a European spreadsheet (a rating has no thousands)
_DECIMAL = re.compile(r"\s*\d+,\d+\s*")


def verdict_rating(value: object) -> float | None:
    """A verdict word ("Positive", "negative experience", any case) as its rating out of :data:`VERDICT_SCALE`;
    None for anything else."""
    m = _VERDICT.fullmatch(value) if isinstance(value, str) else None
    return VERDICTS[m.group(1).lower()] if m else None


# A rating in words or with its own scale, as exports and survey tools write them. A survey tool's scale of
# words ("Very poor" ... "Excellent", named by the user lowest first, `--rating-words`) is read as stars: its
# lowest word 1 of WORD_SCALE, its highest 5, the rest evenly between, so a scale of any length splits about its
# middle as a five-star one does (two words: 1 and 5; four: 1, 2.33, 3.67, 5).
WORD_SCALE = 5.0
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_OUT_OF = re.compile(rf"\s*{_NUMBER}\s*(?:/|out\s+of|of)\s*{_NUMBER}(?:\s*(?:stars?|points?))?\s*", re.IGNORECASE)
_GLYPHS = re.compile("\\s*(\u2605+)(\u2606*)\\s*")  # "★★★★☆": filled, then empty stars (five if no empty one)
_LABELLED = re.compile(rf"\s*{_NUMBER}\s*(?:[-\u2013\u2014:.)]|\(|\s)\s*[^\W\d_].*", re.DOTALL)  # "4 - Good"


def _words_key(word: str) -> str:
    return " ".join(word.split()).casefold()


def word_scale(words: tuple[str, ...] | list[str]) -> dict[str, float]:
    """A scale of words, lowest first, as each word's rating out of :data:`WORD_SCALE` (keys case- and
    space-folded, for :func:`read_rating`). At least two distinct words."""
    if len(words) < 2:
        raise ValueError("a scale of words needs at least two words")
    keys = [_words_key(w) for w in words]
    if len(set(keys)) != len(keys) or not all(keys):
        raise ValueError("a scale of words needs distinct, non-empty words")
    top = len(keys) - 1
    return {key: round(1.0 + (WORD_SCALE - 1.0) * k / top, 2) for k, key in enumerate(keys)}


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def read_rating(text: str, words: dict[str, float] | None = None) -> tuple[float, float | None] | None:
    """A rating cell's text as (rating, the scale it is out of), or None when it holds no rating.

    Read in this order: a word of ``words`` (:func:`word_scale`), a verdict (:func:`verdict_rating`), a bare
    number ("4", "3,5", "-1": scale None, for the caller's --rating-scale to govern), a number with its own
    scale ("4/5", "8 out of 10", "4 of 5 stars"), star glyphs ("★★★★☆"), and a number with a label ("4 - Good",
    "5 (Very satisfied)": the number, scale None). A number is not checked against its scale here.
    """
    if words:
        rating = words.get(_words_key(text))
        if rating is not None:
            return rating, WORD_SCALE
    verdict = verdict_rating(text)
    if verdict is not None:
        return verdict, VERDICT_SCALE
    try:
        return float(text.strip().replace(",", ".") if _DECIMAL.fullmatch(text) else text), None
    except ValueError:
        pass
    if m := _OUT_OF.fullmatch(text):
        return _number(m.group(1)), _number(m.group(2))
    if m := _GLYPHS.fullmatch(text):
        filled, empty = len(m.group(1)), len(m.group(2))
        if empty or filled <= 5:
            return float(filled), float(filled + empty) if empty else 5.0
        return None
    if m := _LABELLED.fullmatch(text):
        return _number(m.group(1)), None
    return None


def rating_in_scale(rating: float, scale: float) -> bool:
    """Whether ``rating`` is a score from 0 to ``scale``, and ``scale`` a scale (:func:`rating_scale_problem`): the
    one test of a rating read by `hirepulse import` and `hirepulse classify`, for a scale the rating names ("4/5")
    or one given with it (--rating-scale). NaN is no score; a scale written with 400 digits is infinite, no scale."""
    return rating_scale_problem(scale) is None and 0 <= rating <= scale


def rating_words_problem(words: tuple[str, ...] | list[str]) -> str | None:
    """Why these words are no scale of words for ``--rating-words`` or ``rating_words`` (None: they are one)."""
    try:
        word_scale(words)
    except ValueError as exc:
        return f"{exc}, lowest first, e.g. Poor, Fair, Good, Very good, Excellent"
    for word in words:  # (the verdicts may be words of a longer scale: "Very negative,Negative,...")
        if read_rating(word) is not None and verdict_rating(word) is None:
            return f"{word!r} is already a rating (a number or stars), not a word"
    return None


# An import's source label (--source, an [[imports]] table's source): stored with each of its rows, and the first
# part of every mention id ("survey:r1"), so short and plain
_SOURCE_LABEL = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def source_label_problem(label: str) -> str | None:
    """Why ``label`` is no source label for ``--source`` or an ``[[imports]]`` table's ``source`` (None: it is one).
    Matched whole, so a label that ends in a line break ("survey\\n", from a script) is none."""
    if _SOURCE_LABEL.fullmatch(label):
        return None
    return f"source label {label!r} must be lowercase letters, digits, - or _, a letter first and 40 at most"


def rating_scale_problem(value: float) -> str | None:
    """Why ``value`` is no scale for ``--rating-scale`` or ``rating_scale``: the highest rating possible, a finite
    number above 0 (None: it is one). An infinite scale would read every rating as 0 of it, the worst score."""
    if not math.isfinite(value) or value <= 0:
        return f"{value:g} is not a scale: give the highest rating possible, e.g. 5 for stars or 10 for a 0-10 survey"
    return None


def encoding_problem(value: str) -> str | None:
    """Why ``value`` is no text encoding Python knows, for ``--encoding`` or ``encoding`` (None: it is one)."""
    try:
        "".encode(value)  # (LookupError for an unknown name, and for a codec that is no text encoding: base64)
    except LookupError:
        return f"unknown text encoding {value!r} (e.g. cp1252, latin-1, utf-16)"
    return None


def date_format_problem(value: str) -> str | None:
    """Why ``value`` is no strptime format that reads at least a day, for ``--date-format`` or ``date_format``
    (a typo such as 'd.m.Y' is caught before a file's first row); None when it is one."""
    probe = datetime(2025, 12, 31, 13, 45, 30).strftime(value)
    try:
        datetime.strptime(probe, value)
    except ValueError:
        return f"{value!r} is not a strptime date format (e.g. '%d.%m.%Y')"
    if not any(code in value for code in ("%d", "%j", "%x", "%c")):
        return f"{value!r} has no day in it (%d): write the whole date, e.g. '%d.%m.%Y'"
    return None


# The legal forms a company's name may carry or drop ("Acme Corp.", "Acme, Inc.", "Acme GmbH"): not part of what
# tells two companies apart (company_key). Words of a name ("Group", "Holdings", "Bank") are not among them.
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc",
    "gmbh", "mbh", "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "oy", "oyj", "asa", "pty",
    "pte", "kk",
})
_APOSTROPHES_AND_DOTS = re.compile(r"['\u2019.]")   # (dropped, not spaces: "McDonald's", "S.A.", "Acme Corp.")
_NOT_WORD = re.compile(r"[\W_]+")


def company_key(name: str) -> str:
    """A company's name as an import matches it with the configured companies: case, accents, spacing and
    punctuation aside, and without a trailing legal form or a leading "the" ("ACME corp", "Acme Corp.",
    " acme ", "The Acme Company" all give "acme"; "AT&T" and "AT and T" both "atandt"). A name that is nothing
    but such words keeps its last one ("The Company" gives "company"); "" only for a name without a letter or a
    digit."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", _APOSTROPHES_AND_DOTS.sub("", text.replace("&", " and "))).split()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    while len(words) > 1 and (words[-1] in LEGAL_FORMS or words[-1] == "and"):   # ("Acme & Co." -> "acme")
        words.pop()
    return "".join(words)


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
    native_id: str                   # the source's own id, or an id made of identifying fields (privacy.keyed_id)
    text: str
    published_at: datetime           # timezone-aware; stored as UTC
    url: str | None = None
    company: str | None = None       # the company queried for, or named by the import
    title: str | None = None         # its own: never a comment's (the post it answers is another author's)
    author: str | None = None        # raw handle, hashed on the way into the database
    lang: str | None = None
    query: str | None = None         # the query that found it
    kind: str | None = None          # story, comment, status, question, review, survey, article, ...
    stage_hint: str | None = None    # a hiring stage stated by the source (survey exports)
    rating: float | None = None
    rating_scale: float | None = None  # what ``rating`` is out of (an import's --rating-scale); None: not read
    fetched_at: datetime = field(default_factory=utcnow)
    # a hashed id as hirepulse made it before ids were keyed (unkeyed, the raw author among the fields), where it differs:
    # storage moves a row stored under it, with its analysis and label, to ``native_id``; never stored itself
    former_id: str | None = None

    @property
    def id(self) -> str:
        return mention_id(self.source, self.native_id)


def mention_id(source: str, native_id: str) -> str:
    """The stable id of a mention across the database, reports and ``classify``."""
    return f"{source}:{native_id}"


def hash_id(*parts: object) -> str:
    """A stable id from identifying fields, for records without a native id (sqlite-utils' idea). Not keyed: only for
    fields that are public anyway (an article's address); an id made from a post's author, text or title is keyed
    with the salt (:func:`hirepulse.privacy.keyed_id`), or anyone could test guesses of who wrote it, or of what
    redaction took out of it, by hashing them with its other fields. Ids made so before are ``Mention.former_id``."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]
