"""hirepulse.db on a real file: schema, migrations, upserts, lock waiting, erasure and retention."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from hirepulse import db
from hirepulse.errors import DatabaseError
from hirepulse.models import Mention
from hirepulse.privacy import author_key

NOW = datetime.now(timezone.utc)


def mention(native_id: str, text: str = "text", *, days_ago: int = 1, author: str | None = "jo", source: str = "forum") -> Mention:
    return Mention(source=source, native_id=native_id, text=text, published_at=NOW - timedelta(days=days_ago), author=author)


def test_schema_is_created_idempotently_and_migrations_recorded(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
    with db.connect(path) as con:
        db.ensure_schema(con)
        assert db.schema_version(con) == db.SCHEMA_VERSION
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"mentions", "analysis", "analysis_stages", "cursors", "runs", "migrations", "host_state", "facts"} <= tables


def test_new_migrations_are_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path):
        pass
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, ("0099_test_column", "ALTER TABLE mentions ADD COLUMN extra VARCHAR")])
    with db.connect(path) as con:
        assert "extra" in [r[0] for r in con.execute("DESCRIBE mentions").fetchall()]
    with db.connect(path) as con:  # not applied twice (a second ALTER would fail)
        assert con.execute("SELECT count(*) FROM migrations WHERE name = '0099_test_column'").fetchone()[0] == 1


def test_read_only_connect_to_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database at"):
        with db.connect(tmp_path / "missing.duckdb", read_only=True):
            pass


def test_upsert_deduplicates_in_batch_and_reports_new_updated_unchanged(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        first = db.upsert_mentions(con, [mention("1", "a"), mention("1", "a2"), mention("2", "b")], salt="s")
        assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
        assert con.execute("SELECT text FROM mentions WHERE native_id = '1'").fetchone()[0] == "a2"
        second = db.upsert_mentions(con, [mention("1", "a2"), mention("2", "b-edited"), mention("3", "c")], salt="s")
        assert (second.new, second.updated, second.unchanged) == (1, 1, 1)
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 3


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    bad = Mention(source="x", native_id="1", text="t", published_at=datetime(2025, 1, 1))
    with db.connect(tmp_path / "h.duckdb") as con, pytest.raises(ValueError, match="timezone"):
        db.upsert_mentions(con, [bad], salt="s")


def test_analysis_is_pending_until_scored_and_again_after_a_text_change_or_new_version(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1"), mention("2")], salt="s")
        pending = db.fetch_pending_analysis(con, "v1", limit=10)
        assert [p[0] for p in pending] == ["forum:1", "forum:2"]
        rows = [
            {"mention_id": mid, "analyzer_version": "v1", "content_hash": chash, "is_candidate_experience": True,
             "sentiment": -0.4, "stages": ["interview", "rejection"], "stage_sentiment": {"interview": 0.3, "rejection": -0.8},
             "themes": ["ghosting"], "consumer_link": False, "companies": ["A"], "explanation": {"hits": ["ghosted"]}}
            for mid, _, _, chash, *_ in pending
        ]
        db.upsert_analysis(con, rows)
        db.upsert_analysis(con, rows)  # replacing, not duplicating
        assert db.count_pending_analysis(con, "v1") == 0
        assert con.execute("SELECT count(*) FROM analysis_stages").fetchone()[0] == 4
        assert db.count_pending_analysis(con, "v2") == 2
        db.upsert_mentions(con, [mention("1", "edited")], salt="s")
        assert [p[0] for p in db.fetch_pending_analysis(con, "v1", limit=10)] == ["forum:1"]


def test_cursors_hosts_and_runs(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        assert db.get_cursor(con, "hackernews", "q") is None
        db.set_cursor(con, "hackernews", "q", db.Cursor("100"))
        db.set_cursor(con, "hackernews", "q", db.Cursor("200", etag='"e"'))
        assert db.get_cursor(con, "hackernews", "q") == db.Cursor("200", '"e"', None)
        when = NOW + timedelta(minutes=5)
        db.set_not_before(con, "api.example.org", when)
        assert abs((db.get_not_before(con, "api.example.org") - when).total_seconds()) < 0.001
        run = db.start_run(con, "hackernews", "collect")
        assert con.execute("SELECT status FROM runs WHERE id = ?", [run]).fetchone()[0] == "running"
        db.finish_run(con, run, status="error", requests=3, error="HTTP 500 from https://x")
        assert con.execute("SELECT status, requests, error FROM runs WHERE id = ?", [run]).fetchone() == ("error", 3, "HTTP 500 from https://x")


def test_forget_and_purge_remove_mentions_and_their_analysis(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1", author="@Jo"), mention("2", author="kim"), mention("3", author="kim", days_ago=400)], salt="s")
        rows = [{"mention_id": m, "analyzer_version": "v", "content_hash": "h", "is_candidate_experience": False,
                 "sentiment": 0.0, "stages": [], "stage_sentiment": {"offer": 0.1}, "themes": [], "consumer_link": False,
                 "companies": []} for m in ("forum:1", "forum:2", "forum:3")]
        db.upsert_analysis(con, rows)
        from hirepulse.privacy import author_key
        assert db.forget_author(con, author_key("jo", "s"), salt="s") == 1
        assert db.purge_older_than(con, 365) == 1
        assert [r[0] for r in con.execute("SELECT id FROM mentions").fetchall()] == ["forum:2"]
        assert [r[0] for r in con.execute("SELECT mention_id FROM analysis").fetchall()] == ["forum:2"]
        assert [r[0] for r in con.execute("SELECT mention_id FROM analysis_stages").fetchall()] == ["forum:2"]


def test_purge_ages_a_future_dated_post_from_when_it_was_first_stored(tmp_path: Path) -> None:
    future = Mention(source="forum", native_id="f", text="Acme recruiter ghosted me",
                     published_at=datetime(2999, 1, 1, tzinfo=timezone.utc), author="jo")
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [future, mention("recent", days_ago=0)], salt="s")
        assert db.purge_older_than(con, 1) == 0          # stored just now: not a day old yet
        con.execute("UPDATE mentions SET first_seen_at = first_seen_at - INTERVAL 2 DAY")
        # fetched again, edited: still the post first stored two days ago
        db.upsert_mentions(con, [replace(future, text="Acme recruiter ghosted me, edited")], salt="s")
        assert db.purge_older_than(con, 1) == 2
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0


HOLDER = textwrap.dedent("""
    import sys, time
    from hirepulse import db
    with db.connect(sys.argv[1]) as con:
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


