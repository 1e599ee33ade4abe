"""The learned readings out of sample: leave one labelled set out, train on the rest, read the one left out.

Usage: python bench/learned_cv.py   (needs the optional scikit-learn: pip install -e '.[train]')

The candidate, stage, consumer and tone models (analysis/*_model.py) learn from the tuning sets and the
test battery, so bench/accuracy.py reads them in-sample there. This prints, for each of those sets, the
rules alone (the baseline) beside the rules with the models trained on every other set (python -m
analysis.train's steps), exactly as the analyzer applies them: sentiment accuracy, the share of
negatives read as positive, candidate-experience F1, stage micro-F1 and consumer-link F1. The rules were
tuned on all of these sets, so their figures are in-sample throughout; the held-out sets in
bench/accuracy.py are the clean measure of both.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import evaluation as ev  # noqa: E402
from analysis import train as TR  # noqa: E402
from analysis.scoring import Analyzer  # noqa: E402

# the battery's parts by their first id (tests/test_analysis_phrasings.py; parts 7-9 were written as one)
BATTERY_PARTS = (("battery 1-6", "p001"), ("battery 7-9", "p575"), ("battery 10", "p1215"),
                 ("battery 11", "p1415"), ("battery 12", "p1615"), ("battery 13", "p1815"),
                 ("battery 14", "p2015"), ("battery 15", "p2215"), ("battery 16", "p2415"),
                 ("battery 17", "p2615"), ("battery 18", "p2815"), ("battery 19", "p3015"),
                 ("battery 20", "p3215"), ("battery 21", "p3415"), ("battery 22", "p3615"),
                 ("battery 23", "p3815"), ("battery 24", "p4015"), ("battery 25", "p4215"),
                 ("battery 26", "p4415"), ("battery 27", "p4615"), ("battery 28", "p4815"),
                 ("battery 29", "p5015"), ("battery 30", "p5215"), ("battery 31", "p5415"),
                 ("battery 32", "p5615"), ("battery 33", "p5815"), ("battery 34", "p6015"),
                 ("battery 35", "p6215"), ("battery 36", "p6415"), ("battery 37", "p6615"),
                 ("battery 38", "p6815"), ("battery 39", "p7015"), ("battery 40", "p7215"),
                 ("battery 41", "p7415"), ("battery 42", "p7615"), ("battery 43", "p7815"),
                 ("battery 44", "p8015"), ("battery 45", "p8215"), ("battery 46", "p8415"),
                 ("battery 47", "p8615"), ("battery 48", "p8815"), ("battery 49", "p9015"),
                 ("battery 50", "p9215"), ("battery 51", "p9415"), ("battery 52", "p9615"),
                 ("battery 53", "p9815"))


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


def metrics(items: list[dict], results: list) -> tuple[float, float, float, float, float]:
    gold = [i["sentiment"] for i in items]
    read = [ev.sentiment_label(r.sentiment) for r in results]
    staged = [(i, r) for i, r in zip(items, results) if i["is_candidate_experience"] and "stages" in i]
    return (ev.accuracy(gold, read), ev.negatives_scored_positive(gold, read),
            ev.binary_f1([i["is_candidate_experience"] for i in items], [r.is_candidate_experience for r in results]),
            ev.micro_f1([i["stages"] for i, _ in staged], [r.stages for _, r in staged]),
            ev.binary_f1([i["consumer_link"] for i in items], [r.consumer_link for r in results]))


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    started = time.perf_counter()
    items = TR.training_items()
    sets = groups(items)
    analyzer = Analyzer.rules_alone()
    matcher = analyzer.companies(ev.eval_companies())
    rules = [analyzer.score(i["text"], matcher) for i in items]
    rows, every_rules, every_learned = [], [], []
    for name in dict.fromkeys(sets):
        seen = [i for i, s in zip(items, sets) if s != name]
        held = [k for k, s in enumerate(sets) if s == name]
        analyzer.candidate, analyzer.stage, analyzer.consumer, analyzer.tone = TR.fit_all(seen)
        learned = [analyzer.score(items[k]["text"], matcher) for k in held]
        analyzer.candidate = analyzer.stage = analyzer.consumer = analyzer.tone = None
        part = [items[k] for k in held]
        rows.append((name, len(held), metrics(part, [rules[k] for k in held]), metrics(part, learned)))
        every_rules += [rules[k] for k in held]
        every_learned += learned
    ordered = [items[k] for name in dict.fromkeys(sets) for k, s in enumerate(sets) if s == name]
    rows.append(("all", len(items), metrics(ordered, every_rules), metrics(ordered, every_learned)))
    print(f"learned readings, leave one set out (analyzer {analyzer.version}; baseline: the rules alone)")
    print(f"{'set':12} {'texts':>5}   {'sentiment':^13}  {'neg. as pos.':^13}  {'CE F1':^13}  {'stage F1':^13}  "
          f"{'consumer F1':^13}")
    for name, n, r, m in rows:
        print(f"{name:12} {n:5}   " + "  ".join(f"{a:.3f} > {b:.3f}" for a, b in zip(r, m)))
    sent_r, sent_m = rows[-1][2][0], rows[-1][3][0]
    print(f"sentiment ratio to the rules alone: {sent_m / sent_r:.2f}x ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
