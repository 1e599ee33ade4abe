"""GDELT DOC 2.0: parse the documented artlist shape, the rate-limit body on a 200, window splits."""

from __future__ import annotations

import copy
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.run import build_source
from hirepulse.models import Mention, hash_id
from test_collect_support import FIXTURES, _fresh_robots, config_for, fixture_json, paths, query_args, rows, run, strip_fetched

__all__ = ["_fresh_robots"]
ARTLIST = fixture_json("gdelt", "artlist.json")
RATE_LIMIT = (FIXTURES / "gdelt" / "gdelt_ratelimit_body.txt").read_text()


def test_parse_artlist(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"gdelt": {}})
    source = build_source("gdelt", config)
    page = RawPage(url="https://api.gdeltproject.org/api/v2/doc/doc", status=200, query="Acme", company="Acme Corp",
                   body=(FIXTURES / "gdelt" / "artlist.json").read_bytes(), headers={"content-type": "application/json"})
    url = "https://news.example.com/2024/05/acme-hiring-freeze"
    title = "Acme Corp announces a hiring freeze after record quarter"
    parsed = strip_fetched(source.parse(page))
    assert parsed[0] == Mention(source="gdelt", native_id=hash_id(url), text=title, title=title, url=url,
                                published_at=datetime(2024, 5, 2, 10, 15, tzinfo=timezone.utc), company="Acme Corp",
                                kind="article", lang="en", query="Acme +hiring", fetched_at=None)  # type: ignore[arg-type]
    assert (parsed[1].lang, parsed[1].query) == ("de", "Acme")
    assert list(source.parse(RawPage(url="u", status=200, body=b"{}", query="Acme"))) == []


class FakeGdelt:
    def __init__(self, articles: list[dict], *, limit_first: bool = False) -> None:
        self.articles = articles
        self.limit_first = limit_first

    def __call__(self, request: Request) -> Response:
        if self.limit_first:
            self.limit_first = False
            return Response(RATE_LIMIT, content_type="text/plain")   # status 200, as GDELT sometimes does
        a = request.args
        lo, hi = a["startdatetime"], a["enddatetime"]
        found = [x for x in self.articles if lo <= x["seendate"].replace("T", "").rstrip("Z") <= hi]
        found.sort(key=lambda x: x["seendate"], reverse=True)
        body = {"articles": found[:int(a["maxrecords"])]} if found else {}
        return Response(json.dumps(body), content_type="application/json; charset=utf-8")


def article(i: int, when: datetime) -> dict:
    x = copy.deepcopy(ARTLIST["articles"][0])
    x.update(url=f"https://news.example.com/{i}", title=f"Acme story {i}", seendate=when.strftime("%Y%m%dT%H%M%SZ"))
    return x


def test_rate_limit_body_split_and_incremental(tmp_path: Path, httpserver) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    api = FakeGdelt([article(i, now - timedelta(hours=3 * i + 1)) for i in range(400)], limit_first=True)
    httpserver.expect_request("/api/v2/doc/doc").respond_with_handler(api)
    config = config_for(tmp_path, {"gdelt": {"base_url": httpserver.url_for("/"), "min_interval_seconds": 0.2}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    started = time.monotonic()
    first = run("gdelt", config, db_path)
    assert first.status == "ok" and first.new == 400 and time.monotonic() - started >= 0.4
    assert query_args(paths(httpserver)[0])["mode"] == "artlist"
    httpserver.clear_log()
    second = run("gdelt", config, db_path)
    assert (second.new, second.requests) == (0, 1)
    newest = now - timedelta(hours=1)
    assert query_args(paths(httpserver)[0])["startdatetime"] == (newest - timedelta(hours=2)).strftime("%Y%m%d%H%M%S")
    assert len(rows(db_path)) == 400


def test_html_error_fails_the_source(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data("<html>Invalid query</html>", content_type="text/html")
    config = config_for(tmp_path, {"gdelt": {"base_url": httpserver.url_for("/"), "min_interval_seconds": 0}},
                        companies=[{"name": "Acme"}])
    result = run("gdelt", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "HTML instead of JSON" in result.error