@contextmanager
def hold_lock(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding a write connection to ``path`` for ``seconds``."""
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            yield proc
        finally:
            proc.kill()
            proc.wait()


def test_connect_waits_out_a_lock_held_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention("1")], salt="s")
    with hold_lock(path, 1.5):
        started = time.monotonic()
        with db.connect(path, read_only=True, timeout=20) as con:
            assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
        assert time.monotonic() - started > 0.5  # it really had to wait


def test_connect_gives_up_with_a_clear_error_after_its_budget(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path):
        pass
    with hold_lock(path, 5):
        with pytest.raises(DatabaseError, match="is busy"):
            with db.connect(path, timeout=0.5):
                pass


def test_unusable_file_is_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.duckdb"   # (DuckDB's mark at its place, a broken file after it)
    path.write_bytes(b"\0" * 8 + b"DUCK" + b"\xff" * 4084 + b"\0" * 8192)
    with pytest.raises(DatabaseError, match="cannot open"):
        with db.connect(path):
            pass
    assert isinstance(duckdb.__version__, str)


# --------------------------------------------------------------------------- the dashboard's facts

def _facts_match_the_join(con: duckdb.DuckDBPyConnection) -> None:
    """fact_mentions equals the facts view, and fact_stages its join with analysis_stages."""
    view = con.execute("""SELECT id, published_at, CAST(published_at AS DATE), CAST(date_trunc('week', published_at) AS DATE),
                                 company, source,
                                 is_candidate_experience, sentiment, consumer_link, stages, themes, sentiment_confidence
                          FROM facts ORDER BY id""").fetchall()
    assert con.execute("SELECT * FROM fact_mentions ORDER BY id").fetchall() == view
    joined = con.execute("""SELECT f.id, s.stage, s.sentiment, f.published_at, CAST(f.published_at AS DATE),
                                   CAST(date_trunc('week', f.published_at) AS DATE),
                                   f.company, f.source, f.sentiment, f.stages, f.themes, f.is_candidate_experience
                            FROM facts f JOIN analysis_stages s ON s.mention_id = f.id ORDER BY 1, 2""").fetchall()
    assert con.execute("""SELECT id, stage, stage_sentiment, published_at, day, week, company, source, post_sentiment, stages,
                                 themes, is_candidate_experience FROM fact_stages ORDER BY 1, 2""").fetchall() == joined
    firsts = con.execute("SELECT id, count(*) FILTER (WHERE first_row) FROM fact_stages GROUP BY id").fetchall()
    assert all(n == 1 for _, n in firsts)
    tone = "CASE WHEN sentiment >= 0.05 THEN 1 WHEN sentiment <= -0.05 THEN -1 ELSE 0 END"
    negative = "(is_candidate_experience OR consumer_link) AND sentiment <= -0.05"
    days = con.execute(f"""
        SELECT CAST(published_at AS DATE) AS day, company, source, count(*), sum({tone}),
               count(*) FILTER (WHERE is_candidate_experience), coalesce(sum({tone}) FILTER (WHERE is_candidate_experience), 0),
               count(*) FILTER (WHERE NOT is_candidate_experience),
               coalesce(sum({tone}) FILTER (WHERE NOT is_candidate_experience), 0),
               count(*) FILTER (WHERE consumer_link), count(*) FILTER (WHERE {negative}),
               count(*) FILTER (WHERE {negative} AND consumer_link)
        FROM facts GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute("""SELECT day, company, source, mentions, tone, candidate, candidate_tone, brand, brand_tone,
                                 consumer_link, negative_candidate, negative_candidate_link
                          FROM fact_days ORDER BY ALL""").fetchall() == days
    stage_tone = "CASE WHEN s.sentiment >= 0.05 THEN 1 WHEN s.sentiment <= -0.05 THEN -1 ELSE 0 END"
    post_tone = "CASE WHEN f.sentiment >= 0.05 THEN 1 WHEN f.sentiment <= -0.05 THEN -1 ELSE 0 END"
    stage_days = con.execute(f"""
        SELECT CAST(f.published_at AS DATE), f.company, f.source, s.stage, count(*), sum({stage_tone}),
               count(*) FILTER (WHERE s.sentiment >= 0.05), count(*) FILTER (WHERE s.sentiment <= -0.05)
        FROM facts f JOIN analysis_stages s ON s.mention_id = f.id WHERE f.is_candidate_experience
        GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute("""SELECT day, company, source, stage, mentions, tone, positive, negative FROM fact_stage_days
                          ORDER BY ALL""").fetchall() == stage_days
    mentions = con.execute(f"""
        SELECT CAST(f.published_at AS DATE), f.company, f.source, count(*), sum({post_tone})
        FROM facts f WHERE f.is_candidate_experience AND EXISTS (SELECT 1 FROM analysis_stages s WHERE s.mention_id = f.id)
        GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute("""SELECT day, company, source, sum(first_rows), sum(first_tone) FROM fact_stage_days
                          GROUP BY ALL HAVING sum(first_rows) > 0 ORDER BY ALL""").fetchall() == mentions


def _analysis(ids: list[str], *, sentiment: float = 0.2, company: str | None = None,
              confidence: float | None = None) -> list[dict[str, object]]:
    return [{"mention_id": i, "analyzer_version": "v", "content_hash": "h", "is_candidate_experience": True,
             "sentiment": sentiment, "stages": ["offer", "interview"], "stage_sentiment": {"offer": 0.1, "interview": -0.3},
             "themes": ["ghosting"], "consumer_link": False, "companies": [company] if company else [],
             "sentiment_confidence": confidence} for i in ids]


def test_facts_follow_imports_analysis_changes_forget_and_purge(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        assert db.facts_fresh(con)
        db.upsert_mentions(con, [mention("1", author="@Jo"), mention("2", author="kim"),
                                 mention("3", author="kim", days_ago=400)], salt="s")
        assert db.facts_fresh(con) and con.execute("SELECT count(*) FROM fact_mentions").fetchone()[0] == 0
        db.upsert_analysis(con, _analysis(["forum:1", "forum:2", "forum:3"], company="Acme"))
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
        # re-analysis replaces a mention's facts; a changed mention moves in time at once
        db.upsert_analysis(con, _analysis(["forum:2"], sentiment=-0.7))
        db.upsert_mentions(con, [mention("1", "new text", days_ago=3, author="@Jo")], salt="s")
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
        from hirepulse.privacy import author_key
        db.forget_author(con, author_key("jo", "s"), salt="s")
        db.purge_older_than(con, 365)
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
        assert [r[0] for r in con.execute("SELECT id FROM fact_mentions").fetchall()] == ["forum:2"]


def test_a_row_stored_under_its_former_id_moves_to_the_new_one_and_a_copy_under_both_goes(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        # stored before ids were salted (and, for the second post, by a writer of each version)
        db.upsert_mentions(con, [mention("old-1", "ghosted"), mention("old-2", "kind panel"),
                                 mention("new-2", "kind panel")], salt="s")
        db.upsert_analysis(con, _analysis(["forum:old-1", "forum:old-2", "forum:new-2"], company="Acme"))
        for mid, tone in (("forum:old-1", "negative"), ("forum:old-2", "positive")):
            db.save_label(con, mid, is_candidate_experience=True, sentiment=tone)
        again = [replace(mention("new-1", "ghosted"), former_id="old-1"),
                 replace(mention("new-2", "kind panel"), former_id="old-2")]
        assert db.upsert_mentions(con, again, salt="s") == db.UpsertStats(unchanged=2)
        assert con.execute("SELECT id FROM mentions ORDER BY id").fetchall() == [("forum:new-1",), ("forum:new-2",)]
        assert con.execute("SELECT mention_id, sentiment FROM labels ORDER BY 1").fetchall() == [
            ("forum:new-1", "negative"), ("forum:new-2", "positive")]
        assert con.execute("SELECT mention_id FROM analysis ORDER BY 1").fetchall() == [
            ("forum:new-1",), ("forum:new-2",)]
        assert db.facts_fresh(con)
        _facts_match_the_join(con)


def test_a_write_that_bypasses_the_module_makes_the_facts_stale_until_rebuilt(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1"), mention("2")], salt="s")
        db.upsert_analysis(con, _analysis(["forum:1", "forum:2"]))
        con.execute("DELETE FROM analysis_stages WHERE mention_id = 'forum:1'")   # as collectors.run does
        con.execute("DELETE FROM analysis WHERE mention_id = 'forum:1'")
        con.execute("DELETE FROM mentions WHERE id = 'forum:1'")
        assert not db.facts_fresh(con)
        db.upsert_mentions(con, [mention("3")], salt="s")        # later writes keep it visible...
        db.upsert_analysis(con, _analysis(["forum:3"]))
        assert not db.facts_fresh(con)
        assert db.ensure_facts(con)                               # ...until a rebuild
        assert db.facts_fresh(con) and not db.ensure_facts(con)
        _facts_match_the_join(con)


def test_the_facts_migration_fills_the_facts_of_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention("1"), mention("2")], salt="s")
        db.upsert_analysis(con, _analysis(["forum:1", "forum:2"], confidence=0.8))
        con.execute("DROP TABLE fact_mentions; DROP TABLE fact_stages; DROP TABLE fact_days; DROP TABLE fact_stage_days; "
                    "DROP TABLE facts_state")
        # (a database older than the facts is older than the tone confidence too)
        con.execute("DELETE FROM migrations WHERE name IN ('0002_dashboard_facts', '0004_sentiment_confidence')")
    with db.connect(path, read_only=True) as con:
        assert not db.facts_fresh(con)                            # a reader of an old file copes
    with db.connect(path) as con:
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
        assert con.execute("SELECT DISTINCT sentiment_confidence FROM fact_mentions").fetchall() == [(0.8,)]


def test_the_rating_scale_migration_keeps_every_stored_mention_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_as_before_0005) -> None:
    path = tmp_path / "h.duckdb"
    before = [mention("1", "ghosted"), Mention(source="reviews", native_id="r1", text="Slow.", published_at=NOW, rating=2.0)]
    with monkeypatch.context() as patch:   # a database made by the hirepulse before 0005
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:4])
        with db.connect(path) as con:
            store_as_before_0005(con, before, salt="s")
            assert "rating_scale" not in {c[0] for c in con.execute("DESCRIBE mentions").fetchall()}
    with db.connect(path) as con:          # the first write connection migrates it
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert con.execute("SELECT id, rating, rating_scale FROM mentions ORDER BY id").fetchall() == [
            ("forum:1", None, None), ("reviews:r1", 2.0, None)]
        assert con.execute("DESCRIBE facts").fetchall()[-1][:2] == ("rating_scale", "DOUBLE")   # for mentions.csv
        # the same rows again, without a scale, are what is stored: nothing re-scored for the migration
        assert db.upsert_mentions(con, before, salt="s") == db.UpsertStats(unchanged=2)
        rated = Mention(source="reviews", native_id="r1", text="Slow.", published_at=NOW, rating=2.0, rating_scale=5.0)
        assert db.upsert_mentions(con, [rated], salt="s") == db.UpsertStats(updated=1)
        assert con.execute("SELECT rating_scale FROM mentions WHERE id = 'reviews:r1'").fetchone() == (5.0,)


