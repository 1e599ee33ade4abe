"""Benchmark: collect 50,000 items from local emulations of the sources, then collect again.

Prints mentions stored per second on the first run, and the requests and bytes of a second run
with nothing new as a share of the first (target: at most 5 %: a second run should cost only
cursor-bounded or conditional requests), with what that run sent and what it did not send (feeds
whose refresh hints say they are still fresh). A third run after moving the feeds' "fresh until"
into the past shows the same for a run an hour later. Each run starts with an empty robots.txt
cache, as a separate `hirepulse collect` (cron) would. Baseline: the first run of the same process;
before the batched writes (commit 511960a) the first run stored ~210 mentions/s here.

    .venv/bin/python bench/collect.py [--items 50000]

The server answers in the recorded shapes of each API (see tests/fixtures); pacing is off
(``min_interval_seconds = 0``, ``pace=0``) because the point is hirepulse's own cost. It keeps
HTTP/1.1 connections alive as the real APIs do (Werkzeug's development server closes every
connection, which made each page pay a new connection).
"""

from __future__ import annotations

import argparse
import bisect
import io
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from werkzeug import Request, Response

from collectors.http import clear_robots_cache
from collectors.run import collect_source
from hirepulse import db
from hirepulse.config import load_config

SALT = "bench-salt"
NAMES = ("Acme", "Initech", "Globex", "Umbrella")
SHARES = {"hackernews": 0.4, "stackexchange": 0.2, "mastodon": 0.2, "feeds": 0.1, "gdelt": 0.1}
FEEDS = 20
# The feeds as their publishers serve them. Every one answers conditional GETs (ETag, Last-Modified).
# WordPress RSS 2.0 carries <sy:updatePeriod>hourly</sy:updatePeriod> <sy:updateFrequency>1</...>
# (core's feed-rss2.php defaults); GitHub Pages serves every file, feeds included, with
# "Cache-Control: max-age=600"; the rest send no refresh hint at all, so each run asks them again.
FEED_KINDS = ("wordpress",) * 12 + ("github-pages",) * 4 + ("no-hints",) * 4
NOW = datetime.now(timezone.utc).replace(microsecond=0)
SPAN = timedelta(days=80)


