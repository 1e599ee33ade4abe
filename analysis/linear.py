"""Linear models over a text's words and a few figures the rules read: what the tone model
(``tone_model.py``) and the candidate model (``candidate_model.py``) share.

A model is a table of weights, one row per feature and one column per output (three classes for the
tone, one logit for the candidate decision): the text's words and word pairs (:func:`words`, present or
absent) and named dense features (``=name``: the rules' figures, already scaled). The weights are data
in ``analysis/lexicon/`` (``feature<TAB>w1[<TAB>w2 ...]``, ``#`` comments), so retraining changes the
analyzer version like any lexicon edit. Reading them needs only the standard library; fitting them
(:func:`fit`) needs the optional scikit-learn (``pip install -e '.[train]'``).
"""
from __future__ import annotations

import heapq
import math
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence, TypeVar

from analysis import cache
from analysis.lexicon import APOSTROPHES

T = TypeVar("T")
TOKEN = re.compile(r"[a-z0-9']+")
BIAS = "=bias"
MIN_DF = 5  # a word or pair is a feature when at least this many training texts hold it
# A long text is read in windows: the models learn from texts of about 50 word features (nine in ten
# under WINDOW), while real posts run to a median of about 180. Summed over three times the words a model
# learned from, the word evidence swamps the rules' figures it reads beside them; a window of whole
# sentences the length of a training text is read as the model was taught (tone_model.combine and the
# consumer reading in scoring.py pool the windows' readings).
WINDOW = 80  # word features per window of a long text
LONG = 120  # a text with more word features than this is read in windows
C = 1.0  # inverse L2 strength (scikit-learn's convention)


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.translate(APOSTROPHES).lower())


def _features(tokens: Sequence[str]) -> list[str]:
    """Tokens and adjacent token pairs, each once, in order of first use."""
    return list(dict.fromkeys([*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))]))


def words(text: str) -> list[str]:
    """The text's word features: lower-cased tokens and adjacent token pairs, each once, in order of
    first use (apostrophes unified as the lexicon's are: "didn’t", "didn‘t" and "didnʼt" are "didn't")."""
    return _features(_tokens(text))


def _runs(sentences: Sequence[str], width: int) -> list[tuple[list[str], list[str]]]:
    """The windows of :func:`windows`, each as (its sentences, its tokens); each sentence is tokenised once
    (the tokens of sentences joined by spaces are the sentences' tokens in a row)."""
    out: list[tuple[list[str], list[str]]] = []
    run: list[str] = []
    tokens: list[str] = []
    for sentence in sentences:
        run.append(sentence)
        tokens += _tokens(sentence)
        if len(_features(tokens)) >= width:
            out.append((run, tokens))
            run, tokens = [], []
    if run:
        if out and len(_features(tokens)) < width / 2:
            out[-1] = (out[-1][0] + run, out[-1][1] + tokens)
        else:
            out.append((run, tokens))
    return out


def windows(sentences: Sequence[str], width: int = WINDOW) -> list[str]:
    """Consecutive ``sentences`` joined into windows of at least ``width`` word features each
    (:func:`words`); a shorter tail of under half of ``width`` joins the window before it."""
    return [" ".join(run) for run, _tokens_ in _runs(sentences, width)]


def window_words(sentences: Sequence[str], width: int = WINDOW) -> list[list[str]]:
    """The word features (:func:`words`) of each of the :func:`windows`, without reading their text again."""
    return [_features(tokens) for _run, tokens in _runs(sentences, width)]