def test_the_confidence_migration_upgrades_a_database_of_the_previous_version_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_as_before_0005) -> None:
    from analysis import metrics
    from analysis.metrics import Filters
    from analysis.reports import write_reports

    path = tmp_path / "h.duckdb"
    with monkeypatch.context() as patch:   # a database made by the hirepulse before 0004: analysis rows of 11 columns
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:3])
        with db.connect(path) as con:
            store_as_before_0005(con, [mention("1", "ghosted"), mention("2", "lovely panel")], salt="s")
            for mid, score, themes, link in (("forum:1", -0.6, ["no_response"], True), ("forum:2", 0.7, [], False)):
                con.execute("INSERT INTO analysis VALUES (?, 'old', 'h', now(), true, ?, ['interview'], ?, ?, "
                            "['Acme'], '{}')", [mid, score, themes, link])
                con.execute("INSERT INTO analysis_stages VALUES (?, 'interview', ?)", [mid, score])
            con.execute(db._rebuild_facts_sql(db._FACT_MENTIONS_SQL_0002))   # as that hirepulse rebuilt them
            assert db.schema_version(con) == 3 and not db.has_sentiment_confidence(con)
    with db.connect(path, read_only=True) as con:    # the dashboard and reports read it before anything wrote to it
        assert not db.has_sentiment_confidence(con)
        found = metrics.mention_search(con, Filters())
        assert len(found) == 2 and found["sentiment_confidence"].isna().all()
        assert metrics.mentions_bundle(con, Filters(), sure_only=True)["mentions"].empty
        for posts in (metrics.themes_bundle(con, Filters())["posts"], metrics.theme_posts(con, Filters(), "no_response"),
                      metrics.brand_bundle(con, Filters())["posts"], metrics.consumer_link_posts(con, Filters())):
            assert list(posts["id"]) == ["forum:1"] and posts["sentiment_confidence"].isna().all()
        write_reports(con, tmp_path / "old", Filters())
        header, *rows = (tmp_path / "old" / "mentions.csv").read_text(encoding="utf-8").splitlines()
        assert header.endswith(",analyzer_version,sentiment_confidence,rating_scale")
        assert all(r.endswith(",old,,") for r in rows)
    with db.connect(path) as con:                    # the first write connection migrates it
        assert db.schema_version(con) == db.SCHEMA_VERSION == 11
        assert con.execute("SELECT count(*) FROM migrations WHERE name = '0004_sentiment_confidence'").fetchone()[0] == 1
        columns = [c[:3] for c in con.execute("DESCRIBE analysis").fetchall()]   # (0011 adds companies_stale after it)
        assert columns[-2:] == [("sentiment_confidence", "DOUBLE", "YES"), ("companies_stale", "BOOLEAN", "YES")]
        assert con.execute("SELECT id, sentiment, sentiment_confidence FROM facts ORDER BY 1").fetchall() == [
            ("forum:1", -0.6, None), ("forum:2", 0.7, None)]                  # old rows keep NULL
        assert con.execute("DESCRIBE fact_mentions").fetchall()[-1][:2] == ("sentiment_confidence", "DOUBLE")
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
        db.upsert_analysis(con, _analysis(["forum:2"], sentiment=0.8, confidence=0.9312))   # a new reading stores it
        assert con.execute("SELECT id, sentiment, sentiment_confidence FROM facts ORDER BY 1").fetchall() == [
            ("forum:1", -0.6, None), ("forum:2", 0.8, 0.9312)]
        assert db.facts_fresh(con)
        _facts_match_the_join(con)
    with db.connect(path) as con:                    # applied once
        assert con.execute("SELECT count(*) FROM migrations WHERE name = '0004_sentiment_confidence'").fetchone()[0] == 1
        sure = metrics.mentions_bundle(con, Filters(), sure_only=True)["mentions"]
        assert list(sure["id"]) == ["forum:2"] and list(sure["sentiment_confidence"]) == [0.9312]


