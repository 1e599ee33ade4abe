"""Hiring stages: the journey order, human labels and clause-level attribution.

A post is attributed to every stage it reports something about (multi-label).
Cues come from ``analysis/lexicon/stages.tsv``. Each cue is *strong* (the clause
is about that stage: "onsite", "rescinded", "ghosted") or *weak* (a mention:
"applied", "recruiter", "start date"). Rules, applied per clause:

1. a cue right after "after", "before", "following", "since", "post", "within",
   "of" ("within an hour of applying") or "day" ("the day I applied") is a time
   reference ("ghosted after the final round", also across a length: "after a
   4 hour assessment centre") and never labels a stage on its
   own; a cue after "any", "every", "most", "all" is generic talk ("the most
   useful thing I've had out of any interview process") and is treated alike;
   so is every cue of a hypothetical or advice sentence ("If you get to the offer
   stage, ...", "you should always follow up after an interview"), and an application
   or interview cue after a modal ("I'd apply again", "would never interview there again");
2. events: a hiring-lexicon hit names what happened and so its stage
   (``THEME_STAGE``: silence -> rejection, rescinded -> offer, paperwork ->
   onboarding, ...), added as a strong cue when the sentence has no strong
   cue of its own; in a sentence narrating a rejection or silence ("Applied,
   interviewed twice, then radio silence"), earlier cues of other stages whose
   clause says nothing about them (neutral, no lexicon hit) situate the
   rejection and are dropped, unless the step is told with a detail of its own
   (a predicate, "the interview was short"; whom it was with, "a video interview
   with a team leader"; its length, "a 10 min phone screen": ``_detailed``);
3. weak cues count only when the sentence has no strong cue;
3. a clause without cues inherits the stages of the previous clause of the same
   sentence (else the next one); a sentence without any cue inherits the
   stages of the previous sentence when it carries sentiment (discourse
   continuation: "Had my onsite Tuesday. Everyone was kind.");
4. a stage's sentiment is the mean compound of its non-neutral clauses;
5. a cue-less short line telling only today's date after a step ("It's 30 May.") is the
   silence (rejection); silence or a missing reason after an offer is about the offer.

Silence or no response after applying or interviewing is the "rejection" stage.
Pure functions; no I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field

from analysis.lexicon import Match
from analysis.sentiment import NEUTRAL_EPS, SentenceSentiment
from hirepulse.models import STAGES

logger = logging.getLogger(__name__)

STAGE_LABELS: dict[str, str] = {
    "application": "Application",
    "screening": "Screening",
    "interview": "Interview",
    "offer": "Offer",
    "rejection": "Rejection / no response",
    "onboarding": "Onboarding",
}
STAGE_ORDER = {s: i for i, s in enumerate(STAGES)}
TEMPORAL_WORDS = frozenset({"after", "before", "following", "since", "post", "until", "till", "prior", "within"})
# only right before the cue (window 2): "within an hour of applying", "the same day I applied"
TEMPORAL_NEAR = frozenset({"of", "day", "days", "when", "once", "morning", "hours", "minutes"})
GENERIC_WORDS = frozenset({"any", "every", "most", "all", "each", "other", "typical", "usual", "average",
                           "anyone", "anybody", "everyone", "everybody", "whoever"})
HYPOTHETICAL_STARTS = frozenset({"if", "when", "whenever", "before", "always", "never", "don't", "dont", "do",
                                 "make", "ask", "keep", "prepare", "send", "follow", "research", "try", "should"})
PAST_VERBS = frozenset({"heard", "got", "came", "went", "said", "told", "gave", "sent", "made", "took", "saw",
                        "knew", "felt", "found", "left", "met", "paid", "wrote", "spoke", "thought", "did", "had",
                        "was", "were", "rang", "replied", "bothered"})
ADVICE_WORDS = frozenset({"you", "your", "you're", "you'll", "you've", "should"})
TEMPORAL_WINDOW = 4
# "the job I interviewed for": a step named in a relative clause after a noun naming the job or employer, or
# a person met in the process ("the manager I interviewed with"), only says which (_names_the_job), as a time
# reference does; for these stages
JOB_NOUNS = frozenset({"job", "jobs", "role", "roles", "position", "positions", "post", "posts",
                       "vacancy", "company", "companies", "firm", "firms", "employer", "employers", "place",
                       "places", "internship", "internships", "team", "teams", "one", "ones"})
PEOPLE_NOUNS = frozenset({"someone", "somebody", "person", "people", "manager", "managers", "recruiter",
                          "recruiters", "guy", "guys", "man", "men", "woman", "women", "lady", "ladies", "folks",
                          "director"})
RELATIVE_HEADS = JOB_NOUNS | PEOPLE_NOUNS
RELATIVE_SUBJECTS = frozenset({"i", "we", "i'd", "i've", "we'd", "we've"})
RELATIVE_AUXILIARIES = frozenset({"had", "have", "has", "just", "recently", "originally"})
NAMING_STAGES = frozenset({"application", "screening", "interview"})
# words allowed between a time word and the cue it situates ("after my second interview");
# anything else ("after that they ghosted me") means the cue is the narrated event
TEMPORAL_FILLER = frozenset({
    "the", "my", "a", "an", "our", "their", "his", "her", "your", "final", "first", "second", "third", "fourth",
    "last", "initial", "phone", "video", "onsite", "in-person", "technical", "2nd", "3rd", "4th", "two", "three",
    "four", "five", "several", "i", "we", "you", "had", "was", "formal", "official", "job", "written", "verbal",
    "same", "next", "very", "hr", "recruiter", "panel", "group", "one", "another",
})
MEASURE_UNITS = frozenset({"hour", "minute", "min", "day", "week", "month", "stage", "round", "part", "step"})
MEASURE_WORDS = frozenset({"half", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                           "hour", "hours", "minute", "minutes", "mins", "full", "whole", "long", "entire"}) | MEASURE_UNITS
# the silence after a step told by today's date ("Applied 2 April. It's 30 May.")
# "<part> of the interview": the step itself is told, not a time reference
PART_WORDS = frozenset({"most", "rest", "half", "part", "start", "beginning", "middle", "end", "bulk", "whole",
                        "entirety", "majority", "remainder", "all", "much", "some"})
WAITING_STAGES = frozenset({"application", "screening", "interview", "offer"})
SILENCE_TONE = -0.3  # such a date line reads as a complaint about the wait
DATE_NOW_STARTS = frozenset({"it's", "its", "today", "today's", "now", "and", "currently"})
DATE_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})
# a review's "Pros:" / "Cons:" heading evaluates the plain facts listed under it
REVIEW_LABELS = {"pros": 0.3, "pro": 0.3, "cons": -0.3, "con": -0.3}
SILENCE_THEMES = frozenset({"ghosting", "no_feedback"})
# "I'd apply again", "would never recommend applying": an intention about a step, not a step taken
INTENT_STAGES = frozenset({"application", "interview"})
# "They'll let me know by Friday": a reply still to come ("they said they'd let me know" is often told
# before the silence that followed, so the reported promise keeps its cue)
FUTURE_REPLY = frozenset({"they'll", "theyll", "will", "she'll", "he'll", "we'll", "gonna"})
INTENT_MODALS = frozenset({"i'd", "i'll", "id", "would", "wouldn't", "will", "won't", "we'd", "we'll"})
AGAIN_INTENT = frozenset({"not", "never", "i'm", "im", "am"})
INTENT_FILLER = frozenset({"not", "never", "happily", "gladly", "definitely", "probably", "still", "also", "even",
                           "recommend", "recommending", "consider", "considering", "love", "like", "to", "again",
                           "absolutely", "totally", "certainly", "honestly", "be", "ever"})
# Stage implied by a hiring-lexicon theme: the event a sentence narrates
THEME_STAGE = {
    "ghosting": "rejection", "no_feedback": "rejection", "automated_rejection": "rejection",
    "useful_feedback": "rejection",
    "rescinded_offer": "offer", "lowball_offer": "offer", "fair_offer": "offer", "misleading_role": "offer",
    "paperwork_burden": "onboarding", "poor_onboarding": "onboarding", "good_onboarding": "onboarding",
    "clunky_application": "application",
    "excessive_assignments": "interview", "excessive_rounds": "interview", "unfair_interview": "interview",
    "fair_interview": "interview", "disrespectful_interviewer": "interview", "disorganised_scheduling": "interview",
}
# Themes about how people behaved or scheduled: in a sentence about a recruiter or HR call, they are screening
CONDUCT_THEMES = frozenset({"disrespectful_interviewer", "disorganised_scheduling", "unfair_interview",
                            "fair_interview"})
FIRST_PERSON_PAST = frozenset({"i", "i'd", "i've", "i'm", "me", "my", "we"})
SARCASM_FLOOR, SARCASM_FLIP = 0.3, 0.8  # a sarcastic positive clause c reads as -max(c, FLOOR) * FLIP
MAX_CARRY = 2  # sentences a stage may be carried over without a new cue
SHRUG_MAX_TOKENS = 3  # a short positive exclamation after a complaint ("Great.") carries no stage


@dataclass(frozen=True, slots=True)
class StageCue:
    stage: str
    strength: str  # "strong" | "weak"
    term: str
    token: int
    temporal: bool


@dataclass(frozen=True, slots=True)
class SentenceStages:
    """Stage attribution of one sentence: per clause, the stages and whether cued or inherited."""

    clause_stages: tuple[tuple[str, ...], ...]
    cued: tuple[str, ...]  # stages with an own (non-inherited) cue in this sentence
    cues: tuple[StageCue, ...]
    # derived from ``cues`` (once per sentence, for :func:`attribute`): stages of the firm cues
    # (strong or event, not a time reference)
    firm: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "firm", frozenset(c.stage for c in self.cues
                                                   if c.strength != "weak" and not c.temporal))


# a step told with a detail of its own: a predicate right after it ("the interview was short", "the
# screen lasted ten minutes"), the people it was with ("interview with the site manager"), or its length
# ("a 10 min phone screen", "interview, 20 mins")
DETAIL_VERBS = frozenset({"was", "were", "lasted", "ran", "included", "involved", "consisted"})
DETAIL_UNITS = frozenset({"min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs"})
DETAIL_SPAN = 4  # tokens after the cue's first word
# what follows a predicate or "with" that is no detail of the step: when it was, or who held it
NOT_DETAILS = frozenset({"on", "at", "in", "last", "yesterday", "today", "ago", "this", "over", "them", "you",
                         "us", "it", "him", "her", "their"})


_DETAIL_WORDS = DETAIL_VERBS | DETAIL_UNITS | {"with"}


def _detailed(sent: SentenceSentiment, token: int) -> bool:
    """The stage cue at ``token`` is told with a detail of its own, in its clause (see DETAIL_VERBS)."""
    norm = sent.norm
    if _DETAIL_WORDS.isdisjoint(norm) and not any("-" in w for w in norm):
        return False  # (no predicate, no "with", no length: the common case, decided cheaply)
    clause = sent.clause_of(token)
    idx = [j for j in range(token + 1, min(len(norm), token + 1 + DETAIL_SPAN)) if sent.clause_of(j) == clause]
    near = [norm[j] for j in idx]
    for p in (0, 1):  # "the interview was short", "the phone screen lasted ..." (not "was 23 days ago")
        if len(near) > p and near[p] in DETAIL_VERBS:
            after = norm[idx[p] + 1] if idx[p] + 1 < len(norm) else ""
            if after and after not in NOT_DETAILS and not after.isdigit() and after not in MEASURE_WORDS:
                return True
    for p, w in enumerate(near[:3]):  # "with the site manager", not "with Larkspur" or "with them"
        if w == "with" and p + 1 < len(idx):
            nxt = idx[p + 1]
            if norm[nxt] not in NOT_DETAILS and not sent.tokens[nxt][:1].isupper():
                return True
    start, end, _c = sent.clauses[clause]
    words = norm[start:end]
    return any(w in DETAIL_UNITS and j and (words[j - 1].isdigit() or words[j - 1] in MEASURE_WORDS)
               for j, w in enumerate(words)) or any(
        w.partition("-")[2] in DETAIL_UNITS and w.partition("-")[0].isdigit() for w in words)


def sarcastic_reading(comp: float) -> float:
    """The tone of a positive clause or sentence read as sarcasm (for the post and its stages alike)."""
    return -max(comp, SARCASM_FLOOR) * SARCASM_FLIP


def _measure(w: str) -> bool:
    """A length or count between a time word and its cue: "after a 4 hour assessment centre",
    "after a three-hour panel", "after two 45-minute interviews"."""
    if w in MEASURE_WORDS or w.isdigit():
        return True
    head, _, unit = w.partition("-")
    return bool(unit) and unit.rstrip("s") in MEASURE_UNITS and (head.isdigit() or head in MEASURE_WORDS)


LENGTH_UNITS = frozenset({"days", "weeks", "months", "hours", "years", "minutes"})  # "five months of silence"


def _part_of(norm: tuple[str, ...] | list[str], j: int) -> bool:
    """ "of" naming a part of the step, not a time after it: "most of the interview", "the rest of
    the call", "half of the assessment" tell of the step itself ("within a day of applying" does not);
    so does a length of it: "five months of silence", "three weeks of radio silence"."""
    if norm[j] != "of" or j == 0:
        return False
    if norm[j - 1] in PART_WORDS:
        return True
    return norm[j - 1] in LENGTH_UNITS and TEMPORAL_WORDS.isdisjoint(norm[max(0, j - 4):j - 1])


def _date_now(norm: tuple[str, ...] | list[str]) -> bool:
    """A short sentence that only tells today's date or how long ago a promise was: "It's 30 May.",
    "It is the 29th.", "Today: 19 June.", "We're on working day 43.", "That was three Tuesdays ago."."""
    if not norm or len(norm) > 7:
        return False
    first = norm[0]
    if first in ("that", "this") and norm[-1] == "ago" and len(norm) > 2 and norm[1] == "was":
        return True
    starts = first in DATE_NOW_STARTS or (first == "it" and len(norm) > 1 and norm[1] == "is") or (
        first in ("we're", "we") and "on" in norm[:3])
    if not starts:
        return False
    return any(w in DATE_WORDS or w.rstrip("stndrh").isdigit() for w in norm[1:])


def _silent_tokens(sent: SentenceSentiment) -> list[int]:
    """Where the sentence's silence or missing-reason hits ("gone quiet", "no explanation") are."""
    return [h.token for h in sent.hits if h.theme in SILENCE_THEMES]


