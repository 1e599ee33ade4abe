"""`hirepulse forget --author` on collected posts: each source's author found by the forms a person gives, rows
stored under a source's earlier key found too, and an erased author kept out after a handle changes.

Real HTTP to a local server answering in the recorded shapes (tests/fixtures), a real DuckDB file, the CLI."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from werkzeug import Request, Response

from hirepulse import db
from hirepulse.cli import main
from hirepulse.models import Mention
from test_collect_support import _fresh_robots, config_for, fixture_json, rows, run

__all__ = ["_fresh_robots"]
ACME = [{"name": "Acme"}]


def forget(db_path: Path, capsys: pytest.CaptureFixture[str], *forms: str) -> str:
    capsys.readouterr()
    assert main(["forget", "--author", *forms, "--db", str(db_path)]) == 0
    return capsys.readouterr().out


def store_as_before(db_path: Path, mention: Mention) -> None:
    """A row as hirepulse stored it before the source's author key changed (the same storage, the old handle)."""
    with db.connect(db_path) as con:
        db.upsert_mentions(con, [mention], salt="test-salt-not-secret")


def test_feeds_an_author_is_found_by_the_e_mail_and_with_the_name_by_the_rows_stored_before(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    item = ("<item><title>Acme interview</title><link>{host}/p/{n}</link><guid>{host}/p/{n}</guid>"
            "<author>{author}</author><pubDate>Mon, 0{n} Jun 2025 10:00:00 GMT</pubDate>"
            "<description>Acme ghosted me after the onsite.</description></item>")
    host = httpserver.url_for("").rstrip("/")
    items = "".join(item.format(host=host, n=n, author=author)
                    for n, author in ((1, "feed.jane@example.com (Feed Jane)"), (2, "other@example.com (Other)")))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    config = config_for(tmp_path, {"feeds": {"urls": [f"{host}/feed.xml"], "min_interval_seconds": 0}}, companies=ACME)
    db_path = tmp_path / "hp.duckdb"
    assert run("feeds", config, db_path).new == 2
    # before, the author was keyed by feedparser's whole "e-mail (name)" text
    store_as_before(db_path, Mention(source="feeds", native_id=f"{host}/p/0", url=f"{host}/p/0", text="Acme again",
                                     published_at=datetime(2025, 5, 1, tzinfo=timezone.utc),
                                     author="feed.jane@example.com (Feed Jane)"))
    out = forget(db_path, capsys, "Feed Jane")   # the name alone: the feed gave an e-mail, which is the key
    assert out.startswith("deleted 0 mentions by that author")
    assert "    feeds: the e-mail address the feed gives, else the name" in out and "    bluesky: " in out
    assert forget(db_path, capsys, "feed.jane@example.com", "Feed Jane").startswith("deleted 2 mentions")
    assert [r["native_id"] for r in rows(db_path)] == [f"{host}/p/2"]


def test_mastodon_a_bare_name_or_a_profile_address_finds_the_account(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    host = httpserver.url_for("").rstrip("/")
    template = fixture_json("mastodon", "mastodon_status.json")

    def status(sid: int, acct: str, home: str) -> dict:
        s = copy.deepcopy(template)
        name = acct.split("@")[0]
        s.update(id=str(sid), uri=f"{home}/users/{name}/statuses/{sid}", url=f"{home}/@{name}/{sid}",
                 content="<p>Acme ghosted me after the interview</p>", created_at=f"2025-06-0{sid}T10:00:00.000Z")
        s["account"].update(acct=acct, username=name, url=f"{home}/@{name}")
        return s

    statuses = [status(1, "masto_jane", host), status(2, "remote_bob@other.example", "https://other.example"),
                status(3, "masto_kim", host)]
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json(statuses)
    config = config_for(tmp_path, {"mastodon": {"instances": [host], "hashtags": [], "min_interval_seconds": 0}},
                        companies=ACME)
    db_path = tmp_path / "hp.duckdb"
    assert run("mastodon", config, db_path).new == 3
    assert forget(db_path, capsys, "masto_jane").startswith("deleted 1 mention ")
    assert forget(db_path, capsys, "https://other.example/@remote_bob").startswith("deleted 1 mention ")
    assert [r["native_id"] for r in rows(db_path)] == [f"{host}/users/masto_kim/statuses/3"]


def test_bluesky_an_author_is_keyed_by_the_did_found_by_any_handle_and_kept_out_after_a_rename(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUESKY_HANDLE", "hirepulse.example.org")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", "app-pass-word")
    template = fixture_json("bluesky", "searchPosts.json")["posts"][0]
    did, handle = "did:plc:jane0sky0did", ["jane-sky.bsky.social"]

    def post(rkey: str, who: str, text: str) -> dict:
        p = copy.deepcopy(template)
        p["uri"] = f"at://{who}/app.bsky.feed.post/{rkey}"
        p["author"].update(did=who, handle=handle[0] if who == did else "kim.bsky.social")
        p["record"]["text"] = text
        return p

    def search(request: Request) -> Response:   # (the handle is read per request: the account renames between runs)
        posts = [post("3kjane1", did, "Acme never called back after the interview"),
                 post("3kkim1", "did:plc:kim0did", "Acme interview was fair")]
        return Response(json.dumps({"posts": posts}), content_type="application/json")

    def rename(to: str) -> None:
        handle[0] = to
        with db.connect(db_path) as con:   # (and the cursor reset: the same posts come again)
            con.execute("DELETE FROM cursors WHERE source = 'bluesky'")

    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_json({"accessJwt": "jwt"})
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_handler(search)
    config = config_for(tmp_path, {"bluesky": {"enabled": True, "base_url": httpserver.url_for("").rstrip("/")}},
                        companies=ACME)
    db_path = tmp_path / "hp.duckdb"
    assert run("bluesky", config, db_path).new == 2
    # a post of hers stored before DIDs were the key: under the handle's key, its link naming the handle
    store_as_before(db_path, Mention(
        source="bluesky", native_id=f"at://{did}/app.bsky.feed.post/3kjane0", text="Acme recruiter was rude",
        url=f"https://bsky.app/profile/{handle[0]}/post/3kjane0", author=handle[0],
        published_at=datetime(2024, 4, 1, tzinfo=timezone.utc)))
    rename("jane-renamed.bsky.social")
    assert run("bluesky", config, db_path).updated == 1   # (her post's link names the new handle)
    # the request gives the handle she has now: her posts under both handles go
    assert forget(db_path, capsys, "@jane-renamed.bsky.social").startswith("deleted 2 mentions")
    rename("jane-third.bsky.social")
    again = run("bluesky", config, db_path)
    assert (again.status, again.new, again.skipped) == ("ok", 0, 2)   # (Kim's unchanged, hers erased)
    assert [r["native_id"] for r in rows(db_path)] == ["at://did:plc:kim0did/app.bsky.feed.post/3kkim1"]


def test_stackexchange_the_profile_address_or_the_user_id_finds_the_user_and_the_name_older_rows(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    template = fixture_json("stackexchange", "stackexchange_questions.json")["items"][1]

    def question(qid: int, user_id: int, name: str) -> dict:
        item = copy.deepcopy(template)
        item.update(question_id=qid, creation_date=1_750_000_000 + qid, title="Acme interview: no feedback",
                    body="<p>Acme never answered after the onsite.</p>",
                    link=f"https://workplace.stackexchange.com/questions/{qid}/x")
        item["owner"].update(user_id=user_id, display_name=name,
                             link=f"https://workplace.stackexchange.com/users/{user_id}/{name.lower().replace(' ', '-')}")
        return item

    httpserver.expect_request("/2.3/search/advanced").respond_with_json(
        {"items": [question(1, 4242, "SE Jane"), question(2, 77, "Kim")], "has_more": False,
         "quota_max": 300, "quota_remaining": 299})
    config = config_for(tmp_path, {"stackexchange": {"base_url": httpserver.url_for("").rstrip("/"),
                                                     "min_interval_seconds": 0}}, companies=ACME)
    db_path = tmp_path / "hp.duckdb"
    assert run("stackexchange", config, db_path).new == 2
    store_as_before(db_path, Mention(source="stackexchange", native_id="0", text="Acme again", author="SE Jane",
                                     url="https://workplace.stackexchange.com/questions/0/x",
                                     published_at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
    out = forget(db_path, capsys, "https://workplace.stackexchange.com/users/4242/se-jane", "SE Jane")
    assert out.startswith("deleted 2 mentions")
    assert forget(db_path, capsys, "77").startswith("deleted 1 mention ")   # the user id, on the stored site
    assert rows(db_path) == []


def test_forget_help_names_what_each_source_knows_an_author_by(capsys: pytest.CaptureFixture[str]) -> None:
    from collectors.authors import FORMS

    with pytest.raises(SystemExit):
        main(["forget", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert all(f"{source}: {' '.join(form.split())}" in shown for source, form in FORMS.items())