def test_erased_ids_kept_as_given_before_0007_still_keep_the_post_out_and_are_keyed_when_met(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.duckdb"
    status = "https://mastodon.example/users/masto_jane/statuses/1"   # (a status's id names its account)
    toot = Mention(source="mastodon", native_id=status, url=status, text="Acme ghosted me", published_at=NOW)
    with monkeypatch.context() as patch:   # a database made by the hirepulse before 0007, which kept ids as given
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:6])
        with db.connect(path) as con:
            con.execute("INSERT INTO erasures VALUES ('id', ?, now())", [f"mastodon:{status}"])
    with db.connect(path) as con:          # the first write connection migrates it (0007: its SHA-256)
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert con.execute("SELECT key FROM erasures").fetchall() == [
            (hashlib.sha256(f"mastodon:{status}".encode()).hexdigest(),)]
        assert db.upsert_mentions(con, [toot], salt="s") == db.UpsertStats(erased=1)   # still not stored again
        db.upsert_mentions(con, [mention("1")], salt="s")
        assert db.forget_posts(con, ids=["forum:1"], salt="s") == 1                   # a new request: keyed
        assert db.upsert_mentions(con, [mention("1")], salt="s") == db.UpsertStats(erased=1)
        kept = sorted(key for (key,) in con.execute("SELECT key FROM erasures WHERE kind = 'id'").fetchall())
    # the fetch that met the old erasure's id replaced its unsalted key by the salted one
    assert kept == sorted(db.erasure_key("id", i, "s") for i in (f"mastodon:{status}", "forum:1"))


