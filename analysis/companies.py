"""Resolution of configured company names and aliases in text.

Matching rules:

* whole words only ("BWG" does not match inside "BWGX"), any case, with an
  optional possessive ("Brightwater's", "Brightwaters'");
* an alias that is also an everyday word (listed in
  ``analysis/lexicon/common_words.txt``, or a lower-case word in VADER's
  lexicon) must be capitalised *and* appear in a company or hiring context: a
  possessive, a preposition such as "at"/"for"/"from" right before it, or
  hiring / company vocabulary in the same sentence. It is rejected when the
  next word makes it a colour or material ("Cobalt blue jacket").

Pure functions; compile once with :func:`compile_companies`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Sequence

logger = logging.getLogger(__name__)

CONTEXT_PREPOSITIONS = frozenset({"at", "for", "from", "with", "to", "by", "joined", "join", "about", "into", "within",
                                  "via", "towards", "toward"})
CONTEXT_WORDS = frozenset({
    "company", "companies", "employer", "corp", "inc", "ltd", "llc", "hq", "headquarters", "brand", "store", "stores",
    "shop", "careers", "career", "job", "jobs", "hiring", "hire", "hired", "interview", "interviews", "interviewed",
    "interviewer", "recruiter", "recruiters", "recruiting", "applied", "apply", "application", "offer", "rejected",
    "rejection", "ghosted", "onboarding", "onsite", "candidate", "candidates", "role", "position", "hr", "manager",
    "team", "work", "worked", "working", "employee", "employees", "staff", "ceo",
})
MATERIAL_FOLLOWERS = frozenset({
    "blue", "green", "glass", "glaze", "ore", "oxide", "alloy", "paint", "pigment", "metal", "mine", "mining",
    "jacket", "shirt", "dress", "sweater", "color", "colour", "tint", "shade", "battery", "batteries", "chloride",
})
_WORD_RE = re.compile(r"[\w'’]+")
_SENT_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class _Alias:
    canonical: str
    alias: str
    pattern: re.Pattern[str]
    ambiguous: bool
    needle: str  # lower-cased alias: cheap substring pre-check before the regex


@dataclass(frozen=True, slots=True)
class CompanyMatcher:
    """Compiled company names and aliases."""

    aliases: tuple[_Alias, ...]

    def find(self, text: str) -> tuple[tuple[str, ...], list[dict]]:
        """Canonical names mentioned in ``text`` (first-mention order) and match details."""
        return find_companies(text, self)


def compile_companies(companies: Sequence[tuple[str, Sequence[str]]], common_words: frozenset[str] = frozenset(),
                      vader_lexicon: dict[str, float] | None = None) -> CompanyMatcher:
    """Compile ``(canonical, aliases)`` pairs. Empty aliases are ignored."""
    out: list[_Alias] = []
    for canonical, aliases in companies:
        seen: set[str] = set()
        for alias in (canonical, *aliases):
            alias = (alias or "").strip()
            if not alias or alias.lower() in seen:
                continue
            seen.add(alias.lower())
            low = alias.lower()
            one_word = " " not in alias and "-" not in alias
            ambiguous = one_word and (low in common_words or (vader_lexicon is not None and low in vader_lexicon))
            pat = re.compile(r"(?<![\w&])" + re.escape(alias) + r"(?:['’]s|s['’])?(?![\w&])", re.IGNORECASE)
            out.append(_Alias(canonical, alias, pat, ambiguous, low))
    # longer aliases first so "Brightwater Goods" wins over "Brightwater"
    out.sort(key=lambda a: -len(a.alias))
    return CompanyMatcher(tuple(out))


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENT_END.finditer(text, 0, start)), default=0)
    right_m = _SENT_END.search(text, end)
    right = right_m.start() if right_m else len(text)
    return text[left:right]


def _context_ok(text: str, start: int, end: int, matched: str) -> tuple[bool, str]:
    """Decide an ambiguous (common-word) alias occurrence; returns (accepted, reason)."""
    if not matched[:1].isupper():
        return False, "lower-case common word"
    after = text[end:end + 30]
    nxt = _WORD_RE.search(after)
    if nxt and nxt.group(0).lower() in MATERIAL_FOLLOWERS and not matched.endswith(("'s", "’s")):
        return False, f"followed by '{nxt.group(0)}'"
    if matched.lower().endswith(("'s", "’s", "s'", "s’")):
        return True, "possessive"
    before_words = _WORD_RE.findall(text[max(0, start - 30):start])
    if before_words and before_words[-1].lower() in CONTEXT_PREPOSITIONS:
        return True, f"after '{before_words[-1]}'"
    sentence = _sentence_around(text, start, end)
    words = {w.lower().strip("'’") for w in _WORD_RE.findall(sentence)}
    ctx = words & CONTEXT_WORDS
    if ctx:
        return True, f"context '{sorted(ctx)[0]}'"
    return False, "no company/hiring context"


def find_companies(text: str, matcher: CompanyMatcher) -> tuple[tuple[str, ...], list[dict]]:
    """Return (canonical names in first-mention order, mention details for explanations)."""
    taken: list[tuple[int, int]] = []
    first_pos: dict[str, int] = {}
    details: list[dict] = []
    lowered = text.lower().replace("\u2019", "'")
    for alias in matcher.aliases:
        if alias.needle not in lowered:
            continue
        for m in alias.pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if alias.ambiguous:
                ok, reason = _context_ok(text, s, e, m.group(0))
                if not ok:
                    details.append({"company": alias.canonical, "text": m.group(0), "accepted": False,
                                    "reason": reason})
                    continue
            else:
                reason = "alias"
            taken.append((s, e))
            first_pos[alias.canonical] = min(s, first_pos.get(alias.canonical, s))
            details.append({"company": alias.canonical, "text": m.group(0), "accepted": True, "reason": reason})
    names = tuple(sorted(first_pos, key=first_pos.__getitem__))
    return names, details