def _is_silence(cue: StageCue, silent: list[int]) -> bool:
    """A rejection cue that is one of those silence hits (or next to one), not a rejection in words."""
    return any(abs(cue.token - t) <= 1 for t in silent)


def _silence_only(sent: SentenceSentiment, cues: tuple[StageCue, ...]) -> bool:
    """Every rejection cue of the sentence is silence or a missing reason ("gone quiet", "no
    explanation"), not a rejection in words ("rejected", "went with someone else")."""
    silent = _silent_tokens(sent)
    live = [c for c in cues if c.stage == "rejection" and not c.temporal]
    return bool(live) and all(_is_silence(c, silent) for c in live)


def _intent(sent: SentenceSentiment, start: int) -> bool:
    """The writer's intention or recommendation, not a step taken: "I'd apply again", "I'll never
    interview there again", "would recommend applying", "I'd happily interview there again"."""
    norm = sent.norm
    clause = sent.clause_of(start)
    # "I'm not applying there again", "never interviewing with them again": a step the writer
    # rules out (or plans) for the future, told in the present
    again = any(norm[k] == "again" and sent.clause_of(k) == clause for k in range(start + 1, min(len(norm), start + 4)))
    for j in range(start - 1, max(0, start - 4) - 1, -1):
        w = norm[j]
        if sent.clause_of(j) != clause:
            return False
        if w in INTENT_MODALS or (again and w in AGAIN_INTENT):
            return True
        if w not in INTENT_FILLER:
            return False
    return False


