"""Per-sentence sentiment: VADER's rules re-implemented, plus the hiring lexicon.

VADER stays the base: the word valences come from the ``vader_lexicon.txt``
shipped in the vaderSentiment package and the rule constants (booster words,
negations, caps emphasis, "but" shift, punctuation emphasis, alpha=15
normalisation) are imported from it. The re-implementation exists for speed
(one pass per sentence, no repeated lower-casing) and to let hiring-domain
terms from ``analysis/lexicon/sentiment.tsv`` take part in the same rules:

* a multi-word term ("never heard back", "kept me in the loop") becomes a
  single unit carrying the term's valence, so boosters and negations around it
  work as they do for single VADER words;
* a term can carry a separate *negated valence* (``feedback`` is neutral on its
  own, "no feedback" / "not a single update" is strongly negative), and
  hiring negators ("zero", "nobody", "barely") count for such terms;
* hiring terms override a VADER word of the same spelling ("joke", "lowball").

With ``bundle=None`` the scorer reproduces VADER's ``compound`` for a sentence.
Functions here are pure; :class:`SentimentScorer` keeps an in-memory cache.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Sequence

from vaderSentiment import vaderSentiment as _vader

from analysis.lexicon import APOSTROPHES, LexiconBundle, Match, PhraseMatcher, PhraseTables, norm_token

logger = logging.getLogger(__name__)

VADER_DIR = Path(_vader.__file__).resolve().parent
VADER_LEXICON_FILE = VADER_DIR / "vader_lexicon.txt"
VADER_EMOJI_FILE = VADER_DIR / "emoji_utf8_lexicon.txt"
BOOSTER_DICT: dict[str, float] = dict(_vader.BOOSTER_DICT)
# "honestly" is the writer's candour, no praise: VADER reads it +2.0, so "Honestly the whole process let me
# down." read 0.0 and "Honestly, no." +0.46; like "really", it strengthens what follows ("honestly the best")
HIRING_BOOSTERS = {"honestly": _vader.B_INCR}
BOOSTER_DICT.update(HIRING_BOOSTERS)
NEGATE = frozenset(_vader.NEGATE)
SPECIAL_CASES: dict[str, float] = dict(_vader.SPECIAL_CASES)
C_INCR = _vader.C_INCR
N_SCALAR = _vader.N_SCALAR
ALPHA = 15
# Extra negators that apply to hiring-lexicon terms only (VADER words keep VADER's rules).
HIRING_NEGATORS = frozenset(
    {"no", "zero", "nobody", "noone", "none", "0", "lack", "lacked", "lacking", "barely", "hardly",
     "scarcely", "nor", "never", "not", "without", "nothing", "didnt", "dont", "doesnt", "wasnt",
     "werent", "havent", "hasnt", "hadnt", "cant", "couldnt", "wont", "wouldnt", "isnt", "aint",
     "neither", "rarely", "seldom", "lacks", "absent", "refused", "refuse", "refuses"}
)
HIRING_NEG_WINDOW = 4
# "never" then one of these before a hiring term exclaims rather than negates ("never felt so respected")
EXCLAIM_AFTER_NEVER = frozenset({"so", "such", "this"})
CLAUSE_BREAK_WORDS = frozenset({"but", "however", "although", "though", "whereas", "except", "then", "yet", "unfortunately"})
_JOINED_DASH = re.compile("(?<=\\w)([\u2014\u2013])(?=\\w)")  # an em or en dash set between words, unspaced
CLAUSE_BREAK_PUNCT = (",", ";", ":", "\u2014", "\u2013")
CACHE_LIMIT = 200_000
# a compound (or mean) this close to 0 is neutral: VADER's +-0.05 convention, shared by the rules that
# read tone (stages, themes, scoring)
NEUTRAL_EPS = 0.05
UNIT_CLAUSE_END = (",", ";", ":", ".", "!", "?")  # a unit ending in one of these ends its clause
# Hiring terms that negate the rest of their clause rather than being a complaint by themselves:
# "not once did he look up" is a complaint (the term's own valence), "not once did they make me
# feel rushed" is praise (the negative words after it are negated and the term says nothing).
SCOPE_NEGATORS = frozenset({"not once", "never once"})
# A comparison names a foil: "I'll take that over three weeks of silence", "a fast no beats a slow
# maybe", "better than being ghosted", "instead of a form email". The negative words of the foil
# (up to FOIL_SPAN units, within the clause) are not what happened and carry no valence.
FOIL_AFTER = {"than": frozenset({"rather", "better", "nicer", "kinder", "faster", "quicker", "clearer"}),
              "of": frozenset({"instead"}), "over": frozenset({"that", "this", "it"})}
FOIL_WORDS = frozenset({"beats", "beat", "unlike"})
# what the writer braced for is not what happened either ("Braced myself for the usual week of
# silence. Instead she emailed that afternoon."); it reaches to the end of its clause
EXPECT_WORDS = frozenset({"braced", "bracing", "expected", "expecting"})
# the units that can open a foil (besides "... over" terms)
_FOIL_KEYS = frozenset(FOIL_AFTER) | FOIL_WORDS | EXPECT_WORDS
FOIL_SPAN = 6
# "no" / "zero" before a bad thing: it was absent (see _absent_complaints)
ABSENT = frozenset({"no", "zero"})
ABSENT_SPAN = 4
# "nobody" / "no one" as a clause's subject negates the clause (see _nobody_scope); "no" only as "no one"
NOBODY = frozenset({"nobody", "noone", "no-one", "no"})
CLAUSE_OPENERS = frozenset({"and", "but", "so", "yet", "then", "also", "honestly", "literally", "because"})
# a hiring event with no object did not happen: "rescinded nothing", "ghosted nobody"
NONE_OBJECTS = frozenset({"nothing", "nobody", "noone", "no-one", "none"})
EXPECT_SPAN = 10


def load_vader_lexicon(path: Path = VADER_LEXICON_FILE) -> dict[str, float]:
    """Read VADER's word -> valence table from the installed package, less the words this module makes
    boosters (HIRING_BOOSTERS). Side effect: reads a file."""
    lex: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        if word not in HIRING_BOOSTERS:  # (a booster of ours carries no valence: VADER boosts only from a word
            lex[word] = float(measure)  # outside its table)
    return lex


def load_vader_emoji(path: Path = VADER_EMOJI_FILE) -> dict[str, str]:
    """Read VADER's emoji -> description table. Side effect: reads a file."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").rstrip("\n").split("\n"):
        emoji, desc = line.strip().split("\t")[0:2]
        out[emoji] = desc
    return out


