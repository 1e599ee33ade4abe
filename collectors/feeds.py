"""RSS and Atom feeds (publishers, blogs, blogs' comment feeds), parsed with feedparser.

Each configured URL is fetched with a conditional GET: the ``ETag`` and ``Last-Modified`` of the
last answer are stored in the URL's cursor and sent back as ``If-None-Match`` /
``If-Modified-Since``; a ``304 Not Modified`` costs a few hundred bytes and stores nothing. Feeds
are not an API, so robots.txt is obeyed. Entries are keyed by their ``id`` (Atom) / ``guid``
(RSS), else their link; only entries naming a configured company are kept. Each site's own terms
apply; Google News RSS is for personal feed readers only and must not be configured here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import datetime, timezone

import feedparser

from collectors.base import Mention, ParseError, Query, RawPage, hash_id
from collectors.http import PoliteClient
from collectors.text import CompanyMatcher, HiringTerms, html_to_text
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "feeds"
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
MIN_INTERVAL = 1.0             # per host; several feeds of one site are spaced out


class Feeds:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, urls: list[str], matcher: CompanyMatcher, hiring: HiringTerms,
                 min_interval: float = MIN_INTERVAL) -> None:
        self._queries = [Query(key=url, text=url) for url in dict.fromkeys(urls)]
        self.matcher = matcher
        self.hiring = hiring
        self.min_interval = min_interval

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """The feed, unless unchanged since the stored validators (then nothing).

        Raises:
            RobotsDisallowed: robots.txt forbids the feed. FetchError, RateLimited.
        """
        client.set_interval(query.text, self.min_interval)
        headers = {"Accept": ACCEPT}
        if since and since.etag:
            headers["If-None-Match"] = since.etag
        if since and since.last_modified:
            headers["If-Modified-Since"] = since.last_modified
        response = client.get(query.text, headers=headers, robots=True)
        if response.status_code == 304:
            return
        cursor = Cursor(None, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        yield RawPage(url=str(response.url), status=response.status_code, body=response.content, query=query.text,
                      headers={"content-type": response.headers.get("Content-Type", "")}, meta={"cursor": cursor})

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Entries naming a configured company.

        Raises:
            ParseError: the body is not an RSS or Atom feed.
        """
        feed = feedparser.parse(page.body, response_headers={"content-location": page.url,
                                                             "content-type": page.headers.get("content-type", "")})
        if not feed.get("version") and not feed.entries:
            reason = getattr(feed.get("bozo_exception"), "getMessage", lambda: "not RSS or Atom")()
            raise ParseError(page.url, f"not a feed ({reason})")
        feed_lang = feed.feed.get("language")
        is_comments = "comments" in page.url.lower()
        for entry in feed.entries:
            title = html_to_text(entry.get("title")) or None
            content = entry.get("content") or []
            text = html_to_text(content[0].get("value") if content else entry.get("summary")) or (title or "")
            found = self.matcher.find(title, text)
            if not found:
                continue
            when = entry.get("published_parsed") or entry.get("updated_parsed")
            if when is None:
                raise ParseError(page.url, f"entry {entry.get('id') or entry.get('link')!r} has no date")
            link = entry.get("link")
            native = entry.get("id") or link or hash_id(page.url, title, text)
            yield Mention(
                source=NAME, native_id=native, text=text, title=title,
                published_at=datetime.fromtimestamp(calendar.timegm(when), tz=timezone.utc), url=link,
                company=found[0], author=entry.get("author"),
                lang=(content[0].get("language") if content else None) or feed_lang,
                query=self.hiring.label(page.query or page.url, title, text),
                kind="comment" if is_comments or "thr_in-reply-to" in entry else "post",
            )


def build(config: Config, source: SourceConfig) -> Feeds:
    return Feeds(urls=list(source.get("urls") or []), matcher=CompanyMatcher(config),
                 hiring=HiringTerms(config.collect.hiring_terms),
                 min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)))
