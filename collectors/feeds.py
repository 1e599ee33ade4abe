"""RSS and Atom feeds (publishers, blogs, blogs' comment feeds), parsed with feedparser.

Each configured URL is fetched with a conditional GET: the ``ETag`` and ``Last-Modified`` of the
last answer are stored in the URL's cursor and sent back as ``If-None-Match`` /
``If-Modified-Since``; a ``304 Not Modified`` costs a few hundred bytes and stores nothing.

A feed says how often it is worth asking: HTTP freshness on the response (``Cache-Control:
max-age``, ``Expires``), RSS ``<ttl>`` (minutes) and the syndication module's
``<sy:updatePeriod>`` / ``<sy:updateFrequency>`` (WordPress sends ``hourly`` / ``1`` by default).
The longest of these, capped at ``max_fresh_hours`` (default 24; 0 turns this off), is stored in
the cursor as "fresh until"; a run before that time does not send the request at all and counts
the feed as not fetched. A 304 refreshes the time from its own headers and the feed's last hint.

Feeds are not an API, so robots.txt is obeyed. Entries are keyed by their ``id`` (Atom) / ``guid``
(RSS), else their link, else a hash of the feed's address, the entry's title and text keyed with the salt; only
entries naming a configured company are kept. Each site's own terms
apply; Google News RSS is for personal feed readers only and must not be configured here. An author is keyed
by the e-mail address the entry gives, else its name (not feedparser's "e-mail (name)" text, which changes with
either).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import datetime, timezone

import feedparser

from collectors.base import (Mention, ParseError, Query, RawPage, fresh_state, fresh_value, hash_id, revalidated,
                             skip_while_fresh)
from collectors.http import PoliteClient, freshness
from collectors.text import CompanyMatcher, HiringTerms, html_to_text
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor
from hirepulse.privacy import keyed_id

NAME = "feeds"
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
MIN_INTERVAL = 1.0             # per host; several feeds of one site are spaced out
MAX_FRESH_HOURS = 24.0         # a feed is asked at least once a day whatever its hints say
HEAD_BYTES = 64 * 1024         # channel-level hints are looked for before the first item
PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400, "yearly": 365 * 86400}
_TTL = re.compile(rb"<ttl>\s*(\d+)\s*</ttl>", re.IGNORECASE)
_PERIOD = re.compile(rb"<(?:[\w-]+:)?updatePeriod>\s*(\w+)\s*</", re.IGNORECASE)
_FREQUENCY = re.compile(rb"<(?:[\w-]+:)?updateFrequency>\s*(\d+)\s*</", re.IGNORECASE)
_FIRST_ITEM = re.compile(rb"<(?:item|entry)[\s>]")


class Feeds:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, urls: list[str], matcher: CompanyMatcher, hiring: HiringTerms, salt: str,
                 min_interval: float = MIN_INTERVAL, max_fresh_hours: float = MAX_FRESH_HOURS) -> None:
        self._queries = [Query(key=url, text=url) for url in dict.fromkeys(urls)]
        self.matcher = matcher
        self.hiring = hiring
        self.salt = salt   # for the ids of entries with neither an id nor a link (keyed: made from unredacted text)
        self.min_interval = min_interval
        self.max_fresh = max(0.0, max_fresh_hours) * 3600

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """The feed, unless still fresh (not sent) or unchanged since the stored validators (304).

        Raises:
            RobotsDisallowed: robots.txt forbids the feed. FetchError, RateLimited.
        """
        now = datetime.now(timezone.utc)
        skipped = skip_while_fresh(query, since, now, self.max_fresh)
        if skipped:
            yield skipped
            return
        client.set_interval(query.text, self.min_interval)
        headers = {"Accept": ACCEPT}
        if since and since.etag:
            headers["If-None-Match"] = since.etag
        if since and since.last_modified:
            headers["If-Modified-Since"] = since.last_modified
        response = client.get(query.text, headers=headers, robots=True)
        if response.status_code == 304:
            if since and self.max_fresh:    # same validators; the freshness time moves on
                _, hint = fresh_state(since.value)      # the feed's own hint, from its last full answer
                yield revalidated(since, response.headers,
                                  self._fresh_value(now, freshness(response.headers), hint), query=query)
            return
        hint = feed_hint(response.content)
        cursor = Cursor(self._fresh_value(now, freshness(response.headers), hint) if self.max_fresh else None,
                        response.headers.get("ETag"), response.headers.get("Last-Modified"))
        yield RawPage(url=str(response.url), status=response.status_code, body=response.content, query=query.text,
                      headers={"content-type": response.headers.get("Content-Type", "")}, meta={"cursor": cursor})

    def _fresh_value(self, now: datetime, http_seconds: float, hint_seconds: float) -> str | None:
        return fresh_value(now, min(max(http_seconds, hint_seconds), self.max_fresh), hint_seconds)

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Entries naming a configured company.

        Raises:
            ParseError: the body is not an RSS or Atom feed.
        """
        # No HTML sanitizing or link resolving: the content only ever becomes plain text here
        # (html_to_text drops scripts and styles), and both passes cost a third of the parse.
        feed = feedparser.parse(page.body, response_headers={"content-location": page.url,
                                                             "content-type": page.headers.get("content-type", "")},
                                sanitize_html=False, resolve_relative_uris=False)
        if not feed.get("version") and not feed.entries:
            reason = getattr(feed.get("bozo_exception"), "getMessage", lambda: "not RSS or Atom")()
            raise ParseError(page.url, f"not a feed ({reason})")
        feed_lang = feed.feed.get("language")
        is_comments = "comments" in page.url.lower()
        for entry in feed.entries:
            heading = html_to_text(entry.get("title")) or None
            content = entry.get("content") or []
            text = html_to_text(content[0].get("value") if content else entry.get("summary"))
            comment = is_comments or "thr_in-reply-to" in entry
            found = self.matcher.find(heading, text or (heading or ""))
            # a comment's entry title ("Comment on <the post's title> by <name>") matches and labels it but is not
            # stored: the post's title is its author's words, which must leave with that author's erasure
            title = None if comment else heading
            text = text or (title or "")
            if not found or not text:
                continue
            when = entry.get("published_parsed") or entry.get("updated_parsed")
            if when is None:
                raise ParseError(page.url, f"entry {entry.get('id') or entry.get('link')!r} has no date")
            link = entry.get("link")
            native, former = entry.get("id") or link, None
            if not native:   # (made unkeyed before: the row stored under it is moved, db.upsert_mentions)
                native, former = keyed_id(self.salt, page.url, heading, text), hash_id(page.url, heading, text)
            who = entry.get("author_detail") or {}
            yield Mention(
                source=NAME, native_id=native, text=text, title=title,
                published_at=datetime.fromtimestamp(calendar.timegm(when), tz=timezone.utc), url=link,
                company=found[0], author=who.get("email") or who.get("name") or entry.get("author"),
                lang=(content[0].get("language") if content else None) or feed_lang,
                query=self.hiring.label(page.query or page.url, heading, text),
                kind="comment" if comment else "post", former_id=former,
            )


def build(config: Config, source: SourceConfig) -> Feeds:
    """Raises: ConfigError: the privacy salt is not set (the ids of entries without id or link need it)."""
    return Feeds(urls=list(source.get("urls") or []), matcher=CompanyMatcher(config),
                 hiring=HiringTerms(config.collect.hiring_terms), salt=config.salt(),
                 min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
                 max_fresh_hours=float(source.get("max_fresh_hours", MAX_FRESH_HOURS)))


def feed_hint(body: bytes) -> float:
    """Seconds the feed itself says to wait between polls: RSS ``<ttl>``, ``sy:updatePeriod`` /
    ``sy:updateFrequency`` (the longer when both are given); 0 without either."""
    first = _FIRST_ITEM.search(body, 0, HEAD_BYTES)
    head = body[:first.start() if first else HEAD_BYTES]
    seconds = 0.0
    ttl = _TTL.search(head)
    if ttl:
        seconds = float(ttl.group(1)) * 60
    period = _PERIOD.search(head)
    if period and period.group(1).decode().lower() in PERIODS:
        frequency = _FREQUENCY.search(head)
        per = max(1, int(frequency.group(1))) if frequency else 1
        seconds = max(seconds, PERIODS[period.group(1).decode().lower()] / per)
    return seconds