class LinearModel:
    """Weights per feature; ``logits`` reads a text's word features and dense values with them."""

    # the number of columns a model of this class has (None: any), its name in errors, its dense features
    WIDTH: int | None = None
    KIND = "model"
    DENSE: tuple[str, ...] = ()

    def __init__(self, weights: dict[str, tuple[float, ...]], dense: Sequence[str]) -> None:
        missing = [name for name in (BIAS, *dense) if name not in weights]
        if missing:
            raise ValueError(f"model lacks the features {', '.join(missing)}")
        self.weights = weights
        self.dense = tuple(dense)
        self.width = len(weights[BIAS])
        if set(map(len, weights.values())) != {self.width}:
            raise ValueError(f"model rows differ in width (the bias has {self.width} columns)")
        self._bias = weights[BIAS]
        self._dense = [weights[name] for name in dense]

    @classmethod
    def load(cls, path: str | Path, dense: Sequence[str] | None = None):
        """Read a weights file as this class. Raises ValueError naming the line of a malformed row, or
        when the file has other than ``WIDTH`` columns or lacks a dense feature."""
        weights = cache.parsed("weights", Path(path).read_bytes(), lambda data: parse_weights(data, path),
                               _weights_shape)
        width = len(weights.get(BIAS, ()))
        if cls.WIDTH is not None and width != cls.WIDTH:
            raise ValueError(f"{path}: a {cls.KIND} has {cls.WIDTH} columns, not {width}")
        return cls(weights, cls.DENSE if dense is None else dense)

    def logits(self, features: Iterable[str], values: Sequence[float],
               word_sums: Sequence[float] | None = None) -> list[float]:
        """The model's outputs for a text: bias + dense ``values`` . weights + the text's word weights
        (summed from ``features``, or given as ``word_sums``: :meth:`WordTable.part`)."""
        if word_sums is None:
            word_sums = sum_rows([w for w in map(self.weights.get, features) if w is not None], self.width)
        out = [b + s for b, s in zip(self._bias, word_sums)]
        for value, w in zip(values, self._dense):
            if value:
                for k in range(self.width):
                    out[k] += value * w[k]
        return out

    def drivers(self, features: Sequence[str], contrast: Sequence[float], n: int = 4) -> list[str]:
        """The ``n`` word features whose weights, dotted with ``contrast``, are largest (and positive):
        the words that pushed most in that direction."""
        terms = [(k, c) for k, c in enumerate(contrast) if c]  # (a contrast names one or two columns)
        rows = [(w, f) for w, f in zip(map(self.weights.get, features), features) if w is not None]
        if len(terms) == 1:
            (k, c), = terms
            scored = [(w[k] * c, f) for w, f in rows]
        elif len(terms) == 2:
            (k, c), (j, d) = terms
            scored = [(w[k] * c + w[j] * d, f) for w, f in rows]
        else:
            scored = [(sum([w[k] * c for k, c in terms]), f) for w, f in rows]
        return [f for push, f in heapq.nlargest(n, scored, key=lambda t: t[0]) if push > 0]

    def shifted(self, row: str, moves: Sequence[float], value: float = 1.0):
        """This model with the logits of every text whose ``row`` feature is ``value`` (the bias: every text;
        a flag such as ``=ce``: the texts it marks) moved by ``moves``, one per column: a prior shift
        (:func:`prior_shift`) carried by that row's weights. The other rows are untouched."""
        weights = dict(self.weights)
        weights[row] = tuple(w + m / value for w, m in zip(weights[row], moves))
        return type(self)(weights, self.dense)

    def write(self, path: str | Path, header: Iterable[str] = ()) -> None:
        """Write the weights (6 decimals), ``#`` header lines first; atomically (a temp file, then rename)."""
        path = Path(path)
        lines = [f"# {h}" for h in header]
        order = [BIAS, *self.dense] + sorted(k for k in self.weights if k != BIAS and k not in self.dense)
        lines += [f"{k}\t" + "\t".join(f"{w:.6f}" for w in self.weights[k]) for k in order]
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)


def tsv_rows(text: str, path: str | Path, what: str, row: Callable[[list[str]], T]) -> list[T]:
    """``row`` of the tab-separated fields of each line of a small data file (weights, rates), in order; blank
    and ``#`` lines skipped. Raises ValueError naming ``path`` and the line whose ``row`` raised one ("bad
    {what} row")."""
    out: list[T] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            out.append(row(line.split("\t")))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: bad {what} row ({exc})") from None
    return out


