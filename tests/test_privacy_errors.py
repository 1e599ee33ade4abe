"""What a refused import leaves behind: the runs table (the dashboard's Health view, `hirepulse status`), the
scheduler's log and the chat alert name the file, row and column, never the cell's text; only the terminal of the
person running an import shows it. Old runs' error text goes with `hirepulse purge`. Real files, a real DuckDB
file, a real HTTP server standing in for the chat webhook; names, addresses and numbers are synthetic."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import duckdb
import pytest

from collectors.imports import ImportSpec, import_folder, read_file
from hirepulse import db
from hirepulse.cli import _schedule_jobs, main
from hirepulse.config import load_config
from hirepulse.errors import InputError

HOOK = "/services/T000/B000/synthetic-secret"
BAD_DATE = ("date,text,rating,stage\n2026-01-01,Acme was fine,3,interview\n"
            "jane.roe@example.com,Acme ghosted me call 07700 900123,2,interview\n")
BAD_RATING = ("date,text,rating\n2026-01-01,Acme was fine,Jane Roe jane.roe@example.com\n"
              "2026-01-02,Acme was fine,Mike Poe +44 7700 900456\n")
BAD_STAGE = "date,text,stage\n2026-01-01,Acme was fine,Interview with Sarah Connor (sarah.connor@acme.example)\n"
PRIVATE = ("jane.roe", "Jane Roe", "Mike Poe", "7700 900456", "Sarah Connor", "sarah.connor", "900123")


def setup_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "drop").mkdir()
    for name, content in files.items():
        path = tmp_path / "drop" / name
        path.write_text(content, encoding="utf-8")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    config_path = tmp_path / "hirepulse.toml"
    config_path.write_text('[[companies]]\nname = "Acme"\n\n[[imports]]\nfolder = "drop"\nsource = "survey"\n'
                           'company = "Acme"\n\n[alerts]\nwebhook_env = "TEST_ALERT_WEBHOOK"\n', encoding="utf-8")
    return config_path


def run_errors(db_path: Path) -> dict[str, str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(con.execute("SELECT json_extract_string(detail, '$.file'), error FROM runs "
                                "WHERE kind = 'import' AND status = 'error'").fetchall())


def test_a_refused_files_cells_reach_neither_the_runs_the_log_nor_the_alert(tmp_path: Path, httpserver,
                                                                           monkeypatch: pytest.MonkeyPatch,
                                                                           caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    config_path = setup_folder(tmp_path, {"bad_date.csv": BAD_DATE, "bad_rating.csv": BAD_RATING,
                                          "bad_stage.csv": BAD_STAGE})
    db_path = tmp_path / "h.duckdb"
    (job,) = [j for j in _schedule_jobs(load_config(config_path), db_path, [], salt="s") if j.name.startswith("import")]
    with caplog.at_level(logging.INFO):
        assert job.func(lambda: False) == "3 files refused"
    stored = run_errors(db_path)
    (request, _), = httpserver.log
    alert = json.loads(request.get_data())["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    for where in (*stored.values(), alert, logged):
        assert not [p for p in PRIVATE if p in where], where
    # what is left still says where to look and what is wrong
    drop = tmp_path / "drop"
    assert stored["bad_date.csv"] == (f"{drop / 'bad_date.csv'}, row 3, column 'date': unparseable date '…' (use ISO "
                                      "8601, e.g. 2025-06-03 or 2025-06-03T14:22:00Z, or name the file's format with "
                                      "--date-format, e.g. '%d.%m.%Y'); if row 3 is a survey tool's extra header "
                                      "row, --skip-rows leaves it out (the cell's text is left out here)")
    assert stored["bad_rating.csv"] == (
        f"{drop / 'bad_rating.csv'}, row 2, column 'rating': rating '…' is not a number, nor a verdict (positive, "
        "neutral, negative); for a scale of words, name them lowest first with --rating-words (this column's words: "
        "…, …) (the cell's text is left out here)")
    assert stored["bad_stage.csv"].startswith(f"{drop / 'bad_stage.csv'}, row 2, column 'stage': unknown stage '…' "
                                              "(stages: application, screening, interview, offer, rejection, ")
    assert "--stage-values '…=STAGE'" in stored["bad_stage.csv"]
    assert alert.startswith("hirepulse: 3 export files refused in ")
    assert "bad_stage.csv, row 2, column 'stage': unknown stage '…'" in alert


def test_the_terminal_of_whoever_runs_the_import_still_shows_the_cell(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad_stage.csv"
    path.write_text(BAD_STAGE, encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path)]) == 1
    assert "unknown stage 'Interview with Sarah Connor (sarah.connor@acme.example)'" in capsys.readouterr().err
    assert not db_path.exists() or not run_errors(db_path)


def test_a_short_cell_is_left_out_where_quoted_and_the_rest_of_the_message_stays(tmp_path: Path) -> None:
    config_path = setup_folder(tmp_path, {"five.csv": "date,text,stage\n2026-01-01,Acme was fine,a\n"})
    read = import_folder(tmp_path / "h.duckdb", load_config(config_path).imports[0], salt="s")
    ((_, error),) = read.refused
    assert "unknown stage '…' (stages: application, screening, interview, offer, rejection, onboarding; " in error


def test_a_runs_error_is_stored_redacted(tmp_path: Path) -> None:
    """Any job's error, not only an import's: an API's message may quote a contact too."""
    with db.connect(tmp_path / "h.duckdb") as con:
        run_id = db.record_run(con, "gdelt", "collect", status="error",
                               error="HTTP 403: write to ops.team@example.org or call +1 415 555 0100 (quota)")
        (error,) = con.execute("SELECT error FROM runs WHERE id = ?", [run_id]).fetchone()
    assert error == "HTTP 403: write to [email] or call [phone] (quota)"