def _unsalted(*values: str) -> set[str]:
    return {hashlib.sha256(v.encode()).hexdigest() for v in values}


def test_a_new_erasure_keeps_no_unsalted_hash_of_the_url_or_the_id(tmp_path: Path) -> None:
    # anyone holding the database could hash a public post's address and look it up: the keys are salted
    url = "https://www.Forum.example/t/1/"
    post = replace(mention("1"), url=url)
    other = replace(mention("2", author="kim"), url="https://forum.example/t/2")
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [post, other, mention("3")], salt="s")
        assert db.forget_posts(con, urls=[url], ids=["forum:3"], salt="s") == 2
        assert db.forget_author(con, author_key("kim", "s"), salt="s") == 1
        kept = con.execute("SELECT kind, key FROM erasures").fetchall()
        raw = [url, url.rstrip("/"), "forum.example/t/1", "https://forum.example/t/2", "forum:1", "forum:2", "forum:3"]
        assert not {k for _, k in kept} & _unsalted(*raw)
        assert {(k, key) for k, key in kept if k in ("id", "url")} == {
            *(("id", db.erasure_key("id", i, "s")) for i in ("forum:1", "forum:2", "forum:3")),
            *(("url", db.erasure_key("url", u, "s")) for u in (url.rstrip("/"), "forum.example/t/1",
                                                                "https://forum.example/t/2"))}
        # and they keep the posts out, under either address or id
        again = [replace(mention("9"), url="http://forum.example/t/1"), mention("3"),
                 replace(mention("8", author="lee"), url="https://forum.example/t/2/")]
        assert db.upsert_mentions(con, again, salt="s") == db.UpsertStats(erased=3)
        # another salt (a mistyped variable, another installation's) would not find them: it is refused
        with pytest.raises(DatabaseError, match="not the one this database's keys were made with"):
            db.upsert_mentions(con, [mention("3")], salt="other")


