"""Small helpers the sources share: HTML to text, company matching, query labels and plans.

Queries: every source sends one query per company name and alias (competitors included), the
plain brand query. The hiring-focused query (the name together with ``[collect] hiring_terms``)
is evaluated on those results here, in :func:`query_label`, instead of being sent as a second
request: ``"Acme" AND (hiring OR interview ...)`` returns a subset of ``"Acme"``, so sending both
would double the requests for no new data. A mention's ``query`` says which of the two found it:
``Acme`` or ``Acme +hiring``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone

from bs4 import BeautifulSoup

from collectors.base import Query
from hirepulse.config import Config, SourceConfig

HIRING_SUFFIX = " +hiring"
_BLOCKS = ("p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")


def html_to_text(html: str | None) -> str:
    """Visible text of an HTML fragment: paragraphs kept apart, entities decoded.

    Drops ``script``/``style`` and Mastodon's ``span.invisible`` (the hidden part of long links).
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html.strip()
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select("script, style, template, span.invisible"):
        node.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = soup.get_text()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    alts = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(t) for t in alts) + r")(?![\w])", re.IGNORECASE)


class CompanyMatcher:
    """Finds which configured company (by name or alias) a text talks about."""

    def __init__(self, config: Config) -> None:
        self._by_term: dict[str, str] = {}
        for company in config.all_companies():
            for term in company.terms:
                self._by_term.setdefault(term.lower(), company.name)
        self._re = _pattern(self._by_term)

    def find(self, *texts: str | None) -> tuple[str, str] | None:
        """``(company, matched term)`` for the first company named in the texts, else None."""
        if self._re is None:
            return None
        for text in texts:
            if text:
                match = self._re.search(text)
                if match:
                    return self._by_term[match.group(1).lower()], match.group(1)
        return None


class HiringTerms:
    def __init__(self, terms: Iterable[str]) -> None:
        self._re = _pattern(terms)

    def label(self, query: str, *texts: str | None) -> str:
        """``query`` plus ``" +hiring"`` when any text contains a hiring term."""
        if self._re is not None and any(t and self._re.search(t) for t in texts):
            return query + HIRING_SUFFIX
        return query


def company_queries(config: Config, source: SourceConfig) -> list[Query]:
    """One query per company name and alias (competitors included), plus ``queries`` from config."""
    out: dict[str, Query] = {}
    for company in config.all_companies():
        for term in company.terms:
            out.setdefault(term.lower(), Query(key=term, text=term, company=company.name))
    for extra in source.get("queries") or []:
        out.setdefault(extra.lower(), Query(key=extra, text=extra, company=None))
    return list(out.values())


def utc_from_unix(value: float | int | str) -> datetime:
    return datetime.fromtimestamp(float(value), tz=timezone.utc)


def parse_iso(value: str) -> datetime:
    """An ISO 8601 time (``Z`` allowed) as an aware UTC datetime; naive means UTC.

    Raises:
        ValueError: not an ISO time.
    """
    when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)
