"""Loading and matching of the hiring-domain lexicon data files.

The data files in this directory are the versioned knowledge of the analyzer
(see ``README.md`` here for the format). This module turns them into
:class:`LexiconBundle` objects with phrase matchers, and computes a content
hash over them so that :data:`analysis.scoring.ANALYZER_VERSION` changes
whenever any data file changes.

Nothing here touches the network or a database; loading reads files only.
"""

from __future__ import annotations

import hashlib
import logging
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

logger = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).resolve().parent
DATA_SUFFIXES = (".tsv", ".txt")
MAX_GAP = 3
MEMO_LIMIT = 100_000  # a "~" in a term matches 0..MAX_GAP arbitrary tokens
EMPTY = "-"
SENTIMENT_FILE = "sentiment.tsv"
STAGES_FILE = "stages.tsv"
THEMES_FILE = "themes.tsv"
CANDIDATE_FILE = "candidate.tsv"
CONSUMER_FILE = "consumer.tsv"
COMMON_WORDS_FILE = "common_words.txt"
SARCASM_FILE = "sarcasm.tsv"
_STRIP_CHARS = string.punctuation + "\u2018\u2019\u201c\u201d\u2026\u2013\u2014\u00ab\u00bb"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


class LexiconError(ValueError):
    """A lexicon data file is malformed (bad column count, bad number, unknown tag)."""


def norm_token(token: str) -> str:
    """Lower-case ``token``, unify apostrophes and strip surrounding punctuation."""
    return token.translate(_APOSTROPHES).lower().strip(_STRIP_CHARS)


@dataclass(frozen=True, slots=True)
class _Slot:
    literals: frozenset[str]
    prefixes: tuple[str, ...]
    gap: bool = False

    def matches(self, token: str) -> bool:
        if token in self.literals:
            return True
        for prefix in self.prefixes:
            if token.startswith(prefix):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a data file: the term as written plus its remaining columns."""

    term: str
    fields: tuple[str, ...]
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a token list: tokens ``start`` (inclusive) to ``end`` (exclusive)."""

    start: int
    end: int
    entry: Entry


def _parse_slot(raw: str) -> _Slot:
    if raw == "~":
        return _Slot(frozenset(), (), gap=True)
    literals: set[str] = set()
    prefixes: list[str] = []
    for alt in raw.split("|"):
        alt = alt.translate(_APOSTROPHES)
        if alt.endswith("*") and len(alt) > 1:
            prefixes.append(alt[:-1])
        elif alt:
            literals.add(alt)
    if not literals and not prefixes:
        raise LexiconError(f"empty token in term slot {raw!r}")
    return _Slot(frozenset(literals), tuple(prefixes))


@dataclass(slots=True)
class PhraseMatcher:
    """Finds terms (token patterns) in normalised token lists.

    A term is a space-separated list of slots. A slot is ``a|b`` (one-token
    alternatives), ``pre*`` (prefix), or ``~`` (a gap of 0..MAX_GAP tokens, never
    first or last). A data-file cell may hold several terms separated by ``;``.
    """

    _by_literal: dict[str, list[tuple[tuple[_Slot, ...], Entry]]] = field(default_factory=dict)
    _by_prefix: dict[str, list[tuple[tuple[_Slot, ...], Entry]]] = field(default_factory=dict)
    _prefix_lengths: tuple[int, ...] = ()
    _memo: dict[str, list] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> "PhraseMatcher":
        """Compile ``entries``; raises :class:`LexiconError` for malformed terms."""
        matcher = cls()
        lengths: set[int] = set()
        for entry in entries:
            slots = tuple(_parse_slot(s) for s in entry.term.lower().split())
            if not slots or slots[0].gap or slots[-1].gap:
                raise LexiconError(f"{entry.source}:{entry.line}: bad term {entry.term!r}")
            first = slots[0]
            for lit in first.literals:
                matcher._by_literal.setdefault(lit, []).append((slots, entry))
            for pre in first.prefixes:
                matcher._by_prefix.setdefault(pre, []).append((slots, entry))
                lengths.add(len(pre))
        matcher._prefix_lengths = tuple(sorted(lengths))
        return matcher

    def _candidates(self, token: str) -> list[tuple[tuple[_Slot, ...], Entry]]:
        memo = self._memo.get(token)
        if memo is not None:
            return memo
        found = self._lookup(token)
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        self._memo[token] = found
        return found

    def _lookup(self, token: str) -> list[tuple[tuple[_Slot, ...], Entry]]:
        found = self._by_literal.get(token, [])
        if self._prefix_lengths:
            extra = []
            for n in self._prefix_lengths:
                if n <= len(token):
                    extra.extend(self._by_prefix.get(token[:n], ()))
            if extra:
                found = found + extra
        return found

    @staticmethod
    def _match_from(slots: tuple[_Slot, ...], tokens: list[str], i: int) -> int:
        """Return the end index of a match of ``slots`` starting at ``i``, or -1."""
        if not slots:
            return i
        slot = slots[0]
        if slot.gap:
            for skip in range(0, MAX_GAP + 1):
                end = PhraseMatcher._match_from(slots[1:], tokens, i + skip)
                if end >= 0:
                    return end
                if i + skip >= len(tokens):
                    break
            return -1
        if i < len(tokens) and slot.matches(tokens[i]):
            return PhraseMatcher._match_from(slots[1:], tokens, i + 1)
        return -1

    def find_all(self, tokens: list[str]) -> list[Match]:
        """All (possibly overlapping) matches in ``tokens`` (normalised tokens)."""
        out: list[Match] = []
        memo_get = self._memo.get
        match_from = self._match_from
        for i, tok in enumerate(tokens):
            cands = memo_get(tok)
            if cands is None:
                if not tok:
                    continue
                cands = self._candidates(tok)
            if not cands:
                continue
            for slots, entry in cands:
                end = match_from(slots[1:], tokens, i + 1) if len(slots) > 1 else i + 1
                if end >= 0:
                    out.append(Match(i, end, entry))
        return out

    def find(self, tokens: list[str]) -> list[Match]:
        """Non-overlapping matches, longest first then leftmost, in token order."""
        found = self.find_all(tokens)
        if len(found) <= 1:
            return found
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken = [False] * len(tokens)
        chosen: list[Match] = []
        for m in found:
            if any(taken[m.start:m.end]):
                continue
            for k in range(m.start, m.end):
                taken[k] = True
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen


def _read_rows(path: Path, n_fields: int) -> list[Entry]:
    """Read a TSV data file; ``#`` starts a comment line. Raises LexiconError."""
    rows: list[Entry] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < n_fields:
            raise LexiconError(f"{path.name}:{lineno}: expected {n_fields} tab-separated columns, got {len(parts)}")
        for variant in parts[0].split(";"):
            variant = " ".join(variant.lower().split())
            if not variant:
                raise LexiconError(f"{path.name}:{lineno}: empty term variant")
            rows.append(Entry(variant, tuple(parts[1:n_fields]), path.name, lineno))
    return rows


def _opt(value: str) -> str | None:
    return None if value in ("", EMPTY) else value


def _float(entry: Entry, idx: int) -> float:
    try:
        return float(entry.fields[idx])
    except ValueError as exc:
        raise LexiconError(f"{entry.source}:{entry.line}: not a number: {entry.fields[idx]!r}") from exc


@dataclass(frozen=True, slots=True)
class SentimentTerm:
    term: str
    valence: float
    negated_valence: float | None
    theme: str | None
    negated_theme: str | None


@dataclass(frozen=True, slots=True)
class LexiconBundle:
    """Everything loaded from one lexicon directory."""

    directory: Path
    digest: str
    sentiment: PhraseMatcher
    sentiment_terms: dict[str, SentimentTerm]
    stages: PhraseMatcher
    themes: PhraseMatcher
    candidate: PhraseMatcher
    consumer: PhraseMatcher
    common_words: frozenset[str]
    sarcasm: PhraseMatcher = field(default_factory=PhraseMatcher)


def lexicon_digest(directory: Path) -> str:
    """sha256 hex over the names and bytes of every data file in ``directory``."""
    h = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix in DATA_SUFFIXES:
            h.update(path.name.encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def load(directory: str | Path | None = None) -> LexiconBundle:
    """Load and compile the lexicon in ``directory`` (default: this package dir).

    Side effects: reads files; compiled bundles are cached per (directory, content
    digest), so an edited file is picked up on the next call.
    Raises LexiconError for malformed files and FileNotFoundError for missing ones.
    """
    d = Path(directory).resolve() if directory is not None else LEXICON_DIR
    return _load_cached(d, lexicon_digest(d))


@lru_cache(maxsize=8)
def _load_cached(d: Path, digest: str) -> LexiconBundle:
    sentiment_rows = _read_rows(d / SENTIMENT_FILE, 5)
    terms: dict[str, SentimentTerm] = {}
    for e in sentiment_rows:
        neg = _opt(e.fields[1])
        terms[e.term] = SentimentTerm(
            e.term, _float(e, 0), float(neg) if neg is not None else None, _opt(e.fields[2]), _opt(e.fields[3])
        )
    common = frozenset(
        w.strip().lower()
        for w in (d / COMMON_WORDS_FILE).read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    )
    bundle = LexiconBundle(
        directory=d,
        digest=digest,
        sentiment=PhraseMatcher.build(sentiment_rows),
        sentiment_terms=terms,
        stages=PhraseMatcher.build(_read_rows(d / STAGES_FILE, 3)),
        themes=PhraseMatcher.build(_read_rows(d / THEMES_FILE, 3)),
        candidate=PhraseMatcher.build(_read_rows(d / CANDIDATE_FILE, 3)),
        consumer=PhraseMatcher.build(_read_rows(d / CONSUMER_FILE, 2)),
        common_words=common,
        sarcasm=PhraseMatcher.build(_read_rows(d / SARCASM_FILE, 2)) if (d / SARCASM_FILE).exists() else PhraseMatcher(),
    )
    logger.debug("loaded lexicon from %s (%d sentiment terms)", d, len(terms))
    return bundle