def test_an_unsalted_erasure_from_before_keeps_its_post_out_and_is_keyed_when_met(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.duckdb"
    url = "https://forum.example/t/1"
    with monkeypatch.context() as patch:   # erasures as the version before salted keys remembered them
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:10])
        with db.connect(path) as con:
            con.executemany("INSERT INTO erasures VALUES (?, ?, TIMESTAMPTZ '2024-01-02 03:04:05+00')",
                            [("url", k) for k in _unsalted(url, "forum.example/t/1", "forum.example/t/2")]
                            + [("id", k) for k in _unsalted("forum:3", "forum:4")])
    db.ensure_erased(path)   # (the upgrade's own rewrite, migration 0009)
    with db.connect(path) as con:
        assert db.rewrite_owed(con) is None
        # an import brings the first post back by its address (the normalised one), the third by its id
        back = [replace(mention("1"), url="http://www.forum.example/t/1/"), mention("3"), mention("5")]
        assert db.upsert_mentions(con, back, salt="s") == db.UpsertStats(new=1, erased=2)
        assert db.rewrite_owed(con) is not None   # (the unsalted keys replaced stay in the free blocks until then)
        assert [r[0] for r in con.execute("SELECT native_id FROM mentions").fetchall()] == ["5"]
        kept = set(con.execute("SELECT kind, key, requested_at FROM erasures").fetchall())
        when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        # the keys met are keyed now, as they were requested; the others wait for their value
        assert {(k, key) for k, key, _ in kept} == {
            ("url", db.erasure_key("url", "forum.example/t/1", "s")), ("id", db.erasure_key("id", "forum:3", "s")),
            *(("url", k) for k in _unsalted(url, "forum.example/t/2")), ("id", next(iter(_unsalted("forum:4"))))}
        assert {w for _, _, w in kept} == {when}
        assert db.upsert_mentions(con, back, salt="s") == db.UpsertStats(unchanged=1, erased=2)   # keyed: still out
    db.ensure_erased(path)
    with db.connect(path) as con:
        # a forget that names the value of an old key keys it too
        assert db.forget_posts(con, urls=[url, "https://forum.example/t/2"], ids=["forum:4"], salt="s") == 0
        assert db.rewrite_owed(con) is not None
        kept = set(con.execute("SELECT kind, key, requested_at FROM erasures").fetchall())
    assert not {key for _, key, _ in kept} & _unsalted(url, "forum.example/t/1", "forum.example/t/2", "forum:3",
                                                       "forum:4")
    assert ("id", db.erasure_key("id", "forum:4", "s"), when) in kept
    assert ("url", db.erasure_key("url", "forum.example/t/2", "s"), when) in kept


