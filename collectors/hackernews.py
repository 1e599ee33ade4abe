"""Hacker News stories and comments through the Algolia HN Search API (``search_by_date``).

One query per company name and alias (:mod:`collectors.text` explains why the hiring-focused
query is evaluated on the results instead of being sent). Newest first, ``hitsPerPage`` up to
100, incremental with ``numericFilters=created_at_i>HWM-lookback``. Algolia serves at most 1,000
hits per query (``paginationLimitedTo``): when a window holds more, it is split in two by time,
newer half first, until each half fits. Budget: 10,000 requests per hour per IP, so requests
are paced at least 0.36 s apart. Algolia's typo tolerance also returns near misses ("nodes" for
"nodejs"), so hits that do not contain the term are dropped in :meth:`HackerNews.parse`.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from typing import Any

from collectors.base import Mention, ParseError, Query, RawPage, checkpoint, json_payload
from collectors.http import PoliteClient
from collectors.text import HiringTerms, company_queries, html_to_text, utc_from_unix
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "hackernews"
SEARCH_PATH = "/api/v1/search_by_date"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
MAX_REACHABLE_HITS = 1000          # Algolia paginationLimitedTo default
MIN_INTERVAL = 3600 / 10_000       # 10,000 requests per hour per IP
HN_EPOCH = 1160418111              # the first HN item (2006-10-09): the lower end of a full window
MAX_SPLIT_DEPTH = 24


class HackerNews:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, base_url: str, queries: list[Query], hiring: HiringTerms, tags: list[str],
                 hits_per_page: int = 100, max_pages: int = 20, lookback_seconds: int = 7200,
                 min_interval: float = MIN_INTERVAL) -> None:
        self.base_url = base_url.rstrip("/")
        self._queries = queries
        self.hiring = hiring
        self.tags = "(" + ",".join(tags) + ")" if tags else None
        self.hits_per_page = max(1, min(hits_per_page, 1000))
        self.max_pages = max_pages
        self.lookback = lookback_seconds
        self.min_interval = min_interval

    def queries(self) -> list[Query]:
        return self._queries

    # ------------------------------------------------------------------ network

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Pages of hits newer than the cursor minus the look-back, then a checkpoint.

        Raises:
            FetchError, RateLimited: from the client. ParseError: a page is not Algolia's JSON.
        """
        client.set_interval(self.base_url, self.min_interval)
        hwm = int(since.value) if since and since.value else None
        lower = hwm - self.lookback if hwm is not None else HN_EPOCH
        state = {"pages": 0, "max": hwm or 0}
        yield from self._window(client, query, lower, int(time.time()) + 60, state, 0)
        if state["max"]:
            yield checkpoint(Cursor(str(state["max"])), query=query)

    def _window(self, client: PoliteClient, query: Query, lo: int, hi: int, state: dict[str, int],
                depth: int) -> Iterator[RawPage]:
        page = 0
        while state["pages"] < self.max_pages:
            params: dict[str, Any] = {"query": query.text, "hitsPerPage": self.hits_per_page, "page": page,
                                      "numericFilters": f"created_at_i>{lo},created_at_i<={hi}"}
            if self.tags:
                params["tags"] = self.tags
            url = self.base_url + SEARCH_PATH
            response = client.get(url, params=params)
            state["pages"] += 1
            data = _load(response.content, url)
            if page == 0 and data["nbHits"] > MAX_REACHABLE_HITS and hi - lo > 1 and depth < MAX_SPLIT_DEPTH:
                mid = (lo + hi) // 2
                yield from self._window(client, query, mid, hi, state, depth + 1)
                yield from self._window(client, query, lo, mid, state, depth + 1)
                return
            for hit in data["hits"]:
                state["max"] = max(state["max"], int(hit.get("created_at_i") or 0))
            yield RawPage(url=str(response.url), status=response.status_code, body=response.content,
                          query=query.text, company=query.company)
            if page + 1 >= data["nbPages"] or not data["hits"]:
                return
            page += 1

    # ------------------------------------------------------------------ parsing

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Mentions from one ``search_by_date`` page; hits not containing the query are dropped.

        Raises:
            ParseError: the body is not the documented JSON.
        """
        data = _load(page.body, page.url)
        term = _term_pattern(page.query or "")
        for hit in data["hits"]:
            try:
                tags = hit.get("_tags") or []
                kind = next((t for t in ("comment", "story", "poll", "pollopt", "job") if t in tags), "story")
                # A comment's story_title is its story author's words: it says what the thread is about (to
                # match the query and label the hit) but is not stored with the comment, where it would survive
                # the erasure of that author. A comment is stored with its own words only, or not at all.
                title = hit.get("title")
                thread = title or hit.get("story_title")
                text = html_to_text(hit.get("comment_text") or hit.get("story_text"))
                if kind == "comment":
                    title = None
                    if not text:
                        continue
                text = text or (title or "")
                if not term.search(" ".join(filter(None, (thread, text, hit.get("url"))))):
                    continue
                yield Mention(
                    source=NAME, native_id=str(hit["objectID"]), text=text, title=title,
                    published_at=utc_from_unix(hit["created_at_i"]),
                    url=ITEM_URL.format(id=hit["objectID"]), company=page.company,
                    author=hit.get("author"), query=self.hiring.label(page.query or "", thread, text), kind=kind,
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ParseError(page.url, f"hit without {exc}") from None


@functools.lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(term.strip()) + r"(?![\w])", re.IGNORECASE)


def _load(body: bytes, url: str) -> dict[str, Any]:
    data = json_payload(body, url)
    if not isinstance(data, dict) or not isinstance(data.get("hits"), list) or "nbPages" not in data:
        raise ParseError(url, "no hits/nbPages in the response")
    data.setdefault("nbHits", len(data["hits"]))
    return data


def build(config: Config, source: SourceConfig) -> HackerNews:
    return HackerNews(
        base_url=source.base_url or "https://hn.algolia.com",
        queries=company_queries(config, source),
        hiring=HiringTerms(config.collect.hiring_terms),
        tags=list(source.get("tags") or []),
        hits_per_page=int(source.get("hits_per_page", 100)),
        max_pages=int(source.get("max_pages", 20)),
        lookback_seconds=int(source.get("lookback_hours", 2)) * 3600,
        min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
    )
