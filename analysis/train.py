"""Train the learned readings (``candidate_model.py``, ``stage_model.py``, ``consumer_model.py``,
``tone_model.py``) and write their weights.

Usage: python -m analysis.train   (needs the optional scikit-learn: pip install -e '.[train]')

Both learn from the labelled synthetic texts in ``TRAINING_FILES``: the tuning sets in ``data/eval/``
and the test battery; never a held-out set. Their input is what the rules read, so retrain after
changing the rules, the lexicon or that data (``tests/test_learned.py`` fails until you do):

1. the candidate model, from the rules' evidence of each text with hiring vocabulary;
2. the stage model, from the rules' stages of each labelled candidate experience that the analyzer, with
   the candidate model of step 1, reads as one;
3. the consumer model, from the rules' link and the candidate decision made with the model of step 1;
4. the tone model, from the rules' score and the candidate decision made with the models of steps 1 and 3.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from analysis import candidate_model as CM
from analysis import consumer_model as KM
from analysis import stage_model as SM
from analysis import tone_model as TM
from analysis.linear import C, MIN_DF, fit, fit_columns, words

ROOT = Path(__file__).resolve().parents[1]
TRAINING_FILES = ("data/eval/dev.jsonl", "data/eval/dev2.jsonl", "data/eval/dev3.jsonl", "tests/data/phrasings.jsonl")
LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"


def training_items(root: Path = ROOT, files: Sequence[str] = TRAINING_FILES) -> list[dict]:
    """The labelled texts the shipped models learn from (never a held-out set)."""
    items = []
    for name in files:
        with open(root / name, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def _analyzer():
    from analysis.evaluation import eval_companies
    from analysis.scoring import Analyzer

    analyzer = Analyzer(tone_model=False, candidate_model=False, stage_model=False, consumer_model=False)  # rules
    return analyzer, analyzer.companies(eval_companies())


def fit_candidate(texts: Sequence[str], labels: Sequence[bool], analyzer=None) -> CM.CandidateModel:
    """The candidate model fitted on ``texts`` with hiring vocabulary and their CE ``labels``."""
    analyzer = analyzer or _analyzer()[0]
    feats, rows, ys = [], [], []
    for text, label in zip(texts, labels):
        evidence, rules_ce = analyzer.evidence(text)
        if evidence.hiring > 0:
            feats.append(words(text))
            rows.append(CM.dense(rules_ce, evidence.self_score, evidence.implicit, evidence.hiring,
                                 evidence.penalties))
            ys.append(int(bool(label)))
    model = fit(feats, rows, ys, CM.DENSE)
    return CM.CandidateModel(model.weights, CM.DENSE)


def fit_tone(texts: Sequence[str], labels: Sequence[str], candidate: CM.CandidateModel | None,
             consumer: "KM.ConsumerModel | None" = None, analyzer=None, matcher=None) -> TM.ToneModel:
    """The tone model fitted on ``texts`` and their sentiment ``labels``, reading the rules' score (after
    the consumer link made with ``consumer``) and the candidate decision made with ``candidate``."""
    if analyzer is None:
        analyzer, matcher = _analyzer()
    analyzer.candidate, analyzer.consumer = candidate, consumer
    try:
        results = [analyzer.score(t, matcher) for t in texts]
    finally:
        analyzer.candidate = analyzer.consumer = None
    unknown = sorted(set(labels) - set(TM.CLASSES))
    if unknown:
        raise ValueError(f"unknown tone labels: {', '.join(unknown)}")
    model = fit([words(t) for t in texts], [TM.dense(r.sentiment, r.is_candidate_experience) for r in results],
                [TM.CLASSES.index(label) for label in labels], TM.DENSE)
    return TM.ToneModel(model.weights, TM.DENSE)


def fit_stage(items: Sequence[dict], candidate: CM.CandidateModel | None, analyzer=None,
              matcher=None) -> SM.StageModel:
    """The stage model fitted on the labelled candidate experiences (``stages`` given) that the analyzer,
    with ``candidate``, reads as candidate experiences, from the rules' stages of each."""
    if analyzer is None:
        analyzer, matcher = _analyzer()
    analyzer.candidate = candidate
    try:
        told = [(i, r) for i in items if i["is_candidate_experience"] and "stages" in i
                for r in [analyzer.score(i["text"], matcher)] if r.is_candidate_experience]
    finally:
        analyzer.candidate = None
    model = fit_columns([words(i["text"]) for i, _ in told], [SM.dense(r.stages) for _, r in told],
                        [[int(stage in i["stages"]) for i, _ in told] for stage in SM.STAGES], SM.DENSE)
    return SM.StageModel(model.weights, SM.DENSE)


