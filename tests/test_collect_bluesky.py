"""Bluesky: parse a searchPosts answer (built from the lexicon), session, since, refused auth, deletions."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from werkzeug import Request, Response

from collectors.base import RawPage
from collectors.run import build_source
from hirepulse import db
from hirepulse.models import Mention
from test_collect_support import FIXTURES, _fresh_robots, config_for, fixture_json, paths, query_args, rows, run, strip_fetched

__all__ = ["_fresh_robots"]
SAMPLE = fixture_json("bluesky", "searchPosts.json")


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUESKY_HANDLE", "hirepulse.example.org")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", "app-pass-word")


def test_parse_search_posts(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"bluesky": {"enabled": True}})
    source = build_source("bluesky", config)
    page = RawPage(url="u", status=200, body=(FIXTURES / "bluesky" / "searchPosts.json").read_bytes(), query="Acme",
                   company="Acme Corp")
    assert strip_fetched(source.parse(page)) == [Mention(
        source="bluesky", native_id="at://did:plc:abc123/app.bsky.feed.post/3kqz7yq2abc2x",
        text="Third interview at Acme and still no feedback from the recruiter.",
        url="https://bsky.app/profile/jobseeker.bsky.social/post/3kqz7yq2abc2x",
        published_at=datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc), company="Acme Corp",
        author="did:plc:abc123", lang="en", kind="post", query="Acme +hiring", fetched_at=None,  # type: ignore[arg-type]
    )]


def test_session_search_and_since(tmp_path: Path, httpserver) -> None:
    def session(request: Request) -> Response:
        assert json.loads(request.get_data()) == {"identifier": "hirepulse.example.org", "password": "app-pass-word"}
        return Response(json.dumps({"accessJwt": "jwt-1", "refreshJwt": "r", "handle": "hirepulse.example.org",
                                    "did": "did:plc:me"}), content_type="application/json")

    def search(request: Request) -> Response:
        assert request.headers["Authorization"] == "Bearer jwt-1"
        if request.args.get("cursor"):
            return Response(json.dumps({"posts": []}), content_type="application/json")
        return Response(json.dumps(SAMPLE), content_type="application/json")

    httpserver.expect_request("/xrpc/com.atproto.server.createSession", method="POST").respond_with_handler(session)
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_handler(search)
    config = config_for(tmp_path, {"bluesky": {"enabled": True, "base_url": httpserver.url_for("").rstrip("/")}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    first = run("bluesky", config, db_path)
    assert (first.status, first.new) == ("ok", 1)
    httpserver.clear_log()
    second = run("bluesky", config, db_path)
    assert second.new == 0
    sent = query_args([p for p in paths(httpserver) if "searchPosts" in p][0])
    assert (sent["sort"], sent["since"]) == ("latest", "2024-05-02T07:30:01.000Z")   # indexedAt minus 2 h
    assert len(rows(db_path)) == 1


def test_search_refused_without_auth(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_json({"accessJwt": "jwt"})
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_data(
        (FIXTURES / "bluesky" / "bluesky_searchposts_403_authmissing.json").read_text(), status=403)
    config = config_for(tmp_path, {"bluesky": {"enabled": True, "base_url": httpserver.url_for("").rstrip("/")}},
                        companies=[{"name": "Acme"}])
    result = run("bluesky", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "AuthMissing: Authentication Required" in result.error
    assert "app-pass-word" not in result.error


def test_recheck_drops_posts_getposts_no_longer_returns(tmp_path: Path, httpserver) -> None:
    template = SAMPLE["posts"][0]
    posts = []
    for i in range(30):              # more than one getPosts batch of 25
        post = json.loads(json.dumps(template))
        post["uri"] = f"at://did:plc:abc123/app.bsky.feed.post/3kqz7yq2ab{i:03d}"
        post["record"]["text"] = f"Acme interview number {i}"
        post["record"]["createdAt"] = post["indexedAt"] = f"2024-05-02T09:{i:02d}:00.000Z"
        posts.append(post)
    deleted = {posts[3]["uri"], posts[27]["uri"]}
    batches: list[list[str]] = []

    def get_posts(request: Request) -> Response:
        assert request.headers["Authorization"] == "Bearer jwt"
        uris = request.args.getlist("uris")
        batches.append(uris)
        found = [p for p in posts if p["uri"] in uris and p["uri"] not in deleted]
        return Response(json.dumps({"posts": found}), content_type="application/json")

    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_json({"accessJwt": "jwt"})
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_json({"posts": posts})
    httpserver.expect_request("/xrpc/app.bsky.feed.getPosts").respond_with_handler(get_posts)
    config = config_for(tmp_path, {"bluesky": {"enabled": True, "base_url": httpserver.url_for("").rstrip("/"),
                                               "recheck_max_age_days": 36500}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    assert run("bluesky", config, db_path).new == 30
    assert batches == []                                   # just fetched: nothing to re-check yet
    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    result = run("bluesky", config, db_path)
    assert (result.status, result.deleted) == ("ok", 2), result.error
    assert sorted(len(b) for b in batches) == [5, 25]
    assert {r["native_id"] for r in rows(db_path)} == {p["uri"] for p in posts} - deleted
