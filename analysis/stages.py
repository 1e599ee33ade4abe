"""Hiring stages: the journey order, human labels and clause-level attribution.

A post is attributed to every stage it reports something about (multi-label).
Cues come from ``analysis/lexicon/stages.tsv``. Each cue is *strong* (the clause
is about that stage: "onsite", "rescinded", "ghosted") or *weak* (a mention:
"applied", "recruiter", "start date"). Rules, applied per clause:

1. a cue right after "after", "before", "following", "since" or "post" is a time
   reference ("ghosted after the final round") and is demoted to weak;
2. weak cues count only when the clause has no strong cue;
3. a clause without cues inherits the stages of the previous clause of the same
   sentence (else the next one); a sentence without any cue inherits the
   stages of the previous sentence when it carries sentiment (discourse
   continuation: "Had my onsite Tuesday. Everyone was kind.");
4. a stage's sentiment is the mean compound of its non-neutral clauses.

Silence or no response after applying or interviewing is the "rejection" stage.
Pure functions; no I/O.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.lexicon import LexiconBundle
from analysis.sentiment import SentenceSentiment

logger = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("application", "screening", "interview", "offer", "rejection", "onboarding")
STAGE_LABELS: dict[str, str] = {
    "application": "Application",
    "screening": "Screening",
    "interview": "Interview",
    "offer": "Offer",
    "rejection": "Rejection / no response",
    "onboarding": "Onboarding",
}
STAGE_ORDER = {s: i for i, s in enumerate(STAGES)}
TEMPORAL_WORDS = frozenset({"after", "before", "following", "since", "post", "until", "till", "prior"})
TEMPORAL_WINDOW = 3
NEUTRAL_EPS = 0.05
MAX_CARRY = 2  # sentences a stage may be carried over without a new cue


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


def find_stage_cues(sent: SentenceSentiment, bundle: LexiconBundle) -> tuple[StageCue, ...]:
    """Stage cues of one sentence, with time-reference cues marked ``temporal``."""
    out = []
    norm = list(sent.norm)
    temporal_end = -1
    for m in bundle.stages.find(norm):
        stage, strength = m.entry.fields[0], m.entry.fields[1]
        if stage not in STAGE_ORDER:
            continue
        clause = sent.clause_of(m.start)
        temporal = any(norm[j] in TEMPORAL_WORDS and sent.clause_of(j) == clause
                       for j in range(max(0, m.start - TEMPORAL_WINDOW), m.start))
        # "after the final round interview": a cue glued to a time-reference cue is one too
        temporal = temporal or m.start <= temporal_end
        if temporal:
            temporal_end = m.end
        out.append(StageCue(stage, strength, m.entry.term, m.start, temporal))
    return tuple(out)


def sentence_stages(sent: SentenceSentiment, cues: tuple[StageCue, ...]) -> SentenceStages:
    """Apply rules 1-3 (within the sentence) to the cues of ``sent``."""
    n = len(sent.clauses)
    per_clause: list[list[StageCue]] = [[] for _ in range(n)]
    for cue in cues:
        per_clause[sent.clause_of(cue.token)].append(cue)
    own: list[tuple[str, ...]] = []
    for clause_cues in per_clause:
        strong = {c.stage for c in clause_cues if c.strength == "strong" and not c.temporal}
        if strong:
            chosen = strong
        else:
            chosen = {c.stage for c in clause_cues if not c.temporal}
            if not chosen:
                # only time references: keep them when nothing else is said in the sentence
                chosen = set()
        own.append(tuple(sorted(chosen, key=STAGE_ORDER.__getitem__)))
    if not any(own):
        temporal_only = {c.stage for c in cues if c.temporal}
        if temporal_only:
            own = [tuple(sorted(temporal_only, key=STAGE_ORDER.__getitem__)) if per_clause[k] else ()
                   for k in range(n)]
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


def attribute(sentences: list[SentenceSentiment], stage_info: list[SentenceStages]) -> tuple[
        tuple[str, ...], dict[str, float], list[tuple[str, ...]]]:
    """Combine per-sentence attributions into the post's stages and stage sentiment.

    Returns (stages in journey order, stage -> sentiment in [-1, 1], per-sentence
    stages used for the explanation).
    """
    scores: dict[str, list[float]] = {}
    labelled: set[str] = set()
    per_sentence: list[tuple[str, ...]] = []
    prev: tuple[str, ...] = ()
    carry = 0
    for sent, info in zip(sentences, stage_info):
        clause_stages = info.clause_stages
        if not info.cued:
            if prev and carry < MAX_CARRY and abs(sent.compound) >= NEUTRAL_EPS:
                clause_stages = tuple(prev for _ in sent.clauses)
                carry += 1
            else:
                per_sentence.append(())
                continue
        else:
            carry = 0
            labelled.update(info.cued)
        used: set[str] = set()
        for (s, e, comp), stages in zip(sent.clauses, clause_stages):
            for st in stages:
                used.add(st)
                scores.setdefault(st, [])
                if abs(comp) >= NEUTRAL_EPS:
                    scores[st].append(comp)
        ordered = tuple(sorted(used, key=STAGE_ORDER.__getitem__))
        per_sentence.append(ordered)
        if info.cued:
            last_clause = next((c for c in reversed(clause_stages) if c), ())
            prev = last_clause or ordered
    # A stage mentioned only in neutral clauses, in a text that evaluates other stages,
    # is a bare mention ("applied, interviewed twice, then ghosted") and not labelled.
    evaluated = {s for s in labelled if scores.get(s)}
    if evaluated:
        labelled = evaluated
    stages = tuple(s for s in STAGES if s in labelled)
    sentiment = {}
    for s in stages:
        vals = scores.get(s, [])
        sentiment[s] = round(sum(vals) / len(vals), 4) if vals else 0.0
    return stages, sentiment, per_sentence