# a condition inside the sentence ("... it'd be great if I got the job", "What if I'm not successful?"), not
# an indirect question ("asked me if I could interview on Friday", "to see if they were hiring")
CONDITIONALS = frozenset({"if", "unless", "whether"})
INDIRECT_BEFORE_IF = frozenset({"asked", "ask", "asking", "asks", "see", "seeing", "know", "knew", "wondered",
                                "wondering", "check", "checked", "checking", "confirm", "me", "us", "him", "her",
                                "them", "sure", "inquired", "enquired"})
# a step still to come, for the steps after the interviews ("they said they would send an offer", "I would
# be able to go to orientation", "expecting offers next week")
FUTURE_MARKERS = FUTURE_REPLY | frozenset({"would", "i'll", "it'll", "i'd", "they'd", "we'd", "she'd", "he'd",
                                           "expecting", "expect", "hoping", "hope", "hopefully"})
FUTURE_STAGES = frozenset({"offer", "onboarding"})
SUPPOSE_WINDOW = 6


def _supposed(sent: SentenceSentiment, start: int, stage: str) -> bool:
    """The cue at ``start`` names a step only supposed: under a condition earlier in its clause, or (an
    offer, the first days) still to come."""
    norm = sent.norm
    clause = sent.clause_of(start)
    for j in range(start - 1, max(-1, start - 1 - SUPPOSE_WINDOW * 2), -1):
        if sent.clause_of(j) != clause:
            break
        w = norm[j]
        if w in CONDITIONALS and not (j and norm[j - 1] in INDIRECT_BEFORE_IF):
            return True
        if (stage in FUTURE_STAGES and j >= start - SUPPOSE_WINDOW and w in FUTURE_MARKERS
                and not (j + 1 < len(norm) and norm[j + 1] in ("like", "love"))):  # "I'd like to offer you"
            return True
    return False


