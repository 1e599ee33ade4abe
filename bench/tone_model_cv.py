"""The tone model out of sample: leave one labelled set out, train on the rest, read the one left out.

Usage: python bench/tone_model_cv.py   (needs the optional scikit-learn: pip install -e '.[train]')

The tone model (analysis/tone_model.py) learns from the tuning sets and the test battery, so its
reading of them in bench/accuracy.py is in-sample. This prints, for each of those sets, the
sentiment accuracy and the share of negatives read as positive of the rules alone (baseline) and of the
rules with a model trained on every other set, exactly as the analyzer applies it (the writer's own
rating or verdict kept). The rules were tuned on all of these sets, so their figures are in-sample
throughout; the held-out sets in bench/accuracy.py are the clean measure of both.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import evaluation as ev  # noqa: E402
from analysis import tone_model as T  # noqa: E402
from analysis.scoring import Analyzer  # noqa: E402

# the battery's parts by their first id (tests/test_analysis_phrasings.py; parts 7-9 were written as one)
BATTERY_PARTS = (("battery 1-6", "p001"), ("battery 7-9", "p575"), ("battery 10", "p1215"),
                 ("battery 11", "p1415"), ("battery 12", "p1615"), ("battery 13", "p1815"),
                 ("battery 14", "p2015"), ("battery 15", "p2215"), ("battery 16", "p2415"),
                 ("battery 17", "p2615"), ("battery 18", "p2815"), ("battery 19", "p3015"),
                 ("battery 20", "p3215"), ("battery 21", "p3415"), ("battery 22", "p3615"))


def groups(items: list[dict]) -> list[str]:
    """Each training item's set: its tuning split by id letter, or its battery part."""
    starts = {first: name for name, first in BATTERY_PARTS}
    out, current = [], None
    for item in items:
        ident = item["id"]
        if ident.startswith("p"):
            current = starts.get(ident, current)
            out.append(current)
        else:
            out.append({"d": "dev", "v": "dev2", "w": "dev3"}[ident[0]])
    return out


def main() -> None:
    started = time.perf_counter()
    items = T.training_items()
    texts = [i["text"] for i in items]
    gold = [i["sentiment"] for i in items]
    sets = groups(items)
    analyzer = Analyzer(tone_model=False)
    matcher = analyzer.companies(ev.eval_companies())
    rules = [analyzer.score(t, matcher) for t in texts]
    rows, all_rules, all_model = [], [], []
    for name in dict.fromkeys(sets):
        train = [k for k, s in enumerate(sets) if s != name]
        held = [k for k, s in enumerate(sets) if s == name]
        analyzer.tone = T.train([texts[k] for k in train], [gold[k] for k in train],
                                [rules[k].sentiment for k in train], [rules[k].is_candidate_experience for k in train])
        read = [analyzer.score(texts[k], matcher) for k in held]
        analyzer.tone = None
        g = [gold[k] for k in held]
        r = [ev.sentiment_label(rules[k].sentiment) for k in held]
        m = [ev.sentiment_label(x.sentiment) for x in read]
        all_rules += r
        all_model += m
        rows.append((name, len(held), g, r, m))
    gold_all = [g for *_, gs, _r, _m in rows for g in gs]
    print(f"tone model, leave one set out (analyzer {analyzer.version}, rules alone as baseline)")
    print(f"{'set':14} {'texts':>5}  {'rules':>6} {'+model':>6}  {'ratio':>5}   negatives read as positive")
    for name, n, g, r, m in rows + [("all", len(gold_all), gold_all, all_rules, all_model)]:
        a, b = ev.accuracy(g, r), ev.accuracy(g, m)
        print(f"{name:14} {n:5}  {a:6.3f} {b:6.3f}  {b / a:5.2f}x  {ev.negatives_scored_positive(g, r):.3f} -> "
              f"{ev.negatives_scored_positive(g, m):.3f}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