def normalize(score: float, alpha: float = ALPHA) -> float:
    """VADER's squashing of a valence sum into [-1, 1]."""
    norm = score / math.sqrt(score * score + alpha)
    return max(-1.0, min(1.0, norm))


def _strip_punc_if_word(token: str) -> str:
    stripped = token.strip(_PUNCT)
    return token if len(stripped) <= 2 else stripped


_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _is_negation(word: str) -> bool:
    return word in NEGATE or "n't" in word


# negators only before this word: "instead of feedback" negates the feedback, while "Instead I was ghosted"
# tells what happened instead
NEGATOR_BEFORE = {"instead": "of"}


def _is_hiring_negator(word: str, following: str | None = None) -> bool:
    """Whether ``word`` (followed by ``following``) negates the hiring-lexicon term after it."""
    if word in NEGATOR_BEFORE:
        return following == NEGATOR_BEFORE[word]
    return word in HIRING_NEGATORS or ("n't" in word and word != "n't")


# (VADER word: punctuation stripped, its lower case, normalised token, VADER word upper case,
#  lower case in VADER's lexicon, a clause-break word, ends a clause by punctuation)
_Token = tuple[str, str, str, bool, bool, bool, bool]


@dataclass(frozen=True, slots=True)
class Hit:
    """A hiring-lexicon term found in a sentence, with the valence it contributed."""

    term: str
    text: str
    valence: float
    negated: bool
    theme: str | None
    token: int  # index of the first original token

    def muted(self) -> "Hit":
        """The same hit with no valence and no theme (a foil's words, a scope negator's own)."""
        return Hit(self.term, self.text, 0.0, self.negated, None, self.token)

    def to_dict(self) -> dict:
        return {"term": self.term, "text": self.text, "valence": round(self.valence, 3),
                "negated": self.negated, "theme": self.theme}


