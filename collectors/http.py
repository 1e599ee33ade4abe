"""The polite HTTP client every collector uses (httpx underneath).

What it does for every request, so that no source can forget:

- an honest User-Agent, ``hirepulse/<version> (+<project URL>; <contact>)``;
- named timeouts and a redirect limit;
- one request at a time per host (a process-wide lock) paced to the source's budget
  (:meth:`PoliteClient.set_interval`), plus ``Crawl-delay`` from robots.txt as a floor;
- 429 and 503 waited out after ``Retry-After`` (seconds or HTTP date), else ``X-RateLimit-Reset``,
  else a source's own signal (``check``), else capped, jittered exponential backoff; other 5xx,
  timeouts and network errors retried with the same backoff;
- a wait longer than ``max_wait`` raises :class:`RateLimited` and is handed to ``save_not_before``
  so the next run (another process) does not call the host early; ``load_not_before`` is asked
  once per host before the first request;
- robots.txt (Protego, RFC 9309 fetch rules: 2xx parsed, 4xx allow all, 5xx or network error
  disallow all, said as such (:class:`~collectors.base.RobotsUnreadable`, naming why) rather than as
  robots.txt refusing us; read ones cached a day, fetched once per host per process even when sources
  in several threads ask at once; one that could not be read is asked again by the next run, not
  held against a host that is back) for fetches that are not an official API (``robots=True``);
- a request that got no response says why (connection refused, name not resolved, timed out);
- one ``httpx.Client`` per run: connections are kept alive and reused page after page; one TLS
  context per process;
- requests and bytes counted for the run log.

Secrets never appear in messages or logs: :func:`safe_url` drops credential query parameters, and a filter on
httpx's logger does the same to the URLs it logs.
:func:`freshness` reads HTTP caching headers for sources that skip a fetch while still fresh.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from protego import Protego

from collectors.base import FetchError, RateLimited, RobotsDisallowed, RobotsUnreadable, StopRequested
from hirepulse import PROJECT_URL, __version__

log = logging.getLogger(__name__)
# httpx logs every URL at INFO; URLs may carry an API key, so keep it quiet (and see _SecretsFilter below).
logging.getLogger("httpx").setLevel(logging.WARNING)

USER_AGENT_TEMPLATE = "hirepulse/{version} (+{url}; {contact})"
NO_CONTACT = "no contact configured"
DEFAULT_TIMEOUT = 20.0         # seconds for read/write/pool
CONNECT_TIMEOUT = 10.0
MAX_REDIRECTS = 5              # RFC 9309 asks for at least five for robots.txt
MAX_RETRIES = 4                # retries after the first attempt, per request
BACKOFF_BASE = 1.0             # seconds; doubled per attempt, jittered
BACKOFF_CAP = 60.0
MAX_WAIT = 120.0               # longest single wait a run accepts; longer -> RateLimited
ROBOTS_TTL = 24 * 3600         # RFC 9309 §2.4: do not use a cached copy for more than a day
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5
SENSITIVE_PARAMS = frozenset({"key", "access_token", "token", "password", "client_secret", "apikey", "api_key"})
OK_STATUSES = frozenset({200, 201, 202, 203, 204, 206, 304})

_HOST_LOCKS: dict[str, threading.Lock] = {}
_HOST_NEXT: dict[str, float] = {}          # host -> time.monotonic() before which we do not call
_REGISTRY_LOCK = threading.Lock()
_ROBOTS: dict[str, _Robots] = {}
_ROBOTS_LOCKS: dict[str, threading.Lock] = {}   # one robots.txt fetch per origin at a time
_SSL: ssl.SSLContext | None = None


@dataclass(slots=True)
class _Robots:
    parser: Protego | None    # None: allow_all decides
    allow_all: bool
    expires: float            # time.time()
    why: str | None = None    # robots.txt could not be read: why (kept for one run only, RFC 9309 2.3.1.4)


def clear_robots_cache() -> None:
    """Forget every cached robots.txt (tests; a long-running scheduler keeps them a day)."""
    with _REGISTRY_LOCK:
        _ROBOTS.clear()
        _ROBOTS_LOCKS.clear()
        _HOST_NEXT.clear()


def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process (loading the CA bundle costs ~50 ms per client)."""
    global _SSL
    with _REGISTRY_LOCK:
        if _SSL is None:
            _SSL = httpx.create_ssl_context()
        return _SSL


def user_agent(contact: str | None) -> str:
    return USER_AGENT_TEMPLATE.format(version=__version__, url=PROJECT_URL, contact=contact or NO_CONTACT)


