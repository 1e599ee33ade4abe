"""News articles naming a company, from the GDELT DOC 2.0 API (``mode=artlist&format=json``).

Stores headline, URL, domain (in the URL), language and GDELT's ``seendate``; never the article
text (fetch that only through ``web``, where the publisher's robots.txt allows). One query per
company name and alias (quoted phrases), ``sort=datedesc``, ``maxrecords=250``. There is no
paging: a window with 250 results is split in two by time until each half fits. Incremental by
``startdatetime`` = newest ``seendate`` stored minus the look-back; the API searches about the last
three months. Budget: one request every 5 seconds (``min_interval_seconds``); GDELT's plain-text
"Please limit requests..." body counts as rate limiting even with status 200.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from collectors.base import Mention, ParseError, Query, RawPage, checkpoint, hash_id, json_payload
from collectors.http import PoliteClient
from collectors.text import HiringTerms, company_queries, utc_from_unix
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "gdelt"
DOC_PATH = "/api/v2/doc/doc"
MAX_RECORDS = 250
WINDOW = timedelta(days=90)
MIN_SPLIT = timedelta(minutes=15)
RATE_LIMIT_PREFIX = b"Please limit requests"
_STAMP = "%Y%m%d%H%M%S"
LANGUAGES = {"English": "en", "German": "de", "French": "fr", "Spanish": "es", "Italian": "it",
             "Portuguese": "pt", "Dutch": "nl", "Polish": "pl", "Swedish": "sv", "Japanese": "ja"}


class Gdelt:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, base_url: str, queries: list[Query], hiring: HiringTerms, min_interval: float = 5.0,
                 lookback_seconds: int = 7200, max_pages: int = 20) -> None:
        self.base_url = base_url.rstrip("/")
        self._queries = queries
        self.hiring = hiring
        self.min_interval = float(min_interval)
        self.lookback = lookback_seconds
        self.max_pages = max_pages

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Article lists newer than the cursor, then a checkpoint.

        Raises:
            RateLimited: the rate-limit body kept coming. ParseError: not GDELT's JSON. FetchError.
        """
        client.set_interval(self.base_url, self.min_interval)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        hwm = int(since.value) if since and since.value else None
        start = utc_from_unix(hwm - self.lookback) if hwm else now - WINDOW
        state = {"requests": 0, "max": hwm or 0}
        yield from self._window(client, query, max(start, now - WINDOW), now, state)
        if state["max"]:
            yield checkpoint(Cursor(str(state["max"])), query=query)

    def _window(self, client: PoliteClient, query: Query, start: datetime, end: datetime,
                state: dict[str, int]) -> Iterator[RawPage]:
        if state["requests"] >= self.max_pages:
            return
        phrase = f'"{query.text}"' if " " in query.text else query.text
        params = {"query": phrase, "mode": "artlist", "format": "json", "maxrecords": MAX_RECORDS,
                  "sort": "datedesc", "startdatetime": start.strftime(_STAMP), "enddatetime": end.strftime(_STAMP)}
        url = self.base_url + DOC_PATH
        response = client.get(url, params=params, check=self._rate_limited)
        state["requests"] += 1
        articles = _articles(response.content, str(response.url), response.headers.get("Content-Type", ""))
        if len(articles) >= MAX_RECORDS and end - start > MIN_SPLIT:
            middle = start + (end - start) / 2
            yield from self._window(client, query, middle, end, state)
            yield from self._window(client, query, start, middle, state)
            return
        for article in articles:
            state["max"] = max(state["max"], int(_seen(article).timestamp()))
        yield RawPage(url=str(response.url), status=response.status_code, body=response.content,
                      query=query.text, company=query.company,
                      headers={"content-type": response.headers.get("Content-Type", "")})

    def _rate_limited(self, response: httpx.Response) -> float | None:
        if response.content.lstrip().startswith(RATE_LIMIT_PREFIX):
            return max(self.min_interval * 2, 0.1)
        return None

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """One mention per article: the headline as title and text.

        Raises:
            ParseError: not the documented ``{"articles": [...]}`` (or ``{}``).
        """
        for article in _articles(page.body, page.url, page.headers.get("content-type", "application/json")):
            try:
                title = article["title"].strip()
                yield Mention(
                    source=NAME, native_id=hash_id(article["url"]), text=title, title=title, url=article["url"],
                    published_at=_seen(article), company=page.company, kind="article",
                    lang=LANGUAGES.get(article.get("language", "")), query=self.hiring.label(page.query or "", title),
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ParseError(page.url, f"article without {exc}") from None


def _seen(article: dict[str, Any]) -> datetime:
    return datetime.strptime(article["seendate"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def _articles(body: bytes, url: str, content_type: str) -> list[dict[str, Any]]:
    if "html" in content_type:
        raise ParseError(url, "HTML instead of JSON (GDELT rejects the query): " + body[:120].decode("utf-8", "replace"))
    data = json_payload(body, url) if body.strip() else {}
    if not isinstance(data, dict) or not isinstance(data.get("articles", []), list):
        raise ParseError(url, "expected {\"articles\": [...]}")
    return data.get("articles", [])


def build(config: Config, source: SourceConfig) -> Gdelt:
    return Gdelt(
        base_url=source.base_url or "https://api.gdeltproject.org",
        queries=company_queries(config, source),
        hiring=HiringTerms(config.collect.hiring_terms),
        min_interval=float(source.get("min_interval_seconds", 5)),
        lookback_seconds=int(source.get("lookback_hours", 2)) * 3600,
        max_pages=int(source.get("max_pages", 20)),
    )
