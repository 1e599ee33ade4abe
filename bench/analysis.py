"""Throughput of score_texts vs a plain VADER polarity_scores loop, same texts, same run.

Usage: python bench/analysis.py [--n 6000] [--workers N]
The texts are new combinations of sentences from data/eval (shuffled and re-joined,
so whole texts rarely repeat while sentences do, as on real feeds). Prints texts/s
for both and the ratio. Also reports a cold-cache serial run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis import scoring  # noqa: E402
from analysis.scoring import score_texts, split_sentences  # noqa: E402


def make_texts(n: int, seed: int = 11) -> list[str]:
    sentences: list[str] = []
    for name in ("dev", "holdout"):
        for line in (ROOT / "data" / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentences.extend(split_sentences(json.loads(line)["text"]))
    rng = random.Random(seed)
    return [" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 6))) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    texts = make_texts(args.n)
    companies = [(c["name"], c["aliases"]) for c in
                 json.loads((ROOT / "data" / "eval" / "companies.json").read_text(encoding="utf-8"))]

    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    t_vader = time.perf_counter() - t0

    scoring._DEFAULT.clear()  # cold start: lexicon load and empty sentence cache count
    t0 = time.perf_counter()
    score_texts(texts, companies=companies, workers=args.workers)
    t_hp = time.perf_counter() - t0

    scoring._DEFAULT.clear()
    t0 = time.perf_counter()
    score_texts(texts, companies=companies, workers=1)
    t_serial = time.perf_counter() - t0

    n = len(texts)
    print(f"texts: {n} (avg {sum(len(t) for t in texts) / n:.0f} chars)")
    print(f"plain VADER polarity_scores loop: {n / t_vader:10.0f} texts/s")
    print(f"hirepulse score_texts (pool):     {n / t_hp:10.0f} texts/s   ratio {t_vader / t_hp:.2f}x")
    print(f"hirepulse score_texts (1 worker): {n / t_serial:10.0f} texts/s   ratio {t_vader / t_serial:.2f}x")


if __name__ == "__main__":
    main()
