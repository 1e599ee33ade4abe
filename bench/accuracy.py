"""Accuracy of hirepulse vs plain VADER vs a keyword baseline on data/eval.

Usage: python bench/accuracy.py [--split dev|dev2|dev3|tuning|holdout|holdout2|...|holdout13|both|all]
       [--errors N] [--interval] [--external FILE... [--second FILE]] [--companies FILE]
"tuning" = dev, dev2 and dev3 as one set (the set the issue's targets are read on); "both" = dev +
holdout; "all" = each tuning split, the tuning sets together and the held-out sets holdout to holdout13
(report-only: written blind, never tuned on, so --errors refuses them). holdout3 to holdout13 have no theme
labels (their writers did not read the taxonomy), so their themes line prints "-".
--external FILE scores a labelled set kept outside the repository instead (a held-out set of real
posts, whose sentences may not be copied here; format: analysis.evaluation.read_labelled); several files
are scored apart and then pooled (two sets' test halves read as one, ids kept apart by file), and --second
FILE (with one --external file) scores an independent reader's labels of the same items against it.
--companies FILE: the companies to resolve ([{"name", "aliases"}], as data/eval/companies.json, the
default), for a set whose "companies" labels name others (the real posts' reading names real brands; its
"companies micro-F1" line).
An external set's table has a "95% interval" column: hirepulse's figures on 1,000 bootstrap resamples of
its texts (analysis.evaluation.bootstrap_intervals), how far each figure could move on another set of
that size drawn the same way; --interval adds it to the in-repo sets' tables too.
Prints a table per split. Metrics live in analysis/evaluation.py. Where every item of a split has a
second, independent annotation (data/eval/second_annotator.jsonl: a reader given only the texts and the
label definitions), a "2nd annotator" column scores it against the gold labels: how far two careful
readers agree, which is the ceiling the labels allow.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis import evaluation as ev  # noqa: E402
from analysis.scoring import ANALYZER_VERSION, STAGES, score_texts  # noqa: E402
from analysis.themes import THEMES  # noqa: E402
from analysis.tone_model import SURE  # noqa: E402

EVAL_DIR = ROOT / "data" / "eval"
KEYWORD_STAGES = {
    "application": ("applied", "application", "apply"),
    "screening": ("phone screen", "recruiter call", "screening"),
    "interview": ("interview",),
    "offer": ("offer",),
    "rejection": ("rejected", "rejection", "ghosted"),
    "onboarding": ("onboarding", "first day", "orientation"),
}
KEYWORD_CE = ("interview", "applied", "application", "recruiter", "rejected", "ghosted", "offer")
KEYWORD_CONSUMER = ("customer", "shop", "buy", "subscription", "membership")
KEYWORD_THEMES = {"ghosting": ("ghosted", "never heard"), "no_feedback": ("no feedback",),
                  "rescinded_offer": ("rescinded",), "lowball_offer": ("lowball",), "slow_process": ("slow",),
                  "fast_process": ("quick", "fast")}
KEYWORD_POS = ("great", "good", "love", "kind", "friendly", "quick", "fast", "thanks", "happy", "fair")
KEYWORD_NEG = ("ghosted", "never", "rude", "bad", "slow", "rejected", "nothing", "waste", "awful")


TUNING = ("dev", "dev2", "dev3")
HELD_OUT = tuple(s for s in ev.eval_splits() if s not in TUNING)  # report-only: every set build.py builds but these


def load(split: str) -> list[dict]:
    if split == "tuning":
        return [item for part in TUNING for item in load(part)]
    with open(EVAL_DIR / f"{split}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@functools.cache
def _label_rows(name: str) -> tuple[dict, ...]:
    """The rows of data/eval/NAME (read once per run, for all splits); empty when it is missing."""
    path = EVAL_DIR / name
    if not path.exists():
        return ()
    with open(path, encoding="utf-8") as fh:
        return tuple(map(json.loads, filter(str.strip, fh)))


def second_annotation(split: str, gold: list[dict]) -> list[dict] | None:
    """The second annotator's labels for ``gold``'s items (data/eval/second_annotator.jsonl), or None
    when some item has none. They were given only the texts and the label definitions."""
    by_id = {(d["set"], d["id"]): d for d in _label_rows("second_annotator.jsonl")}
    if not by_id:
        return None
    sets = TUNING if split == "tuning" else (split,)
    out = []
    for g in gold:
        got = next((by_id[(s, g["id"])] for s in sets if (s, g["id"]) in by_id), None)
        if got is None:
            return None
        out.append({**got, "themes": []})  # (not labelled: its column leaves themes out)
    return out


def labels_as_written(split: str, gold: list[dict]) -> list[dict]:
    """``gold`` with the adjudicated labels (data/eval/adjudication.jsonl) put back as first written:
    the second reader's vote settled those, so agreement is measured against the labels before."""
    sets = TUNING if split == "tuning" else (split,)
    was: dict[str, dict] = {}
    for d in _label_rows("adjudication.jsonl"):
        if d["set"] in sets:
            was.setdefault(d["id"], {})[d["field"]] = d["was"]
            if "stages_was" in d:  # a changed CE flag changed the stages with it
                was[d["id"]]["stages"] = d["stages_was"]
    return [{**g, **was.get(g["id"], {})} for g in gold]


