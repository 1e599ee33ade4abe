"""Stack Exchange questions (default site: workplace) through API 2.3 ``/search/advanced``.

One query per company name and alias, ``sort=creation&order=desc``, ``pagesize=100``, the built-in
``withbody`` filter so questions arrive with their HTML body; incremental by ``fromdate`` (the
newest ``creation_date`` stored, minus the look-back). Politeness: the ``backoff`` field is obeyed
before the next call; when ``quota_remaining`` reaches 0 the host is closed until the next UTC
midnight; a ``throttle_violation`` error is waited out for the seconds it names (or fails the run
and persists the time, when longer than the client allows). Without a key the quota is 300 a day
per IP; with a free app key (``key_env``) 10,000. Content is CC BY-SA: the link is kept.

An author is keyed by the site's user id, as ``<site host>/users/<user_id>`` (the profile address without the
name, which its owner may change); a deleted user, who has no id, by the display name.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from collectors.base import FetchError, Mention, ParseError, Query, RawPage, checkpoint, json_payload
from collectors.http import PoliteClient, safe_url
from collectors.text import HiringTerms, company_queries, html_to_text, utc_from_unix
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "stackexchange"
SEARCH_PATH = "/2.3/search/advanced"
FILTER = "withbody"            # built-in filter: the default fields plus question bodies
PAGE_SIZE = 100
MIN_INTERVAL = 0.5             # far below the 30 requests/second ban threshold
_THROTTLE_SECONDS = re.compile(r"available in (\d+) seconds")


class StackExchange:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, base_url: str, site: str, queries: list[Query], hiring: HiringTerms, key: str | None,
                 max_pages: int = 20, lookback_seconds: int = 7200, min_interval: float = MIN_INTERVAL) -> None:
        self.base_url = base_url.rstrip("/")
        self.site = site
        self._queries = queries
        self.hiring = hiring
        self._key = key
        self.max_pages = max_pages
        self.lookback = lookback_seconds
        self.min_interval = min_interval

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Newest-first pages down to the cursor, then a checkpoint with the newest creation date.

        Raises:
            RateLimited: quota exhausted or a long throttle. FetchError: an API error. ParseError.
        """
        url = self.base_url + SEARCH_PATH
        client.set_interval(url, self.min_interval)
        hwm = int(since.value) if since and since.value else 0
        newest = hwm
        for page in range(1, self.max_pages + 1):
            params: dict[str, Any] = {"site": self.site, "q": query.text, "sort": "creation", "order": "desc",
                                      "pagesize": PAGE_SIZE, "page": page, "filter": FILTER}
            if hwm:
                params["fromdate"] = hwm - self.lookback
            if self._key:
                params["key"] = self._key
            response = client.get(url, params=params, accept=(400, 502), check=_throttle_wait)
            data = _load(response.content, url)
            if "error_id" in data:   # (the API's own message may quote the key it refused)
                message = f"{data.get('error_name')}: {data.get('error_message')}"
                raise FetchError(safe_url(str(response.url)), response.status_code,
                                 message.replace(self._key, "[key]") if self._key else message)
            for item in data["items"]:
                newest = max(newest, int(item.get("creation_date") or 0))
            yield RawPage(url=safe_url(str(response.url)), status=response.status_code, body=response.content,
                          query=query.text, company=query.company)
            if data.get("backoff"):
                client.hold(url, float(data["backoff"]), status=response.status_code)
            if data.get("quota_remaining") == 0:
                client.hold(url, _seconds_to_utc_midnight(), status=response.status_code)
            if not data.get("has_more"):
                break
        if newest:
            yield checkpoint(Cursor(str(newest)), query=query)

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Questions as mentions: unescaped title, body as text, the question link.

        Raises:
            ParseError: not the documented wrapper, or an item without its ids.
        """
        data = _load(page.body, page.url)
        for item in data["items"]:
            try:
                title = html.unescape(item["title"])
                text = html_to_text(item.get("body")) or title
                owner = item.get("owner") or {}
                yield Mention(
                    source=NAME, native_id=str(item["question_id"]), text=text, title=title,
                    published_at=utc_from_unix(item["creation_date"]), url=item.get("link"),
                    company=page.company, author=_author(owner, item.get("link")),
                    query=self.hiring.label(page.query or "", title, text), kind="question",
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ParseError(page.url, f"question without {exc}") from None


def _author(owner: dict[str, Any], link: str | None) -> str | None:
    """``stackoverflow.com/users/123`` for a user with an id (the host of the profile, else of the question)."""
    host = urlsplit(owner.get("link") or link or "").netloc
    if owner.get("user_id") is None or not host:
        return owner.get("display_name")
    return f"{host}/users/{owner['user_id']}"


def _throttle_wait(response: httpx.Response) -> float | None:
    """Seconds named by a ``throttle_violation`` error body, else None."""
    if response.status_code not in (400, 502):
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("error_name") != "throttle_violation":
        return None
    match = _THROTTLE_SECONDS.search(str(data.get("error_message", "")))
    return float(match.group(1)) if match else 60.0


def _seconds_to_utc_midnight() -> float:
    now = datetime.now(timezone.utc)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def _load(body: bytes, url: str) -> dict[str, Any]:
    data = json_payload(body, url)
    if not isinstance(data, dict) or ("items" not in data and "error_id" not in data):
        raise ParseError(url, "no items in the response")
    if "items" in data and not isinstance(data["items"], list):
        raise ParseError(url, "items is not a list")
    return data


def build(config: Config, source: SourceConfig) -> StackExchange:
    key_env = source.get("key_env")
    return StackExchange(
        base_url=source.base_url or "https://api.stackexchange.com",
        site=source.get("site") or "workplace",
        queries=company_queries(config, source),
        hiring=HiringTerms(config.collect.hiring_terms),
        key=os.environ.get(key_env) if key_env else None,
        max_pages=int(source.get("max_pages", 20)),
        lookback_seconds=int(source.get("lookback_hours", 2)) * 3600,
        min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
    )
