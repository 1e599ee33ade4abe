"""Train the learned readings (``candidate_model.py``, ``stage_model.py``, ``consumer_model.py``,
``tone_model.py``, ``theme_model.py``) and write their weights.

Usage: python -m analysis.train [--help]   (needs the optional scikit-learn: pip install -e '.[train]')

All four learn from the labelled synthetic texts in ``TRAINING_FILES``: the tuning sets in ``data/eval/``
and the test battery; never a held-out set. Their input is what the rules read, so retrain after
changing the rules, the lexicon or that data (``tests/test_learned.py`` fails until you do):

1. the candidate model, from the rules' evidence of each text with hiring vocabulary;
2. the stage model, from the rules' stages of each labelled candidate experience that the analyzer, with
   the candidate model of step 1, reads as one;
3. the consumer model, from the rules' link and the candidate decision made with the model of step 1;
   its bias for candidate experiences then moves to their link rate in real posts (``consumer_rates.tsv``);
4. the tone model, from the rules' score and the candidate decision made with the models of steps 1 and 3;
   its class biases for candidate experiences then move to their tone mix in real posts (``tone_rates.tsv``);
5. the theme model, from the rules' themes of each candidate experience with a theme reading
   (``THEME_FILE``: the battery's, by blind readers) that the analyzer, with the candidate model of
   step 1, reads as one; its biases then move to the themes' rates in real posts (``theme_rates.tsv``).

Each text's words are read once, and the rules read the texts once for steps 2 and 3 together and once
for step 4 (the consumer link can change the rules' tone).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from analysis import candidate_model as CM
from analysis import consumer_model as KM
from analysis import stage_model as SM
from analysis import theme_model as HM
from analysis import tone_model as TM
from analysis.evaluation import SENTIMENT_LABELS, check_labelled, read_labelled
from analysis.linear import C, MIN_DF, fit, fit_columns, words

ROOT = Path(__file__).resolve().parents[1]
TRAINING_FILES = ("data/eval/dev.jsonl", "data/eval/dev2.jsonl", "data/eval/dev3.jsonl", "tests/data/phrasings.jsonl")
THEME_FILE = "tests/data/phrasings_themes.jsonl"  # {"id", "themes", ...}: the battery's themes as read
LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"


def training_items(root: Path = ROOT, files: Sequence[str] = TRAINING_FILES, theme_file: str = THEME_FILE) -> list[dict]:
    """The labelled texts the shipped models learn from (never a held-out set), each with its readers'
    themes as ``themes_read`` where ``theme_file`` has them."""
    items = []
    for name in files:
        with open(root / name, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    with open(root / theme_file, encoding="utf-8") as fh:
        read = {row["id"]: row["themes"] for row in (json.loads(line) for line in fh if line.strip())}
    for item in items:
        if item["id"] in read:
            item["themes_read"] = read[item["id"]]
    return items


def _read(analyzer, matcher, texts: Sequence[str], candidate=None, consumer=None) -> list:
    """The analyzer's results for ``texts`` with only the given learned readings on (the rules alone
    otherwise); the analyzer is left with none."""
    analyzer.candidate, analyzer.consumer = candidate, consumer
    try:
        return [analyzer.score(t, matcher) for t in texts]
    finally:
        analyzer.candidate = analyzer.consumer = None


def fit_all(items: Sequence[dict], tone_target: Sequence[int] | None = None,
            consumer_target: tuple[int, int] | None = None) -> tuple[CM.CandidateModel, SM.StageModel,
                                                                     KM.ConsumerModel, TM.ToneModel, HM.ThemeModel]:
    """The five models: the four in the order the analyzer applies them, then the theme model (see the
    module docstring). ``tone_target`` (negative, neutral, positive) and ``consumer_target`` (links,
    candidate experiences): the mixes the priors move to, the real posts' (the rates files) by default."""
    from analysis.evaluation import eval_companies
    from analysis.scoring import Analyzer

    analyzer = Analyzer.rules_alone()
    matcher = analyzer.companies(eval_companies())
    texts = [i["text"] for i in items]
    feats = [words(t) for t in texts]

    # 1. candidate experience, for texts with hiring vocabulary
    rows, ys, kept = [], [], []
    for k, text in enumerate(texts):
        evidence, rules_ce = analyzer.evidence(text)
        if CM.reads(evidence.hiring):
            kept.append(k)
            rows.append(CM.dense(rules_ce, evidence.self_score, evidence.implicit, evidence.hiring,
                                 evidence.penalties))
            ys.append(int(bool(items[k]["is_candidate_experience"])))
    candidate = fit([feats[k] for k in kept], rows, ys, CM.CandidateModel)

    # 2. and 3. stages and consumer link, on the rules' reading with the candidate decision
    read = _read(analyzer, matcher, texts, candidate)
    told = [k for k, (i, r) in enumerate(zip(items, read))
            if i["is_candidate_experience"] and "stages" in i and r.is_candidate_experience]
    stage = fit_columns([feats[k] for k in told], [SM.dense(read[k].stages) for k in told],
                        [[int(s in items[k]["stages"]) for k in told] for s in SM.STAGES], SM.StageModel)
    consumer = fit(feats, [KM.dense(r.consumer_link, r.is_candidate_experience) for r in read],
                   [int(bool(i["consumer_link"])) for i in items], KM.ConsumerModel)
    read_ce = [bool(i["consumer_link"]) for i, r in zip(items, read) if r.is_candidate_experience]
    consumer = KM.shift_priors(consumer, (sum(read_ce), len(read_ce)),
                               KM.read_rates(LEXICON_DIR / KM.RATES_NAME) if consumer_target is None else consumer_target)
    # 5. (here: it reads what steps 2 and 3 read) themes, on the rules' themes with the candidate decision
    themed = [k for k, (i, r) in enumerate(zip(items, read)) if "themes_read" in i and r.is_candidate_experience]
    theme = fit_columns([feats[k] for k in themed], [HM.dense(read[k].themes) for k in themed],
                        [[int(t in items[k]["themes_read"]) for k in themed] for t in HM.THEME_IDS], HM.ThemeModel)
    trained_on = {t: (sum(t in items[k]["themes_read"] for k in themed), len(themed)) for t in HM.THEME_IDS}
    theme = HM.shift_priors(theme, trained_on, HM.read_rates(LEXICON_DIR / HM.RATES_NAME))

    # 4. tone, on the rules' score after the candidate decision and the consumer link
    labels = [i["sentiment"] for i in items]
    unknown = sorted(set(labels) - set(SENTIMENT_LABELS))
    if unknown:
        raise ValueError(f"unknown tone labels: {', '.join(unknown)}")
    read = _read(analyzer, matcher, texts, candidate, consumer)
    tone = fit(feats, [TM.dense(r.sentiment, r.is_candidate_experience) for r in read],
               [SENTIMENT_LABELS.index(label) for label in labels], TM.ToneModel)
    mix = [0, 0, 0]  # the battery's tone mix among the texts the analyzer reads as candidate experiences
    for label, r in zip(labels, read):
        mix[SENTIMENT_LABELS.index(label)] += r.is_candidate_experience
    tone = TM.shift_priors(tone, mix, TM.read_rates(LEXICON_DIR / TM.RATES_NAME) if tone_target is None else tone_target)
    return candidate, stage, consumer, tone, theme


