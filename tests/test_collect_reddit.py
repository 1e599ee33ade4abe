"""Reddit (OAuth): parse real listings, token + User-Agent, rate-limit headers, deletion re-checks."""

from __future__ import annotations

import copy
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from werkzeug import Request, Response

from analysis.pipeline import analyze_pending
from collectors.base import RawPage
from collectors.run import build_source
from hirepulse import __version__, db
from hirepulse.cli import main
from hirepulse.models import Mention
from test_collect_support import (SALT, FIXTURES, _fresh_robots, config_for, fixture_json, paths, rows, run, runs,
                                  stored_bytes, strip_fetched)

__all__ = ["_fresh_robots"]
LISTING = fixture_json("reddit", "reddit_listing.json")
HEADERS = fixture_json("reddit", "reddit_listing.headers.json")["response_headers_subset"]
TOKEN = fixture_json("reddit", "reddit_oauth_token.json")


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "client-id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "client-secret")


def test_parse_real_listings(tmp_path: Path) -> None:
    config = config_for(tmp_path, {"reddit": {"enabled": True, "username": "hirepulse_bot"}})
    source = build_source("reddit", config)
    page = RawPage(url="https://oauth.reddit.com/r/popular/hot", status=200, query="villain", company="Acme Corp",
                   body=(FIXTURES / "reddit" / "reddit_listing.json").read_bytes())
    assert strip_fetched(source.parse(page)) == [Mention(
        source="reddit", native_id="t3_1skdnbn", text="Favorite villain who’s like this?",
        title="Favorite villain who’s like this?", published_at=datetime.fromtimestamp(1776092907, timezone.utc),
        url="https://www.reddit.com/r/FavoriteCharacter/comments/1skdnbn/favorite_villain_whos_like_this/",
        company="Acme Corp", author="VegitoBurrito", kind="post", query="r/FavoriteCharacter: villain",
        fetched_at=None,  # type: ignore[arg-type]
    )]
    comments = RawPage(url="u", status=200, query="work", company="Acme Corp",
                       body=(FIXTURES / "reddit" / "reddit_comments_listing.json").read_bytes())
    [comment] = source.parse(comments)
    assert (comment.native_id, comment.kind, comment.text, comment.title) == (   # (no link_title: its post's)
        "t1_k3yrfii", "comment", "Did it work?", None)
    assert source.user_agent == f"python:hirepulse:{__version__} (by /u/hirepulse_bot)"


def child(i: int, created: float, title: str) -> dict:
    c = copy.deepcopy(LISTING["data"]["children"][1])
    c["data"].update(name=f"t3_{i}", id=str(i), title=title, selftext="", created_utc=created, subreddit="jobs",
                     permalink=f"/r/jobs/comments/{i}/x/")
    return c


class FakeReddit:
    def __init__(self, children: list[dict]) -> None:
        self.children = children
        self.removed: set[str] = set()          # removed by a moderator
        self.author_deleted: set[str] = set()   # the account was deleted
        self.body_deleted: set[str] = set()     # deleted by its author
        self.missing: set[str] = set()          # no longer returned at all
        self.info_batches: list[list[str]] = []

    def listing(self, items: list[dict], after: str | None) -> Response:
        body = copy.deepcopy(LISTING)
        body["data"].update(children=items, after=after, dist=len(items))
        headers = {k: v[0] for k, v in HEADERS.items() if k.startswith("x-ratelimit")}
        return Response(json.dumps(body), headers=headers, content_type="application/json; charset=UTF-8")

    def search(self, request: Request) -> Response:
        assert request.headers["Authorization"] == "bearer <ACCESS_TOKEN>"
        ordered = sorted((c for c in self.children if c["kind"] == "t3"), key=lambda c: -c["data"]["created_utc"])
        start = 0
        if "after" in request.args:
            start = [c["data"]["name"] for c in ordered].index(request.args["after"]) + 1
        limit = int(request.args["limit"])
        items = ordered[start:start + limit]
        return self.listing(items, items[-1]["data"]["name"] if start + limit < len(ordered) else None)

    def info(self, request: Request) -> Response:
        wanted = request.args["id"].split(",")
        self.info_batches.append(wanted)
        out = []
        for c in self.children:
            name = c["data"]["name"]
            if name in wanted and name not in self.missing:
                c = copy.deepcopy(c)
                text = "selftext" if c["kind"] == "t3" else "body"
                if name in self.removed:
                    c["data"].update({text: "[removed]", "removed_by_category": "moderator"})
                if name in self.author_deleted:
                    c["data"].update(author="[deleted]", author_fullname=None)
                if name in self.body_deleted:
                    c["data"].update({text: "[deleted]", "author": "[deleted]"})
                out.append(c)
        return self.listing(out, None)


