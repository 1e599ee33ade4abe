"""A learned second reading of a text's overall tone, over the rules' score and the text's words.

The rules (``scoring._overall_sentiment``) read tone from the lexicon, sentence by sentence. What they
miss most is how a writer frames the whole: a calm account that names a rejection ("Larkspur interview
Tuesday, rejection Friday, standard email.") is neutral, a thank-you can be a complaint, and a post
full of nerves and hard tests can be glad. Those cues are spread over ordinary words ("for anyone
prepping", "standard", "no games"), which a phrase list cannot hold.

This module is a multinomial logistic regression (``linear.py``) over two kinds of features:

* the rules' reading: their score, its label, and whether the text is a candidate experience
  (``DENSE``, scaled by ``DENSE_SCALE``);
* the text's words and word pairs (``linear.words``), present or absent.

It is trained by ``python -m analysis.train`` on the project's labelled synthetic texts (see
``train.py``), never a held-out set; its weights are data, ``analysis/lexicon/tone_model.tsv``.

:func:`blend` keeps the rules' score when the model agrees with its label, and otherwise moves it
just into the model's class, keeping the lean ``p(positive) - p(negative)``. The class is the one of least
expected cost (``COST``), where reading a negative post as positive costs twice any other error, when the
rules and the model's likeliest class disagree.

A long text is read in windows (``linear.windows``, :func:`combine`). The model learns from texts of
about 50 word features (nine in ten under ``linear.WINDOW``), while real posts run to a median of about
180: summed over three times the words it learned from, the word evidence swamps the rules' figures, and
ordinary words ("but", "actually", "have to") then overturn a clearly negative reading at p 0.95 or
more. So a text of more than ``linear.LONG`` word features is cut into runs of whole sentences of about
``linear.WINDOW`` word features, each is read like a training text (with the whole text's rules
reading), and the readings are pooled as the mean of their log-probabilities, renormalised: the windows
vote, and no one window's length counts twice. On 638 real dev posts (analyzer 2.52) this read 43 texts
right that the whole-text reading read wrong and 24 the other way (sign test p 0.03), and it carried over
to the 639 test posts (sentiment 0.601 -> 0.635); on 1,200 long synthetic stories it read 35 better and
52 worse (p 0.09): an upbeat ending after a nervous start weighs less than in one reading.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from analysis.evaluation import NEUTRAL_BAND as BAND, SENTIMENT_LABELS as CLASSES, sentiment_label
from analysis.linear import LinearModel, candidate_rates, prior_shift

# the rules' reading, as features: (score, score if CE, label one-hot, label one-hot if CE, CE, |score|)
DENSE = ("=score", "=score_ce", "=neg", "=neu", "=pos", "=neg_ce", "=neu_ce", "=pos_ce", "=ce", "=abs")
DENSE_SCALE = 3.0  # the rules' figures on the scale of many binary word features
MODEL_NAME = "tone_model.tsv"  # in the lexicon directory
RATES_NAME = "tone_rates.tsv"  # the real posts' tone mix among candidate experiences
PRIOR_SHIFT_CAP = 1.0  # the most a class's bias moves, either way
# the cost of reading a text of class g (row) as class p (column): a negative post read as positive is
# the error that hides a problem from the team (issue #4 gives it a target of its own), so it costs twice
COST = ((0.0, 1.0, 2.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0))
# a tone reading at least this sure (:func:`confidence`) is shown as sure; below it, as unsure. Chosen on the real
# posts' dev halves, where it splits the readings in halves (right 0.77 of the time against 0.47); on the test
# halves, scored once, 0.71-0.75 against 0.51-0.53 (analysis/README.md, "How sure a tone reading is")
SURE = 0.9


def label_index(score: float) -> int:
    """The index in ``CLASSES`` of a score's label (``evaluation.sentiment_label``)."""
    return CLASSES.index(sentiment_label(score))


def dense(score: float, is_ce: bool) -> tuple[float, ...]:
    """The rules' reading as the ``DENSE`` features, already scaled."""
    label = label_index(score)
    ce = 1.0 if is_ce else 0.0
    onehot = [1.0 if k == label else 0.0 for k in range(3)]
    values = [score, score * ce, *onehot, *(v * ce for v in onehot), ce, abs(score)]
    return tuple(v * DENSE_SCALE for v in values)