def keyword_baseline(text: str) -> dict:
    low = text.lower()
    words = re.findall(r"[a-z']+", low)
    stages = [s for s, kws in KEYWORD_STAGES.items() if any(k in low for k in kws)]
    ce = any(k in low for k in KEYWORD_CE)
    score = sum(w in KEYWORD_POS for w in words) - sum(w in KEYWORD_NEG for w in words)
    tone = (score > 0) - (score < 0)
    return {
        "sentiment": "positive" if score > 0 else "negative" if score < 0 else "neutral",
        "is_candidate_experience": ce,
        "stages": stages if ce else [],
        "stage_sentiment": {s: float(tone) for s in stages} if ce else {},  # the text's keyword tone, each stage
        "consumer_link": ce and any(k in low for k in KEYWORD_CONSUMER),
        "themes": [t for t, kws in KEYWORD_THEMES.items() if any(k in low for k in kws)] if ce else [],
    }


def metrics(gold: list[dict], pred: list[dict]) -> dict[str, float | None]:
    g_sent = [g["sentiment"] for g in gold]
    out: dict[str, float | None] = {
        "sentiment accuracy": ev.accuracy(g_sent, [p["sentiment"] for p in pred]),
        "negatives scored positive": ev.negatives_scored_positive(g_sent, [p["sentiment"] for p in pred]),
    }
    # the net tone (positive share minus negative share) over the labelled candidate experiences, read minus
    # labelled: what the dashboard's candidate sentiment shows, over many posts
    told = [k for k, g in enumerate(gold) if g["is_candidate_experience"]]
    out["candidate net-tone bias"] = ev.net_tone_bias([g_sent[k] for k in told], [pred[k]["sentiment"] for k in told])
    if "sentiment_confidence" in pred[0]:  # the dashboard's sure and unsure tone readings, apart
        out.update(ev.sure_readings(g_sent, [p["sentiment"] for p in pred], [p["sentiment_confidence"] for p in pred],
                                    SURE))
    if "stages" in pred[0]:
        out["stage micro-F1"] = ev.micro_f1([g["stages"] for g in gold], [p["stages"] for p in pred])
        out["stage macro-F1"] = ev.macro_f1([g["stages"] for g in gold], [p["stages"] for p in pred], STAGES)
        out["candidate-exp F1"] = ev.binary_f1([g["is_candidate_experience"] for g in gold],
                                               [p["is_candidate_experience"] for p in pred])
        out["consumer-link F1"] = ev.binary_f1([g["consumer_link"] for g in gold], [p["consumer_link"] for p in pred])
        # (a set without theme labels cannot score themes; in pooled sets, such a set's items are None)
        themed = [k for k, g in enumerate(gold) if g["themes"] is not None]
        out["themes micro-F1"] = (ev.micro_f1([gold[k]["themes"] for k in themed], [pred[k]["themes"] for k in themed])
                                  if any(gold[k]["themes"] for k in themed) else None)
        if "stage_sentiment" in pred[0]:
            acc, n = ev.stage_sentiment_accuracy([g.get("stage_sentiment", {}) for g in gold],
                                                 [p["stage_sentiment"] for p in pred])
            out["stage sentiment acc"] = acc if n else None  # (a set without per-stage labels: "-")
        named = [k for k, g in enumerate(gold) if g["companies"] is not None]
        labelled = "companies" in pred[0] and any(gold[k]["companies"] for k in named)
        out["companies micro-F1"] = ev.micro_f1([gold[k]["companies"] for k in named],
                                                [pred[k].get("companies", []) for k in named]) if labelled else None
    return out


