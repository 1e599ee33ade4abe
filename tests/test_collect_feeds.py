"""Feeds: parse feedparser's sample feeds, conditional GET, robots.txt."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.run import build_source
from hirepulse.models import Mention
from test_collect_support import FIXTURES, _fresh_robots, config_for, paths, rows, run, strip_fetched

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
        company="Tricks Inc", author="Mark Pilgrim (mark@example.org)", lang="en-US",
        query="http://example.org/atom10.xml", kind="post", fetched_at=None,  # type: ignore[arg-type]
    )]


def feed(items: int) -> str:
    item = RSS[RSS.index("<item>"):RSS.index("</item>") + len("</item>")]
    out = []
    for i in range(items):
        out.append(item.replace("First item title", f"Acme interview story {i}")
                   .replace("/item/1", f"/item/{i}").replace("/guid/1", f"/guid/{i}"))
    return RSS.replace(item, "\n".join(out))


class ConditionalFeed:
    def __init__(self, body: str, etag: str) -> None:
        self.body, self.etag = body, etag

    def __call__(self, request: Request) -> Response:
        if request.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers={"ETag": self.etag})
        return Response(self.body, content_type="application/rss+xml",
                        headers={"ETag": self.etag, "Last-Modified": "Thu, 05 Sep 2002 00:00:01 GMT"})


def test_conditional_get_second_run_is_304(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    handler = ConditionalFeed(feed(30), '"v1"')
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

    handler.body, handler.etag = feed(31), '"v2"'
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