_HEADERS = {  # model file -> (what its columns hold, what its dense features are)
    CM.MODEL_NAME: ("hirepulse candidate model: logistic regression weights (the logit of a candidate experience).",
                    "the rules' evidence ({})"),
    SM.MODEL_NAME: ("hirepulse stage model: logistic regression weights, one column per stage ("
                    + ", ".join(SM.STAGES) + ").", "the rules' stages ({})"),
    KM.MODEL_NAME: ("hirepulse consumer model: logistic regression weights (the logit of a consumer link).",
                    "the rules' reading ({})"),
    TM.MODEL_NAME: ("hirepulse tone model: multinomial logistic regression weights (negative, neutral, positive).",
                    "the rules' reading ({}, x" + f"{TM.DENSE_SCALE:g})"),
    HM.MODEL_NAME: ("hirepulse theme model: logistic regression weights, one column per theme (in the taxonomy's "
                    "order: analysis/themes.py).", "the rules' themes ({})"),
}


def _write_models(models: dict, directory: Path, source: str) -> None:
    """Each model's weights into ``directory``, headed by what its columns and dense features hold and where
    it came from (``source``)."""
    for module, model in models.items():
        holds, dense = _HEADERS[module.MODEL_NAME]
        model.write(directory / module.MODEL_NAME, header=[
            holds, source, f"Features: {dense.format(', '.join(module.DENSE))} and word/pair presence "
            f"(min_df={MIN_DF}, C={C:g}). See analysis/{module.__name__.rsplit('.', 1)[-1]}.py."])