@dataclass(frozen=True, slots=True)
class SentenceSentiment:
    """Sentiment of one sentence.

    ``tokens`` are the whitespace tokens, ``norm`` their normalised forms (used by
    the other matchers), ``token_valence`` the rule-adjusted valence credited to
    each token (before the "but" shift), ``clauses`` (start, end, compound) spans.
    """

    text: str
    compound: float
    tokens: tuple[str, ...]
    norm: tuple[str, ...]
    token_valence: tuple[float, ...]
    clauses: tuple[tuple[int, int, float], ...]
    hits: tuple[Hit, ...]

    def clause_of(self, token: int) -> int:
        for k, (s, e, _c) in enumerate(self.clauses):
            if s <= token < e:
                return k
        return max(0, len(self.clauses) - 1)


class SentimentScorer:
    """Scores sentences with VADER's rules plus an optional hiring lexicon.

    ``bundle=None`` gives plain VADER behaviour. Results are cached per sentence
    text (bounded); instances are not thread-safe but are cheap to copy into
    worker processes. ``tables``: further phrase tables that :meth:`score_with_matches`
    searches in the same pass over the normalised tokens as the hiring terms.
    """

    def __init__(self, bundle: LexiconBundle | None = None, vader_lexicon: dict[str, float] | None = None,
                 emoji: dict[str, str] | None = None, *, tables: Sequence[PhraseMatcher] = ()) -> None:
        self.bundle = bundle
        self.lexicon = vader_lexicon if vader_lexicon is not None else _default_vader()
        self.emoji = emoji if emoji is not None else _default_emoji()
        self._tables = PhraseTables((bundle.sentiment if bundle is not None else PhraseMatcher(), *tables))
        # gapped terms none of whose written words negates: a negator inside a match fell in a gap
        self._gap_negatable = frozenset(
            t for t in (bundle.sentiment_terms if bundle is not None else ())
            if "~" in t.split() and not any(_is_hiring_negator(alt.translate(APOSTROPHES)) or _is_negation(alt)
                                            for slot in t.split() for alt in slot.split("|")))
        self._cache: dict[str, SentenceSentiment] = {}
        self._tokens: dict[str, _Token] = {}

    # -- public -----------------------------------------------------------
    def compound(self, sentence: str) -> float:
        """VADER-style compound in [-1, 1] for one sentence."""
        return self.score(sentence).compound

    def score(self, sentence: str) -> SentenceSentiment:
        """Full per-sentence analysis (cached)."""
        cached = self._cache.get(sentence)
        if cached is not None:
            return cached
        result = self._score(sentence)[0]
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[sentence] = result
        return result

    def score_with_matches(self, sentence: str) -> tuple[SentenceSentiment, list[list[Match]]]:
        """Uncached :meth:`score`, plus per extra table (``tables``) its matches in the sentence's
        normalised tokens (``table.find(norm)``), found in the same pass as the hiring terms."""
        sent, found = self._score(sentence)
        return sent, found[1:]

    # -- internals --------------------------------------------------------
    def _tokenizable(self, text: str) -> str:
        """The sentence as its whitespace tokens are cut from: stripped; beyond ASCII, a dash set between
        words spaced out and each emoji replaced by its description."""
        if text.isascii():
            return text.strip()
        if "\u2014" in text or "\u2013" in text:  # "went well—then nothing": a dash between words is a word
            text = _JOINED_DASH.sub(r" \1 ", text)  # of its own, as the spaced dash is (a clause break)
        out: list[str] = []
        prev_space = True
        for ch in text:
            desc = self.emoji.get(ch)
            if desc is not None:
                if not prev_space:
                    out.append(" ")
                out.append(desc)
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out).strip()

    def _token(self, raw: str) -> _Token:
        """Per-token facts the rules need, memoised per whitespace token (tokens repeat a lot)."""
        word = _strip_punc_if_word(raw)
        # (curly apostrophes unified, as the lexicon's tokens are: "wasn’t" negates as "wasn't" does)
        lower = word.translate(APOSTROPHES).lower()
        norm = norm_token(raw)
        brk = norm in CLAUSE_BREAK_WORDS, raw.endswith(CLAUSE_BREAK_PUNCT) or raw in ("-", "\u2014", "\u2013")
        info = (word, lower, norm, word.isupper(), lower in self.lexicon, *brk)
        if len(self._tokens) >= CACHE_LIMIT:
            self._tokens.clear()
        self._tokens[raw] = info
        return info

    def _score(self, sentence: str) -> tuple[SentenceSentiment, list[list[Match]]]:
        text = self._tokenizable(sentence)
        raw = text.split()
        get = self._tokens.get
        infos = [get(w) or self._token(w) for w in raw]
        words, lowers, norm, upper, lexical, brk_word, brk_punct = zip(*infos) if infos else ((),) * 7
        n_tok = len(raw)
        lex = self.lexicon
        # allcap differential (VADER): some but not all tokens are upper case
        n_upper = sum(upper)
        is_cap_diff = 0 < (n_tok - n_upper) < n_tok

        # Build units: hiring-term spans become one unit each. Only units in VADER's lexicon
        # or holding a hiring term ("active") can carry valence.
        found = self._tables.find(norm)
        matches = found[0]
        if not matches:  # one unit per token
            u_lower, u_orig, u_start, raw_units, in_lex = lowers, words, range(n_tok), raw, lexical
            u_term: list = [None] * n_tok  # SentimentTerm or None
            active = list(compress(u_start, in_lex))
        else:
            u_lower, u_orig, u_start, u_term, in_lex, active = [], [], [], [], [], []
            by_start = {m.start: m for m in matches}
            terms = self.bundle.sentiment_terms  # type: ignore[union-attr]
            i = 0
            while i < n_tok:
                m = by_start.get(i)
                if m is not None:
                    term = terms[m.entry.term]
                    active.append(len(u_lower))
                    u_lower.append(" ".join(norm[m.start:m.end]))
                    u_orig.append(" ".join(words[m.start:m.end]))
                    u_term.append(term)
                    in_lex.append(term.valence != 0 or term.negated_valence is not None)
                    u_start.append(i)
                    i = m.end
                else:
                    if lexical[i]:
                        active.append(len(u_lower))
                    u_lower.append(lowers[i])
                    u_orig.append(words[i])
                    u_term.append(None)
                    in_lex.append(lexical[i])
                    u_start.append(i)
                    i += 1
            # a unit's raw text for the clause checks is its last token's ("waste my time:" ends a clause)
            raw_units = [raw[e - 1] for e in (*u_start[1:], n_tok)]
        n = len(u_lower)

        sentiments = [0.0] * n
        hits: list[Hit] = []
        # units in a clause whose subject is "nobody" / "no one" (read by hiring terms and VADER words alike)
        nobody = _nobody_scope(u_lower, raw_units) if self.bundle is not None and not NOBODY.isdisjoint(
            u_lower) else _NO_UNITS
        for i in active:
            term = u_term[i]
            if term is not None:
                sentiments[i] = self._hiring_valence(i, term, u_lower, u_orig, raw_units, in_lex, is_cap_diff, hits,
                                                     u_start, i in nobody)
                continue
            item = u_lower[i]
            # boosters and "kind of" carry no valence of their own
            if item in BOOSTER_DICT or (item == "kind" and i < n - 1 and u_lower[i + 1] == "of"):
                continue
            valence = lex[item]
            if item == "no" and i != n - 1 and in_lex[i + 1]:
                valence = 0.0
            if (i > 0 and u_lower[i - 1] == "no") or (i > 1 and u_lower[i - 2] == "no") or (
                i > 2 and u_lower[i - 3] == "no" and u_lower[i - 1] in ("or", "nor")
            ):
                valence = lex[item] * N_SCALAR
            if is_cap_diff and u_orig[i].isupper():
                valence = valence + C_INCR if valence > 0 else valence - C_INCR
            for start_i in range(3):
                j = i - (start_i + 1)
                if i > start_i and not in_lex[j]:
                    s = _scalar_inc_dec(u_orig[j], u_lower[j], valence, is_cap_diff)
                    if start_i == 1 and s != 0:
                        s *= 0.95
                    elif start_i == 2 and s != 0:
                        s *= 0.9
                    valence += s
                    valence = _negation_check(valence, u_lower, start_i, i)
                    if start_i == 2:
                        valence = _special_idioms_check(valence, u_lower, i)
            sentiments[i] = _least_check(valence, u_lower, in_lex, i)

        # (a unit ending in " over" is a hiring term of several tokens: only with matches)
        if self.bundle is not None and (not _FOIL_KEYS.isdisjoint(u_lower) or (
                matches and any(w.endswith(" over") for w in u_lower))):
            _foil(u_lower, raw_units, sentiments, hits, u_start)
        if matches and hits and any(h.term in SCOPE_NEGATORS for h in hits):
            _scope_negation(u_term, u_start, raw_units, sentiments, hits)
        for j in nobody:  # "Nobody was rude": VADER has no such negator
            if u_term[j] is None and sentiments[j]:
                sentiments[j] *= N_SCALAR
        if self.bundle is not None and not ABSENT.isdisjoint(u_lower):
            _absent_complaints(u_lower, u_term, raw_units, sentiments)
        # positive words inside quotes are someone else's ("we value every applicant",
        # 'Thank you, your application will not be progressed') or ironic; they do not make the
        # writer positive (only sentences with a positive word need the quote spans)
        if self.bundle is not None and any(v > 0 for v in sentiments):
            single = _SINGLE_OPEN.search(text) is not None
            if single or '"' in text or "\u201c" in text:
                quoted = quoted_tokens(raw, single)
                for k in range(n):
                    if sentiments[k] > 0 and quoted[u_start[k]]:
                        sentiments[k] = 0.0
        # per-token valence (before the "but" shift), for clause scores
        if matches:
            token_valence = [0.0] * n_tok
            for k, v in enumerate(sentiments):
                token_valence[u_start[k]] += v
        else:
            token_valence = [0.0 + v for v in sentiments]
        sentiments = _but_check(u_lower, sentiments)
        compound = 0.0
        if sentiments:
            total = float(sum(sentiments))
            amp = _punctuation_emphasis(text)
            if total > 0:
                total += amp
            elif total < 0:
                total -= amp
            compound = round(normalize(total), 4)
        clauses = _clauses(brk_word, brk_punct, token_valence)
        return SentenceSentiment(sentence, compound, tuple(raw), norm, tuple(token_valence), clauses,
                                 tuple(hits)), found

    def _hiring_valence(self, i: int, term, u_lower: list[str], u_orig: list[str], raw_units: list[str],
                        in_lex: list[bool], is_cap_diff: bool, hits: list[Hit], u_start: list[int],
                        nobody_subject: bool = False) -> float:
        negated = False
        for k in range(1, HIRING_NEG_WINDOW + 1):
            j = i - k
            if j < 0:
                break
            if raw_units[j].endswith(UNIT_CLAUSE_END) or u_lower[j] in CLAUSE_BREAK_WORDS:
                break  # a negator in an earlier clause ("didn't get it but no complaints") is not this one's
            if _is_hiring_negator(u_lower[j], u_lower[j + 1]):
                # "never felt so respected", "never had such a kind panel": an exclamation, not a
                # negation (VADER's "never so" rule, widened to the words between)
                negated = not (u_lower[j] == "never" and not EXCLAIM_AFTER_NEVER.isdisjoint(u_lower[j + 1:i]))
                break
        if not negated and i + 1 < len(u_lower) and u_lower[i + 1] in NONE_OBJECTS and not raw_units[i].endswith(
                UNIT_CLAUSE_END):
            negated = True  # the event with no object: "rescinded nothing, ghosted nobody"
        negated = negated or nobody_subject  # "No one was rude or dismissive" (past the window)
        if not negated and term.term in self._gap_negatable:
            # a negator that fell in the term's gap: "my laptop wasn't working" is no "laptop ~ working"
            inner = u_lower[i].split()
            negated = any(_is_hiring_negator(w, inner[k + 1]) for k, w in enumerate(inner[1:-1], start=1))
        if negated:
            valence = term.negated_valence if term.negated_valence is not None else term.valence * N_SCALAR
            theme = term.negated_theme
        else:
            valence = term.valence
            theme = term.theme
        if valence == 0 and theme is None:
            return 0.0
        if valence != 0:
            if is_cap_diff and any(part.isupper() for part in u_orig[i].split()):
                valence = valence + C_INCR if valence > 0 else valence - C_INCR
            for start_i in range(3):
                j = i - (start_i + 1)
                if j >= 0 and not in_lex[j]:
                    s = _scalar_inc_dec(u_orig[j], u_lower[j], valence, is_cap_diff)
                    if start_i == 1:
                        s *= 0.95
                    elif start_i == 2:
                        s *= 0.9
                    valence += s
        hits.append(Hit(term.term, u_orig[i], valence, negated, theme, u_start[i]))
        return valence