def candidate_rates(path: str | Path, counts: int, holds: str,
                    check: Callable[[tuple[int, ...]], None] | None = None) -> tuple[int, ...]:
    """The ``counts`` whole numbers of the last ``candidate`` row of a real posts' rates file (what the trainer
    moves a model's priors to). Raises ValueError naming the line of a malformed row (``holds``: what the row
    should hold after its name; ``check`` may refuse the numbers), or when the file has no such row."""
    def row(fields: list[str]) -> tuple[int, ...]:
        if len(fields) != counts + 1 or fields[0] != "candidate":
            raise ValueError(f"expected 'candidate' and {holds}")
        values = tuple(int(v) for v in fields[1:])
        if check is not None:
            check(values)
        return values

    rows = tsv_rows(Path(path).read_text(encoding="utf-8"), path, "rate", row)
    if not rows:
        raise ValueError(f"{path}: no candidate rates")
    return rows[-1]


def _weights_row(fields: list[str]) -> tuple[str, tuple[float, ...]]:
    if len(fields) < 2:
        raise ValueError("no weights")
    return fields[0], tuple(map(float, fields[1:]))


def parse_weights(data: bytes, path: str | Path = "<weights>") -> dict[str, tuple[float, ...]]:
    """A weights file's rows (``feature<TAB>w1[<TAB>w2 ...]``; blank and ``#`` lines skipped). Raises
    ValueError naming ``path`` and the line of a malformed row."""
    return dict(tsv_rows(data.decode("utf-8"), path, "model", _weights_row))


def _weights_shape(value: object) -> bool:
    """Whether a cached parse is a weights table (rows are checked again when a model is built)."""
    return type(value) is dict and set(map(type, value)) == {str} and set(map(type, value.values())) == {tuple}


def sum_rows(rows: Sequence[Sequence[float]], width: int) -> list[float]:
    """Column sums of ``rows`` (in order), ``width`` zeros when there are none."""
    return [sum(column) for column in zip(*rows)] if rows else [0.0] * width


class WordTable:
    """The word weights of several models side by side, so that a text's words are looked up once for
    all of them (``sums``), each model then reading its own columns (``part``)."""

    def __init__(self, models: Sequence["LinearModel | None"]) -> None:
        self.models = tuple(models)
        self._at: dict[int, tuple[int, int]] = {}
        width = 0
        for model in self.models:
            if model is not None:
                self._at[id(model)] = (width, width + model.width)
                width += model.width
        self.width = width
        rows: dict[str, list[float]] = {}
        for model in self.models:
            if model is None:
                continue
            start, end = self._at[id(model)]
            for feature, w in model.weights.items():
                if not feature.startswith("="):
                    rows.setdefault(feature, [0.0] * width)[start:end] = w
        self._rows = {feature: tuple(row) for feature, row in rows.items()}

    def sums(self, features: Iterable[str]) -> list[float]:
        """Every model's word weights summed over the text's ``features``, side by side."""
        return sum_rows([w for w in map(self._rows.get, features) if w is not None], self.width)

    def part(self, sums: Sequence[float], model: "LinearModel") -> Sequence[float]:
        """``model``'s columns of ``sums``."""
        start, end = self._at[id(model)]
        return sums[start:end]


def prior_shift(target: tuple[int, int], trained_on: tuple[int, int], outcomes: int, cap: float) -> float:
    """How far to move a label's logit from its rate in the training texts to its ``target`` rate (a prior
    shift): the log of the ratio of the two rates, each (count, total) smoothed by one per outcome
    (``outcomes``: 2 for a yes/no label, 3 for a three-class one), at most ``cap`` either way."""
    (n, total), (m, seen) = target, trained_on
    move = math.log(((n + 1) / (total + outcomes)) / ((m + 1) / (seen + outcomes)))
    return max(-cap, min(cap, move))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