def _names_the_job(norm: tuple[str, ...] | list[str], start: int) -> bool:
    """The cue at ``start`` sits in a relative clause that only says which job, employer or person: "the job I
    interviewed for", "one of the companies I'd applied to", "the role that I applied for", "the manager I
    interviewed with"."""
    j = start - 1
    if j >= 0 and norm[j] in RELATIVE_AUXILIARIES:
        j -= 1
    if j < 0 or norm[j] not in RELATIVE_SUBJECTS:
        return False
    j -= 1
    if j >= 0 and norm[j] == "that":
        j -= 1
    return j >= 0 and norm[j] in RELATIVE_HEADS


def _hypothetical(norm: tuple[str, ...] | list[str]) -> bool:
    """Advice or a hypothetical: "If you get to the offer stage, ...", "Always ask for feedback"."""
    if not norm:
        return False
    if norm[0] == "if" and "ever" in norm[1:6]:
        return True  # a wish, even in the first person: "If they ever offer me a job, ..."
    if len(norm) > 1 and (norm[1].endswith("ed") or norm[1] in PAST_VERBS):
        return False  # told, not advised: "Never heard back", "Always got a reply"
    if "you" in norm and any(w == "you" and k + 2 < len(norm) and (norm[k + 1] in ("were", "weren't") or (
            norm[k + 1] in ("have", "haven't") and norm[k + 2] in ("been", "not"))) for k, w in enumerate(norm)):
        return False  # the employer's words quoted: "you have not been successful", "you were not selected"
    words = set(norm)
    if words & FIRST_PERSON_PAST:
        return False
    return norm[0] in HYPOTHETICAL_STARTS or bool(words & ADVICE_WORDS)


