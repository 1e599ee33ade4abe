"""Mastodon statuses from public hashtag timelines (and full-text search with a token).

Per instance (``instances``, plus ``base_url`` when given): the hiring hashtags from config and one
brand hashtag per company name and alias (``Acme Corp`` -> ``#acmecorp``), through
``/api/v1/timelines/tag/:hashtag``. With a user token in the environment variable ``token_env``
(``read:search``), ``/api/v2/search?type=statuses`` is queried for each name and alias too.

Incremental by ``min_id``: the first run reads newest pages back (``Link: rel="next"``) and saves
the newest id at the end; later runs ask for ``min_id=<newest stored>`` and follow ``rel="prev"``
forward, saving the cursor with every page (ids are exact, so no look-back). Budget: 300
requests per 5 minutes per IP; ``X-RateLimit-*`` headers are obeyed by the client.
Opt-outs: statuses of bots and of accounts with ``noindex`` true, ``indexable`` false or
``discoverable`` false are skipped; so are boosts. Only statuses naming a configured company are kept.

Deletions and later opt-outs: every ``recheck_days`` each status published in the last
``recheck_max_age_days`` is asked for on its origin server, ``GET /api/v1/statuses/:id`` with the
id from its Mastodon URI (``https://host/users/name/statuses/<id>``), one request per status
paced per host. 404 or 410 means deleted (or no longer public), and a status whose account has
since opted out of indexing counts as gone too; both are deleted here with their analysis. URIs of
other server software, a 401/403 (the origin wants a token) and an unreachable origin leave the
status as it is.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from collectors.base import CollectorError, Mention, ParseError, Query, RawPage, checkpoint, json_payload
from collectors.http import PoliteClient
from collectors.text import CompanyMatcher, company_queries, html_to_text, parse_iso
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

log = logging.getLogger(__name__)

NAME = "mastodon"
STATUS_PATH = "/api/v1/statuses/{id}"
TAG_PATH = "/api/v1/timelines/tag/{tag}"
SEARCH_PATH = "/api/v2/search"
PAGE_LIMIT = 40
MIN_INTERVAL = 300 / 300       # 300 requests per 5 minutes
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([a-z]+)"?')
_STATUS_URI = re.compile(r"^(https?://[^/]+)/users/[^/]+/statuses/(\d+)$")


def _id_key(status_id: str) -> tuple[int, str]:
    """Mastodon ids are opaque strings that sort by (length, text)."""
    return len(status_id), status_id


class Mastodon:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, queries: list[Query], matcher: CompanyMatcher, token: str | None, max_pages: int = 20,
                 min_interval: float = MIN_INTERVAL, recheck_days: int = 7, recheck_max_age_days: int = 14) -> None:
        self._queries = queries
        self.matcher = matcher
        self._token = token
        self.max_pages = max_pages
        self.min_interval = min_interval
        self.recheck_days = recheck_days
        self.recheck_max_age_days = recheck_max_age_days

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Pages of statuses newer than the cursor (see the module docstring).

        Raises:
            FetchError: e.g. 401 when the instance requires a token for tag timelines. ParseError.
        """
        instance = query.params["instance"]
        client.set_interval(instance, self.min_interval)
        headers = {"Authorization": f"Bearer {self._token}"} if query.params.get("search") else None
        if query.params.get("search"):
            url = instance + SEARCH_PATH
            params: dict[str, Any] = {"q": query.text, "type": "statuses", "limit": PAGE_LIMIT}
        else:
            url = instance + TAG_PATH.format(tag=quote(query.params["tag"]))
            params = {"limit": PAGE_LIMIT}
        forward = bool(since and since.value)
        if forward:
            params["min_id"] = since.value
        newest: str | None = since.value if forward else None
        for _ in range(self.max_pages):
            response = client.get(url, params=params, headers=headers, accept=(404,))
            if response.status_code == 404:
                return
            statuses = _statuses(response.content, str(response.url))
            ids = [str(s.get("id")) for s in statuses if s.get("id")]
            page_newest = max(ids, key=_id_key) if ids else None
            if page_newest and (newest is None or _id_key(page_newest) > _id_key(newest)):
                newest = page_newest
            meta = {"cursor": Cursor(newest)} if forward and newest else {}
            yield RawPage(url=str(response.url), status=response.status_code, body=response.content,
                          query=query.text, company=query.company, meta={**meta, "instance": instance})
            if not statuses:
                break
            links = {rel: target for target, rel in _LINK.findall(response.headers.get("Link", ""))}
            if query.params.get("search"):
                if len(statuses) < PAGE_LIMIT:
                    break
                key, value = ("min_id", newest) if forward else ("max_id", min(ids, key=_id_key))
                url, params = url, {**params, key: value}
                continue
            target = links.get("prev" if forward else "next")
            if not target:
                break
            url, params = target, {}
        if not forward and newest:
            yield checkpoint(Cursor(newest), query=query)

    def find_deleted(self, client: PoliteClient, uris: list[str]) -> Iterable[str]:
        """Of these status URIs, those their origin server no longer serves, or whose account opted out."""
        gone: list[str] = []
        failed: set[str] = set()        # origins that did not answer: their other statuses wait for next time
        for uri in uris:
            match = _STATUS_URI.match(uri)
            if not match or match.group(1) in failed:
                continue
            origin, status_id = match.groups()
            client.set_interval(origin, self.min_interval)
            url = origin + STATUS_PATH.format(id=status_id)
            try:
                response = client.get(url, accept=(401, 403, 404, 410))
            except CollectorError as exc:
                log.warning("mastodon: cannot re-check statuses on %s: %s", origin, exc)
                failed.add(origin)
                continue
            if response.status_code in (404, 410):
                gone.append(uri)
            elif response.status_code == 200:
                try:
                    status = json.loads(response.content)
                    account = status.get("account") or {}
                except (ValueError, AttributeError, UnicodeDecodeError) as exc:
                    raise ParseError(url, f"not a status ({exc})") from None
                if _opted_out(account):
                    gone.append(uri)
        return gone

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """Public, indexable statuses that name a configured company.

        Raises:
            ParseError: the body is not a list of statuses (or a search result).
        """
        instance = urlsplit(page.meta.get("instance") or page.url).netloc
        for status in _statuses(page.body, page.url):
            try:
                account = status.get("account") or {}
                if status.get("reblog") or account.get("bot") or _opted_out(account):
                    continue
                text = html_to_text(status.get("content"))
                spoiler = status.get("spoiler_text") or None
                found = self.matcher.find(text, spoiler)
                if not found:
                    continue
                acct = account.get("acct") or account.get("username")
                if acct and "@" not in acct:   # a local account: its own address names its instance
                    acct = f"{acct}@{_account_host(account, status) or instance}"
                yield Mention(
                    source=NAME, native_id=status["uri"], text=text, title=spoiler,
                    published_at=parse_iso(status["created_at"]), url=status.get("url") or status["uri"],
                    company=found[0], author=acct, lang=status.get("language"), query=page.query, kind="status",
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ParseError(page.url, f"status without {exc}") from None


def _account_host(account: dict[str, Any], status: dict[str, Any]) -> str:
    """The host of a local account, from its own address (``url``, else ``uri``, else the status's ``uri``), not from
    the configured instance: that may be a proxy, a ``www.`` name or a base_url standing in for the instance, and a
    person asking to be forgotten gives the address their profile shows (collectors.authors)."""
    for address in (account.get("url"), account.get("uri"), status.get("uri")):
        host = urlsplit(address).netloc.lower() if isinstance(address, str) else ""
        if host:
            return host
    return ""


def _opted_out(account: dict[str, Any]) -> bool:
    return account.get("noindex") is True or account.get("indexable") is False or account.get("discoverable") is False


def _statuses(body: bytes, url: str) -> list[dict[str, Any]]:
    data = json_payload(body, url)
    if isinstance(data, dict) and isinstance(data.get("statuses"), list):
        data = data["statuses"]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise ParseError(url, "expected a JSON array of statuses")
    return data


def brand_tag(term: str) -> str:
    """``Acme Corp`` -> ``acmecorp`` (hashtags are letters, digits and underscores)."""
    return re.sub(r"[^\w]", "", term, flags=re.UNICODE).lower()


def build(config: Config, source: SourceConfig) -> Mastodon:
    instances = [i.rstrip("/") for i in (source.get("instances") or [])]
    if source.base_url and source.base_url not in instances:
        instances.append(source.base_url)
    token_env = source.get("token_env")
    token = os.environ.get(token_env) if token_env else None
    tags = {t.lstrip("#").lower(): None for t in source.get("hashtags") or []}
    brand = company_queries(config, source)
    for q in brand:
        tags.setdefault(brand_tag(q.text), q.company)
    queries: list[Query] = []
    for instance in instances:
        for tag, company in tags.items():
            if tag:
                queries.append(Query(key=f"{instance}#{tag}", text=f"#{tag}", company=company,
                                     params={"instance": instance, "tag": tag}))
        if token:
            queries += [Query(key=f"{instance}?q={q.text}", text=q.text, company=q.company,
                              params={"instance": instance, "search": True}) for q in brand]
    return Mastodon(queries=queries, matcher=CompanyMatcher(config), token=token,
                    max_pages=int(source.get("max_pages", 20)),
                    min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
                    recheck_days=int(source.get("recheck_days", 7)),
                    recheck_max_age_days=int(source.get("recheck_max_age_days", 14)))
