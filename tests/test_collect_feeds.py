"""Feeds: parse feedparser's sample feeds, conditional GET, refresh hints, robots.txt."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.feeds import feed_hint
from collectors.run import build_source
from hirepulse import db
from hirepulse.models import Mention, hash_id
from hirepulse.privacy import keyed_id
from test_collect_support import FIXTURES, SALT, _fresh_robots, config_for, paths, rows, run, runs, strip_fetched

__all__ = ["_fresh_robots"]
RSS = (FIXTURES / "feeds" / "rss_sample.xml").read_text(encoding="utf-8")


def test_parse_rss_and_atom_samples(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"feeds": {}}, companies=[{"name": "Tricks Inc", "aliases": ["nasty tricks"]}])
    source = build_source("feeds", config)
    rss = RawPage(url="http://example.org/rss20.xml", status=200, query="http://example.org/rss20.xml",
                  body=(FIXTURES / "feeds" / "rss_sample.xml").read_bytes())
    atom = RawPage(url="http://example.org/atom10.xml", status=200, query="http://example.org/atom10.xml",
                   body=(FIXTURES / "feeds" / "atom_sample.xml").read_bytes())
    assert strip_fetched(source.parse(rss)) == [Mention(
        source="feeds", native_id="http://example.org/guid/1", text="Watch out for nasty tricks",
        title="First item title", published_at=datetime(2002, 9, 5, 0, 0, 1, tzinfo=timezone.utc),
        url="http://example.org/item/1", company="Tricks Inc", author="mark@example.org", lang="en",
        query="http://example.org/rss20.xml", kind="post", fetched_at=None,  # type: ignore[arg-type]
    )]
    assert strip_fetched(source.parse(atom)) == [Mention(
        source="feeds", native_id="tag:feedparser.org,2005-11-09:/docs/examples/atom10.xml:3",
        text="Watch out for nasty tricks", title="First entry title",
        published_at=datetime(2005, 11, 9, 0, 23, 47, tzinfo=timezone.utc), url="http://example.org/entry/3",
        company="Tricks Inc", author="mark@example.org", lang="en-US",   # (the e-mail of "Mark Pilgrim (mark@...)")
        query="http://example.org/atom10.xml", kind="post", fetched_at=None,  # type: ignore[arg-type]
    )]


def test_a_comment_feeds_entries_are_stored_without_their_titles(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"feeds": {}}, companies=[{"name": "Acme"}])
    source = build_source("feeds", config)
    item = RSS[RSS.index("<item>"):RSS.index("</item>") + len("</item>")]
    # a blog's comment feed titles each comment with the post's title (the post author's words) and a name
    said = (item.replace("First item title", "Comment on Acme interview story by Sam")
            .replace(item[item.index("<description>"):item.index("</description>")], "<description>Same here, "
                     "three weeks of silence"))
    silent = (item.replace("First item title", "Comment on Acme interview story by Kim").replace("/guid/1", "/guid/2")
              .replace(item[item.index("<description>"):item.index("</description>") + 14], ""))
    page = RawPage(url="http://example.org/comments/feed", status=200, query="http://example.org/comments/feed",
                   body=RSS.replace(item, said + silent).encode())
    [comment] = source.parse(page)        # (the comment with no words of its own is not stored at all)
    assert (comment.kind, comment.title, comment.text, comment.company) == (
        "comment", None, "Same here, three weeks of silence", "Acme")


def feed(items: int, *, ttl: str | None = "60", channel_extra: str = "") -> str:
    """The RSS sample with ``items`` Acme items; ``ttl`` replaces its ``<ttl>60</ttl>`` (None drops it)."""
    item = RSS[RSS.index("<item>"):RSS.index("</item>") + len("</item>")]
    out = []
    for i in range(items):
        out.append(item.replace("First item title", f"Acme interview story {i}")
                   .replace("/item/1", f"/item/{i}").replace("/guid/1", f"/guid/{i}"))
    body = RSS.replace(item, "\n".join(out)).replace("<ttl>60</ttl>", f"<ttl>{ttl}</ttl>" if ttl else "")
    return body.replace("<language>en</language>", "<language>en</language>" + channel_extra)


class ConditionalFeed:
    def __init__(self, body: str, etag: str, headers: dict[str, str] | None = None) -> None:
        self.body, self.etag, self.headers = body, etag, headers or {}

    def __call__(self, request: Request) -> Response:
        if request.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers={"ETag": self.etag, **self.headers})
        return Response(self.body, content_type="application/rss+xml",
                        headers={"ETag": self.etag, "Last-Modified": "Thu, 05 Sep 2002 00:00:01 GMT", **self.headers})


BARE = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Notes</title>
<item><title>Acme interview</title><pubDate>Sun, 01 Feb 2026 10:00:00 GMT</pubDate>
<description>Acme ghosted me, call me on 07700 900123</description></item>
</channel></rss>"""