def find_stage_cues(sent: SentenceSentiment, matches: list[Match]) -> tuple[StageCue, ...]:
    """Stage cues of one sentence, with time-reference, generic and hypothetical cues marked ``temporal``.

    Hiring-lexicon hits add the stage of the event they name (``THEME_STAGE``) as a strong cue.
    ``matches``: the sentence's ``stages.tsv`` matches (``LexiconBundle.stages``).
    """
    if not matches and not sent.hits:
        return ()
    out = []
    norm = sent.norm
    temporal_end = -1
    hypothetical = _hypothetical(norm)
    blocked: set[int] = set()
    for m in matches:
        stage, strength = m.entry.fields[0], m.entry.fields[1]
        if stage not in STAGE_ORDER:
            blocked.update(range(m.start, m.end))  # no hiring step here, nor an event ("and nothing else")
            continue
        start = m.start
        temporal = (hypothetical or (stage in INTENT_STAGES and _intent(sent, start))
                    or (stage in NAMING_STAGES and _names_the_job(norm, start)))
        if not temporal and _supposed(sent, start, stage):
            temporal = True  # "it'd be great if I got the job", "they said they would send an offer"
        if strength == "weak" and stage == "rejection" and not FUTURE_REPLY.isdisjoint(norm[max(0, start - 2):start]):
            temporal = True  # "They'll let me know by Friday": a reply promised, not a reply or its absence
        if not temporal:
            for j in range(start - 1, max(0, start - TEMPORAL_WINDOW) - 1, -1):
                w = norm[j]
                if (w in TEMPORAL_WORDS or (w in TEMPORAL_NEAR and j >= start - 2 and not _part_of(norm, j))
                        or (w in GENERIC_WORDS and j >= start - 2)) and sent.clause_of(j) == sent.clause_of(start):
                    temporal = True
                    break
                if w not in TEMPORAL_FILLER and not _measure(w):
                    break
        # "after the final round interview": a cue glued to a time-reference cue is one too
        # (not across a clause break: "the day after I applied, interview two days later")
        temporal = temporal or (start <= temporal_end and start > 0
                                and sent.clause_of(start - 1) == sent.clause_of(start))
        if temporal:
            temporal_end = m.end
        out.append(StageCue(stage, strength, m.entry.term, start, temporal))
    covered = {c.token for c in out}
    named = {c.stage for c in out if not c.temporal}
    for hit in sent.hits:
        theme = hit.theme
        stage = THEME_STAGE.get(theme) if theme else None
        if stage is None or hit.token in covered or hit.token in blocked:
            continue
        if theme in CONDUCT_THEMES:
            if not out:
                continue  # "the receptionist was rude": conduct words alone name no hiring step
            if "screening" in named and "interview" not in named:
                stage = "screening"  # "the recruiter talked down to me the entire call"
        out.append(StageCue(stage, "event", hit.term, hit.token, hypothetical))
    if len(out) > 1:
        out.sort(key=lambda c: c.token)
    return tuple(out)


