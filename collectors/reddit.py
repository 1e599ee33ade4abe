"""Reddit posts through the official OAuth Data API. Disabled by default.

Reddit requires approval for API access and a separate agreement for commercial use; enable
this source only with your own approved app. Credentials come from the environment
(``client_id_env``, ``client_secret_env``): an app-only token from ``auth_url``
``/api/v1/access_token`` (``grant_type=client_credentials``, HTTP Basic), then ``base_url``
(``oauth.reddit.com``) with ``Authorization: bearer``. The User-Agent follows Reddit's required
``<platform>:<app id>:<version> (by /u/<username>)``; ``username`` must be configured.

Per subreddit and company name/alias: ``/r/<sub>/search?q=...&restrict_sr=true&sort=new``,
100 per page, ``after`` paging stopped at the newest ``created_utc`` stored minus the look-back.
With ``comments = true``, each matching post of those pages that has comments is read once more,
``/r/<sub>/comments/<id>?sort=new&limit=100``, and its comments (nested replies included, "load
more" stubs not followed) are stored as ``comment`` mentions, matched by the post's title but stored without
it (a comment carries its own words only). One
request per such post, so a post's comments are those present when the post was first seen (or
within the look-back): later comments on older posts are not collected.
``x-ratelimit-remaining`` / ``x-ratelimit-reset`` are obeyed by the client (100 queries a minute).
Deletion duty: every ``recheck_days`` the items published in the last ``recheck_max_age_days``
are re-read through ``/api/info?id=t3_..,t1_..`` (100 fullnames a request); those no longer
returned, removed (``removed_by_category``, body ``[removed]`` / ``[deleted]``) or whose author is
``[deleted]`` are deleted here with their analysis (see :func:`collectors.run.collect`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from collectors.base import AuthError, CollectorError, Mention, ParseError, Query, RawPage, checkpoint, json_payload
from collectors.http import PoliteClient, safe_url
from collectors.text import HiringTerms, company_queries, utc_from_unix
from hirepulse import __version__
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

NAME = "reddit"
TOKEN_PATH = "/api/v1/access_token"
INFO_PATH = "/api/info"
WEB_URL = "https://www.reddit.com"
PAGE_LIMIT = 100
MIN_INTERVAL = 60 / 100          # 100 queries per minute per OAuth client
GONE = ("[deleted]", "[removed]")


class Reddit:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, base_url: str, auth_url: str, queries: list[Query], hiring: HiringTerms,
                 client_id: str | None, client_secret: str | None, username: str | None, max_pages: int = 20,
                 lookback_seconds: int = 7200, recheck_days: int = 7, recheck_max_age_days: int = 30,
                 comments: bool = False) -> None:
        if not client_id or not client_secret:
            raise AuthError("reddit: client credentials missing from the environment (client_id_env, client_secret_env)")
        if not username:
            raise CollectorError("reddit: set [sources.reddit] username (Reddit's User-Agent must name it)")
        self.base_url, self.auth_url = base_url.rstrip("/"), auth_url.rstrip("/")
        self._queries = queries
        self.hiring = hiring
        self._credentials = (client_id, client_secret)
        self._token: str | None = None
        self.user_agent = f"python:hirepulse:{__version__} (by /u/{username})"
        self.max_pages = max_pages
        self.lookback = lookback_seconds
        self.recheck_days = recheck_days
        self.recheck_max_age_days = recheck_max_age_days
        self.recheck_batch = PAGE_LIMIT        # /api/info takes up to 100 fullnames
        self.comments = comments

    def queries(self) -> list[Query]:
        return self._queries

    def _headers(self, client: PoliteClient) -> dict[str, str]:
        if self._token is None:
            response = client.post(self.auth_url + TOKEN_PATH, data={"grant_type": "client_credentials"},
                                   auth=self._credentials, accept=(400, 401, 403))
            body = json_payload(response.content, safe_url(self.auth_url + TOKEN_PATH)) if response.status_code == 200 else None
            token = body.get("access_token") if isinstance(body, dict) else None   # (an HTML page on a 200: a ParseError)
            if not token:
                raise AuthError(f"reddit: the token request was refused (HTTP {response.status_code})")
            self._token = token
        client.set_interval(self.base_url, MIN_INTERVAL)
        return {"Authorization": f"bearer {self._token}"}

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Newest-first search pages down to the cursor, then a checkpoint.

        Raises:
            AuthError: credentials refused. FetchError, RateLimited, ParseError.
        """
        sub = query.params["subreddit"]
        hwm = float(since.value) if since and since.value else 0.0
        newest, after = hwm, None
        url = f"{self.base_url}/r/{sub}/search"
        for _ in range(self.max_pages):
            params: dict[str, Any] = {"q": query.text, "restrict_sr": "true", "sort": "new", "t": "all",
                                      "limit": PAGE_LIMIT, "raw_json": 1}
            if after:
                params["after"] = after
            response = client.get(url, params=params, headers=self._headers(client))
            children, after = _listing(response.content, url)
            times = [float(c["data"].get("created_utc") or 0) for c in children]
            newest = max([newest, *times])
            yield RawPage(url=url, status=response.status_code, body=response.content, query=query.text,
                          company=query.company)
            if self.comments:
                yield from self._comments(client, query, children, hwm - self.lookback if hwm else 0.0)
            if not after or not children or (hwm and min(times) <= hwm - self.lookback):
                break
        if newest:
            yield checkpoint(Cursor(str(int(newest))), query=query)

    def _comments(self, client: PoliteClient, query: Query, children: list[dict[str, Any]],
                  after_time: float) -> Iterator[RawPage]:
        """The comment thread of each matching post newer than ``after_time`` that has comments."""
        term = _term(query.text)
        for child in children:
            data = child.get("data") or {}
            if child.get("kind") != "t3" or not data.get("num_comments") or _gone(data) \
                    or float(data.get("created_utc") or 0) <= after_time \
                    or not term.search(f"{data.get('title') or ''} {data.get('selftext') or ''}"):
                continue
            url = f"{self.base_url}/r/{data['subreddit']}/comments/{data['id']}"
            response = client.get(url, params={"sort": "new", "limit": PAGE_LIMIT, "raw_json": 1},
                                  headers=self._headers(client))
            yield RawPage(url=url, status=response.status_code, body=response.content, query=query.text,
                          company=query.company, meta={"comments_of": data.get("title") or ""})

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Posts (t3) and comments (t1) that still exist and name the query (or, for the comments
        of a matching post, whose post does).

        Raises:
            ParseError: not a Listing.
        """
        post_title = page.meta.get("comments_of")
        children = _thread(page.body, page.url) if post_title is not None else _listing(page.body, page.url)[0]
        term = _term(page.query or "")
        for child in children:
            data = child["data"]
            try:
                post = child["kind"] == "t3"
                # a comment's post title (link_title, or the thread's post) is the post author's words: it says
                # what the comment answers, to match and label it, but is not stored with the comment, where it
                # would survive that author's erasure (as on Hacker News)
                thread = data.get("title") if post else (data.get("link_title") or post_title)
                title = thread if post else None
                text = (data.get("selftext") if post else data.get("body")) or ""
                if _gone(data) or not term.search(f"{thread or ''} {text}") or not (post or text):
                    continue
                yield Mention(
                    source=NAME, native_id=data["name"], text=text or (title or ""), title=title,
                    published_at=utc_from_unix(data["created_utc"]), url=WEB_URL + data["permalink"],
                    company=page.company, author=data.get("author"), kind="post" if post else "comment",
                    query=self.hiring.label(f"r/{data.get('subreddit')}: {page.query}", thread, text),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ParseError(page.url, f"item without {exc}") from None

    def find_deleted(self, client: PoliteClient, native_ids: list[str]) -> Iterable[str]:
        """Of these fullnames, those deleted or removed upstream (or no longer returned)."""
        response = client.get(self.base_url + INFO_PATH, params={"id": ",".join(native_ids), "raw_json": 1},
                              headers=self._headers(client))
        children, _ = _listing(response.content, self.base_url + INFO_PATH)
        alive = {c["data"]["name"] for c in children if not _gone(c["data"])}
        return [n for n in native_ids if n not in alive]


def _gone(data: dict[str, Any]) -> bool:
    """Removed by a moderator or Reddit, deleted by its author, or its author's account deleted."""
    text = data.get("selftext") if "selftext" in data else data.get("body")
    return bool(data.get("removed_by_category")) or text in GONE or data.get("author") == "[deleted]"