def fit_consumer(texts: Sequence[str], labels: Sequence[bool], candidate: CM.CandidateModel | None,
                 analyzer=None, matcher=None) -> KM.ConsumerModel:
    """The consumer model fitted on ``texts`` and their consumer-link ``labels``, reading the rules' link
    and the candidate decision made with ``candidate``."""
    if analyzer is None:
        analyzer, matcher = _analyzer()
    analyzer.candidate = candidate
    try:
        results = [analyzer.score(t, matcher) for t in texts]
    finally:
        analyzer.candidate = None
    model = fit([words(t) for t in texts], [KM.dense(r.consumer_link, r.is_candidate_experience) for r in results],
                [int(bool(label)) for label in labels], KM.DENSE)
    return KM.ConsumerModel(model.weights, KM.DENSE)


def fit_all(items: Sequence[dict]) -> tuple[CM.CandidateModel, SM.StageModel, KM.ConsumerModel, TM.ToneModel]:
    """The four models, in the order the analyzer applies them (``Analyzer.learned``)."""
    analyzer, matcher = _analyzer()
    texts = [i["text"] for i in items]
    candidate = fit_candidate(texts, [i["is_candidate_experience"] for i in items], analyzer)
    stage = fit_stage(items, candidate, analyzer, matcher)
    consumer = fit_consumer(texts, [i["consumer_link"] for i in items], candidate, analyzer, matcher)
    tone = fit_tone(texts, [i["sentiment"] for i in items], candidate, consumer, analyzer, matcher)
    return candidate, stage, consumer, tone


def main() -> None:
    items = training_items()
    candidate, stage, consumer, tone = fit_all(items)
    source = (f"Trained by `python -m analysis.train` on {len(items)} labelled synthetic texts: "
              + ", ".join(TRAINING_FILES) + ".")
    candidate.write(LEXICON_DIR / CM.MODEL_NAME, header=[
        "hirepulse candidate model: logistic regression weights (the logit of a candidate experience).", source,
        f"Features: the rules' evidence ({', '.join(CM.DENSE)}) and word/pair presence (min_df={MIN_DF}, C={C:g}). "
        "See analysis/candidate_model.py."])
    stage.write(LEXICON_DIR / SM.MODEL_NAME, header=[
        "hirepulse stage model: logistic regression weights, one column per stage (" + ", ".join(SM.STAGES) + ").",
        source, f"Features: the rules' stages ({', '.join(SM.DENSE)}) and word/pair presence (min_df={MIN_DF}, "
        f"C={C:g}). See analysis/stage_model.py."])
    consumer.write(LEXICON_DIR / KM.MODEL_NAME, header=[
        "hirepulse consumer model: logistic regression weights (the logit of a consumer link).", source,
        f"Features: the rules' reading ({', '.join(KM.DENSE)}) and word/pair presence (min_df={MIN_DF}, C={C:g}). "
        "See analysis/consumer_model.py."])
    tone.write(LEXICON_DIR / TM.MODEL_NAME, header=[
        "hirepulse tone model: multinomial logistic regression weights (negative, neutral, positive).", source,
        f"Features: the rules' reading ({', '.join(TM.DENSE)}, x{TM.DENSE_SCALE:g}) and word/pair presence "
        f"(min_df={MIN_DF}, C={C:g}). See analysis/tone_model.py."])
    print(f"wrote {CM.MODEL_NAME} ({len(candidate.weights)} features), {SM.MODEL_NAME} ({len(stage.weights)}), "
          f"{KM.MODEL_NAME} ({len(consumer.weights)}) and {TM.MODEL_NAME} ({len(tone.weights)}) "
          f"from {len(items)} texts")


if __name__ == "__main__":
    main()