class Emulator:
    """One WSGI app answering HN Algolia, Stack Exchange, Mastodon, RSS feeds and GDELT."""

    def __init__(self, items: int) -> None:
        per = {k: int(items * v) for k, v in SHARES.items()}
        start = (NOW - SPAN).timestamp()

        def times(n: int) -> list[int]:
            return [int(start + SPAN.total_seconds() * (i + 0.5) / n) for i in range(n)]
        self.hn = {name: times(per["hackernews"] // len(NAMES)) for name in NAMES}
        self.se = {name: times(per["stackexchange"] // len(NAMES)) for name in NAMES}
        self.masto = times(per["mastodon"])
        self.feed_size = per["feeds"] // FEEDS
        self.feed_times = times(self.feed_size)
        self.gd = {name: times(per["gdelt"] // len(NAMES)) for name in NAMES}
        self.base = ""
        self._feed_cache: dict[int, bytes] = {}
        self.log: list[tuple[str, int]] = []      # (path, status) of every request served

    def __call__(self, environ, start_response):  # noqa: ANN001 - WSGI
        request = Request(environ)
        path = request.path
        if path == "/robots.txt":
            response = Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        elif path == "/api/v1/search_by_date":
            response = self.algolia(request)
        elif path == "/2.3/search/advanced":
            response = self.stackexchange(request)
        elif path.startswith("/api/v1/timelines/tag/"):
            response = self.mastodon(request)
        elif path.startswith("/feeds/"):
            response = self.feed(request, int(path.split("/")[-1].split(".")[0]))
        elif path == "/api/v2/doc/doc":
            response = self.gdelt(request)
        else:
            response = Response("not found", status=404)
        self.log.append((path, response.status_code))
        return response(environ, start_response)

    def algolia(self, r: Request) -> Response:
        stamps = self.hn.get(r.args["query"], [])
        lo, hi = (int(c.split(op)[1]) for c, op in zip(r.args["numericFilters"].split(","), (">", "<=")))
        chosen = stamps[bisect.bisect_right(stamps, lo):bisect.bisect_right(stamps, hi)][::-1]
        per, page = int(r.args["hitsPerPage"]), int(r.args["page"])
        reachable = chosen[:1000]
        hits = [{"created_at": datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                 "title": None, "url": None, "author": f"user{t % 997}", "points": None, "story_text": None,
                 "comment_text": f"{r.args['query']} interview went fine &#x27;{t}&#x27;<p>more", "num_comments": None,
                 "story_id": 1, "story_title": "Ask HN", "story_url": None, "parent_id": 1, "created_at_i": t,
                 "_tags": ["comment", f"author_user{t % 997}", "story_1"], "objectID": f"{r.args['query']}{t}"}
                for t in reachable[page * per:(page + 1) * per]]
        body = {"hits": hits, "nbHits": len(chosen), "page": page, "nbPages": -(-len(reachable) // per),
                "hitsPerPage": per, "exhaustiveNbHits": False, "query": r.args["query"], "params": "", "processingTimeMS": 1}
        return Response(json.dumps(body), content_type="application/json")

    def stackexchange(self, r: Request) -> Response:
        stamps = [t for t in self.se.get(r.args["q"], []) if t >= int(r.args.get("fromdate", 0))][::-1]
        size, page = int(r.args["pagesize"]), int(r.args["page"])
        items = [{"tags": ["interviewing"], "owner": {"reputation": 1, "user_id": t % 991, "user_type": "registered",
                  "display_name": f"user{t % 991}", "link": "https://workplace.stackexchange.com/users/1"},
                  "is_answered": False, "view_count": 1, "answer_count": 0, "score": 0, "last_activity_date": t,
                  "creation_date": t, "question_id": t * 10 + NAMES.index(r.args["q"]), "content_license": "CC BY-SA 4.0",
                  "link": f"https://workplace.stackexchange.com/questions/{t}", "title": f"{r.args['q']} recruiter &#39;{t}",
                  "body": f"<p>Did {r.args['q']} ghost anyone else?</p>"} for t in stamps[(page - 1) * size:page * size]]
        body = {"items": items, "has_more": page * size < len(stamps), "quota_max": 10000, "quota_remaining": 9000}
        return Response(json.dumps(body), content_type="application/json")

    def mastodon(self, r: Request) -> Response:
        if not r.path.endswith("/hiring"):    # Mastodon answers an unknown or empty tag with []
            return Response("[]", content_type="application/json")
        ids, limit = self.masto, int(r.args.get("limit", 20))   # ids are the unix times, ascending
        if "min_id" in r.args:
            page = ids[bisect.bisect_right(ids, int(r.args["min_id"])):][:limit][::-1]
        else:
            end = bisect.bisect_left(ids, int(r.args["max_id"])) if "max_id" in r.args else len(ids)
            page = ids[max(0, end - limit):end][::-1]
        statuses = [{"id": str(t), "created_at": datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     "visibility": "public", "language": "en", "uri": f"https://m.example/users/u/statuses/{t}",
                     "url": f"https://m.example/@u/{t}", "content": f"<p>{NAMES[t % 4]} #hiring call went well</p>",
                     "spoiler_text": "", "reblog": None, "account": {"id": "1", "username": f"u{t % 89}",
                     "acct": f"u{t % 89}", "bot": False, "discoverable": True}} for t in page]
        headers = {}
        if page:
            url = self.base + r.path
            headers["Link"] = (f'<{url}?{urlencode({"limit": limit, "max_id": page[-1]})}>; rel="next", '
                               f'<{url}?{urlencode({"limit": limit, "min_id": page[0]})}>; rel="prev"')
        return Response(json.dumps(statuses), headers=headers, content_type="application/json")

    def feed(self, r: Request, number: int) -> Response:
        kind = FEED_KINDS[number % len(FEED_KINDS)]
        etag = f'"feed-{number}-v1"'
        headers = {"ETag": etag, "Last-Modified": _rfc822(self.feed_times[-1])}
        if kind == "github-pages":
            headers["Cache-Control"] = "max-age=600"
        if r.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        if number not in self._feed_cache:
            names = [NAMES[i % 4] for i in range(len(self.feed_times))]
            if kind == "github-pages":      # jekyll-feed writes Atom
                entries = "".join(
                    f"<entry><title>{n} interview diary {number}-{i}</title><link href=\"https://blog{number}.example/{i}\"/>"
                    f"<id>https://blog{number}.example/{i}</id><published>{_iso(t)}</published><updated>{_iso(t)}</updated>"
                    f"<content type=\"html\">&lt;p&gt;Notes about {n} hiring&lt;/p&gt;</content></entry>"
                    for i, (t, n) in enumerate(zip(self.feed_times, names)))
                body = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
                        f"<title>Blog {number}</title><id>https://blog{number}.example/</id>"
                        f"<updated>{_iso(self.feed_times[-1])}</updated>{entries}</feed>")
            else:
                sy = ("<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>"
                      if kind == "wordpress" else "")
                items = "".join(
                    f"<item><title>{n} interview diary {number}-{i}</title><link>https://blog{number}.example/{i}</link>"
                    f"<description>&lt;p&gt;Notes about {n} hiring&lt;/p&gt;</description>"
                    f"<guid>https://blog{number}.example/{i}</guid><pubDate>{_rfc822(t)}</pubDate></item>"
                    for i, (t, n) in enumerate(zip(self.feed_times, names)))
                body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
                        f'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>'
                        f"<title>Blog {number}</title><link>https://blog{number}.example/</link>"
                        f"<language>en</language>{sy}{items}</channel></rss>")
            self._feed_cache[number] = body.encode()
        content_type = "application/atom+xml" if kind == "github-pages" else "application/rss+xml"
        return Response(self._feed_cache[number], content_type=content_type, headers=headers)

    def gdelt(self, r: Request) -> Response:
        query = r.args["query"].strip('"')
        lo = datetime.strptime(r.args["startdatetime"], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp()
        hi = datetime.strptime(r.args["enddatetime"], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp()
        stamps = self.gd.get(query, [])
        chosen = stamps[bisect.bisect_left(stamps, lo):bisect.bisect_right(stamps, hi)][::-1][:int(r.args["maxrecords"])]
        arts = [{"url": f"https://news.example/{query}/{t}", "url_mobile": "", "title": f"{query} opens offices {t}",
                 "seendate": datetime.fromtimestamp(t, timezone.utc).strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
                 "domain": "news.example", "language": "English", "sourcecountry": "United States"} for t in chosen]
        return Response(json.dumps({"articles": arts} if arts else {}), content_type="application/json")


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """Serves the WSGI app over HTTP/1.1 with keep-alive (GET only, as the collectors send)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True     # headers and body go out in two writes

    def setup(self) -> None:
        super().setup()
        with self.server.lock:   # type: ignore[attr-defined]
            self.server.connections += 1   # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:   # no access log per request
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query,
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(self.server.server_port),
                   "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": self.client_address[0],
                   "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
                   "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}
        environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in self.headers.items()})
        started: dict[str, object] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
            started.update(status=status, headers=headers)
        body = b"".join(self.server.app(environ, start_response))   # type: ignore[attr-defined]
        code, _, reason = str(started["status"]).partition(" ")
        self.send_response(int(code), reason)
        for key, value in started["headers"]:    # type: ignore[union-attr]
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(app: Emulator) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    server.daemon_threads = True
    server.app = app   # type: ignore[attr-defined]
    server.lock, server.connections = threading.Lock(), 0   # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")


def _config(folder: Path, base: str) -> Path:
    feeds = ", ".join(f'"{base}/feeds/{n}.xml"' for n in range(FEEDS))
    text = f"""
[collect]
contact = "bench@example.org"
[[companies]]
name = "Acme"
aliases = ["Initech"]
competitors = ["Globex", "Umbrella"]
[sources.hackernews]
base_url = "{base}"
min_interval_seconds = 0
max_pages = 10000
[sources.stackexchange]
base_url = "{base}"
min_interval_seconds = 0
max_pages = 10000
[sources.mastodon]
instances = ["{base}"]
hashtags = ["hiring"]
min_interval_seconds = 0
max_pages = 10000
[sources.feeds]
urls = [{feeds}]
min_interval_seconds = 0
[sources.gdelt]
base_url = "{base}"
min_interval_seconds = 0
max_pages = 10000
[sources.web]
enabled = false
[sources.reddit]
enabled = false
[sources.bluesky]
enabled = false
"""
    path = folder / "bench.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    args = parser.parse_args()
    app = Emulator(args.items)
    server = _serve(app)
    app.base = f"http://127.0.0.1:{server.server_port}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = load_config(_config(Path(tmp), app.base), required=True)
            db_path = Path(tmp) / "bench.duckdb"
            passes = []
            for label in ("first", "second", "later"):
                if label == "later":
                    _expire_feed_hints(db_path)
                clear_robots_cache()    # each run as its own `hirepulse collect` process (cron) would be
                app.log.clear()
                connections = server.connections   # type: ignore[attr-defined]
                started = time.perf_counter()
                results = [collect_source(name, config, db_path, salt=SALT, pace=0.0) for name in SHARES]
                passes.append((time.perf_counter() - started, results, list(app.log),
                               server.connections - connections))   # type: ignore[attr-defined]
            with db.connect(db_path, read_only=True) as con:
                recheck = con.execute("SELECT count(*) FROM mentions WHERE source = 'mastodon' AND published_at >= ?",
                                      [datetime.now(timezone.utc) - timedelta(days=14)]).fetchone()[0]
    finally:
        server.shutdown()
        server.server_close()
    (t1, first, log1, conn1), (t2, second, log2, _), (_, later, log3, _) = passes
    print(f"bench/collect.py: {args.items:,} items served across {len(SHARES)} sources (local emulation, keep-alive)")
    print(f"{'source':<14}{'new':>8}{'req 1':>8}{'KiB 1':>10}{'new 2':>7}{'req 2':>7}{'KiB 2':>8}{'not sent 2':>11}  status")
    for a, b in zip(first, second):
        print(f"{a.source:<14}{a.new:>8}{a.requests:>8}{a.bytes / 1024:>10.0f}{b.new:>7}{b.requests:>7}{b.bytes / 1024:>8.1f}"
              f"{b.not_fetched:>11}  {a.status}/{b.status}{' ' + (a.error or b.error or '') if a.error or b.error else ''}")
    new = sum(r.new for r in first)
    req1, req2, req3 = (sum(r.requests for r in rs) for rs in (first, second, later))
    by1, by2, by3 = (sum(r.bytes for r in rs) for rs in (first, second, later))
    print(f"first run : {new:,} mentions stored in {t1:.1f}s = {new / t1:,.0f} mentions/s "
          f"({req1} requests over {conn1} connections, {by1 / 1e6:.1f} MB)")
    print(f"second run: {sum(r.new for r in second)} new in {t2:.1f}s; requests {req2} = {100 * req2 / req1:.1f}% "
          f"of the first, bytes {by2 / 1024:.0f} KiB = {100 * by2 / by1:.2f}% of the first (target <= 5%)")
    print(f"  it sent: {_describe(log2)}")
    print(f"  not sent: {sum(r.not_fetched for r in second)} feeds whose last answer is still fresh "
          f"(WordPress sy:updatePeriod hourly, GitHub Pages max-age=600)")
    print(f"same, once every feed hint has expired (an hour later): {sum(r.new for r in later)} new; requests {req3} = "
          f"{100 * req3 / req1:.1f}%, bytes {by3 / 1024:.0f} KiB = {100 * by3 / by1:.2f}% of the first")
    print(f"  it sent: {_describe(log3)}")
    print(f"not in these runs: mastodon's weekly deletion re-check, one GET per status of the last 14 days: "
          f"{recheck:,} requests once a week")


def _describe(log: list[tuple[str, int]]) -> str:
    """'4 x /api/v1/search_by_date 200, ...' grouped by endpoint and status."""
    groups: dict[tuple[str, int], int] = {}
    for path, status in log:
        endpoint = "/feeds/*" if path.startswith("/feeds/") else (
            "/api/v1/timelines/tag/*" if path.startswith("/api/v1/timelines/tag/") else path)
        groups[(endpoint, status)] = groups.get((endpoint, status), 0) + 1
    return ", ".join(f"{n} x {endpoint} {status}" for (endpoint, status), n in groups.items())


def _expire_feed_hints(db_path: Path) -> None:
    """Move every feed's "fresh until" into the past, as if the next run came an hour later."""
    with db.connect(db_path) as con:
        con.execute("""UPDATE cursors SET value = json_object('fresh_until', '2000-01-01T00:00:00+00:00',
                       'hint', json_extract(value, '$.hint')) WHERE source = 'feeds' AND value IS NOT NULL""")

if __name__ == "__main__":
    os.environ.setdefault("HIREPULSE_SALT", SALT)
    main()