def _foil(u_lower: list[str], raw_units, sentiments: list[float], hits: list[Hit], u_start) -> None:
    """Zero the negative valences of a comparison's foil (see FOIL_AFTER); its hiring terms' hits
    are kept with valence 0 and no theme."""
    n = len(u_lower)
    for i, w in enumerate(u_lower):
        before = FOIL_AFTER.get(w)
        expect = w in EXPECT_WORDS
        if before is None and w not in FOIL_WORDS and not expect and not (" take " in w and w.endswith(" over")):
            continue  # (the last: the hiring term "i'll take that over")
        if before is not None and not (i > 0 and u_lower[i - 1] in before):
            continue
        if w == "over" and not (i > 1 and u_lower[i - 2] == "take"):
            continue
        if raw_units[i].endswith(UNIT_CLAUSE_END):
            continue
        for j in range(i + 1, min(n, i + 1 + (EXPECT_SPAN if expect else FOIL_SPAN))):
            if sentiments[j] < 0:
                sentiments[j] = 0.0
                for k, h in enumerate(hits):
                    if h.token == u_start[j] and h.valence < 0:
                        hits[k] = h.muted()
            if raw_units[j].endswith(UNIT_CLAUSE_END):
                break


def _absent_complaints(u_lower: list[str], u_term: list, raw_units, sentiments: list[float]) -> None:
    """ "no"/"zero" before a bad thing tells that it was absent: "no trick questions", "zero
    whiteboard hazing", "no 40-page policy dump". VADER negates only the next two words after "no";
    here a negative VADER word further on, within ABSENT_SPAN units of the same clause, is negated
    too.
    Before a neutral or good thing ("no laptop", "no help") VADER's reading stands."""
    n = len(u_lower)
    for i, w in enumerate(u_lower):
        if w not in ABSENT or raw_units[i].endswith(UNIT_CLAUSE_END):
            continue  # (a one-word unit: "no" on its own, possibly the lexicon's toneless "no")
        for j in range(i + 1, min(n, i + 1 + ABSENT_SPAN)):
            if u_lower[j] in ABSENT:
                break  # the next item of a list ("no X, no Y") is its own
            # (VADER negates the nearer two after "no" itself, but knows no "zero": "Zero chaos.")
            if sentiments[j] < 0 and u_term[j] is None and (j - i > 2 or w == "zero"):
                sentiments[j] *= N_SCALAR
                sentiments[i] = 0.0
                break
            if raw_units[j].endswith(UNIT_CLAUSE_END):
                break