def test_oauth_search_incremental_and_recheck(tmp_path: Path, httpserver) -> None:
    now = time.time()
    api = FakeReddit([child(i, now - 86400 * 40 + i * 600, f"Acme recruiter story {i}") for i in range(150)])
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(TOKEN)
    httpserver.expect_request("/r/jobs/search").respond_with_handler(api.search)
    httpserver.expect_request("/api/info").respond_with_handler(api.info)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"], "recheck_days": 7, "recheck_max_age_days": 400}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    first = run("reddit", config, db_path)
    assert (first.status, first.new) == ("ok", 150), first.error
    token_request = httpserver.log[0][0]
    assert token_request.headers["Authorization"].startswith("Basic ") and b"client_credentials" in token_request.get_data()
    assert httpserver.log[1][0].headers["User-Agent"] == f"python:hirepulse:{__version__} (by /u/u1)"
    assert api.info_batches == []                           # what was just fetched exists: no re-check

    api.removed.add("t3_5")
    httpserver.clear_log()
    second = run("reddit", config, db_path)
    assert (second.new, second.deleted) == (0, 0)           # the next re-check is due in 7 days
    assert [p.split("?")[0] for p in paths(httpserver)] == ["/api/v1/access_token", "/r/jobs/search"]

    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    third = run("reddit", config, db_path)
    assert third.deleted == 1 and "reddit:t3_5" not in {r["id"] for r in rows(db_path)}
    assert [len(b) for b in api.info_batches] == [100, 50]  # fullnames in batches of 100
    assert json.loads(runs(db_path)[-1]["detail"])["deleted"] == 1


def _analyse_everything(db_path: Path) -> None:
    """Analysis rows (and the dashboard's facts) for every stored mention: the real `hirepulse analyze`."""
    assert analyze_pending(db_path, companies=[("Acme", ())]).analyzed > 0


def test_recheck_drops_posts_and_comments_deleted_upstream_with_their_analysis(tmp_path: Path, httpserver) -> None:
    now = time.time()
    posts = [child(i, now - 3600 * (i + 1), f"Acme interview {i}") for i in range(6)]
    old = child(99, now - 86400 * 60, "Acme interview long ago")    # outside recheck_max_age_days
    comment = copy.deepcopy(fixture_json("reddit", "reddit_comments_listing.json")["data"]["children"][0])
    comment["data"].update(name="t1_c1", id="c1", body="Acme never called back", created_utc=now - 600,
                           link_title="Acme interview 0", subreddit="jobs", permalink="/r/jobs/comments/0/x/c1/")
    api = FakeReddit([*posts, old, comment])
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(TOKEN)
    httpserver.expect_request("/r/jobs/search").respond_with_handler(api.search)
    httpserver.expect_request("/api/info").respond_with_handler(api.info)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"], "recheck_max_age_days": 30}},
                        companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    assert run("reddit", config, db_path).new == 7
    with db.connect(db_path) as con, db.transaction(con):     # the comment, as stored by an earlier version
        db.upsert_mentions(con, list(build_source("reddit", config).parse(RawPage(
            url="u", status=200, query="Acme", company="Acme", body=api.listing([comment], None).get_data()))),
            salt=SALT)
    _analyse_everything(db_path)
    with db.connect(db_path, read_only=True) as con:
        staged = {r[0] for r in con.execute("SELECT mention_id FROM analysis_stages").fetchall()}
    api.removed.add("t3_1")
    api.author_deleted.add("t3_2")
    api.body_deleted.add("t1_c1")
    api.missing.add("t3_3")
    api.missing.add("t3_99")                                 # gone too, but too old to be asked about
    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    result = run("reddit", config, db_path)
    assert (result.status, result.deleted) == ("ok", 4), result.error
    assert sorted(api.info_batches[0]) == sorted(["t3_0", "t3_1", "t3_2", "t3_3", "t3_4", "t3_5", "t1_c1"])
    kept = {r["id"] for r in rows(db_path)}
    assert kept == {"reddit:t3_0", "reddit:t3_4", "reddit:t3_5", "reddit:t3_99"}
    with db.connect(db_path, read_only=True) as con:
        assert {r[0] for r in con.execute("SELECT mention_id FROM analysis").fetchall()} == kept
        assert {r[0] for r in con.execute("SELECT mention_id FROM analysis_stages").fetchall()} == staged & kept
        # the dashboard's summaries follow the deletion at once (no stale counts until the next analyze)
        assert db.facts_fresh(con)
        assert {r[0] for r in con.execute("SELECT id FROM fact_mentions").fetchall()} == kept
        assert con.execute("SELECT sum(mentions) FROM fact_days").fetchone()[0] == len(kept)


