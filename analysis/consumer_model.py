"""A learned second reading of the consumer link, over the rules' decision and the text's words.

The rules (``consumer.py``) link a hiring experience to the writer's custom through customer-status
cues ("cancelled my membership", "I'll keep banking there") and, in a candidate's own story, the
grammar of a writer who is the employer's customer. What they miss is spread over ordinary words: a
household that changes where it shops, a loyalty told in passing, a near miss that names custom without
tying it to the story.

This module is a logistic regression (``linear.py``) over the rules' decision and the candidate decision
(``DENSE``) and the text's words and word pairs; p >= ``THRESHOLD`` links. It is trained by
``python -m analysis.train`` (see ``train.py``) on the project's labelled synthetic texts, never a
held-out set; its weights are data, ``analysis/lexicon/consumer_model.tsv``. The battery's writers tied
their stories to their custom about twice as often as real candidates do, so the trainer then moves the
bias for candidate experiences to the real posts' rate (``consumer_rates.tsv``, :func:`shift_priors`).
"""
from __future__ import annotations

from pathlib import Path

from analysis.linear import BinaryModel, candidate_rates, prior_shift

MODEL_NAME = "consumer_model.tsv"  # in the lexicon directory
RATES_NAME = "consumer_rates.tsv"  # how often real candidate experiences hold a consumer link
PRIOR_SHIFT_CAP = 1.0  # the most the bias moves, either way
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


def read_rates(path: Path) -> tuple[int, int]:
    """(links, stories read) of the ``candidate`` row of a ``RATES_NAME`` file. Raises ValueError naming the
    line of a malformed row, or when the row is missing."""
    def check(values: tuple[int, ...]) -> None:
        if not 0 <= values[0] <= values[1]:
            raise ValueError("the count must lie between 0 and the total")

    links, total = candidate_rates(path, 2, "a count and a total", check)
    return links, total


def shift_priors(model: ConsumerModel, trained_on: tuple[int, int], target: tuple[int, int]) -> ConsumerModel:
    """``model`` with the bias of candidate experiences moved from the training texts' link rate to the
    ``target`` one (a prior shift, as tone_model.shift_priors): the log of the ratio of the two smoothed
    rates, at most ``PRIOR_SHIFT_CAP`` either way, added through the weight of the ``=ce`` flag (1 for a
    candidate experience, 0 otherwise). Other texts and the words' weights are untouched. ``trained_on``
    and ``target``: (links, candidate experiences)."""
    return model.shifted("=ce", [prior_shift(target, trained_on, 2, PRIOR_SHIFT_CAP)])