def _nobody_opens(u_lower: list[str], raw_units, i: int) -> bool:
    """Unit ``i`` is "nobody" / "no one" opening its clause (the subject, not an object as in
    "ghosted nobody"); a hiring term holding the word ("nobody replied") is one unit, not this."""
    w = u_lower[i]
    if w not in NOBODY or (w == "no" and not (i + 1 < len(u_lower) and u_lower[i + 1] == "one")):
        return False
    return i == 0 or raw_units[i - 1].endswith(UNIT_CLAUSE_END) or u_lower[i - 1] in CLAUSE_OPENERS


def _nobody_scope(u_lower: list[str], raw_units) -> frozenset[int]:
    """The units of the clauses whose subject is "nobody" / "no one", after that subject up to the
    clause's end: such a clause tells what did not happen, so its words are negated ("Nobody was
    rude" is praise, "Nobody was helpful" a complaint, "No one was rude or dismissive")."""
    n = len(u_lower)
    out: set[int] = set()
    for i in range(n):
        if not _nobody_opens(u_lower, raw_units, i) or raw_units[i].endswith(UNIT_CLAUSE_END):
            continue
        for j in range(i + 1, n):
            out.add(j)
            if raw_units[j].endswith(UNIT_CLAUSE_END) or u_lower[j] in CLAUSE_BREAK_WORDS:
                break
    return frozenset(out)