def test_an_import_refuses_without_the_salt_once_an_erasure_remembers_a_post(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1")], salt="s")
        db.forget_posts(con, ids=["forum:1"], salt="s")
        table = db.mentions_table([mention("1")], salt="s")
        with pytest.raises(ValueError, match="salt is required"):
            db.upsert_mentions(con, table)


def test_an_analysis_read_while_its_post_was_erased_is_not_stored(tmp_path: Path) -> None:
    # `hirepulse analyze` reads a batch; a forget (or purge) deletes one of its posts before the results are stored
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("1"), mention("2")], salt="s")
        assert db.forget_posts(con, ids=["forum:2"], salt="s") == 1
        db.upsert_analysis(con, _analysis(["forum:1", "forum:2"]))
        for table in ("analysis", "analysis_stages", "fact_mentions"):
            column = "id" if table.startswith("fact") else "mention_id"
            assert {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()} == {"forum:1"}, table


def test_a_comment_stored_again_without_its_parents_title_keeps_its_label(tmp_path: Path) -> None:
    with db.connect(tmp_path / "h.duckdb") as con:
        old = replace(mention("c1", "Same here, never heard back"), kind="comment")
        db.upsert_mentions(con, [old], salt="s")
        # as a version that kept the parent's title stored it
        con.execute("UPDATE mentions SET title = 'Ask: Acme interviews?' WHERE id = 'forum:c1'")
        con.execute(f"UPDATE mentions AS i SET content_hash = {db._CONTENT_HASH_SQL} WHERE id = 'forum:c1'")
        db.save_label(con, "forum:c1", is_candidate_experience=True, sentiment="negative", stages=["rejection"])
        stats = db.upsert_mentions(con, [old], salt="s")   # fetched again: without the title
        assert stats.updated == 1 and db.label_count(con) == 1
        db.upsert_mentions(con, [replace(old, text="Edited: they called in the end")], salt="s")
        assert db.label_count(con) == 0   # (its own words changed: the label goes, as for any post)


