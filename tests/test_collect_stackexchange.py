"""Stack Exchange: parse the recorded response, fetch incrementally, obey backoff and quota."""

from __future__ import annotations

import copy
import json
import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.run import build_source
from hirepulse import db
from hirepulse.models import Mention
from test_collect_support import (
    FIXTURES, _fresh_robots, config_for, fixture_json, paths, query_args, rows, run, strip_fetched,
)

__all__ = ["_fresh_robots"]
SAMPLE = fixture_json("stackexchange", "stackexchange_questions.json")
BASE = 1_700_000_000


def question(qid: int, created: int, title: str, body: str) -> dict:
    item = copy.deepcopy(SAMPLE["items"][1])
    item.update(question_id=qid, creation_date=created, last_activity_date=created, title=title, body=body,
                link=f"https://workplace.stackexchange.com/questions/{qid}/x")
    return item


class FakeStackExchange:
    def __init__(self, items: list[dict], *, backoff_on_first: int = 0) -> None:
        self.items = items
        self.backoff_on_first = backoff_on_first
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        a = request.args
        q = a["q"].lower()
        found = [i for i in self.items if q in (i["title"] + i.get("body", "")).lower()
                 and i["creation_date"] >= int(a.get("fromdate", 0))]
        found.sort(key=lambda i: -i["creation_date"])
        size, page = int(a["pagesize"]), int(a["page"])
        body = {"items": found[(page - 1) * size: page * size], "has_more": page * size < len(found),
                "quota_max": 10000, "quota_remaining": 9956}
        if self.backoff_on_first and self.calls == 1:
            body["backoff"] = self.backoff_on_first
        return Response(json.dumps(body), content_type="application/json; charset=utf-8")


def test_parse_recorded_response(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"stackexchange": {}})
    source = build_source("stackexchange", config)
    body = (FIXTURES / "stackexchange" / "stackexchange_questions.json").read_bytes()
    page = RawPage(url="https://api.stackexchange.com/2.3/search/advanced", status=200, body=body, query="SQL",
                   company="Acme Corp")
    first = Mention(
        source="stackexchange", native_id="63411064", text="SQL Server syntax about WHERE clause?",
        title="SQL Server syntax about WHERE clause?", published_at=datetime(2020, 8, 14, 10, 31, 8, tzinfo=timezone.utc),
        url="https://stackoverflow.com/questions/63411064/sql-server-syntax-about-where-clause", company="Acme Corp",
        author="stackoverflow.com/users/12798744", query="SQL", kind="question", fetched_at=None,  # type: ignore[arg-type]
    )
    parsed = strip_fetched(source.parse(page))
    assert parsed[0] == first and [m.native_id for m in parsed] == ["63411064", "46770900"]


def test_body_html_and_entities(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"stackexchange": {}})
    source = build_source("stackexchange", config)
    item = question(1, BASE, "Acme&#39;s recruiter &amp; me", "<p>Is it normal to be <em>ghosted</em>?</p>")
    body = json.dumps({**SAMPLE, "items": [item]}).encode()
    [m] = source.parse(RawPage(url="u", status=200, body=body, query="Acme", company="Acme Corp"))
    assert (m.title, m.text, m.query) == ("Acme's recruiter & me", "Is it normal to be ghosted?", "Acme +hiring")


def test_incremental_with_backoff_and_key(tmp_path: Path, httpserver, monkeypatch) -> None:
    monkeypatch.setenv("SE_TEST_KEY", "not-so-secret-key")
    items = [question(100 + i, BASE + i * 600, f"Acme question {i}", "<p>body</p>") for i in range(230)]
    api = FakeStackExchange(items, backoff_on_first=1)
    httpserver.expect_request("/2.3/search/advanced").respond_with_handler(api)
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("/"), "key_env": "SE_TEST_KEY"}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    started = time.monotonic()
    first = run("stackexchange", config, db_path)
    assert (first.status, first.new, first.requests) == ("ok", 230, 3)
    assert time.monotonic() - started >= 1.0       # backoff: 1 obeyed before the second call
    sent = query_args(paths(httpserver)[0])
    assert sent["filter"] == "withbody" and sent["key"] == "not-so-secret-key" and sent["sort"] == "creation"

    httpserver.clear_log()
    second = run("stackexchange", config, db_path)
    assert (second.new, second.requests) == (0, 1)
    assert query_args(paths(httpserver)[0])["fromdate"] == str(BASE + 229 * 600 - 7200)


def test_throttle_violation_persists_not_before(tmp_path: Path, httpserver) -> None:
    error = (FIXTURES / "stackexchange" / "stackexchange_error_throttle.json").read_text()
    httpserver.expect_request("/2.3/search/advanced").respond_with_data(error, status=400, content_type="application/json")
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("/"), "key_env": "SE_TEST_KEY"}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    result = run("stackexchange", config, db_path)
    assert result.status == "error" and "rate limited: the host asked us to wait until " in result.error
    with db.connect(db_path, read_only=True) as con:
        assert db.get_not_before(con, f"localhost:{httpserver.port}") is not None
    httpserver.clear_log()
    again = run("stackexchange", config, db_path)
    assert httpserver.log == []   # nothing sent before the persisted time
    # ...which is waiting, not failing: no error for cron on every run until then
    assert again.status == "stopped" and again.error.startswith("waiting: not sent to ")


def test_malformed_payload(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/2.3/search/advanced").respond_with_data('{"unexpected": true}')
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("/")}}, companies=[{"name": "Acme"}])
    result = run("stackexchange", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "no items" in result.error
    assert rows(tmp_path / "hp.duckdb") == []


def test_an_api_error_quoting_the_key_is_reported_without_it(tmp_path: Path, httpserver, monkeypatch) -> None:
    monkeypatch.setenv("SE_TEST_KEY", "synthetic-se-key-0123")
    httpserver.expect_request("/2.3/search/advanced").respond_with_json(
        {"error_id": 403, "error_name": "access_denied",
         "error_message": "key synthetic-se-key-0123 is not valid for this request"}, status=400)
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("/"), "key_env": "SE_TEST_KEY"}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    result = run("stackexchange", config, db_path)
    assert result.status == "error" and result.error.endswith(": access_denied: key [key] is not valid for this request")
    with db.connect(db_path, read_only=True) as con:
        stored = json.dumps(con.execute("SELECT * FROM runs").fetchall(), default=str)
    assert "synthetic-se-key" not in result.error + stored


def test_httpx_logging_turned_up_logs_no_key(tmp_path: Path, httpserver, monkeypatch, caplog) -> None:
    """httpx logs each request's URL at INFO: quiet here, but someone chasing a fault may turn it up."""
    monkeypatch.setenv("SE_TEST_KEY", "synthetic-se-key-0123")
    httpserver.expect_request("/2.3/search/advanced").respond_with_handler(
        FakeStackExchange([question(100, BASE, "Acme question", "<p>body</p>")]))
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("/"), "key_env": "SE_TEST_KEY"}},
                        companies=[{"name": "Acme"}])
    caplog.set_level(logging.DEBUG, logger="httpx")
    assert run("stackexchange", config, tmp_path / "hp.duckdb").status == "ok"
    logged = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any(f"{httpserver.url_for('/2.3/search/advanced')}?site=workplace&q=Acme" in m for m in logged), logged
    assert not [m for m in logged if "synthetic-se-key" in m]
