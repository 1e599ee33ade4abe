"""analysis.pipeline: stored mentions scored in batches, survey stages taken as given."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analysis.pipeline import analyze_pending, text_for_analysis
from collectors.imports import ImportSpec, import_file
from hirepulse import db


def test_survey_stage_makes_a_candidate_experience_of_that_stage(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("id,submitted_at,hiring_stage,comment\n1,2025-03-01,Offer,Fine.\n2,2025-03-02,,Fine.\n", encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(path, "csv", source="survey", mapping={"comment": "text"}), salt="s")
    stats = analyze_pending(db_path, batch_size=1)
    assert stats.analyzed == 2
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = dict(con.execute("SELECT mention_id, is_candidate_experience FROM analysis").fetchall())
        stages = con.execute("SELECT mention_id, stage FROM analysis_stages").fetchall()
    finally:
        con.close()
    assert rows == {"survey:1": True, "survey:2": False}
    assert stages == [("survey:1", "offer")]


def test_progress_reports_each_batch(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"post {i},2025-01-0{1 + i % 9}\n" for i in range(7)), encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(path, "csv"), salt="s")
    seen: list[tuple[int, int]] = []
    analyze_pending(db_path, batch_size=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert analyze_pending(db_path).analyzed == 0


def test_title_is_prepended_once() -> None:
    assert text_for_analysis("Ghosted", "after the final round") == "Ghosted. after the final round"
    assert text_for_analysis("Ghosted!", "after the final round") == "Ghosted! after the final round"
    assert text_for_analysis("Ghosted", "Ghosted after the final round") == "Ghosted after the final round"
    assert text_for_analysis(None, "text") == "text"


def test_a_large_run_rebuilds_the_dashboard_facts_and_a_small_one_keeps_them(tmp_path: Path) -> None:
    """The first run on a database (all of it pending) rebuilds the facts at its end; a later
    run of a few new mentions keeps them in step batch by batch. Either way they end fresh and
    equal to the facts view."""
    from datetime import datetime, timezone

    from hirepulse.models import Mention

    path = tmp_path / "h.duckdb"
    posted = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    texts = ["The recruiter ghosted me after the final interview.", "Great onboarding, kind team.",
             "Bought boots there, fine store."]
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id=str(i), text=texts[i % 3], published_at=posted,
                                         company="Acme", author=f"a{i}") for i in range(12)], salt="s")
    analyze_pending(path, batch_size=5)
    with db.connect(path, read_only=True) as con:
        assert db.facts_fresh(con)
        assert con.execute("SELECT count(*) FROM fact_mentions").fetchone()[0] == 12
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id="new", text=texts[0], published_at=posted,
                                         company="Acme", author="b")], salt="s")
    analyze_pending(path, batch_size=5)
    with db.connect(path, read_only=True) as con:
        assert db.facts_fresh(con)
        view = con.execute("SELECT id, company, is_candidate_experience, sentiment FROM facts ORDER BY id").fetchall()
        assert con.execute("SELECT id, company, is_candidate_experience, sentiment FROM fact_mentions ORDER BY id").fetchall() == view
        assert con.execute("SELECT sum(mentions) FROM fact_days").fetchone()[0] == 13


def test_the_tone_readings_confidence_is_stored_as_the_analyzer_gives_it(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from analysis.scoring import score_texts
    from hirepulse.models import Mention

    texts = ["The recruiter ghosted me after the final interview. Never again.", "Great onboarding, kind team.",
             "Bought boots there, fine store.", "The interview was ok I guess, not sure what to make of it."]
    path = tmp_path / "h.duckdb"
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id=str(i), text=t, company="Acme", author="a",
                                         published_at=datetime(2026, 1, 5, 12, tzinfo=timezone.utc))
                                 for i, t in enumerate(texts)], salt="s")
    analyze_pending(path, batch_size=3)
    expected = {f"forum:{i}": r.sentiment_confidence for i, r in enumerate(score_texts(texts))}
    with db.connect(path, read_only=True) as con:
        stored = dict(con.execute("SELECT mention_id, sentiment_confidence FROM analysis").fetchall())
        facts = dict(con.execute("SELECT id, sentiment_confidence FROM fact_mentions").fetchall())
    assert all(isinstance(v, float) and 0 <= v <= 1 for v in expected.values())
    assert stored == expected and facts == expected


def test_result_row_carries_the_confidence_with_a_stated_stage_too() -> None:
    from analysis.pipeline import result_row
    from analysis.scoring import Result

    result = Result(False, (), {}, -0.4, (), False, (), {}, sentiment_confidence=0.4217)
    row = result_row("survey:1", "h", "offer", result)
    assert row["sentiment_confidence"] == 0.4217 and row["stages"] == ("offer",) and row["is_candidate_experience"]
    assert result_row("survey:2", "h", None, Result(False, (), {}, 0.0, (), False, (), {}))["sentiment_confidence"] is None


def test_a_stop_ends_the_run_between_batches_and_the_rest_waits(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"post {i},2025-01-0{1 + i % 9}\n" for i in range(10)),
                    encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(path, "csv"), salt="s")
    asked: list[int] = []

    def stop_after_two_batches() -> bool:
        asked.append(1)
        return len(asked) > 2

    stats = analyze_pending(db_path, batch_size=3, should_stop=stop_after_two_batches)
    assert (stats.analyzed, stats.pending_before) == (6, 10)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        status, new, detail = con.execute("SELECT status, new_count, detail FROM runs WHERE kind = 'analyze'").fetchone()
    finally:
        con.close()
    assert (status, new) == ("stopped", 6) and '"left": 4' in detail
    assert analyze_pending(db_path).analyzed == 4


SAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "data" / "sample" / "hirepulse.toml"


def _analyses(path: Path) -> dict[str, tuple]:
    """Every stored analysis, whole (when it was made too), by mention id."""
    with db.connect(path, read_only=True) as con:
        return {row[0]: row[1:] for row in con.execute("SELECT * FROM analysis").fetchall()}


def _dashboard_companies(path: Path, ids: set[str]) -> set[str | None]:
    """The companies the dashboard shows the posts ``ids`` under (its facts, checked against the facts view)."""
    with db.connect(path, read_only=True) as con:
        assert db.facts_fresh(con)
        shown = con.execute("SELECT id, company FROM fact_mentions ORDER BY id").fetchall()
        assert shown == con.execute("SELECT id, company FROM facts ORDER BY id").fetchall()
    return {company for mention_id, company in shown if mention_id in ids}


def _holding(path: Path, *names: str) -> set[str]:
    """The stored posts whose title and text, as the analyzer reads them, hold one of ``names`` in any case."""
    with db.connect(path, read_only=True) as con:
        posts = con.execute("SELECT id, title, text FROM mentions").fetchall()
    return {mid for mid, title, text in posts if any(n in text_for_analysis(title, text).lower() for n in names)}


def test_an_alias_taken_out_of_the_config_and_put_back_moves_only_the_posts_that_name_it(
        sample_db: Path, tmp_path: Path, capsys) -> None:
    from analysis.scoring import ANALYZER_VERSION
    from hirepulse.cli import main

    before = _analyses(sample_db)
    named = _holding(sample_db, "bwg")
    with db.connect(sample_db, read_only=True) as con:   # the posts the dashboard files under Brightwater for "BWG"
        by_alias = {mid for mid, in con.execute("""
            SELECT m.id FROM mentions m JOIN analysis a ON a.mention_id = m.id
            WHERE m.company IS NULL AND a.companies[1] = 'Brightwater'
              AND NOT contains(lower(concat_ws(' ', m.title, m.text)), 'brightwater')""").fetchall()}
    assert by_alias and by_alias < named and 0 < len(named) < len(before) / 5
    assert _dashboard_companies(sample_db, by_alias) == {"Brightwater"}
    without = tmp_path / "without.toml"
    without.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        'aliases = ["Brightwater Goods", "BWG"]', 'aliases = ["Brightwater Goods"]'), encoding="utf-8")

    assert main(["analyze", "--db", str(sample_db), "--config", str(without)]) == 0
    assert capsys.readouterr().out == (f"analysed 0 mentions with analyzer {ANALYZER_VERSION}; re-read the companies "
                                       f"of {len(named)} to match the configured companies\n")
    after = _analyses(sample_db)
    changed = {mid for mid in before if after[mid] != before[mid]}
    assert by_alias < changed <= named    # nothing else touched, not even the time it was analysed
    assert all(after[mid][:8] == before[mid][:8] for mid in changed)       # their reading but the companies too
    assert all("Brightwater" not in after[mid][8] for mid in by_alias)     # (analysis.companies)
    assert _dashboard_companies(sample_db, by_alias) == {None}

    assert main(["analyze", "--db", str(sample_db), "--config", str(SAMPLE_CONFIG)]) == 0   # put back
    assert capsys.readouterr().out.endswith(f"; re-read the companies of {len(named)} to match the configured "
                                            "companies\n")
    assert _analyses(sample_db) == before
    assert _dashboard_companies(sample_db, by_alias) == {"Brightwater"}
    # once in line, a run reads nothing again; nor does one with no config file, which keeps the companies recorded
    for config in (["--config", str(SAMPLE_CONFIG)], []):
        assert main(["analyze", "--db", str(sample_db), *config]) == 0
        assert capsys.readouterr().out == f"analysed 0 mentions with analyzer {ANALYZER_VERSION}\n"
    assert _analyses(sample_db) == before


def test_a_database_analysed_before_companies_were_recorded_has_them_read_once(sample_db: Path) -> None:
    from hirepulse.config import load_config

    before = _analyses(sample_db)
    with db.connect(sample_db) as con:   # as a hirepulse before migration 0011 left it
        con.execute("ALTER TABLE analysis DROP COLUMN companies_stale")
        con.execute("DROP TABLE analysis_companies")
        con.execute("DELETE FROM migrations WHERE name = '0011_analysis_companies'")
    with db.connect(sample_db) as con:   # the first write connection migrates it
        assert db.schema_version(con) == db.SCHEMA_VERSION and db.recorded_companies(con) is None
        assert con.execute("SELECT DISTINCT companies_stale FROM analysis").fetchall() == [(False,)]
    companies = load_config(SAMPLE_CONFIG).company_specs()
    stats = analyze_pending(sample_db, companies=companies)
    # no config recorded: every post that names a configured company is read again for them, once
    names = _holding(sample_db, "brightwater", "bwg", "cobalt", "fernhill")
    assert (stats.analyzed, stats.companies_reread, stats.pending_before) == (0, len(names), len(names))
    assert _analyses(sample_db) == before
    with db.connect(sample_db, read_only=True) as con:
        assert db.recorded_companies(con) == (db.companies_fingerprint(companies), companies)
    assert analyze_pending(sample_db, companies=companies).companies_reread == 0


def test_a_stop_while_companies_are_read_again_leaves_the_rest_marked_and_a_new_reading_reads_them_whole(
        tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from hirepulse.models import Mention

    path = tmp_path / "h.duckdb"
    texts = ["Globex ghosted me after the final interview.", "Great onboarding at Acme, kind team.",
             "Applied to Globex in March, still nothing.", "Acme's recruiter was lovely."]
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id=str(i), text=texts[i % 4], author=f"a{i}",
                                         published_at=datetime(2026, 1, 5, 12, tzinfo=timezone.utc))
                                 for i in range(12)], salt="s")
    acme = [("Acme", ())]
    assert analyze_pending(path, companies=acme).analyzed == 12
    with db.connect(path) as con:   # two posts read by an older analyzer: they are read whole, not only for companies
        con.execute("UPDATE analysis SET analyzer_version = 'old' WHERE mention_id IN ('forum:0', 'forum:2')")
    asked: list[int] = []

    def stop_at_the_third_batch() -> bool:
        asked.append(1)
        return len(asked) > 2

    both = [("Acme", ()), ("Globex", ())]
    stats = analyze_pending(path, companies=both, batch_size=2, should_stop=stop_at_the_third_batch)
    assert (stats.analyzed, stats.companies_reread, stats.pending_before) == (2, 2, 6)
    with db.connect(path, read_only=True) as con:
        status, new, updated, detail = con.execute(
            "SELECT status, new_count, updated_count, detail FROM runs WHERE kind = 'analyze' ORDER BY id DESC").fetchone()
        assert (status, new, updated) == ("stopped", 2, 2) and '"left": 2' in detail
        assert con.execute("SELECT count(*) FROM analysis WHERE companies_stale").fetchone()[0] == 2
    # the next run, given the same companies (or none: those recorded), reads the rest
    stats = analyze_pending(path)
    assert (stats.analyzed, stats.companies_reread) == (0, 2)
    with db.connect(path, read_only=True) as con:
        read = dict(con.execute("SELECT mention_id, companies FROM analysis").fetchall())
        assert not con.execute("SELECT count(*) FROM analysis WHERE companies_stale").fetchone()[0]
    assert read == {f"forum:{i}": ["Globex"] if i % 2 == 0 else ["Acme"] for i in range(12)}


def _titled(path: Path, posts: list[tuple[str | None, str]]) -> None:
    from datetime import datetime, timezone

    from hirepulse.models import Mention

    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="forum", native_id=str(i), text=text, title=title, author=f"a{i}",
                                         published_at=datetime(2026, 1, 5, 12, tzinfo=timezone.utc))
                                 for i, (title, text) in enumerate(posts)], salt="s")


def test_the_company_prefilter_searches_the_title_and_text_as_the_analyzer_joins_them(tmp_path: Path) -> None:
    """What mark_companies_stale looks for names in is, lower-cased, the very text the analyzer reads: a name
    split across the title and the text is judged alike by both (the title's added full stop included)."""
    path = tmp_path / "h.duckdb"
    posts = [(None, "No title here."), ("", "An empty title."), ("Ghosted", "after the final round"),
             ("Ghosted!", "after the final round"), ("Ghosted", "Ghosted after the final round"),
             ("Offer withdrawn  \t", "two days before I started"), ("Q:", "anyone heard back?"),
             ("Interviewed at Harbor Supply Co", "Nobody called me back."), ("Rejected by Brightwater", "Goods, they said"),
             ("Harbor’s recruiter", "was kind"), ("   ", "only spaces in the title"), ("Trailing\u00a0", "no-break space")]
    _titled(path, posts)
    with db.connect(path, read_only=True) as con:
        got = dict(con.execute(f"SELECT m.id, {db._LOWER_WORDS_SQL} FROM mentions m").fetchall())
        stored = con.execute("SELECT id, title, text FROM mentions").fetchall()
    assert len(got) == len(posts)
    for mid, title, text in stored:
        assert got[mid] == text_for_analysis(title, text).lower().replace("\u2019", "'"), (title, text)


def test_an_alias_that_spans_the_title_and_the_text_is_found_and_one_the_analyzer_cannot_see_is_not(
        tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    _titled(path, [("Interviewed at Harbor Supply Co", "Nobody called me back."),   # read "... Co. Nobody ..."
                   ("Applied to Brightwater", "Goods were late too, and the recruiter never called.")])
    harbor = [("Harbor Supply", ("HS",))]
    assert analyze_pending(path, companies=harbor).analyzed == 2
    # an alias with its full stop: the analyzer finds it where the title meets the text, so the post is read again
    stats = analyze_pending(path, companies=[("Harbor Supply", ("HS", "Harbor Supply Co."))])
    assert (stats.analyzed, stats.companies_reread) == (0, 1)
    with db.connect(path, read_only=True) as con:
        explanation = con.execute("SELECT explanation FROM analysis WHERE mention_id = 'forum:0'").fetchone()[0]
    assert '"text": "Harbor Supply Co."' in explanation
    # "Brightwater" closes the title and "Goods" opens the text: the analyzer reads "Brightwater. Goods", which is
    # no "Brightwater Goods", so a new company of that name leaves the post as it was, unmarked
    stats = analyze_pending(path, companies=[("Harbor Supply", ("HS", "Harbor Supply Co.")), ("Brightwater Goods", ())])
    assert (stats.analyzed, stats.companies_reread) == (0, 0)