_NO_UNITS: frozenset[int] = frozenset()


def _scope_negation(u_term: list, u_start, raw_units, sentiments: list[float], hits: list[Hit]) -> None:
    """Apply SCOPE_NEGATORS: words with valence later in the clause are negated; when one of them
    was negative the negator carries no valence of its own (its hit is kept with valence 0)."""
    n = len(sentiments)
    for i, term in enumerate(u_term):
        if term is None or term.term not in SCOPE_NEGATORS:
            continue
        flipped = False
        for j in range(i + 1, n):
            if sentiments[j] != 0:
                flipped = flipped or sentiments[j] < 0
                sentiments[j] *= N_SCALAR
            if raw_units[j].endswith(UNIT_CLAUSE_END):
                break
        if flipped:
            sentiments[i] = 0.0
            for k, h in enumerate(hits):
                if h.token == u_start[i] and h.term == term.term:
                    hits[k] = h.muted()


_OPEN_Q = ('"', "\u201c")
_SINGLE_Q = ("'", "\u2018", "\u2019")
_SINGLE_OPEN = re.compile("(?:^|[\\s(\\[])['\u2018]\\w")  # a single quote that opens a word
_CLOSE_Q = ('"', "\u201d")


def quoted_tokens(raw: list[str], single: bool = False) -> list[bool]:
    """Per token: inside a quoted span (quote marks glued to words, as typed). Double quotes open
    and close as typed; with ``single``, a single-quoted span ('we've decided not to move forward')
    counts only when it closes within the sentence, since a lone apostrophe opens words too ('em,
    'cause) and ends plural possessives (candidates')."""
    out = [False] * len(raw)
    if single:
        k = 0
        while k < len(raw):
            t = raw[k].strip("([{*_")
            if t[:1] in _SINGLE_Q and len(t) > 1 and (t[1].isalnum() or t[1] in _SINGLE_Q):
                end = next((j for j in range(k, len(raw))
                            if (b := raw[j].rstrip(".,;:!?)]}")).endswith(_SINGLE_Q) and (j > k or len(b) > 2)), None)
                if end is not None:
                    out[k:end + 1] = [True] * (end + 1 - k)
                    k = end + 1
                    continue
            k += 1
    inside = False
    for k, tok in enumerate(raw):
        t = tok.strip("([{*_")
        opens = t.startswith(_OPEN_Q)
        body = t.rstrip(".,;:!?)]}")
        closes = len(body) > 1 and body.endswith(_CLOSE_Q) or (opens and len(body) == 1 and inside)
        if not inside and opens:
            inside = True
            out[k] = True
            if closes and len(body) > 1:
                inside = False
            continue
        if inside:
            out[k] = True
            if closes or body.endswith(_CLOSE_Q):
                inside = False
    return out


