"""YouTube comments through the Data API v3 ``commentThreads.list``, with an API key. Disabled by default.

Reads the comments under ``video_ids`` and on every video of ``channel_ids``, each listed for a
company (comments under a recruiting video rarely repeat the employer's name). Per id:
``GET <base_url>/youtube/v3/commentThreads?part=snippet,replies&videoId=<id>`` (or
``allThreadsRelatedToChannelId``) ``&order=time&maxResults=100&textFormat=plainText``, newest
thread first, ``nextPageToken`` followed down to the newest top-level ``publishedAt`` stored minus
the look-back. A thread carries some of its replies, not always all. Kept: public comments with a
hiring term (``[collect] hiring_terms``) and the replies in their threads; the text, the watch URL
``https://www.youtube.com/watch?v=<video>&lc=<comment>``, the time and a salted hash of the author's
channel id (never the display name).

Quota: 1 unit a request, retries included, against ``daily_units`` (this source's share of the
project's 10,000 a day, reset at midnight Pacific time) over the day's runs
(:class:`~collectors.base.DailyBudget`); a spent budget stops the run cleanly. ``quotaExceeded`` ends
the run and nothing is asked again that quota day; ``commentsDisabled`` / ``videoNotFound`` /
``channelNotFound`` skip that id with a warning. The key (from ``key_env``) is sent in the
``X-Goog-Api-Key`` header, the header form of the ``key`` parameter that Google's API platform takes
for every REST API ("System parameters"), so no URL holds it: not a log line, a message, a proxy's log.

Storage limit (YouTube API Services Developer Policies): every ``recheck_days``, before anything new
is fetched, every stored comment (or those published in the last ``recheck_max_age_days``, when set
above 0) is asked for again through ``comments.list?part=id&id=...`` (50 a request); those not returned
are deleted here. The limit runs from when data was stored, not posted, so by default none is left out.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors.base import (
    AuthError, CollectorError, DailyBudget, FetchError, Mention, ParseError, Query, QuotaExceeded, RawPage, checkpoint,
    json_payload,
)
from collectors.http import PoliteClient, safe_url
from collectors.text import HiringTerms, parse_iso
from hirepulse.config import Config, SourceConfig
from hirepulse.db import Cursor

log = logging.getLogger(__name__)

NAME = "youtube"
THREADS_PATH = "/youtube/v3/commentThreads"
COMMENTS_PATH = "/youtube/v3/comments"
WATCH_URL = "https://www.youtube.com/watch?v={video}&lc={comment}"
PAGE_SIZE = 100                  # maxResults: 1 to 100
IDS_PER_CALL = 50                # comment ids per comments.list request (the deletion re-check)
UNITS_PER_CALL = 1               # commentThreads.list and comments.list, in the quota cost table
API_KEY_HEADER = "X-Goog-Api-Key"  # the key, out of the URL
DAILY_UNITS = 2000               # a fifth of the default 10,000: the project may serve others too
MIN_INTERVAL = 1.0
FILTERS = {"video_ids": ("video", "videoId"), "channel_ids": ("channel", "allThreadsRelatedToChannelId")}
SKIPPED = {"commentsDisabled": "its comments are disabled", "videoNotFound": "no such video",
           "channelNotFound": "no such channel"}


def _pacific() -> tzinfo:
    """Daily quotas reset at midnight Pacific time."""
    try:
        return ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:    # no tz database on the system (Windows without tzdata): pytz has one
        import pytz

        return pytz.timezone("America/Los_Angeles")


class YouTube:
    """See the module docstring."""

    name = NAME
    recheck_first = True             # when units are scarce, forgetting goes before collecting

    def __init__(self, *, base_url: str, queries: list[Query], hiring: HiringTerms, key: str | None, key_env: str,
                 budget: DailyBudget, max_pages: int = 20, lookback_seconds: int = 7200,
                 min_interval: float = MIN_INTERVAL, recheck_days: int = 7, recheck_max_age_days: int = 0) -> None:
        if not key:
            raise AuthError(f"youtube: no API key: set the environment variable {key_env} ([sources.youtube] key_env)")
        self.base_url = base_url.rstrip("/")
        self._queries = queries
        self.hiring = hiring
        self._key, self.key_env = key, key_env
        self.budget = budget
        self.stopped: str | None = None
        self.max_pages = max_pages
        self.lookback = lookback_seconds
        self.min_interval = min_interval
        self.recheck_days = recheck_days
        self.recheck_max_age_days = recheck_max_age_days
        self.recheck_batch = IDS_PER_CALL

    def queries(self) -> list[Query]:
        return self._queries

    def fetch(self, client: PoliteClient, query: Query, since: Cursor | None) -> Iterator[RawPage]:
        """Newest-first thread pages down to the cursor, then a checkpoint with the newest top-level time.

        A spent budget or a skipped id ends the query without a checkpoint: the cursor stays.

        Raises:
            QuotaExceeded, AuthError (the key refused), FetchError, RateLimited, ParseError.
        """
        newest = parse_iso(since.value) if since and since.value else None
        stop_at = newest - timedelta(seconds=self.lookback) if newest else None
        params: dict[str, Any] = {"part": "snippet,replies", query.params["filter"]: query.text, "order": "time",
                                  "maxResults": PAGE_SIZE, "textFormat": "plainText"}
        for _ in range(self.max_pages):
            answer = self._get(client, THREADS_PATH, params, skip=query.key)
            if answer is None:
                return
            url, body, data = answer
            times = _top_times(data, url)
            newest = max([newest, *times]) if newest else max(times, default=None)
            yield RawPage(url=url, status=200, body=body, query=query.key, company=query.company)
            if not data.get("nextPageToken") or not times or (stop_at and min(times) <= stop_at):
                break
            params["pageToken"] = data["nextPageToken"]
        if newest:
            yield checkpoint(Cursor(newest.isoformat()), query=query)

    def find_deleted(self, client: PoliteClient, ids: list[str]) -> Iterable[str]:
        """Of these comment ids (at most 50), those ``comments.list`` no longer returns.

        Raises:
            CollectorError: the budget is spent (the re-check is tried again next run).
            QuotaExceeded, AuthError, FetchError, RateLimited, ParseError.
        """
        batch = ids[:IDS_PER_CALL]
        answer = self._get(client, COMMENTS_PATH, {"part": "id", "id": ",".join(batch)})
        if answer is None:
            raise CollectorError(f"youtube: {self.stopped} (the deletion re-check is tried again next run)")
        alive = {item.get("id") for item in answer[2]["items"] if isinstance(item, dict)}
        return [i for i in batch if i not in alive]

    def _get(self, client: PoliteClient, path: str, params: dict[str, Any], *,
             skip: str | None = None) -> tuple[str, bytes, dict[str, Any]] | None:
        """One API request counted against the budget: (URL without the key, body, JSON). None when the
        budget is spent (``stopped`` says so) or, given ``skip`` (what is asked), when that id is skipped."""
        if self.budget.left() < UNITS_PER_CALL:
            if self.stopped is None:
                why = ("the API said the project's quota is used up today (quotaExceeded)" if self.budget.exhausted
                       else f"the daily_units budget of {self.budget.limit} is spent ({self.budget.spent} today)")
                self.stopped = f"{why}; the rest waits for the next quota day (midnight Pacific time)"
                log.warning("youtube: stopped: %s", self.stopped)
            return None
        url = self.base_url + path
        client.set_interval(url, self.min_interval)
        before = client.requests
        try:
            response = client.get(url, params=params, headers={API_KEY_HEADER: self._key}, accept=(400, 401, 403, 404))
        finally:
            self.budget.spend((client.requests - before) * UNITS_PER_CALL)
        shown = safe_url(str(response.url))
        if response.status_code == 200:
            return shown, response.content, _load(response.content, shown)
        reason, message = _error(response.content, self._key)
        if reason == "quotaExceeded":
            self.budget.exhausted = True
            raise QuotaExceeded("youtube: the API project's daily quota is used up (quotaExceeded): nothing more is "
                                "asked until midnight Pacific time; what was fetched before is kept")
        if reason == "keyInvalid" or response.status_code == 401:
            raise AuthError(f"youtube: the API key in {self.key_env} was refused (HTTP {response.status_code} "
                            f"{reason or message})")
        if skip and reason in SKIPPED:
            log.warning("youtube: %s skipped: %s (%s)", skip, SKIPPED[reason], reason)
            return None
        raise FetchError(shown, response.status_code, f"{reason}: {message}" if reason else message)

    def parse(self, page: RawPage) -> Iterator[Mention]:
        """The comments of public threads that talk about hiring: a top-level comment with a hiring term
        with its replies, and a reply with one on its own.

        Raises:
            ParseError: not a commentThreadListResponse, or a comment without id, time or video.
        """
        for thread in _load(page.body, page.url)["items"]:
            try:
                if thread["snippet"].get("isPublic") is False:
                    continue
                top = thread["snippet"]["topLevelComment"]
                in_hiring_thread = self.hiring.found(_text(top))
                for comment in (top, *((thread.get("replies") or {}).get("comments") or [])):
                    snippet, text = comment["snippet"], _text(comment)
                    if not (in_hiring_thread or self.hiring.found(text)):
                        continue
                    video = snippet.get("videoId") or thread["snippet"]["videoId"]
                    yield Mention(
                        source=NAME, native_id=comment["id"], text=text, published_at=parse_iso(snippet["publishedAt"]),
                        url=WATCH_URL.format(video=video, comment=comment["id"]), company=page.company,
                        author=(snippet.get("authorChannelId") or {}).get("value"), kind="comment",
                        query=self.hiring.label(page.query or "", text),
                    )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ParseError(page.url, f"comment thread without {exc}") from None


def _text(comment: dict[str, Any]) -> str:
    """The comment's text: ``textDisplay`` (plain, as asked), else ``textOriginal``."""
    snippet = comment["snippet"]
    return (snippet.get("textDisplay") or snippet.get("textOriginal") or "").strip()