def test_an_entry_without_id_or_link_gets_a_keyed_id_and_its_former_id_moves(tmp_path: Path, httpserver) -> None:
    # (an entry with neither a guid nor a link was keyed by an unkeyed hash of the feed's address, its title and its
    # text before redaction: hashing 1,000 candidate numbers with the stored title would give its number away)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(BARE, content_type="application/rss+xml")
    url = httpserver.url_for("/feed.xml")
    config = config_for(tmp_path, {"feeds": {"urls": [url]}}, companies=[{"name": "Acme"}])
    [entry] = build_source("feeds", config).parse(RawPage(url=url, status=200, body=BARE.encode(), query=url))
    assert entry.native_id == keyed_id(SALT, url, "Acme interview", "Acme ghosted me, call me on 07700 900123")
    db_path = tmp_path / "hp.duckdb"
    with db.connect(db_path) as con:   # as hirepulse stored it before, labelled since
        db.upsert_mentions(con, [replace(entry, native_id=entry.former_id, former_id=None)], salt=SALT)
        db.save_label(con, f"feeds:{entry.former_id}", is_candidate_experience=True, sentiment="negative",
                      stages=["screening"])
    assert run("feeds", config, db_path).status == "ok"
    [stored] = rows(db_path)
    assert (stored["native_id"], stored["text"]) == (entry.native_id, "Acme ghosted me, call me on [phone]")
    assert stored["native_id"] not in {hash_id(url, stored["title"], f"Acme ghosted me, call me on 07700 900{n:03d}")
                                       for n in range(1000)}
    with db.connect(db_path, read_only=True) as con:
        assert db.label_reading(con, stored["id"])["sentiment"] == "negative" and db.label_count(con) == 1


