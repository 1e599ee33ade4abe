"""`hirepulse import`: the employer's own exports into a real DuckDB file, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from collectors.imports import (ImportSpec, import_file, normalise_stage, parse_map_args, parse_timestamp, read_columns,
                                read_file)
from hirepulse import db
from hirepulse.cli import main
from hirepulse.errors import InputError
from hirepulse.models import hash_id, rating_in_scale, read_rating, word_scale
from hirepulse.privacy import keyed_id

SALT = "s"

SURVEY = """response_id,submitted_at,hiring_stage,score,comment
r1,2025-06-03T14:22:00Z,Interview,4,The panel was kind and on time. Mail me at jo@example.com
r2,2025-06-04,phone screen,2,"Recruiter never called back, phone +1 555 010 4477"
r3,2025-06-05 09:00:00+02:00,onboarding,5,"Smooth first week, laptop ready"
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rows(db_path: Path, sql: str = "SELECT * FROM mentions ORDER BY id") -> list[dict]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()


def test_survey_export_with_mapping_synonyms_and_privacy(tmp_path: Path) -> None:
    path = write(tmp_path, "survey.csv", SURVEY)
    spec = ImportSpec(path, "csv", source="survey", company="Brightwater", mapping={"comment": "text"})
    db_path = tmp_path / "h.duckdb"
    count, stats = import_file(db_path, spec, salt=SALT)
    assert (count, stats.new, stats.updated, stats.unchanged) == (3, 3, 0, 0)
    stored = rows(db_path)
    assert [r["id"] for r in stored] == ["survey:r1", "survey:r2", "survey:r3"]
    assert [r["stage_hint"] for r in stored] == ["interview", "screening", "onboarding"]
    assert [r["rating"] for r in stored] == [4.0, 2.0, 5.0]
    assert {r["company"] for r in stored} == {"Brightwater"}
    assert stored[0]["text"] == "The panel was kind and on time. Mail me at [email]"
    assert stored[1]["text"] == "Recruiter never called back, phone [phone]"
    assert stored[2]["published_at"].isoformat() == "2025-06-05T07:00:00+00:00"
    runs = rows(db_path, "SELECT source, kind, status, new_count FROM runs")
    assert runs == [{"source": "survey", "kind": "import", "status": "ok", "new_count": 3}]


def test_reimporting_the_same_file_adds_nothing_and_changed_rows_update(tmp_path: Path) -> None:
    path = write(tmp_path, "survey.csv", SURVEY)
    db_path = tmp_path / "h.duckdb"
    spec = ImportSpec(path, "csv", source="survey", mapping={"comment": "text"})
    import_file(db_path, spec, salt=SALT)
    _, again = import_file(db_path, spec, salt=SALT)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    write(tmp_path, "survey.csv", SURVEY.replace("laptop ready", "laptop was missing"))
    _, changed = import_file(db_path, spec, salt=SALT)
    assert (changed.new, changed.updated, changed.unchanged) == (0, 1, 2)
    assert len(rows(db_path)) == 3


def test_rows_without_id_get_a_stable_hash_id_and_in_file_duplicates_collapse(tmp_path: Path) -> None:
    content = "date,body,author\n2025-01-01,Ghosted after the onsite,@sam\n2025-01-01,Ghosted after the onsite,@sam\n2025-01-02,Fast offer,kim\n"
    path = write(tmp_path, "posts.csv", content)
    db_path = tmp_path / "h.duckdb"
    count, stats = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert count == 3 and stats.new == 2 and stats.repeated == 1
    stored = rows(db_path)
    assert all(r["id"].startswith("import:") for r in stored)
    assert "@sam" not in json.dumps([r["author_key"] for r in stored])
    _, again = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert again.new == 0


REVIEWS = [("2025-01-01", "Ghosted after the onsite", "Acme", "@sam", "Onsite"), ("2025-01-02", "Fast offer", "Acme", "kim", ""),
           ("2025-01-03", "Kind panel", "Globex", "", "")]


def _reviews(tmp_path: Path, name: str, ids: list[str] | None = None) -> Path:
    lines = [",".join(([ids[n]] if ids else []) + list(row)) for n, row in enumerate(REVIEWS)]
    return write(tmp_path, name, ("id," if ids else "") + "date,body,company,author,title\n" + "\n".join(lines) + "\n")


def test_an_id_made_from_a_row_is_keyed_so_no_guess_at_its_author_or_its_redacted_words_can_be_tested(
        tmp_path: Path) -> None:
    # (an audit recovered "07700 900123" from a made id by hashing 1,000 candidate numbers with the row's stored date,
    # company, author key and title, confirmed an address with one guess, and confirmed authors by their handles)
    path = write(tmp_path, "posts.csv", "date,author,text,company,title\n"
                 "2026-02-01,Jane Roe,\"Acme ghosted me, call me on 07700 900123\",Acme,Ghosted\n"
                 "2026-02-02,Mike,\"Acme interview fine, write to mike.poe@example.com\",Acme,\n"
                 "2026-02-03,,Kind panel at Acme,Acme,\n")
    ids = []
    for salt, db_path in ((SALT, tmp_path / "h.duckdb"), ("another salt", tmp_path / "other.duckdb")):
        import_file(db_path, ImportSpec(path, "csv"), salt=salt)
        stored = {r["published_at"].date().isoformat(): r for r in rows(db_path)}
        jane, mike = stored["2026-02-01"], stored["2026-02-02"]
        assert (jane["text"], mike["text"]) == ("Acme ghosted me, call me on [phone]", "Acme interview fine, write to [email]")
        assert jane["native_id"] == keyed_id(salt, "Acme ghosted me, call me on 07700 900123", "2026-02-01", "Acme",
                                             jane["author_key"], "Ghosted")
        numbers = [f"Acme ghosted me, call me on 07700 900{n:03d}" for n in range(1000)]
        assert jane["native_id"] not in {hash_id(text, "2026-02-01", "Acme", author, "Ghosted")
                                         for text in numbers for author in (jane["author_key"], "Jane Roe")}
        assert mike["native_id"] not in {hash_id("Acme interview fine, write to mike.poe@example.com", "2026-02-02",
                                                 "Acme", author, None) for author in (mike["author_key"], "Mike")}
        ids.append({day: r["native_id"] for day, r in stored.items()})
    assert all(ids[0][day] != ids[1][day] for day in ids[0])   # (keyed: another salt, other ids; no author too)
    assert read_columns(ImportSpec(path, "csv"))["native_id"] == [None] * 3   # (no salt, no id)


def test_a_file_imported_before_ids_were_salted_comes_again_as_the_same_rows_with_their_labels(tmp_path: Path) -> None:
    db_path = tmp_path / "h.duckdb"
    # ids as hirepulse made them before (the author's handle hashed with the row's other fields), stored through the
    # same import as that hirepulse's rows: the file with those ids in its id column
    legacy = [hash_id(text, day, company, author, title) for day, text, company, author, title in REVIEWS]
    import_file(db_path, ImportSpec(_reviews(tmp_path, "old.csv", legacy), "csv"), salt=SALT)
    with db.connect(db_path) as con:
        db.upsert_analysis(con, [
            {"mention_id": mid, "analyzer_version": "v", "content_hash": chash, "is_candidate_experience": True,
             "sentiment": -0.5, "stages": ["interview"], "stage_sentiment": {"interview": -0.5}, "themes": [],
             "consumer_link": False, "companies": ["Acme"]}
            for mid, _, _, chash, *_ in db.fetch_pending_analysis(con, "v", limit=10)])
        db.save_label(con, f"import:{legacy[0]}", is_candidate_experience=True, sentiment="negative",
                      stages=["interview"])
        db.save_label(con, f"import:{legacy[2]}", is_candidate_experience=True, sentiment="positive",
                      stages=["interview"])   # (a row without an author: its made id moves too)
        assert db.forget_posts(con, ids=[f"import:{legacy[1]}"], salt=SALT) == 1   # an erasure named by mentions.csv's old id
    # this week's export, the same file without ids, after the upgrade: nothing new, nothing lost, nothing back
    path = _reviews(tmp_path, "reviews.csv")
    _, stats = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert (stats.new, stats.updated, stats.unchanged, stats.erased) == (0, 0, 2, 1)
    stored = rows(db_path)
    assert sorted(r["text"] for r in stored) == ["Ghosted after the onsite", "Kind panel"]
    sam = next(r["id"] for r in stored if r["text"] == "Ghosted after the onsite")
    panel = next(r["id"] for r in stored if r["text"] == "Kind panel")
    with db.connect(db_path) as con:
        assert db.label_reading(con, sam)["sentiment"] == "negative" and db.label_count(con) == 2
        assert db.label_reading(con, panel)["sentiment"] == "positive"
        assert db.count_pending_analysis(con, "v") == 0 and db.facts_fresh(con)
        kept = {table: {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}
                for table, column in (("mentions", "id"), ("analysis", "mention_id"), ("analysis_stages", "mention_id"),
                                      ("labels", "mention_id"), ("fact_mentions", "id"), ("fact_stages", "id"))}
    assert all(ids <= {r["id"] for r in stored} for ids in kept.values()) and kept["analysis"] == kept["mentions"]
    assert not {r["native_id"] for r in stored} & set(legacy)   # (all made again, keyed with the salt)
    _, again = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert (again.new, again.unchanged, again.erased) == (0, 2, 1)


CONTACT_IDS = ("id,date,author,text,url,company\n"
               "jane.roe@example.com,2026-02-01,Jane,Acme recruiter ghosted me,"
               "https://reviews.example/r?review=88&email=jane.roe%40example.com&phone=07700900123,Acme\n"
               "07700 900456,2026-02-02,Mike,Acme was quick,https://reviews.example/u/mike.poe@example.com/r/89,Acme\n"
               "r-90,2026-02-03,Kim,Acme was kind,https://reviews.example/r?review_id=4155550123#top,Acme\n")


