"""What every source shares: the Mention record, the Source protocol and the error tree.

Errors follow httpx's layout: one line per class saying when it is raised, named by what the
caller does about it::

    HirepulseError                       (hirepulse.errors)
     └── CollectorError                  a source could not finish; the run records it, others go on
          ├── FetchError(url, status)    an HTTP request failed for good (after retries)
          │    └── RateLimited           the host said slow down and the wait would exceed the budget
          ├── RobotsDisallowed(url)      robots.txt forbids the URL; never retried
          │    └── RobotsUnreadable      robots.txt could not be read (host unreachable, 5xx): disallow all meanwhile
          ├── AuthError(source)          credentials missing from the environment or refused
          ├── QuotaExceeded              the API says the project's daily quota is used up
          └── ParseError(url, detail)    a payload did not have the promised shape
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from hirepulse.errors import HirepulseError
from hirepulse.models import Mention, hash_id, mention_id  # re-exported: collectors build Mentions

if TYPE_CHECKING:
    from hirepulse.db import Cursor

__all__ = [
    "Mention", "hash_id", "mention_id", "RawPage", "Query", "Source", "checkpoint", "not_fetched", "fresh_value",
    "fresh_state", "skip_while_fresh", "revalidated", "DailyBudget", "CollectorError", "FetchError",
    "RateLimited", "utc_minute", "RobotsDisallowed", "RobotsUnreadable", "AuthError", "QuotaExceeded", "ParseError", "json_payload",
]


@dataclass(frozen=True, slots=True)
class RawPage:
    """One fetched page, as the network returned it; ``parse`` turns it into mentions."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    query: str | None = None      # the query (or feed URL) this page answers
    company: str | None = None    # the company the query was made for
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Query:
    """One thing a source asks for; its ``key`` names the cursor it advances.

    ``text`` is what is sent (a name, an alias, a hashtag, a feed URL); ``company`` the company it
    was made for (None for free-text queries and feeds, where the text decides).
    """

    key: str
    text: str
    company: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


class Source(Protocol):
    """A collector: ``queries`` plans, ``fetch`` touches the network only, ``parse`` is pure.

    ``fetch`` yields whole pages. A page whose ``meta["cursor"]`` is set carries the cursor that
    may be saved once that page's mentions are committed (in the same transaction); a page with
    ``meta["checkpoint"]`` true carries only a cursor (see :func:`checkpoint`), or says that the
    query was not sent at all (:func:`not_fetched`).
    """

    name: str

    def queries(self) -> list[Query]: ...

    def fetch(self, client: Any, query: Query, since: Any) -> Iterator[RawPage]: ...

    def parse(self, page: RawPage) -> Iterator[Mention]: ...


def checkpoint(cursor: Any, *, query: Query | None = None) -> RawPage:
    """A body-less page that only tells the run loop which cursor to save for the query."""
    return RawPage(url="", status=0, body=b"", query=query.text if query else None,
                   meta={"cursor": cursor, "checkpoint": True})


def not_fetched(reason: str, *, query: Query | None = None) -> RawPage:
    """A body-less page telling the run loop a query was not sent (e.g. the last answer is still fresh)."""
    return RawPage(url="", status=0, body=b"", query=query.text if query else None,
                   meta={"checkpoint": True, "not_fetched": reason})


def fresh_value(now: datetime, seconds: float, hint: float = 0.0) -> str | None:
    """A cursor value saying "fresh for ``seconds`` from ``now``" (and the feed's own ``hint``);
    None when not fresh at all. Used by sources fetched with conditional GET (feeds, pages)."""
    if seconds <= 0:
        return None
    until = now + timedelta(seconds=seconds)
    return json.dumps({"fresh_until": until.isoformat(timespec="seconds"), "hint": hint})


def fresh_state(value: str | None) -> tuple[datetime | None, float]:
    """(fresh until, hint seconds) from a :func:`fresh_value` string; (None, 0) when absent or unreadable."""
    if not value:
        return None, 0.0
    try:
        state = json.loads(value)
        return datetime.fromisoformat(state["fresh_until"]), float(state.get("hint") or 0)
    except (ValueError, KeyError, TypeError):
        return None, 0.0


def skip_while_fresh(query: Query, since: Cursor | None, now: datetime, max_fresh: float) -> RawPage | None:
    """The :func:`not_fetched` page to yield instead of sending the request while the cursor's
    "fresh until" (:func:`fresh_value`) is still ahead of ``now``; None to send it. With
    ``max_fresh`` 0 (freshness off) a time stored earlier is ignored."""
    fresh_until, _ = fresh_state(since.value if since else None)
    if max_fresh and fresh_until is not None and now < fresh_until:
        return not_fetched(f"fresh until {fresh_until:%Y-%m-%d %H:%M} UTC", query=query)
    return None


