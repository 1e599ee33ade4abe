"""Configured article pages: the article and each of its comments as separate mentions.

Only where robots.txt allows, with a conditional GET (ETag / Last-Modified in the URL's cursor),
and not at all while the last answer is still fresh by its HTTP caching headers (``Cache-Control:
max-age``, ``Expires``; capped at ``max_fresh_hours``, default 24, 0 = always ask).
Extraction relies on the markup conventions blog engines share rather than on one layout:

- comments: WordPress ``wp_list_comments`` (``li.comment`` in ``ol.comment-list`` with
  ``.comment-author .fn``, ``.comment-metadata time``, ``.comment-content``; older themes'
  ``.comment-body``), schema.org microdata ``Comment`` (``itemprop`` author/name, dateCreated or
  datePublished, text), microformats2 (``.p-comment`` / ``.u-comment`` ``h-cite`` or ``h-entry``
  with ``p-author``, ``dt-published``, ``e-content`` / ``p-content``);
- the article: schema.org ``Article``/``BlogPosting``, ``.h-entry``, ``<article>``, else ``<main>``
  or ``<body>``, with comments and page chrome removed; its time from ``<time datetime>`` or
  ``article:published_time``.
Nested replies are separate comments; a parent's text never includes its replies. A comment without an
``id`` of its own is anchored by a hash of its author's salted key, its time and the start of its text, keyed with
the salt (the text is not yet redacted: unkeyed, the anchor would let anyone test guesses of a number in it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from bs4 import BeautifulSoup, Tag

from collectors.base import Mention, Query, RawPage, fresh_value, hash_id, revalidated, skip_while_fresh
from collectors.http import PoliteClient, freshness
from collectors.text import CompanyMatcher, html_to_text, parse_iso
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor
from hirepulse.privacy import author_key, keyed_id

NAME = "web"
MIN_INTERVAL = 2.0
MAX_FRESH_HOURS = 24.0
COMMENT = ("li.comment, article.comment, div.comment, [itemtype*='schema.org/Comment'], "
           ".p-comment, .u-comment")
ARTICLE = ("[itemtype*='schema.org/BlogPosting']", "[itemtype*='schema.org/NewsArticle']",
           "[itemtype*='schema.org/Article']", ".h-entry", "article", "main", "[role=main]", "body")
AUTHOR = (".fn", "[itemprop=author] [itemprop=name]", "[itemprop=author]", ".p-author .p-name", ".p-author",
          "[rel=author]", ".comment-author", ".author")
TIME = ("time[datetime]", "[itemprop=dateCreated]", "[itemprop=datePublished]", ".dt-published")
BODY = (".comment-content", "[itemprop=text]", "[itemprop=commentText]", "[itemprop=articleBody]", ".e-content",
        ".p-content", ".entry-content", ".post-content", ".article-body", ".comment-text")
TITLE = ("[itemprop=headline]", ".p-name", ".entry-title", "h1")
CHROME = "script, style, nav, aside, form, noscript, .comment-meta, .comment-metadata, .reply, .comment-respond"


class Web:
    """See the module docstring."""

    name = NAME

    def __init__(self, *, urls: list[str], matcher: CompanyMatcher, salt: str, min_interval: float = MIN_INTERVAL,
                 max_fresh_hours: float = MAX_FRESH_HOURS) -> None:
        self._queries = [Query(key=url, text=url) for url in dict.fromkeys(urls)]
        self.matcher = matcher
        self.salt = salt   # for the anchors of comments without an id of their own (keyed, their author by salted key)
        self.min_interval = min_interval
        self.max_fresh = max(0.0, max_fresh_hours) * 3600

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """The page, unless robots.txt forbids it (raises) or it is unchanged (nothing).

        Raises:
            RobotsDisallowed: never requested. FetchError, RateLimited.
        """
        now = datetime.now(timezone.utc)
        skipped = skip_while_fresh(query, since, now, self.max_fresh)
        if skipped:
            yield skipped
            return
        client.set_interval(query.text, self.min_interval)
        headers = {"Accept": "text/html,application/xhtml+xml"}
        if since and since.etag:
            headers["If-None-Match"] = since.etag
        if since and since.last_modified:
            headers["If-Modified-Since"] = since.last_modified
        response = client.get(query.text, headers=headers, robots=True)
        fresh = fresh_value(now, min(freshness(response.headers), self.max_fresh))
        if response.status_code == 304:
            if since and (fresh or since.value):
                yield revalidated(since, response.headers, fresh, query=query)
            return
        last_modified = response.headers.get("Last-Modified")
        yield RawPage(url=str(response.url), status=response.status_code, body=response.content, query=query.text,
                      headers={"last-modified": last_modified or ""},
                      meta={"cursor": Cursor(fresh, response.headers.get("ETag"), last_modified)})

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """The article, then every comment, each with author, time and text."""
        soup = BeautifulSoup(page.body, "html.parser")
        canonical = soup.select_one("link[rel=canonical][href]")
        url = canonical["href"] if canonical else page.url
        comments = soup.select(COMMENT)
        fallback = _http_date(page.headers.get("last-modified")) or datetime.now(timezone.utc)
        root = next((n for sel in ARTICLE for n in soup.select(sel) if not _in_comment(n, comments)), soup)
        title = _first_text(root, TITLE, comments) or _meta(soup, "og:title") or (soup.title.get_text(strip=True) if soup.title else None)
        published = _time(root, comments) or _parse_time(_meta(soup, "article:published_time")) or fallback
        body = next((n for sel in BODY for n in root.select(sel) if not _in_comment(n, comments)), None)
        text = _text_without(body or root)
        found = self.matcher.find(title, text)
        company = found[0] if found else None
        lang = soup.html.get("lang") if soup.html else None
        yield Mention(source=NAME, native_id=url, text=text or (title or ""), title=title, published_at=published,
                      url=url, company=company, author=_first_text(root, AUTHOR, comments) or _meta(soup, "author"),
                      query=page.query, kind="article", lang=lang)
        for node in comments:
            own = [c for c in comments if c is not node]
            body = next((n for sel in BODY for n in node.select(sel) if _owner(n, comments) is node), None)
            ctext = _text_without(body or node)
            if not ctext:
                continue
            author = _first_text(node, AUTHOR, own)
            when = _time(node, own) or published
            anchor, former = node.get("id"), None
            if not anchor:   # (made unkeyed with the handle before: the row stored under it is moved, db.upsert_mentions)
                anchor = keyed_id(self.salt, author_key(author, self.salt), when.isoformat(), ctext[:200])
                former = f"{url}#{hash_id(author, when.isoformat(), ctext[:200])}"
            cfound = self.matcher.find(ctext)
            # (without the article's title: its author's words, which must leave with that author's erasure)
            yield Mention(source=NAME, native_id=f"{url}#{anchor}", text=ctext, published_at=when, url=f"{url}#{anchor}",
                          company=cfound[0] if cfound else company, author=author, query=page.query, kind="comment",
                          lang=lang, former_id=former)


def _owner(node: Tag, comments: list[Tag]) -> Tag | None:
    """The nearest comment element containing ``node`` (itself included)."""
    ids = {id(c) for c in comments}
    current: Tag | None = node
    while current is not None:
        if id(current) in ids:
            return current
        current = current.parent
    return None


def _in_comment(node: Tag, comments: list[Tag]) -> bool:
    return _owner(node, comments) is not None


def _first_text(root: Tag, selectors: tuple[str, ...], others: list[Tag]) -> str | None:
    for selector in selectors:
        for node in root.select(selector):
            if _owner(node, others + [root]) not in (None, root):
                continue
            value = node.get("content") or node.get_text(" ", strip=True)
            value = value.removesuffix("says:").strip() if isinstance(value, str) else None
            if value:
                return value
    return None


def _time(root: Tag, others: list[Tag]) -> datetime | None:
    for selector in TIME:
        for node in root.select(selector):
            if _owner(node, others + [root]) not in (None, root):
                continue
            when = _parse_time(node.get("datetime") or node.get("content") or node.get_text(strip=True))
            if when:
                return when
    return None


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def _http_date(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def _meta(soup: BeautifulSoup, name: str) -> str | None:
    node = soup.select_one(f"meta[property='{name}'][content], meta[name='{name}'][content]")
    return node["content"].strip() if node else None


def _text_without(node: Tag) -> str:
    """Text of ``node`` without nested comments and page chrome (works on a copy)."""
    copy = BeautifulSoup(str(node), "html.parser")
    top = copy.find(True)
    for selector in (COMMENT, CHROME, "footer.comment-meta, .comment-author, header"):
        for child in copy.select(selector):
            if child is not top and not child.decomposed:
                child.decompose()
    return html_to_text(str(copy))


def build(config: Config, source: SourceConfig) -> Web:
    """Raises: ConfigError: the privacy salt is not set (comment anchors need it)."""
    return Web(urls=list(source.get("urls") or []), matcher=CompanyMatcher(config), salt=config.salt(),
               min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
               max_fresh_hours=float(source.get("max_fresh_hours", MAX_FRESH_HOURS)))