def test_an_id_or_a_link_that_holds_an_address_or_a_phone_number_is_not_stored_as_given(tmp_path: Path) -> None:
    # (an audit found an export's id "jane.roe@..." and a link's "?email=...&phone=..." stored as they were)
    path = write(tmp_path, "reviews.csv", CONTACT_IDS)
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    stored = {r["text"]: r for r in rows(db_path)}
    jane, mike, kim = (stored[f"Acme {words}"] for words in ("recruiter ghosted me", "was quick", "was kind"))
    assert [r["url"] for r in (jane, mike, kim)] == [
        "https://reviews.example/r?review=88",              # (the link still opens the review)
        "https://reviews.example/u/[email]/r/89",           # (the path cannot do without it: replaced as in a text)
        "https://reviews.example/r?review_id=4155550123#top"]   # (an id by its name: kept, as the other ids)
    assert (jane["native_id"], mike["native_id"]) == (keyed_id(SALT, "id", "jane.roe@example.com"),
                                                      keyed_id(SALT, "id", "07700 900456"))
    assert kim["native_id"] == "r-90"
    kept = json.dumps([[r["id"], r["native_id"], r["url"]] for r in stored.values()])
    assert not [p for p in ("jane.roe", "mike.poe", "900123", "900456") if p in kept]
    _, again = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)   # (the same rows at every import)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    other = tmp_path / "other.duckdb"   # (keyed: no one without the salt can test a guessed address against it)
    import_file(other, ImportSpec(path, "csv"), salt="another salt")
    assert {r["native_id"] for r in rows(other)} & {jane["native_id"], mike["native_id"]} == set()
    assert read_columns(ImportSpec(path, "csv"))["native_id"] == [None, None, "r-90"]   # (no salt, no hash)


def test_a_row_stored_under_an_address_as_its_id_moves_to_its_hashed_id_with_its_label(tmp_path: Path) -> None:
    db_path = tmp_path / "h.duckdb"
    path = write(tmp_path, "reviews.csv", CONTACT_IDS)
    before = read_columns(ImportSpec(path, "csv"), salt=SALT)
    with db.connect(db_path) as con:   # as the import stored the file before: its ids and links as given
        given = {"native_id": ["jane.roe@example.com", "07700 900456", "r-90"], "former_id": [None] * 3,
                 "url": ["https://reviews.example/r?review=88&email=jane.roe%40example.com&phone=07700900123",
                         "https://reviews.example/u/mike.poe@example.com/r/89", before["url"][2]]}
        db.upsert_mentions(con, db.mentions_table_from_columns({**before, **given}, salt=SALT))
        db.save_label(con, "import:jane.roe@example.com", is_candidate_experience=True, sentiment="negative",
                      stages=["interview"])
    _, stats = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert (stats.new, stats.updated, stats.unchanged) == (0, 2, 1)   # (two links changed)
    stored = rows(db_path)
    assert sorted(r["native_id"] for r in stored) == sorted([keyed_id(SALT, "id", "jane.roe@example.com"),
                                                             keyed_id(SALT, "id", "07700 900456"), "r-90"])
    with db.connect(db_path, read_only=True) as con:
        jane = f"import:{keyed_id(SALT, 'id', 'jane.roe@example.com')}"
        assert db.label_reading(con, jane)["sentiment"] == "negative" and db.label_count(con) == 1


