"""The team's own labels (hirepulse.db) on a real DuckDB file: validation, export format, the shuffled queue
under the dashboard's filters, a migration of an older database, and labels going with their mention."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from analysis.evaluation import read_labelled
from analysis.metrics import next_to_label
from analysis.scoring import STAGES
from hirepulse import db
from hirepulse.models import Mention
from hirepulse.privacy import author_key

NOW = datetime.now(timezone.utc)
SALT = "s"


def mention(native_id: str, text: str = "I applied and never heard back.", *, days_ago: int = 1, author: str = "kim",
            source: str = "forum", company: str | None = "Acme", title: str | None = None) -> Mention:
    return Mention(source=source, native_id=native_id, text=text, title=title, company=company,
                   published_at=NOW - timedelta(days=days_ago), author=author)


def label(con, mention_id: str, sentiment: str = "negative", *, ce: bool = True, stages=("application",),
          link: bool = False) -> None:
    db.save_label(con, mention_id, is_candidate_experience=ce, sentiment=sentiment, stages=list(stages),
                  consumer_link=link)


def test_save_label_upserts_orders_stages_and_refuses_bad_values_in_one_line(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1"), mention("2", "   ")], salt=SALT)
        label(con, "forum:1", stages=("rejection", "application", "rejection"))
        assert con.execute("SELECT sentiment, stages FROM labels").fetchall() == [("negative", ["application", "rejection"])]
        label(con, "forum:1", "positive", ce=False, stages=(), link=True)   # a second save replaces the first
        assert con.execute("SELECT sentiment, is_candidate_experience, stages, consumer_link FROM labels").fetchall() == [
            ("positive", False, [], True)]
        bad = [
            (dict(sentiment="furious"), "sentiment must be one of negative, neutral, positive (got 'furious')"),
            (dict(sentiment=None), "sentiment must be one of negative, neutral, positive (got None)"),
            (dict(stages=["lunch"]), "unknown stage 'lunch' (stages are application, screening, interview, offer, "
                                     "rejection, onboarding)"),
            (dict(ce=False, stages=["interview"]), "stages must be empty when the post is not a candidate experience"),
            (dict(ce="yes"), "is_candidate_experience must be true or false"),
            (dict(link=None), "consumer_link must be true or false"),
        ]
        for change, message in bad:
            args = {"sentiment": "neutral", "ce": True, "stages": [], "link": False, **change}
            with pytest.raises(ValueError) as info:
                db.save_label(con, "forum:1", is_candidate_experience=args["ce"], sentiment=args["sentiment"],
                              stages=args["stages"], consumer_link=args["link"])
            assert str(info.value) == message
        with pytest.raises(ValueError, match="^no mention 'forum:9' to label$"):
            label(con, "forum:9")
        with pytest.raises(ValueError, match="has no text to label"):
            label(con, "forum:2")
        # nothing a refused save asked for was stored
        assert con.execute("SELECT mention_id, sentiment FROM labels").fetchall() == [("forum:1", "positive")]


def test_labelled_posts_round_trip_through_read_labelled_with_title_and_redacted_text(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [
            mention("1", "Three rounds, then silence. Mail me at jo@example.com", title="Ghosted by Acme"),
            mention("2", "Lovely staff in the shop, nothing about jobs.", company=None),
            mention("3", "Unlabelled post."),
        ], salt=SALT)
        label(con, "forum:1", stages=("interview", "rejection"), link=True)
        label(con, "forum:2", "positive", ce=False, stages=())
        posts = db.labelled_posts(con)
        summary = db.label_summary(con)
        assert db.label_count(con) == 2
    assert posts == [
        {"id": "forum:1", "text": "Ghosted by Acme. Three rounds, then silence. Mail me at [email]",
         "sentiment": "negative", "is_candidate_experience": True, "stages": ["interview", "rejection"],
         "consumer_link": True},
        {"id": "forum:2", "text": "Lovely staff in the shop, nothing about jobs.", "sentiment": "positive",
         "is_candidate_experience": False, "stages": [], "consumer_link": False},
    ]
    path = tmp_path / "labels.jsonl"
    path.write_bytes(db.labelled_jsonl(posts))
    read = read_labelled(path, STAGES)
    assert [{k: r[k] for k in posts[0]} for r in read] == posts
    assert summary == {"posts": 2, "candidate_experiences": 1, "consumer_links": 1,
                       "sentiment": {"negative": 1, "neutral": 0, "positive": 1},
                       "stages": {"application": 0, "screening": 0, "interview": 1, "offer": 0, "rejection": 1,
                                  "onboarding": 0}}


def test_next_unlabelled_follows_the_filters_in_a_fixed_shuffle_and_skips_labelled_and_skipped(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(str(k), f"Post number {k} about applying.", days_ago=k + 1) for k in range(30)]
                           + [mention("other", company="Globex"), mention("old", days_ago=400),
                              mention("news", source="news"), mention("unread", days_ago=2)], salt=SALT)
        for mid in [f"forum:{k}" for k in range(30)] + ["forum:other", "forum:old", "news:news"]:
            _read_as(con, mid, -0.5)   # ("forum:unread" is not analysed: the views do not count it yet)
        acme_recent = [f"forum:{k}" for k in range(30)]
        shuffled = sorted(acme_recent, key=lambda i: hashlib.md5(i.encode()).hexdigest())
        since, until = (NOW - timedelta(days=60)).date(), NOW.date()
        window = dict(companies=["Acme"], since=since, until=until, sources=["forum"])
        posts, remaining = next_to_label(con, **window, limit=5)
        assert [p["id"] for p in posts] == shuffled[:5] and remaining == 30
        assert shuffled != sorted(acme_recent, key=lambda i: -int(i.split(":")[1])), "not newest first"
        assert set(posts[0]) == {"id", "published_at", "company", "source", "url", "title", "text"}
        assert "sentiment" not in posts[0], "no reading of the analyzer before a person labels"
        label(con, shuffled[0])
        posts, remaining = next_to_label(con, **window, exclude=[shuffled[1]])
        assert [p["id"] for p in posts] == [shuffled[2]] and remaining == 28
        # an undo puts the post back where it was
        assert db.delete_label(con, shuffled[0]) and not db.delete_label(con, shuffled[0])
        assert next_to_label(con, **window)[0][0]["id"] == shuffled[0]
        # each filter narrows: the other company, the old post, the other source
        assert [p["id"] for p in next_to_label(con, companies=["Globex"], limit=5)[0]] == ["forum:other"]
        assert next_to_label(con, companies=["Acme"], until=(NOW - timedelta(days=300)).date())[1] == 1
        assert next_to_label(con, sources=["news"])[1] == 1
        assert next_to_label(con, since=date(2000, 1, 1), until=date(2000, 1, 2)) == ([], 0)
        # read from the facts view above (analysis written by hand); from the materialised facts the same
        assert not db.facts_fresh(con)
        before = [next_to_label(con, **window, limit=30), next_to_label(con, companies=["Globex"]),
                  next_to_label(con, sources=["news"])]
        db.ensure_facts(con, rebuild=True)
        assert db.facts_fresh(con)
        assert [next_to_label(con, **window, limit=30), next_to_label(con, companies=["Globex"]),
                next_to_label(con, sources=["news"])] == before


def test_recent_labels_and_the_analyzers_reading_after_labelling(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1"), mention("2")], salt=SALT)
        db.upsert_analysis(con, [{"mention_id": "forum:1", "analyzer_version": "v", "content_hash": "h",
                                  "is_candidate_experience": True, "sentiment": -0.6, "stages": ["application"],
                                  "stage_sentiment": {"application": -0.6}, "themes": [], "consumer_link": False,
                                  "companies": ["Acme"]}])
        label(con, "forum:1", stages=("application", "rejection"))
        label(con, "forum:2", "neutral", ce=False, stages=())
        recent = db.recent_labels(con)
        assert [r["id"] for r in recent] == ["forum:2", "forum:1"]
        assert recent[1]["stages"] == ["application", "rejection"] and recent[1]["company"] == "Acme"
        reading = db.label_reading(con, "forum:1")
        assert reading["analysed"] and reading["read_sentiment"] == pytest.approx(-0.6)
        assert reading["read_stages"] == ["application"] and reading["stages"] == ["application", "rejection"]
        assert db.label_reading(con, "forum:2")["analysed"] is False
        assert db.label_reading(con, "forum:9") is None


def test_labels_go_with_their_mention_on_erasure_retention_and_upstream_deletion(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1", author="@Jo"), mention("2", author="kim", days_ago=400),
                                 mention("3", author="kim"), mention("4", author="kim")], salt=SALT)
        for k in range(1, 5):
            label(con, f"forum:{k}")
        assert db.forget_author(con, author_key("jo", SALT), salt=SALT) == 1
        assert {r[0] for r in con.execute("SELECT mention_id FROM labels").fetchall()} == {"forum:2", "forum:3", "forum:4"}
        assert db.purge_older_than(con, 365) == 1
        assert {r[0] for r in con.execute("SELECT mention_id FROM labels").fetchall()} == {"forum:3", "forum:4"}
        with db.transaction(con):
            assert db.delete_mentions(con, ["forum:3"]) == 1
        assert [p["id"] for p in db.labelled_posts(con)] == ["forum:4"]
        assert con.execute("SELECT count(*) FROM labels l ANTI JOIN mentions m ON m.id = l.mention_id").fetchone()[0] == 0


def test_an_older_database_gets_the_labels_table_and_reads_without_it_meanwhile(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.duckdb"
    with monkeypatch.context() as patch:   # a database made by a hirepulse without labels
        patch.setattr(db, "MIGRATIONS", [m for m in db.MIGRATIONS if m[0] != "0003_labels"])
        with db.connect(path) as con:
            db.upsert_mentions(con, [mention("1"), mention("2")], salt=SALT)
            _read_as(con, "forum:1", -0.5)
            _read_as(con, "forum:2", -0.5)
            assert not db.has_labels(con)
    with db.connect(path, read_only=True) as con:   # the dashboard reads it before anything wrote to it
        assert db.label_count(con) == 0 and db.labelled_posts(con) == [] and db.recent_labels(con) == []
        assert db.label_summary(con)["posts"] == 0 and db.label_reading(con, "forum:1") is None
        assert next_to_label(con)[1] == 2
    with db.connect(path) as con:                     # the first write connection migrates it
        assert con.execute("SELECT count(*) FROM migrations WHERE name = '0003_labels'").fetchone()[0] == 1
        label(con, "forum:1")
        assert db.label_count(con) == 1 and next_to_label(con)[1] == 1
        assert db.forget_author(con, author_key("kim", SALT), salt=SALT) == 2 and db.label_count(con) == 0
    assert json.loads(db.labelled_jsonl([{"id": "x", "text": "café"}]).decode()) == {"id": "x", "text": "café"}


# --------------------------------------------------------------------------- the command line

def _labelled_db(path: Path) -> Path:
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention("1", "Ghosted after the final round.", title="Acme interview"),
                                 mention("2", "The offer came fast and fair."), mention("3", "Nice shop."),
                                 mention("4", "Unlabelled.")], salt=SALT)
        label(con, "forum:1", stages=("interview", "rejection"), link=True)
        label(con, "forum:2", "positive", stages=("offer",))
        label(con, "forum:3", "neutral", ce=False, stages=())
    return path


def test_labels_export_writes_what_read_labelled_reads_atomically(tmp_path: Path, capsys) -> None:
    from hirepulse.cli import main

    path = _labelled_db(tmp_path / "h.duckdb")
    out = tmp_path / "out" / "labels.jsonl"
    assert main(["labels", "export", "--out", str(out), "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 3 labelled posts to {out}"
    read = read_labelled(out, STAGES)
    with db.connect(path, read_only=True) as con:
        stored = db.labelled_posts(con)
    assert [{k: r[k] for k in stored[0]} for r in read] == stored
    assert [r["id"] for r in read] == ["forum:1", "forum:2", "forum:3"]
    assert read[0]["text"] == "Acme interview. Ghosted after the final round."
    assert not any(k.startswith("author") for r in read for k in r)
    assert sorted(p.name for p in out.parent.iterdir()) == ["labels.jsonl"], "no temporary file left behind"
    # no labels: one line, and nothing written (an earlier export stays as it was)
    with db.connect(path) as con:
        for k in (1, 2, 3):
            db.delete_label(con, f"forum:{k}")
    before = out.read_bytes()
    assert main(["labels", "export", "--out", str(out), "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no labelled posts in" in err and "nothing written" in err
    assert out.read_bytes() == before
    fresh = tmp_path / "fresh.jsonl"
    assert main(["labels", "export", "--out", str(fresh), "--db", str(path)]) == 1 and not fresh.exists()
    capsys.readouterr()
    assert main(["labels", "export", "--out", str(tmp_path), "--db", str(path)]) == 1


def test_labels_count_says_the_mix_and_how_many_more_adapting_needs(tmp_path: Path, capsys) -> None:
    from hirepulse.cli import main

    path = _labelled_db(tmp_path / "h.duckdb")
    assert main(["labels", "count", "--db", str(path)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [f"3 labelled posts in {path} (adapting needs at least 50, 47 more)",
                    "  tone: 1 negative, 1 neutral, 1 positive",
                    "  2 first-hand candidate accounts (stages: 1 interview, 1 offer, 1 rejection)",
                    "  1 tied to being a customer",
                    "  the analyzer has read 0 of them; with 20 read, this shows how its readings agree"]
    assert main(["labels", "--db", str(path)]) == 0                      # count is the default
    assert capsys.readouterr().out.splitlines() == said
    assert main(["labels", "count", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no database at" in capsys.readouterr().err
    # one of each: said in the singular
    with db.connect(path) as con:
        for k in (2, 3):
            db.delete_label(con, f"forum:{k}")
    assert main(["labels", "count", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[:4] == [
        f"1 labelled post in {path} (adapting needs at least 50, 49 more)", "  tone: 1 negative, 0 neutral, 0 positive",
        "  1 first-hand candidate account (stages: 1 interview, 1 rejection)", "  1 tied to being a customer"]
    out = tmp_path / "one.jsonl"
    assert main(["labels", "export", "--out", str(out), "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 1 labelled post to {out}"


@pytest.mark.parametrize("action", ["count", "export"])
def test_every_labels_action_has_help(action: str, capsys) -> None:
    from hirepulse.cli import main

    with pytest.raises(SystemExit) as info:
        main(["labels", action, "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"usage: hirepulse labels {action}" in out and "--db PATH" in out and '"Label posts" view' in out


def _read_as(con, mention_id: str, sentiment: float, *, ce: bool = True, stages=("application",), link: bool = False,
             confidence: float | None = None) -> None:
    """Give a mention the analyzer reading ``sentiment`` etc. directly (the agreement reads what is stored);
    ``confidence``: how sure its tone reading is (None: not stored, as for a post read before analyzer 2.80)."""
    con.execute("INSERT OR REPLACE INTO analysis VALUES (?, 'test', 'h', now(), ?, ?, ?, [], ?, [], NULL, ?, false)",
                [mention_id, ce, sentiment, list(stages), link, confidence])


def test_label_agreement_reads_the_stored_readings_against_the_labels(tmp_path: Path) -> None:
    from analysis.metrics import label_agreement

    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(12)], salt=SALT)
        assert label_agreement(con).empty, "no labels: no figures"
        # 10 labelled: 8 negatives (6 read negative, 2 read positive), 2 positives read positive;
        # all candidate accounts on both sides, stages right on 9 of 10; one customer tie, found
        for k in range(10):
            label(con, f"forum:p{k}", "negative" if k < 8 else "positive", link=k == 0)
            _read_as(con, f"forum:p{k}", -0.6 if k < 6 else 0.5, stages=("offer",) if k == 9 else ("application",),
                     link=k == 0)
        _read_as(con, "forum:p10", -0.9)       # read, not labelled: not counted
        label(con, "forum:p11", "neutral")       # labelled, not read yet: not counted
        got = label_agreement(con, resamples=50).set_index("measure")
    # (no confidence stored: every reading counts as unsure, and "tone, sure readings" has no posts, no row)
    assert list(got.index) == ["tone", "tone_unsure", "negatives_read_positive", "candidate", "stages",
                               "consumer_link", "candidate_net_bias"]
    assert got.loc["tone_unsure", ["value", "posts"]].tolist() == got.loc["tone", ["value", "posts"]].tolist()
    # net tone of the ten candidate accounts: read (4 - 6) / 10, labelled (2 - 8) / 10
    assert got.loc["candidate_net_bias", "value"] == pytest.approx(0.4) and got.loc["candidate_net_bias", "posts"] == 10
    assert got.loc["tone", "value"] == pytest.approx(0.8) and got.loc["tone", "posts"] == 10
    assert got.loc["negatives_read_positive", "value"] == pytest.approx(0.25)
    assert got.loc["negatives_read_positive", "posts"] == 8
    assert got.loc["candidate", "value"] == pytest.approx(1.0)
    assert got.loc["stages", "value"] == pytest.approx(0.9) and got.loc["stages", "posts"] == 10
    assert got.loc["consumer_link", "value"] == pytest.approx(1.0)
    for measure, row in got.iterrows():
        assert row["low"] <= row["value"] <= row["high"], measure
    assert got.loc["tone", "low"] < got.loc["tone", "high"], "ten posts: a wide interval"


def test_label_agreement_since_counts_only_later_labels_and_skips_measures_it_cannot_read(tmp_path: Path) -> None:
    from analysis.metrics import label_agreement

    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(4)], salt=SALT)
        for k in range(4):
            label(con, f"forum:p{k}", "positive", ce=False, stages=())
            _read_as(con, f"forum:p{k}", 0.4 if k < 3 else -0.4, ce=False, stages=())
        con.execute("UPDATE labels SET labelled_at = TIMESTAMPTZ '2026-01-01 00:00:00+00' WHERE mention_id <> 'forum:p3'")
        everything = label_agreement(con, resamples=20).set_index("measure")
        later = label_agreement(con, since=datetime(2026, 6, 1, tzinfo=timezone.utc), resamples=20).set_index("measure")
        assert db.newest_label(con) > datetime(2026, 6, 1, tzinfo=timezone.utc)
    # no negative label, no candidate account and no customer tie on either side: those measures have no row
    assert list(everything.index) == ["tone", "tone_unsure"] and everything.loc["tone", "value"] == pytest.approx(0.75)
    assert list(later.index) == ["tone", "tone_unsure"] and later.loc["tone", "posts"] == 1
    assert later.loc["tone", "value"] == 0.0


def test_label_agreement_splits_the_tone_into_sure_and_unsure_readings(tmp_path: Path) -> None:
    from analysis.metrics import label_agreement
    from analysis.tone_model import SURE

    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(12)], salt=SALT)
        # (label, read score, confidence): sure at SURE and above, unsure below it or when not stored
        posts = [("negative", -0.6, 0.97), ("negative", -0.6, 0.95), ("positive", 0.5, 0.93),   # sure, as labelled
                 ("neutral", 0.5, 0.99),                                                        # sure, otherwise
                 ("positive", 0.5, SURE),                                                       # sure, just
                 ("negative", -0.6, SURE - 0.0001), ("negative", 0.5, 0.61),                   # unsure: 1 of 2
                 ("neutral", 0.0, None), ("positive", -0.6, None), ("negative", 0.0, None)]    # not stored: 1 of 3
        for k, (tone, score, confidence) in enumerate(posts):
            label(con, f"forum:p{k}", tone)
            _read_as(con, f"forum:p{k}", score, confidence=confidence)
        _read_as(con, "forum:p10", -0.9, confidence=0.99)   # read and sure, not labelled: not counted
        label(con, "forum:p11", "neutral")                   # labelled, not read yet: not counted
        stored = {r["id"]: r["read_sentiment_confidence"] for r in db.label_readings(con, texts=False)}
        assert stored["forum:p0"] == 0.97 and stored["forum:p7"] is None and stored["forum:p11"] is None
        assert db.label_reading(con, "forum:p4")["read_sentiment_confidence"] == SURE
        got = label_agreement(con, resamples=200).set_index("measure")
        assert list(got.index)[:4] == ["tone", "tone_sure", "tone_unsure", "negatives_read_positive"]
        assert got.loc["tone", "value"] == pytest.approx(0.6) and got.loc["tone", "posts"] == 10
        assert got.loc["tone_sure", "value"] == pytest.approx(0.8) and got.loc["tone_sure", "posts"] == 5
        assert got.loc["tone_unsure", "value"] == pytest.approx(0.4) and got.loc["tone_unsure", "posts"] == 5
        for measure in ("tone_sure", "tone_unsure"):
            row = got.loc[measure]
            assert 0 <= row["low"] <= row["value"] <= row["high"] <= 1 and row["low"] < row["high"], measure
        # every reading sure: no unsure posts, no row; none sure: no sure row
        con.execute("UPDATE analysis SET sentiment_confidence = 0.95")
        every = label_agreement(con, resamples=20).set_index("measure")
        assert "tone_unsure" not in every.index and every.loc["tone_sure", "posts"] == 10
        assert every.loc["tone_sure", "value"] == pytest.approx(0.6)
        con.execute("UPDATE analysis SET sentiment_confidence = 0.5")
        none = label_agreement(con, resamples=20).set_index("measure")
        assert "tone_sure" not in none.index and none.loc["tone_unsure", "posts"] == 10


def test_label_readings_of_a_database_older_than_the_confidence_give_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_as_before_0005) -> None:
    from analysis.metrics import label_agreement

    path = tmp_path / "h.duckdb"
    with monkeypatch.context() as patch:   # made by the hirepulse before migration 0004: analysis has 11 columns
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:3])
        with db.connect(path) as con:
            store_as_before_0005(con, [mention(f"p{k}", f"Post number {k}.") for k in range(3)], salt=SALT)
            for k in range(3):
                label(con, f"forum:p{k}", "negative")
                con.execute("INSERT INTO analysis VALUES (?, 'old', 'h', now(), true, ?, ['application'], [], false, "
                            "[], NULL)", [f"forum:p{k}", -0.6 if k else 0.6])
            assert not db.has_sentiment_confidence(con)
    with db.connect(path, read_only=True) as con:    # the dashboard reads it before anything migrates it
        assert [r["read_sentiment_confidence"] for r in db.label_readings(con)] == [None, None, None]
        assert db.label_reading(con, "forum:p1")["read_sentiment_confidence"] is None
        got = label_agreement(con, resamples=20).set_index("measure")
    assert "tone_sure" not in got.index
    assert got.loc["tone_unsure", "posts"] == 3 and got.loc["tone_unsure", "value"] == pytest.approx(2 / 3)


def test_labels_count_says_how_the_stored_readings_agree_once_enough_are_read(tmp_path: Path, capsys) -> None:
    from hirepulse.cli import main

    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(20)], salt=SALT)
        for k in range(20):   # 15 negatives read negative, 5 read positive; the first 8 read surely
            label(con, f"forum:p{k}", "negative")
            _read_as(con, f"forum:p{k}", -0.5 if k < 15 else 0.5, confidence=0.95 if k < 8 else 0.5 if k < 14 else None)
    assert main(["labels", "count", "--db", str(path)]) == 0
    said = capsys.readouterr().out.splitlines()
    start = said.index("  how the analyzer's stored readings agree with your labels, on the 20 it has read:")
    rows = [" ".join(line.split()) for line in said[start + 1:] if line.startswith("    ")]
    # in plain words, one figure a line: what it measures (and on how many posts, where fewer than all), the
    # figure, and where it would probably fall on as many other posts (not said where every resample agrees)
    ranges = [re.search(r"likely ([+-]?\d+)(–| to )([+-]?\d+)", row) for row in rows]
    assert [row[:found.start()] + "likely R" if found else row for row, found in zip(rows, ranges)] == [
        "Tone 75% likely R",
        "Tone, sure readings, 8 posts 100% too few posts to tell",     # 8 sure, all as labelled
        "Tone, unsure readings, 12 posts 58% likely R",               # below 0.9 or not stored: 7 of 12
        "Negatives read as positive 25% likely R",                    # 5 of the 20 negatives read positive
        "Candidate accounts spotted 100% too few posts to tell",
        "Stages spotted 100% too few posts to tell",
        "Candidate sentiment, the analyzer's minus yours +50 points likely R",
    ], rows
    for found, value in zip([r for r in ranges if r], (75, 58, 25, 50)):   # the range holds the figure
        assert int(found[1]) <= value <= int(found[3]), found[0]
    legend = " ".join(said[start + 1 + len(rows):])
    assert legend.startswith("  Likely: where the figure would probably fall") and "F1" not in " ".join(said)


def test_an_edit_upstream_takes_the_label_away_new_metadata_does_not(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("a", "Ghosted after the final round."), mention("b", "Quick and kind.")],
                           salt=SALT)
        label(con, "forum:a")
        label(con, "forum:b", "positive")
        _read_as(con, "forum:a", -0.5)
        _read_as(con, "forum:b", 0.5)
        # the same words with a new title on one, a rating on the other: a's label goes, b's stays
        stats = db.upsert_mentions(con, [mention("a", "Ghosted after the final round.", title="Update"),
                                         Mention(source="forum", native_id="b", text="Quick and kind.", company="Acme",
                                                 published_at=NOW - timedelta(days=1), author="kim", rating=4.0)],
                                   salt=SALT)
        assert stats.updated == 2
        assert [p["id"] for p in db.labelled_posts(con)] == ["forum:b"]
        # then b's words change: its label goes too, and both come back to be labelled
        db.upsert_mentions(con, [mention("b", "Quick and kind, then silence for a month.")], salt=SALT)
        assert db.label_count(con) == 0
        posts, remaining = next_to_label(con, limit=5)
        assert remaining == 2 and {p["id"] for p in posts} == {"forum:a", "forum:b"}


def test_label_agreement_in_use_counts_what_the_readings_in_use_never_learned_from(tmp_path: Path) -> None:
    from analysis.metrics import AGREEMENT_MIN, label_agreement_in_use

    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(2 * AGREEMENT_MIN)], salt=SALT)
        for k in range(AGREEMENT_MIN):       # the labels an adaptation learned from: read as labelled
            label(con, f"forum:p{k}")
            _read_as(con, f"forum:p{k}", -0.5)
        until = db.newest_label(con).isoformat()
        assert label_agreement_in_use(con, None, resamples=10)[1] == "shipped"
        assert label_agreement_in_use(con, {"labelled_file": "mine.jsonl"}, resamples=10)[1] == "file"
        assert label_agreement_in_use(con, {"labelled_until": "not a time"}, resamples=10)[1] == "file"
        naive = until.removesuffix("+00:00")   # (no offset: read as UTC)
        assert label_agreement_in_use(con, {"labelled_until": naive}, resamples=10)[1] == "learned"
        figures, scope = label_agreement_in_use(con, {"labelled_until": until}, resamples=10)
        assert scope == "learned" and figures.set_index("measure").loc["tone", "value"] == 1.0
        for k in range(AGREEMENT_MIN, 2 * AGREEMENT_MIN):   # later labels, which it reads otherwise
            label(con, f"forum:p{k}")
            _read_as(con, f"forum:p{k}", 0.0)
            if k == 2 * AGREEMENT_MIN - 2:   # one short of enough: still every label
                assert label_agreement_in_use(con, {"labelled_until": until}, resamples=10)[1] == "learned"
        figures, scope = label_agreement_in_use(con, {"labelled_until": until}, resamples=10)
    got = figures.set_index("measure")
    assert scope == "since" and got.loc["tone", "posts"] == AGREEMENT_MIN and got.loc["tone", "value"] == 0.0


def test_label_agreement_gives_the_figures_bench_accuracy_gives(tmp_path: Path) -> None:
    """Random labels and readings: each figure equals analysis.evaluation's on the same posts."""
    import random

    from analysis import evaluation as ev
    from analysis.metrics import label_agreement

    from analysis.tone_model import SURE

    rng = random.Random(7)
    gold, read, sureness = [], [], []
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention(f"p{k}", f"Post number {k}.") for k in range(60)], salt=SALT)
        for k in range(60):
            ce, found = rng.random() < 0.7, rng.random() < 0.7
            stages = rng.sample(list(STAGES), rng.randint(0, 2)) if ce else []
            seen = rng.sample(list(STAGES), rng.randint(0, 2)) if found else []
            tone, score = rng.choice(["negative", "neutral", "positive"]), rng.choice([-0.6, 0.0, 0.4])
            link, tied = rng.random() < 0.2, rng.random() < 0.2
            confidence = rng.choice([None, 0.42, 0.8999, 0.9, 0.97])
            label(con, f"forum:p{k}", tone, ce=ce, stages=stages, link=link)
            _read_as(con, f"forum:p{k}", score, ce=found, stages=seen, link=tied, confidence=confidence)
            gold.append((tone, ce, stages, link))
            read.append((ev.sentiment_label(score), found, seen, tied))
            sureness.append(confidence)
        got = label_agreement(con, resamples=30).set_index("measure")["value"]
    both = [k for k in range(60) if gold[k][1] and read[k][1]]
    assert got["tone"] == pytest.approx(ev.accuracy([g[0] for g in gold], [r[0] for r in read]))
    assert got["negatives_read_positive"] == pytest.approx(
        ev.negatives_scored_positive([g[0] for g in gold], [r[0] for r in read]))
    assert got["candidate"] == pytest.approx(ev.binary_f1([g[1] for g in gold], [r[1] for r in read]))
    assert got["stages"] == pytest.approx(ev.micro_f1([gold[k][2] for k in both], [read[k][2] for k in both]))
    assert got["consumer_link"] == pytest.approx(ev.binary_f1([g[3] for g in gold], [r[3] for r in read]))
    told = [k for k in range(60) if gold[k][1]]
    assert got["candidate_net_bias"] == pytest.approx(ev.net_tone_bias([gold[k][0] for k in told],
                                                                        [read[k][0] for k in told]))
    split = ev.sure_readings([g[0] for g in gold], [r[0] for r in read], sureness, SURE)
    assert 0 < split["sure tone readings"] < 1
    assert got["tone_sure"] == pytest.approx(split["sentiment acc., sure"])
    assert got["tone_unsure"] == pytest.approx(split["sentiment acc., unsure"])
