"""The `hirepulse` command as other tools use it: classify, report, demo, analyze, forget, purge, help."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from analysis.scoring import STAGES
from conftest import TEST_SALT
from hirepulse.cli import DEMO_SALT, build_parser, main

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
CLASSIFY_KEYS = {"id", "is_candidate_experience", "stages", "stage_sentiment", "sentiment", "themes", "consumer_link", "companies"}


def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a real subprocess (what scripts and cron see)."""
    return subprocess.run([sys.executable, "-m", "hirepulse.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


def query(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_verb_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    verbs = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - the registered verbs
    assert {"init", "import", "analyze", "classify", "report", "demo", "forget", "purge"} <= set(verbs)
    for verb in verbs:
        with pytest.raises(SystemExit) as info:
            main([verb, "--help"])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert f"usage: hirepulse {verb}" in out and "--db PATH" in out


def test_classify_contract_over_stdin_without_a_database(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "text": "I applied in March and never heard back from Brightwater."},
        {"id": "b", "text": "The interview panel was lovely, but then they ghosted me for six weeks."},
        {"id": None, "text": "Great tents, fast shipping."},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n\n"
    result = run_cli("classify", "--config", str(SAMPLE_CONFIG), stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", None]
    for record in out:
        assert set(record) == CLASSIFY_KEYS
        assert isinstance(record["is_candidate_experience"], bool) and isinstance(record["consumer_link"], bool)
        assert set(record["stages"]) <= set(STAGES)
        assert set(record["stage_sentiment"]) == set(record["stages"])
        assert all(-1 <= v <= 1 for v in record["stage_sentiment"].values())
        assert -1 <= record["sentiment"] <= 1
    assert out[0]["is_candidate_experience"] and out[0]["sentiment"] < 0
    assert out[0]["companies"] == ["Brightwater"]
    assert "interview" in out[1]["stages"] and "rejection" in out[1]["stages"]
    assert out[2]["is_candidate_experience"] is False
    assert not (tmp_path / "data").exists()  # no database was created in the working folder


def test_classify_adds_how_sure_each_tone_reading_is_only_when_asked() -> None:
    from analysis.scoring import score_texts

    texts = ["Ghosted after the final round, six weeks and counting.", "Fine I guess."]
    stdin = "".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in enumerate(texts))
    asked = run_cli("classify", "--config", str(SAMPLE_CONFIG), "--confidence", stdin=stdin)
    plain = run_cli("classify", "--config", str(SAMPLE_CONFIG), stdin=stdin)
    assert asked.returncode == 0 and plain.returncode == 0, asked.stderr + plain.stderr
    with_it = [json.loads(line) for line in asked.stdout.splitlines()]
    without = [json.loads(line) for line in plain.stdout.splitlines()]
    assert all(set(r) == CLASSIFY_KEYS for r in without)  # the contract's line, unchanged by default
    assert [{k: v for k, v in r.items() if k != "sentiment_confidence"} for r in with_it] == without
    expected = [r.sentiment_confidence for r in score_texts(texts, companies=[])]
    assert [r["sentiment_confidence"] for r in with_it] == expected and all(0 < c <= 1 for c in expected)


def test_classify_reads_each_lines_rating_on_the_scale_it_is_given() -> None:
    polite = "The recruiter was friendly and the interview was well organised."
    stdin = "".join(json.dumps(line) + "\n" for line in (
        {"id": 1, "text": polite, "rating": 1}, {"id": 2, "text": polite, "rating": None}, {"id": 3, "text": polite}))
    rated = run_cli("classify", "--rating-scale", "5", stdin=stdin)
    plain = run_cli("classify", stdin=stdin)
    assert rated.returncode == 0 and plain.returncode == 0, rated.stderr + plain.stderr
    read = [json.loads(line) for line in rated.stdout.splitlines()]
    assert [r["sentiment"] > 0 for r in read] == [False, True, True]   # one star: a negative post; none: the words
    assert all(set(r) == CLASSIFY_KEYS for r in read)
    assert all(json.loads(line)["sentiment"] > 0 for line in plain.stdout.splitlines())   # no scale: ignored
    for bad in ('"1"', "6", "true", "-1"):
        wrong = run_cli("classify", "--rating-scale", "5", stdin=f'{{"id": 1, "text": "ok"}}\n{{"id": 2, "text": "ok", '
                                                               f'"rating": {bad}}}\n')
        assert wrong.returncode == 1 and wrong.stdout == ""
        assert wrong.stderr == (f'hirepulse: error: line 2: "rating" {bad} is not a number from 0 to 5, '
                                "the --rating-scale, nor a verdict (positive, neutral, negative); nothing written\n")


def test_classify_reads_a_verdict_word_as_the_rating_with_or_without_a_scale() -> None:
    polite = "The recruiter was friendly and the interview was well organised."
    stdin = "".join(json.dumps(line) + "\n" for line in (
        {"id": 1, "text": polite, "rating": "Negative"}, {"id": 2, "text": polite, "rating": "neutral experience"},
        {"id": 3, "text": polite, "rating": 1}, {"id": 4, "text": polite, "rating": "meh"}))
    plain = run_cli("classify", stdin=stdin)   # a number and an unknown word without a scale: not read, as before
    assert plain.returncode == 0, plain.stderr
    read = [json.loads(line) for line in plain.stdout.splitlines()]
    assert read[0]["sentiment"] < -0.05 and read[1]["sentiment"] == 0.0 and read[2]["sentiment"] > 0 and read[3] == {
        **read[2], "id": 4}
    assert all(set(r) == CLASSIFY_KEYS for r in read)
    scaled = run_cli("classify", "--rating-scale", "5", stdin=stdin)   # with one, the number is read too; "meh" is
    assert scaled.returncode == 1 and scaled.stdout == ""                # neither a number nor a verdict
    assert scaled.stderr == ('hirepulse: error: line 4: "rating" "meh" is not a number from 0 to 5, the '
                             "--rating-scale, nor a verdict (positive, neutral, negative); nothing written\n")


def test_classify_reads_a_rating_in_words_or_with_its_own_scale() -> None:
    polite = "The recruiter was friendly and the interview was well organised."
    stdin = "".join(json.dumps(line) + "\n" for line in (
        {"id": 1, "text": polite, "rating": "Poor"}, {"id": 2, "text": polite, "rating": "1/5"},
        {"id": 3, "text": polite, "rating": "\u2605\u2606\u2606\u2606\u2606"}, {"id": 4, "text": polite, "rating": "Fair"},
        {"id": 5, "text": polite}))
    words = run_cli("classify", "--rating-words", "Poor,Fair,Good,Very good,Excellent", stdin=stdin)
    assert words.returncode == 0, words.stderr
    read = [json.loads(line) for line in words.stdout.splitlines()]
    assert [r["sentiment"] < -0.05 for r in read] == [True, True, True, True, False]
    assert all(set(r) == CLASSIFY_KEYS for r in read)
    plain = [json.loads(line) for line in run_cli("classify", stdin=stdin).stdout.splitlines()]
    assert [r["sentiment"] < -0.05 for r in plain] == [False, True, True, False, False]   # "1/5" names its scale
    for line, error in (({"id": 1, "text": "ok", "rating": "Average"}, '"rating" "Average" is not one of '
                                                                       "--rating-words (Poor, Fair, Good, Very good, "
                                                                       "Excellent)"),
                        ({"id": 1, "text": "ok", "rating": "6/5"}, '"rating" "6/5" is not a score from 0 to its scale'),
                        # a scale of more digits than a float holds is infinite, no scale (as an import reads it)
                        ({"id": 1, "text": "ok", "rating": "4/" + "9" * 400},
                         f'"rating" "4/{"9" * 400}" is not a score from 0 to its scale')):
        wrong = run_cli("classify", "--rating-words", "Poor,Fair,Good,Very good,Excellent", stdin=json.dumps(line))
        assert wrong.returncode == 1 and wrong.stdout == ""
        assert wrong.stderr == f"hirepulse: error: line 1: {error}; nothing written\n"


def test_classify_reads_past_a_byte_order_mark_opening_stdin() -> None:
    # PowerShell 5 pipes UTF-8 with a byte-order mark; only the stream's first character can be one
    plain = run_cli("classify", stdin='{"id": "a", "text": "Ghosted after the final round."}\n')
    marked = run_cli("classify", stdin='\ufeff{"id": "a", "text": "Ghosted after the final round."}\n')
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout == plain.stdout and json.loads(marked.stdout)["id"] == "a"
    later = run_cli("classify", stdin='{"id": 1, "text": "ok"}\n\ufeff{"id": 2, "text": "ok"}\n')
    assert later.returncode == 1 and "error: line 2: not valid JSON" in later.stderr


@pytest.mark.parametrize(
    ("stdin", "said"),
    [
        ('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n', "line 2: not valid JSON (Expecting value)"),
        ('{"text": "no id"}\n', 'line 1: each line must be a JSON object {"id": ..., "text": "..."}: no "id"'),
        ('{"id": 3, "text": 5}\n', 'line 1: each line must be a JSON object {"id": ..., "text": "..."}: "text" is number, '
                                   'not a string'),
        ('{"id": 4, "text": "ok"}\n{"id": 5}\n', 'line 2: each line must be a JSON object {"id": ..., "text": "..."}: '
                                                 'no "text"'),
        ('["id", "text"]\n', 'line 1: each line must be a JSON object {"id": ..., "text": "..."}, not a JSON array'),
        # a bad line after many good ones (more than a batch): still nothing written, the line counted with the
        # blank lines before it
        ('{"id": 1, "text": "Ghosted after the final round."}\n' * 30 + "\n" + '{"id": 31}\n',
         'line 32: each line must be a JSON object {"id": ..., "text": "..."}: no "text"'),
    ],
)
def test_classify_bad_input_is_one_line_and_writes_nothing(stdin: str, said: str) -> None:
    result = run_cli("classify", "--batch-size", "10", stdin=stdin)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"hirepulse: error: {said}; nothing written\n"


def test_demo_no_app_prints_counts_and_builds_an_analysed_database(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.duckdb"
    result = run_cli("demo", "--no-app", "--db", str(db_path), env={"PATH": "", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "imported reviews_export.csv" in result.stdout and "mentions stored" in result.stdout
    mentions, analysed = query(db_path, "SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM analysis)")[0]
    assert mentions >= 1500 and analysed == mentions
    companies = {r[0] for r in query(db_path, "SELECT DISTINCT company FROM mentions WHERE company IS NOT NULL")}
    assert companies == {"Brightwater", "Cobalt Outfitters", "Fernhill Market"}  # aliases resolved to names
    assert f"{mentions:,} mentions stored" in result.stdout
    again = run_cli("demo", "--no-app", "--db", str(db_path), env={"PATH": "", "HOME": str(tmp_path)})
    assert again.returncode == 0 and "analysed 0 mentions" in again.stdout
    assert query(db_path, "SELECT count(*) FROM mentions")[0][0] == mentions


def test_report_writes_the_contract_csvs_and_spikes(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["mentions.csv", "spikes.csv", "stage_summary.csv", "summary.md",
                                                     "themes.csv", "weekly_trend.csv"]
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    total = query(sample_db, "SELECT count(*) FROM mentions")[0][0]
    assert len(rows) == total
    for column in ("id", "source", "url", "company", "published_at", "text", "is_candidate_experience", "stages",
                   "sentiment", "themes", "consumer_link", "stage_sentiment"):
        assert column in rows[0]
    assert len({r["id"] for r in rows}) == total
    with (out / "stage_summary.csv").open(encoding="utf-8") as fh:
        stages = list(csv.DictReader(fh))
    assert {r["stage"] for r in stages} == set(STAGES)
    brightwater = [r for r in stages if r["company"] == "Brightwater"]
    assert [r["stage"] for r in brightwater] == [s for s in STAGES if s in {r["stage"] for r in brightwater}]


MENTIONS_CSV_COLUMNS = ["id", "source", "url", "company", "published_at", "kind", "title", "text", "is_candidate_experience",
                        "stages", "stage_sentiment", "sentiment", "themes", "consumer_link", "companies_named",
                        "stage_hint", "rating", "analyzer_version"]   # read by position: new columns go after these


def test_report_mentions_csv_ends_with_how_sure_each_tone_reading_is_and_the_rating_scale(sample_db: Path,
                                                                                          tmp_path: Path) -> None:
    con = duckdb.connect(str(sample_db))
    try:   # one row as analysed before 2.80: no confidence stored
        old = con.execute("UPDATE analysis SET sentiment_confidence = NULL WHERE mention_id = "
                          "(SELECT min(mention_id) FROM analysis) RETURNING mention_id").fetchone()[0]
        stored = dict(con.execute("SELECT mention_id, sentiment_confidence FROM analysis").fetchall())
    finally:
        con.close()
    out = tmp_path / "out"
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == [*MENTIONS_CSV_COLUMNS, "sentiment_confidence", "rating_scale"]
    # the sample's reviews and survey answers were imported on a 1-5 scale (manifest.toml); nothing else rates
    rating, scale = header.index("rating"), header.index("rating_scale")
    assert {(row[1], row[rating] != "", row[scale]) for row in rows} == {
        ("reviews", True, "5"), ("survey", True, "5"), ("forum", False, ""), ("social", False, ""), ("news", False, "")}
    cells = {row[0]: row[-2] for row in rows}
    assert len(cells) == len(stored) and cells[old] == ""
    assert {mid: float(cell) for mid, cell in cells.items() if mid != old} == {
        mid: value for mid, value in stored.items() if mid != old}
    assert all(0 <= float(cell) <= 1 for mid, cell in cells.items() if mid != old)
    assert len({cell for cell in cells.values()}) > 10        # real readings, not one constant


def test_report_numbers_are_never_negative_zero_and_whole_counts_have_no_point_zero(sample_db: Path,
                                                                                    tmp_path: Path) -> None:
    from analysis.reports import WHOLE_NUMBER_COLUMNS

    # the sample holds posts whose stored sentiment is -0.0 (as the analyzer computed it)
    assert query(sample_db, "SELECT count(*) FROM analysis WHERE sentiment = 0 AND CAST(sentiment AS VARCHAR) = "
                            "'-0.0'")[0][0] > 0
    out = tmp_path / "out"
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--until", "2026-03-08"]) == 0
    negative_zero = re.compile(r"(?:^|[=;(])-0(?:\.0+)?(?:$|[;)])")
    seen: dict[str, set[str]] = {}
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        for row in rows:
            for column, cell in zip(header, row):
                assert not negative_zero.search(cell), (path.name, column, cell)
                if column in WHOLE_NUMBER_COLUMNS and cell:
                    seen.setdefault(column, set()).add(cell)
                    assert float(cell) != int(float(cell)) or "." not in cell, (path.name, column, cell)
    # whole values written whole: the sample's 1-5 star ratings on a scale of 5; a usual volume may be 2.9
    assert seen["rating"] == {"1", "2", "3", "4", "5"} and seen["rating_scale"] == {"5"}
    assert any("." in cell for cell in seen["baseline"])
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as fh:
        sentiments = [row["sentiment"] for row in csv.DictReader(fh)]
    assert "0.0" in sentiments and all(float(s) == float(s) for s in sentiments)


def test_report_lists_spike_weeks_and_says_which_are_new(sample_db: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.reports import SPIKE_COLUMNS

    out = tmp_path / "out"
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--until", "2026-03-08"]) == 0
    said = capsys.readouterr().out
    with (out / "spikes.csv").open(encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == list(SPIKE_COLUMNS)
    spikes = [dict(zip(header, row)) for row in rows]
    weeks = [s["week"] for s in spikes]
    assert all(w <= "2026-03-08" for w in weeks) and weeks == sorted(weeks)
    # the sample's February ghosting wave, checked against counts made here: the week's candidate posts (with a
    # stage, as the Trends view counts them) against the mean of the eight weeks before it
    wave = next(s for s in spikes
                if s["company"] == "Brightwater" and s["stage"] == "all" and s["week"][:7] == "2026-02")
    weekly = dict(query(sample_db, "SELECT CAST(date_trunc('week', published_at) AS DATE), count(*) FROM facts "
                                   "WHERE company = 'Brightwater' AND is_candidate_experience AND len(stages) > 0 "
                                   "GROUP BY 1"))
    week = date.fromisoformat(wave["week"])
    before = [weekly.get(week - timedelta(weeks=k), 0) for k in range(1, 9)]
    assert int(wave["mentions"]) == weekly[week] >= 8
    assert float(wave["baseline"]) == pytest.approx(sum(before) / 8, abs=0.0501)   # (to one place)
    assert int(wave["mentions"]) > float(wave["threshold"]) > float(wave["baseline"])
    assert wave["stage_label"] == "All candidate experiences" and wave["top_themes"].startswith("ghosting (")
    # the terminal says which spikes are new: those from the Monday two weeks before the last week on
    assert "spikes since the week of 2026-02-16 (to 2026-03-08)" in said
    assert f"  Brightwater, week of {wave['week']}: All candidate experiences, {wave['mentions']} posts" in said
    assert said.count("  Brightwater, week of ") == sum(s["week"] >= "2026-02-16" for s in spikes) > 0
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--until", "2026-02-08"]) == 0
    assert "no spike since the week of 2026-01-19 (to 2026-02-08)" in capsys.readouterr().out


def test_report_summary_says_what_changed_per_company(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--company", "Brightwater",
                 "--since", "2026-01-01", "--until", "2026-03-31"]) == 0
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# hirepulse summary\n\n1 Jan 2026 – 31 Mar 2026, compared with 3 Oct 2025 – 31 Dec 2025\n")
    assert text.count("\n## ") == 1 and "\n## Brightwater\n" in text
    # the volume sentence, against counts made here
    now, before = (query(sample_db, "SELECT count(*) FROM facts WHERE company = 'Brightwater' AND published_at >= "
                                    f"TIMESTAMPTZ '{a}' AND published_at < TIMESTAMPTZ '{b}'")[0][0]
                   for a, b in (("2026-01-01", "2026-04-01"), ("2025-10-03", "2026-01-01")))
    assert f"\n- Mentions rose {round(100 * (now - before) / before)}%, from {before} to {now}.\n" in text
    assert "\n- Spikes in " in text and "(Trends and spikes says what drove it)" in text

    # no dates: the 13 weeks the dashboard opens with, up to the newest post; every company with posts then
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    text = (out / "summary.md").read_text(encoding="utf-8")
    first, last = query(sample_db, "SELECT CAST(min(published_at) AS DATE), CAST(max(published_at) AS DATE) "
                                   "FROM mentions")[0]
    since = max(first, last - timedelta(days=90))
    assert text.splitlines()[2].startswith(f"{since.day} {since:%b %Y} – {last.day} {last:%b %Y}, compared with ")
    named = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert named == [r[0] for r in query(sample_db, "SELECT DISTINCT company FROM facts WHERE company IS NOT NULL "
                                                    f"AND published_at >= TIMESTAMPTZ '{since}' ORDER BY 1")]


def test_report_summary_says_one_post_and_two_posts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    posts = tmp_path / "posts.csv"
    posts.write_text('text,published_at,company\n'
                     '"I applied to Acme in March, had two interviews, and then they ghosted me. Never heard back.",'
                     '2026-03-02,Acme\n"The Acme store downtown has great coffee.",2026-03-03,Acme\n', encoding="utf-8")
    assert main(["import", str(posts), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["analyze", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("analysed 2 mentions with analyzer ")
    posts.write_text("text,published_at,company\nThe Acme store is closed on Sundays.,2026-03-04,Acme\n", encoding="utf-8")
    assert main(["import", str(posts), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["analyze", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("analysed 1 mention with analyzer ")
    out = tmp_path / "out"
    assert main(["report", "--db", str(db_path), "--out", str(out), "--until", "2026-03-03"]) == 0
    said = (out / "summary.md").read_text(encoding="utf-8").split("## Acme\n\n")[1].splitlines()
    assert said[:2] == ["- 2 mentions; no earlier data to compare with.",
                        "- Most common complaint: No response / ghosting (1 post)."]
    assert main(["report", "--db", str(db_path), "--out", str(out), "--until", "2026-03-02"]) == 0
    said = (out / "summary.md").read_text(encoding="utf-8").split("## Acme\n\n")[1].splitlines()
    assert said[0] == "- 1 mention; no earlier data to compare with."


def test_report_of_an_unknown_company_or_an_empty_period_says_so(sample_db: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    # a name typed in another case is the stored company's
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--company", "brightwater"]) == 0
    assert not capsys.readouterr().err
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "## Brightwater\n" in summary and "No mentions in this period" not in summary
    # a name neither stored nor configured is a typo: one line, exit 1, no report written
    typo = tmp_path / "typo"
    assert main(["report", "--db", str(sample_db), "--out", str(typo), "--company", "Brightwatr"]) == 1
    assert capsys.readouterr().err == (
        "hirepulse: error: --company: no company 'Brightwatr' is stored or configured "
        "(stored: Brightwater, Cobalt Outfitters, Fernhill Market)\n")
    assert not typo.exists()
    # a configured company with nothing stored yet (a new install): empty reports, and a note that says why
    config = tmp_path / "hirepulse.toml"
    config.write_text('[[companies]]\nname = "Newco"\n', encoding="utf-8")
    assert main(["report", "--db", str(sample_db), "--config", str(config), "--out", str(out),
                 "--company", "newco"]) == 0
    assert capsys.readouterr().err.strip() == (
        "hirepulse: note: no stored mention is of company 'Newco' yet, so the reports are empty "
        "(stored: Brightwater, Cobalt Outfitters, Fernhill Market)")
    assert (out / "summary.md").read_text(encoding="utf-8").endswith("## Newco\n\n- No mentions in this period.\n")
    # a --since after the newest post: an empty period, not one that ends before it starts
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--since", "2030-01-01"]) == 0
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "1 Jan 2030 – 1 Jan 2030, compared with 31 Dec 2029 – 31 Dec 2029"
    assert text.endswith("No mentions in this period.\n") and not capsys.readouterr().err


def test_report_into_a_path_it_cannot_write_is_one_line(sample_db: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "reports"
    taken.write_text("a file where the folder should be", encoding="utf-8")
    assert main(["report", "--db", str(sample_db), "--out", str(taken)]) == 1
    assert capsys.readouterr().err == f"hirepulse: error: --out: {taken} is a file, not a folder\n"
    assert taken.read_text(encoding="utf-8") == "a file where the folder should be"
    # a folder under that file: the file named, not the folder that cannot be made
    assert main(["report", "--db", str(sample_db), "--out", str(taken / "weekly")]) == 1
    assert capsys.readouterr().err == f"hirepulse: error: --out: {taken} is a file, not a folder\n"
    # the config's out_dir, when --out is not given, is named as the config's
    config = tmp_path / "hirepulse.toml"
    config.write_text('[reports]\nout_dir = "reports"\n', encoding="utf-8")
    assert main(["report", "--db", str(sample_db), "--config", str(config)]) == 1
    assert capsys.readouterr().err == f"hirepulse: error: [reports] out_dir: {taken} is a file, not a folder\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hirepulse-report")] == []


def test_a_folder_in_the_place_of_a_report_file_leaves_the_last_reports_as_they_were(
        sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.reports import REPORT_FILES

    out = tmp_path / "reports"
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    last = {name: (out / name).read_bytes() for name in REPORT_FILES[:-1]}
    (out / REPORT_FILES[-1]).unlink()
    (out / REPORT_FILES[-1]).mkdir()   # (the last one renamed into place: the others would already be new)
    capsys.readouterr()
    assert main(["report", "--db", str(sample_db), "--out", str(out), "--since", "2030-01-01"]) == 1
    assert {name: (out / name).read_bytes() for name in REPORT_FILES[:-1]} == last
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)   # (no staging folder left)
    assert capsys.readouterr().err == (f"hirepulse: error: --out: cannot write the reports into {out}: a folder has "
                                       f"the name of a report file ({out / REPORT_FILES[-1]})\n")


def test_scheduled_report_warns_of_new_spikes_in_its_log(sample_db: Path, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from hirepulse import db

    with db.connect(sample_db) as con:   # the data as it stood in the sample's February ghosting wave
        later = [r[0] for r in con.execute(
            "SELECT id FROM mentions WHERE published_at >= TIMESTAMPTZ '2026-03-09'").fetchall()]
        assert db.delete_mentions(con, later) == len(later) > 0
        # posts imported by a cron `hirepulse import` and not analysed since: the report reads them first
        unread = [r[0] for r in con.execute("SELECT mention_id FROM analysis ORDER BY 1 LIMIT 30").fetchall()]
        con.execute("DELETE FROM analysis_stages WHERE list_contains(?, mention_id)", [unread])
        con.execute("DELETE FROM analysis WHERE list_contains(?, mention_id)", [unread])
        db.mark_facts_stale(con)
    report = _report_job(sample_db, tmp_path, tmp_path / "reports")
    with caplog.at_level(logging.INFO, logger="hirepulse"):
        report.func(lambda: False)
    (folder,) = (tmp_path / "reports").iterdir()              # today's dated folder
    assert (folder / "spikes.csv").read_text(encoding="utf-8").count("\n") > 1
    with (folder / "mentions.csv").open(encoding="utf-8") as fh:
        assert {r["id"] for r in csv.DictReader(fh)} >= set(unread)
    assert "analysed 30 mentions" in caplog.messages
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned[0] == ("report: spikes since the week of 2026-02-16 (to 2026-03-08); every spike is in "
                         f"{folder / 'spikes.csv'}:")
    assert any(m.startswith("report: Brightwater, week of 2026-02-16: All candidate experiences, ") for m in warned)


def _report_job(sample_db: Path, tmp_path: Path, out_dir: Path):
    """The scheduler's weekly report job over the analysed sample, writing into ``out_dir``."""
    from hirepulse.cli import _schedule_jobs
    from hirepulse.config import load_config

    config_path = tmp_path / "hirepulse.toml"
    reports = f'out_dir = "{out_dir.as_posix()}"\nschedule = "0 6 * * 1"'
    config_path.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace('out_dir = "reports"', reports),
                           encoding="utf-8")
    return next(j for j in _schedule_jobs(load_config(config_path), sample_db, [], salt="s") if j.name == "report")


def test_a_scheduled_report_it_cannot_write_is_one_line_in_the_log(sample_db: Path, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from hirepulse.scheduler import run_once

    (tmp_path / "shared").write_text("a file where the reports' folder should be", encoding="utf-8")
    report = _report_job(sample_db, tmp_path, tmp_path / "shared" / "reports")
    with caplog.at_level(logging.INFO, logger="hirepulse"):
        outcome = run_once([report])
    said = outcome["report"]   # (today's dated folder in it, which cannot be made)
    assert said is not None and said.startswith(f"cannot create {tmp_path / 'shared' / 'reports'}/") and said.endswith(
        f": {tmp_path / 'shared'} is a file, not a folder"), said
    (failed,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failed.getMessage().startswith("job report failed after ") and failed.getMessage().endswith(f"s: {said}")
    assert failed.exc_info is None   # (no traceback under it)


def test_report_filters_by_company_and_dates(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["report", "--db", str(sample_db), "--out", str(out), "--company", "Fernhill Market",
                 "--since", "2026-01-01", "--until", "2026-03-31"])
    assert code == 0
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["company"] for r in rows} == {"Fernhill Market"}
    assert all("2026-01-01" <= r["published_at"][:10] <= "2026-03-31" for r in rows)
    with (out / "weekly_trend.csv").open(encoding="utf-8") as fh:
        weeks = list(csv.DictReader(fh))
    assert weeks and all("2025-12-29" <= w["week"] <= "2026-03-31" for w in weeks)


def test_report_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "evil.csv"
    path.write_text('text,published_at,url,company\n"=HYPERLINK(""http://x.example"",""click"")",2025-05-01,@SUM(A1),+Acme\n'
                    '-2+3 interview went fine,2025-05-02,https://ok.example/1,Acme\n', encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    out = tmp_path / "out"
    assert main(["report", "--db", str(db_path), "--out", str(out)]) == 0
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        rows = {r["url"]: r for r in csv.DictReader(fh)}
    evil = rows["'@SUM(A1)"]
    assert evil["text"].startswith("'=HYPERLINK(") and evil["company"] == "'+Acme"
    assert rows["https://ok.example/1"]["text"] == "'-2+3 interview went fine"
    for row in rows.values():
        for value in row.values():
            assert not value or value[0] not in "=+@" or value.startswith("'")
        float(row["sentiment"])  # numbers stay numbers


def test_report_on_a_missing_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no database at" in err
    assert not (tmp_path / "o").exists()


def test_analyze_rescores_only_what_an_older_analyzer_version_scored(sample_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import analysis.pipeline as pipeline

    assert main(["analyze", "--db", str(sample_db)]) == 0
    assert "analysed 0 mentions" in capsys.readouterr().out
    con = duckdb.connect(str(sample_db))
    con.execute("UPDATE analysis SET analyzer_version = 'old' WHERE mention_id IN (SELECT mention_id FROM analysis ORDER BY 1 LIMIT 25)")
    con.close()
    assert main(["analyze", "--db", str(sample_db)]) == 0
    assert "analysed 25 mentions" in capsys.readouterr().out
    monkeypatch.setattr(pipeline, "ANALYZER_VERSION", "9.9+lex.test")
    assert main(["analyze", "--db", str(sample_db)]) == 0
    total = query(sample_db, "SELECT count(*) FROM mentions")[0][0]
    assert f"analysed {total:,} mentions" in capsys.readouterr().out
    assert query(sample_db, "SELECT DISTINCT analyzer_version FROM analysis") == [("9.9+lex.test",)]


def test_forget_and_purge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at,author\nghosted,2020-01-01,@Old\nfast offer,2099-01-01,@Sam\nkind panel,2099-01-02,sam\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert main(["forget", "--author", "SAM", "--db", str(db_path)]) == 0
    assert "deleted 2 mentions" in capsys.readouterr().out
    assert main(["purge", "--older-than", "365", "--db", str(db_path)]) == 0
    assert "deleted 1 mention older than 365 days" in capsys.readouterr().out
    assert query(db_path, "SELECT count(*) FROM mentions")[0][0] == 0
    assert main(["purge", "--db", str(db_path)]) == 1
    assert "retention_days" in capsys.readouterr().err


def test_forget_erases_posts_named_by_url_or_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("id,text,published_at,url\n"
                    "a,Ghosted after the final round,2099-01-01,https://forum.example/t/1\n"
                    "b,Fast offer,2099-01-02,https://forum.example/t/2/\n"
                    "c,Kind panel,2099-01-03,https://forum.example/t/3\n"
                    "d,Slow paperwork,2099-01-04,\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    ids = dict(query(db_path, "SELECT native_id, id FROM mentions"))
    capsys.readouterr()
    # a URL with or without its closing slash, as the request gives it
    assert main(["forget", "--url", "https://forum.example/t/1/", "https://forum.example/t/2", "--db", str(db_path)]) == 0
    said, rewrote = capsys.readouterr().out.splitlines()
    assert said == "deleted 2 mentions of the 2 posts named (and their analysis)"
    assert rewrote.startswith(f"rewrote {db_path} so that no trace of what was deleted is left in it (")
    # the options that choose among an author's accounts are refused with a post named, not ignored
    for option in (["--source", "reddit"], ["--all-matches"]):
        assert main(["forget", "--id", ids["d"], *option, "--db", str(db_path)]) == 1
        assert f"{option[0]}: goes with --author, not with --url or --id" in capsys.readouterr().err
    assert main(["forget", "--id", ids["d"], "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "deleted 1 mention of the 1 post named (and their analysis)"
    assert query(db_path, "SELECT native_id FROM mentions") == [("c",)]
    assert query(db_path, "SELECT count(*) FROM analysis") == [(1,)]
    assert main(["forget", "--url", "https://forum.example/t/9", "--db", str(db_path)]) == 0
    assert "deleted 0 mentions" in capsys.readouterr().out
    # one way to name what to forget
    with pytest.raises(SystemExit):
        main(["forget", "--url", "https://forum.example/t/3", "--author", "sam", "--db", str(db_path)])
    assert "not allowed with argument" in capsys.readouterr().err
    assert main(["forget", "--id", " ", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == "hirepulse: error: --id: empty value\n"
    assert query(db_path, "SELECT native_id FROM mentions") == [("c",)]


def test_a_repeated_forget_flag_adds_to_the_values_before_it(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("id,text,published_at,author,url\n"
                    "a,Ghosted after the final round,2099-01-01,sam,https://forum.example/t/1\n"
                    "b,Fast offer,2099-01-02,lee,https://forum.example/t/2\n"
                    "c,Kind panel,2099-01-03,kim,\n"
                    "d,Slow paperwork,2099-01-04,ana,\n"
                    "e,Fair offer,2099-01-05,joe,\n"
                    "f,Long silence,2099-01-06,eve,\n"
                    "g,Good onsite,2099-01-07,max,\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    ids = dict(query(db_path, "SELECT native_id, id FROM mentions"))
    capsys.readouterr()
    assert main(["forget", "--url", "https://forum.example/t/1", "--url", "https://forum.example/t/2",
                 "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("deleted 2 mentions of the 2 posts named")
    assert main(["forget", "--id", ids["c"], "--id", ids["d"], "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("deleted 2 mentions of the 2 posts named")
    assert main(["forget", "--author", "joe", "--author", "eve", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("deleted 2 mentions")
    assert query(db_path, "SELECT native_id FROM mentions") == [("g",)]


def test_an_erased_post_does_not_come_back_under_another_author_spelling_or_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    long = "Acme recruiter ghosted me after the panel and never wrote back"
    path.write_text(f"date,author,text\n2026-02-01,Jane Doe,{long}\n2026-02-01,Jane Doe,Great interview\n"
                    "2026-02-02,Other Person,Acme was fine\n", encoding="utf-8")
    assert main(["import", str(path), "--company", "Acme", "--db", str(db_path)]) == 0
    assert main(["forget", "--author", "Jane Doe", "--db", str(db_path)]) == 0
    capsys.readouterr()
    # the export again, the author spelled another way, then without its author column: her long post stays out;
    # a short text as common as "Great interview" is not remembered by its words, so another person's is stored
    path.write_text(f"date,author,text\n2026-02-01,Jane D.,{long}\n2026-02-01,Sam Roe,Great interview\n"
                    "2026-02-02,Other Person,Acme was fine\n", encoding="utf-8")
    assert main(["import", str(path), "--company", "Acme", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(
        "3 rows, 1 new, 0 updated, 1 already stored, 1 not stored (erased on request)")
    path.write_text(f"date,text\n2026-02-01,{long}\n", encoding="utf-8")
    assert main(["import", str(path), "--company", "Acme", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("1 row, 0 new, 0 updated, 0 already stored, "
                                                             "1 not stored (erased on request)")
    assert sorted(t for (t,) in query(db_path, "SELECT text FROM mentions")) == ["Acme was fine", "Great interview"]
    # the words are remembered by a salted key only
    kept = query(db_path, "SELECT key FROM erasures WHERE kind = 'content'")
    assert len(kept) == 1 and not any(w in kept[0][0] for w in ("Acme", "ghosted", "acme"))


def test_forget_url_finds_a_post_by_its_other_addresses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime, timezone

    from hirepulse import db
    from hirepulse.models import Mention

    db_path = tmp_path / "h.duckdb"
    posts = [("reddit", "t1_abc", "https://www.reddit.com/r/jobs/comments/abc/acme/"),
             ("mastodon", "https://mastodon.example/users/jane/statuses/11", "https://mastodon.example/@jane/11"),
             ("bluesky", "at://did:plc:jane0did/app.bsky.feed.post/3kone", "https://bsky.app/profile/jane.bsky.social/post/3kone"),
             ("bluesky", "at://did:plc:jane0did/app.bsky.feed.post/3ktwo", "https://bsky.app/profile/jane.bsky.social/post/3ktwo"),
             ("hackernews", "99", "https://news.ycombinator.com/item?id=99")]
    with db.connect(db_path) as con:
        db.upsert_mentions(con, [Mention(source=s, native_id=n, url=u, text=f"Acme interview {n}", author="someone",
                                         published_at=datetime(2025, 1, 1, tzinfo=timezone.utc)) for s, n, u in posts],
                           salt="test-salt-not-secret")
    capsys.readouterr()
    # no www and plain http; a status's ActivityPub address; a Bluesky link by the DID; the at:// URI
    assert main(["forget", "--url", "http://reddit.com/r/jobs/comments/abc/acme",
                 "https://mastodon.example/users/jane/statuses/11",
                 "https://bsky.app/profile/did:plc:jane0did/post/3kone",
                 "at://did:plc:jane0did/app.bsky.feed.post/3ktwo", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("deleted 4 mentions of the 4 posts named")
    assert query(db_path, "SELECT native_id FROM mentions") == [("99",)]
    # fetched again under either address, none comes back
    with db.connect(db_path) as con:
        again = Mention(source="reddit", native_id="t1_abc_moved", url="https://reddit.com/r/jobs/comments/abc/acme",
                        text="Acme", published_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
        assert db.upsert_mentions(con, [again], salt="test-salt-not-secret") == db.UpsertStats(erased=1)


def test_every_option_taking_several_values_may_be_repeated() -> None:
    """argparse's nargs="+" alone keeps only the last of a repeated flag's values: each such option must add."""
    subparsers = next(a for a in build_parser()._actions if a.choices and isinstance(a.choices, dict))
    several = [(verb, action) for verb, sub in subparsers.choices.items() for action in sub._actions
               if action.option_strings and action.nargs in ("+", "*")]
    assert several   # (the forget and import options at least)
    assert [(verb, a.option_strings[0]) for verb, a in several
            if type(a).__name__ not in ("_ExtendAction", "_AppendAction")] == []


def test_what_forget_erased_is_not_stored_again_by_a_later_import(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    rows = ("id,text,published_at,author,url\n"
            "a,Ghosted after the final round,2099-01-01,@sam,\n"
            "b,Fast offer,2099-01-02,lee,https://forum.example/t/2\n"
            "c,Kind panel,2099-01-03,kim,\n"
            "d,Slow paperwork,2099-01-04,ana,\n")
    path.write_text(rows, encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    ids = dict(query(db_path, "SELECT native_id, id FROM mentions"))
    assert main(["forget", "--author", "Sam", "--db", str(db_path)]) == 0
    assert main(["forget", "--url", "https://forum.example/t/2/", "--db", str(db_path)]) == 0
    assert main(["forget", "--id", ids["c"], "--db", str(db_path)]) == 0
    capsys.readouterr()
    # the nightly export comes again, with one more row by the erased author: none of the three comes back
    path.write_text(rows + "e,Another post,2099-01-05,SAM,\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(
        "5 rows, 0 new, 0 updated, 1 already stored, 4 not stored (erased on request)")
    assert query(db_path, "SELECT native_id FROM mentions") == [("d",)]
    # the request is remembered by salted keys of the author, ids and URL, never by the handle or the URL itself
    kept = query(db_path, "SELECT kind, key FROM erasures ORDER BY kind, key")
    # (Sam's post by its id too; the URL as given and normalised, db._URL_NORM_SQL)
    assert [kind for kind, _ in kept] == ["author", "id", "id", "id", "url", "url"]
    assert not any(v in key for _, key in kept for v in ("sam", "Sam", "forum.example", "import:"))
    # a fetch that brings one of them back (a collector's batch goes through the same upsert) stores nothing
    from hirepulse import db
    from datetime import datetime, timezone

    from hirepulse.models import Mention

    with db.connect(db_path) as con:
        again = Mention(source="import", native_id="b", url="https://forum.example/t/2", text="Fast offer",
                        published_at=datetime(2099, 1, 2, tzinfo=timezone.utc))
        assert db.upsert_mentions(con, [again], salt="test-salt-not-secret") == db.UpsertStats(erased=1)


def test_forget_author_remembers_the_posts_too_so_another_handle_does_not_bring_them_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    shared = "https://reviews.example/acme"   # (an export linking every review to the company's page)
    path.write_text("id,text,published_at,author,url\n"
                    "a,Ghosted after the final round,2099-01-01,sam,https://forum.example/t/1\n"
                    f"b,Kind panel,2099-01-02,kim,{shared}\n"
                    f"d,Slow paperwork,2099-01-04,sam,{shared}\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert main(["forget", "--author", "sam", "--db", str(db_path)]) == 0
    capsys.readouterr()
    # the account renamed (or the export now giving display names): the same posts, and a repost of an address;
    # others' posts at the shared address still come in
    path.write_text("id,text,published_at,author,url\n"
                    "a,Ghosted after the final round,2099-01-01,Sam Renamed,https://forum.example/t/1\n"
                    f"b,Kind panel,2099-01-02,kim,{shared}\n"
                    "c,Ghosted after the final round (again),2099-01-03,Sam Renamed,https://forum.example/t/1/\n"
                    f"d,Slow paperwork,2099-01-04,Sam Renamed,{shared}\n"
                    f"e,Fair offer,2099-01-05,lee,{shared}\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(
        "5 rows, 1 new, 0 updated, 1 already stored, 3 not stored (erased on request)")
    assert query(db_path, "SELECT native_id FROM mentions ORDER BY 1") == [("b",), ("e",)]
    kept = query(db_path, "SELECT kind, key FROM erasures ORDER BY kind")
    assert [kind for kind, _ in kept] == ["author", "id", "id", "url"]
    assert not any(v in key for _, key in kept for v in ("import:", "forum.example"))


def test_verbs_that_change_stored_data_refuse_a_missing_database(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.duckdb"
    for verb in (["forget", "--author", "sam"], ["forget", "--id", "x"], ["purge", "--older-than", "30"], ["analyze"]):
        assert main([*verb, "--db", str(missing)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"no database at {missing}: nothing to " in err, err
    assert not missing.exists()


def test_purge_bounds_its_days_and_status_shows_what_privacy_runs_deleted(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at,author\nghosted,2020-01-01,@Old\nfast offer,2099-01-01,@Sam\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["purge", "--older-than", "1000000", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == "hirepulse: error: --older-than: DAYS must be at most 36,500 (100 years)\n"
    assert main(["purge", "--older-than", "1", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "deleted 1 mention older than 1 day"
    assert main(["forget", "--author", "sam", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db_path)]) == 0
    runs = [line.split() for line in capsys.readouterr().out.splitlines() if " privacy " in line]
    assert [(r[2], r[5], r[6]) for r in runs] == [("forget", "1", "deleted"), ("purge", "1", "deleted")]


def test_the_demo_sample_and_a_teams_posts_are_not_mixed_without_a_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "demo.duckdb"
    assert main(["demo", "--no-app", "--db", str(demo)]) == 0
    capsys.readouterr()
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\nRecruiter ghosted me,2026-11-20\n", encoding="utf-8")
    # importing into the demo's database says what it mixes with, and refuses a salt other than the demo's
    assert main(["import", str(path), "--db", str(demo)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"hirepulse: warning: {demo} holds the synthetic demo sample (`hirepulse demo`)")
    assert err.endswith("written with the demo's salt: give your posts another --db)\n")
    monkeypatch.setenv("HIREPULSE_SALT", DEMO_SALT)
    assert main(["import", str(path), "--db", str(demo)]) == 0
    assert capsys.readouterr().err.startswith(f"hirepulse: warning: {demo} holds the synthetic demo sample")
    monkeypatch.setenv("HIREPULSE_SALT", TEST_SALT)
    assert main(["status", "--db", str(demo)]) == 0
    assert "(with the synthetic demo sample of `hirepulse demo`)" in capsys.readouterr().out.splitlines()[0]
    # the demo again into its own database is fine; into a team's database it stops before writing
    assert main(["demo", "--no-app", "--db", str(demo)]) == 0
    ours = tmp_path / "ours.duckdb"
    assert main(["import", str(path), "--db", str(ours)]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["demo", "--no-app", "--db", str(ours)]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: --db: {ours} holds posts of yours; the demo's synthetic "
                                       "sample would be mixed with them: give the demo its own --db (e.g. --db "
                                       "data/demo.duckdb)\n")
    assert query(ours, "SELECT count(*) FROM mentions") == [(1,)]


def test_a_missing_salt_is_named_by_its_variable_and_check_warns_of_it(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HIREPULSE_SALT", raising=False)
    path = tmp_path / "a.csv"
    path.write_text("text,published_at,author\nRecruiter ghosted me,2026-11-20,alice\n", encoding="utf-8")
    # a check stores nothing and needs no salt, but says the import will
    assert main(["import", str(path), "--check", "--db", str(tmp_path / "h.duckdb")]) == 0
    assert ("  author        <- author: stored as salted hashes, so the import needs $HIREPULSE_SALT, which is not "
            "set\n") in capsys.readouterr().out
    # with no config file, the error names the variable, not a hirepulse.toml that does not exist
    assert main(["import", str(path), "--db", str(tmp_path / "h.duckdb")]) == 1
    assert capsys.readouterr().err.startswith("hirepulse: error: $HIREPULSE_SALT: privacy salt missing: set the "
                                              "environment variable HIREPULSE_SALT")
    monkeypatch.setenv("HIREPULSE_SALT", "s")
    assert main(["import", str(path), "--check", "--db", str(tmp_path / "h.duckdb")]) == 0
    assert "salted hashes" not in capsys.readouterr().out


def test_forget_refuses_without_the_salt_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # the ids and URLs an erasure remembers are keyed with the salt: without it nothing is erased or remembered
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("id,text,published_at,author,url\na,Ghosted,2099-01-01,sam,https://forum.example/t/1\n",
                    encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    capsys.readouterr()
    monkeypatch.delenv("HIREPULSE_SALT")
    for named in (["--url", "https://forum.example/t/1"], ["--id", "import:a"], ["--author", "sam"]):
        assert main(["forget", *named, "--db", str(db_path)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("hirepulse: error: $HIREPULSE_SALT: privacy salt missing")
    assert query(db_path, "SELECT count(*) FROM mentions") == [(1,)]
    assert query(db_path, "SELECT count(*) FROM erasures") == [(0,)]


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "hirepulse.toml"
    assert main(["init", "--config", str(target)]) == 0
    from hirepulse.config import load_config

    assert load_config(target).employer.name == "Example Corp"
    assert main(["init", "--config", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_a_path_the_file_system_refuses_is_one_line_not_a_traceback(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "configs"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    assert main(["init", "--config", str(blocker / "hirepulse.toml")]) == 1
    assert capsys.readouterr().err == f"hirepulse: error: cannot create {blocker}: {blocker} is a file, not a folder\n"
    # deeper: the system names the folder it could not make, the file in its way is named too
    assert main(["init", "--config", str(blocker / "sub" / "hirepulse.toml")]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: cannot create {blocker / 'sub'}: {blocker} is a file, "
                                       "not a folder\n")


@pytest.mark.parametrize("verb", ["analyze", "classify"])
def test_a_batch_size_below_one_is_refused(verb: str, tmp_path: Path) -> None:
    # 0 used to fetch nothing and report "analysed 0 mentions" with every mention still pending
    result = run_cli(verb, "--batch-size", "0", "--db", str(tmp_path / "h.duckdb"), stdin='{"id": 1, "text": "x"}\n')
    assert result.returncode == 2 and result.stdout == ""
    assert f"hirepulse {verb}: error: argument --batch-size: 0 is not at least 1" in result.stderr
    assert not (tmp_path / "h.duckdb").exists()


def test_missing_salt_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HIREPULSE_SALT")
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\nx,2025-01-01\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "h.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HIREPULSE_SALT" in err
    assert not (tmp_path / "h.duckdb").exists()


def test_a_short_salt_is_warned_of_by_its_length_never_shown(tmp_path: Path) -> None:
    import os

    path = tmp_path / "a.csv"
    path.write_text("text,published_at,author\nGhosted after the final round.,2025-01-01,jane\n", encoding="utf-8")
    short = "q7Zk2pWm9xTc4vB"   # 15 characters
    env = {**os.environ, "HIREPULSE_SALT": short}
    result = run_cli("import", str(path), "--db", str(tmp_path / "h.duckdb"), env=env)
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "privacy salt" in line]
    assert " WARNING " in warning and warning.endswith(
        "the privacy salt in HIREPULSE_SALT is only 15 characters long: a salt shorter than 16 can be guessed, and "
        "with it anyone holding the database can test a guessed author against the author keys. Use a long random "
        "one (`openssl rand -hex 32`) for a new database (the salt of a database that holds posts stays: "
        "`hirepulse salt`)")
    assert short not in result.stderr + result.stdout
    # a salt of 16 characters or more: nothing to say
    env["HIREPULSE_SALT"] = short + "R"
    result = run_cli("import", str(path), "--db", str(tmp_path / "other.duckdb"), env=env)
    assert result.returncode == 0 and "privacy salt" not in result.stderr, result.stderr


def test_malformed_config_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "hirepulse.toml"
    bad.write_text("[[companies]\nname = 'x'\n", encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\nx,2025-01-01\n", encoding="utf-8")
    assert main(["import", str(path), "--config", str(bad), "--db", str(tmp_path / "h.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}:1: malformed TOML" in err


def test_status_names_the_readings_in_use_and_what_waits_for_analyze(sample_db: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.scoring import ANALYZER_VERSION

    total = query(sample_db, "SELECT count(*) FROM mentions")[0][0]
    assert main(["status", "--db", str(sample_db)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1] == f"  analyzer in use: as installed (version {ANALYZER_VERSION})"
    assert said[2] == f"  {total:,} of {total:,} mentions read by it"
    con = duckdb.connect(str(sample_db))
    con.execute("UPDATE analysis SET analyzer_version = 'old' WHERE mention_id IN (SELECT mention_id FROM analysis ORDER BY 1 LIMIT 7)")
    con.close()
    assert main(["status", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out.splitlines()[2] == f"  {total - 7:,} of {total:,} mentions read by it; 7 wait for `hirepulse analyze`"
    # a folder adapted for other rules: said, not a crash
    folder = tmp_path / "adapted"
    folder.mkdir()
    (folder / "adapted.json").write_text('{"rules_version": "1.0", "posts": 80}', encoding="utf-8")
    config = tmp_path / "hirepulse.toml"
    config.write_text('[analysis]\nlexicon_dir = "adapted"\n', encoding="utf-8")
    assert main(["status", "--db", str(sample_db), "--config", str(config)]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith("  analyzer in use: cannot be used: ") and "adapted for analyzer 1.0" in line


def _import_30(tmp_path: Path, template: str) -> Path:
    """A database of 30 imported posts, ``template`` formatted with each post's number as ``i``."""
    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"{template.format(i=i)},2025-01-0{1 + i % 9}\n" for i in range(30)),
                    encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    return db_path


def _status_on_progress(db_path: Path, capsys: pytest.CaptureFixture[str]):
    """A progress callback that runs `hirepulse status` after each stored batch (no connection open then),
    and the list of the lines each run printed."""
    said: list[list[str]] = []

    def status(done: int, total: int) -> None:
        assert main(["status", "--db", str(db_path)]) == 0
        said.append(capsys.readouterr().out.splitlines())

    return said, status


def test_status_counts_an_analysis_while_it_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.pipeline import analyze_pending

    db_path = _import_30(tmp_path, "Recruiter ghosted me after round {i}.")
    capsys.readouterr()
    said, status = _status_on_progress(db_path, capsys)
    analyze_pending(db_path, batch_size=10, progress=status)
    assert len(said) == 3
    for done, lines in zip((10, 20, 30), said):
        running = [line for line in lines if line.startswith("  an analysis is running now (since ")]
        assert len(running) == 1 and running[0].endswith(f" UTC): {done} of 30 mentions scored so far"), lines
        assert any(line.startswith(f"  {done} of 30 mentions read by it") and "wait for" not in line
                   for line in lines), lines
    assert main(["status", "--db", str(db_path)]) == 0   # done: nothing running any more
    after = capsys.readouterr().out
    assert "an analysis is running now" not in after and "  30 of 30 mentions read by it\n" in after


def test_status_counts_a_companies_reread_while_it_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.pipeline import analyze_pending

    db_path = _import_30(tmp_path, "The Acme recruiter ghosted me after round {i}.")
    analyze_pending(db_path, companies=[], batch_size=100)
    capsys.readouterr()
    said, status = _status_on_progress(db_path, capsys)
    # Acme configured now: the 30 posts naming it have their companies read again, 10 at a time
    stats = analyze_pending(db_path, companies=[("Acme", ())], batch_size=10, progress=status)
    assert stats.analyzed == 0 and stats.companies_reread == 30 and len(said) == 3
    for done, lines in zip((10, 20, 30), said):
        running = [line for line in lines if line.startswith("  an analysis is running now (since ")]
        assert len(running) == 1 and running[0].endswith(f" UTC): {done} of 30 mentions scored so far"), lines


def test_status_counts_the_posts_whose_companies_analyze_will_read_again(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.pipeline import analyze_pending

    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"The Acme recruiter ghosted me after round {i}.,2025-01-0{1 + i % 9}\n"
                                                    for i in range(30)) + "Nothing to see.,2025-01-01\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    config = tmp_path / "acme.toml"   # (not ./hirepulse.toml, which a command without --config reads)
    config.write_text('[[companies]]\nname = "Acme"\n', encoding="utf-8")
    capsys.readouterr()

    def status(*options: str) -> list[str]:
        assert main(["status", "--db", str(db_path), *options]) == 0
        return capsys.readouterr().out.splitlines()

    # Acme configured since the posts were read: the 30 naming it have their companies read again by the next analyze
    said = status("--config", str(config))
    assert "  31 of 31 mentions read by it" in said
    assert "  companies to re-read: 30 mentions, as the configured companies changed; `hirepulse analyze` does it" \
        in said, said
    # without the config file, analyze keeps the companies recorded: nothing to read again
    assert not [line for line in status() if "companies to re-read" in line]
    assert main(["analyze", "--db", str(db_path), "--config", str(config)]) == 0
    assert "re-read the companies of 30 to match" in capsys.readouterr().out
    assert not [line for line in status("--config", str(config)) if "companies to re-read" in line]

    # a run stopped while reading them leaves the rest marked: counted with or without the config file
    asked: list[int] = []
    stats = analyze_pending(db_path, companies=[("Acme", ("The Acme recruiter",))], batch_size=10,
                            should_stop=lambda: asked.append(1) or len(asked) > 1)
    assert stats.companies_reread == 10
    assert "  companies to re-read: 20 mentions, as the configured companies changed; `hirepulse analyze` does it" \
        in status()
    # the config edited again (a company added that no post names): those marked, and none more
    config.write_text('[[companies]]\nname = "Acme"\naliases = ["The Acme recruiter"]\n[[companies]]\nname = "Globex"\n',
                      encoding="utf-8")
    assert "  companies to re-read: 20 mentions, as the configured companies changed; `hirepulse analyze` does it" \
        in status("--config", str(config))
    assert main(["analyze", "--db", str(db_path), "--config", str(config)]) == 0
    assert "re-read the companies of 20 to match" in capsys.readouterr().out


def test_analyze_stops_on_sigterm_between_batches_and_says_what_is_left(tmp_path: Path) -> None:
    import os
    import signal
    import time

    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\n" + "".join(f"Recruiter ghosted me after round {i}.,2025-01-0{1 + i % 9}\n"
                                                    for i in range(40_000)), encoding="utf-8")
    env = {**os.environ, "HIREPULSE_SALT": "s"}
    subprocess.run([sys.executable, "-m", "hirepulse.cli", "import", str(path), "--db", str(db_path)], env=env,
                   check=True, capture_output=True, timeout=300)
    proc = subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path),
                             "--batch-size", "200"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    from hirepulse import db

    def started() -> bool:   # (a read between its batches' writes: db.connect waits out the lock)
        with db.connect(db_path, read_only=True) as con:
            return bool(con.execute("SELECT count(*) FROM analysis").fetchone()[0])

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not started():
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err   # (128 + SIGTERM: `analyze && report` must not go on as if it had finished)
    assert "SIGTERM: stopping after this batch" in err and out == ""
    done = int(err.split("interrupted: analysed ")[1].split()[0].replace(",", ""))   # ("analysed 1,200 mentions ...")
    assert 0 < done < 40_000 and err.strip().endswith(f", {40_000 - done:,} left for the next run")
    assert query(db_path, "SELECT status, new_count FROM runs WHERE kind = 'analyze'") == [("stopped", done)]


def test_progress_on_a_log_is_a_plain_line_now_and_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import hirepulse.cli as cli

    monkeypatch.setattr(cli, "PROGRESS_LINE_SECONDS", 0.0)
    update, close = cli._progress("analysing", 0)
    update(500, 2000)
    update(2000, 2000)   # (done: the summary says the rest)
    close()
    assert capsys.readouterr().err == "analysing: 500 of 2,000\n"


def test_a_teams_salt_meeting_the_demos_database_says_to_use_another_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "demo.duckdb"
    monkeypatch.setenv("HIREPULSE_SALT", "our-own-long-random-salt")
    # the demo keys its synthetic sample with its own salt, whatever the environment holds: run again, with the
    # variable unset or set, it finds its own
    assert main(["demo", "--no-app", "--db", str(demo)]) == 0
    monkeypatch.delenv("HIREPULSE_SALT")
    assert main(["demo", "--no-app", "--db", str(demo)]) == 0
    monkeypatch.setenv("HIREPULSE_SALT", "our-own-long-random-salt")
    path = tmp_path / "a.csv"
    path.write_text("text,published_at\nRecruiter ghosted me,2026-11-20\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(demo)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("hirepulse: error: the privacy salt given is not the one this database's keys were made")
    assert err[-1].endswith("(it holds the synthetic sample of `hirepulse demo`, written with the demo's salt: give "
                            "your posts another --db)")


def test_a_count_of_one_is_said_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.scoring import ANALYZER_VERSION

    db_path = tmp_path / "h.duckdb"
    path = tmp_path / "one.csv"
    path.write_text("text,published_at\nThe Acme recruiter ghosted me after the final round.,2025-01-02\n",
                    encoding="utf-8")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db_path)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == f"{db_path}: 1 mention, 0 analysed"
    assert said[2] == "  0 of 1 mention read by it; 1 waits for `hirepulse analyze`", said
    assert main(["analyze", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == f"analysed 1 mention with analyzer {ANALYZER_VERSION}\n"
    assert main(["status", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[2] == "  1 of 1 mention read by it"


def test_status_on_a_busy_database_names_the_process_that_holds_it(tmp_path: Path, monkeypatch, capsys) -> None:
    from hirepulse import db
    from test_collect_support import Holder

    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path):
        pass
    monkeypatch.setattr(db, "READ_LOCK_TIMEOUT", 0.5)   # (30 s in use)
    holder = Holder(db_path)   # another process writing (as a long import holds it)
    try:
        assert main(["status", "--db", str(db_path)]) == 1
    finally:
        holder.release()
    err = capsys.readouterr().err.strip()
    assert err == (f"hirepulse: error: {db_path} is busy (another hirepulse process holds it); held by process "
                   f"{holder.proc.pid} ({Path(sys.executable).name} -c); gave up after 0s")


def test_a_hirepulse_process_is_named_by_its_verb(tmp_path: Path) -> None:
    from hirepulse import db

    script = Path(sys.executable).parent / "hirepulse"
    # a real `hirepulse classify`, waiting for its input
    proc = subprocess.Popen([sys.executable, str(script), "--db", str(tmp_path / "x.duckdb"), "classify"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # (just after the fork, before the exec, the child's command line is still pytest's: asked again a while)
        deadline = time.monotonic() + 30
        while (named := db.process_named(proc.pid)) != f"process {proc.pid} (hirepulse classify)":
            assert time.monotonic() < deadline, named
            time.sleep(0.05)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert db.process_named(proc.pid) == f"process {proc.pid}"   # (gone: its pid alone)