def run(split: str, n_errors: int, gold: list[dict] | None = None, second: list[dict] | None = None,
        interval: bool = False, companies: list[tuple[str, list[str]]] | None = None) -> None:
    """Print ``split``'s table (and its first ``n_errors`` disagreements). ``gold``: the labelled items
    (default: the eval set of that name); ``second``: another reader's labels of them, in their order
    (default: the eval set's second annotation, scored against its labels as first written);
    ``interval``: add hirepulse's 95% bootstrap interval of each figure; ``companies``: the (name, aliases) to
    resolve (default: data/eval/companies.json)."""
    agreement = None  # (the labels, the second reader's): how far two careful readers agree
    if gold is None:
        gold = load(split)
        second = second_annotation(split, gold)
        if second is not None:
            agreement = labels_as_written(split, gold), second
    elif second is not None:
        agreement = gold, second
    texts = [g["text"] for g in gold]
    results = score_texts(texts, companies=ev.eval_companies() if companies is None else companies)
    hp = []
    for r in results:
        rec = r.to_record(None)
        rec["sentiment"] = ev.sentiment_label(r.sentiment)
        rec["sentiment_confidence"] = r.sentiment_confidence
        hp.append(rec)
    vader = SentimentIntensityAnalyzer()
    vd = [{"sentiment": ev.sentiment_label(vader.polarity_scores(t)["compound"])} for t in texts]
    kw = [keyword_baseline(t) for t in texts]
    cols = {"hirepulse": metrics(gold, hp), "plain VADER": metrics(gold, vd), "keyword": metrics(gold, kw)}
    if agreement is not None:  # how far a second reader agrees: the ceiling the labels allow
        cols["2nd annotator"] = {k: v for k, v in metrics(*agreement).items()
                                 if not k.startswith(("themes", "stage sentiment", "companies"))}
    names = list(cols["hirepulse"])
    spans = (ev.bootstrap_intervals(lambda at: metrics([gold[k] for k in at], [hp[k] for k in at]), len(gold))
             if interval else {})
    print(f"\n== {split} ({len(gold)} texts) ==")
    print(f"{'metric':28s}" + "".join(f"{c:>14s}" for c in cols) + (f"{'95% interval':>14s}" if interval else ""))
    for name in names:
        row = f"{name:28s}"
        for c in cols:
            v = cols[c].get(name)
            row += f"{'-':>14s}" if v is None else f"{v:14.3f}"
        if interval:
            span = spans.get(name)
            row += f"{'-':>14s}" if span is None else f"{span[0]:8.3f}-{span[1]:.3f}"
        print(row)
    if n_errors:
        print(f"\n-- first {n_errors} disagreements ({split}) --")
        shown = 0
        for g, p in zip(gold, hp):
            diffs = []
            for key in ("sentiment", "is_candidate_experience", "consumer_link"):
                if g[key] != p[key]:
                    diffs.append(f"{key}: gold={g[key]} pred={p[key]}")
            if set(g["stages"]) != set(p["stages"]):
                diffs.append(f"stages: gold={g['stages']} pred={p['stages']}")
            if set(g["themes"]) != set(p["themes"]):
                diffs.append(f"themes: gold={g['themes']} pred={p['themes']}")
            if set(g["companies"]) != set(p["companies"]):
                diffs.append(f"companies: gold={g['companies']} pred={p['companies']}")
            if diffs:
                print(f"{g['id']}: {g['text'][:150]!r}\n   " + "\n   ".join(diffs) + f"\n   score={p['sentiment']}")
                shown += 1
                if shown >= n_errors:
                    break


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=(*TUNING, "tuning", *HELD_OUT, "both", "all"),
                    help="eval set(s) of data/eval to score (default: all, unless --external is given)")
    ap.add_argument("--errors", type=int, default=0, help="show N disagreements (tuning splits only)")
    ap.add_argument("--interval", action="store_true",
                    help="add hirepulse's 95%% bootstrap interval of each figure to the in-repo sets' tables "
                         "(an external set's table always has it)")
    ap.add_argument("--external", type=Path, metavar="FILE", nargs="+",
                    help="labelled JSON-lines sets kept outside the repository (report-only, like held-out); "
                         "several are scored apart and then pooled")
    ap.add_argument("--second", type=Path, metavar="FILE",
                    help="with --external: another reader's labels of the same ids, scored against it "
                         "(a reader outside the gold: one of its own readers agrees with it too easily)")
    ap.add_argument("--companies", type=Path, metavar="FILE", default=ev.EVAL_COMPANIES,
                    help="the companies to resolve, as JSON [{\"name\", \"aliases\"}] "
                         "(default: data/eval/companies.json)")
    args = ap.parse_args()
    try:
        companies = ev.eval_companies(args.companies)  # read once, for every table
    except (OSError, ValueError, KeyError, TypeError) as exc:
        ap.error(f"--companies {args.companies}: not a list of {{name, aliases}} ({exc})")
    if args.second and not args.external:
        ap.error("--second needs --external")
    if args.second and len(args.external) > 1:
        ap.error("--second needs exactly one --external file")
    external = []  # (name, labelled items, a second reader's labels or None) per table
    if args.external:
        if args.errors:
            ap.error("--errors is for the tuning splits only (dev, dev2, dev3): never inspect held-out items")
        try:
            sets = [(path, ev.read_labelled(path, STAGES)) for path in args.external]
            second = None
            if args.second:
                gold = sets[0][1]
                by_id = {d["id"]: d for d in ev.read_labelled(args.second, STAGES, with_text=False)}
                missing = [g["id"] for g in gold if g["id"] not in by_id]
                if missing:
                    raise ValueError(f"{args.second}: no labels for {len(missing)} ids, e.g. {missing[0]}")
                second = [by_id[g["id"]] for g in gold]
        except (OSError, ValueError) as exc:
            ap.error(str(exc))
        names = [path.name for path, _ in sets]
        if len(set(names)) < len(names):  # (two sets' gold_test.jsonl: name them by their folders too)
            names = [f"{path.parent.name}/{path.name}" for path, _ in sets]
        external = [(name, gold, second) for name, (_, gold) in zip(names, sets)]
        if len(sets) > 1:  # (a set read without themes or companies leaves them out of the pooled figure)
            pooled = [{**item, "id": f"{k}:{item['id']}",
                       **{f: None for f in ("themes", "companies") if not any(i[f] for i in gold)}}
                      for k, (_, gold) in enumerate(sets, 1) for item in gold]
            external.append((f"{len(sets)} sets pooled", pooled, None))
    print(f"analyzer {ANALYZER_VERSION}; themes in taxonomy: {len(THEMES)}")
    split = args.split or ("all" if not external else None)
    splits = {"both": ("dev", "holdout"), "all": (*TUNING, "tuning", *HELD_OUT)}.get(split, (split,) if split else ())
    if args.errors and any(s in HELD_OUT for s in splits):
        ap.error("--errors is for the tuning splits only (dev, dev2, dev3): never inspect held-out items")
    for s in splits:
        run(s, args.errors, interval=args.interval, companies=companies)
    for name, gold, second in external:
        run(name, 0, gold, second, interval=True, companies=companies)


if __name__ == "__main__":
    main()
