"""Mastodon: parse real statuses, honour opt-outs, page with Link headers and min_id, re-check deletions."""

from __future__ import annotations

import copy
import json
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
STATUS = fixture_json("mastodon", "mastodon_status.json")


def status(sid: int, content: str, **account: object) -> dict:
    s = copy.deepcopy(STATUS)
    s.update(id=str(sid), uri=f"https://mastodon.example/users/u{sid}/statuses/{sid}",
             url=f"https://mastodon.example/@u{sid}/{sid}", content=f"<p>{content}</p>",
             created_at=datetime.fromtimestamp(1_700_000_000 + sid, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    s["account"].update(acct=f"u{sid}", username=f"u{sid}", **account)
    return s


def test_parse_real_timeline(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"mastodon": {}}, companies=[{"name": "Sort Code Bank", "aliases": ["sort code"]}])
    source = build_source("mastodon", config)
    body = (FIXTURES / "mastodon" / "tag_timeline.json").read_bytes()
    page = RawPage(url="https://mastodon.social/api/v1/timelines/tag/banking", status=200, body=body,
                   query="#banking", meta={"instance": "https://mastodon.social"})
    assert strip_fetched(source.parse(page)) == [Mention(
        source="mastodon", native_id="https://mastodon.social/users/Gargron/statuses/103270115826048975",
        text='"I lost my inheritance with one wrong digit on my sort code"\n\ntheguardian.com/money/2019/dec',
        published_at=datetime(2019, 12, 8, 3, 48, 33, 901000, tzinfo=timezone.utc),
        url="https://mastodon.social/@Gargron/103270115826048975", company="Sort Code Bank",
        author="Gargron@mastodon.social", lang="en", query="#banking", kind="status", fetched_at=None,  # type: ignore[arg-type]
    )]   # the other real status names no company: dropped


def test_a_local_account_is_keyed_by_its_own_instance_not_by_the_address_it_was_fetched_through(
        tmp_path: Path) -> None:
    """A proxy, a base_url or a www. name may stand in for the instance: the account's own address names it, and
    that is the form a person asking to be forgotten gives (collectors.authors)."""
    config = config_for(tmp_path, {"mastodon": {}}, companies=[{"name": "Acme"}])
    source = build_source("mastodon", config)
    local = status(1, "Acme ghosted me", url="https://mastodon.example/@u1")
    bare = status(2, "Acme ghosted me too")   # (an account without its own address: the status's names it)
    del bare["account"]["url"]
    bare["uri"] = "https://www.mastodon.example/users/u2/statuses/2"
    page = RawPage(url="http://127.0.0.1:8080/api/v1/timelines/tag/acme", status=200,
                   body=json.dumps([local, bare]).encode(), query="#acme", meta={"instance": "http://127.0.0.1:8080"})
    assert [m.author for m in source.parse(page)] == ["u1@mastodon.example", "u2@www.mastodon.example"]


def test_opt_outs_and_bots_are_skipped(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"mastodon": {}}, companies=[{"name": "Acme"}])
    source = build_source("mastodon", config)
    statuses = [status(1, "Acme interview", noindex=True), status(2, "Acme interview", discoverable=False),
                status(3, "Acme interview", bot=True), status(4, "Acme interview", indexable=False),
                status(5, "Acme interview", indexable=True, noindex=False)]
    page = RawPage(url="u", status=200, body=json.dumps(statuses).encode(), query="#hiring")
    assert [m.native_id.rsplit("/", 1)[1] for m in source.parse(page)] == ["5"]


class FakeInstance:
    """``/api/v1/timelines/tag/hiring`` with max_id / min_id and RFC 8288 Link headers."""

    def __init__(self, base: str, statuses: list[dict]) -> None:
        self.base = base
        self.statuses = statuses

    def __call__(self, request: Request) -> Response:
        a = request.args
        limit = int(a.get("limit", 20))
        ordered = sorted(self.statuses, key=lambda s: -int(s["id"]))
        if "min_id" in a:
            newer = [s for s in ordered if int(s["id"]) > int(a["min_id"])]
            page = newer[-limit:]
        else:
            page = [s for s in ordered if "max_id" not in a or int(s["id"]) < int(a["max_id"])][:limit]
        headers = {}
        if page:
            url = self.base + request.path
            headers["Link"] = (f'<{url}?limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
                               f'<{url}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"')
        return Response(json.dumps(page), headers=headers, content_type="application/json; charset=utf-8")


