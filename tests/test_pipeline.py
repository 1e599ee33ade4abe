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
