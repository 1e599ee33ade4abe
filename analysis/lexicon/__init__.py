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
import json
import logging
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

logger = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).resolve().parent
DATA_SUFFIXES = (".tsv", ".txt")
MAX_GAP = 3  # a "~" in a term matches 0..MAX_GAP arbitrary tokens
MEMO_LIMIT = 100_000  # distinct tokens whose candidate terms a matcher remembers
EMPTY = "-"
SENTIMENT_FILE = "sentiment.tsv"
STAGES_FILE = "stages.tsv"
THEMES_FILE = "themes.tsv"
CANDIDATE_FILE = "candidate.tsv"
CONSUMER_FILE = "consumer.tsv"
COMMON_WORDS_FILE = "common_words.txt"
SARCASM_FILE = "sarcasm.tsv"
SCARE_FILE = "scare_quotes.txt"
ADAPTED_FILE = "adapted.json"  # in a directory `hirepulse adapt` wrote: what its models learned from
_STRIP_CHARS = string.punctuation + "\u2018\u2019\u201c\u201d\u2026\u2013\u2014\u00ab\u00bb"
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def adapted_manifest(directory: str | Path | None) -> dict | None:
    """What ``hirepulse adapt`` recorded in ``directory`` (its ``ADAPTED_FILE``); None for no directory (the
    shipped lexicon), one without the file, or a file that does not read as a JSON object."""
    if directory is None:
        return None
    try:
        manifest = json.loads((Path(directory) / ADAPTED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


class LexiconError(ValueError):
    """A lexicon data file is malformed (bad column count, bad number, unknown tag)."""


def norm_token(token: str) -> str:
    """Lower-case ``token``, unify apostrophes and strip surrounding punctuation."""
    return token.translate(APOSTROPHES).lower().strip(_STRIP_CHARS)


@dataclass(frozen=True, slots=True)
class _Slot:
    literals: frozenset[str]
    prefixes: tuple[str, ...]
    gap: bool = False

    def matches(self, token: str) -> bool:
        return token in self.literals or token.startswith(self.prefixes)


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
    for alt in raw.translate(APOSTROPHES).split("|"):
        if alt.endswith("*") and len(alt) > 1:
            prefixes.append(alt[:-1])
        elif alt:
            literals.add(alt)
    if not literals and not prefixes:
        raise LexiconError(f"empty token in term slot {raw!r}")
    return _Slot(frozenset(literals), tuple(prefixes))


# A compiled term, filed under the first slot's literals and prefixes:
# (table index, the slots after the first, whether those hold a gap, the entry)
_Candidate = tuple[int, tuple[_Slot, ...], bool, Entry]


def _match_from(slots: tuple[_Slot, ...], tokens: list[str], i: int) -> int:
    """Return the end index of a match of ``slots`` starting at ``i``, or -1 (gaps: fewest skipped first)."""
    if not slots:
        return i
    slot = slots[0]
    if slot.gap:
        for skip in range(0, MAX_GAP + 1):
            end = _match_from(slots[1:], tokens, i + skip)
            if end >= 0:
                return end
            if i + skip >= len(tokens):
                break
        return -1
    if i < len(tokens) and slot.matches(tokens[i]):
        return _match_from(slots[1:], tokens, i + 1)
    return -1


def _match_plain(slots: tuple[_Slot, ...], tokens: list[str], i: int) -> int:
    """:func:`_match_from` for slots without a gap, as a loop."""
    if i + len(slots) > len(tokens):
        return -1
    for slot in slots:
        tok = tokens[i]
        if tok not in slot.literals and not tok.startswith(slot.prefixes):
            return -1
        i += 1
    return i


def _select(found: list[Match], n_tokens: int) -> list[Match]:
    """Non-overlapping matches of ``found`` (in start order): longest first then leftmost, returned
    in token order."""
    if len(found) <= 1:
        return found
    if all(a.end <= b.start for a, b in zip(found, found[1:])):
        return found  # nothing overlaps: every match is kept, already in token order
    found.sort(key=lambda m: (m.start - m.end, m.start))
    taken = [False] * n_tokens
    chosen: list[Match] = []
    for m in found:
        if any(taken[m.start:m.end]):
            continue
        for k in range(m.start, m.end):
            taken[k] = True
        chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    return chosen


# A token's candidate terms, grouped so that most of them are ruled out by one dict lookup on
# the next token: (one-slot terms, {second token: terms whose second slot lists it}, the rest).
# Members carry their rank in the token's candidate order (per table: literal first slots, then
# prefixes by length) so that matches starting at one token keep that order.
_Lookup = tuple[
    tuple[tuple[int, int, Entry], ...],  # (rank, table, entry)
    dict[str, tuple[tuple[int, int, tuple[_Slot, ...], bool, Entry], ...]],  # slots after the second
    # slots after the first, plus (for a tail that opens with a gap) the literals of the first slot
    # after the gap and how far after the first token it can be: no such token there, no match
    tuple[tuple[int, int, tuple[_Slot, ...], bool, Entry, frozenset[str] | None, int], ...],
]
_NO_TERMS: _Lookup = ((), {}, ())


@dataclass(slots=True)
class _Index:
    """Terms of one or more tables filed by first slot, with a per-token memo of the candidates."""

    tables: int = 1
    by_literal: dict[str, list[_Candidate]] = field(default_factory=dict)
    by_prefix: dict[str, list[_Candidate]] = field(default_factory=dict)
    prefix_lengths: tuple[int, ...] = ()
    memo: dict[str, _Lookup] = field(default_factory=dict)

    def lookup(self, token: str) -> _Lookup:
        """The terms whose first slot matches ``token``, grouped (memoised)."""
        found = list(self.by_literal.get(token, ()))
        for n in self.prefix_lengths:
            if n <= len(token):
                found.extend(self.by_prefix.get(token[:n], ()))
        if not found:
            look = _NO_TERMS
        else:
            ones, by_next, rest = [], {}, []
            for rank, (table, tail, gapped, entry) in enumerate(found):
                if not tail:
                    ones.append((rank, table, entry))
                elif tail[0].gap or tail[0].prefixes:
                    rest.append((rank, table, tail, gapped, entry, *_anchor(tail)))
                else:
                    for lit in tail[0].literals:
                        by_next.setdefault(lit, []).append((rank, table, tail[1:], gapped, entry))
            look = (tuple(ones), {k: tuple(v) for k, v in by_next.items()}, tuple(rest))
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        self.memo[token] = look
        return look

    def scan(self, tokens: list[str] | tuple[str, ...]) -> list[list[tuple[int, int, int, Entry]]]:
        """All (possibly overlapping) matches in ``tokens`` per table, as (start, rank, end, entry)."""
        found: list[list[tuple[int, int, int, Entry]]] = [[] for _ in range(self.tables)]
        memo_get = self.memo.get
        n = len(tokens)
        for i, tok in enumerate(tokens):
            look = memo_get(tok)
            if look is None:
                if not tok:
                    continue
                look = self.lookup(tok)
            if look is _NO_TERMS:
                continue
            ones, by_next, rest = look
            for rank, table, entry in ones:
                found[table].append((i, rank, i + 1, entry))
            if by_next and i + 1 < n:
                for rank, table, tail, gapped, entry in by_next.get(tokens[i + 1], ()):
                    if not tail:
                        end = i + 2
                    elif gapped:
                        end = _match_from(tail, tokens, i + 2)
                    else:
                        end = _match_plain(tail, tokens, i + 2)
                    if end >= 0:
                        found[table].append((i, rank, end, entry))
            for rank, table, tail, gapped, entry, anchor, reach in rest:
                if anchor is not None and anchor.isdisjoint(tokens[i + 1:i + reach]):
                    continue
                end = _match_from(tail, tokens, i + 1) if gapped else _match_plain(tail, tokens, i + 1)
                if end >= 0:
                    found[table].append((i, rank, end, entry))
        return found


def _anchor(tail: tuple[_Slot, ...]) -> tuple[frozenset[str] | None, int]:
    """For a tail that opens with gaps: the literals of its first other slot (None when that slot
    has prefixes, or there are no gaps) and the end (exclusive, from the term's first token) of the
    tokens where that slot can fall."""
    gaps = 0
    while gaps < len(tail) and tail[gaps].gap:
        gaps += 1
    if not gaps or tail[gaps].prefixes:
        return None, 0
    return tail[gaps].literals, 1 + gaps * MAX_GAP + 1


def _matches(hits: list[tuple[int, int, int, Entry]]) -> list[Match]:
    """Scanned hits of one table as :class:`Match` objects, by start then term order."""
    if len(hits) > 1:
        hits.sort()  # by (start, rank): a token's candidates have distinct ranks, so no tie reaches the entry
    return [Match(i, end, entry) for i, _rank, end, entry in hits]


@dataclass(slots=True)
class PhraseMatcher:
    """Finds terms (token patterns) in normalised token lists.

    A term is a space-separated list of slots. A slot is ``a|b`` (one-token
    alternatives), ``pre*`` (prefix), or ``~`` (a gap of 0..MAX_GAP tokens, never
    first or last). A data-file cell may hold several terms separated by ``;``.
    """

    _index: _Index = field(default_factory=_Index)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> "PhraseMatcher":
        """Compile ``entries``; raises :class:`LexiconError` for malformed terms."""
        index = _Index()
        lengths: set[int] = set()
        parsed: dict[str, _Slot] = {}  # slots repeat across terms ("~", "i", "my", "not")
        for entry in entries:
            slots = tuple(parsed.get(s) or parsed.setdefault(s, _parse_slot(s)) for s in entry.term.lower().split())
            if not slots or slots[0].gap or slots[-1].gap:
                raise LexiconError(f"{entry.source}:{entry.line}: bad term {entry.term!r}")
            first, tail = slots[0], slots[1:]
            cand = (0, tail, any(s.gap for s in tail), entry)
            for lit in first.literals:
                index.by_literal.setdefault(lit, []).append(cand)
            for pre in first.prefixes:
                index.by_prefix.setdefault(pre, []).append(cand)
                lengths.add(len(pre))
        index.prefix_lengths = tuple(sorted(lengths))
        return cls(index)

    def find_all(self, tokens: list[str]) -> list[Match]:
        """All (possibly overlapping) matches in ``tokens`` (normalised tokens)."""
        return _matches(self._index.scan(tokens)[0])

    def find(self, tokens: list[str]) -> list[Match]:
        """Non-overlapping matches, longest first then leftmost, in token order."""
        return _select(_matches(self._index.scan(tokens)[0]), len(tokens))


class PhraseTables:
    """Several :class:`PhraseMatcher` tables searched in one pass over the tokens.

    ``find(tokens)[k]`` equals ``matchers[k].find(tokens)``; a token costs one memo
    lookup for all tables instead of one per table.
    """

    __slots__ = ("_index",)

    def __init__(self, matchers: Iterable[PhraseMatcher]) -> None:
        index = _Index(tables=0)
        lengths: set[int] = set()
        for k, matcher in enumerate(matchers):
            src = matcher._index
            for target, table in ((index.by_literal, src.by_literal), (index.by_prefix, src.by_prefix)):
                for key, cands in table.items():
                    target.setdefault(key, []).extend((k, *c[1:]) for c in cands)
            lengths.update(src.prefix_lengths)
            index.tables = k + 1
        index.prefix_lengths = tuple(sorted(lengths))
        self._index = index

    def find(self, tokens: list[str]) -> list[list[Match]]:
        """Per table, the non-overlapping matches in ``tokens`` (as :meth:`PhraseMatcher.find`)."""
        n = len(tokens)
        return [_select(_matches(hits), n) if hits else hits for hits in self._index.scan(tokens)]


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
    scare_words: frozenset[str] = frozenset()  # see scare_quotes.txt


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


def _word_list(path: Path) -> frozenset[str]:
    """A one-word-per-line file (``#`` comments), lower-cased."""
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=8)
def _load_cached(d: Path, digest: str) -> LexiconBundle:
    sentiment_rows = _read_rows(d / SENTIMENT_FILE, 5)
    terms: dict[str, SentimentTerm] = {}
    for e in sentiment_rows:
        neg = _opt(e.fields[1])
        terms[e.term] = SentimentTerm(
            e.term, _float(e, 0), float(neg) if neg is not None else None, _opt(e.fields[2]), _opt(e.fields[3])
        )
    common = _word_list(d / COMMON_WORDS_FILE)
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
        scare_words=_word_list(d / SCARE_FILE) if (d / SCARE_FILE).exists() else frozenset(),
    )
    logger.debug("loaded lexicon from %s (%d sentiment terms)", d, len(terms))
    return bundle