def revalidated(since: Cursor, headers: Mapping[str, str], value: str | None, *, query: Query) -> RawPage:
    """The checkpoint after a ``304 Not Modified``: the new cursor ``value`` with the stored
    validators, or those the 304 sends again."""
    return checkpoint(replace(since, value=value, etag=headers.get("ETag") or since.etag,
                              last_modified=headers.get("Last-Modified") or since.last_modified), query=query)


@dataclass(slots=True)
class DailyBudget:
    """API units a source may spend per quota day (the calendar day in ``tz``), shared by the runs
    of that day: the run loop loads it from the source's ``__units__`` cursor at the start and
    saves it with every write and at the end (see :mod:`collectors.run`).

    ``exhausted``: the API itself said the quota is used up; nothing more is asked that day.
    """

    limit: int
    tz: tzinfo = timezone.utc
    day: str = ""
    spent: int = 0
    exhausted: bool = False

    def _roll(self, now: datetime | None) -> None:
        today = (now or datetime.now(timezone.utc)).astimezone(self.tz).date().isoformat()
        if today != self.day:
            self.day, self.spent, self.exhausted = today, 0, False

    def load(self, value: str | None, *, now: datetime | None = None) -> None:
        """Take the state saved by :meth:`dump` (ignored when it is from another day or unreadable)."""
        self.day, self.spent, self.exhausted = "", 0, False
        try:
            state = json.loads(value) if value else {}
            self.day, self.spent, self.exhausted = str(state["day"]), int(state["spent"]), bool(state["exhausted"])
        except (ValueError, KeyError, TypeError):
            pass
        self._roll(now)

    def dump(self) -> str:
        return json.dumps({"day": self.day, "spent": self.spent, "exhausted": self.exhausted})

    def left(self, *, now: datetime | None = None) -> int:
        self._roll(now)
        return 0 if self.exhausted else max(0, self.limit - self.spent)

    def spend(self, units: int, *, now: datetime | None = None) -> None:
        self._roll(now)
        self.spent += units


class CollectorError(HirepulseError):
    """A source could not finish its run."""


class FetchError(CollectorError):
    """An HTTP request failed for good, after the retries it was allowed."""

    def __init__(self, url: str, status: int | None, detail: str = "") -> None:
        self.url = url
        self.status = status
        what = f"HTTP {status}" if status else "no response"
        super().__init__(f"{what} from {url}" + (f": {detail}" if detail else ""))


class RateLimited(FetchError):
    """The host asked us to wait longer than this run may wait. ``until``: the time it asked for (said as a UTC time,
    :func:`utc_minute`); ``earlier``: it asked on an earlier run, and nothing was sent on this one (the run is then
    waiting, not failing: :func:`collectors.run.collect`)."""

    def __init__(self, url: str, status: int | None, retry_after: float, *, until: datetime | None = None,
                 earlier: bool = False) -> None:
        self.retry_after = retry_after
        self.until = until or datetime.now(timezone.utc) + timedelta(seconds=retry_after)
        self.earlier = earlier
        if not earlier:
            super().__init__(url, status, f"rate limited: the host asked us to wait until {utc_minute(self.until)}")
            return
        # ("no response from", FetchError's words, would say a request was sent and went unanswered)
        self.url, self.status = url, None
        CollectorError.__init__(self, f"not sent to {url}: the host asked us earlier to wait until "
                                      f"{utc_minute(self.until)}")


def utc_minute(when: datetime) -> str:
    """``when`` as the minute an operator reads it, rounded up (not before the time itself): "2026-12-02 14:05 UTC"."""
    when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    if when.second or when.microsecond:
        when = when.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"{when:%Y-%m-%d %H:%M} UTC"


class StopRequested(CollectorError):
    """A stop signal came while a request waited to be retried: the run ends there, recorded as stopped."""


class RobotsDisallowed(CollectorError):
    """robots.txt forbids fetching the URL for our user agent; never retried."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"robots.txt disallows {url}")


class RobotsUnreadable(RobotsDisallowed):
    """robots.txt could not be read (the host unreachable, or a 5xx): RFC 9309 reads that as disallowing everything
    while it lasts, so the URL was not fetched; ``why`` says which ("the host is unreachable: connection refused",
    "it answered HTTP 503"), which is not robots.txt refusing us."""

    def __init__(self, url: str, host: str, why: str) -> None:
        self.url, self.host, self.why = url, host, why
        CollectorError.__init__(self, f"robots.txt of {host} could not be read ({why}), so {url} was not fetched")


class AuthError(CollectorError):
    """Credentials are missing from the environment or were refused (never shows the secret)."""


class QuotaExceeded(CollectorError):
    """The API says the project's daily quota is used up; the source asks nothing more that day."""


class ParseError(CollectorError):
    """A payload did not have the shape the source promises."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"unexpected payload from {url}: {detail}")


def json_payload(body: bytes, url: str) -> Any:
    """A response body decoded as JSON; what shape it must have is the caller's to check.

    Raises:
        ParseError: the body is not JSON (or not text).
    """
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(url, f"not JSON ({exc})") from None
