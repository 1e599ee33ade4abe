"""Golden outputs of score_texts: prove that a speed change leaves every result unchanged.

Usage: python bench/outputs.py write [FILE]   dump every Result of the corpus to FILE
       python bench/outputs.py check [FILE]   score again and compare with FILE (exit 1 on a difference)
FILE defaults to bench/out/outputs.json (git-ignored).

Corpus: bench/analysis.py's corpus() scored with the companies of data/eval/companies.json,
plus seeded variants of it that stress the sentence rules (upper-cased words, "!!!" and "??",
emoji, quotes, "but" joins, sentences shuffled across texts). Each Result is stored as its
``to_record`` line, its explanation and its ``repr`` (exact floats, tuple vs list, key order);
``check`` compares the repr. The corpus is also scored through the process pool (workers=2)
and must give the same results as the serial run.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import scoring  # noqa: E402
from analysis.evaluation import eval_companies  # noqa: E402
from analysis.scoring import score_texts, split_sentences  # noqa: E402


def _load_bench():
    """bench/analysis.py, loaded by path (its module name would clash with the analysis package)."""
    spec = importlib.util.spec_from_file_location("bench_analysis", ROOT / "bench" / "analysis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEFAULT_FILE = ROOT / "bench" / "out" / "outputs.json"
SEED = 4
EMOJI = ("\U0001F600", "\U0001F621", "\U0001F44D", "\u2764\ufe0f", "\U0001F62D")


def _variants(texts: list[str]) -> list[str]:
    """Seeded perturbations of ``texts`` that exercise caps, punctuation, emoji, quotes and "but"."""
    rng = random.Random(SEED)
    sentences = [s for t in texts for s in split_sentences(t)]
    out = []
    for t in texts:
        words = t.split()
        if not words:
            continue
        k = rng.randrange(len(words))
        choice = rng.randrange(6)
        if choice == 0:
            words[k] = words[k].upper()
        elif choice == 1:
            words[k] = words[k] + rng.choice(("!!!", "??", "?!", "!"))
        elif choice == 2:
            words.insert(k, rng.choice(EMOJI))
        elif choice == 3:
            j = min(len(words) - 1, k + rng.randrange(1, 4))
            words[k] = '"' + words[k]
            words[j] = words[j] + '"'
        elif choice == 4:
            words.insert(k, rng.choice(("but", "BUT", "not", "never", "very", "kind of", "at least", "no")))
        else:
            words = " ".join(rng.sample(sentences, 3)).split()
        out.append(" ".join(words))
    return out


def dump() -> list[dict]:
    """Score the corpus cold (fresh analyzer) and return one dict per text."""
    base = _load_bench().corpus()
    texts = base + _variants(base)
    companies = eval_companies()
    scoring._DEFAULT.clear()
    serial = score_texts(texts, companies=companies, workers=1)
    scoring._DEFAULT.clear()
    pooled = score_texts(texts, companies=companies, workers=2)
    if [repr(r) for r in pooled] != [repr(r) for r in serial]:
        raise SystemExit("pool results differ from serial results")
    return [{"text": t, "record": r.to_record(i), "explanation": r.explanation, "repr": repr(r)}
            for i, (t, r) in enumerate(zip(texts, serial))]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("write", "check"):
        raise SystemExit(__doc__)
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_FILE
    rows = dump()
    if sys.argv[1] == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {len(rows)} results to {path}")
        return
    golden = json.loads(path.read_text(encoding="utf-8"))
    if len(golden) != len(rows):
        raise SystemExit(f"{len(rows)} results, golden file has {len(golden)}")
    bad = [(g, r) for g, r in zip(golden, rows) if g["text"] != r["text"] or g["repr"] != r["repr"]]
    for g, r in bad[:5]:
        print(f"DIFF for {g['text']!r}:\n  golden {g['repr']}\n  now    {r['repr']}")
    if bad:
        labels = sum(g["record"] != r["record"] for g, r in bad)
        raise SystemExit(f"{len(bad)} of {len(rows)} results differ: {labels} in their labels, "
                         f"{len(bad) - labels} in their explanations only")
    print(f"all {len(rows)} results identical to {path}")


if __name__ == "__main__":
    main()
