"""A learned second reading of the consumer link, over the rules' decision and the text's words.

The rules (``consumer.py``) link a hiring experience to the writer's custom through customer-status
cues ("cancelled my membership", "I'll keep banking there") and, in a candidate's own story, the
grammar of a writer who is the employer's customer. What they miss is spread over ordinary words: a
household that changes where it shops, a loyalty told in passing, a near miss that names custom without
tying it to the story.

This module is a logistic regression (``linear.py``) over the rules' decision and the candidate decision
(``DENSE``) and the text's words and word pairs; p >= ``THRESHOLD`` links. It is trained by
``python -m analysis.train`` (see ``train.py``) on the project's labelled synthetic texts, never a
held-out set; its weights are data, ``analysis/lexicon/consumer_model.tsv``.
"""
from __future__ import annotations

from analysis.linear import BinaryModel

MODEL_NAME = "consumer_model.tsv"  # in the lexicon directory
THRESHOLD = 0.5
DENSE = ("=rules_link", "=ce")
RULES_SCALE = 3.0  # the rules' decision, on the scale of many binary word features


def dense(rules_link: bool, is_ce: bool) -> tuple[float, ...]:
    """The rules' reading as the ``DENSE`` features, already scaled."""
    return (RULES_SCALE if rules_link else 0.0, 1.0 if is_ce else 0.0)


class ConsumerModel(BinaryModel):
    """The consumer model's weights (one column: the logit of a consumer link)."""

    KIND = "consumer model"
    DENSE = DENSE