def test_conditional_get_second_run_is_304(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    handler = ConditionalFeed(feed(30, ttl=None), '"v1"')    # no refresh hints: every run asks
    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    httpserver.expect_request("/private/feed.xml").respond_with_data(feed(3))
    config = config_for(tmp_path, {"feeds": {"urls": [httpserver.url_for("/feed.xml")]}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    first = run("feeds", config, db_path)
    assert (first.status, first.new, first.requests) == ("ok", 30, 2)   # robots.txt + the feed
    httpserver.clear_log()
    second = run("feeds", config, db_path)
    assert (second.new, second.requests) == (0, 1)
    [request, response] = httpserver.log[0]
    assert request.headers["If-None-Match"] == '"v1"' and response.status_code == 304
    assert request.headers["If-Modified-Since"] == "Thu, 05 Sep 2002 00:00:01 GMT"

    handler.body, handler.etag = feed(31, ttl=None), '"v2"'
    third = run("feeds", config, db_path)
    assert (third.new, third.skipped) == (1, 30)


def test_robots_disallowed_feed_is_never_requested(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/private/feed.xml").respond_with_data(feed(3))
    httpserver.expect_request("/feed.xml").respond_with_data(feed(2), content_type="application/rss+xml")
    urls = [httpserver.url_for("/private/feed.xml"), httpserver.url_for("/feed.xml")]
    config = config_for(tmp_path, {"feeds": {"urls": urls}}, companies=[{"name": "Acme"}])
    result = run("feeds", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "robots.txt disallows 1 configured URL" in result.error
    assert "/private/feed.xml" not in paths(httpserver)
    assert len(rows(tmp_path / "hp.duckdb")) == 2     # the allowed feed was still collected


def test_html_instead_of_a_feed_fails_the_source(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data("<html><body>moved</body></html>", content_type="text/html")
    config = config_for(tmp_path, {"feeds": {"urls": [httpserver.url_for("/feed.xml")]}}, companies=[{"name": "Acme"}])
    result = run("feeds", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "not a feed" in result.error


def _fresh_until(db_path: Path, url: str) -> datetime | None:
    with db.connect(db_path, read_only=True) as con:
        value = con.execute("SELECT value FROM cursors WHERE source = 'feeds' AND key = ?", [url]).fetchone()[0]
    return datetime.fromisoformat(json.loads(value)["fresh_until"]) if value else None


def _expire(db_path: Path) -> None:
    """As if the hinted time had passed (no test waits for the clock)."""
    with db.connect(db_path) as con:
        con.execute("""UPDATE cursors SET value = json_object('fresh_until', '2000-01-01T00:00:00+00:00',
                       'hint', json_extract(value, '$.hint')) WHERE source = 'feeds'""")


def test_feed_hints_defer_the_next_request(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    handler = ConditionalFeed(feed(5), '"v1"')          # the sample's <ttl>60</ttl>
    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    url = httpserver.url_for("/feed.xml")
    config = config_for(tmp_path, {"feeds": {"urls": [url]}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    first = run("feeds", config, db_path)
    assert (first.new, first.requests, first.not_fetched) == (5, 2, 0)
    until = _fresh_until(db_path, url)
    assert until is not None and timedelta(minutes=59) < until - datetime.now(timezone.utc) <= timedelta(minutes=60)

    httpserver.clear_log()
    second = run("feeds", config, db_path)                # within the hour: nothing is sent
    assert (second.status, second.new, second.requests, second.not_fetched) == ("ok", 0, 0, 1)
    assert httpserver.log == []
    assert json.loads(runs(db_path)[-1]["detail"])["not_fetched"] == 1

    _expire(db_path)                                      # an hour later: a conditional GET, 304
    handler.headers = {"Cache-Control": "max-age=600"}
    third = run("feeds", config, db_path)
    assert (third.requests, third.not_fetched) == (1, 0)
    assert httpserver.log[-1][1].status_code == 304
    until = _fresh_until(db_path, url)                    # the feed's hour still wins over 600 s
    assert until is not None and until - datetime.now(timezone.utc) > timedelta(minutes=59)
    assert run("feeds", config, db_path).requests == 0

    _expire(db_path)
    handler.body, handler.etag = feed(6), '"v2"'          # changed: fetched, the new item stored
    fifth = run("feeds", config, db_path)
    assert (fifth.new, fifth.skipped, fifth.requests) == (1, 5, 1)


@pytest.mark.parametrize(("headers", "extra", "deferred"), [
    ({"Cache-Control": "max-age=600"}, "", timedelta(minutes=10)),               # GitHub Pages style
    ({"Cache-Control": "max-age=600", "Age": "540"}, "", timedelta(minutes=1)),   # a CDN copy 9 minutes old
    ({"Cache-Control": "private, max-age=0"}, "", None),
    ({"Cache-Control": "no-cache, max-age=600"}, "", None),
    ({"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"}, "", None),
    ({}, "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>", timedelta(hours=1)),
    ({}, "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>", timedelta(hours=6)),
    ({}, "<sy:updatePeriod>yearly</sy:updatePeriod>", timedelta(hours=24)),     # capped: asked daily
    ({}, "", None),                                                               # no hints: every run asks
])
def test_freshness_from_http_and_feed_hints(tmp_path: Path, httpserver, headers, extra, deferred) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    body = feed(2, ttl=None, channel_extra=extra).replace(
        "<rss ", '<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" ')
    httpserver.expect_request("/feed.xml").respond_with_handler(ConditionalFeed(body, '"v1"', headers))
    url = httpserver.url_for("/feed.xml")
    config = config_for(tmp_path, {"feeds": {"urls": [url]}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    assert run("feeds", config, db_path).new == 2
    until = _fresh_until(db_path, url)
    if deferred is None:
        assert until is None
    else:
        left = until - datetime.now(timezone.utc)
        assert deferred - timedelta(minutes=1) < left <= deferred
    second = run("feeds", config, db_path)
    assert (second.requests, second.not_fetched) == ((0, 1) if deferred else (1, 0))


def test_max_fresh_hours_zero_always_asks(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_handler(ConditionalFeed(feed(2), '"v1"'))
    config = config_for(tmp_path, {"feeds": {"urls": [httpserver.url_for("/feed.xml")], "max_fresh_hours": 0}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    run("feeds", config, db_path)
    assert run("feeds", config, db_path).requests == 1


def test_feed_hint_reads_channel_level_only() -> None:
    wordpress = (b'<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>b</title>'
                 b"<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n<sy:updateFrequency>\n\t1\t</sy:updateFrequency>"
                 b"<item><ttl>9999</ttl></item></channel></rss>")
    assert feed_hint(wordpress) == 3600
    assert feed_hint(RSS.encode()) == 3600                  # <ttl>60</ttl>
    assert feed_hint((FIXTURES / "feeds" / "atom_sample.xml").read_bytes()) == 0
    assert feed_hint(b"<rss><channel><sy:updatePeriod>fortnightly</sy:updatePeriod></channel></rss>") == 0


def test_a_feed_on_an_unreachable_host_says_unreachable_not_disallowed(tmp_path: Path) -> None:
    # (nothing listens on the port: the connection is refused, so robots.txt could not be read at all)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    config = config_for(tmp_path, {"feeds": {"urls": [url]}}, companies=[{"name": "Acme"}])
    result = run("feeds", config, tmp_path / "hp.duckdb")
    assert result.status == "error"
    assert "disallows" not in result.error
    assert result.error == (f"robots.txt of 127.0.0.1:{port} could not be read (the host is unreachable: connection "
                            f"refused): 1 configured URL(s) not fetched: {url}")
    assert runs(tmp_path / "hp.duckdb")[-1]["error"] == result.error