MIN_OWN_POSTS = 50  # fewer labelled posts than this move the models by noise alone
MIN_OWN_MIX = 30  # candidate experiences among them from which their tone mix and link rate become the priors
FEW_OWN_STORIES = f"fewer than {MIN_OWN_MIX} of your posts are candidate experiences"  # why the priors stay ours


def own_priors(own: Sequence[dict]) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    """The tone mix (negative, neutral, positive) and the consumer-link rate (links, stories) of the team's
    labelled candidate experiences, for the priors of an adapted folder; None for fewer than ``MIN_OWN_MIX``.

    A team's posts are its deployment: an employer candidates like gets fewer negative posts than the real
    dev halves behind ``tone_rates.tsv``. Measured on the dev halves thinned to a better-liked employer's
    mix (two of three negative candidate posts left out; 2-fold), the shipped priors kept the net tone of
    candidate posts 23 points too gloomy after adapting, the team's own mix 9 (analysis/README.md)."""
    told = [i for i in own if i["is_candidate_experience"]]
    if len(told) < MIN_OWN_MIX:
        return None
    mix = tuple(sum(1 for i in told if i["sentiment"] == label) for label in SENTIMENT_LABELS)
    return mix, (sum(1 for i in told if i["consumer_link"]), len(told))  # type: ignore[return-value]


@dataclass(frozen=True)
class OwnPosts:
    """A team's labelled posts for :func:`adapt`, and where they came from (what the manifest records)."""

    items: Sequence[dict]   # as ``evaluation.read_labelled`` returns them
    kind: str               # "file" or "database": the manifest says ``labelled_<kind>``
    name: str               # the file's or the database's name
    sha256: str             # of the bytes they were read from (a database: the JSON lines an export writes)
    where: str = ""         # what an error names (default: ``name``)
    until: str = ""         # a database's: when its newest label was saved (ISO 8601), for ``labelled_until``

    @classmethod
    def from_file(cls, path: Path) -> OwnPosts:
        """The labelled posts of a JSON-lines file. Raises ValueError naming the file, line and field of
        the first bad row."""
        import hashlib

        from analysis.scoring import STAGES

        path = Path(path)
        return cls(read_labelled(path, STAGES), "file", path.name, hashlib.sha256(path.read_bytes()).hexdigest(),
                   str(path))


def _check_own(own: OwnPosts) -> None:
    """The rules ``evaluation.read_labelled`` applies to a file, for posts that came some other way.
    Raises ValueError naming the source and the post."""
    from analysis.scoring import STAGES

    seen: set[str] = set()
    for item in own.items:
        check_labelled(item, f"{own.where or own.name}: post {item.get('id')!r}", STAGES, seen,
                       unique="among the posts")