def test_rows_without_text_are_skipped_and_counted_and_the_rest_stays_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a survey export: a score given without a comment is a row with no text, and does not refuse the file
    path = write(tmp_path, "s.csv", "comment,submitted,score\nGreat interview,2025-06-01,9\n,2025-06-02,3\n"
                                    "  ,not a date,\n")
    db_path = tmp_path / "h.duckdb"
    args = ["import", str(path), "--db", str(db_path), "--map", "comment=text", "submitted=published_at",
            "score=rating", "--rating-scale", "10"]
    assert main([*args, "--check"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: 3 rows read, 2 rows without text skipped, nothing stored "
                                              "(--check)\n")
    assert main(args) == 0
    assert capsys.readouterr().out == (f"{path}: 3 rows, 1 new, 0 updated, 0 already stored, 1 rated, "
                                       "2 rows without text skipped\n"
                                       "run `hirepulse analyze` to score what was imported\n")
    assert [(r["text"], r["rating"]) for r in rows(db_path)] == [("Great interview", 9.0)]
    runs = rows(db_path, "SELECT detail FROM runs")
    assert json.loads(runs[0]["detail"])["without_text"] == 2
    # a row that has a text keeps every check: a bad date refuses the file, named
    bad = write(tmp_path, "bad.csv", "comment,submitted\n,2025-06-01\nFine.,2025-13-01\n")
    with pytest.raises(InputError, match=r"bad.csv, row 3, column 'submitted': unparseable date '2025-13-01'"):
        read_columns(ImportSpec(bad, "csv"))
    # a title alone is a text the analysis reads (title, then text): the row is imported
    titled = write(tmp_path, "t.jsonl", '{"body": null, "subject": "Ghosted after the onsite", "date": "2025-06-01"}\n'
                                        '{"body": " ", "subject": "", "date": "2025-06-02"}\n')
    columns, _ = read_file(ImportSpec(titled, "jsonl"))
    assert (columns["text"], columns["title"]) == ([""], ["Ghosted after the onsite"])
    # no text in any row: almost surely the wrong column, named
    for content, mapping, why in (
            ("comment,submitted,score\n,2025-06-01,9\n,2025-06-02,3\n", {"comment": "text"}, ""),
            ("comment,subject,submitted\n,,2025-06-01\n", {"subject": "title"}, " (nor a title in column 'subject')")):
        empty = write(tmp_path, "empty.csv", content)
        with pytest.raises(InputError) as info:
            read_columns(ImportSpec(empty, "csv", mapping=mapping))
        assert str(info.value) == (f"{empty}, column 'comment': no row has text here{why}: if another column holds "
                                   "the text, name it with --map COLUMN=text")


def test_rows_repeating_an_id_are_stored_once_the_last_and_counted(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "d.csv", "id,text,published_at\n1,First review,2025-06-01\n1,Different review,2025-06-02\n"
                                    "2,Other,2025-06-03\n2,Other again,2025-06-04\n2,Other at last,2025-06-05\n")
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--check"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: 5 rows read, 3 rows repeat an earlier id (the last of each "
                                              "kept), nothing stored (--check)\n")
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (f"{path}: 5 rows, 2 new, 0 updated, 0 already stored, 3 rows repeat an earlier "
                                       "id (the last of each kept)\nrun `hirepulse analyze` to score what was imported\n")
    assert [(r["native_id"], r["text"]) for r in rows(db_path)] == [("1", "Different review"), ("2", "Other at last")]
    # without an id column a row's id is made from its text, date, company, author and title: an exact copy repeats it
    copies = write(tmp_path, "copies.csv", "text,published_at\nSlow.,2025-06-01\nSlow.,2025-06-01\nFast.,2025-06-02\n")
    assert main(["import", str(copies), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (f"{copies}: 3 rows, 2 new, 0 updated, 0 already stored, 1 row repeats an "
                                       "earlier row (the last kept)\nrun `hirepulse analyze` to score what was imported\n")


def test_jsonl_import(tmp_path: Path) -> None:
    lines = [
        {"id": 7, "published_at": "2026-01-05T10:00:00+00:00", "text": "Offer rescinded", "company": "Cobalt Outfitters", "url": "https://forum.example.net/t/7"},
        {"id": "8", "published_at": 1767607200, "text": "Great onboarding buddy", "author": "lee"},
    ]
    path = write(tmp_path, "posts.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    db_path = tmp_path / "h.duckdb"
    count, _ = import_file(db_path, ImportSpec(path, "jsonl", source="forum"), salt=SALT)
    stored = rows(db_path)
    assert count == 2
    assert [(r["id"], r["company"], r["url"]) for r in stored] == [
        ("forum:7", "Cobalt Outfitters", "https://forum.example.net/t/7"),
        ("forum:8", None, None),
    ]


@pytest.mark.parametrize(
    ("name", "content", "fmt", "fragment"),
    [
        ("bad_date.csv", "text,published_at\nok,2025-01-01\nfine,next tuesday\n", "csv", "row 3, column 'published_at': unparseable date 'next tuesday'"),
        ("no_text.csv", "published_at,body_html\n2025-01-01,<p>x</p>\n", "csv", "no text column"),
        ("empty_text.csv", "text,published_at\n  ,2025-01-01\n,2025-01-02\n", "csv",
         "empty_text.csv, column 'text': no row has text here: if another column holds the text, name it with --map "
         "COLUMN=text"),
        ("no_date.csv", "text\nhello\n", "csv", "no published_at column"),
        ("short_row.csv", "text,published_at\nok,2025-01-01,extra\n", "csv", "row 2: has 3 cells, the header has 2"),
        ("bad_rating.csv", "text,published_at,rating\nok,2025-01-01,five\n", "csv", "row 2, column 'rating': rating 'five' is not a number"),
        ("nan_rating.csv", "text,published_at,rating\nok,2025-01-01,4\nok,2025-01-02,NaN\n", "csv", "row 3, column 'rating': rating 'NaN' is not a number"),
        ("inf_rating.jsonl", '{"text": "a", "published_at": "2025-01-01", "rating": 1e999}\n', "jsonl", "row 1, column 'rating': rating 'inf' is not a number"),
        ("bad_stage.csv", "text,published_at,stage\nok,2025-01-01,lunch\n", "csv", "row 2, column 'stage': unknown stage 'lunch'"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv", "binary file"),
        ("latin1.csv", "text,published_at\ncaf\xe9 interview,2025-01-01\n".encode("latin-1"), "csv", "row 2: bytes that are not UTF-8"),
        ("bad.jsonl", '{"text": "a", "published_at": "2025-01-01"}\n{"text": \n', "jsonl", "row 2: not valid JSON"),
        ("array.jsonl", '["text"]\n', "jsonl", "row 1: each line must be a JSON object"),
        ("empty.csv", "", "csv", "empty file"),
        ("blank_lines.csv", "\n \r\n", "csv", "empty file"),
        ("empty.json", "  \n", "json", "empty file"),
        ("blank_lines.jsonl", "\n\n", "jsonl", "empty file"),
        ("header_only.csv", "text,published_at\n", "csv", "no rows to import: the file has a header row only"),
        ("empty_array.json", "[]\n", "json", "empty_array.json: no records to import: the array is empty"),
        ("empty_list.json", '{"count": 0, "reviews": []}', "json",
         "no records to import: the array under 'reviews' is empty"),
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(tmp_path: Path, name: str, content: str | bytes, fmt: str, fragment: str) -> None:
    good = write(tmp_path, "good.csv", "text,published_at\nalready here,2025-01-01\n")
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(good, "csv"), salt=SALT)
    before = rows(db_path)
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        import_file(db_path, ImportSpec(path, fmt), salt=SALT)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)
    assert rows(db_path) == before


# Synthetic rows. Excel in most European locales saves "CSV" with semicolons (the comma is the decimal mark)
# and may put a "sep=;" line first; review tools also export tab-separated files.
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("semicolon.csv", 'review_id;date;rating;review_body\nv1;2025-03-02;2,5;"Nice panel; slow answer, though"\nv2;2025-03-04;4;Offer within a week\n'),
        ("excel_hint.csv", 'sep=;\nreview_id;date;rating;review_body\nv1;2025-03-02;2,5;"Nice panel; slow answer, though"\nv2;2025-03-04;4;Offer within a week\n'),
        ("export.tsv", 'review_id\tdate\trating\treview_body\nv1\t2025-03-02\t2.5\tNice panel; slow answer, though\nv2\t2025-03-04\t4\tOffer within a week\n'),
    ],
)
def test_semicolon_and_tab_separated_exports_import_like_csv(tmp_path: Path, name: str, content: str) -> None:
    path = write(tmp_path, name, "\ufeff" + content)  # with the byte-order mark Excel writes
    columns = read_columns(ImportSpec(path, "csv"))
    assert columns["text"] == ["Nice panel; slow answer, though", "Offer within a week"]
    assert columns["rating"] == [2.5, 4.0]


def test_a_decimal_comma_rating_is_read_and_errors_number_rows_as_excel_shows_them(tmp_path: Path) -> None:
    path = write(tmp_path, "hint.csv", "sep=;\ntext;published_at;rating\nok;2025-01-01;3,5\nfine;2025-01-02;4\nbad;2025-01-03;four\n")
    # Excel reads the "sep=;" line as its hint and shows no row for it: the header is row 1 there, so "bad" is row 4
    with pytest.raises(InputError, match=r"row 4, column 'rating': rating 'four' is not a number"):
        read_columns(ImportSpec(path, "csv"))
    short = write(tmp_path, "short.csv", "sep=,\r\ntext,published_at\r\nok,2025-01-01\r\n\r\nbad,2025-01-03,x\r\n")
    with pytest.raises(InputError, match=r"short.csv, row 4: has 3 cells, the header has 2"):
        read_columns(ImportSpec(short, "csv"))
    blank = write(tmp_path, "blank.csv", "sep=;\n;\n")
    with pytest.raises(InputError, match=r"blank.csv, row 1: the first line must be a header row"):
        read_columns(ImportSpec(blank, "csv"))
    write(tmp_path, "hint.csv", "sep=;\ntext;published_at;rating\nok;2025-01-01;3,5\nfine;2025-01-02;4\n")
    assert read_columns(ImportSpec(path, "csv"))["rating"] == [3.5, 4.0]


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-16-le"])
def test_a_byte_order_mark_is_no_text_with_the_encoding_named(tmp_path: Path, encoding: str) -> None:
    # Excel's "CSV UTF-8" opens with a byte-order mark; named as plain utf-8 the codec kept it, so the sep= line
    # was read as the header (and without one, the first column was "\ufefftext", no text column)
    content = "\ufeffsep=;\ntext;published_at\nKind panel, quick offer;2025-01-01\n"
    path = write(tmp_path, "excel.csv", content.encode("utf-16-le" if encoding == "utf-16-le" else "utf-8"))
    assert read_columns(ImportSpec(path, "csv", encoding=encoding))["text"] == ["Kind panel, quick offer"]
    plain = write(tmp_path, "plain.csv", "\ufefftext,published_at\nFine.,2025-01-01\n")
    assert read_file(ImportSpec(plain, "csv", encoding="utf-8"))[0]["text"] == ["Fine."]


def test_a_comma_header_keeps_commas_even_with_semicolons_in_quoted_names(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", 'text,published_at,"notes; internal"\n"a; b",2025-01-01,x\n')
    assert read_columns(ImportSpec(path, "csv"))["text"] == ["a; b"]


def test_a_csv_cell_longer_than_the_csv_modules_default_limit_imports(tmp_path: Path) -> None:
    import csv

    long_text = "The panel was kind. " * 10_000   # 200,000 characters: above csv's default 131,072
    path = write(tmp_path, "long.csv", f'text,published_at\n"{long_text}",2025-06-01\nShort one,2025-06-02\n')
    db_path = tmp_path / "h.duckdb"
    count, stats = import_file(db_path, ImportSpec(path, "csv"), salt=SALT)
    assert (count, stats.new) == (2, 2)
    assert len(rows(db_path, "SELECT text FROM mentions ORDER BY published_at")[0]["text"]) == len(long_text.strip())
    assert csv.field_size_limit() == 131_072   # the process-wide limit is put back for other readers


def test_map_arguments_are_validated() -> None:
    assert parse_map_args(["Review Body=text", "when=published_at"]) == {"Review Body": "text", "when": "published_at"}
    with pytest.raises(InputError, match="unknown field 'body'"):
        parse_map_args(["x=body"])
    with pytest.raises(InputError, match="expected COLUMN=FIELD"):
        parse_map_args(["justacolumn"])


def test_map_naming_a_missing_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,published_at\nx,2025-01-01\n")
    with pytest.raises(InputError, match="--map names column 'comment'"):
        read_columns(ImportSpec(path, "csv", mapping={"comment": "text"}))


def test_timestamps() -> None:
    assert parse_timestamp("2025-06-03").isoformat() == "2025-06-03T00:00:00+00:00"
    assert parse_timestamp("2025/6/3").isoformat() == "2025-06-03T00:00:00+00:00"
    assert parse_timestamp("2025-06-03T10:00:00Z").isoformat() == "2025-06-03T10:00:00+00:00"
    assert parse_timestamp("1700000000").isoformat() == "2023-11-14T22:13:20+00:00"
    assert parse_timestamp("03/06/2025") is None
    assert parse_timestamp("yesterday") is None


@pytest.mark.parametrize(("value", "iso"), [
    ("Jun 1, 2025", "2025-06-01T00:00:00+00:00"), ("June 1st 2025", "2025-06-01T00:00:00+00:00"),
    ("Sunday, June 1, 2025", "2025-06-01T00:00:00+00:00"), ("1 June 2025", "2025-06-01T00:00:00+00:00"),
    ("01-Jun-2025", "2025-06-01T00:00:00+00:00"), ("Sept 3, 2025", "2025-09-03T00:00:00+00:00"),
    ("Sun, 01 Jun 2025 14:22:00 GMT", "2025-06-01T14:22:00+00:00"), ("Jun 1, 2025 14:22", "2025-06-01T14:22:00+00:00"),
    ("Jun 1, 2025, 2:22 PM", "2025-06-01T14:22:00+00:00"), ("June 1, 2025 12:05 a.m.", "2025-06-01T00:05:00+00:00"),
    ("Jun 1, 2025 2:22 PM +02:00", "2025-06-01T12:22:00+00:00"), ("2025-06-01 14:22:00 UTC", "2025-06-01T14:22:00+00:00"),
    # no month's name, no such day, an hour past twelve with PM: not read
    ("Mayday 3, 2025", None), ("Ju 1, 2025", None), ("June 31, 2025", None), ("Jun 1, 2025 13:22 PM", None),
])
def test_a_date_with_its_month_in_words_needs_no_date_format(value: str, iso: str | None) -> None:
    parsed = parse_timestamp(value)
    assert (parsed.isoformat() if parsed else None) == iso


BY_DATE = "SELECT * FROM mentions ORDER BY published_at"
INTERVIEW_REVIEWS = """date,review,stage
2025-06-01,"Very friendly meetings. First some easy programming tests, then general questions on graphs.",
2025-06-02,"Long wait. Slow process. Nice people.",
2025-06-03,"Paperwork took a week before my start date.",onboarding
"""


def test_a_stage_for_rows_without_one_makes_each_a_candidates_account(tmp_path: Path) -> None:
    # an export of interview reviews: the stage is the export's, not in each row; a row's own stage wins
    path = write(tmp_path, "reviews.csv", INTERVIEW_REVIEWS)
    db_path = tmp_path / "h.duckdb"
    import_file(db_path, ImportSpec(path, "csv", source="reviews", stage="interview"), salt=SALT)
    stored = rows(db_path, BY_DATE)
    assert [r["stage_hint"] for r in stored] == ["interview", "interview", "onboarding"]
    assert [r["kind"] for r in stored] == ["export", "export", "survey"]  # (survey: the file states the stage)
    # without a stage the two rows, told without "I", are no candidate experience to the analyzer
    from analysis.pipeline import analyze_pending
    from analysis.scoring import score_texts

    assert not any(r.is_candidate_experience for r in score_texts([r["text"] for r in stored[:2]]))
    analyze_pending(db_path)
    read = rows(db_path, "SELECT m.stage_hint, a.is_candidate_experience, a.stages FROM mentions m "
                         "JOIN analysis a ON a.mention_id = m.id ORDER BY m.published_at")
    assert [(r["is_candidate_experience"], "interview" in r["stages"]) for r in read[:2]] == [(True, True)] * 2


def test_cli_stage_takes_a_synonym_and_refuses_an_unknown_stage(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "reviews.csv", INTERVIEW_REVIEWS)
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--stage", "nope"]) == 1
    err = capsys.readouterr().err
    assert err == ("hirepulse: error: --stage: unknown stage 'nope' (stages: application, screening, interview, "
                   "offer, rejection, onboarding)\n")
    assert not db_path.exists()
    assert main(["import", str(path), "--db", str(db_path), "--stage", "Interviews"]) == 0
    assert [r["stage_hint"] for r in rows(db_path, BY_DATE)] == ["interview", "interview", "onboarding"]


# interview reviews whose stars say otherwise than their words (synthetic); a4 gives no rating
RATED_REVIEWS = """review_id,review_date,overall_rating,review_body
a1,2025-06-01,1,The recruiter was friendly and the interview was well organised.
a2,2025-06-02,5,Long wait between rounds and the paperwork was a pain.
a3,2025-06-03,3,The recruiter was friendly and the interview was well organised.
a4,2025-06-04,,The interviewer was rude and kept me waiting an hour.
"""
READ = ("SELECT m.native_id, m.rating, m.rating_scale, a.sentiment FROM mentions m "
        "JOIN analysis a ON a.mention_id = m.id ORDER BY m.native_id")


def test_rating_scale_has_the_stars_read_as_the_reviewers_own_score(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "reviews.csv", RATED_REVIEWS)
    db_path = tmp_path / "h.duckdb"
    # without a scale the ratings are kept, not read: the words decide, and the import says so
    assert main(["import", str(path), "--db", str(db_path), "--source", "reviews"]) == 0
    out = capsys.readouterr().out
    assert "4 rows, 4 new, 0 updated, 0 already stored, 3 rated\n  note: 3 ratings kept but not read for tone" in out
    assert main(["analyze", "--db", str(db_path)]) == 0
    words = {r["native_id"]: r for r in rows(db_path, READ)}
    assert [words[k]["sentiment"] > 0 for k in ("a1", "a2", "a3", "a4")] == [True, False, True, False]
    assert all(r["rating_scale"] is None for r in words.values())
    # with --rating-scale the same rows change (their scale is part of what was stored) and read the stars
    assert main(["import", str(path), "--db", str(db_path), "--source", "reviews", "--rating-scale", "5"]) == 0
    out = capsys.readouterr().out
    assert "4 rows, 0 new, 3 updated, 1 already stored, 3 rated" in out and "note" not in out
    assert main(["analyze", "--db", str(db_path)]) == 0
    read = {r["native_id"]: r for r in rows(db_path, READ)}
    assert read["a1"]["sentiment"] < -0.05 and read["a2"]["sentiment"] > 0.05 and read["a3"]["sentiment"] == 0.0
    assert read["a4"] == words["a4"]  # no rating: no scale, the words' reading, not even re-read
    assert [read[k]["rating_scale"] for k in ("a1", "a2", "a3")] == [5.0] * 3
    why = json.loads(rows(db_path, "SELECT explanation FROM analysis WHERE mention_id = 'reviews:a1'")[0]["explanation"])
    assert "rating given with the post: 1 of 5" in why["rules"]


def test_a_rated_survey_answer_gives_its_stage_the_ratings_sign(tmp_path: Path) -> None:
    # a survey asks about one step and the score rates that step: the interview takes the one star, though
    # the comment's sentence about it reads kindly; without the scale it keeps the sentence's reading
    path = write(tmp_path, "survey.csv", "id,date,stage,score,comment\n"
                 "q1,2025-06-01,interview,1,The interviewers were friendly and the questions were fair.\n")
    read = "SELECT stage, sentiment FROM analysis_stages ORDER BY stage"
    for scale, expect_negative in ((None, False), ("5", True)):
        db_path = tmp_path / f"h{scale}.duckdb"
        assert main(["import", str(path), "--db", str(db_path), *(["--rating-scale", scale] if scale else [])]) == 0
        assert main(["analyze", "--db", str(db_path)]) == 0
        stages = {r["stage"]: r["sentiment"] for r in rows(db_path, read)}
        assert (stages["interview"] < -0.05) == expect_negative and (stages["interview"] > 0.05) != expect_negative


def test_a_rating_outside_the_scale_stops_the_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", "id,date,score,comment\nq1,2025-06-01,4,Fine.\nq2,2025-06-02,8,Good.\n")
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--rating-scale", "5"]) == 1
    err = capsys.readouterr().err
    assert err == (f"hirepulse: error: {path}, row 3, column 'score': rating 8 is outside 0-5, the --rating-scale: "
                   "name the scale the file uses (5 for stars, 10 for a 0-10 survey)\n")
    assert not db_path.exists() or rows(db_path) == []
    assert main(["import", str(path), "--db", str(db_path), "--rating-scale", "10"]) == 0
    assert [r["rating_scale"] for r in rows(db_path)] == [10.0, 10.0]
    for bad in ("0", "-5", "nan", "five"):
        with pytest.raises(SystemExit) as info:
            main(["import", str(path), "--db", str(db_path), "--rating-scale", bad])
        assert info.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].startswith("hirepulse import: error: argument --rating-scale")
    # a spec built by a caller of its own is checked as the option is, before anything is read
    with pytest.raises(InputError, match=r"^--rating-scale: inf is not a scale: give the highest rating possible"):
        read_columns(ImportSpec(path, "csv", rating_scale=float("inf")))


def test_cli_import_reports_counts_and_errors_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", SURVEY)
    db_path = tmp_path / "h.duckdb"
    code = main(["import", str(path), "--db", str(db_path), "--source", "survey", "--company", "Brightwater", "--map", "comment=text"])
    out = capsys.readouterr()
    assert code == 0
    assert "3 rows, 3 new, 0 updated, 0 already stored" in out.out
    bad = write(tmp_path, "bad.csv", "text,published_at\nx,13/13/2025\n")
    code = main(["import", str(bad), "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "row 2, column 'published_at'" in err and "Traceback" not in err


def test_a_bad_file_among_several_stores_nothing_and_the_files_after_it_are_imported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = write(tmp_path, "ok.csv", "text,published_at\nFirst file,2025-06-01\n")
    bad = write(tmp_path, "bad.csv", "text,published_at\nA good row of a bad file,2025-06-02\nbad,nope\n")
    other = write(tmp_path, "other.csv", "text,published_at\nThird file,2025-06-03\n")
    notes = write(tmp_path, "notes.txt", "not an export")
    db_path = tmp_path / "h.duckdb"
    names = [str(ok), str(bad), str(other), str(notes)]
    assert main(["import", *names, "--db", str(db_path), "--check"]) == 1
    got = capsys.readouterr()
    assert got.out.count("nothing stored (--check)") == 2
    assert got.err.splitlines()[-1] == f"hirepulse: 2 of 4 files would not be imported: {bad}, {notes}"
    assert not db_path.exists()
    assert main(["import", *names, "--db", str(db_path)]) == 1
    got = capsys.readouterr()
    assert got.out == (f"{ok}: 1 row, 1 new, 0 updated, 0 already stored\n"
                       f"{other}: 1 row, 1 new, 0 updated, 0 already stored\n"
                       "run `hirepulse analyze` to score what was imported\n")
    assert got.err.splitlines() == [
        f"hirepulse: creating a new database at {db_path.resolve()}",
        f"hirepulse: error: {bad}, row 3, column 'published_at': unparseable date 'nope' (use ISO 8601, e.g. "
        "2025-06-03 or 2025-06-03T14:22:00Z, or name the file's format with --date-format, e.g. '%d.%m.%Y'); if row 3 "
        "is a survey tool's extra header row, --skip-rows leaves it out",
        f"hirepulse: error: {notes}: cannot tell the format from the file name: pass --format csv, jsonl, json or xlsx",
        f"hirepulse: 2 of 4 files not imported: {bad}, {notes}"]
    # each file is its own transaction: nothing of the bad file, not even its good row, is stored
    assert [r["text"] for r in rows(db_path, "SELECT text FROM mentions ORDER BY published_at")] == [
        "First file", "Third file"]
    assert len(rows(db_path, "SELECT * FROM runs")) == 2
    # a database that cannot be opened fails every file: the first says why, the last line names them all
    corrupt = tmp_path / "corrupt.duckdb"   # (DuckDB's mark at its place, a broken file after it)
    corrupt.write_bytes(b"\0" * 8 + b"DUCK" + b"\xff" * 4084 + b"\0" * 8192)
    assert main(["import", str(ok), str(other), "--db", str(corrupt)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith(f"hirepulse: error: cannot open {corrupt}")
    assert err[1] == f"hirepulse: 2 of 2 files not imported: {ok}, {other}"
    # a folder given as the database is said up front, before any file is read
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert main(["import", str(ok), str(other), "--db", str(folder)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"hirepulse: error: is a folder: {folder} (the database is a file: e.g. {folder / 'hirepulse.duckdb'})"]
    # one file fails as it always did: its error alone
    assert main(["import", str(bad), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"hirepulse: error: {bad}, row 3, column 'published_at'") and err.count("\n") == 1


def test_cli_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "x.xml", "<a/>")
    with pytest.raises(SystemExit) as info:
        main(["import", str(path), "--format", "xml"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'xml'" in err
    assert main(["import", str(path)]) == 1
    assert "cannot tell the format" in capsys.readouterr().err


def test_date_format_reads_local_dates_and_names_the_row_that_does_not_match(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # synthetic rows in the shape of a German spreadsheet export
    path = write(tmp_path, "de.csv", "text;published_at\nNie wieder gehört;31.12.2025\nSchnelles Angebot;02.01.2026 14:30\n")
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'published_at'" in err and "--date-format" in err   # the hint names the way out
    assert main(["import", str(path), "--db", str(db_path), "--date-format", "%d.%m.%Y"]) == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "does not match --date-format '%d.%m.%Y'" in err
    assert not db_path.exists() or rows(db_path) == []                        # all or nothing
    write(tmp_path, "de.csv", "text;published_at\nNie wieder gehört;31.12.2025\nSchnelles Angebot;02.01.2026\n")
    assert main(["import", str(path), "--db", str(db_path), "--date-format", "%d.%m.%Y"]) == 0
    stored = rows(db_path, "SELECT published_at FROM mentions ORDER BY published_at")
    assert [r["published_at"].isoformat() for r in stored] == ["2025-12-31T00:00:00+00:00", "2026-01-02T00:00:00+00:00"]


@pytest.mark.parametrize(("fmt", "fragment"), [("d.m.Y", "has no day in it"), ("%m/%Y", "has no day in it"),
                                              ("%d.%m.%Y %Q", "is not a strptime date format")])
def test_a_bad_date_format_is_a_usage_error_before_any_file_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, fragment: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import", str(tmp_path / "absent.csv"), "--date-format", fmt])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


@pytest.mark.parametrize("label", ["survey\n", "2025-survey", "s" * 41, "Survey"])
def test_a_bad_source_label_is_refused_whole_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         label: str) -> None:
    # the label begins every stored id; one ending in a line break (a script's echo) passed a check anchored by $
    path = write(tmp_path, "survey.csv", "text,published_at\nFine.,2025-06-01\n")
    message = f"source label {label!r} must be lowercase letters, digits, - or _, a letter first and 40 at most"
    with pytest.raises(InputError) as info:
        read_columns(ImportSpec(path, "csv", source=label))
    assert str(info.value) == f"{path}: {message}"
    # on the command line, once before any file is read, however many are named
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(path), str(tmp_path / "absent.csv"), "--check", "--source", label])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"hirepulse import: error: argument --source: {message} (see `hirepulse import --help`)\n"


# a survey export with columns that are no field (synthetic): "nps" meant as the rating, two left out on purpose
EXTRA_COLUMNS = """submitted,comment,nps,role,,difficulty
2025-06-03,The recruiter never called back after the phone screen.,3,Cashier,,2
"""


def test_read_file_names_the_columns_that_feed_no_field_in_the_files_order(tmp_path: Path) -> None:
    path = write(tmp_path, "survey.csv", EXTRA_COLUMNS)
    columns, unused = read_file(ImportSpec(path, "csv", mapping={"submitted": "published_at"}))
    assert columns["text"] == ["The recruiter never called back after the phone screen."]
    assert unused == ("nps", "role", "difficulty")  # (a blank header cell names nothing)
    assert read_file(ImportSpec(path, "csv", mapping={"submitted": "published_at", "nps": "rating"}))[1] == (
        "role", "difficulty")
    lines = write(tmp_path, "s.jsonl", '{"date": "2025-06-03", "text": "ok", "team": "ops"}\n'
                                      '{"date": "2025-06-04", "text": "ok", "nps": 9}\n')
    assert read_file(ImportSpec(lines, "jsonl"))[1] == ("team", "nps")  # the keys of every line, first seen first
    assert read_file(ImportSpec(write(tmp_path, "all.csv", SURVEY), "csv"))[1] == ()


def test_cli_import_says_which_columns_it_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", EXTRA_COLUMNS)
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--map", "submitted=published_at"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("survey.csv: 1 row, 1 new, 0 updated, 0 already stored\n  note: 3 columns not imported: nps, role, "
                        "difficulty; to import one as a field, --map COLUMN=FIELD (fields: text, published_at, url, "
                        "company, author, stage, rating, id, title)\nrun `hirepulse analyze` to score what was imported\n"), out
    # mapped, the rating is kept (and its own note, singular, says it is not read without a scale)
    assert main(["import", str(path), "--db", str(db_path), "--map", "submitted=published_at", "nps=rating"]) == 0
    out = capsys.readouterr().out
    assert "  note: 1 rating kept but not read for tone;" in out
    assert out.endswith("  note: 2 columns not imported: role, difficulty; to import one as a field, --map "
                        "COLUMN=FIELD (fields: text, published_at, url, company, author, stage, rating, id, title)\n"
                        "run `hirepulse analyze` to score what was imported\n")
    assert [r["rating"] for r in rows(db_path)] == [3.0]
    # every column used: no note of left-out columns
    assert main(["import", str(write(tmp_path, "all.csv", SURVEY)), "--db", str(db_path), "--rating-scale", "5"]) == 0
    assert "note" not in capsys.readouterr().out


# interview reviews with a review site's verdict on each (synthetic), the words told otherwise than the verdict
VERDICT_REVIEWS = """review_id,review_date,Interview Experience,overall_rating,review_body
v1,2025-06-01,Negative,4,The recruiter was friendly and the interview was well organised.
v2,2025-06-02,positive experience,2,Long wait between rounds and the paperwork was a pain.
v3,2025-06-03,Neutral,3,The recruiter was friendly and the interview was well organised.
v4,2025-06-04,,,The interviewer was rude and kept me waiting an hour.
"""


def test_a_verdict_word_is_a_rating_of_three_steps_read_without_a_scale(tmp_path: Path) -> None:
    path = write(tmp_path, "verdicts.csv", VERDICT_REVIEWS)
    mapped = {"review_date": "published_at", "Interview Experience": "rating"}
    columns = read_columns(ImportSpec(path, "csv", mapping=mapped))
    assert columns["rating"] == [1.0, 3.0, 2.0, None] and columns["rating_scale"] == [3.0, 3.0, 3.0, None]
    # its words name its scale: --rating-scale is for numbers, and a verdict is no number out of range
    assert read_columns(ImportSpec(path, "csv", mapping=mapped, rating_scale=5))["rating_scale"] == [3.0, 3.0, 3.0, None]
    # numbers and verdicts in one column: each row keeps its own scale
    mixed = write(tmp_path, "mixed.csv", "text,published_at,rating\na,2025-01-01,4\nb,2025-01-02,NEGATIVE\n"
                                         "c,2025-01-03,\n")
    assert read_columns(ImportSpec(mixed, "csv"))["rating_scale"] == [None, 3.0, None]
    assert read_columns(ImportSpec(mixed, "csv", rating_scale=5))["rating_scale"] == [5.0, 3.0, None]
    with pytest.raises(InputError, match=r"row 2, column 'rating': rating 'meh' is not a number, nor a verdict "
                                         r"\(positive, neutral, negative\)"):
        read_columns(ImportSpec(write(tmp_path, "meh.csv", "text,published_at,rating\na,2025-01-01,meh\n"), "csv"))


def test_an_interview_experience_column_sets_each_reviews_sign(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "verdicts.csv", VERDICT_REVIEWS)
    db_path = tmp_path / "h.duckdb"
    # the verdict is mapped by hand (see below), and the stars, left out, are named
    assert main(["import", str(path), "--db", str(db_path), "--map", "review_date=published_at",
                 "Interview Experience=rating"]) == 0
    out = capsys.readouterr().out
    assert "4 rows, 4 new, 0 updated, 0 already stored, 3 rated\n" in out and "kept but not read" not in out
    assert "note: 1 column not imported: overall_rating;" in out
    assert main(["analyze", "--db", str(db_path)]) == 0
    read = {r["native_id"]: r for r in rows(db_path, READ)}
    assert [read[k]["sentiment"] < -0.05 for k in ("v1", "v2", "v3", "v4")] == [True, False, False, True]
    assert read["v2"]["sentiment"] > 0.05 and read["v3"]["sentiment"] == 0.0
    assert (read["v1"]["rating"], read["v1"]["rating_scale"]) == (1.0, 3.0)
    # without --map the column is no rating by its name: a survey's free-text answer under that heading imports as
    # before, and the column is named as left out (so an export's verdicts are one --map away)
    survey = write(tmp_path, "survey.csv", "submitted,comment,Interview Experience\n"
                                           "2025-06-01,Friendly recruiter.,It went well until the panel ran late\n")
    assert main(["import", str(survey), "--db", str(db_path), "--map", "submitted=published_at"]) == 0
    out = capsys.readouterr().out
    assert "1 row, 1 new" in out and "note: 1 column not imported: Interview Experience;" in out


@pytest.mark.parametrize(("cell", "read"), [
    ("4", (4.0, None)), ("3,5", (3.5, None)), ("-1", (-1.0, None)),          # numbers: the --rating-scale governs
    ("4 - Good", (4.0, None)), ("5 (Very satisfied)", (5.0, None)), ("2. Poor", (2.0, None)), ("4 stars", (4.0, None)),
    ("4/5", (4.0, 5.0)), ("3.5 / 5", (3.5, 5.0)), ("8 out of 10", (8.0, 10.0)), ("4 of 5 stars", (4.0, 5.0)),
    ("4,5/5", (4.5, 5.0)), ("\u2605\u2605\u2606\u2606\u2606", (2.0, 5.0)), ("\u2605\u2605\u2605\u2605", (4.0, 5.0)),
    ("Negative", (1.0, 3.0)), ("positive experience", (3.0, 3.0)),
    ("Good", None), ("four", None), ("4 - 5", None), ("", None), ("\u2605" * 6, None),
])
def test_a_rating_cell_is_read_with_the_scale_it_names(cell: str, read: tuple[float, float | None] | None) -> None:
    assert read_rating(cell) == read


def test_a_scale_of_words_runs_from_one_star_to_five_whatever_its_length() -> None:
    five = word_scale(("Poor", "Fair", "Good", "Very good", "Excellent"))
    assert list(five.values()) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert list(word_scale(["No", "Yes"]).values()) == [1.0, 5.0]
    assert list(word_scale(["Poor", "Fair", "Good", "Excellent"]).values()) == [1.0, 2.33, 3.67, 5.0]
    # any case and spacing; the user's words come before the verdicts, which may be words of a longer scale
    assert read_rating("  very   GOOD ", five) == (4.0, 5.0)
    longer = word_scale(["Very negative", "Negative", "Neutral", "Positive", "Very positive"])
    assert read_rating("Negative", longer) == (2.0, 5.0) and read_rating("Negative") == (1.0, 3.0)
    for bad in (["Good"], ["Good", "good"], ["Poor", ""]):
        with pytest.raises(ValueError):
            word_scale(bad)


# a candidate survey exported with the answers' words (synthetic); each comment told otherwise than its answer
WORDED_SURVEY = """submitted,comment,How was your experience?
2025-06-01,The recruiter was friendly and the interview was well organised.,Very dissatisfied
2025-06-02,Long wait between rounds and the paperwork was a pain.,Very satisfied
2025-06-03,The recruiter was friendly and the interview was well organised.,neither satisfied nor dissatisfied
2025-06-04,The interviewer was rude and kept me waiting an hour.,
"""
SATISFACTION = ("Very dissatisfied,Dissatisfied,Neither satisfied nor dissatisfied,Satisfied,Very satisfied")


def test_rating_words_have_a_survey_answer_in_words_set_each_posts_sign(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", WORDED_SURVEY)
    db_path = tmp_path / "h.duckdb"
    args = ["import", str(path), "--db", str(db_path), "--map", "submitted=published_at", "comment=text",
            "How was your experience?=rating"]
    # without the scale's words the import stops at the first, naming the column's words to give it
    assert main(args) == 1
    err = capsys.readouterr().err
    assert ("row 2, column 'How was your experience?': rating 'Very dissatisfied' is not a number, nor a verdict "
            "(positive, neutral, negative); for a scale of words, name them lowest first with --rating-words (this "
            "column's words: Very dissatisfied, Very satisfied, neither satisfied nor dissatisfied)") in err
    assert not db_path.exists() or rows(db_path) == []
    assert main([*args, "--rating-words", SATISFACTION]) == 0
    assert "4 rows, 4 new, 0 updated, 0 already stored, 3 rated\n" in capsys.readouterr().out
    assert main(["analyze", "--db", str(db_path)]) == 0
    read = rows(db_path, READ.replace("m.native_id", "m.published_at"))   # (in the file's order)
    assert [(r["rating"], r["rating_scale"]) for r in read] == [(1.0, 5.0), (5.0, 5.0), (3.0, 5.0), (None, None)]
    assert read[0]["sentiment"] < -0.05 and read[1]["sentiment"] > 0.05 and read[2]["sentiment"] == 0.0
    assert read[3]["sentiment"] < -0.05   # no answer: the words alone
    # a word the scale does not name stops the import, naming the scale
    assert main([*args, "--rating-words", "Very dissatisfied,Very satisfied"]) == 1
    assert ("rating 'neither satisfied nor dissatisfied' is not one of --rating-words (Very dissatisfied, Very "
            "satisfied), nor a number") in capsys.readouterr().err


def test_a_rating_that_names_its_scale_is_read_without_one_given(tmp_path: Path) -> None:
    path = write(tmp_path, "named.csv", "text,published_at,rating\na,2025-01-01,4/5\nb,2025-01-02,\u2605\u2606\u2606\n"
                                        "c,2025-01-03,7 out of 10\nd,2025-01-04,4 - Good\n")
    columns = read_columns(ImportSpec(path, "csv"))
    assert columns["rating"] == [4.0, 1.0, 7.0, 4.0] and columns["rating_scale"] == [5.0, 3.0, 10.0, None]
    assert read_columns(ImportSpec(path, "csv", rating_scale=5))["rating_scale"] == [5.0, 3.0, 10.0, 5.0]
    with pytest.raises(InputError, match=r"row 2, column 'rating': rating '6/5' is not a score from 0 to its scale"):
        read_columns(ImportSpec(write(tmp_path, "over.csv", "text,published_at,rating\na,2025-01-01,6/5\n"), "csv"))


def test_a_rating_is_in_its_scale_by_one_test_for_import_and_classify(tmp_path: Path) -> None:
    # (classify's half: tests/test_cli.py, test_classify_reads_a_rating_in_words_or_with_its_own_scale)
    assert [rating_in_scale(r, s) for r, s in ((0, 5), (5, 5), (2.5, 5.0), (5.5, 5), (-1, 5), (1, 0))] == [
        True, True, True, False, False, False]
    nan, inf = float("nan"), float("inf")
    assert not any(rating_in_scale(r, s) for r, s in ((nan, 5), (1, nan), (1, inf), (inf, inf)))
    # a scale written with more digits than a float holds is infinite: every rating would read as 0 of it
    huge = "4/" + "9" * 400
    assert read_rating(huge) == (4.0, inf)
    path = write(tmp_path, "huge.csv", f"text,published_at,rating\na,2025-01-01,{huge}\n")
    with pytest.raises(InputError, match=r"row 2, column 'rating': rating '4/9+' is not a score from 0 to its scale"):
        read_columns(ImportSpec(path, "csv"))


def test_rating_words_are_checked_before_any_file_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    for words, why in (("Good", "needs at least two words"), ("Poor,poor", "needs distinct, non-empty words"),
                       ("Poor,4,Good", "'4' is already a rating (a number or stars), not a word")):
        with pytest.raises(SystemExit):
            main(["import", "nowhere.csv", "--rating-words", words])
        assert why in capsys.readouterr().err


# a review export that tells each review in two columns (synthetic)
PROS_CONS = """Review Date,Pros,Cons,Overall Rating
2025-06-01,Friendly recruiter and a quick first call,Ghosted after the final round,2
2025-06-02,,"Took 3 months, no feedback",1
2025-06-03,,,3
"""


def test_several_columns_mapped_to_text_are_joined_each_under_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "reviews.csv", PROS_CONS)
    mapping = {"Review Date": "published_at", "Pros": "text", "Cons": "text"}
    # the third review says nothing in either column: it is skipped, as any row without text
    assert len(read_file(ImportSpec(path, "csv", mapping=mapping))[0]["text"]) == 2
    empty = write(tmp_path, "empty.csv", PROS_CONS.split("\n", 1)[0] + "\n2025-06-03,,,3\n")
    with pytest.raises(InputError, match=r"column 'Pros \+ Cons': no row has text here"):   # (none has: both named)
        read_file(ImportSpec(empty, "csv", mapping=mapping))
    path = write(tmp_path, "reviews.csv", PROS_CONS.rsplit("2025-06-03", 1)[0])
    columns, unused = read_file(ImportSpec(path, "csv", mapping=mapping))
    assert columns["text"] == ["Pros: Friendly recruiter and a quick first call\nCons: Ghosted after the final round",
                               "Cons: Took 3 months, no feedback"]
    assert unused == ()   # (Overall Rating is a rating by its name)
    # in --map's order, and the same from JSON lines, whose cells are checked as any text's
    swapped = read_columns(ImportSpec(path, "csv", mapping={"Review Date": "published_at", "Cons": "text",
                                                            "Pros": "text"}))
    assert swapped["text"][0] == "Cons: Ghosted after the final round\nPros: Friendly recruiter and a quick first call"
    lines = write(tmp_path, "reviews.jsonl", '{"date": "2025-06-01", "pros": "Kind panel", "cons": "Slow"}\n'
                                             '{"date": "2025-06-02", "pros": null, "cons": ["a list"]}\n')
    with pytest.raises(InputError, match=r"row 2, column 'cons': expected text, got list"):
        read_columns(ImportSpec(lines, "jsonl", mapping={"pros": "text", "cons": "text"}))
    write(tmp_path, "reviews.jsonl", '{"date": "2025-06-01", "pros": "Kind panel", "cons": "Slow"}\n')
    assert read_columns(ImportSpec(lines, "jsonl", mapping={"pros": "text", "cons": "text"}))["text"] == [
        "pros: Kind panel\ncons: Slow"]
    # one column for any other field
    with pytest.raises(InputError, match=r"columns 'Pros' and 'Cons' both map to title; only text takes several"):
        read_columns(ImportSpec(path, "csv", mapping={"Review Date": "published_at", "Pros": "title", "Cons": "title"}))
    with pytest.raises(InputError, match=r"no text column .*; name one with --map COLUMN=text \(several columns may "
                                         r"be the text: --map Pros=text Cons=text\)"):
        read_columns(ImportSpec(path, "csv", mapping={"Review Date": "published_at"}))


def test_a_review_told_in_pros_and_cons_reads_each_stage_by_its_own_column(tmp_path: Path) -> None:
    path = write(tmp_path, "reviews.csv", PROS_CONS.rsplit("2025-06-03", 1)[0])
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--map", "Review Date=published_at", "Pros=text",
                 "Cons=text"]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    both = rows(db_path, "SELECT a.stages, a.explanation FROM mentions m JOIN analysis a ON a.mention_id = m.id "
                         "WHERE m.text LIKE 'Pros:%'")[0]
    sentences = json.loads(both["explanation"])["sentences"]
    assert [s["text"] for s in sentences] == ["Pros: Friendly recruiter and a quick first call",
                                              "Cons: Ghosted after the final round"]
    assert sentences[0]["compound"] > 0.05 and sentences[1]["compound"] < -0.05
    assert set(both["stages"]) >= {"screening", "rejection"}


@pytest.mark.parametrize(("value", "stage"), [
    ("Application Review", "application"), ("Preliminary Phone Screen", "screening"), ("Online assessment", "screening"),
    ("Face to Face", "interview"), ("On-site Interview", "interview"), ("onsite  interview", "interview"),
    ("No Offer", "rejection"), ("Declined Offer", "offer"), ("declined", "rejection"), ("Accepted offer", "offer"),
    ("Hiring Manager Review", None), ("Reference Check", None),
    # a snake_case value, and the same words spaced or hyphenated, each found by its own key
    ("phone_screen", "screening"), ("Phone Screen", "screening"), ("phone-screen", "screening"),
])
def test_a_stage_cell_may_hold_a_tracking_systems_step_or_an_interviews_outcome(value: str, stage: str | None) -> None:
    assert normalise_stage(value) == stage


# a candidate survey keyed by the employer's own tracking-system steps (synthetic)
ATS_SURVEY = """submitted,step,comment
2025-06-01,Application Review,Applying took ten minutes.
2025-06-02,Hiring Manager Review,Nobody told me what the call would cover.
2025-06-03,Take-home,The exercise took a whole weekend.
2025-06-04,No Offer,Told no with a kind note.
"""


def test_stage_values_name_the_stage_of_a_files_own_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", ATS_SURVEY)
    db_path = tmp_path / "h.duckdb"
    args = ["import", str(path), "--db", str(db_path), "--map", "submitted=published_at", "step=stage", "comment=text"]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"hirepulse: error: {path}, row 3, column 'step': unknown stage 'Hiring Manager Review' (stages: application, "
        "screening, interview, offer, rejection, onboarding; name the stage it means with --stage-values 'Hiring "
        "Manager Review=STAGE')\n")
    assert not db_path.exists() or rows(db_path) == []
    own = ["--stage-values", "hiring manager review=screening", "Take-home=Interviews"]   # any case; a stage synonym
    assert main([*args, *own]) == 0
    assert capsys.readouterr().err == f"hirepulse: creating a new database at {db_path.resolve()}\n"
    assert [r["stage_hint"] for r in rows(db_path, BY_DATE)] == ["application", "screening", "interview", "rejection"]
    for pair, why in (("Take-home", "expected VALUE=STAGE, got 'Take-home'"),
                      ("Take-home=homework", "'Take-home=homework': unknown stage 'homework' (stages: application, "
                                             "screening, interview, offer, rejection, onboarding)\n")):
        assert main([*args, "--stage-values", pair]) == 1
        assert capsys.readouterr().err.startswith(f"hirepulse: error: --stage-values: {why}")


def test_check_shows_what_each_field_takes_and_stores_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "reviews.csv", PROS_CONS.rsplit("2025-06-03", 1)[0].replace("Overall Rating", "Overall "
                                                                                       "Rating,Employer")
                 .replace(",2\n", ",2,Acme Corp\n").replace(",1\n", ",1,\n"))
    db_path = tmp_path / "h.duckdb"
    monkeypatch.delenv("HIREPULSE_SALT")   # stores nothing, so hashes no author: no salt needed
    args = ["import", str(path), "--db", str(db_path), "--check", "--map", "Review Date=published_at", "Pros=text",
            "Cons=text", "Employer=company", "--company", "Brightwater", "--stage", "interview"]
    assert main(args) == 0
    assert capsys.readouterr().out == (
        f"{path}: 2 rows read, nothing stored (--check)\n"
        "  text          <- Pros + Cons\n"
        "  published_at  <- Review Date: 2025-06-01 to 2025-06-02\n"
        "  company       <- Employer: Acme Corp 1, Brightwater 1\n"
        "  rating        <- Overall Rating: 2 given, 2 not read for tone\n"
        "  stage         <- --stage interview\n"
        "  note: 2 ratings kept but not read for tone; add --rating-scale 5 (stars) or 10 (a 0-10 survey) to have "
        "them read\n")
    assert not db_path.exists()
    # a bad row fails the check as it would the import
    assert main([*args[:-4], "--rating-scale", "1"]) == 1
    assert "row 2, column 'Overall Rating': rating 2 is outside 0-1" in capsys.readouterr().err
    assert not db_path.exists()


def workbook(path: Path, *sheets: list[list[object]]) -> Path:
    """An Excel workbook written by openpyxl, one list of rows per sheet."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for number, rows_ in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Sheet{number}")
        for row in rows_:
            sheet.append(row)
    book.save(path)
    return path


def test_an_excel_workbooks_first_sheet_imports_as_its_csv_export_would(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date, datetime as dt

    path = workbook(tmp_path / "survey.xlsx", [
        [None, None, None, None],   # a blank row above the header, as exports with a title row leave one
        ["Response ID", "Submitted", "Stage", "Score", "Comment"],
        [101, dt(2025, 6, 3, 14, 22), "Face to Face", 4.0, "The panel was kind and on time."],
        [None, None, None, None, None],
        [102, date(2025, 6, 4), "phone screen", 2.5, "Recruiter never called back.\nTwo weeks of silence."],
    ], [["text", "published_at"], ["a second sheet is not read", "2025-01-01"]])
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(path), "--db", str(db_path), "--map", "Submitted=published_at", "Comment=text",
                 "--rating-scale", "5"]) == 0
    assert f"{path}: 2 rows, 2 new, 0 updated, 0 already stored, 2 rated\n" in capsys.readouterr().out
    stored = rows(db_path, BY_DATE)
    assert [(r["native_id"], r["published_at"].isoformat(), r["stage_hint"], r["rating"], r["text"]) for r in stored] == [
        ("101", "2025-06-03T14:22:00+00:00", "interview", 4.0, "The panel was kind and on time."),
        ("102", "2025-06-04T00:00:00+00:00", "screening", 2.5, "Recruiter never called back.\nTwo weeks of silence.")]
    # a bad row is named by its row in the sheet
    bad = workbook(tmp_path / "bad.xlsx", [["text", "published_at"], ["ok", "2025-01-01"], [None, None],
                                           ["no date", None]])
    with pytest.raises(InputError, match=r"row 4, column 'published_at': missing date"):
        read_columns(ImportSpec(bad, "xlsx"))
    wide = workbook(tmp_path / "wide.xlsx", [["text", "published_at"], ["ok", "2025-01-01", "stray"]])
    with pytest.raises(InputError, match=r"row 2: has a cell beyond the header's 2 columns"):
        read_columns(ImportSpec(wide, "xlsx"))


def test_a_csv_row_is_numbered_by_records_as_the_sheet_of_the_same_rows_is(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # a quoted cell of three lines is one row (2), and a blank line is a row (4), as a spreadsheet shows them
    path = write(tmp_path, "ml.csv", 'text,published_at\n"a\nb\nc",2025-06-01\nsecond,notadate\n\nfourth,bad\n')
    with pytest.raises(InputError, match=r"ml.csv, row 3, column 'published_at': unparseable date 'notadate'.*"
                                         r"if row 3 is a survey tool's extra header row"):
        read_columns(ImportSpec(path, "csv"))
    sheet = workbook(tmp_path / "ml.xlsx", [["text", "published_at"], ["a\nb\nc", "2025-06-01"],
                                            ["second", "notadate"]])
    with pytest.raises(InputError, match=r"ml.xlsx, row 3, column 'published_at': unparseable date 'notadate'"):
        read_columns(ImportSpec(sheet, "xlsx"))
    write(tmp_path, "ml.csv", 'text,published_at\n"a\nb\nc",2025-06-01\n\nfourth,bad\n')
    with pytest.raises(InputError, match=r"row 4, column 'published_at': unparseable date 'bad'"):
        read_columns(ImportSpec(path, "csv"))
    # --skip-rows leaves rows out, and they keep their numbers
    write(tmp_path, "ml.csv", 'text,published_at\n"Question\ntext",Date\n"a\nb",2025-06-01\nc,2025-06-02,x\n')
    with pytest.raises(InputError, match=r"ml.csv, row 4: has 3 cells, the header has 2"):
        read_columns(ImportSpec(path, "csv", skip_rows=1))


def test_a_file_that_is_no_workbook_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = write(tmp_path, "export.xlsx", "text,published_at\nok,2025-01-01\n")   # a CSV named .xlsx
    with pytest.raises(InputError, match=r"export.xlsx: not an Excel workbook \(.xlsx\) that can be read"):
        read_columns(ImportSpec(fake, "xlsx"))
    with pytest.raises(InputError, match=r"empty file"):
        read_columns(ImportSpec(workbook(tmp_path / "empty.xlsx", []), "xlsx"))
    old = write(tmp_path, "export.xls", b"\xd0\xcf\x11\xe0 an old binary workbook")
    assert main(["import", str(old), "--db", str(tmp_path / "h.duckdb")]) == 1
    assert capsys.readouterr().err == (f"hirepulse: error: {old}: an Excel 97-2003 workbook (.xls) is not read: save "
                                       "it as .xlsx or CSV\n")


# a survey tool's export with two header rows below the column names (synthetic, in Qualtrics' layout)
TWO_HEADER_ROWS = """StartDate,RecordedDate,ResponseId,Q1,Q2
Start Date,Recorded Date,Response ID,How was your interview?,Which step was this?
"{""ImportId"":""startDate""}","{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}","{""ImportId"":""QID2""}"
2025-06-03 14:22:05,2025-06-03 14:25:40,R_1abc,The panel was kind and on time.,Face to Face
"""


def test_skip_rows_leaves_out_a_survey_tools_extra_header_rows(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", TWO_HEADER_ROWS)
    db_path = tmp_path / "h.duckdb"
    args = ["import", str(path), "--db", str(db_path), "--map", "Q1=text", "Q2=stage"]
    assert main(args) == 1   # without it, the question texts are the first row, and the error says what to do
    assert ("row 2, column 'RecordedDate': unparseable date 'Recorded Date' (use ISO 8601, e.g. 2025-06-03 or "
            "2025-06-03T14:22:00Z, or name the file's format with --date-format, e.g. '%d.%m.%Y'); if row 2 is a "
            "survey tool's extra header row, --skip-rows leaves it out\n") in capsys.readouterr().err
    assert main([*args, "--skip-rows", "2"]) == 0
    assert "1 row, 1 new" in capsys.readouterr().out
    stored = rows(db_path)
    # RecordedDate and ResponseId are the date and the id by their names
    assert [(r["native_id"], r["published_at"].isoformat(), r["stage_hint"]) for r in stored] == [
        ("R_1abc", "2025-06-03T14:25:40+00:00", "interview")]
    with pytest.raises(InputError, match=r"survey.csv: no rows to import: --skip-rows 3 leaves out all 3 rows below "
                                         "the header"):
        read_columns(ImportSpec(path, "csv", skip_rows=3))
    with pytest.raises(InputError, match=r"only.xlsx: no rows to import: the sheet has a header row only"):
        read_columns(ImportSpec(workbook(tmp_path / "only.xlsx", [["text", "published_at"]]), "xlsx"))
    lines = write(tmp_path, "a.jsonl", '{"text": "a", "published_at": "2025-01-01"}\n')
    with pytest.raises(InputError, match="--skip-rows is for CSV and Excel files"):
        read_columns(ImportSpec(lines, "jsonl", skip_rows=1))


def test_skip_rows_takes_0_its_default_and_refuses_a_negative_number(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "survey.csv", "text,published_at\nFine.,2025-06-01\n")
    db_path = tmp_path / "h.duckdb"
    # 0 is the help's default and an [[imports]] table's skip_rows = 0: a script may pass it to every file
    assert main(["import", str(path), "--db", str(db_path), "--skip-rows", "0"]) == 0
    assert f"{path}: 1 row, 1 new" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["import", str(path), "--db", str(db_path), "--skip-rows", "-1"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("hirepulse import: error: argument --skip-rows: -1 is not 0 or more")


def test_a_csv_that_excel_saved_on_windows_imports_with_its_encoding_named(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # Excel's "CSV (Comma delimited)" writes the system's code page: cp1252 here ("–" and "é" are one byte each)
    path = write(tmp_path, "survey.csv", "text,published_at\nCafé chat – then silence,2025-01-01\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"row 2: bytes that are not UTF-8 at byte offset 21, after 'Caf': save the "
                                         r"export as UTF-8, or name its encoding, e.g. --encoding cp1252 for a CSV "
                                         r"that Excel saved"):
        read_columns(ImportSpec(path, "csv"))
    assert read_columns(ImportSpec(path, "csv", encoding="cp1252"))["text"] == ["Café chat – then silence"]
    # Excel's "Unicode Text": UTF-16 with its byte-order mark, tab-separated, read as it is
    unicode_text = write(tmp_path, "survey.txt", "text\tpublished_at\r\nCafé chat\t2025-01-01\r\n".encode("utf-16"))
    assert read_columns(ImportSpec(unicode_text, "csv"))["text"] == ["Café chat"]
    # a wrong name, and a name for a workbook, are one line each
    db_path = tmp_path / "h.duckdb"
    with pytest.raises(SystemExit):
        main(["import", str(path), "--db", str(db_path), "--encoding", "klingon"])
    assert "unknown text encoding 'klingon'" in capsys.readouterr().err
    with pytest.raises(InputError, match="--encoding is for text files"):
        read_columns(ImportSpec(tmp_path / "x.xlsx", "xlsx", encoding="cp1252"))


# Synthetic exports with one byte of cp1252 ("\xe9", é) in an otherwise UTF-8 file: the place it is named by
@pytest.mark.parametrize(("name", "content", "fmt", "error"), [
    # a CSV by its row as a spreadsheet shows it (the cell above spans two lines; no row for Excel's sep= line), as
    # the file's other errors name rows, and the byte's offset counts the byte-order mark, which is in the file
    ("survey.csv", b'\xef\xbb\xbfsep=;\ntext;published_at\n"Long wait,\nthen an offer";2025-06-01\nCaf\xe9 chat;2025-06-02\n',
     "csv", "survey.csv, row 3: bytes that are not UTF-8 at byte offset 68, after 'Caf': save the export as UTF-8"),
    ("first.csv", b"text,published_at\n\xe9t\xe9 call,2025-06-01\n", "csv",
     "first.csv, row 2: bytes that are not UTF-8 at byte offset 18, the first of their line: save"),
    # JSON lines by its line, which is its record's row
    ("lines.jsonl", b'{"text": "Long wait", "published_at": "2025-06-01"}\n\n{"text": "Caf\xe9"}\n', "jsonl",
     'lines.jsonl, row 3: bytes that are not UTF-8 at byte offset 66, after \'{"text": "Caf\': save'),
    # a JSON document by its line, said to be one: no record's number is known before it is parsed
    ("doc.json", b'[\n  {"text": "Long wait"},\n  {"text": "Caf\xe9"}\n]\n', "json",
     'doc.json: bytes that are not UTF-8 on line 3, at byte offset 42, after \'  {"text": "Caf\': save'),
])
def test_bytes_that_are_not_utf8_are_named_as_the_files_other_errors_name_places(
        tmp_path: Path, name: str, content: bytes, fmt: str, error: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        read_columns(ImportSpec(path, fmt))
    assert str(info.value).startswith(f"{tmp_path}/{error}"), str(info.value)
    assert "\n" not in str(info.value)


def test_sheet_picks_a_workbooks_sheet_by_name(tmp_path: Path) -> None:
    path = workbook(tmp_path / "export.xlsx", [["Summary"], ["42 responses"]],
                    [["text", "published_at"], ["Kind panel.", "2025-06-03"]])
    with pytest.raises(InputError, match=r"no text column \(columns: Summary\)"):
        read_columns(ImportSpec(path, "xlsx"))
    assert read_columns(ImportSpec(path, "xlsx", sheet="Sheet2"))["text"] == ["Kind panel."]
    with pytest.raises(InputError, match=r"the workbook has no sheet 'Responses' \(sheets: Sheet1, Sheet2\)"):
        read_columns(ImportSpec(path, "xlsx", sheet="Responses"))
    with pytest.raises(InputError, match=r"--sheet is for Excel workbooks"):
        read_columns(ImportSpec(write(tmp_path, "a.csv", "text,published_at\na,2025-01-01\n"), "csv", sheet="Sheet2"))


def test_a_json_export_imports_from_its_array_with_nested_fields_named_by_dots(tmp_path: Path) -> None:
    # an API's or a tool's "export as JSON": an object holding the array, each record with nested objects
    path = write(tmp_path, "reviews.json", json.dumps({"count": 2, "reviews": [
        {"id": "a1", "submitted": "2025-06-03", "body": {"pros": "Kind panel.", "cons": "Slow offer."},
         "author": {"name": "@Sam"}, "tags": ["interview"]},
        {"id": "a2", "submitted": "2025-06-04", "body": {"pros": None, "cons": "No answer for weeks."},
         "author": {"name": "@Lee"}, "tags": []},
    ]}, indent=2))
    columns, unused = read_file(ImportSpec(path, "json", mapping={"body.pros": "text", "body.cons": "text",
                                                                  "author.name": "author"}))
    # (a nested field's heading is its own name)
    assert columns["text"] == ["pros: Kind panel.\ncons: Slow offer.", "cons: No answer for weeks."]
    assert columns["author"] == ["@Sam", "@Lee"]   # (hashed when stored, as any author)
    assert unused == ("tags",)
    # a bare array reads the same; a record that is no object is named by its place
    bare = write(tmp_path, "bare.json", '[{"text": "a", "date": "2025-01-01"}, ["b"]]')
    with pytest.raises(InputError, match=r"bare.json, row 2: each record must be a JSON object"):
        read_columns(ImportSpec(bare, "json"))
    two = write(tmp_path, "two.json", '{"reviews": [], "replies": []}')
    with pytest.raises(InputError, match=r"an object holding one \(arrays under 'reviews', 'replies'\)"):
        read_columns(ImportSpec(two, "json"))
    # JSON lines saved under a .json name are read as JSON lines
    lines = write(tmp_path, "lines.json", '{"text": "a", "date": "2025-01-01"}\n{"text": "b", "date": "2025-01-02"}\n')
    assert read_columns(ImportSpec(lines, "json"))["text"] == ["a", "b"]



def test_an_id_from_a_mentions_csv_written_before_the_move_still_erases_the_post(tmp_path: Path) -> None:
    db_path = tmp_path / "h.duckdb"
    legacy = [hash_id(text, day, company, author, title) for day, text, company, author, title in REVIEWS]
    import_file(db_path, ImportSpec(_reviews(tmp_path, "old.csv", legacy), "csv"), salt=SALT)
    import_file(db_path, ImportSpec(_reviews(tmp_path, "reviews.csv"), "csv"), salt=SALT)   # the rows move
    assert not {r["native_id"] for r in rows(db_path)} & set(legacy)
    with db.connect(db_path) as con:
        # the former id is kept only by its salted key: not as given, nor by a hash anyone could make of it
        kept = [k for (k,) in con.execute("SELECT former_key FROM moved_ids").fetchall()]
        assert kept and not {f"import:{i}" for i in legacy} & set(kept)
        # an erasure request quoting the id an older mentions.csv shows
        assert db.forget_posts(con, ids=[f"import:{legacy[0]}"], salt=SALT) == 1
        assert "Ghosted after the onsite" not in {r[0] for r in con.execute("SELECT text FROM mentions").fetchall()}
        assert con.execute("SELECT count(*) FROM moved_ids").fetchone()[0] == len(kept) - 1
    _, again = import_file(db_path, ImportSpec(_reviews(tmp_path, "reviews.csv"), "csv"), salt=SALT)
    assert again.new == 0 and again.erased == 1
