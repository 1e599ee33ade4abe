"""A learned second reading of a text's overall tone, over the rules' score and the text's words.

The rules (``scoring._overall_sentiment``) read tone from the lexicon, sentence by sentence. What they
miss most is how a writer frames the whole: a calm account that names a rejection ("Larkspur interview
Tuesday, rejection Friday, standard email.") is neutral, a thank-you can be a complaint, and a post
full of nerves and hard tests can be glad. Those cues are spread over ordinary words ("for anyone
prepping", "standard", "no games"), which a phrase list cannot hold.

This module is a multinomial logistic regression over two kinds of features:

* the rules' reading: their score, its label, and whether the text is a candidate experience
  (``DENSE``, scaled by ``DENSE_SCALE``);
* the text's words: lower-cased tokens (``TOKEN``) and adjacent pairs of them, present or absent.

It is trained (:func:`train`, needs the optional ``scikit-learn``) on the project's labelled
synthetic texts: the tuning sets in ``data/eval/`` and the test battery ``tests/data/phrasings.jsonl``,
never a held-out set. The weights are data, ``analysis/lexicon/tone_model.tsv``, so retraining
changes the analyzer version like any lexicon edit. Reading them (:class:`ToneModel`) needs nothing
beyond the standard library.

:func:`blend` keeps the rules' score when the model agrees with its label, and otherwise moves it
just into the model's class, keeping the lean ``p(positive) - p(negative)``. The class is the one of least
expected cost (``COST``), where reading a negative post as positive costs twice any other error, when the
rules and the model's likeliest class disagree.

Run ``python -m analysis.tone_model`` to retrain and rewrite the weights file.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterable, Sequence

from analysis.sentiment import NEUTRAL_EPS as BAND  # the +-0.05 neutral band (VADER's convention)

CLASSES = ("negative", "neutral", "positive")
TOKEN = re.compile(r"[a-z0-9']+")
# the rules' reading, as features: (score, score if CE, label one-hot, label one-hot if CE, CE, |score|)
DENSE = ("=score", "=score_ce", "=neg", "=neu", "=pos", "=neg_ce", "=neu_ce", "=pos_ce", "=ce", "=abs")
DENSE_SCALE = 3.0  # the rules' features on the scale of many binary word features
MIN_DF = 5  # a word or pair is a feature when at least this many training texts hold it
C = 1.0  # inverse L2 strength (scikit-learn's convention)
MODEL_NAME = "tone_model.tsv"  # in the lexicon directory
MODEL_FILE = Path(__file__).resolve().parent / "lexicon" / MODEL_NAME
_BIAS = "=bias"


def words(text: str) -> list[str]:
    """The text's word features: tokens and adjacent token pairs, each once, in order of first use."""
    tokens = TOKEN.findall(text.lower().replace("\u2019", "'"))
    pairs = [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    return list(dict.fromkeys(tokens + pairs))


def label_index(score: float) -> int:
    """The index in ``CLASSES`` of a score's label (the +-``BAND`` convention)."""
    return 2 if score >= BAND else 0 if score <= -BAND else 1


def dense(score: float, is_ce: bool) -> tuple[float, ...]:
    """The rules' reading as the ``DENSE`` features, already scaled."""
    label = label_index(score)
    ce = 1.0 if is_ce else 0.0
    onehot = [1.0 if k == label else 0.0 for k in range(3)]
    values = [score, score * ce, *onehot, *(v * ce for v in onehot), ce, abs(score)]
    return tuple(v * DENSE_SCALE for v in values)


class ToneModel:
    """Weights of the three classes per feature; ``probabilities`` reads a text with them."""

    def __init__(self, weights: dict[str, tuple[float, float, float]]) -> None:
        missing = [name for name in (_BIAS, *DENSE) if name not in weights]
        if missing:
            raise ValueError(f"tone model lacks the features {', '.join(missing)}")
        self.weights = weights
        self._bias = weights[_BIAS]
        self._dense = [weights[name] for name in DENSE]

    @classmethod
    def load(cls, path: str | Path = MODEL_FILE) -> "ToneModel":
        """Read a weights file: ``feature<TAB>w_negative<TAB>w_neutral<TAB>w_positive``, ``#`` comments.

        Raises ValueError naming the line of a malformed row."""
        weights: dict[str, tuple[float, float, float]] = {}
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            try:
                if len(fields) != 4:
                    raise ValueError(f"{len(fields)} fields, not 4")
                weights[fields[0]] = (float(fields[1]), float(fields[2]), float(fields[3]))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: bad tone model row ({exc})") from None
        return cls(weights)

    def logits(self, text: str, score: float, is_ce: bool) -> list[float]:
        out = list(self._bias)
        for value, w in zip(dense(score, is_ce), self._dense):
            if value:
                out[0] += value * w[0]
                out[1] += value * w[1]
                out[2] += value * w[2]
        get = self.weights.get
        for feature in words(text):
            w = get(feature)
            if w is not None:
                out[0] += w[0]
                out[1] += w[1]
                out[2] += w[2]
        return out

    def probabilities(self, text: str, score: float, is_ce: bool) -> tuple[float, float, float]:
        """p(negative), p(neutral), p(positive) of the text given the rules' ``score`` and CE flag."""
        z = self.logits(text, score, is_ce)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return (e[0] / total, e[1] / total, e[2] / total)

    def drivers(self, text: str, towards: int, away: int, n: int = 4) -> list[str]:
        """The ``n`` word features that most favour class ``towards`` over class ``away``."""
        scored = []
        for feature in words(text):
            w = self.weights.get(feature)
            if w is not None and w[towards] - w[away] > 0:
                scored.append((w[towards] - w[away], feature))
        scored.sort(key=lambda t: -t[0])
        return [f for _, f in scored[:n]]


# the cost of reading a text of class g (row) as class p (column): a negative post read as positive is
# the error that hides a problem from the team (issue #4 gives it a target of its own), so it costs twice
COST = ((0.0, 1.0, 2.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0))


def decide(probs: Sequence[float]) -> int:
    """The class with the least expected ``COST`` under ``probs`` (ties: the earlier class)."""
    expected = [sum(probs[g] * COST[g][p] for g in range(3)) for p in range(3)]
    return min(range(3), key=expected.__getitem__)


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


def train(texts: Sequence[str], labels: Sequence[str], scores: Sequence[float], is_ce: Sequence[bool],
          min_df: int = MIN_DF, c: float = C) -> ToneModel:
    """Fit the model on labelled texts (``labels`` from ``CLASSES``) and the rules' readings of them.

    Needs scikit-learn (``pip install -e '.[train]'``); deterministic for the same data."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    unknown = sorted(set(labels) - set(CLASSES))
    if unknown:
        raise ValueError(f"unknown tone labels: {', '.join(unknown)}")
    vectorizer = CountVectorizer(analyzer=words, min_df=min_df, binary=True)
    x_words = vectorizer.fit_transform(texts)
    x = hstack([x_words, csr_matrix([dense(s, ce) for s, ce in zip(scores, is_ce)])]).tocsr()
    y = [CLASSES.index(label) for label in labels]
    fitted = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    names = [*vectorizer.get_feature_names_out(), *DENSE]
    coef = fitted.coef_  # (3, features); the classes are 0, 1, 2 in order
    weights = {name: (float(coef[0, j]), float(coef[1, j]), float(coef[2, j])) for j, name in enumerate(names)}
    weights[_BIAS] = tuple(float(b) for b in fitted.intercept_)
    return ToneModel(weights)


def write(model: ToneModel, path: str | Path, header: Iterable[str] = ()) -> None:
    """Write the weights (6 decimals), ``#`` header lines first; atomically (a temp file, then rename)."""
    path = Path(path)
    lines = [f"# {h}" for h in header]
    order = [_BIAS, *DENSE] + sorted(k for k in model.weights if k != _BIAS and k not in DENSE)
    lines += [f"{k}\t" + "\t".join(f"{w:.6f}" for w in model.weights[k]) for k in order]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


ROOT = Path(__file__).resolve().parents[1]
TRAINING_FILES = ("data/eval/dev.jsonl", "data/eval/dev2.jsonl", "data/eval/dev3.jsonl", "tests/data/phrasings.jsonl")


def training_items(root: Path = ROOT, files: Sequence[str] = TRAINING_FILES) -> list[dict]:
    """The labelled texts the shipped model learns from (never a held-out set)."""
    import json

    items = []
    for name in files:
        with open(root / name, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def rules_reading(texts: Sequence[str], lexicon_dir: str | Path | None = None) -> list[tuple[float, bool]]:
    """(score, is_candidate_experience) of each text by the rules alone, the model's input."""
    import json

    from analysis.scoring import Analyzer

    analyzer = Analyzer(lexicon_dir, tone_model=False)  # the rules alone
    companies = [(c["name"], c["aliases"]) for c in json.loads((ROOT / "data/eval/companies.json").read_text())]
    return [(r.sentiment, r.is_candidate_experience) for r in analyzer.score_many(texts, companies)]


def fit_shipped(root: Path = ROOT) -> tuple[ToneModel, int]:
    """The model trained on ``TRAINING_FILES`` as the shipped file is; (model, number of texts)."""
    items = training_items(root)
    texts = [i["text"] for i in items]
    reading = rules_reading(texts)
    model = train(texts, [i["sentiment"] for i in items], [s for s, _ in reading], [ce for _, ce in reading])
    return model, len(items)


def main() -> None:
    model, n = fit_shipped()
    write(model, MODEL_FILE, header=[
        "hirepulse tone model: multinomial logistic regression weights (negative, neutral, positive).",
        f"Trained by `python -m analysis.tone_model` on {n} labelled synthetic texts: "
        + ", ".join(TRAINING_FILES) + ".",
        f"Features: the rules' reading ({', '.join(DENSE)}, x{DENSE_SCALE:g}) and word/pair presence "
        f"(min_df={MIN_DF}, C={C:g}). See analysis/tone_model.py.",
    ])
    print(f"wrote {MODEL_FILE} ({len(model.weights)} features, {n} texts)")


if __name__ == "__main__":
    main()
