"""[[imports]]: a folder the employer's exports are dropped into, read by `hirepulse import` with no file named and
by `hirepulse schedule`. Real files, a real DuckDB file; each new content imported once."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import duckdb
import pytest

from collectors.imports import import_folder
from hirepulse.cli import _schedule_jobs, main
from hirepulse.config import ConfigError, load_config, parse_config

SURVEY_A = "submitted,comment,step\n2025-06-03,The panel was kind and on time.,Face to Face\n"
SURVEY_B = "submitted,comment,step\n2025-06-10,Nobody called back after the final round.,No Offer\n"
BAD = "submitted,comment,step\n2025-06-11,Fine.,Coffee Chat\n"   # a step the import cannot place


def config(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "drop").mkdir(exist_ok=True)
    path = tmp_path / "hirepulse.toml"
    path.write_text('[[companies]]\nname = "Brightwater"\n\n[[imports]]\nfolder = "drop"\nsource = "survey"\n'
                    'company = "Brightwater"\nmap = { submitted = "published_at", comment = "text", step = "stage" }\n'
                    f"{extra}", encoding="utf-8")
    return path


def drop(tmp_path: Path, name: str, content: str, *, age: float = 3600) -> Path:
    path = tmp_path / "drop" / name
    path.write_text(content, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def stored(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("SELECT source, company, stage_hint, text FROM mentions ORDER BY published_at").fetchall()


def test_each_new_file_is_imported_once_and_a_bad_one_is_refused_alone(tmp_path: Path) -> None:
    entry = load_config(config(tmp_path)).imports[0]
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "a.csv", SURVEY_A)
    drop(tmp_path, "b.csv", SURVEY_B)
    drop(tmp_path, "c.csv", BAD)
    drop(tmp_path, "notes.txt", "not an export")          # no format the import reads: not looked at
    drop(tmp_path, ".a.csv.swp", SURVEY_A)                 # hidden: an editor's or an upload's temporary file
    first = import_folder(db_path, entry, salt="s")
    assert [(p.name, rows) for p, rows, _ in first.imported] == [("a.csv", 1), ("b.csv", 1)]
    bad = tmp_path / "drop" / "c.csv"
    assert [(p, e) for p, e in first.refused] == [   # (as stored and sent on: without the cell's own text)
        (bad, f"{bad}, row 2, column 'step': unknown stage '…' (stages: application, screening, interview, "
              "offer, rejection, onboarding; name the stage it means with --stage-values '…=STAGE') (the cell's text "
              "is left out here)")]
    assert stored(db_path) == [("survey", "Brightwater", "interview", "The panel was kind and on time."),
                               ("survey", "Brightwater", "rejection", "Nobody called back after the final round.")]
    # the next read imports nothing again, and does not retry the bad file while it is unchanged
    again = import_folder(db_path, entry, salt="s")
    assert (again.imported, again.refused, again.seen) == ((), (), 3)
    # a renamed copy is the same content; a fixed file is new content
    drop(tmp_path, "a copy.csv", SURVEY_A)
    drop(tmp_path, "c.csv", BAD.replace("Coffee Chat", "Phone Screen"))
    fixed = import_folder(db_path, entry, salt="s")
    assert [p.name for p, _, _ in fixed.imported] == ["c.csv"] and fixed.seen == 3
    assert len(stored(db_path)) == 3
    with duckdb.connect(str(db_path), read_only=True) as con:
        runs = con.execute("SELECT status, json_extract_string(detail, '$.file') FROM runs WHERE kind = 'import' "
                           "ORDER BY id").fetchall()
    assert runs == [("ok", "a.csv"), ("ok", "b.csv"), ("error", "c.csv"), ("ok", "c.csv")]


def test_a_file_still_being_written_waits_for_the_next_read(tmp_path: Path) -> None:
    entry = load_config(config(tmp_path)).imports[0]
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "a.csv", SURVEY_A, age=5)
    read = import_folder(db_path, entry, salt="s")
    assert [p.name for p in read.waiting] == ["a.csv"] and read.imported == ()
    assert [p.name for p, _, _ in import_folder(db_path, entry, salt="s", settle_seconds=1).imported] == ["a.csv"]


def test_import_with_no_file_reads_the_watched_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_path = config(tmp_path)
    db_path = tmp_path / "h.duckdb"
    args = ["import", "--db", str(db_path), "--config", str(config_path)]
    drop(tmp_path, "a.csv", SURVEY_A + "2025-06-04,,Phone Screen\n")   # a step rated without a comment: skipped
    drop(tmp_path, "c.csv", BAD)
    assert main(args) == 1   # a refused file fails the run (cron mails it), the good one is stored
    out = capsys.readouterr().out
    assert out.startswith("drop: 1 new file imported, 1 refused, 0 read before\n"
                          "  a.csv: 2 rows, 1 new, 0 updated, 0 already stored, 1 row without text skipped\n"
                          f"  refused: {tmp_path / 'drop' / 'c.csv'}, row 2, column 'step': unknown stage '…' ")
    assert ("(read again once the file or the table changes; in [[imports]], --stage-values is the key stage_values)\n"
            "run `hirepulse analyze` to score what was imported\n") in out
    # the refused file is named again at each read while it stays (a cron run fails until it is fixed)
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.startswith("drop: 0 new files imported, 0 refused, 2 read before (1 of them still refused)\n"
                          f"  still refused: {tmp_path / 'drop' / 'c.csv'}, row 2, column 'step': unknown stage '…' ")
    assert out.endswith("(read again once the file or the table changes; in [[imports]], --stage-values is the key "
                        "stage_values)\n") and out.count("\n") == 2
    # a file's options belong to its [[imports]] table
    for option in (["--map", "comment=text"], ["--source", "reviews"], ["--skip-rows", "2"]):
        assert main([*args, *option]) == 1
        assert f"{option[0]}: applies to the files named" in capsys.readouterr().err
    bare = tmp_path / "bare.toml"
    bare.write_text('[[companies]]\nname = "Brightwater"\n', encoding="utf-8")
    assert main(["import", "--db", str(db_path), "--config", str(bare)]) == 1
    assert "no file named and no [[imports]] folder in the config" in capsys.readouterr().err
    (tmp_path / "drop" / "a.csv").unlink()
    (tmp_path / "drop" / "c.csv").unlink()
    (tmp_path / "drop").rmdir()
    assert main(args) == 1
    assert "the watched folder does not exist" in capsys.readouterr().err


def test_the_scheduler_imports_and_analyses_a_watched_folder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config_path = config(tmp_path, 'schedule = "*/15 * * * *"\n')
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "b.csv", SURVEY_B)
    (job,) = [j for j in _schedule_jobs(load_config(config_path), db_path, [], salt="s") if j.name.startswith("import")]
    assert (job.name, job.cron) == ("import:drop", "*/15 * * * *")
    with caplog.at_level(logging.INFO, logger="hirepulse"):
        job.func(lambda: False)
    assert "import: drop: 1 new file imported, 0 refused, 0 read before" in caplog.messages
    with duckdb.connect(str(db_path), read_only=True) as con:
        (sentiment, stages), = con.execute("SELECT sentiment, stages FROM analysis").fetchall()
    assert sentiment < -0.05 and "rejection" in stages


def test_a_refused_file_is_named_again_at_each_read_while_it_stays_refused(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    config_path = config(tmp_path)
    db_path = tmp_path / "h.duckdb"
    bad = drop(tmp_path, "c.csv", BAD)
    first = import_folder(db_path, load_config(config_path).imports[0], salt="s")
    ((path, error),) = first.refused
    assert first.still_refused == ()
    # read again, unchanged: not read, but named with the error it was refused for (not a silent "read before")
    again = import_folder(db_path, load_config(config_path).imports[0], salt="s")
    assert (again.imported, again.refused, again.seen, again.still_refused) == ((), (), 1, ((bad, error),))
    # the scheduler's log says so at each read, at warning level, and the job ends with the problem
    (job,) = [j for j in _schedule_jobs(load_config(config_path), db_path, [], salt="s") if j.name.startswith("import")]
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="hirepulse"):
            assert job.func(lambda: False) == "1 file still refused"
        assert "import: drop: 0 new files imported, 0 refused, 1 read before (1 of them still refused)" in caplog.messages
        (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert warning == (f"import: still refused: {error} (read again once the file or the table changes; in "
                           "[[imports]], --stage-values is the key stage_values)")
    # fixed, it is read and stored, and named no more
    drop(tmp_path, "c.csv", BAD.replace("Coffee Chat", "Phone Screen"))
    fixed = import_folder(db_path, load_config(config_path).imports[0], salt="s")
    assert [p.name for p, _, _ in fixed.imported] == ["c.csv"] and fixed.still_refused == ()
    assert import_folder(db_path, load_config(config_path).imports[0], salt="s").still_refused == ()


@pytest.mark.parametrize(("table", "error"), [
    ('folder = ""', "missing required key 'folder' in [[imports]]"),
    ('folder = "a"\nstage = "phone"', "unknown stage 'phone' (stages: application, screening"),
    ('folder = "a"\nmap = { x = "body" }', "map: 'x' maps to 'body', which is no field (text, published_at"),
    ('folder = "a"\nstage_values = { "Coffee Chat" = "chat" }', "stage_values: 'Coffee Chat' maps to 'chat', "
                                                                "which is no stage"),
    ('folder = "a"\nrating_words = ["Good"]', "rating_words: a scale of words needs at least two words"),
    ('folder = "a"\nrating_scale = 0', "rating_scale: 0 is not a scale: give the highest rating possible"),
    ('folder = "a"\nskip_rows = -1', "skip_rows must be 0 or more"),
    ('folder = "a"\ndate_format = "d.m.Y"', "date_format: 'd.m.Y' has no day in it"),
    ('folder = "a"\nschedule = "hourly"', "invalid cron expression 'hourly'"),
    ('folder = "a"\nencoding = "klingon"', "encoding: unknown text encoding 'klingon'"),
    ('folder = "a"\nsource = "Survey!"', "source label 'Survey!' must be lowercase letters"),
    ('folder = "a"\nsource = "2025-survey"', "source label '2025-survey' must be lowercase letters, digits, - or _, a "
                                             "letter first and 40 at most"),
    ('folder = "a"\n\n[[imports]]\nfolder = "./a"', "is watched twice"),
])
def test_a_bad_imports_table_is_a_one_line_config_error(table: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error.replace("(", r"\(").replace("[", r"\[")):
        parse_config(f"[[imports]]\n{table}\n", "/srv/hirepulse/hirepulse.toml")


def test_an_imports_tables_source_label_is_matched_whole() -> None:
    # "survey\n" passed a pattern anchored by $ (which also matches before a final line break)
    with pytest.raises(ConfigError) as info:
        parse_config('[[imports]]\nfolder = "a"\nsource = "survey\\n"\n', "/srv/hirepulse/hirepulse.toml")
    assert str(info.value) == ("/srv/hirepulse/hirepulse.toml:3: source label 'survey\\n' must be lowercase letters, "
                               "digits, - or _, a letter first and 40 at most")


@pytest.mark.parametrize("scale", ["inf", "+inf", "nan", "0", "-1"])
def test_an_imports_table_refuses_the_rating_scales_the_command_line_refuses(tmp_path: Path, scale: str,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    # TOML writes inf and nan as numbers: an infinite scale would read every rating as 0 of it, the worst score
    with pytest.raises(ConfigError) as table:
        parse_config(f'[[imports]]\nfolder = "a"\nrating_scale = {scale}\n', "/srv/hirepulse/hirepulse.toml")
    assert str(table.value).startswith("/srv/hirepulse/hirepulse.toml:3: rating_scale: ")
    problem = str(table.value).split("rating_scale: ", 1)[1]
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY_A, encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["import", str(path), "--check", "--rating-scale", scale])
    assert info.value.code == 2
    assert capsys.readouterr().err.startswith(f"hirepulse import: error: argument --rating-scale: {problem} (see ")


def test_an_imports_table_names_stages_as_the_command_line_does() -> None:
    # "--stage 'Face to Face'" works on the command line, so the same words work in the table
    (entry,) = parse_config('[[imports]]\nfolder = "a"\nstage = "Face to Face"\n'
                            'stage_values = { "HM Review" = "Phone Screen", "Day One" = "onboarding" }\n',
                            "/srv/hirepulse/hirepulse.toml").imports
    assert entry.stage == "interview"
    assert entry.stage_values == {"HM Review": "screening", "Day One": "onboarding"}


def test_an_imports_folder_is_read_from_the_config_files_folder() -> None:
    (entry,) = parse_config('[[imports]]\nfolder = "exports/survey"\npattern = "*.xlsx"\nrating_scale = 5\n',
                            "/srv/hirepulse/hirepulse.toml").imports
    assert (entry.folder, entry.pattern, entry.source, entry.rating_scale, entry.schedule) == (
        Path("/srv/hirepulse/exports/survey"), "*.xlsx", "import", 5.0, "0 * * * *")


def test_check_with_no_file_says_what_each_new_file_would_give(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config_path = config(tmp_path)
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "a.csv", SURVEY_A + SURVEY_A.splitlines()[1] + "\n")   # the same answer twice: merged, said
    drop(tmp_path, "c.csv", BAD)
    monkeypatch.delenv("HIREPULSE_SALT")   # stores nothing: no salt, and no database file made
    assert main(["import", "--check", "--db", str(db_path), "--config", str(config_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("drop: 2 new files to import, 0 read before; nothing stored (--check)\n"
                          "  a.csv: 2 rows, 1 row repeats an earlier row (the last kept)\n"
                          "    text          <- comment\n"
                          "    published_at  <- submitted: 2025-06-03 to 2025-06-03\n"
                          "    stage         <- step: interview 2\n"
                          '    company       <- company = "Brightwater"\n')
    assert "  would be refused: " in out and "unknown stage 'Coffee Chat'" in out
    assert not db_path.exists()


def test_a_refused_file_is_read_again_once_its_tables_options_change(tmp_path: Path) -> None:
    db_path = tmp_path / "h.duckdb"
    entry = load_config(config(tmp_path)).imports[0]
    drop(tmp_path, "c.csv", BAD)
    refused = import_folder(db_path, entry, salt="s")
    assert [p.name for p, _ in refused.refused] == ["c.csv"]
    assert import_folder(db_path, load_config(config(tmp_path)).imports[0], salt="s").seen == 1   # unchanged: not again
    # the team names the step in the table: the same file is read again, and stored
    fixed = load_config(config(tmp_path, 'stage_values = { "Coffee Chat" = "screening" }\n')).imports[0]
    read = import_folder(db_path, fixed, salt="s")
    assert [p.name for p, _, _ in read.imported] == ["c.csv"] and read.refused == ()
    assert stored(db_path) == [("survey", "Brightwater", "screening", "Fine.")]
    # once stored, a later change of the table does not read it again (re-reading every file on each edit)
    assert import_folder(db_path, load_config(config(tmp_path, 'rating_scale = 5\n')).imports[0], salt="s").seen == 1


def test_status_names_the_watched_folders_the_refused_files_and_the_alerts(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config_path = config(tmp_path, '\n[alerts]\nwebhook_env = "TEST_ALERT_WEBHOOK"\n')
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "c.csv", BAD)
    assert main(["import", "--db", str(db_path), "--config", str(config_path)]) == 1
    capsys.readouterr()
    monkeypatch.delenv("TEST_ALERT_WEBHOOK", raising=False)
    assert main(["status", "--db", str(db_path), "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "  watched folder drop (every export file, cron 0 * * * *)\n" in out
    assert "  refused, waiting for a fix: c.csv (survey, " in out
    assert "  alerts: TEST_ALERT_WEBHOOK is not set, so alerts go to the log only\n" in out
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", "https://hooks.example/services/secret-path")
    assert main(["status", "--db", str(db_path), "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "  alerts: to the webhook in TEST_ALERT_WEBHOOK\n" in out and "secret-path" not in out


def test_a_folder_read_whose_analysis_met_a_busy_database_is_analysed_by_the_retry(tmp_path: Path, monkeypatch,
                                                                                     caplog) -> None:
    from hirepulse import db
    from hirepulse.scheduler import run_forever
    from test_collect_support import Holder, wait_for

    cfg = load_config(config(tmp_path))
    db_path = tmp_path / "h.duckdb"
    drop(tmp_path, "a.csv", SURVEY_A)
    jobs = _schedule_jobs(cfg, db_path, [], salt="s")
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT", 0.5)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRIES", 100)
    monkeypatch.setattr("hirepulse.scheduler.BUSY_RETRY_SECONDS", 0.2)
    holders: list[Holder] = []

    class TakeTheFile(logging.Handler):
        """Another process takes the database once the file is stored, before its analysis."""

        def emit(self, record: logging.LogRecord) -> None:
            if "1 new file imported" in record.getMessage() and not holders:
                holders.append(Holder(db_path))

    hook = TakeTheFile()
    logging.getLogger("hirepulse").addHandler(hook)
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(jobs,), kwargs={
        "every": 3600, "stop": stop, "handle_signals": False})
    try:
        with caplog.at_level(logging.INFO):
            thread.start()
            assert wait_for(lambda: any("retry 1 of 100" in r.getMessage() for r in list(caplog.records)))
            holders[0].release()
            assert wait_for(lambda: any(r.getMessage().startswith("job import:drop finished")
                                        for r in list(caplog.records)))
            stop.set()
            thread.join(timeout=60)
    finally:
        stop.set()
        logging.getLogger("hirepulse").removeHandler(hook)
        for holder in holders:
            if holder.proc.poll() is None:
                holder.release()
    # the retry found no new file, and still analysed the one the busy database kept from its analysis
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM analysis").fetchone()[0] == 1
        assert con.execute("SELECT kind, status FROM runs ORDER BY id").fetchall() == [("import", "ok"),
                                                                                         ("analyze", "ok")]
