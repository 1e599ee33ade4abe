"""Throughput of score_texts vs a plain VADER polarity_scores loop, same texts, same run.

Usage: python bench/analysis.py [--workers N] [--repeat R]
Corpus: every distinct text of the demo data (data/sample: forum posts, social posts,
reviews, news/blogs, survey comments) and of data/eval (dev, dev2, holdout), deduplicated,
so no text is scored twice within a run and the sentence cache gets no free hits from
repeated texts (sentences shared between different texts still hit it, as on real feeds).
Each timing is the best of R runs; before every hirepulse run the analyzer and its caches
are dropped (cold start: lexicon load included). Prints texts/s for both, the ratio and
the machine load (os.getloadavg()) so noisy measurements can be recognised.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis import scoring  # noqa: E402
from analysis.scoring import score_texts  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
EVAL = ROOT / "data" / "eval"


def corpus() -> list[str]:
    """Distinct texts of data/sample and data/eval, in a fixed order."""
    texts: list[str] = []
    for name in ("forum_posts.jsonl", "social_posts.jsonl"):
        for line in (SAMPLE / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    for name, cols in (("reviews_export.csv", ("review_title", "review_body")), ("news_blogs.csv", ("title", "text")),
                       ("candidate_survey.csv", ("comment",))):
        with open(SAMPLE / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                texts.append(". ".join(row[c] for c in cols if row.get(c)))
    for name in ("dev", "dev2", "holdout"):
        path = EVAL / f"{name}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line)["text"])
    seen: set[str] = set()
    out = []
    for t in texts:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = corpus()
    companies = [(c["name"], c["aliases"]) for c in
                 json.loads((EVAL / "companies.json").read_text(encoding="utf-8"))]
    load_before = os.getloadavg()

    vader = SentimentIntensityAnalyzer()

    def run_vader() -> None:
        for t in texts:
            vader.polarity_scores(t)

    def run_hp(workers):
        def go() -> None:
            scoring._DEFAULT.clear()  # cold start: lexicon load and empty caches count
            score_texts(texts, companies=companies, workers=workers)
        return go

    t_vader = _best(run_vader, args.repeat)
    t_hp = _best(run_hp(args.workers), args.repeat)
    t_serial = _best(run_hp(1), args.repeat)
    n = len(texts)
    load_after = os.getloadavg()
    print(f"corpus: {n} distinct texts (avg {sum(len(t) for t in texts) / n:.0f} chars), best of {args.repeat}")
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} cores")
    print(f"plain VADER polarity_scores loop:   {n / t_vader:10.0f} texts/s")
    print(f"hirepulse score_texts (default):    {n / t_hp:10.0f} texts/s   ratio {t_vader / t_hp:.2f}x")
    print(f"hirepulse score_texts (1 worker):   {n / t_serial:10.0f} texts/s   ratio {t_vader / t_serial:.2f}x")


if __name__ == "__main__":
    main()