def test_a_connection_opened_across_a_rewrites_rename_moves_to_the_new_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention("1")], salt="s")
    real_connect = duckdb.connect
    renamed: list[bool] = []

    def opened_then_renamed(database: str, read_only: bool = False):
        con = real_connect(database, read_only=read_only)
        if not renamed:   # a rewrite puts its copy in the file's place between DuckDB's open and its lock
            renamed.append(True)
            copy = tmp_path / "copy.duckdb"
            copy.write_bytes(path.read_bytes())
            copy.replace(path)
        return con

    monkeypatch.setattr(duckdb, "connect", opened_then_renamed)
    with db.connect(path) as con:
        db.upsert_mentions(con, [mention("2")], salt="s")
    monkeypatch.setattr(duckdb, "connect", real_connect)
    assert renamed
    with duckdb.connect(str(path), read_only=True) as con:   # the write is in the file the name names
        assert sorted(r[0] for r in con.execute("SELECT id FROM mentions").fetchall()) == ["forum:1", "forum:2"]


def test_a_former_id_moves_only_the_same_writers_post(tmp_path: Path) -> None:
    # a row names the id it had before ids were keyed (Mention.former_id); a stored post under that id by
    # someone else (a crafted handle, a collision) is not theirs to take
    with db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("a", "Three rounds then nothing", author="alice")], salt="s")
        db.save_label(con, "forum:a", is_candidate_experience=True, sentiment="negative", stages=["interview"])
        stats = db.upsert_mentions(con, [replace(mention("b", "Three rounds then nothing", author="mallory"),
                                                 former_id="a")], salt="s")
        assert stats.new == 1
        assert sorted(r[0] for r in con.execute("SELECT id FROM mentions").fetchall()) == ["forum:a", "forum:b"]
        assert db.label_reading(con, "forum:a")["sentiment"] == "negative"
        db.upsert_mentions(con, [replace(mention("c", "Three rounds then nothing", author="alice"), former_id="a")],
                           salt="s")   # (the same writer's post moves, with its label)
        assert sorted(r[0] for r in con.execute("SELECT id FROM mentions").fetchall()) == ["forum:b", "forum:c"]
        assert db.label_reading(con, "forum:c")["sentiment"] == "negative"


def test_a_naive_time_is_refused_not_taken_for_utc(tmp_path: Path) -> None:
    # (Arrow would read a datetime without a zone as UTC: a collector's bug would shift every post silently)
    with db.connect(tmp_path / "h.duckdb") as con:
        with pytest.raises(ValueError, match="naive datetime"):
            db.upsert_mentions(con, [replace(mention("1"), published_at=datetime(2025, 1, 1, 9, 30))], salt="s")
        berlin = timezone(timedelta(hours=2))
        db.upsert_mentions(con, [replace(mention("2"), published_at=datetime(2025, 6, 1, 9, 30, tzinfo=berlin))],
                           salt="s")
        assert con.execute("SELECT published_at FROM mentions").fetchone()[0] == datetime(2025, 6, 1, 7, 30,
                                                                                          tzinfo=timezone.utc)


def test_the_log_of_one_moved_id_and_one_retitled_comment_says_one(tmp_path: Path, caplog) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="hirepulse.db"), db.connect(tmp_path / "h.duckdb") as con:
        db.upsert_mentions(con, [mention("old-id")], salt="s")
        db.upsert_mentions(con, [replace(mention("new-id"), former_id="old-id")], salt="s")
        assert "moved 1 mention to its salted id, deleted 0 copies" in caplog.messages, caplog.messages
        db.upsert_mentions(con, [replace(mention("c1", "Same here"), kind="comment")], salt="s")
        # (a comment with its parent's title, as earlier versions kept it)
        con.execute("UPDATE mentions SET title = 'Ask: Acme interviews?' WHERE id = 'forum:c1'")
        caplog.clear()
        db.purge(con, 30)
        assert "cleared the post titles stored on 1 comment by an earlier version" in caplog.messages, caplog.messages