def sentence_stages(sent: SentenceSentiment, cues: tuple[StageCue, ...]) -> SentenceStages:
    """Apply rules 1-3 (within the sentence) to the cues of ``sent``."""
    n = len(sent.clauses)
    if not cues:
        return SentenceStages(((),) * n, (), cues)
    live = [c for c in cues if not c.temporal]
    # events: an explicit strong cue of a stage wins over a lexicon-implied stage in the same clause
    strong_stages = {c.stage for c in live if c.strength == "strong"}
    has_strong = bool(strong_stages) or any(c.strength == "event" for c in live)
    if has_strong:
        live = [c for c in live if c.strength != "weak"]
    elif any(c.stage == "screening" for c in live):
        # pay talked over with a recruiter or HR is the screen, not an offer ("the recruiter was
        # upfront about the pay"); "Declined." opening a sentence is the writer declining (an offer)
        live = [c for c in live if c.stage != "offer"]
    live = [StageCue("offer", c.strength, c.term, c.token, c.temporal)
            if c.strength == "weak" and c.stage == "rejection" and c.token == 0 and c.term.startswith("decline")
            else c for c in live]
    if strong_stages:
        # a lexicon-implied event yields to an explicit cue in its own clause ("first week was chaotic")
        # (a rejection or silence event never yields: "never replied to my application" is about the silence)
        strong_clauses = {sent.clause_of(c.token) for c in live if c.strength == "strong"}
        live = [c for c in live if c.strength != "event" or c.stage == "rejection"
                or sent.clause_of(c.token) not in strong_clauses]
    # silence about the first days ("nobody told me where to go on my first day") is how
    # onboarding went, not a rejection
    later = {sent.clause_of(c.token) for c in live if c.strength == "strong" and c.stage == "onboarding"}
    if later:
        silent = _silent_tokens(sent)
        live = [c for c in live if not (c.stage == "rejection" and sent.clause_of(c.token) in later
                                        and _is_silence(c, silent))]
    # a rejection / silence narrated in the sentence: earlier unevaluated mentions situate it
    rej = [c.token for c in live if c.stage == "rejection"]
    if rej:
        first_rej = min(rej)
        rej_clause = sent.clause_of(first_rej)
        # silence told about a step ("never replied to my application") is about the silence alone
        silence = any(c.token == first_rej and c.strength == "event" for c in live)
        hit_clauses = {sent.clause_of(h.token) for h in sent.hits}
        keep = []
        for c in live:
            k = sent.clause_of(c.token)
            if c.stage != "rejection" and c.strength != "event" and (
                    c.token < first_rej or (k == rej_clause and silence)):
                evaluated = k != rej_clause and (k in hit_clauses or abs(sent.clauses[k][2]) >= NEUTRAL_EPS)
                if not evaluated and not (c.strength == "strong" and _detailed(sent, c.token)):
                    continue
            keep.append(c)
        live = keep
    per_clause: list[set[str]] = [set() for _ in range(n)]
    for cue in live:
        per_clause[sent.clause_of(cue.token)].add(cue.stage)
    own: list[tuple[str, ...]] = [tuple(sorted(st, key=STAGE_ORDER.__getitem__)) for st in per_clause]
    cued = tuple(sorted({s for st in own for s in st}, key=STAGE_ORDER.__getitem__))
    filled = list(own)
    last: tuple[str, ...] = ()
    for k in range(n):
        if filled[k]:
            last = filled[k]
        elif last:
            filled[k] = last
    nxt: tuple[str, ...] = ()
    for k in range(n - 1, -1, -1):
        if filled[k]:
            nxt = filled[k]
        elif nxt:
            filled[k] = nxt
    return SentenceStages(tuple(filled), cued, cues)