def safe_url(url: str) -> str:
    """The URL without credential query parameters, for messages and logs."""
    parts = urlsplit(str(url))
    if not parts.query:
        return str(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SENSITIVE_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


class _SecretsFilter(logging.Filter):
    """Takes credential query parameters out of the URLs in a record (:func:`safe_url`). On httpx's logger, which
    logs each request's URL (``key=`` for Stack Exchange) should anyone turn it up to find a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _URL_IN_TEXT.sub(lambda url: safe_url(url[0]), message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
logging.getLogger("httpx").addFilter(_SecretsFilter())


def freshness(headers: Mapping[str, str], *, now: float | None = None) -> float:
    """Seconds a response stays fresh for a private cache (RFC 9111 section 4.2.1), 0 if not at all.

    ``Cache-Control: max-age`` minus ``Age``, else ``Expires`` minus ``Date`` (or now);
    ``no-store`` / ``no-cache`` mean 0. ``s-maxage`` is for shared caches and is ignored.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    directives: dict[str, str] = {}
    for part in lowered.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value.strip().strip('"')
    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    if "max-age" in directives:
        try:
            age = float(lowered.get("age") or 0)
            return max(0.0, float(directives["max-age"]) - age)
        except ValueError:
            return 0.0
    expires = lowered.get("expires")
    if not expires:
        return 0.0
    try:
        until = email.utils.parsedate_to_datetime(expires).timestamp()
        date = lowered.get("date")
        start = email.utils.parsedate_to_datetime(date).timestamp() if date else (time.time() if now is None else now)
    except (TypeError, ValueError):
        return 0.0             # "Expires: 0" and other invalid dates mean already expired
    return max(0.0, until - start)


def parse_wait(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` / ``X-RateLimit-Reset`` style values.

    Accepts delta seconds, a Unix time, an HTTP date or an ISO 8601 time; None when unreadable.
    """
    if not value:
        return None
    value = value.strip()
    now = time.time() if now is None else now
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        return max(0.0, number - now) if number > 1e9 else max(0.0, number)
    when: datetime | None = None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)


class PoliteClient:
    """A paced, retrying, robots-aware HTTP client for one collection run.

    Args:
        contact: shown in the User-Agent so operators can reach us.
        user_agent_override: a source's required format (Reddit); still honest.
        check: see :meth:`request`.
        load_not_before / save_not_before: persisted "do not call before" per host.
        sleep: injectable for tests.
        pace: multiplies every source's interval (tests and benchmarks against a local server: 0).
    """

    def __init__(self, *, contact: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 user_agent_override: str | None = None, max_wait: float = MAX_WAIT,
                 max_retries: int = MAX_RETRIES, backoff_base: float = BACKOFF_BASE,
                 load_not_before: Callable[[str], datetime | None] | None = None,
                 save_not_before: Callable[[str, datetime], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep, pace: float = 1.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.user_agent = user_agent_override or user_agent(contact)
        self._http = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
            follow_redirects=True, max_redirects=MAX_REDIRECTS, transport=transport,
            verify=_ssl_context() if transport is None else True,
        )
        self.max_wait = max_wait
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self._load_not_before = load_not_before
        self._save_not_before = save_not_before
        self._sleep = sleep
        self.pace = pace
        self._intervals: dict[str, float] = {}
        self._checked_hosts: set[str] = set()
        self._unread_robots: dict[str, _Robots] = {}   # origin -> robots.txt that could not be read on this run
        self.requests = 0
        self.bytes = 0
        # asked before each retry's wait (collectors.run sets it to the run's stop flag): a stop signal must not
        # wait out a slow host's timeouts and back-offs
        self.should_stop: Callable[[], bool] | None = None

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ pacing

    def set_interval(self, url_or_host: str, seconds: float) -> None:
        """Keep at least ``seconds`` between two requests to this host (the source's budget)."""
        host = _host(url_or_host)
        self._intervals[host] = max(self._intervals.get(host, 0.0), float(seconds) * self.pace)

    def hold(self, url: str, seconds: float, *, status: int | None = None) -> None:
        """Do not call the host of ``url`` for ``seconds`` (a source's own backoff signal).

        Raises:
            RateLimited: the wait exceeds ``max_wait``; the time is persisted for the next run.
        """
        host = _host(url)
        if seconds > self.max_wait:
            raise RateLimited(safe_url(url), status, seconds, until=self._persist(host, seconds))
        with _REGISTRY_LOCK:
            _HOST_NEXT[host] = max(_HOST_NEXT.get(host, 0.0), time.monotonic() + seconds)

    def _persist(self, host: str, seconds: float) -> datetime:
        """Remember (``save_not_before``) not to call ``host`` for ``seconds``; the time it may be called again."""
        until = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        if self._save_not_before is not None:
            self._save_not_before(host, until)
        return until

    def _wait_turn(self, host: str, url: str) -> threading.Lock:
        if host not in self._checked_hosts:
            self._checked_hosts.add(host)
            when = self._load_not_before(host) if self._load_not_before else None
            if when is not None:
                wait = (when - datetime.now(timezone.utc)).total_seconds()
                if wait > self.max_wait:
                    raise RateLimited(safe_url(url), None, wait, until=when, earlier=True)
                if wait > 0:
                    self.hold(url, wait)
        with _REGISTRY_LOCK:
            lock = _HOST_LOCKS.setdefault(host, threading.Lock())
        lock.acquire()
        with _REGISTRY_LOCK:
            delay = _HOST_NEXT.get(host, 0.0) - time.monotonic()
        if delay > 0:
            log.debug("waiting %.2fs for %s", delay, host)
            self._sleep(delay)
        return lock

    # ------------------------------------------------------------------ requests

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None, data: Any = None, json: Any = None,
                auth: Any = None, robots: bool = False, accept: Collection[int] = (),
                check: Callable[[httpx.Response], float | None] | None = None) -> httpx.Response:
        """Send one request politely and return the response.

        Args:
            robots: obey robots.txt (every fetch that is not an official API).
            accept: statuses returned to the caller as they are (besides 2xx and 304).
            check: a source's rate-limit detector: returns seconds to wait when the response says
                "slow down" in its own way (a body on a 200, a ``backoff`` field), else None.

        Raises:
            RobotsDisallowed: robots.txt forbids the URL (nothing was requested).
            RateLimited: the host asks for a wait longer than ``max_wait`` (persisted).
            FetchError: any other failure after the retries.
        """
        full = str(httpx.URL(url, params=params)) if params else url
        if robots:
            refused = self._robots_verdict(full)
            if refused == "":
                raise RobotsDisallowed(safe_url(full))
            if refused is not None:
                raise RobotsUnreadable(safe_url(full), _host(full), refused)
        host = _host(full)
        attempt = 0
        while True:
            lock = self._wait_turn(host, full)
            try:
                response = self._http.request(method, full, headers=headers, data=data, json=json, auth=auth)
                error: Exception | None = None
            except httpx.TooManyRedirects:
                raise FetchError(safe_url(full), None, "too many redirects") from None
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                response, error = None, exc
            finally:
                self.requests += 1
                with _REGISTRY_LOCK:
                    _HOST_NEXT[host] = time.monotonic() + self._intervals.get(host, 0.0)
                lock.release()
            if response is not None:
                self.bytes += response.num_bytes_downloaded
            wait, limited = self._classify(response, check, attempt)
            if wait is None:
                return self._finish(response, full, accept)
            if attempt >= self.max_retries or (limited and wait > self.max_wait):
                if limited:
                    raise RateLimited(safe_url(full), response.status_code if response is not None else None, wait,
                                      until=self._persist(host, wait))
                status = response.status_code if response is not None else None
                raise FetchError(safe_url(full), status, self.network_reason(error) if error else "retries exhausted")
            if self.should_stop is not None and self.should_stop():
                raise StopRequested(f"stopped while {safe_url(full)} waited to be retried")
            attempt += 1
            log.info("retrying %s in %.1fs (%s)", safe_url(full), wait,
                     response.status_code if response is not None else self.network_reason(error))
            self.hold(full, min(wait, self.max_wait))

    def _classify(self, response: httpx.Response | None, check: Callable[[httpx.Response], float | None] | None,
                  attempt: int) -> tuple[float | None, bool]:
        """(seconds to wait before retrying or None to stop, whether it is rate limiting)."""
        backoff = min(BACKOFF_CAP, self.backoff_base * 2 ** attempt) * (0.5 + random.random() / 2)
        if response is None:
            return backoff, False
        signal = check(response) if check else None
        if signal is not None:
            return max(signal, 0.0), True
        status = response.status_code
        if status in (429, 503):
            told = parse_wait(response.headers.get("Retry-After")) or parse_wait(response.headers.get("X-RateLimit-Reset"))
            return (told if told is not None else backoff), status == 429 or told is not None
        if status >= 500:
            return backoff, False
        remaining = response.headers.get("X-RateLimit-Remaining")
        if remaining is not None and status < 300:
            try:
                if float(remaining) <= 0:
                    reset = parse_wait(response.headers.get("X-RateLimit-Reset"))
                    if reset:
                        self.hold(str(response.request.url), reset, status=status)
            except ValueError:
                pass
        return None, False

    def _finish(self, response: httpx.Response, url: str, accept: Collection[int]) -> httpx.Response:
        if response.status_code in OK_STATUSES or response.status_code in accept:
            return response
        raise FetchError(safe_url(url), response.status_code)

    # ------------------------------------------------------------------ robots.txt

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url`` (fetching robots.txt if needed)."""
        return self._robots_verdict(url) is None

    def _robots_verdict(self, url: str) -> str | None:
        """None when robots.txt lets us fetch ``url``; else "" when it disallows it, or why robots.txt could not
        be read (RFC 9309 2.3.1.4: a 5xx or an unreachable host means disallow all, for as long as it lasts)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        entry = self._unread_robots.get(origin)
        if entry is None:
            with _REGISTRY_LOCK:
                entry = _ROBOTS.get(origin)
                fetching = _ROBOTS_LOCKS.setdefault(origin, threading.Lock())
            if entry is None or entry.expires < time.time():
                with fetching:            # sources in other threads wait for this fetch, not repeat it
                    with _REGISTRY_LOCK:
                        entry = _ROBOTS.get(origin)
                    if entry is None or entry.expires < time.time():
                        entry = self._fetch_robots(origin)
                        if entry.why is None:
                            with _REGISTRY_LOCK:
                                _ROBOTS[origin] = entry
                        else:   # (kept for this run only: the next run asks again, whenever it comes)
                            self._unread_robots[origin] = entry
        if entry.why is not None:
            return entry.why
        if entry.parser is None:
            return None if entry.allow_all else ""
        delay = entry.parser.crawl_delay(self.user_agent)
        if delay:                     # also for a client that found robots.txt already cached
            self.set_interval(origin, float(delay))
        return None if entry.parser.can_fetch(url, self.user_agent) else ""

    def _fetch_robots(self, origin: str) -> _Robots:
        url = origin + "/robots.txt"
        host = _host(url)
        lock = self._wait_turn(host, url)
        try:
            response = self._http.get(url)
        except httpx.HTTPError as exc:
            why = f"the host is unreachable: {self.network_reason(exc)}"
            log.warning("robots.txt of %s could not be read (%s): treating the host as disallowed until it can be",
                        host, why)
            return _Robots(None, False, 0.0, why)
        finally:
            self.requests += 1
            with _REGISTRY_LOCK:
                _HOST_NEXT[host] = time.monotonic() + self._intervals.get(host, 0.0)
            lock.release()
        self.bytes += response.num_bytes_downloaded
        status = response.status_code
        if status >= 500 or status == 429:
            why = f"it answered HTTP {status}"
            log.warning("robots.txt of %s could not be read (%s): treating the host as disallowed until it can be",
                        host, why)
            return _Robots(None, False, 0.0, why)
        if status >= 400:
            return _Robots(None, True, time.time() + ROBOTS_TTL)
        text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return _Robots(Protego.parse(text), True, time.time() + ROBOTS_TTL)

    def network_reason(self, exc: BaseException) -> str:
        """Why a request got no response, in a few words: "connection refused", "name not resolved (DNS)",
        "timed out waiting for the answer (20s)"... (never the URL: the caller names it, without its secrets)."""
        timeout = self._http.timeout
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out connecting ({_seconds(timeout.connect)})"
        if isinstance(exc, httpx.ReadTimeout):
            return f"timed out waiting for the answer ({_seconds(timeout.read)})"
        if isinstance(exc, httpx.WriteTimeout):
            return f"timed out sending the request ({_seconds(timeout.write)})"
        if isinstance(exc, httpx.PoolTimeout):
            return "timed out waiting for a free connection"
        cause: BaseException | None = exc
        seen = 0
        while cause is not None and seen < 8:     # httpx's error, httpcore's, then the system's
            if isinstance(cause, socket.gaierror):
                return "name not resolved (DNS)"
            if isinstance(cause, ssl.SSLCertVerificationError):
                return f"TLS certificate refused ({cause.verify_message})"
            if isinstance(cause, ssl.SSLError):
                return "TLS handshake failed"
            if isinstance(cause, OSError) and cause.errno in _NETWORK_ERRNOS:
                return _NETWORK_ERRNOS[cause.errno]
            cause, seen = cause.__cause__ or cause.__context__, seen + 1
        if isinstance(exc, httpx.RemoteProtocolError):
            return "the connection closed without a proper answer"
        if isinstance(exc, httpx.ReadError):
            return "the connection broke while reading the answer"
        if isinstance(exc, httpx.ConnectError):
            return "could not connect"
        return type(exc).__name__


_NETWORK_ERRNOS = {errno.ECONNREFUSED: "connection refused", errno.ECONNRESET: "connection reset",
                   errno.ENETUNREACH: "network unreachable", errno.EHOSTUNREACH: "no route to host",
                   errno.ETIMEDOUT: "timed out connecting", errno.ECONNABORTED: "connection aborted"}


def _seconds(value: float | None) -> str:
    return "no limit" if value is None else f"{value:g}s"


def _host(url_or_host: str) -> str:
    if "://" in url_or_host:
        return urlsplit(url_or_host).netloc.lower()
    return url_or_host.lower()