def _scalar_inc_dec(word: str, word_lower: str, valence: float, is_cap_diff: bool) -> float:
    scalar = BOOSTER_DICT.get(word_lower, 0.0)
    if scalar:
        if valence < 0:
            scalar = -scalar
        if is_cap_diff and word.isupper():
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negation_check(valence: float, lw: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _is_negation(lw[i - 1]):
            valence *= N_SCALAR
    elif start_i == 1:
        if lw[i - 2] == "never" and lw[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lw[i - 2] == "without" and lw[i - 1] == "doubt":
            pass
        elif _is_negation(lw[i - 2]):
            valence *= N_SCALAR
    else:
        if (lw[i - 3] == "never" and lw[i - 2] in ("so", "this")) or lw[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lw[i - 3] == "without" and (lw[i - 2] == "doubt" or lw[i - 1] == "doubt"):
            pass
        elif _is_negation(lw[i - 3]):
            valence *= N_SCALAR
    return valence


def _special_idioms_check(valence: float, lw: list[str], i: int) -> float:
    onezero = f"{lw[i - 1]} {lw[i]}"
    twoonezero = f"{lw[i - 2]} {lw[i - 1]} {lw[i]}"
    twoone = f"{lw[i - 2]} {lw[i - 1]}"
    threetwoone = f"{lw[i - 3]} {lw[i - 2]} {lw[i - 1]}"
    threetwo = f"{lw[i - 3]} {lw[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lw) - 1 > i:
        zeroone = f"{lw[i]} {lw[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lw) - 1 > i + 1:
        zeroonetwo = f"{lw[i]} {lw[i + 1]} {lw[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for ngram in (threetwoone, threetwo, twoone):
        if ngram in BOOSTER_DICT:
            valence += BOOSTER_DICT[ngram]
    return valence


def _least_check(valence: float, lw: list[str], in_lex: list[bool], i: int) -> float:
    if i > 1 and not in_lex[i - 1] and lw[i - 1] == "least":
        if lw[i - 2] != "at" and lw[i - 2] != "very":
            valence *= N_SCALAR
    elif i > 0 and not in_lex[i - 1] and lw[i - 1] == "least":
        valence *= N_SCALAR
    return valence


def _but_check(lw: list[str], sentiments: list[float]) -> list[float]:
    """VADER's contrastive-"but" weighting, reproduced including its index() lookup."""
    if "but" not in lw:
        return sentiments
    bi = lw.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _punctuation_emphasis(text: str) -> float:
    ep = min(text.count("!"), 4) * 0.292
    qm = text.count("?")
    qa = 0.0
    if qm > 1:
        qa = qm * 0.18 if qm <= 3 else 0.96
    return ep + qa


def _clauses(brk_word: tuple[bool, ...], brk_punct: tuple[bool, ...],
             token_valence: list[float]) -> tuple[tuple[int, int, float], ...]:
    """Split a sentence into clauses at contrastive words and clause punctuation (per-token flags)."""
    n_tok = len(token_valence)
    if not (any(brk_word) or any(brk_punct)):
        return ((0, n_tok, round(normalize(sum(token_valence)), 4) if n_tok else 0.0),)
    spans: list[tuple[int, int]] = []
    start = 0
    for k in range(n_tok):
        if brk_word[k] and k > start:
            spans.append((start, k))
            start = k
        if brk_punct[k]:
            spans.append((start, k + 1))
            start = k + 1
    if start < n_tok or not spans:
        spans.append((start, n_tok))
    out = []
    for s, e in spans:
        if e <= s and spans != [(0, 0)]:
            continue
        out.append((s, e, round(normalize(sum(token_valence[s:e])), 4) if e > s else 0.0))
    return tuple(out)


_VADER_LEX: dict[str, float] | None = None
_VADER_EMOJI: dict[str, str] | None = None


def _default_vader() -> dict[str, float]:
    global _VADER_LEX
    if _VADER_LEX is None:
        _VADER_LEX = load_vader_lexicon()
    return _VADER_LEX


def _default_emoji() -> dict[str, str]:
    global _VADER_EMOJI
    if _VADER_EMOJI is None:
        _VADER_EMOJI = load_vader_emoji()
    return _VADER_EMOJI
