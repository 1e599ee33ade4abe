"""`hirepulse forget --author` on collected posts: each source's author found by the forms a person gives, rows
stored under a source's earlier key found too, and an erased author kept out after a handle changes; a form that may
mean several accounts (a bare name on two instances or sources, a user id on two sites, a handle that moved between
accounts) erases no one else.

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
from hirepulse.config import Config
from hirepulse.models import Mention
from hirepulse.privacy import author_key
from test_collect_support import SALT, _fresh_robots, config_for, fixture_json, rows, run

__all__ = ["_fresh_robots"]
ACME = [{"name": "Acme"}]


def forget(db_path: Path, capsys: pytest.CaptureFixture[str], *forms: str, options: tuple[str, ...] = (),
           code: int = 0) -> str:
    capsys.readouterr()
    assert main(["forget", "--author", *forms, *options, "--db", str(db_path)]) == code
    return capsys.readouterr().out


def store_as_before(db_path: Path, mention: Mention) -> None:
    """A row as hirepulse stored it before the source's author key changed (the same storage, the old handle)."""
    with db.connect(db_path) as con:
        db.upsert_mentions(con, [mention], salt="test-salt-not-secret")


def serve_feed(httpserver, tmp_path: Path, items: str) -> tuple[Config, Path]:
    """An RSS feed of ``items`` on the local server (no robots.txt), and a config collecting it for Acme, with the
    database path."""
    host = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    config = config_for(tmp_path, {"feeds": {"urls": [f"{host}/feed.xml"], "min_interval_seconds": 0}}, companies=ACME)
    return config, tmp_path / "hp.duckdb"


