"""Benchmark: collect 50,000 items from local emulations of the sources, then collect again.

Prints mentions stored per second on the first run, and the requests and bytes of a second run
with nothing new as a share of the first (target: at most 5 %: a second run should cost only
cursor-bounded or conditional requests). Baseline: the first run of the same process.

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

from collectors.run import collect_source
from hirepulse.config import load_config

SALT = "bench-salt"
NAMES = ("Acme", "Initech", "Globex", "Umbrella")
SHARES = {"hackernews": 0.4, "stackexchange": 0.2, "mastodon": 0.2, "feeds": 0.1, "gdelt": 0.1}
FEEDS = 20
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
        if not r.path.endswith("/hiring"):
            return Response(json.dumps({"error": "Record not found"}), status=404, content_type="application/json")
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
        etag = f'"feed-{number}-v1"'
        if r.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        if number not in self._feed_cache:
            items = "".join(
                f"<item><title>{NAMES[i % 4]} interview diary {number}-{i}</title><link>https://blog{number}.example/{i}</link>"
                f"<description>&lt;p&gt;Notes about {NAMES[i % 4]} hiring&lt;/p&gt;</description>"
                f"<guid>https://blog{number}.example/{i}</guid><pubDate>{_rfc822(t)}</pubDate></item>"
                for i, t in enumerate(self.feed_times))
            self._feed_cache[number] = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                        f"<title>Blog {number}</title><link>https://blog{number}.example/</link>"
                                        f"<language>en</language>{items}</channel></rss>").encode()
        return Response(self._feed_cache[number], content_type="application/rss+xml", headers={"ETag": etag})

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
            for _ in range(2):
                started = time.perf_counter()
                results = [collect_source(name, config, db_path, salt=SALT, pace=0.0) for name in SHARES]
                passes.append((time.perf_counter() - started, results))
    finally:
        server.shutdown()
        server.server_close()
    (t1, first), (t2, second) = passes
    print(f"bench/collect.py: {args.items:,} items served across {len(SHARES)} sources (local emulation)")
    print(f"{'source':<14}{'new':>8}{'req 1':>8}{'KiB 1':>10}{'new 2':>7}{'req 2':>7}{'KiB 2':>8}  status")
    for a, b in zip(first, second):
        print(f"{a.source:<14}{a.new:>8}{a.requests:>8}{a.bytes / 1024:>10.0f}{b.new:>7}{b.requests:>7}{b.bytes / 1024:>8.1f}"
              f"  {a.status}/{b.status}{' ' + (a.error or b.error or '') if a.error or b.error else ''}")
    new = sum(r.new for r in first)
    req1, req2 = sum(r.requests for r in first), sum(r.requests for r in second)
    by1, by2 = sum(r.bytes for r in first), sum(r.bytes for r in second)
    print(f"first run : {new:,} mentions stored in {t1:.1f}s = {new / t1:,.0f} mentions/s "
          f"({req1} requests, {by1 / 1e6:.1f} MB)")
    print(f"second run: {sum(r.new for r in second)} new in {t2:.1f}s; requests {req2} = {100 * req2 / req1:.1f}% "
          f"of the first, bytes {by2 / 1024:.0f} KiB = {100 * by2 / by1:.2f}% of the first (target <= 5%)")


if __name__ == "__main__":
    os.environ.setdefault("HIREPULSE_SALT", SALT)
    main()
