"""`hirepulse adapt`: the learned readings retrained with a team's own labelled posts, written as a whole
lexicon folder, used through `[analysis] lexicon_dir` by classify and analyze, refused when stale."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest

from analysis import lexicon
from analysis import tone_model as TM
from analysis import train as TR
from analysis.pipeline import analyze_pending
from analysis.scoring import ANALYZER_VERSION, RULES_VERSION, Analyzer, analyzer_version, readings_in_use
from collectors.imports import ImportSpec, import_file
from hirepulse import db
from hirepulse.cli import main
from hirepulse.health import describe_readings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def quick_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Train on a slice of the shipped texts (the battery items with a theme reading among them), so that
    an adaptation takes seconds; what is checked is what adapt writes and who reads it, not accuracy."""
    items = TR.training_items()
    themed = [i for i in items if "themes_read" in i][:400]
    tuning = [i for i in items if i["id"] not in {t["id"] for t in themed}][:300]
    monkeypatch.setattr(TR, "training_items", lambda: [dict(i) for i in tuning + themed])


def _own_posts(path: Path, n: int = 60) -> Path:
    """``n`` labelled posts in the adapt format: synthetic items of the second tuning set (written by us)."""
    rows = [json.loads(line) for line in (ROOT / "data" / "eval" / "dev2.jsonl").read_text(encoding="utf-8").splitlines()]
    keep = ("id", "text", "sentiment", "is_candidate_experience", "stages", "consumer_link")
    path.write_text("".join(json.dumps({k: r[k] for k in keep}) + "\n" for r in rows[:n]), encoding="utf-8")
    return path


