"""A learned second reading of which hiring stages a candidate experience reports, over the rules'
stages and the text's words.

The rules (``stages.py``) attribute stages clause by clause from the lexicon's cues, and tell a step
the post reports from one named only to situate another ("ghosted after the final round"). What they
miss is spread over ordinary words: a recruiter's call told by what was asked, a rejection told by
what was not said, a step named in passing.

This module is one logistic regression per stage (``linear.py``, six columns in ``STAGES`` order) over
the rules' stages (``DENSE``: each stage found, and how many) and the text's words and word pairs. It
reads candidate experiences only; a stage with p >= ``THRESHOLD`` is reported (when none reaches it, the
rules' stages stand). It is trained by
``python -m analysis.train`` (see ``train.py``) on the project's labelled synthetic texts, never a
held-out set; its weights are data, ``analysis/lexicon/stage_model.tsv``.
"""
from __future__ import annotations

from typing import Sequence

from analysis.linear import LabelsModel, rules_flags
from analysis.stages import STAGES

MODEL_NAME = "stage_model.tsv"  # in the lexicon directory
THRESHOLD = 0.4  # out of fold, 0.4 read stages better than 0.45, 0.5 or 0.55 (micro-F1 0.906 against 0.904)


class StageModel(LabelsModel):
    """The stage model's weights (six columns: the logit of each stage, in ``STAGES`` order)."""

    LABELS = STAGES
    WIDTH = len(STAGES)
    KIND = "stage model"
    DENSE = rules_flags(STAGES)

    def stages(self, features: Sequence[str], rules_stages: Sequence[str],
               word_sums: Sequence[float] | None = None) -> tuple[tuple[str, ...], dict[str, float]]:
        """The stages read (in ``STAGES`` order; the rules' when none reaches the threshold) and every
        stage's probability."""
        probs = self.probabilities(features, rules_stages, word_sums)
        read = tuple(s for s in STAGES if probs[s] >= THRESHOLD)
        return read or tuple(rules_stages), probs


DENSE = StageModel.DENSE  # the rules' stages (each found, and how many)
dense = StageModel.dense_values
