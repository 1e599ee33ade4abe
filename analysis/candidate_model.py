"""A learned second reading of whether a text is a candidate experience, over the rules' evidence and
the text's words.

The rules (``scoring._decide_candidate``) weigh first-hand cues ("I applied", "my interview") against
the signs of other genres (an ad, advice, news, an employer's reply, a product complaint) from the
lexicon. What they miss is spread over ordinary words: a writer's way of telling a story, a forum
question that holds an experience, an ad that borrows the first person.

This module is a logistic regression (``linear.py``) over two kinds of features:

* the rules' evidence (``DENSE``): their decision, the first-hand, implicit and hiring scores, and the
  penalty of each other genre (``KINDS``), scaled;
* the text's words and word pairs (``linear.words``), present or absent.

It reads only texts with hiring vocabulary (the rules' evidence ``hiring > 0``): a text with none
tells no hiring experience and has no stage to attribute. It is trained by ``python -m analysis.train``
(see ``train.py``) on the project's labelled synthetic texts, never a held-out set; its weights are data,
``analysis/lexicon/candidate_model.tsv``. p >= ``THRESHOLD`` reads as a candidate experience.
"""
from __future__ import annotations

from typing import Mapping

from analysis.linear import BinaryModel

MODEL_NAME = "candidate_model.tsv"  # in the lexicon directory
THRESHOLD = 0.5
# the other genres whose penalties the rules weigh (candidate.tsv signals and the code's own)
KINDS = ("generic", "employer", "advice", "product", "news", "secondhand", "service", "recruiter", "question",
         "reply")
DENSE = ("=rules_ce", "=self", "=implicit", "=hiring", *(f"=pen_{k}" for k in KINDS))
RULES_SCALE = 3.0  # the rules' decision, on the scale of many binary word features
SCORE_SCALE = 0.5  # the first-hand, implicit and penalty scores (a cue weighs 1 to 3)
HIRING_SCALE = 0.3  # the hiring score counts every hiring word


def reads(hiring: float) -> bool:
    """Whether the model reads a text whose rules' hiring score is ``hiring`` (it has hiring vocabulary)."""
    return hiring > 0


def dense(rules_ce: bool, self_score: float, implicit: float, hiring: float,
          penalties: Mapping[str, float]) -> tuple[float, ...]:
    """The rules' evidence as the ``DENSE`` features, already scaled."""
    return (RULES_SCALE if rules_ce else 0.0, self_score * SCORE_SCALE, implicit * SCORE_SCALE,
            hiring * HIRING_SCALE, *(penalties.get(k, 0.0) * SCORE_SCALE for k in KINDS))


class CandidateModel(BinaryModel):
    """The candidate model's weights (one column: the logit of a candidate experience)."""

    KIND = "candidate model"
    DENSE = DENSE
