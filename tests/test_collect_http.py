"""The polite client over real HTTP to a local server: UA, retries, Retry-After, robots.txt, not-before."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from werkzeug import Request, Response

from collectors.base import FetchError, RateLimited, RobotsDisallowed
from collectors.http import PoliteClient, freshness, parse_wait, safe_url
from hirepulse import __version__, db
from test_collect_support import FIXTURES, _fresh_robots, paths

__all__ = ["_fresh_robots"]


def client(**kwargs) -> PoliteClient:
    return PoliteClient(contact="ops@example.org", backoff_base=0.05, max_wait=5, **kwargs)


def sequence(*responses: Response):
    """A handler answering with the given responses in turn, then repeating the last."""
    queue = list(responses)

    def handler(_request: Request) -> Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]
    return handler


def test_user_agent_is_honest(httpserver) -> None:
    httpserver.expect_request("/x").respond_with_data("ok")
    with client() as c:
        c.get(httpserver.url_for("/x"))
    ua = httpserver.log[0][0].headers["User-Agent"]
    assert ua == f"hirepulse/{__version__} (+https://github.com/hirepulse/hirepulse; ops@example.org)"


def test_429_with_retry_after_is_waited_out(httpserver) -> None:
    httpserver.expect_request("/x").respond_with_handler(sequence(
        Response("slow down", status=429, headers={"Retry-After": "1"}), Response("ok")))
    with client() as c:
        started = time.monotonic()
        response = c.get(httpserver.url_for("/x"))
        assert response.text == "ok"
        assert time.monotonic() - started >= 0.95
        assert c.requests == 2 and c.bytes > 0


def test_503_and_500_are_retried_then_give_up(httpserver) -> None:
    httpserver.expect_request("/a").respond_with_handler(sequence(
        Response("busy", status=503), Response("busy", status=502), Response("ok")))
    httpserver.expect_request("/b").respond_with_data("down", status=500)
    with client(max_retries=2) as c:
        assert c.get(httpserver.url_for("/a")).text == "ok"
        with pytest.raises(FetchError) as info:
            c.get(httpserver.url_for("/b"))
    assert info.value.status == 500
    assert paths(httpserver).count("/b") == 3


def test_timeouts_are_retried(httpserver) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.5)
        return Response("late")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    with client(timeout=0.1, max_retries=1) as c:
        with pytest.raises(FetchError, match="no response") as info:
            c.get(httpserver.url_for("/slow"))
        assert c.requests == 2
    assert str(info.value).endswith(": timed out waiting for the answer (0.1s)")


def test_long_wait_raises_and_is_persisted_for_the_next_run(httpserver) -> None:
    httpserver.expect_request("/x").respond_with_data("no", status=429, headers={"Retry-After": "3600"})
    saved: dict[str, datetime] = {}
    with client(save_not_before=saved.__setitem__) as c:
        with pytest.raises(RateLimited) as info:
            c.get(httpserver.url_for("/x"))
    assert info.value.retry_after == 3600
    host = f"localhost:{httpserver.port}"
    assert saved[host] > datetime.now(timezone.utc) + timedelta(minutes=59)
    httpserver.clear_log()
    with client(load_not_before=saved.get) as c:
        with pytest.raises(RateLimited) as info:
            c.get(httpserver.url_for("/x"))
    assert httpserver.log == []   # nothing was sent before the persisted time
    # ...and the error says so: not "no response from", which reads as a request that went unanswered
    until = saved[host]
    up = until.replace(second=0, microsecond=0) + timedelta(minutes=1 if until.second or until.microsecond else 0)
    assert str(info.value) == (f"not sent to {httpserver.url_for('/x')}: the host asked us earlier to wait until "
                               f"{up:%Y-%m-%d %H:%M} UTC")
    assert info.value.earlier and info.value.until == until


def test_a_stop_signal_ends_the_retries_of_a_failing_host(httpserver) -> None:
    from collectors.base import StopRequested

    httpserver.expect_request("/down").respond_with_data("down", status=500)
    with client(max_retries=5) as c:
        c.should_stop = lambda: c.requests >= 1
        with pytest.raises(StopRequested, match="stopped while .*/down waited to be retried"):
            c.get(httpserver.url_for("/down"))
    assert paths(httpserver).count("/down") == 1   # not five more attempts, each with its back-off


def test_not_before_roundtrip_through_the_database(tmp_path: Path) -> None:
    when = datetime(2030, 1, 1, tzinfo=timezone.utc)
    with db.connect(tmp_path / "h.duckdb") as con:
        db.set_not_before(con, "api.example.org", when)
        assert db.get_not_before(con, "api.example.org") == when


def test_robots_disallowed_is_never_requested(httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    httpserver.expect_request("/public").respond_with_data("ok")
    httpserver.expect_request("/private/page").respond_with_data("secret")
    with client() as c:
        assert c.get(httpserver.url_for("/public"), robots=True).text == "ok"
        with pytest.raises(RobotsDisallowed):
            c.get(httpserver.url_for("/private/page"), robots=True)
        c.get(httpserver.url_for("/public"), robots=True)
    assert paths(httpserver) == ["/robots.txt", "/public", "/public"]   # robots.txt fetched once (cached)


def test_robots_wildcards_on_the_real_reddit_file(httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data((FIXTURES / "web" / "robots_reddit_2019.txt").read_text())
    with client() as c:
        assert not c.allowed(httpserver.url_for("/r/cscareerquestions/new.json"))
        assert not c.allowed(httpserver.url_for("/r/cscareerquestions/?after=t3_x"))


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False), (503, False)])
def test_robots_fetch_rules_rfc9309(httpserver, status: int, allowed: bool) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("x", status=status)
    with client() as c:
        assert c.allowed(httpserver.url_for("/page")) is allowed


def test_robots_unreachable_disallows_all() -> None:
    with client(max_retries=0) as c:
        assert c.allowed("http://127.0.0.1:9/page") is False
        # ...and a fetch says why: the host could not be reached, which is not robots.txt refusing us
        with pytest.raises(RobotsDisallowed) as info:
            c.get("http://127.0.0.1:9/page", robots=True)
    assert "disallows" not in str(info.value)
    assert str(info.value) == ("robots.txt of 127.0.0.1:9 could not be read (the host is unreachable: connection "
                               "refused), so http://127.0.0.1:9/page was not fetched")


def test_robots_of_a_host_that_was_down_is_asked_again_on_the_next_run(httpserver) -> None:
    """RFC 9309 2.3.1.4: an unreachable robots.txt means "disallow all" while it is, but a host that is back is not
    refused for another ten minutes (a scheduler keeps the robots.txt it read in memory between runs)."""
    url = httpserver.url_for("/page")
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/page").respond_with_data("ok")
    httpserver.stop()
    try:
        with client(max_retries=0) as c:   # one run while the host is down
            assert c.allowed(url) is False
            assert c.allowed(url) is False    # (asked once per run: the second answer is the first's)
    finally:
        httpserver.start()
    with client() as c:                     # the next run, in the same process
        assert c.get(url, robots=True).text == "ok"
    assert paths(httpserver)[-2:] == ["/robots.txt", "/page"]


def test_robots_answering_5xx_says_so_and_is_asked_again_next_run(httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_handler(sequence(
        Response("down", status=503), Response("User-agent: *\nAllow: /\n")))
    httpserver.expect_request("/page").respond_with_data("ok")
    host = f"localhost:{httpserver.port}"
    with client() as c:
        with pytest.raises(RobotsDisallowed) as info:
            c.get(httpserver.url_for("/page"), robots=True)
    assert str(info.value) == (f"robots.txt of {host} could not be read (it answered HTTP 503), so "
                               f"{httpserver.url_for('/page')} was not fetched")
    with client() as c:
        assert c.get(httpserver.url_for("/page"), robots=True).text == "ok"


def test_no_response_names_why(httpserver) -> None:
    with client(max_retries=0) as c:
        with pytest.raises(FetchError) as refused:
            c.get("http://127.0.0.1:9/x")
        with pytest.raises(FetchError) as unknown:
            c.get("http://hirepulse-test.invalid/x")   # (RFC 6761: .invalid never resolves)
    assert str(refused.value) == "no response from http://127.0.0.1:9/x: connection refused"
    assert str(unknown.value) == "no response from http://hirepulse-test.invalid/x: name not resolved (DNS)"


def test_source_signal_on_a_200_is_rate_limiting(httpserver) -> None:
    body = (FIXTURES / "gdelt" / "gdelt_ratelimit_body.txt").read_text()
    httpserver.expect_request("/doc").respond_with_handler(sequence(Response(body), Response("{}")))
    with client() as c:
        started = time.monotonic()
        response = c.get(httpserver.url_for("/doc"), check=lambda r: 0.3 if r.text.startswith("Please limit") else None)
        assert response.text == "{}" and time.monotonic() - started >= 0.25


def test_pacing_between_requests(httpserver) -> None:
    httpserver.expect_request("/x").respond_with_data("ok")
    with client() as c:
        c.set_interval(httpserver.url_for("/"), 0.2)
        started = time.monotonic()
        for _ in range(3):
            c.get(httpserver.url_for("/x"))
        assert time.monotonic() - started >= 0.38


def test_secrets_never_in_messages() -> None:
    assert safe_url("https://api.example.org/2.3/search?q=a&key=SECRET&site=w") == \
        "https://api.example.org/2.3/search?q=a&site=w"
    assert parse_wait("120") == 120
    assert parse_wait(str(time.time() + 60)) == pytest.approx(60, abs=2)
    assert parse_wait("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert parse_wait((datetime.now(timezone.utc) + timedelta(seconds=30)).isoformat()) == pytest.approx(30, abs=2)


class _KeepAlive(BaseHTTPRequestHandler):
    """An HTTP/1.1 server that keeps connections open, as the real APIs do (Werkzeug's closes them)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1   # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.paths.append(self.path)   # type: ignore[attr-defined]
        body = b"User-agent: *\nCrawl-delay: 0.25\nDisallow: /private\n" if self.path == "/robots.txt" else b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def keepalive_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAlive)
    server.daemon_threads = True
    server.connections, server.paths = 0, []   # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_one_connection_for_all_pages_of_a_run_and_pacing_still_kept(keepalive_server) -> None:
    base = f"http://127.0.0.1:{keepalive_server.server_port}"
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)
    with client(sleep=sleep) as c:
        c.set_interval(base, 0.3)
        for page in range(5):
            assert c.get(f"{base}/api?page={page}").json() == {"ok": True}
    assert keepalive_server.connections == 1          # keep-alive: no new connection per page
    assert len(waits) == 4 and all(0 < w <= 0.3 for w in waits)   # each later page waited its turn


