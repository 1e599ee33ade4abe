"""Bluesky posts through ``app.bsky.feed.searchPosts``, authenticated. Disabled by default.

Since January 2025 search needs a session: an app password (never the account password) from
the environment (``handle_env``, ``app_password_env``) is exchanged once per run for an access
token at ``com.atproto.server.createSession`` (30 per 5 minutes, 300 a day per account), then
``base_url`` (the PDS, default ``bsky.social``) serves searchPosts with ``Authorization: Bearer``.
Bluesky asks that searchPosts serve human-directed queries at low volume: one query per company
name and alias, ``sort=latest`` with ``since`` = newest ``indexedAt`` stored minus the look-back,
a few pages at most, one request a second. Bulk collection should use the firehose instead.

Deletion duty (Bluesky's developer guidelines): every ``recheck_days`` the posts published in the
last ``recheck_max_age_days`` are asked for again through ``app.bsky.feed.getPosts`` (25 URIs a
request); a post not returned was deleted (or its account deactivated or taken down) and is
deleted here with its analysis (see :func:`collectors.run.collect`).

An author is keyed by the account's DID (``author.did``), which stays when the handle changes; the post's link
names the handle it had when fetched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from collectors.authors import BLUESKY_PROFILE
from collectors.base import AuthError, Mention, ParseError, Query, RawPage, checkpoint, json_payload
from collectors.http import PoliteClient, safe_url
from collectors.text import HiringTerms, company_queries, parse_iso
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "bluesky"
SESSION_PATH = "/xrpc/com.atproto.server.createSession"
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"
GET_POSTS_PATH = "/xrpc/app.bsky.feed.getPosts"
GET_POSTS_MAX = 25               # the lexicon's maxLength for uris
POST_URL = BLUESKY_PROFILE + "{handle}/post/{rkey}"
PAGE_LIMIT = 100
MAX_PAGES = 5                    # low volume, as Bluesky asks
MIN_INTERVAL = 1.0


class Bluesky:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, base_url: str, queries: list[Query], hiring: HiringTerms, handle: str | None,
                 app_password: str | None, max_pages: int = MAX_PAGES, lookback_seconds: int = 7200,
                 recheck_days: int = 7, recheck_max_age_days: int = 30) -> None:
        if not handle or not app_password:
            raise AuthError("bluesky: handle or app password missing from the environment (handle_env, app_password_env)")
        self.base_url = base_url.rstrip("/")
        self._queries = queries
        self.hiring = hiring
        self._login = {"identifier": handle, "password": app_password}
        self._token: str | None = None
        self.max_pages = min(max_pages, MAX_PAGES)
        self.lookback = lookback_seconds
        self.recheck_days = recheck_days
        self.recheck_max_age_days = recheck_max_age_days
        self.recheck_batch = GET_POSTS_MAX

    def queries(self) -> list[Query]:
        return self._queries

    def _headers(self, client: PoliteClient) -> dict[str, str]:
        if self._token is None:
            response = client.post(self.base_url + SESSION_PATH, json=self._login, accept=(400, 401, 403))
            body = json_payload(response.content, safe_url(self.base_url + SESSION_PATH)) if response.status_code == 200 else None
            token = body.get("accessJwt") if isinstance(body, dict) else None   # (an HTML page on a 200: a ParseError)
            if not token:
                raise AuthError(f"bluesky: createSession refused the app password (HTTP {response.status_code})")
            self._token = token
        return {"Authorization": f"Bearer {self._token}"}

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Latest posts since the cursor, following ``cursor`` for a few pages, then a checkpoint.

        Raises:
            AuthError: session refused or search answered 401/403. FetchError, RateLimited, ParseError.
        """
        client.set_interval(self.base_url, MIN_INTERVAL)
        params: dict[str, Any] = {"q": query.text, "sort": "latest", "limit": PAGE_LIMIT}
        newest = since.value if since and since.value else None
        if newest:
            params["since"] = (parse_iso(newest) - timedelta(seconds=self.lookback)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        url = self.base_url + SEARCH_PATH
        for _ in range(self.max_pages):
            response = client.get(url, params=params, headers=self._headers(client), accept=(401, 403))
            if response.status_code in (401, 403):
                raise AuthError(f"bluesky: search refused (HTTP {response.status_code}: {_error(response.content)})")
            posts, cursor = _posts(response.content, url)
            for post in posts:
                stamp = post.get("indexedAt") or ""
                if stamp and (newest is None or parse_iso(stamp) > parse_iso(newest)):
                    newest = stamp
            yield RawPage(url=url, status=response.status_code, body=response.content, query=query.text,
                          company=query.company)
            if not cursor or not posts:
                break
            params["cursor"] = cursor
        if newest:
            yield checkpoint(Cursor(newest), query=query)

    def find_deleted(self, client: PoliteClient, uris: list[str]) -> Iterable[str]:
        """Of these post URIs (at most 25), those ``getPosts`` no longer returns.

        Raises:
            AuthError: the session was refused. FetchError, RateLimited, ParseError.
        """
        client.set_interval(self.base_url, MIN_INTERVAL)
        url = self.base_url + GET_POSTS_PATH
        response = client.get(url, params={"uris": uris[:GET_POSTS_MAX]}, headers=self._headers(client),
                              accept=(401, 403))
        if response.status_code in (401, 403):
            raise AuthError(f"bluesky: getPosts refused (HTTP {response.status_code}: {_error(response.content)})")
        posts, _ = _posts(response.content, url)
        alive = {post.get("uri") for post in posts}
        return [uri for uri in uris[:GET_POSTS_MAX] if uri not in alive]

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """PostViews naming the query, as mentions.

        Raises:
            ParseError: not ``{"posts": [...]}`` or a post without uri/record.
        """
        posts, _ = _posts(page.body, page.url)
        term = re.compile(r"(?<![\w])" + re.escape(page.query or "") + r"(?![\w])", re.IGNORECASE)
        for post in posts:
            try:
                record, author = post["record"], post["author"]
                text = record.get("text") or ""
                if not term.search(text):
                    continue
                handle = author.get("handle") or author["did"]
                yield Mention(
                    source=NAME, native_id=post["uri"], text=text, url=POST_URL.format(handle=handle, rkey=post["uri"].rsplit("/", 1)[-1]),
                    published_at=parse_iso(record.get("createdAt") or post["indexedAt"]), company=page.company,
                    author=author.get("did") or handle, lang=(record.get("langs") or [None])[0], kind="post",
                    query=self.hiring.label(page.query or "", text),
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ParseError(page.url, f"post without {exc}") from None


def _error(body: bytes) -> str:
    try:
        data = json.loads(body)
        return f"{data.get('error')}: {data.get('message')}"
    except (ValueError, AttributeError):
        return "no detail"


def _posts(body: bytes, url: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(body)
        posts = data["posts"]
        if not isinstance(posts, list):
            raise ValueError("posts is not a list")
        return posts, data.get("cursor")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ParseError(url, f"not a posts answer ({exc})") from None


def build(config: Config, source: SourceConfig) -> Bluesky:
    return Bluesky(
        base_url=source.base_url or "https://bsky.social", queries=company_queries(config, source),
        hiring=HiringTerms(config.collect.hiring_terms),
        handle=os.environ.get(source.get("handle_env") or ""),
        app_password=os.environ.get(source.get("app_password_env") or ""),
        max_pages=int(source.get("max_pages", MAX_PAGES)), lookback_seconds=int(source.get("lookback_hours", 2)) * 3600,
        recheck_days=int(source.get("recheck_days", 7)),
        recheck_max_age_days=int(source.get("recheck_max_age_days", 30)),
    )
