"""A learned second reading of which complaint and praise themes a candidate experience reports, over the
rules' themes and the text's words.

The rules (``themes.py``) name a theme from a hiring-lexicon hit or a topic word in a toned clause. On posts
that tell a whole story they miss themes told in ordinary words ("they had already given the job to the
manager's nephew") and name themes for words that are about something else ("a nice hotel").

This module is one logistic regression per theme (``linear.py``, one column per theme in ``THEME_IDS``
order) over the rules' themes (``DENSE``: each theme found, and how many) and the text's words and word
pairs, its biases moved to how often each theme occurs in real candidate posts (``RATES_NAME``,
``shift_priors``). It reads candidate experiences only; a theme with p >= ``THRESHOLD`` is reported, and a theme the
rules named is dropped below ``KEEP`` (below ``KEEP_NAMED`` when a hiring-lexicon term names it: on the real
dev posts those are right about half the time, the topic cues' about one time in six). A long text is read in windows (``linear.windows``), each theme in its
likeliest one. It is trained by ``python -m analysis.train`` (see ``train.py``) on the test
battery's candidate experiences as two blind readers and a third for their disagreements read them
(``tests/data/phrasings_themes.jsonl``), never a held-out set; its weights are data,
``analysis/lexicon/theme_model.tsv``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Collection, Mapping, Sequence

from analysis.linear import BIAS, LabelsModel, prior_shift, rules_flags, tsv_rows
from analysis.themes import THEMES

MODEL_NAME = "theme_model.tsv"  # in the lexicon directory
RATES_NAME = "theme_rates.tsv"  # how often blind readers found each theme in real candidate posts
PRIOR_SHIFT_CAP = 1.0  # the most a theme's bias moves, either way (a rate from a few hundred posts is rough)
THEME_IDS = tuple(THEMES)
THRESHOLD = 0.5  # a theme the rules did not name is added at this probability
KEEP = 0.3  # a theme the rules' topic cues named is dropped below this
KEEP_NAMED = 0.1  # and one a hiring-lexicon term names ("rejected by an algorithm") below this


class ThemeModel(LabelsModel):
    """The theme model's weights (one column per theme: its logit, in ``THEME_IDS`` order)."""

    LABELS = THEME_IDS
    WIDTH = len(THEME_IDS)
    KIND = "theme model"
    DENSE = rules_flags(THEME_IDS)

    def themes(self, features: Sequence[str], rules_themes: Sequence[str], parts: Sequence[Sequence[str]] = (),
               named: Collection[str] = ()) -> tuple[tuple[str, ...], dict[str, float], dict[str, int]]:
        """The themes read (in ``THEME_IDS`` order), every theme's probability and, of a long text (the word
        features of its windows, ``parts``), the index of each theme's likeliest window, whose probability is
        the theme's (a theme is told in one place; no indices for a text read whole). ``named``: the rules'
        themes a hiring-lexicon term names, which only a firm no (``KEEP_NAMED``) drops."""
        where: dict[str, int] = {}
        if parts:
            every = [self.probabilities(f, rules_themes) for f in parts]
            where = {t: max(range(len(every)), key=lambda k: every[k][t]) for t in THEME_IDS}
            probs = {t: every[where[t]][t] for t in THEME_IDS}
        else:
            probs = self.probabilities(features, rules_themes)
        floor = {**{t: KEEP for t in rules_themes}, **{t: KEEP_NAMED for t in named}}
        return tuple(t for t in THEME_IDS if probs[t] >= floor.get(t, THRESHOLD)), probs, where


def read_rates(path: Path) -> dict[str, tuple[int, int]]:
    """theme -> (stories holding it, stories read) from a ``RATES_NAME`` file. Raises ValueError naming the
    line of a malformed row or an unknown theme."""
    def row(fields: list[str]) -> tuple[str, tuple[int, int]]:
        if len(fields) != 3 or fields[0] not in THEMES:
            raise ValueError("expected a theme id, a count and a total")
        return fields[0], (int(fields[1]), int(fields[2]))

    return dict(tsv_rows(Path(path).read_text(encoding="utf-8"), path, "rate", row))


def shift_priors(model: ThemeModel, trained_on: Mapping[str, tuple[int, int]],
                 target: Mapping[str, tuple[int, int]]) -> ThemeModel:
    """``model`` with each theme's bias moved from its rate in the training texts to its ``target`` rate
    (a prior shift: log of the ratio of the two smoothed rates, at most ``PRIOR_SHIFT_CAP`` either way).
    A theme the battery's writers told far more often than real candidates do (courtesy) is then read as
    rarely as real posts hold it, and the reverse; the words' weights are untouched."""
    return model.shifted(BIAS, [prior_shift(target[t], trained_on.get(t, (0, 0)), 2, PRIOR_SHIFT_CAP) if t in target
                                else 0.0 for t in THEME_IDS])


DENSE = ThemeModel.DENSE  # the rules' themes (each found, and how many)
dense = ThemeModel.dense_values