def _classify(config: Path, texts: list[str], monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, list[dict], str]:
    """`hirepulse classify` in process: its exit code, the JSON lines it wrote, and what it said on stderr."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps({"id": k, "text": t}) + "\n"
                                                         for k, t in enumerate(texts))))
    code = main(["classify", "--config", str(config)])
    got = capsys.readouterr()
    return code, [json.loads(line) for line in got.out.splitlines() if line.strip()], got.err.strip()


def test_adapt_writes_a_whole_lexicon_folder_that_classify_and_analyze_read(tmp_path: Path, quick_training,
                                                                             monkeypatch, capsys) -> None:
    posts, out = _own_posts(tmp_path / "mine.jsonl"), tmp_path / "adapted"
    assert main(["adapt", "--labelled", str(posts), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "adapted the analyzer to 60 of your labelled posts (" in said and "lexicon_dir" in said
    assert ("it now expects your posts' balance of negative, neutral and positive tone, and how often they tie "
            "hiring to being a customer") in said
    assert "then run `hirepulse analyze` to read every stored post again with it." in said
    for jargon in ("tone mix", "customer-tie rate", "the readings", "re-scores", "consumer links"):
        assert jargon not in said, jargon
    # every shipped data file, the five new weight files, and what they learned from (never the texts)
    shipped = {p.name for p in lexicon.LEXICON_DIR.iterdir() if p.suffix in lexicon.DATA_SUFFIXES}
    assert {p.name for p in out.iterdir()} == shipped | {lexicon.ADAPTED_FILE}
    manifest = json.loads((out / lexicon.ADAPTED_FILE).read_text(encoding="utf-8"))
    assert manifest["posts"] == 60 and manifest["training_texts"] == 760 and manifest["priors"] == "yours"
    assert len(manifest["labelled_sha256"]) == 64 and "text" not in json.dumps(manifest).replace("training_texts", "")
    assert (out / "sentiment.tsv").read_bytes() == (lexicon.LEXICON_DIR / "sentiment.tsv").read_bytes()
    assert (out / "tone_model.tsv").read_bytes() != (lexicon.LEXICON_DIR / "tone_model.tsv").read_bytes()
    # its own analyzer version, so a database analysed with the shipped readings is re-scored
    assert analyzer_version(out) != ANALYZER_VERSION
    # classify reads it through the config (the folder is resolved against the config's own folder)
    config = tmp_path / "hirepulse.toml"
    config.write_text('[analysis]\nlexicon_dir = "adapted"\n', encoding="utf-8")
    texts = ["Applied in March, never heard back.", "Fast, kind interviews and a fair offer."]
    code, adapted, _ = _classify(config, texts, monkeypatch, capsys)
    assert code == 0 and [r["id"] for r in adapted] == [0, 1]
    # `hirepulse status` and the health view name them
    assert describe_readings(readings_in_use(out)) == (
        f"adapted to your posts on {manifest['adapted_at'][:10]} with 60 labelled posts from mine.jsonl "
        f"(version {analyzer_version(out)})")
    mine = Analyzer(out)
    assert [r["sentiment"] for r in adapted] == [mine.score(t).sentiment for t in texts]
    # analyze: the shipped readings, then the adapted ones re-score every mention, and back again
    csv = tmp_path / "posts.csv"
    csv.write_text("text,published_at\n" + "".join(f'"{t}",2026-01-0{k + 1}\n' for k, t in enumerate(texts)),
                   encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(csv, "csv"), salt="s")
    assert analyze_pending(db_path).analyzed == 2
    stats = analyze_pending(db_path, lexicon_dir=out)
    assert stats.analyzed == 2 and stats.analyzer_version == analyzer_version(out)
    assert analyze_pending(db_path, lexicon_dir=out).analyzed == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert {v for (v,) in con.execute("SELECT analyzer_version FROM analysis").fetchall()} == {analyzer_version(out)}
    finally:
        con.close()
    assert analyze_pending(db_path).analyzed == 2


def test_adapt_refuses_bad_posts_and_foreign_folders_and_writes_nothing(tmp_path: Path, quick_training,
                                                                         monkeypatch, capsys) -> None:
    posts = _own_posts(tmp_path / "mine.jsonl")
    lines = posts.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*lines[:4], lines[4].replace('"sentiment": "', '"sentiment": "furious-'), *lines[5:]]) + "\n",
                   encoding="utf-8")
    out = tmp_path / "adapted"
    assert main(["adapt", "--labelled", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"hirepulse: error: {bad}:5: 'sentiment' must be one of negative, neutral, positive"
    few = _own_posts(tmp_path / "few.jsonl", n=10)
    assert main(["adapt", "--labelled", str(few), "--out", str(out)]) == 1
    assert "10 labelled posts; adapting needs at least 50" in capsys.readouterr().err
    assert main(["adapt", "--labelled", str(tmp_path / "none.jsonl"), "--out", str(out)]) == 1
    assert "no such file" in capsys.readouterr().err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "few.jsonl", "mine.jsonl"]
    # an install without the source checkout has no training texts to add the posts to
    def missing() -> list[dict]:
        raise FileNotFoundError(2, "No such file or directory", "data/eval/dev.jsonl")

    quick = TR.training_items
    monkeypatch.setattr(TR, "training_items", missing)
    assert main(["adapt", "--labelled", str(posts), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "adapting needs the source checkout" in err and not out.exists()
    monkeypatch.setattr(TR, "training_items", quick)
    # a folder that adapt did not write is never replaced
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["adapt", "--labelled", str(posts), "--out", str(other)]) == 1
    assert "was not written by `hirepulse adapt`" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    # a file is not a folder; an empty folder made ready for it is taken
    assert main(["adapt", "--labelled", str(posts), "--out", str(other / "keep.txt")]) == 1
    assert "keep.txt is a file; name a folder" in capsys.readouterr().err
    ready = tmp_path / "ready"
    ready.mkdir()
    assert main(["adapt", "--labelled", str(posts), "--out", str(ready)]) == 0
    assert (ready / lexicon.ADAPTED_FILE).is_file()


def test_a_folder_adapted_for_other_rules_is_a_config_error_before_any_work(tmp_path: Path, quick_training,
                                                                            monkeypatch, capsys) -> None:
    posts, out = _own_posts(tmp_path / "mine.jsonl"), tmp_path / "adapted"
    assert main(["adapt", "--labelled", str(posts), "--out", str(out)]) == 0
    # adapting again replaces the folder it wrote, whole
    assert main(["adapt", "--labelled", str(posts), "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adapted", "mine.jsonl"]
    # a replacement that fails at its last step leaves the earlier folder in place, and no half-written one
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    rename = Path.rename

    def failing(self: Path, target):
        if self.name.endswith(".adapting"):
            raise OSError("disk full")
        return rename(self, target)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "rename", failing)
        with pytest.raises(OSError, match="disk full"):
            TR.adapt(posts, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adapted", "mine.jsonl"]
    capsys.readouterr()
    manifest = out / lexicon.ADAPTED_FILE
    manifest.write_text(json.dumps({**json.loads(manifest.read_text(encoding="utf-8")), "rules_version": "1.0"}),
                        encoding="utf-8")
    config = tmp_path / "hirepulse.toml"
    config.write_text(f'[analysis]\nlexicon_dir = "{out}"\n', encoding="utf-8")
    code, printed, err = _classify(config, ["Ghosted after the final round."], monkeypatch, capsys)
    assert code == 1 and printed == [] and len(err.splitlines()) == 1
    assert "adapted for analyzer 1.0" in err and "run `hirepulse adapt` again" in err
    # a weight file that does not read is named as well, in one line
    manifest.write_text(json.dumps({**json.loads(manifest.read_text(encoding="utf-8")), "rules_version": RULES_VERSION}),
                        encoding="utf-8")
    (out / "tone_model.tsv").write_text("=bias\tnot-a-number\n", encoding="utf-8")
    code, printed, err = _classify(config, ["Ghosted after the final round."], monkeypatch, capsys)
    assert code == 1 and printed == [] and len(err.splitlines()) == 1 and "tone_model.tsv" in err


def _labelled(sentiment: str, ce: bool = True, link: bool = False) -> dict:
    return {"sentiment": sentiment, "is_candidate_experience": ce, "consumer_link": link}


def test_the_priors_of_an_adapted_folder_are_the_teams_own_mix_once_it_has_enough_stories() -> None:
    own = ([_labelled("negative")] * 10 + [_labelled("neutral", link=True)] * 5 + [_labelled("positive")] * 15
           + [_labelled("neutral", ce=False, link=True)] * 40)
    # the 30 candidate experiences' tone mix and link rate; the 40 other posts count in neither
    assert TR.own_priors(own) == ((10, 5, 15), (5, 30))
    assert TR.own_priors(own[1:]) is None  # 29 stories: the real posts' rates stay the priors


def test_adapt_moves_the_priors_to_the_teams_mix(tmp_path: Path, quick_training, monkeypatch) -> None:
    real_fit = TR.fit_all
    targets: list[tuple] = []
    monkeypatch.setattr(TR, "fit_all", lambda items, *given: targets.append(given) or real_fit(items, *given))
    posts = _own_posts(tmp_path / "mine.jsonl")
    own = [json.loads(line) for line in posts.read_text(encoding="utf-8").splitlines()]
    manifest = TR.adapt(posts, tmp_path / "adapted")
    assert targets == [TR.own_priors(own)] and manifest["priors"] == "yours"
    # and the adapted tone model reads candidate stories with the team's mix, not the real posts' one
    shipped = TR.fit_all(TR.training_items() + [dict(i, id=f"own:{i['id']}") for i in own])
    ours = TM.ToneModel.load(tmp_path / "adapted" / TM.MODEL_NAME)
    mix, rates = targets[0][0], TM.read_rates(lexicon.LEXICON_DIR / TM.RATES_NAME)
    more_positive = (mix[2] + 1) / (sum(mix) + 3) > (rates[2] + 1) / (sum(rates) + 3)  # (as prior_shift smooths)
    assert (ours.weights["=ce"][2] > shipped[3].weights["=ce"][2]) == more_positive


def _labelled_database(path: Path, n: int = 60) -> Path:
    """A database whose ``n`` mentions carry the labels of the first ``n`` synthetic posts of the second tuning
    set, as the dashboard's Label posts view saves them."""
    from datetime import datetime, timezone

    from hirepulse.models import Mention

    rows = [json.loads(line) for line in (ROOT / "data" / "eval" / "dev2.jsonl").read_text(encoding="utf-8").splitlines()]
    when = datetime(2026, 1, 5, tzinfo=timezone.utc)
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="survey", native_id=r["id"], text=r["text"], published_at=when)
                                 for r in rows[:n]], salt="s")
        for r in rows[:n]:
            db.save_label(con, f"survey:{r['id']}", is_candidate_experience=r["is_candidate_experience"],
                          sentiment=r["sentiment"], stages=r["stages"], consumer_link=r["consumer_link"])
    return path


