"""Hacker News (Algolia): parse the recorded page, fetch incrementally from a local server."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from werkzeug import Response

from collectors.base import Query, RawPage
from collectors.hackernews import build
from collectors.run import build_source
from hirepulse import db
from hirepulse.cli import main
from hirepulse.models import Mention
from test_collect_support import (
    FIXTURES, FakeAlgolia, _fresh_robots, config_for, hn_hit, hn_reply, hn_story, paths, query_args, rows, run,
    stored_bytes, strip_fetched,
)

__all__ = ["_fresh_robots"]
BASE = 1_700_000_000


def test_parse_recorded_page_keeps_hits_naming_the_query(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"hackernews": {}}, companies=[{"name": "Apple", "aliases": ["AMD"]}])
    source = build(config, config.source("hackernews"))
    body = (FIXTURES / "hackernews" / "search_by_date.json").read_bytes()
    page = RawPage(url="https://hn.algolia.com/api/v1/search_by_date?query=Apple", status=200, body=body,
                   query="Apple", company="Apple")
    assert strip_fetched(source.parse(page)) == [Mention(
        source="hackernews", native_id="23604471",
        text="this is a exciting news. i hope Apple/AMD can force Intel to step up its game.\n\n"
             "Intel is losing to AMD's Zen and TSMC process nodes.",
        published_at=datetime(2020, 6, 22, 19, 3, 24, tzinfo=timezone.utc),
        # matched by its story's title ("Apple announces..."), which is not stored with it: the story author's words
        url="https://news.ycombinator.com/item?id=23604471", company="Apple", title=None,
        author="MangoCoffee", lang=None, query="Apple", kind="comment", fetched_at=None,  # type: ignore[arg-type]
    )]
    # the first hit only matched "nodejs" by typo tolerance ("nodes"): dropped for query "nodejs"
    page = RawPage(url=page.url, status=200, body=body, query="nodejs", company="Node")
    assert list(source.parse(page)) == []


def test_hiring_label_on_matching_hits(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"hackernews": {}})
    source = build_source("hackernews", config)
    import json

    body = json.dumps({"hits": [hn_hit(1, BASE, "Acme ghosted me after the onsite interview")],
                       "nbHits": 1, "page": 0, "nbPages": 1}).encode()
    [mention] = source.parse(RawPage(url="u", status=200, body=body, query="Acme", company="Acme Corp"))
    assert (mention.query, mention.company) == ("Acme +hiring", "Acme Corp")


def test_paging_stops_at_cursor_and_second_run_adds_nothing(tmp_path: Path, httpserver) -> None:
    hits = [hn_hit(1000 + i, BASE + i * 600, f"Acme interview story number {i}") for i in range(250)]
    api = FakeAlgolia(hits)
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(api)
    config = config_for(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "hits_per_page": 100}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"

    first = run("hackernews", config, db_path)
    assert (first.status, first.new, first.requests) == ("ok", 250, 3)
    stored = rows(db_path)
    assert len(stored) == 250 and stored[0]["company"] == "Acme" and stored[0]["query"] == "Acme +hiring"
    assert stored[0]["author_key"] and stored[0]["author_key"] != "someone"

    httpserver.clear_log()
    second = run("hackernews", config, db_path)
    assert (second.status, second.new, second.updated, second.requests) == ("ok", 0, 0, 1)
    sent = query_args(paths(httpserver)[0])
    newest = BASE + 249 * 600
    assert sent["numericFilters"].startswith(f"created_at_i>{newest - 7200},")   # cursor minus 2 h look-back

    api.hits.append(hn_hit(5000, newest + 60, "Acme sent me an offer"))
    third = run("hackernews", config, db_path)
    assert (third.new, third.skipped) == (1, 12)   # the new hit, plus the 2 h overlap absorbed


def test_window_split_beyond_1000_hits(tmp_path: Path, httpserver) -> None:
    hits = [hn_hit(10_000 + i, BASE + i * 60, f"Acme note {i}") for i in range(2300)]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits))
    config = config_for(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "hits_per_page": 1000,
                                                  "max_pages": 50}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    result = run("hackernews", config, db_path)
    assert result.status == "ok"
    assert len(rows(db_path)) == 2300


def test_malformed_payload_fails_the_source(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data("<html>oops</html>", content_type="text/html")
    config = config_for(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/")}}, companies=[{"name": "Acme"}])
    result = run("hackernews", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "not JSON" in result.error
    assert Query  # re-exported for readers of this test


def test_pages_before_a_malformed_page_are_kept_and_the_cursor_stays(tmp_path: Path, httpserver) -> None:
    hits = [hn_hit(i, BASE + i * 60, f"Acme recruiter {i}") for i in range(1, 31)]
    good = FakeAlgolia(hits)

    def handler(request):  # noqa: ANN001, ANN202 - werkzeug Request/Response
        if request.args.get("page") == "2":
            return Response("<html>maintenance</html>", content_type="text/html")
        return good(request)
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(handler)
    config = config_for(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/"), "hits_per_page": 10}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    result = run("hackernews", config, db_path)
    assert result.status == "error" and "not JSON" in result.error
    assert len(rows(db_path)) == 20                  # the two good pages were written before the failure
    with db.connect(db_path, read_only=True) as con:
        assert db.get_cursor(con, "hackernews", "Acme") is None   # the window was not finished: no cursor


STORY_TITLE = "Acme interview loop: Zqxstorytitle, ghosted after the onsite"


def collect_a_thread(tmp_path: Path, httpserver) -> Path:
    """A story and its two comments (which do not name Acme: its title does) collected and analysed."""
    story = hn_story(500, BASE, STORY_TITLE, author="story_author")
    hits = [story, hn_reply(501, BASE + 60, "Same for me, three weeks of silence after the final round.", story,
                            author="first_reply"),
            hn_reply(502, BASE + 120, "Mine went well: a kind panel and a fast offer.", story, author="second_reply")]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits))
    config = config_for(tmp_path, {"hackernews": {"base_url": httpserver.url_for("/")}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "db" / "hp.duckdb"
    db_path.parent.mkdir()
    assert run("hackernews", config, db_path).new == 3
    assert main(["analyze", "--db", str(db_path)]) == 0
    return db_path


def test_a_comment_is_stored_without_its_storys_title(tmp_path: Path, httpserver) -> None:
    db_path = collect_a_thread(tmp_path, httpserver)
    stored = {r["native_id"]: r for r in rows(db_path)}
    assert (stored["500"]["kind"], stored["500"]["title"]) == ("story", STORY_TITLE)
    # matched through the story's title, and labelled by it, but stored with their own words only
    assert [(stored[n]["kind"], stored[n]["title"], stored[n]["company"], stored[n]["query"]) for n in ("501", "502")] \
        == [("comment", None, "Acme", "Acme +hiring")] * 2
    assert stored["501"]["text"] == "Same for me, three weeks of silence after the final round."


def test_the_story_authors_title_leaves_with_their_erasure(tmp_path: Path, httpserver) -> None:
    db_path = collect_a_thread(tmp_path, httpserver)
    assert STORY_TITLE.encode() in stored_bytes(db_path)
    assert main(["forget", "--author", "story_author", "--db", str(db_path)]) == 0
    assert {r["native_id"] for r in rows(db_path)} == {"501", "502"}      # the comments stay...
    assert STORY_TITLE.encode() not in stored_bytes(db_path)              # ...without a word of the story's
    assert b"Zqxstorytitle" not in stored_bytes(db_path)


def test_titles_an_earlier_version_stored_on_comments_go_at_the_next_erasure(tmp_path: Path, httpserver) -> None:
    db_path = collect_a_thread(tmp_path, httpserver)
    with db.connect(db_path) as con, db.transaction(con):
        db.delete_mentions(con, ["hackernews:500"])              # the story itself not stored (or purged since)
        # the comments as hirepulse stored them before: with the story's title, and read with it
        con.execute("UPDATE mentions SET title = ? WHERE kind = 'comment'", [STORY_TITLE])
        con.execute("DELETE FROM analysis WHERE mention_id IN (SELECT id FROM mentions WHERE kind = 'comment')")
    assert main(["analyze", "--db", str(db_path)]) == 0
    with db.connect(db_path) as con:                          # the team labelled one of them
        db.save_label(con, "hackernews:501", is_candidate_experience=True, sentiment="negative",
                      stages=["interview"], consumer_link=False)
    with db.connect(db_path, read_only=True) as con:
        assert all("Zqxstorytitle" in e for (e,) in con.execute("SELECT explanation FROM analysis").fetchall())
    # an erasure that finds nothing of the story author's still takes the title off every comment
    assert main(["forget", "--author", "story_author", "--db", str(db_path)]) == 0
    assert [(r["native_id"], r["title"]) for r in rows(db_path)] == [("501", None), ("502", None)]
    assert b"Zqxstorytitle" not in stored_bytes(db_path)
    with db.connect(db_path, read_only=True) as con:   # the comments wait to be read again from their own words
        assert con.execute("SELECT count(*) FROM analysis").fetchone()[0] == 0
        assert db.facts_fresh(con) and con.execute("SELECT count(*) FROM fact_mentions").fetchone()[0] == 0
        assert con.execute("SELECT mention_id FROM labels").fetchall() == [("hackernews:501",)]   # (no text in it)
    assert main(["analyze", "--db", str(db_path)]) == 0
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM analysis").fetchone()[0] == 2
