"""Resolution of configured company names and aliases in text.

Matching rules:

* whole words only ("BWG" does not match inside "BWGX"), any case, with an
  optional possessive, with or without the apostrophe ("Brightwater's",
  "Brightwaters'", "fernhills");
* hashtag forms: the name or alias written together after "#", any case
  ("#CobaltOutfitters", "#BrightwaterGoods", "#Brightwater");
* an alias that is also an everyday word (listed in
  ``analysis/lexicon/common_words.txt``, or a lower-case word in VADER's
  lexicon) needs evidence that it names the company. Rejected when the next
  word makes it a colour or material ("Cobalt blue jacket", "cobalt oxide"),
  or when a capitalised word after it begins another name ("the United
  States", "Square One"; not "Apple Store", "Target Corporation", nor in a
  headline's run of capitals). Accepted as a hashtag or a possessive. A
  capitalised occurrence is accepted after a preposition such as "at"/"for"/
  "from", before a product noun ("The Cobalt fleece pilled"), after a shopping
  verb ("bought the Cobalt boots"), anywhere but at the start of a sentence
  ("my mom said Amazon was hiring"), or with hiring / company / shopping
  vocabulary in its sentence. A lower-case occurrence in a post that uses
  capitals is the everyday word ("the gap in my CV", "had to chase them",
  "higher-ups") unless "at", "for", "from", "by" or "joined" comes before it,
  "to" / "with" / "into" after a verb of applying, working or shopping
  ("applied to cobalt"), or company or shop words (not hiring words, which
  every candidate's post holds) are in its sentence; in an all-lower-case post
  it is read as a capitalised one at the start of a sentence. Measured on real
  posts in session 19 (``analysis/README.md``, "Company resolution").

Pure functions; compile once with :func:`compile_companies`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

logger = logging.getLogger(__name__)

CONTEXT_PREPOSITIONS = frozenset({"at", "for", "from", "with", "to", "by", "joined", "join", "about", "into", "within",
                                  "via", "towards", "toward"})
# Words that name the company or its shop, not hiring in general: hiring posts are full of "job", "work"
# and "interview", so those do not tell "gap" (the résumé gap) or "target" (the target salary) from the
# company in a lower-case occurrence (the real posts' company reading, session 19)
COMPANY_CONTEXT = frozenset({
    "company", "companies", "employer", "corp", "inc", "ltd", "llc", "hq", "headquarters", "brand", "store", "stores",
    "shop", "careers", "ceo", "shopping", "shopped", "customer", "customers", "rewards", "membership", "loyalty",
    "app", "website", "delivery", "order", "ordered", "refund", "returns", "branch", "outlet", "regular", "stockroom",
    "till", "buy", "bought", "buying", "sale",
})
# Hiring words, and custom words of many senses ("card", "spent"): evidence for a capitalised name only
HIRING_CONTEXT = frozenset({
    "application", "applied", "apply", "candidate", "candidates", "card", "career", "employee", "employees", "ghosted",
    "hire", "hired", "hiring", "hr", "interview", "interviewed", "interviewer", "interviews", "job", "jobs", "manager",
    "offer", "onboarding", "onsite", "position", "recruiter", "recruiters", "recruiting", "recruitment", "rejected",
    "rejection", "role", "seasonal", "shift", "spend", "spent", "staff", "team", "temp", "trial", "work", "worked",
    "working",
})
CONTEXT_WORDS = COMPANY_CONTEXT | HIRING_CONTEXT  # what a capitalised common word may have in its sentence
MATERIAL_FOLLOWERS = frozenset({
    "blue", "green", "glass", "glaze", "ore", "oxide", "alloy", "paint", "pigment", "metal", "mine", "mining",
    "color", "colour", "tint", "shade", "battery", "batteries", "chloride", "sulfate", "sulphate", "atom", "atoms",
    "deposits", "isotope", "hue", "coloured", "colored", "ink", "dye", "violet", "teal", "grey", "gray",
})
# Product nouns: "The Cobalt fleece pilled" names the company's product
PRODUCT_FOLLOWERS = frozenset({
    "fleece", "jacket", "jackets", "coat", "boots", "boot", "shoes", "tent", "tents", "backpack", "rucksack", "bag",
    "gear", "kit", "store", "stores", "shop", "outlet", "branch", "app", "website", "site", "card", "rewards",
    "membership", "order", "delivery", "sale", "sales", "hoodie", "trousers", "pants", "gloves", "hat", "socks",
    "sleeping", "hiking", "rain", "waterproof", "walking", "running", "own-brand", "brand", "staff", "team",
    "manager", "recruiter", "careers", "job", "jobs", "interview", "application", "product", "products",
})
SHOPPING_VERBS = frozenset({
    "bought", "buy", "buying", "ordered", "order", "ordering", "got", "picked", "picking", "returned", "return",
    "shop", "shopping", "shopped", "love", "loved", "wearing", "wore", "my", "new",
})
# prepositions that name the company even before a lower-case common word ("i work at target"); "to", "with"
# and "into" only after a verb of applying, working or shopping ("applied to cobalt", not "had to chase them")
LOWER_PREPOSITIONS = frozenset({"at", "for", "from", "by", "via", "joined", "join"})
WEAK_PREPOSITIONS = frozenset({"to", "with", "into"})
MOVE_VERBS = frozenset({"applied", "apply", "applying", "applies", "went", "go", "going", "goes", "moved", "move",
                        "switched", "returned", "interviewed", "interviewing", "interview", "worked", "working",
                        "work", "job", "shopped", "shopping", "shop", "sent", "wrote", "emailed", "called"})
# a capitalised word after the alias that still names the company ("Apple Store", "Target Corporation");
# any other capitalised word makes them another name ("United States", "Square One", "Apple One")
NAME_FOLLOWERS = frozenset({"inc", "corp", "corporation", "company", "co", "ltd", "llc", "plc", "group", "holdings",
                            "careers", "hq", "headquarters"})
# a capitalised word before the alias that does not make it part of another name ("I", "Mom said Target")
NAME_LEADERS = frozenset({"i", "i'm", "i've", "i'd", "i’m", "i’ve", "i’d", "ok", "okay", "yes", "no", "and"})
_WORD_RE = re.compile(r"[\w'’-]+")
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
            pat = re.compile(r"(?<![\w&])" + re.escape(alias) + r"(?:['’]s|s['’]|s)?(?![\w&])", re.IGNORECASE)
            out.append(_Alias(canonical, alias, pat, ambiguous, low))
            joined = re.sub(r"[\s\-]+", "", alias)
            if joined.lower() != low:  # hashtag form of a multi-word name: #CobaltOutfitters
                hpat = re.compile(r"#" + re.escape(joined) + r"(?![\w&])", re.IGNORECASE)
                out.append(_Alias(canonical, "#" + joined, hpat, False, "#" + joined.lower()))
    # longer aliases first so "Brightwater Goods" wins over "Brightwater"
    out.sort(key=lambda a: -len(a.alias))
    return CompanyMatcher(tuple(out))


def changed_names(before: Sequence[tuple[str, Sequence[str]]],
                  after: Sequence[tuple[str, Sequence[str]]]) -> frozenset[str]:
    """The lower-cased names, aliases and hashtag forms (each alias's ``needle``) that two company configurations
    read differently: added, removed, given to another company, or tried in another order than a name both keep
    (names of one length are tried in the config's order: the first takes the words they share, and its match is
    listed first in the details). A text whose lower-cased words hold none of them (with ’ read as ') resolves to
    the same companies, with the same details, under both, as :func:`find_companies` looks only for the names its
    text holds."""
    def tried(companies: Sequence[tuple[str, Sequence[str]]]) -> tuple[dict[str, list[str]], dict[str, int]]:
        readers: dict[str, list[str]] = {}   # needle -> the companies that read it, in the order they are tried
        rank: dict[str, int] = {}            # needle -> where it is first tried
        for k, alias in enumerate(compile_companies(companies).aliases):
            readers.setdefault(alias.needle, []).append(alias.canonical)
            rank.setdefault(alias.needle, k)
        return readers, rank

    (old, old_rank), (new, new_rank) = tried(before), tried(after)
    changed = {needle for needle in old.keys() | new.keys() if old.get(needle) != new.get(needle)}
    kept = [needle for needle in old_rank if needle in new_rank]
    changed.update(needle for pair in combinations(kept, 2)
                   if (old_rank[pair[0]] < old_rank[pair[1]]) != (new_rank[pair[0]] < new_rank[pair[1]])
                   for needle in pair)
    return frozenset(changed)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENT_END.finditer(text, 0, start)), default=0)
    right_m = _SENT_END.search(text, end)
    right = right_m.start() if right_m else len(text)
    return text[left:right]


_OPENING = re.compile(r"(?:^|[.!?\n]\s*)[\"“'‘(\[]*([^\W\d_])")


def _cased(text: str) -> bool:
    """Whether the writer uses capitals: most sentences open with one. In an all-lower-case post ("got the
    cobalt rejection today") a lower-case name says nothing about the word's sense."""
    openings = [m.group(1) for m in _OPENING.finditer(text)]
    return sum(c.isupper() for c in openings) * 2 > len(openings)


def _sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence, a line or a bullet (quotes and brackets before it skipped)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"“”'‘’([":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n*•-–—"


def _ends_another_name(text: str, before: Sequence[re.Match], start: int, nxt: re.Match | None) -> bool:
    """The alias at ``start``, after a capitalised word mid-sentence (``_context_ok``'s ``headline``), ends a
    longer name: that word stands just before it (one space between) and is not "I", with no capitalised word
    before it ("Hired At Target", a title's run of capitals) nor after the alias ("Union Square Cafe")."""
    word = before[-1]
    if text[word.end():start] != " " or word.group(0).lower() in NAME_LEADERS:
        return False
    if len(before) >= 2 and before[-2].group(0)[:1].isupper() and text[before[-2].end():word.start()] == " ":
        return False
    return not (nxt is not None and nxt.start() == 1 and nxt.group(0)[:1].isupper())


def _sentence_words(text: str, start: int, end: int) -> set[str]:
    """The lower-cased words of the sentence around ``text[start:end]``."""
    return {w.lower().strip("'’") for w in _WORD_RE.findall(_sentence_around(text, start, end))}


def _context_ok(text: str, start: int, end: int, matched: str, cased: bool) -> tuple[bool, str]:
    """Decide an ambiguous (common-word) alias occurrence; returns (accepted, reason). ``cased``: whether the
    post uses capitals (:func:`_cased`; read only for a lower-case ``matched``)."""
    after = text[end:end + 40]
    nxt = _WORD_RE.search(after)
    nxt_word = nxt.group(0).lower() if nxt else ""
    possessive = matched.lower().endswith(("'s", "’s", "s'", "s’"))
    if nxt_word in MATERIAL_FOLLOWERS and not possessive:
        return False, f"followed by '{nxt.group(0)}'"
    capital = matched[:1].isupper()
    if start > 0 and text[start - 1] == "#":
        return True, "hashtag"
    if possessive:
        return True, "possessive"
    # bare plural-looking form without apostrophe ("cobalts") only as a possessive-like use
    window = max(0, start - 40)
    before = list(_WORD_RE.finditer(text, window, start))
    before_words = [m.group(0) for m in before]
    prev = before_words[-1].lower() if before_words else ""
    initial = _sentence_start(text, start)
    # a capitalised word before it, mid-sentence: a headline's run of capitals, or the start of a longer name
    # (a capital before it that only opens the sentence, "The United States", is neither)
    headline = (not initial and bool(before) and before_words[-1][:1].isupper()
                and not _sentence_start(text, before[-1].start()))
    if capital and nxt is not None and nxt.start() == 1 and after[:1] == " " and nxt.group(0)[:1].isupper() \
            and not nxt.group(0).isupper() \
            and nxt_word not in PRODUCT_FOLLOWERS and nxt_word not in NAME_FOLLOWERS and not headline:
        # "the United States", "in United Kingdom", "Square One Mall": the word begins another name (not in a
        # headline's run of capitals, "Rejected By Target After Three Rounds", nor before a shouted word, "AGAIN")
        return False, f"part of another name, '{matched} {nxt.group(0)}'"
    if capital and headline and _ends_another_name(text, before, start, nxt):
        # "in Union Square in NYC", "past Times Square": a capitalised word just before it, mid-sentence
        return False, f"part of another name, '{before_words[-1]} {matched}'"
    if not capital and cased:
        # a lower-case common word is that word ("a gap in my CV", "had to chase them") unless a preposition,
        # or company or shop words, say otherwise
        if prev in LOWER_PREPOSITIONS or (prev in WEAK_PREPOSITIONS and len(before_words) > 1
                                          and before_words[-2].lower() in MOVE_VERBS):
            return True, f"after '{before_words[-1]}'"
        ctx = _sentence_words(text, start, end) & COMPANY_CONTEXT
        if ctx:
            return True, f"context '{sorted(ctx)[0]}'"
        return False, "lower-case common word without company context"
    if prev in CONTEXT_PREPOSITIONS:
        return True, f"after '{before_words[-1]}'"
    if capital:
        if nxt_word in PRODUCT_FOLLOWERS:
            return True, f"product noun '{nxt.group(0)}'"
        if any(w.lower() in SHOPPING_VERBS for w in before_words[-3:]) and start > 0:
            return True, "after a shopping verb"
        if not initial:  # "my mom said Amazon was looking for package handlers": a capital mid-sentence is a name
            return True, "capitalised mid-sentence"
    ctx = _sentence_words(text, start, end) & CONTEXT_WORDS
    if ctx:
        return True, f"context '{sorted(ctx)[0]}'"
    return False, "no company/hiring context" if capital else "lower-case common word without context"


def _matches_at(alias: _Alias, text: str, lowered: str):
    """``alias.pattern.finditer(text)`` for an ASCII text and alias: the pattern is tried only where
    the lower-cased alias occurs (ASCII case folding is lower-casing, and ``lowered`` is aligned
    with ``text``), which gives the same matches without running the regex along the whole text."""
    needle, match = alias.needle, alias.pattern.match
    end = 0
    i = lowered.find(needle)
    while i >= 0:
        if i >= end:
            m = match(text, i)
            if m is not None:
                yield m
                end = m.end()
        i = lowered.find(needle, i + 1)


def find_companies(text: str, matcher: CompanyMatcher) -> tuple[tuple[str, ...], list[dict]]:
    """Return (canonical names in first-mention order, mention details for explanations)."""
    taken: list[tuple[int, int]] = []
    first_pos: dict[str, int] = {}
    details: list[dict] = []
    ascii_text = text.isascii()
    lowered = text.lower() if ascii_text else text.lower().replace("\u2019", "'")
    cased: bool | None = None  # whether the post uses capitals: read once, at its first lower-case common word
    for alias in matcher.aliases:
        if alias.needle not in lowered:
            continue
        matches = _matches_at(alias, text, lowered) if ascii_text and alias.needle.isascii() else (
            alias.pattern.finditer(text))
        for m in matches:
            s, e = m.span()
            if taken and any(s < te and ts < e for ts, te in taken):
                continue
            if alias.ambiguous:
                if cased is None and not m.group(0)[:1].isupper():
                    cased = _cased(text)
                ok, reason = _context_ok(text, s, e, m.group(0), bool(cased))
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
