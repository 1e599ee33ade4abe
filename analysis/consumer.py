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

from analysis.lexicon import Match
from analysis.sentiment import SentenceSentiment

logger = logging.getLogger(__name__)

KINDS = ("leave", "stay")


@dataclass(frozen=True, slots=True)
class ConsumerCue:
    kind: str
    term: str
    text: str


def find_consumer_cues(sent: SentenceSentiment, matches: list[Match]) -> list[ConsumerCue]:
    """The consumer-status cues of one sentence, in order; ``matches`` are its ``consumer.tsv``
    matches (``LexiconBundle.consumer``, found in the scorer's pass over the tokens)."""
    return [ConsumerCue(m.entry.fields[0], m.entry.term, " ".join(sent.tokens[m.start:m.end]))
            for m in matches if m.entry.fields[0] in KINDS]


def consumer_link(cues: list[ConsumerCue], about_hiring: bool) -> bool:
    """True when there is at least one cue and the text is about hiring."""
    return bool(cues) and about_hiring