def attribute(sentences: list[SentenceSentiment], stage_info: list[SentenceStages],
              sarcastic: Collection[int] = ()) -> tuple[
        tuple[str, ...], dict[str, float], list[tuple[str, ...]], int | None]:
    """Combine per-sentence attributions into the post's stages and stage sentiment.

    ``sarcastic``: indices of sentences read as sarcasm (positive words, negative meaning); their
    positive clauses count against the stage, as they do against the post.

    Returns (stages in journey order, stage -> sentiment in [-1, 1], per-sentence
    stages used for the explanation, the index of the first sentence that tells a silence by the
    date alone or None).
    """
    scores: dict[str, list[float]] = {}
    labelled: set[str] = set()
    per_sentence: list[tuple[str, ...]] = []
    prev: tuple[str, ...] = ()
    carry = 0
    dated: int | None = None  # the first sentence that tells a silence by the date alone
    offer_made = False
    promise = False
    negative_before = False  # a sentence before this one is negative in tone
    for k, (sent, info) in enumerate(zip(sentences, stage_info)):
        if k:
            negative_before = negative_before or sentences[k - 1].compound <= -NEUTRAL_EPS
        # the sentence before named the reply to come in neutral words ("I'd hear by Friday.")
        promised, promise = promise, ("rejection" in info.firm and abs(sent.compound) < NEUTRAL_EPS
                                      and not any(h.valence for h in sent.hits))
        clause_stages = info.clause_stages
        if not info.cued and prev and (not WAITING_STAGES.isdisjoint(prev) or promised) and _date_now(sent.norm):
            # "Applied 2 April. ... It's 30 May.": the silence told by the date alone
            labelled.add("rejection")
            dated = k if dated is None else dated
            scores.setdefault("rejection", []).append(SILENCE_TONE)
            per_sentence.append(("rejection",))
            prev, carry = ("rejection",), 0
            continue
        if not info.cued:
            # "Great." after a complaint is a shrug, not praise of the stage (as for the post)
            # (only asked when the sentence could carry the stage over)
            if prev and carry < MAX_CARRY and abs(sent.compound) >= NEUTRAL_EPS and not (
                    sent.compound > 0 and len(sent.tokens) <= SHRUG_MAX_TOKENS and k not in sarcastic
                    and not any(h.valence > 0 for h in sent.hits) and negative_before):
                clause_stages = tuple(prev for _ in sent.clauses)
                carry += 1
            else:
                per_sentence.append(())
                continue
        else:
            carry = 0
            cued = info.cued
            if cued == ("rejection",) and offer_made and _silence_only(sent, info.cues):
                # "Offer accepted. ... HR has gone quiet." / "Offer pulled. No explanation.": silence
                # after an offer is how the offer went, not a rejection of the application
                clause_stages = tuple(("offer",) if st == ("rejection",) else st for st in clause_stages)
                cued = ("offer",)
            offer_made = offer_made or "offer" in info.firm
            labelled.update(cued)
        used: set[str] = set()
        verdict = REVIEW_LABELS.get(sent.norm[0], 0.0) if sent.norm else 0.0
        for (s, e, comp), stages in zip(sent.clauses, clause_stages):
            if not stages:
                continue
            if k in sarcastic and comp > 0:
                comp = sarcastic_reading(comp)
            if verdict and abs(comp) < NEUTRAL_EPS:
                comp = verdict  # "Pros: applying took ten minutes": the review's heading is the verdict
            for st in stages:
                used.add(st)
                scores.setdefault(st, [])
                if abs(comp) >= NEUTRAL_EPS:
                    scores[st].append(comp)
        ordered = tuple(sorted(used, key=STAGE_ORDER.__getitem__)) if len(used) > 1 else tuple(used)
        per_sentence.append(ordered)
        if info.cued:
            last_clause = next((c for c in reversed(clause_stages) if c), ())
            prev = last_clause or ordered
    # In a text that ends in a rejection or silence, a stage mentioned only in neutral clauses
    # situates it ("applied, interviewed twice, then ghosted") and is not labelled; elsewhere a
    # neutral step is part of the story told ("Interviewed Thursday, offer Friday. No games.").
    # (a rejection told in so many words is what they situate: it stays, even told flatly:
    # "Outcome: unsuccessful"; a bare weak cue such as "Declined." does not)
    evaluated = {s for s in labelled if scores.get(s)}
    if evaluated and "rejection" in labelled:
        told = dated is not None or any("rejection" in info.firm for info in stage_info)
        # a screen or test told in a sentence of its own is where the candidate was filtered out
        # ("Did the numerical reasoning test on Monday. Automated rejection an hour later."), not a
        # mention that situates the silence as "Applied three weeks ago. Still nothing." does
        screened = any("screening" in info.firm and "rejection" not in info.cued for info in stage_info)
        # a step described in a sentence of its own, with two or more of its cues ("Interview: 1 hour, panel
        # of 3, mix of technical and behavioural questions."), is told, not used to situate the outcome
        described = {st for info in stage_info if "rejection" not in info.cued for st in info.firm
                     if sum(1 for c in info.cues if c.stage == st and not c.temporal and c.strength != "weak") >= 2}
        # ... as is one told with a detail of its own ("The interview was short", "a 10 min phone screen
        # with someone from HR"), even beside the outcome
        described |= {c.stage for sent, info in zip(sentences, stage_info) for c in info.cues
                      if c.strength == "strong" and not c.temporal and c.stage != "rejection"
                      and _detailed(sent, c.token)}
        labelled = evaluated | ({"screening"} if screened else set()) | ({"rejection"} if told else set()) | (
            described & labelled)
    else:
        # a bare weak mention ("the recruiter said ...", "Start date 3 March") in a neutral clause beside
        # evaluated or firmly told stages
        firm = set().union(*(info.firm for info in stage_info))
        if evaluated or firm:
            labelled = {s for s in labelled if s in evaluated or s in firm}
    if not labelled:
        # only time references in the whole text ("Two days before my start date."): use them
        labelled = {c.stage for info in stage_info for c in info.cues}
    stages = tuple(s for s in STAGES if s in labelled)
    sentiment = {}
    for s in stages:
        vals = scores.get(s, [])
        sentiment[s] = round(sum(vals) / len(vals), 4) if vals else 0.0
    return stages, sentiment, per_sentence, dated