class LabelsModel(LinearModel):
    """One logistic regression per label (a column each, in ``LABELS`` order) over the labels the rules found
    (``rules_flags``: a flag each, and how many) and the words: the stage and theme models."""

    LABELS: tuple[str, ...] = ()
    RULES_SCALE = 3.0  # a label the rules found, on the scale of many binary word features
    COUNT_SCALE = 0.5

    @classmethod
    def dense_values(cls, found: Sequence[str]) -> tuple[float, ...]:
        """The labels the rules ``found`` as the model's dense features (``rules_flags``), already scaled."""
        return (*(cls.RULES_SCALE if x in found else 0.0 for x in cls.LABELS), len(found) * cls.COUNT_SCALE)

    def probabilities(self, features: Sequence[str], found: Sequence[str],
                      word_sums: Sequence[float] | None = None) -> dict[str, float]:
        """p(the text has the label) for each label, given its :func:`words` (or their ``word_sums``) and the
        labels the rules ``found``."""
        z = self.logits(features, self.dense_values(found), word_sums)
        return {x: sigmoid(v) for x, v in zip(self.LABELS, z)}

    def said(self, features: Sequence[str], label: str, has: bool) -> str:
        """The words that pushed most towards ``label`` (``has``) or away from it, quoted and joined
        ("'ghosted', 'weeks'"; "" when none did): what an explanation of a label added or dropped names."""
        push = [0.0] * len(self.LABELS)
        push[self.LABELS.index(label)] = 1.0 if has else -1.0
        return ", ".join(f"'{w}'" for w in self.drivers(features, push))


def rules_flags(labels: Sequence[str]) -> tuple[str, ...]:
    """A :class:`LabelsModel`'s dense feature names: one flag per label, and the count."""
    return (*(f"=rules_{x}" for x in labels), "=rules_count")


class BinaryModel(LinearModel):
    """One column: the logit of a yes/no decision."""

    WIDTH = 1

    def probability(self, features: Sequence[str], values: Sequence[float],
                    word_sums: Sequence[float] | None = None) -> float:
        """p(yes) of a text (its :func:`words`, or their ``word_sums``) given the dense ``values``."""
        return sigmoid(self.logits(features, values, word_sums)[0])


def _design(features: Sequence[Sequence[str]], dense_rows: Sequence[Sequence[float]], min_df: int):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=lambda given: given, min_df=min_df, binary=True)
    x = hstack([vectorizer.fit_transform(features), csr_matrix([list(r) for r in dense_rows])]).tocsr()
    return x, list(vectorizer.get_feature_names_out())


def fit(features: Sequence[Sequence[str]], dense_rows: Sequence[Sequence[float]], labels: Sequence[int],
        model_class: type[LinearModel] = LinearModel, min_df: int = MIN_DF, c: float = C):
    """Fit a logistic regression (multinomial for more than two labels) on word features and the
    ``model_class.DENSE`` values, as a ``model_class``. Needs scikit-learn; deterministic for the same data."""
    return fit_columns(features, dense_rows, [labels], model_class, min_df, c)


def fit_columns(features: Sequence[Sequence[str]], dense_rows: Sequence[Sequence[float]],
                label_columns: Sequence[Sequence[int]], model_class: type[LinearModel] = LinearModel,
                min_df: int = MIN_DF, c: float = C):
    """One logistic regression per labels column over the same features (multi-label: one binary
    column each); their weights side by side, in the order of ``label_columns``, as a ``model_class``."""
    from sklearn.linear_model import LogisticRegression

    dense = model_class.DENSE
    x, words_seen = _design(features, dense_rows, min_df)
    names = [*words_seen, *dense]
    columns: list[list[float]] = []
    biases: list[float] = []
    for labels in label_columns:
        fitted = LogisticRegression(C=c, max_iter=5000).fit(x, list(labels))
        coef = fitted.coef_  # (1, features) for two labels, (classes, features) otherwise
        columns += [[float(v) for v in row] for row in coef]
        biases += [float(b) for b in fitted.intercept_]
    weights = {name: tuple(col[j] for col in columns) for j, name in enumerate(names)}
    weights[BIAS] = tuple(biases)
    return model_class(weights, dense)