def _term(query: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(query) + r"(?![\w])", re.IGNORECASE)


def _thread(body: bytes, url: str) -> list[dict[str, Any]]:
    """The comments (t1) of a ``/comments/<id>`` answer, ``[post Listing, comment Listing]``,
    replies flattened in reading order; "more" stubs dropped.

    Raises:
        ParseError: not two Listings.
    """
    try:
        data = json.loads(body)
        if not isinstance(data, list) or len(data) != 2:
            raise ValueError("expected [post Listing, comment Listing]")
        comments = data[1]["data"]["children"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ParseError(url, f"not a comment thread ({exc})") from None
    out: list[dict[str, Any]] = []
    stack = list(reversed(comments))
    while stack:
        child = stack.pop()
        if not isinstance(child, dict) or child.get("kind") != "t1":
            continue
        out.append(child)
        replies = (child.get("data") or {}).get("replies")
        if isinstance(replies, dict):
            stack.extend(reversed((replies.get("data") or {}).get("children") or []))
    return out


def _listing(body: bytes, url: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(body)
        children = data["data"]["children"]
        if data.get("kind") != "Listing" or not isinstance(children, list):
            raise ValueError("kind is not Listing")
        return children, data["data"].get("after")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ParseError(url, f"not a Listing ({exc})") from None


def build(config: Config, source: SourceConfig) -> Reddit:
    brand = company_queries(config, source)
    queries = [Query(key=f"r/{sub}:{q.text}", text=q.text, company=q.company, params={"subreddit": sub})
               for sub in source.get("subreddits") or [] for q in brand]
    return Reddit(
        base_url=source.base_url or "https://oauth.reddit.com", auth_url=source.get("auth_url") or WEB_URL,
        queries=queries, hiring=HiringTerms(config.collect.hiring_terms),
        client_id=os.environ.get(source.get("client_id_env") or ""),
        client_secret=os.environ.get(source.get("client_secret_env") or ""),
        username=source.get("username"), max_pages=int(source.get("max_pages", 20)),
        lookback_seconds=int(source.get("lookback_hours", 2)) * 3600, recheck_days=int(source.get("recheck_days", 7)),
        recheck_max_age_days=int(source.get("recheck_max_age_days", 30)),
        comments=bool(source.get("comments", False)),
    )