def test_adapt_without_labelled_reads_the_labels_saved_in_the_database(tmp_path: Path, quick_training, capsys) -> None:
    path = _labelled_database(tmp_path / "h.duckdb")
    out = tmp_path / "adapted"
    assert main(["adapt", "--out", str(out), "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert "adapted the analyzer to 60 of your labelled posts (" in said and "lexicon_dir" in said
    manifest = json.loads((out / lexicon.ADAPTED_FILE).read_text(encoding="utf-8"))
    assert manifest["labelled_database"] == "h.duckdb" and "labelled_file" not in manifest
    assert manifest["posts"] == 60 and manifest["training_texts"] == 760
    # the manifest holds counts and a hash, never a text
    rows = [json.loads(line) for line in (ROOT / "data" / "eval" / "dev2.jsonl").read_text(encoding="utf-8").splitlines()]
    written = (out / lexicon.ADAPTED_FILE).read_text(encoding="utf-8")
    assert not any(r["text"][:30] in written for r in rows[:60])
    assert "the labels in h.duckdb" in (out / "tone_model.tsv").read_text(encoding="utf-8")
    # the same labels exported and read as a file: the same hash, the same counts, the same weights
    exported = tmp_path / "labels.jsonl"
    assert main(["labels", "export", "--out", str(exported), "--db", str(path)]) == 0
    from_file = tmp_path / "from-file"
    assert main(["adapt", "--labelled", str(exported), "--out", str(from_file)]) == 0
    again = json.loads((from_file / lexicon.ADAPTED_FILE).read_text(encoding="utf-8"))
    assert again["labelled_file"] == "labels.jsonl" and again["labelled_sha256"] == manifest["labelled_sha256"]
    assert {k: v for k, v in again.items() if k != "labelled_file"} == {
        k: v for k, v in manifest.items() if k not in ("labelled_database", "labelled_until")} | {
        "adapted_at": again["adapted_at"]}
    with db.connect(path, read_only=True) as con:   # (from the database: when its newest label was saved)
        assert manifest["labelled_until"] == db.newest_label(con).isoformat()

    def weights(folder: Path) -> list[str]:
        return [line for line in (folder / "tone_model.tsv").read_text(encoding="utf-8").splitlines()
                if not line.startswith("#")]

    assert weights(out) == weights(from_file)


def test_adapt_from_the_database_with_too_few_or_no_labels_is_one_line(tmp_path: Path, quick_training, capsys) -> None:
    few = _labelled_database(tmp_path / "few.duckdb", n=10)
    out = tmp_path / "adapted"
    assert main(["adapt", "--out", str(out), "--db", str(few)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"hirepulse: error: labels in {few}: 10 labelled posts; adapting needs at least 50"
    from hirepulse import db

    empty = tmp_path / "empty.duckdb"
    with db.connect(empty):
        pass
    assert main(["adapt", "--out", str(out), "--db", str(empty)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no labelled posts in" in err and "--labelled FILE" in err
    assert main(["adapt", "--out", str(out), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not out.exists()


def test_adapt_checks_posts_handed_over_in_memory_as_it_checks_a_file(tmp_path: Path, quick_training) -> None:
    posts = [{"id": f"p{k}", "text": "Applied, then silence.", "sentiment": "negative",
              "is_candidate_experience": True, "stages": ["application"], "consumer_link": False} for k in range(60)]
    for change, message in [({"sentiment": "angry"}, "'sentiment' must be one of negative, neutral, positive"),
                            ({"is_candidate_experience": False}, "'stages' must be [] when is_candidate_experience is false"),
                            ({"text": " "}, "'text' must be a non-empty string"),
                            ({"id": "p0"}, "'id' must be a string, unique among the posts"),
                            ({"stages": ["lunch"]}, "'stages' must be a list of application")]:
        bad = TR.OwnPosts([*posts[:5], {**posts[5], **change}, *posts[6:]], "database", "h.duckdb", "0" * 64,
                          "labels in h.duckdb")
        with pytest.raises(ValueError) as info:
            TR.adapt(bad, tmp_path / "adapted")
        assert str(info.value).startswith("labels in h.duckdb: post ") and message in str(info.value)
    assert not (tmp_path / "adapted").exists()


def test_adapt_with_few_candidate_stories_keeps_the_real_posts_priors_and_says_so(tmp_path: Path, quick_training,
                                                                                 capsys) -> None:
    rows = [json.loads(line) for line in (ROOT / "data" / "eval" / "dev2.jsonl").read_text(encoding="utf-8").splitlines()]
    keep = ("id", "text", "sentiment", "is_candidate_experience", "stages", "consumer_link")
    mostly_other = [r for r in rows if not r["is_candidate_experience"]][:50] + [r for r in rows if r["is_candidate_experience"]][:10]
    posts = tmp_path / "mine.jsonl"
    posts.write_text("".join(json.dumps({k: r[k] for k in keep}) + "\n" for r in mostly_other), encoding="utf-8")
    assert main(["adapt", "--labelled", str(posts), "--out", str(tmp_path / "adapted")]) == 0
    said = capsys.readouterr().out
    assert ("fewer than 30 of your labelled posts are candidate accounts, so it still expects the balance of "
            "negative, neutral and positive tone, and how often posts tie hiring to being a customer, found in the "
            "real posts of many employers it was built with") in said
    assert "tone mix" not in said and "our real posts" not in said
    manifest = json.loads((tmp_path / "adapted" / lexicon.ADAPTED_FILE).read_text(encoding="utf-8"))
    assert manifest["candidate_experiences"] == 10 and manifest["priors"].startswith("shipped")