def test_robots_fetched_once_per_host_across_sources_and_threads(keepalive_server) -> None:
    base = f"http://127.0.0.1:{keepalive_server.server_port}"
    results: list[bool] = []

    def one_source(path: str) -> None:
        with client() as c:     # each source has its own client, as in `hirepulse collect`
            results.append(c.allowed(base + path))
            results.append(c._intervals.get(f"127.0.0.1:{keepalive_server.server_port}") == 0.25)
    threads = [threading.Thread(target=one_source, args=(p,)) for p in ("/feed.xml", "/a", "/private/x", "/b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert keepalive_server.paths.count("/robots.txt") == 1
    assert sorted(results) == [False] + [True] * 7   # one disallowed path; Crawl-delay applied by every client


@pytest.mark.parametrize(("headers", "seconds"), [
    ({"Cache-Control": "public, max-age=600"}, 600),
    ({"cache-control": "max-age=600", "age": "100"}, 500),
    ({"Cache-Control": "s-maxage=600"}, 0),                            # for shared caches only
    ({"Cache-Control": "no-store"}, 0),
    ({"Expires": "Sun, 29 Nov 2026 11:10:00 GMT", "Date": "Sun, 29 Nov 2026 11:00:00 GMT"}, 600),
    ({"Cache-Control": "max-age=60", "Expires": "Sun, 29 Nov 2026 11:10:00 GMT",
      "Date": "Sun, 29 Nov 2026 11:00:00 GMT"}, 60),                   # max-age wins over Expires
    ({"Expires": "0"}, 0),
    ({}, 0),
])
def test_freshness_from_caching_headers(headers: dict[str, str], seconds: float) -> None:
    assert freshness(headers) == seconds