def test_feeds_an_author_is_found_by_the_e_mail_and_with_the_name_by_the_rows_stored_before(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    item = ("<item><title>Acme interview</title><link>{host}/p/{n}</link><guid>{host}/p/{n}</guid>"
            "<author>{author}</author><pubDate>Mon, 0{n} Jun 2025 10:00:00 GMT</pubDate>"
            "<description>Acme ghosted me after the onsite.</description></item>")
    host = httpserver.url_for("").rstrip("/")
    items = "".join(item.format(host=host, n=n, author=author)
                    for n, author in ((1, "feed.jane@example.com (Feed Jane)"), (2, "other@example.com (Other)")))
    config, db_path = serve_feed(httpserver, tmp_path, items)
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
        return mastodon_status(template, sid, acct, home)

    statuses = [status(1, "masto_jane", host), status(2, "remote_bob@other.example", "https://other.example"),
                status(3, "masto_kim", host)]
    config, db_path = serve_mastodon(httpserver, tmp_path, statuses)
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


def serve_mastodon(httpserver, tmp_path: Path, statuses: list[dict]) -> tuple[Config, Path]:
    """``statuses`` as the local server's Acme tag timeline (the configured instance), a config collecting it, and
    the database path."""
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json(statuses)
    host = httpserver.url_for("").rstrip("/")
    config = config_for(tmp_path, {"mastodon": {"instances": [host], "hashtags": [], "min_interval_seconds": 0}},
                        companies=ACME)
    return config, tmp_path / "hp.duckdb"


def mastodon_status(template: dict, sid: int, acct: str, web: str) -> dict:
    """A status in the API's shape: ``acct`` as the API gives it (no domain for a local account), ``web`` the
    account's own instance address, which its ``url`` and ``uri`` name."""
    s = copy.deepcopy(template)
    name = acct.split("@")[0]
    s.update(id=str(sid), uri=f"{web}/users/{name}/statuses/{sid}", url=f"{web}/@{name}/{sid}",
             content="<p>Acme ghosted me after the interview</p>", created_at=f"2025-06-0{sid}T10:00:00.000Z")
    s["account"].update(acct=acct, username=name, url=f"{web}/@{name}")
    return s


@pytest.mark.parametrize("form", ["https://mastodon.example/@masto_jane", "masto_jane@mastodon.example",
                                  "https://www.mastodon.example/users/masto_jane", "masto_jane"])
def test_mastodon_a_local_account_is_found_by_its_own_address_when_the_instance_is_reached_through_another(
        form: str, tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    proxy = httpserver.url_for("").rstrip("/")   # (the configured instance: a proxy standing in for mastodon.example)
    template = fixture_json("mastodon", "mastodon_status.json")
    statuses = [mastodon_status(template, 1, "masto_jane", "https://mastodon.example"),
                mastodon_status(template, 2, "masto_kim", "https://mastodon.example")]
    config, db_path = serve_mastodon(httpserver, tmp_path, statuses)
    assert run("mastodon", config, db_path).new == 2
    # a status of hers stored before, keyed by the configured instance's address
    store_as_before(db_path, Mention(
        source="mastodon", native_id="https://mastodon.example/users/masto_jane/statuses/9", text="Acme again",
        url="https://mastodon.example/@masto_jane/9", author=f"masto_jane@{proxy.split('//')[1]}",
        published_at=datetime(2025, 5, 1, tzinfo=timezone.utc)))
    out = forget(db_path, capsys, form, options=("--config", str(tmp_path / "hirepulse.toml")))
    assert out.startswith("deleted 2 mentions by that author")
    assert [r["native_id"] for r in rows(db_path)] == ["https://mastodon.example/users/masto_kim/statuses/2"]


@pytest.mark.parametrize("form", ["https://mastodon.example/@masto_jane", "https://www.mastodon.example/@masto_jane",
                                  "@masto_jane@WWW.mastodon.example",
                                  "https://www.mastodon.example/users/masto_jane"])
def test_mastodon_an_author_erased_before_any_post_is_stored_is_kept_out_whatever_form_of_the_host_was_given(
        form: str, tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    # (the collector keys a local account by its own address's host, without "www.": the forms a person may type,
    # with it, are remembered in that form too)
    template = fixture_json("mastodon", "mastodon_status.json")
    config, db_path = serve_mastodon(httpserver, tmp_path,
                                     [mastodon_status(template, 1, "masto_jane", "https://mastodon.example"),
                                      mastodon_status(template, 2, "masto_kim", "https://mastodon.example")])
    store_as_before(db_path, Mention(source="hackernews", native_id="77", text="Acme was fine", author="bob",
                                     url="https://news.ycombinator.com/item?id=77",
                                     published_at=datetime(2025, 5, 1, tzinfo=timezone.utc)))
    assert forget(db_path, capsys, form).startswith("deleted 0 mentions by that author")
    assert run("mastodon", config, db_path).new == 1
    assert [r["native_id"] for r in rows(db_path)] == ["77", "https://mastodon.example/users/masto_kim/statuses/2"]


def test_a_bare_name_on_two_instances_or_sources_erases_no_one_until_the_account_is_named(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str]) -> None:
    template = fixture_json("mastodon", "mastodon_status.json")
    statuses = [mastodon_status(template, 1, "bob", "https://a.example"),
                mastodon_status(template, 2, "bob@b.example", "https://b.example"),
                mastodon_status(template, 3, "bob", "https://a.example")]
    config, db_path = serve_mastodon(httpserver, tmp_path, statuses)
    assert run("mastodon", config, db_path).new == 3
    store_as_before(db_path, Mention(source="hackernews", native_id="77", text="Acme was fine", author="bob",
                                     url="https://news.ycombinator.com/item?id=77",
                                     published_at=datetime(2025, 5, 1, tzinfo=timezone.utc)))
    capsys.readouterr()
    assert main(["forget", "--author", "bob", "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert err == ("hirepulse: error: --author: 1 of the forms may mean more than one account: nothing erased\n")
    assert out.splitlines()[:4] == ['"bob" may mean 3 accounts:', "    hackernews: bob (1 mention)",
                                    "    mastodon: bob@a.example (2 mentions)", "    mastodon: bob@b.example (1 mention)"]
    assert "--all-matches" in out
    assert len(rows(db_path)) == 4
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM erasures").fetchone()[0] == 0   # (nor remembered)
    # the fuller form names one; --source keeps to one source; --all-matches takes every account
    assert forget(db_path, capsys, "bob@b.example").startswith("deleted 1 mention ")
    assert forget(db_path, capsys, "bob", options=("--source", "hackernews")).startswith("deleted 1 mention ")
    assert forget(db_path, capsys, "bob", options=("--all-matches",)).startswith("deleted 2 mentions")
    assert rows(db_path) == []


def test_a_user_id_on_two_sites_erases_no_one_until_the_site_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "hp.duckdb"
    for n, site in enumerate(("workplace.stackexchange.com", "softwareengineering.stackexchange.com")):
        store_as_before(db_path, Mention(source="stackexchange", native_id=f"{site}/{n}", text="Acme interview",
                                         url=f"https://{site}/questions/{n}/x", author=f"{site}/users/4242",
                                         published_at=datetime(2025, 1, 1 + n, tzinfo=timezone.utc)))
    out = forget(db_path, capsys, "4242", code=1)
    assert "    stackexchange: https://workplace.stackexchange.com/users/4242 (1 mention)" in out
    assert "    stackexchange: https://softwareengineering.stackexchange.com/users/4242 (1 mention)" in out
    assert len(rows(db_path)) == 2
    out = forget(db_path, capsys, "https://workplace.stackexchange.com/users/4242/se-jane")
    assert out.startswith("deleted 1 mention ")
    assert [r["native_id"] for r in rows(db_path)] == ["softwareengineering.stackexchange.com/1"]


def test_a_feeds_e_mail_and_name_form_does_not_erase_another_person_of_that_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "hp.duckdb"
    survey = tmp_path / "survey.csv"
    survey.write_text("date,author,text\n2026-02-01,Feed Jane,Acme survey: my onsite was great\n", encoding="utf-8")
    assert main(["import", str(survey), "--source", "survey", "--db", str(db_path)]) == 0
    for n, author in enumerate(("feed.jane@example.com", "feed.jane@example.com (Feed Jane)")):
        store_as_before(db_path, Mention(source="feeds", native_id=f"https://blog.example/p/{n}", text="Acme ghosted",
                                         url=f"https://blog.example/p/{n}", author=author,
                                         published_at=datetime(2025, 6, 1 + n, tzinfo=timezone.utc)))
    assert forget(db_path, capsys, "feed.jane@example.com (Feed Jane)").startswith("deleted 2 mentions")
    assert [r["source"] for r in rows(db_path)] == ["survey"]


def test_bluesky_a_handle_that_moved_means_the_account_holding_it_now_and_the_older_one_is_kept(
        tmp_path: Path, httpserver, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUESKY_HANDLE", "hirepulse.example.org")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", "app-pass-word")
    template = fixture_json("bluesky", "searchPosts.json")["posts"][0]

    def post(rkey: str, did: str, when: str) -> dict:
        p = copy.deepcopy(template)
        p["uri"] = f"at://{did}/app.bsky.feed.post/{rkey}"
        p["author"].update(did=did, handle="jane.bsky.social")   # (each held the handle when fetched)
        p["record"].update(text="Acme never called back after the interview", createdAt=when)
        p["indexedAt"] = when
        return p

    posts = [post("3kold1", "did:plc:older0did", "2024-03-01T10:00:00.000Z"),
             post("3knew1", "did:plc:newer0did", "2025-06-01T10:00:00.000Z")]
    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_json({"accessJwt": "jwt"})
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_json({"posts": posts})
    config = config_for(tmp_path, {"bluesky": {"enabled": True, "base_url": httpserver.url_for("").rstrip("/")}},
                        companies=ACME)
    db_path = tmp_path / "hp.duckdb"
    assert run("bluesky", config, db_path).new == 2
    out = forget(db_path, capsys, "jane.bsky.social")
    assert out.splitlines()[:2] == [
        "deleted 1 mention by that author (and their analysis)",
        "  jane.bsky.social was used before by another Bluesky account (1 post): kept; if that was the same person, "
        "name it by its own handle or DID"]
    assert [r["native_id"] for r in rows(db_path)] == ["at://did:plc:older0did/app.bsky.feed.post/3kold1"]
    with db.connect(db_path) as con:   # (the cursor reset: the same posts come again)
        con.execute("DELETE FROM cursors WHERE source = 'bluesky'")
    again = run("bluesky", config, db_path)
    assert (again.new, again.skipped) == (0, 2)   # (the older account's unchanged, the newer one's erased)
    assert [r["native_id"] for r in rows(db_path)] == ["at://did:plc:older0did/app.bsky.feed.post/3kold1"]
    with db.connect(db_path, read_only=True) as con:   # the older account is not remembered as erased
        kept = {k for (k,) in con.execute("SELECT key FROM erasures WHERE kind = 'author'").fetchall()}
    assert author_key("did:plc:newer0did", SALT) in kept and author_key("did:plc:older0did", SALT) not in kept


def test_bluesky_forget_url_finds_a_post_by_a_link_naming_an_old_handle_and_no_other_accounts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from collectors.base import RawPage
    from collectors.run import build_source

    monkeypatch.setenv("BLUESKY_HANDLE", "hirepulse.example.org")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", "app-pass-word")
    template = fixture_json("bluesky", "searchPosts.json")["posts"][0]
    jane, kim = "did:plc:jane0sky0did", "did:plc:kim0did"
    source = build_source("bluesky", config_for(tmp_path, {"bluesky": {"enabled": True}}, companies=ACME))
    db_path = tmp_path / "hp.duckdb"

    def fetch(jane_handle: str, *older: str) -> db.UpsertStats:
        """A searchPosts answer in the recorded shape, Jane's account under ``jane_handle`` with her ``older`` posts
        too, stored as a run does."""
        posts = []
        for who, handle, rkey in ((jane, jane_handle, "3kjane1"), (jane, jane_handle, "3ksame"),
                                  (kim, "kim.bsky.social", "3ksame"),   # (an rkey another account has too)
                                  *((jane, jane_handle, rkey) for rkey in older)):
            post = copy.deepcopy(template)
            post["uri"] = f"at://{who}/app.bsky.feed.post/{rkey}"
            post["author"].update(did=who, handle=handle)
            post["record"]["text"] = f"Acme interview, {rkey} by {who}"
            posts.append(post)
        page = RawPage(url="u", status=200, body=json.dumps({"posts": posts}).encode(), query="Acme", company="Acme")
        with db.connect(db_path) as con:
            return db.upsert_mentions(con, list(source.parse(page)), salt="test-salt-not-secret")

    def forget_url(url: str, code: int = 0) -> tuple[str, str]:
        capsys.readouterr()
        assert main(["forget", "--url", url, "--db", str(db_path)]) == code
        said = capsys.readouterr()
        return said.out, said.err

    # her older post is fetched under the old handle only (a search finds recent posts)
    fetch("jane-old.bsky.social", "3kjane0")
    assert fetch("jane-new.bsky.social").updated == 2   # (renamed: her recent posts' links name the new handle now)
    # a link she kept from before the rename finds her post, by her DID
    out, _ = forget_url("https://bsky.app/profile/jane-old.bsky.social/post/3kjane1")
    assert out.startswith("deleted 1 mention of the 1 post named")
    # a handle tied to no stored account: the post of that rkey may be someone else's, so nothing is erased
    out, err = forget_url("https://bsky.app/profile/stranger.bsky.social/post/3ksame", code=1)
    assert err.count("\n") == 1 and err.startswith(
        "hirepulse: error: --url: the Bluesky link to post 3ksame names a handle no stored post ties to an account, "
        "and 2 posts of that id are stored under accounts it may not be: nothing erased;")
    assert "stranger" not in err
    assert len(rows(db_path)) == 3
    # a handle tied to Kim's account, with an rkey only Jane's post has: Kim's post (not stored) is meant, Jane's stays
    out, _ = forget_url("https://bsky.app/profile/kim.bsky.social/post/3kjane0")
    assert out.startswith("deleted 0 mentions")
    assert len(rows(db_path)) == 3
    # her old handle and the rkey Kim has too: hers only
    out, _ = forget_url("https://bsky.app/profile/Jane-Old.bsky.social/post/3ksame/")
    assert out.startswith("deleted 1 mention of the 1 post named")
    assert sorted(r["native_id"] for r in rows(db_path)) == [f"at://{jane}/app.bsky.feed.post/3kjane0",
                                                              f"at://{kim}/app.bsky.feed.post/3ksame"]
    # fetched again, under a third handle: hers stay out
    assert fetch("jane-third.bsky.social") == db.UpsertStats(unchanged=1, erased=2)
    # a handle she had that no stored post names any more (her posts fetched again since): cannot be told
    out, err = forget_url("https://bsky.app/profile/jane-new.bsky.social/post/3kjane0", code=1)
    assert err.startswith("hirepulse: error: --url: the Bluesky link to post 3kjane0 names a handle no stored post "
                          "ties to an account, and 1 post of that id is stored under accounts it may not be")


def test_a_collection_under_another_salt_is_refused_before_any_request_and_in_one_line(
        tmp_path: Path, httpserver, caplog: pytest.LogCaptureFixture) -> None:
    from collectors.run import collect_source
    from hirepulse.errors import DatabaseError

    host = httpserver.url_for("").rstrip("/")
    item = ("<item><title>Acme interview</title><link>{host}/p/1</link><guid>{host}/p/1</guid>"
            "<pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate><description>Acme ghosted me.</description></item>")
    config, db_path = serve_feed(httpserver, tmp_path, item.format(host=host))
    assert run("feeds", config, db_path).new == 1
    asked = len(httpserver.log)
    with pytest.raises(DatabaseError, match="the privacy salt given is not the one this database's keys"):
        collect_source("feeds", config, db_path, salt="a-salt-typed-wrong", backoff_base=0.05, max_wait=5.0, pace=0.0)
    assert len(httpserver.log) == asked   # (no request spent on posts that could not be stored)
    assert not [r for r in caplog.records if r.exc_info]


def test_an_erasure_that_matches_nothing_does_not_set_the_databases_salt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # (a database from before the check: a forget under a mistyped salt, deleting nothing, proves nothing about it)
    db_path = tmp_path / "hp.duckdb"
    store_as_before(db_path, Mention(source="hackernews", native_id="77", text="Acme was fine", author="bob",
                                     url="https://news.ycombinator.com/item?id=77",
                                     published_at=datetime(2025, 5, 1, tzinfo=timezone.utc)))
    with db.connect(db_path) as con:
        con.execute("DELETE FROM cursors WHERE source = 'privacy' AND key = '__salt__'")
    monkeypatch.setenv("HIREPULSE_SALT", "a-salt-typed-wrong")
    assert main(["forget", "--id", "hackernews:nope", "--db", str(db_path)]) == 0
    monkeypatch.setenv("HIREPULSE_SALT", "test-salt-not-secret")
    assert forget(db_path, capsys, "bob").startswith("deleted 1 mention")