def adapt(labelled: Path | OwnPosts, out_dir: Path, progress: Callable[[str], None] | None = None) -> dict:
    """Retrain the five learned readings on the shipped training texts plus a team's own labelled posts
    (``labelled``: a JSON-lines file as ``evaluation.read_labelled`` reads it, or :class:`OwnPosts`, e.g. the
    labels of a hirepulse database) and write a complete lexicon directory to ``out_dir``: the shipped data
    files, the new weights and ``ADAPTED_FILE`` (the rules version, the source's name and sha256, the label
    counts; never the texts). Point ``[analysis] lexicon_dir`` at it.

    The posts stay the team's: they are read, learned from and not copied. The directory is written whole or
    not at all (a temporary sibling, then renamed), and only a directory an earlier ``adapt`` wrote is
    replaced. Returns the manifest. Raises ValueError (bad or too few posts, an ``out_dir`` that is
    something else) and ImportError (scikit-learn missing)."""
    import importlib.util
    import shutil
    from analysis.lexicon import ADAPTED_FILE, DATA_SUFFIXES
    from analysis.scoring import RULES_VERSION

    if importlib.util.find_spec("sklearn") is None:  # (fit() needs it: say so before reading anything)
        raise ImportError("adapting needs scikit-learn: pip install -e '.[train]'")
    say = progress or (lambda _message: None)
    out_dir = Path(out_dir)
    if isinstance(labelled, OwnPosts):
        source = labelled
        _check_own(source)
    else:
        source = OwnPosts.from_file(labelled)
    own = list(source.items)
    if len(own) < MIN_OWN_POSTS:
        raise ValueError(f"{source.where or source.name}: {len(own)} labelled posts; adapting needs at least "
                         f"{MIN_OWN_POSTS}")
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} is a file; name a folder to write the adapted readings into")
    if out_dir.exists() and not (out_dir / ADAPTED_FILE).is_file() and any(out_dir.iterdir()):
        # (an empty folder, made ready for it, is taken)
        raise ValueError(f"{out_dir} exists and was not written by `hirepulse adapt`; choose a new folder")
    # the team's posts join the battery under ids of their own; the theme model keeps to its blind reading
    try:
        shipped = training_items()
    except FileNotFoundError as exc:
        raise ValueError(f"the shipped training texts are not here ({exc.filename}): adapting needs the source "
                         "checkout, installed with pip install -e '.[train]'") from None
    items = shipped + [{**{k: v for k, v in i.items() if k != "themes"}, "id": f"own:{i['id']}"} for i in own]
    say(f"training on {len(items)} texts ({len(own)} of them yours)")
    priors = own_priors(own)
    models = dict(zip((CM, SM, KM, TM, HM), fit_all(items, *(priors or (None, None)))))
    manifest = {
        "rules_version": RULES_VERSION, f"labelled_{source.kind}": source.name,
        "labelled_sha256": source.sha256, "posts": len(own),
        "candidate_experiences": sum(1 for i in own if i["is_candidate_experience"]),
        "sentiment": {label: sum(1 for i in own if i["sentiment"] == label) for label in SENTIMENT_LABELS},
        "consumer_links": sum(1 for i in own if i["consumer_link"]), "training_texts": len(items),
        "adapted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "priors": "yours" if priors else f"shipped ({FEW_OWN_STORIES})",
    }
    if source.until:  # (the Label posts view tells the labels saved since, which these readings never saw)
        manifest["labelled_until"] = source.until
    described = source.name if source.kind == "file" else f"the labels in {source.name}"
    tmp = out_dir.with_name(f".{out_dir.name}.adapting")
    old = out_dir.with_name(f".{out_dir.name}.replaced")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        for path in sorted(LEXICON_DIR.iterdir()):
            if path.is_file() and path.suffix in DATA_SUFFIXES:
                shutil.copyfile(path, tmp / path.name)
        _write_models(models, tmp, f"Adapted by `hirepulse adapt` from the shipped training texts and {len(own)} "
                      f"labelled posts ({described}, sha256 {manifest['labelled_sha256'][:12]}).")
        (tmp / ADAPTED_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)  # (the earlier adaptation stays in use)
        raise
    shutil.rmtree(old, ignore_errors=True)
    say(f"wrote {out_dir}")
    return manifest


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m analysis.train",
        description="Retrain the five learned readings (candidate, stage, consumer, tone and theme models) on the "
                    "labelled synthetic texts and overwrite their weights in analysis/lexicon/. Run it after "
                    "changing the rules, the lexicon or the training data; tests/test_learned.py fails until "
                    "you do. Needs scikit-learn: pip install -e '.[train]'. A team's own labelled posts are "
                    "learned with `hirepulse adapt`, which writes a separate lexicon folder instead.")
    ap.parse_args(argv)
    items = training_items()
    models = dict(zip((CM, SM, KM, TM, HM), fit_all(items)))
    _write_models(models, LEXICON_DIR, f"Trained by `python -m analysis.train` on {len(items)} labelled synthetic "
                  "texts: " + ", ".join(TRAINING_FILES) + f" (themes: {THEME_FILE}).")
    print(", ".join(f"wrote {m.MODEL_NAME} ({len(model.weights)} features)" for m, model in models.items())
          + f" from {len(items)} texts")


if __name__ == "__main__":
    main()
