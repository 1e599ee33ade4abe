"""Mastodon: parse real statuses, honour opt-outs, page with Link headers and min_id."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.run import build_source
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