NO_HEADER = "2026-01-01,Acme ghosted me,Jane Roe from Leeds\n2026-01-02,Acme was fine,Mike Poe\n"


def test_a_file_without_a_header_row_leaves_its_first_row_out_of_the_runs_the_log_and_the_alert(
        tmp_path: Path, httpserver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """An export saved without its header row has its first row read as the column names, and a header row may hold
    an answer (a survey tool's export saved the wrong way): the names an error lists are left out as cells are."""
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    config_path = setup_folder(tmp_path, {"noheader.csv": NO_HEADER,
                                          "odd.csv": "date,Jane Roe jane.roe@example.com 07700 900123\n2026-01-01,x\n"})
    db_path = tmp_path / "h.duckdb"
    (job,) = [j for j in _schedule_jobs(load_config(config_path), db_path, [], salt="s") if j.name.startswith("import")]
    with caplog.at_level(logging.INFO):
        job.func(lambda: False)
    (request, _), = httpserver.log
    alert = json.loads(request.get_data())["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    stored = run_errors(db_path)
    for where in (*stored.values(), alert, logged):
        assert not [p for p in ("Acme ghosted me", "Acme was fine", *PRIVATE, "[email]") if p in where], where
    assert stored["noheader.csv"] == (
        f"{tmp_path / 'drop' / 'noheader.csv'}: no text column (columns: …); name one with --map COLUMN=text (several "
        "columns may be the text: --map Pros=text Cons=text) (the file's column names are left out here)")
    assert stored["odd.csv"].startswith(f"{tmp_path / 'drop' / 'odd.csv'}: no text column (columns: …); ")


def test_every_error_that_lists_a_files_columns_leaves_them_out_where_stored(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text(NO_HEADER, encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("Jane Roe from Leeds,Jane Roe from Leeds,date\nx,y,2026-01-01\n", encoding="utf-8")
    for spec in (ImportSpec(path, "csv", mapping={"comment": "text"}), ImportSpec(twice, "csv")):
        with pytest.raises(InputError) as raised:
            read_file(spec)
        assert "Jane Roe" in str(raised.value) and "Jane Roe" not in raised.value.without_cells()
        assert raised.value.without_cells().endswith("(the file's column names are left out here)")
    # the terminal of whoever runs the import shows them: the first row is plainly no header there
    assert main(["import", str(path), "--db", str(tmp_path / "h.duckdb")]) == 1
    assert "no text column (columns: 2026-01-01, Acme ghosted me, Jane Roe from Leeds)" in capsys.readouterr().err


def test_an_alert_is_sent_redacted(tmp_path: Path, httpserver, monkeypatch: pytest.MonkeyPatch) -> None:
    from hirepulse.alerts import send

    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    config = load_config(setup_folder(tmp_path, {}))
    assert send(config, "hirepulse: a title for jo@example.com", ["call 020 7946 0018", "week of 2026-02-16: 12 posts"])
    (request, _), = httpserver.log
    assert json.loads(request.get_data())["text"] == ("hirepulse: a title for [email]\n• call [phone]\n"
                                                      "• week of 2026-02-16: 12 posts")


def test_purge_deletes_old_runs_error_text_and_keeps_the_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_path = setup_folder(tmp_path, {"bad_stage.csv": BAD_STAGE})
    db_path = tmp_path / "h.duckdb"
    entry = load_config(config_path).imports[0]
    assert len(import_folder(db_path, entry, salt="s").refused) == 1
    with db.connect(db_path) as con:   # the refusal as it would stand a year and a half later, and a newer one
        con.execute("UPDATE runs SET started_at = started_at - INTERVAL 500 DAY, "
                    "finished_at = finished_at - INTERVAL 500 DAY")
        db.record_run(con, "youtube", "collect", status="error", error="HTTP 500 from the API: retries exhausted")
    assert main(["purge", "--older-than", "365", "--db", str(db_path), "--config", str(config_path)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[:2] == ["deleted 0 mentions older than 365 days", "deleted the error text of 1 run that ended before then"]
    assert said[2].startswith("rewrote ")   # (the old text leaves the file's free blocks too)
    with duckdb.connect(str(db_path), read_only=True) as con:
        errors = con.execute("SELECT source, status, error FROM runs WHERE kind <> 'purge' ORDER BY id").fetchall()
    assert errors == [("survey", "error", db.PURGED_ERROR),
                      ("youtube", "error", "HTTP 500 from the API: retries exhausted")]
    # the run stays, so the refused file is still known and not read (nor refused, nor posted) again
    assert import_folder(db_path, entry, salt="s").seen == 1
    assert main(["purge", "--older-than", "365", "--db", str(db_path), "--config", str(config_path)]) == 0
    assert "error text" not in capsys.readouterr().out   # (once is enough)


def test_the_scheduled_purge_deletes_old_runs_error_text_too(tmp_path: Path) -> None:
    config_path = setup_folder(tmp_path, {"bad_stage.csv": BAD_STAGE})
    config_path.write_text(config_path.read_text(encoding="utf-8") + "\n[privacy]\nretention_days = 30\n",
                           encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    config = load_config(config_path)
    import_folder(db_path, config.imports[0], salt="s")
    with db.connect(db_path) as con:
        con.execute("UPDATE runs SET finished_at = finished_at - INTERVAL 31 DAY")
    (purge,) = [j for j in _schedule_jobs(config, db_path, [], salt="s") if j.name == "purge"]
    purge.func(lambda: False)
    assert run_errors(db_path) == {"bad_stage.csv": db.PURGED_ERROR}
