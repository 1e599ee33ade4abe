"""Web pages: article and comments from common blog markup; robots.txt; conditional GET; HTTP freshness."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from collectors.base import RawPage
from collectors.run import build_source
from hirepulse import db
from hirepulse.models import Mention, hash_id
from hirepulse.privacy import author_key, keyed_id
from test_collect_support import FIXTURES, SALT, _fresh_robots, config_for, paths, rows, run, strip_fetched

__all__ = ["_fresh_robots"]
URL = "https://blog.example.org/2024/05/my-interview-at-acme/"


def parse(tmp_path: Path, name: str) -> list[Mention]:
    config = config_for(tmp_path, {"web": {}})
    body = (FIXTURES / "web" / f"{name}.html").read_bytes()
    return strip_fetched(build_source("web", config).parse(RawPage(url="https://blog.example.org/p", status=200,
                                                                  body=body, query="https://blog.example.org/p")))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_wordpress_article_and_nested_comments(tmp_path: Path) -> None:
    common = {"source": "web", "lang": "en-US", "query": "https://blog.example.org/p", "fetched_at": None}
    assert parse(tmp_path, "wordpress") == [
        Mention(native_id=URL, url=URL, kind="article", company="Acme Corp", author="Dana",
                published_at=utc(2024, 5, 1, 9), text="The recruiter at Acme was friendly and the take-home task "
                "was fair.\n\nThen I waited six weeks for feedback after the onsite.", title="My interview at Acme Corp",
                **common),
        # the comments carry no title: the article's is its author's words, not the commenters'
        Mention(native_id=URL + "#comment-12", url=URL + "#comment-12", kind="comment", company="Acme Corp",
                author="Sam", published_at=utc(2024, 5, 1, 11, 30),
                text="Same here, Acme never wrote back after my final round.", **common),
        Mention(native_id=URL + "#comment-13", url=URL + "#comment-13", kind="comment", company="Globex",
                author="Dana", published_at=utc(2024, 5, 2, 8, 15),
                text="Sorry to hear that. Did Globex treat you better?", **common),
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("microdata", [("article", "Lee", utc(2024, 4, 10, 12), "Globex replied to every applicant within a week."),
                   ("comment", "Kim", utc(2024, 4, 11, 7), "My Globex offer came with a clear timeline.")]),
    ("hentry", [("article", "Ari", utc(2024, 3, 5, 18), "Acme sent a kind rejection with real feedback."),
                ("comment", "Bo", utc(2024, 3, 6, 10), "Rare to get feedback at all.")]),
])
def test_microdata_and_microformats(tmp_path: Path, name: str, expected: list) -> None:
    got = parse(tmp_path, name)
    assert [(m.kind, m.author, m.published_at, m.text) for m in got] == expected
    assert len({m.native_id for m in got}) == len(got)


def test_a_comment_without_an_id_is_anchored_by_a_keyed_hash_and_its_former_anchor_moves(
        tmp_path: Path, httpserver) -> None:
    page = (FIXTURES / "web" / "microdata.html").read_bytes()   # Kim's comment has no id of its own
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/notes").respond_with_data(page, content_type="text/html")
    url = httpserver.url_for("/notes")
    config = config_for(tmp_path, {"web": {"urls": [url]}})
    comment = next(m for m in build_source("web", config).parse(RawPage(url=url, status=200, body=page, query=url))
                   if m.kind == "comment")
    when, text = comment.published_at.isoformat(), comment.text
    # (an audit confirmed who wrote a comment by hashing guessed authors with its time and text)
    assert comment.native_id == comment.url == f"{url}#{keyed_id(SALT, author_key('Kim', SALT), when, text[:200])}"
    assert comment.former_id == f"{url}#{hash_id('Kim', when, text[:200])}"
    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path) as con:   # as hirepulse stored it before anchors were salted, labelled since
        db.upsert_mentions(con, [replace(comment, native_id=comment.former_id, url=comment.former_id, former_id=None)],
                           salt=SALT)
        db.save_label(con, f"web:{comment.former_id}", is_candidate_experience=True, sentiment="positive",
                      stages=["offer"])
    assert run("web", config, db_path).status == "ok"
    stored = [r for r in rows(db_path) if r["kind"] == "comment"]
    assert [(r["native_id"], r["url"]) for r in stored] == [(comment.native_id, comment.url)]
    with db.connect(db_path, read_only=True) as con:
        assert db.label_reading(con, f"web:{comment.native_id}")["stages"] == ["offer"]
        assert db.label_count(con) == 1


COMMENTS = """<html lang="en"><body><article><h1>Interview at Acme</h1><div class="entry-content"><p>Acme ghosted me.</p>
</div></article><ol class="comment-list">
<li class="comment"><div class="comment-author"><span class="fn">Kim</span></div>
  <div class="comment-metadata"><time datetime="2026-02-01T10:00:00Z">1 Feb</time></div>
  <div class="comment-content"><p>Acme never called back, call me on 07700 900123</p></div></li>
