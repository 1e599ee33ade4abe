"""Consumer link: the writer ties a hiring experience to being a customer.

A text has a consumer link when it contains a customer-status cue from
``analysis/lexicon/consumer.tsv`` ("never buying from them again", "I've
shopped there for years", "cancelled my subscription") *and* it is about
hiring (a candidate-experience text, or one with strong hiring-stage cues).
A product complaint with "never buying again" but no hiring content is not a
consumer link. Pure functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.lexicon import LexiconBundle, Match
from analysis.sentiment import SentenceSentiment

logger = logging.getLogger(__name__)

KINDS = ("leave", "stay")


@dataclass(frozen=True, slots=True)
class ConsumerCue:
    kind: str
    term: str
    text: str
    sentence: int


def find_consumer_cues(sentences: list[SentenceSentiment], bundle: LexiconBundle, *,
                       matches: list[list[Match]] | None = None) -> list[ConsumerCue]:
    """All consumer-status cues in the sentences, in order.

    ``matches``: per sentence, ``bundle.consumer.find(sent.norm)`` when the caller has it already.
    """
    out: list[ConsumerCue] = []
    for k, sent in enumerate(sentences):
        for m in (matches[k] if matches is not None else bundle.consumer.find(list(sent.norm))):
            kind = m.entry.fields[0]
            if kind in KINDS:
                out.append(ConsumerCue(kind, m.entry.term, " ".join(sent.tokens[m.start:m.end]), k))
    return out


def consumer_link(cues: list[ConsumerCue], about_hiring: bool) -> bool:
    """True when there is at least one cue and the text is about hiring."""
    return bool(cues) and about_hiring