class ToneModel(LinearModel):
    """The tone model's weights (three columns: negative, neutral, positive)."""

    WIDTH = 3
    KIND = "tone model"
    DENSE = DENSE

    def probabilities(self, features: Sequence[str], score: float, is_ce: bool,
                      word_sums: Sequence[float] | None = None) -> tuple[float, float, float]:
        """p(negative), p(neutral), p(positive) of a text (its ``linear.words``, or their ``word_sums``)
        given the rules' ``score`` and CE decision."""
        return _softmax(self.logits(features, dense(score, is_ce), word_sums))


def read_rates(path: Path) -> tuple[int, int, int]:
    """The (negative, neutral, positive) counts of the ``candidate`` row of a ``RATES_NAME`` file. Raises
    ValueError naming the line of a malformed row, or when the row is missing."""
    neg, neu, pos = candidate_rates(path, 3, "three counts")
    return neg, neu, pos


def shift_priors(model: "ToneModel", trained_on: Sequence[int], target: Sequence[int]) -> "ToneModel":
    """``model`` with the class biases of candidate experiences moved from the training texts' class mix to the
    ``target`` one (a prior shift, as theme_model.shift_priors): per class, the log of the ratio of the two
    smoothed rates, at most ``PRIOR_SHIFT_CAP`` either way, added through the weights of the ``=ce`` flag (which
    is ``DENSE_SCALE`` for a candidate experience and 0 otherwise). Other texts and the words' weights are
    untouched. ``trained_on`` and ``target``: (negative, neutral, positive) counts of candidate experiences."""
    shift = [prior_shift((t, sum(target)), (s, sum(trained_on)), 3, PRIOR_SHIFT_CAP) for t, s in zip(target, trained_on)]
    return model.shifted("=ce", shift, DENSE_SCALE)


def _softmax(z: Sequence[float]) -> tuple[float, float, float]:
    """Three scores (logits, or mean log-probabilities) as probabilities."""
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return (e[0] / total, e[1] / total, e[2] / total)


def combine(readings: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Several windows' class probabilities pooled: the mean log-probability of each class, renormalised
    (a product of the windows' readings, each counted once)."""
    return _softmax([sum(math.log(max(r[k], 1e-12)) for r in readings) / len(readings) for k in range(3)])


def decide(probs: Sequence[float]) -> int:
    """The class with the least expected ``COST`` under ``probs`` (ties: the earlier class)."""
    expected = [sum(probs[g] * COST[g][p] for g in range(3)) for p in range(3)]
    return min(range(3), key=expected.__getitem__)


def confidence(final: float, probs: Sequence[float]) -> float:
    """How sure the reading ``final`` is: the model's probability of the class its label names (of the pooled
    windows, for a long text), to four places. Where the cost decided against the likeliest class, this is
    below one half. On real posts the readings of at least ``SURE`` are right about three times in four and the
    rest about half the time (analysis/README.md, "How sure a tone reading is")."""
    return round(probs[label_index(final)], 4)


def is_sure(confidence: float | None) -> bool:
    """Whether a stored :func:`confidence` counts as sure (at least ``SURE``); None, a reading made before it was
    stored or without a tone model, does not."""
    return confidence is not None and confidence >= SURE


def blend(score: float, probs: Sequence[float]) -> float:
    """The final score: ``score`` when the model's likeliest class or its decision (:func:`decide`) is the
    score's label; otherwise a score inside the decided class that keeps the model's lean
    ``p(positive) - p(negative)``. (The cost settles a disagreement; it never overturns an agreement.)"""
    label = label_index(score)
    if max(range(3), key=lambda k: probs[k]) == label:
        return score
    best = decide(probs)
    if best == label:
        return score
    lean = probs[2] - probs[0]
    if best == 1:
        return round(lean * BAND, 4)  # |lean| < 1 unless one class is certain: inside the band
    return round(max(lean, BAND), 4) if best == 2 else round(min(lean, -BAND), 4)