<li class="comment"><div class="comment-metadata"><time datetime="2026-02-02T10:00:00Z">2 Feb</time></div>
  <div class="comment-content"><p>Acme wrote to me at jo.roe@example.com after a month</p></div></li>
</ol></body></html>"""


def test_no_guess_at_what_redaction_took_out_of_a_comment_can_be_tested_against_its_anchor(
        tmp_path: Path, httpserver) -> None:
    # (an audit recovered a phone number from a comment's made anchor by hashing 1,000 candidate numbers with the
    # comment's stored author key and time)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/post").respond_with_data(COMMENTS, content_type="text/html")
    url = httpserver.url_for("/post")
    config = config_for(tmp_path, {"web": {"urls": [url]}})
    kim, anon = [m for m in build_source("web", config).parse(RawPage(url=url, status=200, body=COMMENTS.encode(),
                                                                      query=url)) if m.kind == "comment"]
    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path) as con:   # the comment without an author, as hirepulse anchored it before: labelled
        db.upsert_mentions(con, [replace(anon, native_id=anon.former_id, url=anon.former_id, former_id=None)], salt=SALT)
        db.save_label(con, f"web:{anon.former_id}", is_candidate_experience=True, sentiment="negative",
                      stages=["screening"])
    assert run("web", config, db_path).status == "ok"
    stored = {r["published_at"].day: r for r in rows(db_path) if r["kind"] == "comment"}
    assert [stored[1]["text"], stored[2]["text"]] == ["Acme never called back, call me on [phone]",
                                                      "Acme wrote to me at [email] after a month"]
    when = stored[1]["published_at"].isoformat()
    guesses = {f"{url}#{hash_id(author, when, f'Acme never called back, call me on 07700 900{n:03d}')}"
               for n in range(1000) for author in (stored[1]["author_key"], "Kim")}
    assert stored[1]["native_id"] not in guesses
    assert stored[2]["native_id"] not in {f"{url}#{hash_id(author, stored[2]['published_at'].isoformat(), text)}"
                                          for author in (None, "") for text in (anon.text, stored[2]["text"])}
    assert stored[2]["native_id"] == anon.native_id != anon.former_id
    with db.connect(db_path, read_only=True) as con:
        assert db.label_reading(con, f"web:{anon.native_id}")["stages"] == ["screening"]
        assert db.label_count(con) == 1


def test_robots_and_conditional_get(tmp_path: Path, httpserver) -> None:
    page = (FIXTURES / "web" / "wordpress.html").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data(
        (FIXTURES / "web" / "robots_reddit_2019.txt").read_text() + "\nUser-agent: *\nDisallow: /members/\n")
    httpserver.expect_request("/article").respond_with_data(page, content_type="text/html", headers={"ETag": '"a"'})
    httpserver.expect_request("/article.json").respond_with_data("{}")
    urls = [httpserver.url_for("/article"), httpserver.url_for("/article.json")]
    config = config_for(tmp_path, {"web": {"urls": urls}})
    db_path = tmp_path / "hp.duckdb"
    first = run("web", config, db_path)
    assert first.new == 3 and first.status == "error" and "article.json" in first.error   # Disallow: /*.json
    assert "/article.json" not in paths(httpserver)
    assert {r["kind"] for r in rows(db_path)} == {"article", "comment"}
    httpserver.clear_log()
    second = run("web", config, db_path)
    assert second.new == 0
    assert [r.headers.get("If-None-Match") for r, _ in httpserver.log] == ['"a"']


def test_a_page_still_fresh_by_its_cache_headers_is_not_asked_again(tmp_path: Path, httpserver) -> None:
    page = (FIXTURES / "web" / "wordpress.html").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/article").respond_with_data(
        page, content_type="text/html", headers={"ETag": '"a"', "Cache-Control": "public, max-age=14400"})
    httpserver.expect_request("/nocache").respond_with_data(
        page, content_type="text/html", headers={"Cache-Control": "no-cache"})
    config = config_for(tmp_path, {"web": {"urls": [httpserver.url_for("/article"), httpserver.url_for("/nocache")]}})
    db_path = tmp_path / "hp.duckdb"
    assert run("web", config, db_path).status == "ok"
    httpserver.clear_log()
    second = run("web", config, db_path)
    assert (second.requests, second.not_fetched) == (1, 1)
    assert paths(httpserver) == ["/nocache"]
    with db.connect(db_path) as con:                   # four hours later
        con.execute("UPDATE cursors SET value = NULL WHERE source = 'web'")
    httpserver.clear_log()
    assert run("web", config, db_path).requests == 2
    assert [r.headers.get("If-None-Match") for r, _ in httpserver.log] == ['"a"', None]
