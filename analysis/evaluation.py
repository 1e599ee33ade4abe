"""Evaluation metrics for the analysis engine (pure functions, no I/O), and the eval sets' companies.

Used by ``bench/accuracy.py`` against ``data/eval/*.jsonl``. Every metric
takes parallel sequences of gold and predicted values and raises ValueError
when their lengths differ. :func:`eval_companies` reads ``data/eval/companies.json`` and
:func:`eval_splits` the list of eval sets from ``data/eval/build.py``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import random
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from hirepulse.models import SENTIMENT_LABELS  # (the three tone labels, also imported from here)

logger = logging.getLogger(__name__)

NEUTRAL_BAND = 0.05
EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"
EVAL_COMPANIES = EVAL_DIR / "companies.json"


def eval_companies(path: Path = EVAL_COMPANIES) -> list[tuple[str, list[str]]]:
    """The (canonical name, aliases) pairs the eval sets and benches score with. Side effect: reads ``path``."""
    return [(c["name"], c["aliases"]) for c in json.loads(path.read_text(encoding="utf-8"))]


def eval_splits(build_py: Path = EVAL_DIR / "build.py") -> tuple[str, ...]:
    """The eval sets ``data/eval/build.py`` builds, in its order (the one list of them). Side effect:
    imports that file (which only defines things on import)."""
    spec = importlib.util.spec_from_file_location("eval_build", build_py)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # type: ignore[union-attr]
    return tuple(build.SPLITS)


def read_json_lines(path: Path) -> list[tuple[int, dict]]:
    """The JSON objects of a JSON-lines file with their line numbers (blank lines skipped). Raises
    ValueError naming the file and line of the first line that is not a JSON object."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):  # (a BOM opens no JSON)
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object")
        rows.append((n, row))
    return rows


def check_labelled(row: dict, where: str, stages: Sequence[str], seen: set[str], with_text: bool = True,
                   unique: str = "in the file") -> None:
    """Check one labelled item (the fields :func:`read_labelled` reads) and fill in its optional fields;
    ``seen``: the ids so far, to which its id is added. Raises ValueError opening with ``where`` and naming
    the field at fault (``unique``: among what its id must be unique)."""
    ident, text = row.get("id"), row.get("text")
    if not isinstance(ident, str) or not ident or ident in seen:
        raise ValueError(f"{where}: 'id' must be a string, unique {unique}")
    if with_text and (not isinstance(text, str) or not text.strip()):
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    if row.get("sentiment") not in SENTIMENT_LABELS:
        raise ValueError(f"{where}: 'sentiment' must be one of {', '.join(SENTIMENT_LABELS)}")
    for key in ("is_candidate_experience", "consumer_link"):
        if not isinstance(row.get(key), bool):
            raise ValueError(f"{where}: '{key}' must be true or false")
    got = row.get("stages")
    if not isinstance(got, list) or not set(got) <= set(stages):
        raise ValueError(f"{where}: 'stages' must be a list of {', '.join(stages)}")
    if got and not row["is_candidate_experience"]:
        raise ValueError(f"{where}: 'stages' must be [] when is_candidate_experience is false")
    for key in ("themes", "companies"):
        if not isinstance(row.setdefault(key, []), list):
            raise ValueError(f"{where}: '{key}' must be a list")
    tones = row.setdefault("stage_sentiment", {})
    if not isinstance(tones, dict) or not set(tones) <= set(got) or not set(tones.values()) <= set(SENTIMENT_LABELS):
        raise ValueError(f"{where}: 'stage_sentiment' must map some of its stages to {', '.join(SENTIMENT_LABELS)}")
    seen.add(ident)