def _top_times(data: dict[str, Any], url: str) -> list[datetime]:
    try:
        return [parse_iso(t["snippet"]["topLevelComment"]["snippet"]["publishedAt"]) for t in data["items"]]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ParseError(url, f"comment thread without {exc}") from None


def _load(body: bytes, url: str) -> dict[str, Any]:
    data = json_payload(body, url)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ParseError(url, "no items list in the response")
    return data


def _error(body: bytes, key: str) -> tuple[str, str]:
    """(first reason, message) of a Google error body ``{"error": {"code", "message", "errors": [{"reason",
    "domain", "message"}]}}``, the key blanked out of the message."""
    try:
        error = json.loads(body)["error"]
        reason = next((e["reason"] for e in error.get("errors") or [] if isinstance(e, dict) and e.get("reason")), "")
        message = str(error.get("message") or "no message")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        reason, message = "", "no error detail"
    return reason, message.replace(key, "[key]")[:300]


def budget_of(source: SourceConfig) -> DailyBudget:
    """The daily unit budget ``[sources.youtube]`` sets, on YouTube's quota day (midnight Pacific time), not yet
    loaded: what the collector spends and `hirepulse status` reports (the ``budget_of`` hook of a source module)."""
    return DailyBudget(int(source.get("daily_units", DAILY_UNITS)), _pacific())


def build(config: Config, source: SourceConfig) -> YouTube:
    """Raises: CollectorError: no videos or channels configured. AuthError: no key in the environment."""
    queries = [Query(key=f"{kind}:{item}", text=item, company=company, params={"filter": param})
               for option, (kind, param) in FILTERS.items()
               for company, items in (source.get(option) or {}).items() for item in items]
    if not queries:
        raise CollectorError("youtube: nothing to read: list videos or channels per company in [sources.youtube] "
                             'video_ids / channel_ids (e.g. video_ids = { "Acme" = ["VIDEO_ID"] })')
    key_env = source.get("key_env") or "YOUTUBE_API_KEY"
    return YouTube(
        base_url=source.base_url or "https://www.googleapis.com", queries=queries,
        hiring=HiringTerms(config.collect.hiring_terms), key=os.environ.get(key_env), key_env=key_env,
        budget=budget_of(source), max_pages=int(source.get("max_pages", 20)),
        lookback_seconds=int(source.get("lookback_hours", 2)) * 3600,
        min_interval=float(source.get("min_interval_seconds", MIN_INTERVAL)),
        recheck_days=int(source.get("recheck_days", 7)), recheck_max_age_days=int(source.get("recheck_max_age_days", 0)),
    )