def test_a_post_deleted_upstream_is_gone_from_the_bytes_of_the_file_too(tmp_path: Path, httpserver) -> None:
    now = time.time()
    gone = child(1, now - 3600, "Acme interview: Zqxgoneupstream, the recruiter never wrote back")
    gone["data"]["selftext"] = "Zqxgonebody: three rounds, then nothing at all"
    kept = child(2, now - 7200, "Acme interview: Zqxstillthere, a kind panel")
    api = FakeReddit([gone, kept])
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(TOKEN)
    httpserver.expect_request("/r/jobs/search").respond_with_handler(api.search)
    httpserver.expect_request("/api/info").respond_with_handler(api.info)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"]}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "db" / "hp.duckdb"
    db_path.parent.mkdir()
    assert run("reddit", config, db_path).new == 2
    _analyse_everything(db_path)
    assert b"Zqxgonebody" in stored_bytes(db_path) and b"Zqxgoneupstream" in stored_bytes(db_path)
    api.body_deleted.add("t3_1")
    with db.connect(db_path) as con:
        con.execute("UPDATE cursors SET value = '2000-01-01T00:00:00+00:00' WHERE key = '__recheck__'")
    assert run("reddit", config, db_path).deleted == 1
    after = stored_bytes(db_path)
    assert b"Zqxgonebody" not in after and b"Zqxgoneupstream" not in after
    assert b"Zqxstillthere" in after
    with db.connect(db_path, read_only=True) as con:
        assert db.rewrite_owed(con) is None