def read_labelled(path: Path, stages: Sequence[str], with_text: bool = True) -> list[dict]:
    """The labelled items of a JSON-lines file kept anywhere (a held-out set of real posts that may not
    live in this repository): each line {"id", "text", "sentiment", "is_candidate_experience", "stages",
    "consumer_link"}, optionally "themes" and "companies" (both [] when absent) and "stage_sentiment" (a label for
    some of its stages; {} when absent); with ``with_text``
    False, a reader's labels of such a set, without "text". Raises ValueError naming
    the file, line and field of the first bad row; reads the whole file before returning anything."""
    items: list[dict] = []
    seen: set[str] = set()
    for n, row in read_json_lines(path):
        check_labelled(row, f"{path}:{n}", stages, seen, with_text, "in the file")
        items.append(row)
    if not items:
        raise ValueError(f"{path}: no labelled items")
    return items


def _check(a: Sequence, b: Sequence) -> None:
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} gold vs {len(b)} predicted")


def sentiment_label(score: float, band: float = NEUTRAL_BAND) -> str:
    """Map a [-1, 1] score to negative / neutral / positive (VADER's +-0.05 convention)."""
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def accuracy(gold: Sequence, pred: Sequence) -> float:
    """Share of exact matches; 0.0 for empty input."""
    _check(gold, pred)
    if not gold:
        return 0.0
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold)


def negatives_scored_positive(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Share of gold-negative items predicted positive (the worst sentiment error)."""
    _check(gold, pred)
    negs = [p for g, p in zip(gold, pred) if g == "negative"]
    if not negs:
        return 0.0
    return sum(1 for p in negs if p == "positive") / len(negs)


def sure_readings(gold: Sequence[str], pred: Sequence[str], confidence: Sequence[float | None],
                  sure: float) -> dict[str, float | None]:
    """How the tone readings at least ``sure`` (``Result.sentiment_confidence``; None counts as unsure) fare
    against the rest: their share, the sentiment accuracy of each part and the share of negatives read as
    positive among the sure ones (None for an empty part)."""
    _check(gold, pred)
    _check(gold, confidence)
    on = [k for k, c in enumerate(confidence) if c is not None and c >= sure]
    off = sorted(set(range(len(gold))) - set(on))

    def part(ks: list[int], fn: Callable[[Sequence[str], Sequence[str]], float]) -> float | None:
        return fn([gold[k] for k in ks], [pred[k] for k in ks]) if ks else None

    sure_negatives = [k for k in on if gold[k] == "negative"]
    return {
        "sure tone readings": len(on) / len(gold) if gold else None,
        "sentiment acc., sure": part(on, accuracy),
        "sentiment acc., unsure": part(off, accuracy),
        "neg. scored pos., sure": part(sure_negatives, negatives_scored_positive),
    }


def net_tone_bias(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """How far the predicted net tone (share positive minus share negative, -1 to 1) of a group of items lies
    from the labelled one: negative when the reading is gloomier than the labels. What a dashboard's net
    sentiment over many posts shows, where labels that are wrong both ways cancel out. None for no items."""
    _check(gold, pred)
    if not gold:
        return None

    def net(labels: Sequence[str]) -> float:
        return (sum(1 for x in labels if x == "positive") - sum(1 for x in labels if x == "negative")) / len(labels)

    return net(pred) - net(gold)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts; 0.0 where undefined."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def binary_f1(gold: Sequence[bool], pred: Sequence[bool]) -> float:
    """F1 of the positive class."""
    _check(gold, pred)
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    return prf(tp, fp, fn)[2]


def micro_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> float:
    """Micro-averaged F1 over multi-label sets."""
    _check(gold, pred)
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return prf(tp, fp, fn)[2]


def macro_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], labels: Sequence[str]) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (labels absent from gold and pred count as 0)."""
    _check(gold, pred)
    if not labels:
        return 0.0
    per = per_label_f1(gold, pred, labels)
    return sum(per.values()) / len(labels)


def per_label_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], labels: Sequence[str]) -> dict[str, float]:
    """F1 per label of a multi-label task."""
    _check(gold, pred)
    out = {}
    gsets = [set(g) for g in gold]
    psets = [set(p) for p in pred]
    for lab in labels:
        tp = sum(1 for g, p in zip(gsets, psets) if lab in g and lab in p)
        fp = sum(1 for g, p in zip(gsets, psets) if lab not in g and lab in p)
        fn = sum(1 for g, p in zip(gsets, psets) if lab in g and lab not in p)
        out[lab] = prf(tp, fp, fn)[2]
    return out