def test_paging_and_min_id(tmp_path: Path, httpserver) -> None:
    statuses = [status(i, f"Acme recruiter call number {i}" if i % 2 else "nothing relevant") for i in range(1, 101)]
    api = FakeInstance(httpserver.url_for("").rstrip("/"), statuses)
    httpserver.expect_request("/api/v1/timelines/tag/hiring").respond_with_handler(api)
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json({"error": "Record not found"}, status=404)
    config = config_for(tmp_path, {"mastodon": {"instances": [httpserver.url_for("").rstrip("/")], "hashtags": ["hiring"]}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    first = run("mastodon", config, db_path)
    assert (first.status, first.new) == ("ok", 50)          # only statuses naming the company
    assert first.requests == 5                               # 40 + 40 + 20 + empty page, + the 404 tag
    stored = rows(db_path)
    assert {r["company"] for r in stored} == {"Acme"} and stored[0]["query"] == "#hiring"

    httpserver.clear_log()
    second = run("mastodon", config, db_path)
    assert (second.new, second.requests) == (0, 2)
    assert query_args(paths(httpserver)[0])["min_id"] == "100"

    api.statuses += [status(101, "Acme offer!"), status(102, "Acme onboarding")]
    third = run("mastodon", config, db_path)
    assert third.new == 2 and len(rows(db_path)) == 52


def test_auth_required_instance_fails_source(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/api/v1/timelines/tag/hiring").respond_with_json(
        {"error": "This API requires an authenticated user"}, status=401)
    config = config_for(tmp_path, {"mastodon": {"instances": [httpserver.url_for("").rstrip("/")], "hashtags": ["hiring"]}},
                        companies=[{"name": "Acme"}])
    result = run("mastodon", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "HTTP 401" in result.error


def test_recheck_asks_each_origin_and_drops_deleted_and_opted_out(tmp_path: Path, httpserver) -> None:
    base = httpserver.url_for("").rstrip("/")
    recent = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    statuses = []
    for i in range(1, 7):
        s = status(i, f"Acme interview {i}")
        s.update(uri=f"{base}/users/u{i}/statuses/{i}", created_at=recent)
        statuses.append(s)
    statuses[5]["uri"] = f"{base}/objects/0d1f9a"               # another server software's URI: not checkable
    old = status(7, "Acme interview long ago")                     # 2023: outside recheck_max_age_days
    old["uri"] = f"{base}/users/u7/statuses/7"
    api = FakeInstance(base, [*statuses, old])
    httpserver.expect_request("/api/v1/timelines/tag/hiring").respond_with_handler(api)
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json([])
    asked: list[str] = []

    def origin(request: Request) -> Response:
        sid = request.path.rsplit("/", 1)[-1]
        asked.append(sid)
        if sid == "2":
            return Response(json.dumps({"error": "Record not found"}), status=404, content_type="application/json")
        if sid == "3":
            return Response(json.dumps({"error": "This API requires an authenticated user"}), status=401,
                            content_type="application/json")
        body = copy.deepcopy(next(s for s in statuses if s["id"] == sid))
        if sid == "4":
            body["account"]["indexable"] = False                   # opted out of search since we collected it
        return Response(json.dumps(body), content_type="application/json")
    httpserver.expect_request("/api/v1/statuses/2").respond_with_handler(origin)
    for sid in ("1", "3", "4", "5"):
        httpserver.expect_request(f"/api/v1/statuses/{sid}").respond_with_handler(origin)
    config = config_for(tmp_path, {"mastodon": {"instances": [base], "hashtags": ["hiring"], "min_interval_seconds": 0}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    assert run("mastodon", config, db_path).new == 7
    assert asked == []
    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    result = run("mastodon", config, db_path)
    assert (result.status, result.deleted) == ("ok", 2), result.error
    assert sorted(asked) == ["1", "2", "3", "4", "5"]               # one GET per recent Mastodon-style URI
    kept = {r["native_id"].rsplit("/", 1)[-1] for r in rows(db_path)}
    assert kept == {"1", "3", "5", "0d1f9a", "7"}


def test_recheck_keeps_statuses_whose_origin_does_not_answer(tmp_path: Path, httpserver) -> None:
    base = httpserver.url_for("").rstrip("/")
    s = status(1, "Acme interview")
    s.update(uri="http://127.0.0.1:9/users/u1/statuses/1",          # nothing listens there
             created_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    httpserver.expect_request("/api/v1/timelines/tag/hiring").respond_with_handler(FakeInstance(base, [s]))
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json([])
    config = config_for(tmp_path, {"mastodon": {"instances": [base], "hashtags": ["hiring"]}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    run("mastodon", config, db_path)
    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    result = run("mastodon", config, db_path, max_retries=1)
    assert (result.status, result.deleted, len(rows(db_path))) == ("ok", 0, 1)