def test_missing_credentials_fail_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDDIT_CLIENT_SECRET")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "username": "u1"}})
    result = run("reddit", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "client credentials missing" in result.error


def test_refused_token(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("/api/v1/access_token").respond_with_json({"error": "invalid_grant"}, status=401)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"]}}, companies=[{"name": "Acme"}])
    result = run("reddit", config, tmp_path / "hp.duckdb")
    assert result.status == "error" and "token request was refused (HTTP 401)" in result.error
    assert "client-secret" not in result.error


def test_a_token_answer_that_is_not_json_names_the_endpoint(tmp_path: Path, httpserver) -> None:
    # a proxy's HTML page on a 200 used to end the run as a bare "JSONDecodeError: Expecting value"
    httpserver.expect_request("/api/v1/access_token").respond_with_data("<html>maintenance</html>", status=200,
                                                                        content_type="text/html")
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"]}}, companies=[{"name": "Acme"}])
    result = run("reddit", config, tmp_path / "hp.duckdb")
    assert result.status == "error"
    assert result.error.startswith(f"unexpected payload from {base}/api/v1/access_token: not JSON"), result.error


def test_comments_of_matching_posts(tmp_path: Path, httpserver) -> None:
    now = time.time()
    with_comments = child(1, now - 7200, "Acme interview: ghosted after the final round")
    with_comments["data"]["num_comments"] = 3
    quiet = child(2, now - 3600, "Acme offer accepted")
    quiet["data"]["num_comments"] = 0
    real = fixture_json("reddit", "reddit_comments_listing.json")["data"]["children"][0]

    def comment(cid: str, body: str, replies: list[dict] | None = None) -> dict:
        c = copy.deepcopy(real)
        c["data"].update(name=f"t1_{cid}", id=cid, body=body, created_utc=now - 600, subreddit="jobs",
                         permalink=f"/r/jobs/comments/1/x/{cid}/", link_id="t3_1", parent_id="t3_1")
        for key in ("link_title", "link_permalink", "link_url", "link_author"):
            c["data"].pop(key, None)          # a thread's comments do not repeat their post
        c["data"]["replies"] = {"kind": "Listing", "data": {"children": replies or [], "after": None}} if replies else ""
        return c
    thread = [
        copy.deepcopy(LISTING) | {"data": {**LISTING["data"], "children": [with_comments], "after": None}},
        {"kind": "Listing", "data": {"after": None, "dist": None, "children": [
            comment("a", "Same here, three weeks of silence", [comment("b", "[deleted]")]),
            comment("c", "The recruiter was kind though"),
            {"kind": "more", "data": {"count": 4, "name": "t1_more", "id": "more", "children": ["d", "e"]}},
        ]}},
    ]
    api = FakeReddit([with_comments, quiet])
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(TOKEN)
    httpserver.expect_request("/r/jobs/search").respond_with_handler(api.search)
    httpserver.expect_request("/r/jobs/comments/1").respond_with_json(thread)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"], "comments": True}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "hp.duckdb"
    result = run("reddit", config, db_path)
    assert (result.status, result.new) == ("ok", 4), result.error
    assert [p.split("?")[0] for p in paths(httpserver)].count("/r/jobs/comments/1") == 1   # not for the quiet post
    stored = {r["native_id"]: r for r in rows(db_path)}
    assert set(stored) == {"t3_1", "t3_2", "t1_a", "t1_c"}          # the deleted reply and the stub are not stored
    # matched by the post's title, stored without it (the post author's words)
    assert (stored["t1_a"]["kind"], stored["t1_a"]["title"], stored["t1_a"]["company"]) == ("comment", None, "Acme")
    assert stored["t1_a"]["query"] == "r/jobs: Acme +hiring"

    httpserver.clear_log()
    second = run("reddit", config, db_path)
    assert (second.new, second.skipped) == (0, 4)       # within the 2 h look-back the thread is read again, unchanged

    with db.connect(db_path) as con:                    # a day later: posts older than the look-back keep their comments
        con.execute("UPDATE cursors SET value = CAST(CAST(value AS BIGINT) + 86400 AS VARCHAR) WHERE key = 'r/jobs:Acme'")
    httpserver.clear_log()
    third = run("reddit", config, db_path)
    assert third.new == 0 and "/r/jobs/comments/1" not in " ".join(paths(httpserver))


def test_the_post_authors_title_leaves_with_their_erasure_and_the_comments_stay(tmp_path: Path, httpserver) -> None:
    now = time.time()
    post = child(1, now - 7200, "Acme interview: Zqxposttitle, ghosted after the final round")
    post["data"].update(author="post_author", num_comments=2)
    real = fixture_json("reddit", "reddit_comments_listing.json")["data"]["children"][0]
    replies = []
    for cid, body, author in (("a", "Same here, three weeks of silence", "first_reply"),
                              ("b", "Mine ended with a fast offer", "second_reply")):
        c = copy.deepcopy(real)
        c["data"].update(name=f"t1_{cid}", id=cid, body=body, author=author, created_utc=now - 600, subreddit="jobs",
                         permalink=f"/r/jobs/comments/1/x/{cid}/", link_id="t3_1", parent_id="t3_1", replies="")
        # (as /api/info and listings of comments give them: with the post's title and author)
        c["data"].update(link_title=post["data"]["title"], link_author="post_author")
        replies.append(c)
    thread = [copy.deepcopy(LISTING) | {"data": {**LISTING["data"], "children": [post], "after": None}},
              {"kind": "Listing", "data": {"after": None, "dist": None, "children": replies}}]
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(TOKEN)
    httpserver.expect_request("/r/jobs/search").respond_with_handler(FakeReddit([post]).search)
    httpserver.expect_request("/r/jobs/comments/1").respond_with_json(thread)
    base = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"reddit": {"enabled": True, "base_url": base, "auth_url": base, "username": "u1",
                                              "subreddits": ["jobs"], "comments": True}}, companies=[{"name": "Acme"}])
    db_path = tmp_path / "db" / "hp.duckdb"
    db_path.parent.mkdir()
    assert run("reddit", config, db_path).new == 3
    _analyse_everything(db_path)
    assert [(r["native_id"], r["title"]) for r in rows(db_path) if r["kind"] == "comment"] == [("t1_a", None),
                                                                                                 ("t1_b", None)]
    assert b"Zqxposttitle" in stored_bytes(db_path)
    assert main(["forget", "--author", "post_author", "--db", str(db_path)]) == 0
    assert {r["native_id"] for r in rows(db_path)} == {"t1_a", "t1_b"}
    assert b"Zqxposttitle" not in stored_bytes(db_path)