def reading_scores(items: Sequence[dict], results: Sequence) -> dict[str, float]:
    """How far an analyzer's ``results`` (``scoring.Result``) read labelled ``items`` right: sentiment
    accuracy, the share of negatives read as positive, candidate-experience and consumer-link F1, and stage
    micro-F1 over the items labelled as candidate experiences (with a "stages" label), and themes micro-F1
    over the items with a readers' theme reading (``themes_read``; None when no item has one)."""
    _check(items, results)
    gold = [i["sentiment"] for i in items]
    read = [sentiment_label(r.sentiment) for r in results]
    staged = [(i, r) for i, r in zip(items, results) if "stages" in i and i["is_candidate_experience"]]
    themed = [(i, r) for i, r in zip(items, results) if "themes_read" in i]
    return {
        "sentiment": accuracy(gold, read),
        "negatives_scored_positive": negatives_scored_positive(gold, read),
        "candidate_experience_f1": binary_f1([i["is_candidate_experience"] for i in items],
                                             [r.is_candidate_experience for r in results]),
        "consumer_link_f1": binary_f1([i["consumer_link"] for i in items], [r.consumer_link for r in results]),
        "stage_micro_f1": micro_f1([i["stages"] for i, _ in staged], [r.stages for _, r in staged]),
        "themes_micro_f1": (micro_f1([i["themes_read"] for i, _ in themed], [r.themes for _, r in themed])
                            if themed else None),
    }


def bootstrap_intervals(figures: Callable[[list[int]], Mapping[str, float | None]], n: int,
                        resamples: int = 1000, level: float = 0.95,
                        seed: int = 0) -> dict[str, tuple[float, float] | None]:
    """Percentile bootstrap intervals of figures read on ``n`` labelled items: ``figures(indices)`` gives
    each figure on the items at ``indices``; it is read on ``resamples`` samples of ``n`` indices drawn
    with replacement (the same samples for every figure; ``seed`` makes them repeatable). A figure's
    interval holds the central ``level`` of its values; None where the figure is None (not read) on the
    whole set. How far a figure on a few hundred texts could move on another few hundred like them."""
    if n < 1:
        raise ValueError("no items to resample")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    whole = figures(list(range(n)))
    rng = random.Random(seed)
    values: dict[str, list[float]] = {name: [] for name, v in whole.items() if v is not None}
    for _ in range(resamples):
        got = figures(rng.choices(range(n), k=n))
        for name, kept in values.items():
            v = got.get(name)
            if v is not None:
                kept.append(v)
    out: dict[str, tuple[float, float] | None] = {name: None for name in whole}
    tail = (1 - level) / 2
    for name, kept in values.items():
        if kept:
            kept.sort()
            lo = kept[max(0, math.floor(tail * len(kept)))]
            hi = kept[min(len(kept) - 1, math.ceil((1 - tail) * len(kept)) - 1)]
            out[name] = (lo, hi)
    return out


def stage_sentiment_accuracy(gold: Sequence[dict[str, str]], pred: Sequence[dict[str, float]],
                             band: float = NEUTRAL_BAND) -> tuple[float, int]:
    """Accuracy of per-stage sentiment labels on stages present in both gold labels and predictions.

    Returns (accuracy, number of stage labels compared).
    """
    _check(gold, pred)
    n = hit = 0
    for g, p in zip(gold, pred):
        for stage, label in g.items():
            if stage in p:
                n += 1
                hit += sentiment_label(p[stage], band) == label
    return (hit / n if n else 0.0), n
