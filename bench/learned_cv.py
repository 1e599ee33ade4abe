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

# the battery's parts by their first id: parts 1-6 and 7-9 were written together; from part 10 on, every
# part is 200 texts, part n starting at p(1215 + 200 (n - 10))
FIRST_PARTS = (("battery 1-6", 1), ("battery 7-9", 575))


def battery_parts(last: int) -> dict[str, str]:
    """First id -> part name, for a battery whose last id is p``last``."""
    parts = {f"p{first:03d}": name for name, first in FIRST_PARTS}
    n, first = 10, 1215
    while first <= last:
        parts[f"p{first}"] = f"battery {n}"
        n, first = n + 1, first + 200
    return parts


def groups(items: list[dict]) -> list[str]:
    """Each training item's set: its tuning split by id letter, or its battery part."""
    starts = battery_parts(max((int(i["id"][1:]) for i in items if i["id"].startswith("p")), default=0))
    out, current = [], None
    for item in items:
        ident = item["id"]
        if ident.startswith("p"):
            current = starts.get(ident, current)
            out.append(current)
        else:
            out.append({"d": "dev", "v": "dev2", "w": "dev3"}[ident[0]])
    return out


COLUMNS = ("sentiment", "negatives_scored_positive", "candidate_experience_f1", "stage_micro_f1", "consumer_link_f1",
           "themes_micro_f1")


def metrics(items: list[dict], results: list) -> tuple[float, ...]:
    """The figures of ``COLUMNS``, in order (``evaluation.reading_scores``)."""
    scores = ev.reading_scores(items, results)
    return tuple(scores[c] for c in COLUMNS)


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
        analyzer.candidate, analyzer.stage, analyzer.consumer, analyzer.tone, analyzer.theme = TR.fit_all(seen)
        learned = [analyzer.score(items[k]["text"], matcher) for k in held]
        analyzer.candidate = analyzer.stage = analyzer.consumer = analyzer.tone = analyzer.theme = None
        part = [items[k] for k in held]
        rows.append((name, len(held), metrics(part, [rules[k] for k in held]), metrics(part, learned)))
        every_rules += [rules[k] for k in held]
        every_learned += learned
    ordered = [items[k] for name in dict.fromkeys(sets) for k, s in enumerate(sets) if s == name]
    rows.append(("all", len(items), metrics(ordered, every_rules), metrics(ordered, every_learned)))
    print(f"learned readings, leave one set out (analyzer {analyzer.version}; baseline: the rules alone)")
    print(f"{'set':12} {'texts':>5}   {'sentiment':^13}  {'neg. as pos.':^13}  {'CE F1':^13}  {'stage F1':^13}  "
          f"{'consumer F1':^13}  {'themes F1':^13}")
    for name, n, r, m in rows:
        print(f"{name:12} {n:5}   " + "  ".join(f"{'-':^13}" if a is None else f"{a:.3f} > {b:.3f}"
                                                  for a, b in zip(r, m)))
    sent_r, sent_m = rows[-1][2][0], rows[-1][3][0]
    print(f"sentiment ratio to the rules alone: {sent_m / sent_r:.2f}x ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
