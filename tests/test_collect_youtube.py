"""YouTube: parse recorded-shape pages, page down to the cursor, budget and quota, skips, key hygiene, re-checks.

Every comment text here is synthetic (see tests/fixtures/youtube/README.md).
"""

from __future__ import annotations

import copy
import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from werkzeug import Request, Response

from collectors.base import DailyBudget, ParseError, RawPage
from collectors.run import build_source
from collectors.youtube import _pacific
from hirepulse import db
from hirepulse.config import STARTER_CONFIG, parse_config
from hirepulse.errors import ConfigError
from hirepulse.models import Mention
from hirepulse.privacy import author_key
from test_collect_support import (
    FIXTURES, SALT, _fresh_robots, config_for, fixture_json, paths, query_args, rows, run, runs, strip_fetched,
)

__all__ = ["_fresh_robots"]
SAMPLE = fixture_json("youtube", "commentThreads.json")
KEY = "synthetic-key-SECRET-0123456789"
THREADS, COMMENTS = "/youtube/v3/commentThreads", "/youtube/v3/comments"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
# Key paths of the real recorded response (api-samples/youtube_commentthreads.json), values left out.
RECORDED_SHAPE = {
    "kind", "etag", "nextPageToken", "pageInfo", "pageInfo.totalResults", "pageInfo.resultsPerPage", "items",
    *(f"items.[].{k}" for k in ("kind", "etag", "id", "snippet", "snippet.channelId", "snippet.videoId",
                                "snippet.topLevelComment", "snippet.canReply", "snippet.totalReplyCount",
                                "snippet.isPublic")),
    *(f"items.[].snippet.topLevelComment.{k}" for k in ("kind", "etag", "id", "snippet")),
    *(f"items.[].snippet.topLevelComment.snippet.{k}" for k in (
        "channelId", "videoId", "textDisplay", "textOriginal", "authorDisplayName", "authorProfileImageUrl",
        "authorChannelUrl", "authorChannelId", "authorChannelId.value", "canRate", "viewerRating", "likeCount",
        "publishedAt", "updatedAt")),
}


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOUTUBE_API_KEY", KEY)


def stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def comment(cid: str, video: str, text: str, when: datetime, *, parent: str | None = None,
            author: str = "UCsyntheticViewer0000001") -> dict[str, Any]:
    """A comment resource copied from the fixture (a reply when ``parent``), with new values."""
    item = copy.deepcopy(SAMPLE["items"][0]["replies"]["comments"][0] if parent else
                         SAMPLE["items"][0]["snippet"]["topLevelComment"])
    item["id"] = cid
    item["snippet"].update(videoId=video, textDisplay=text, textOriginal=text, publishedAt=stamp(when),
                           updatedAt=stamp(when), authorChannelId={"value": author})
    if parent:
        item["snippet"]["parentId"] = parent
    return item


def thread(tid: str, video: str, text: str, when: datetime, replies: list[tuple[str, datetime]] = ()) -> dict[str, Any]:
    item = copy.deepcopy(SAMPLE["items"][0])
    item["id"] = tid
    item["snippet"].update(videoId=video, topLevelComment=comment(tid, video, text, when), totalReplyCount=len(replies))
    item["replies"] = {"comments": [comment(f"{tid}.r{i}", video, rtext, rwhen, parent=tid)
                                    for i, (rtext, rwhen) in enumerate(replies)]}
    if not replies:
        del item["replies"]
    return item


def threads(video: str, count: int, *, start: datetime = NOW - timedelta(days=2), first: int = 0) -> list[dict]:
    """``count`` threads 10 minutes apart (newest last), each talking about hiring, numbered from ``first``."""
    return [thread(f"Ug{video}{first + i:04d}", video, f"Synthetic {first + i}: my interview went fine",
                   start + timedelta(minutes=10 * i)) for i in range(count)]


def error_body(reason: str) -> tuple[str, int]:
    body = (FIXTURES / "youtube" / f"error_{reason}.json").read_text()
    return body, json.loads(body)["error"]["code"]


class FakeYouTube:
    """``commentThreads.list`` (videoId or allThreadsRelatedToChannelId, order=time, pageToken) and
    ``comments.list?id=``, in the recorded shapes; ``fail`` answers chosen calls with an error instead."""

    def __init__(self, by_target: dict[str, list[dict]], *, broken: dict[str, str] | None = None) -> None:
        self.by_target = by_target
        self.broken = broken or {}            # target id -> error reason
        self.fail: dict[int, tuple[str, int]] = {}   # thread call number -> (body, status)
        self.calls = 0
        self.deleted: set[str] = set()
        self.batches: list[list[str]] = []

    def _live(self, item: dict) -> dict | None:
        if item["id"] in self.deleted:
            return None
        item = copy.deepcopy(item)
        if "replies" in item:
            item["replies"]["comments"] = [c for c in item["replies"]["comments"] if c["id"] not in self.deleted]
        return item

    def threads(self, request: Request) -> Response:
        self.calls += 1
        if self.calls in self.fail:
            body, status = self.fail[self.calls]
            return Response(body, status=status, content_type="application/json; charset=UTF-8")
        args = request.args
        target = args.get("videoId") or args.get("allThreadsRelatedToChannelId")
        if target in self.broken:
            body, status = error_body(self.broken[target])
            return Response(body, status=status, content_type="application/json; charset=UTF-8")
        items = [t for t in map(self._live, self.by_target.get(target, [])) if t]
        items.sort(key=lambda t: t["snippet"]["topLevelComment"]["snippet"]["publishedAt"], reverse=True)
        size, start = int(args["maxResults"]), int(args.get("pageToken", "synthetic-page-0").rsplit("-", 1)[1])
        page = items[start:start + size]
        body = {"kind": SAMPLE["kind"], "etag": f"synthetic-etag-{start}"}
        if start + size < len(items):
            body["nextPageToken"] = f"synthetic-page-{start + size}"
        body.update(pageInfo={"totalResults": len(page), "resultsPerPage": len(page)}, items=page)
        return Response(json.dumps(body), content_type="application/json; charset=UTF-8")

    def comments(self, request: Request) -> Response:
        wanted = request.args["id"].split(",")
        self.batches.append(wanted)
        known = {c["id"] for t in self.by_target.values() for t_ in t
                 for c in (t_["snippet"]["topLevelComment"], *t_.get("replies", {}).get("comments", []))}
        items = [{"kind": "youtube#comment", "etag": "synthetic-etag", "id": i} for i in wanted
                 if i in known and i not in self.deleted]
        return Response(json.dumps({"kind": "youtube#commentListResponse", "etag": "synthetic-etag",
                                    "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
                                    "items": items}), content_type="application/json; charset=UTF-8")


def serve(httpserver, api: FakeYouTube) -> str:
    httpserver.expect_request(THREADS).respond_with_handler(api.threads)
    httpserver.expect_request(COMMENTS).respond_with_handler(api.comments)
    return httpserver.url_for("").rstrip("/")


def youtube(base: str, **options: Any) -> dict[str, Any]:
    return {"enabled": True, "base_url": base, **options}


def cursor(db_path: Path, key: str) -> str | None:
    with db.connect(db_path, read_only=True) as con:
        found = db.get_cursor(con, "youtube", key)
    return found.value if found else None


def units(db_path: Path) -> dict[str, Any]:
    return json.loads(cursor(db_path, "__units__") or "{}")


def set_cursor(db_path: Path, key: str, value: str) -> None:
    with db.connect(db_path) as con:
        db.set_cursor(con, "youtube", key, db.Cursor(value))


# --------------------------------------------------------------------------- parsing recorded pages


def test_fixture_has_the_recorded_shape() -> None:
    def shape(value: Any, prefix: str = "") -> set[str]:
        out: set[str] = set()
        if isinstance(value, dict):
            for key, inner in value.items():
                out |= {prefix + key} | shape(inner, prefix + key + ".")
        elif isinstance(value, list):
            for inner in value:
                out |= shape(inner, prefix + "[].")
        return out

    page = copy.deepcopy(SAMPLE)
    for item in page["items"]:
        item.pop("replies", None)          # part=replies: the documented addition to the recorded page
    assert shape(page) == RECORDED_SHAPE
    replies = [c for t in SAMPLE["items"] for c in t.get("replies", {}).get("comments", [])]
    top = SAMPLE["items"][0]["snippet"]["topLevelComment"]
    assert replies and all(set(r) == set(top) and set(r["snippet"]) == set(top["snippet"]) | {"parentId"}
                           for r in replies)


def test_parse_recorded_page(tmp_path: Path) -> None:
    source = build_source("youtube", config_for(tmp_path, {"youtube": {"video_ids": {"Acme": ["SYNTHvid001"]}}}))
    page = RawPage(url="https://www.googleapis.com/youtube/v3/commentThreads?videoId=SYNTHvid001", status=200,
                   body=(FIXTURES / "youtube" / "commentThreads.json").read_bytes(), query="video:SYNTHvid001",
                   company="Acme Corp")
    t1, t2 = "UgzSynthThread0001AaABAg", "UgxSynthThread0002AaABAg"

    def expected(cid: str, text: str, when: str, viewer: int, query: str) -> Mention:
        return Mention(source="youtube", native_id=cid, text=text, url=f"https://www.youtube.com/watch?v=SYNTHvid001&lc={cid}",
                       published_at=datetime.fromisoformat(when), company="Acme Corp",
                       author=f"UCsyntheticViewer{viewer:07d}", kind="comment", query=query, fetched_at=None)  # type: ignore[arg-type]

    assert strip_fetched(source.parse(page)) == [
        expected(t1, "Synthetic comment: the recruiter called me two days after my interview and was clear about the "
                 "next steps.", "2024-05-24T10:36:55+00:00", 1, "video:SYNTHvid001 +hiring"),
        # replies in a thread about hiring are kept, with or without a hiring word of their own
        expected(f"{t1}.9zSynthReply0001", "Synthetic reply: same for me, they answered every question.",
                 "2024-05-24T12:00:00+00:00", 2, "video:SYNTHvid001"),
        expected(f"{t1}.9zSynthReply0002", "Synthetic reply: how long until you heard back?",
                 "2024-05-24T13:30:00+00:00", 3, "video:SYNTHvid001"),
        # the soundtrack comment is not kept; its reply about applying is
        expected(f"{t2}.9zSynthReply0003", "Synthetic reply: I applied there in spring and got ghosted after the "
                 "phone screen.", "2024-05-23T09:15:00+00:00", 5, "video:SYNTHvid001 +hiring"),
    ]


def test_parse_skips_threads_that_are_not_public_and_rejects_a_changed_shape(tmp_path: Path) -> None:
    source = build_source("youtube", config_for(tmp_path, {"youtube": {"video_ids": {"Acme": ["SYNTHvid001"]}}}))
    hidden = copy.deepcopy(SAMPLE)
    hidden["items"][0]["snippet"]["isPublic"] = False
    parsed = list(source.parse(RawPage(url="u", status=200, body=json.dumps(hidden).encode(), query="q")))
    assert [m.native_id for m in parsed] == ["UgxSynthThread0002AaABAg.9zSynthReply0003"]
    broken = copy.deepcopy(SAMPLE)
    del broken["items"][0]["snippet"]["topLevelComment"]["snippet"]["publishedAt"]
    with pytest.raises(ParseError, match="publishedAt"):
        list(source.parse(RawPage(url="u", status=200, body=json.dumps(broken).encode(), query="q")))
    with pytest.raises(ParseError, match="no items list"):
        list(source.parse(RawPage(url="u", status=200, body=b'{"kind": "youtube#commentThreadListResponse"}')))


# --------------------------------------------------------------------------- fetching


def test_pages_down_to_the_cursor_and_a_second_run_fetches_nothing_new(tmp_path: Path, httpserver) -> None:
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 250)})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    db_path = tmp_path / "hp.duckdb"
    first = run("youtube", config, db_path)
    assert (first.status, first.new, first.requests, first.pages) == ("ok", 250, 3, 3), first.error
    sent = [query_args(p) for p in paths(httpserver)]
    assert [a.get("pageToken") for a in sent] == [None, "synthetic-page-100", "synthetic-page-200"]
    assert {(a["part"], a["videoId"], a["order"], a["maxResults"], a["textFormat"]) for a in sent} == {
        ("snippet,replies", "SYNTHvid001", "time", "100", "plainText")}
    # the key in its header, in no URL
    assert {request.headers.get("X-Goog-Api-Key") for request, _ in httpserver.log} == {KEY}
    assert not [a for a in sent if "key" in a]
    newest = NOW - timedelta(days=2) + timedelta(minutes=10 * 249)
    assert cursor(db_path, "video:SYNTHvid001") == newest.isoformat()
    assert units(db_path)["spent"] == 3

    api.by_target["SYNTHvid001"] += threads("SYNTHvid001", 5, start=newest + timedelta(minutes=5), first=250)
    httpserver.clear_log()
    second = run("youtube", config, db_path)
    # page 1 reaches back past the cursor minus the 2-hour look-back: no second page is asked for
    assert (second.new, second.requests) == (5, 1) and "pageToken" not in paths(httpserver)[0]
    httpserver.clear_log()
    third = run("youtube", config, db_path)
    assert (third.status, third.new, third.updated, third.requests) == ("ok", 0, 0, 1)
    assert len(rows(db_path)) == 255 and units(db_path)["spent"] == 5


def test_replies_hiring_filter_and_company_of_each_video_and_channel(tmp_path: Path, httpserver) -> None:
    when = NOW - timedelta(hours=5)
    acme_video = [
        thread("UgA1", "SYNTHvid001", "Synthetic: the whole interview loop took one afternoon", when,
               [("Synthetic: nice", when + timedelta(minutes=1))]),
        thread("UgA2", "SYNTHvid001", "Synthetic: what camera is this?", when - timedelta(minutes=1),
               [("Synthetic: no idea, but their recruiter never answered me", when)]),
        thread("UgA3", "SYNTHvid001", "Synthetic: first!", when - timedelta(minutes=2)),
    ]
    globex_channel = [thread("UgG1", "SYNTHvid777", "Synthetic: got the job offer after two rounds", when),
                      thread("UgG2", "SYNTHvid778", "Synthetic: great song", when)]
    api = FakeYouTube({"SYNTHvid001": acme_video, "UCsyntheticChannel000009": globex_channel})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]},
                                                      channel_ids={"Globex": ["UCsyntheticChannel000009"]})})
    db_path = tmp_path / "hp.duckdb"
    assert run("youtube", config, db_path).new == 4
    stored = {r["native_id"]: (r["company"], r["url"], r["query"]) for r in rows(db_path)}
    assert stored == {
        "UgA1": ("Acme Corp", "https://www.youtube.com/watch?v=SYNTHvid001&lc=UgA1", "video:SYNTHvid001 +hiring"),
        "UgA1.r0": ("Acme Corp", "https://www.youtube.com/watch?v=SYNTHvid001&lc=UgA1.r0", "video:SYNTHvid001"),
        "UgA2.r0": ("Acme Corp", "https://www.youtube.com/watch?v=SYNTHvid001&lc=UgA2.r0", "video:SYNTHvid001 +hiring"),
        "UgG1": ("Globex", "https://www.youtube.com/watch?v=SYNTHvid777&lc=UgG1",
                 "channel:UCsyntheticChannel000009 +hiring"),
    }
    channel_call = query_args([p for p in paths(httpserver) if "allThreadsRelatedToChannelId" in p][0])
    assert channel_call["allThreadsRelatedToChannelId"] == "UCsyntheticChannel000009" and "videoId" not in channel_call


def test_quota_exceeded_mid_run_keeps_what_was_stored_and_stops_for_the_day(tmp_path: Path, httpserver) -> None:
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 250)})
    api.fail[3] = error_body("quotaExceeded")
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    db_path = tmp_path / "hp.duckdb"
    first = run("youtube", config, db_path)
    assert first.status == "error" and first.new == 200
    assert first.error == ("youtube: the API project's daily quota is used up (quotaExceeded): nothing more is asked "
                           "until midnight Pacific time; what was fetched before is kept")
    assert cursor(db_path, "video:SYNTHvid001") is None          # the 50 oldest were not stored: no cursor
    assert units(db_path) | {"day": None} == {"day": None, "spent": 3, "exhausted": True}

    httpserver.clear_log()
    set_cursor(db_path, "__recheck__", "2000-01-01T00:00:00+00:00")   # a due re-check waits too
    again = run("youtube", config, db_path)
    assert (again.status, again.requests, httpserver.log) == ("stopped", 0, [])
    assert "quotaExceeded" in again.error and "midnight Pacific time" in again.error

    set_cursor(db_path, "__units__", json.dumps({"day": "2000-01-01", "spent": 9999, "exhausted": True}))
    api.fail.clear()
    next_day = run("youtube", config, db_path)
    assert (next_day.status, next_day.new, next_day.skipped) == ("ok", 50, 200), next_day.error
    assert cursor(db_path, "video:SYNTHvid001") is not None and units(db_path)["exhausted"] is False


def test_quota_exceeded_on_the_first_request_is_remembered_for_the_day(tmp_path: Path, httpserver) -> None:
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 3)})
    api.fail[1] = error_body("quotaExceeded")
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    db_path = tmp_path / "hp.duckdb"
    first = run("youtube", config, db_path)
    assert (first.status, first.new, first.requests) == ("error", 0, 1) and "quotaExceeded" in first.error
    assert (units(db_path)["spent"], units(db_path)["exhausted"]) == (1, True)   # stored with nothing else
    httpserver.clear_log()
    assert (run("youtube", config, db_path).status, httpserver.log) == ("stopped", [])


def test_daily_budget_stops_cleanly_across_runs_and_videos(tmp_path: Path, httpserver, caplog) -> None:
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 250), "SYNTHvid002": threads("SYNTHvid002", 10)})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), daily_units=3,
                                                      video_ids={"Acme": ["SYNTHvid001", "SYNTHvid002"]})})
    db_path = tmp_path / "hp.duckdb"
    caplog.set_level(logging.WARNING, logger="collectors.youtube")
    first = run("youtube", config, db_path)
    assert (first.status, first.new, first.requests) == ("stopped", 250, 3)
    assert first.error.startswith("the daily_units budget of 3 is spent (3 today)")
    assert {query_args(p)["videoId"] for p in paths(httpserver)} == {"SYNTHvid001"}
    assert cursor(db_path, "video:SYNTHvid001") is not None and cursor(db_path, "video:SYNTHvid002") is None
    assert [r.getMessage() for r in caplog.records] == [f"youtube: stopped: {first.error}"]
    assert runs(db_path)[-1]["status"] == "stopped"

    httpserver.clear_log()
    second = run("youtube", config, db_path)
    assert (second.status, second.requests, httpserver.log) == ("stopped", 0, [])


def test_a_video_with_comments_disabled_or_gone_is_skipped_once_and_the_rest_goes_on(tmp_path: Path, httpserver,
                                                                                     caplog) -> None:
    api = FakeYouTube({"SYNTHvid002": threads("SYNTHvid002", 3)},
                      broken={"SYNTHvid001": "commentsDisabled", "SYNTHvid003": "videoNotFound"})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api),
                                                      video_ids={"Acme": ["SYNTHvid001", "SYNTHvid002", "SYNTHvid003"]})})
    caplog.set_level(logging.WARNING, logger="collectors.youtube")
    db_path = tmp_path / "hp.duckdb"
    result = run("youtube", config, db_path)
    assert (result.status, result.new, result.requests) == ("ok", 3, 3), result.error
    assert [r.getMessage() for r in caplog.records] == [
        "youtube: video:SYNTHvid001 skipped: its comments are disabled (commentsDisabled)",
        "youtube: video:SYNTHvid003 skipped: no such video (videoNotFound)"]
    assert cursor(db_path, "video:SYNTHvid001") is None and cursor(db_path, "video:SYNTHvid002") is not None


@pytest.mark.parametrize("key_env", [None, "HP_TEST_YT_KEY"])
def test_a_missing_key_names_the_variable_and_sends_nothing(tmp_path: Path, httpserver, monkeypatch, key_env) -> None:
    monkeypatch.delenv("YOUTUBE_API_KEY")
    options = youtube(httpserver.url_for("").rstrip("/"), video_ids={"Acme": ["SYNTHvid001"]})
    if key_env:
        options["key_env"] = key_env
    result = run("youtube", config_for(tmp_path, {"youtube": options}), tmp_path / "hp.duckdb")
    assert result.status == "error" and httpserver.log == []
    assert result.error == (f"youtube: no API key: set the environment variable {key_env or 'YOUTUBE_API_KEY'} "
                            "([sources.youtube] key_env)")


def test_a_refused_key_names_the_variable_not_the_key(tmp_path: Path, httpserver) -> None:
    body, status = error_body("keyInvalid")
    httpserver.expect_request(THREADS).respond_with_data(body, status=status, content_type="application/json")
    config = config_for(tmp_path, {"youtube": youtube(httpserver.url_for("").rstrip("/"),
                                                      video_ids={"Acme": ["SYNTHvid001"]})})
    result = run("youtube", config, tmp_path / "hp.duckdb")
    assert result.error == "youtube: the API key in YOUTUBE_API_KEY was refused (HTTP 400 keyInvalid)"


def test_the_key_never_reaches_rows_cursors_runs_or_logs(tmp_path: Path, httpserver, caplog) -> None:
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 3)})
    api.fail[1] = ("busy", 503)                                   # retried: the retry is logged with its URL
    httpserver.expect_request(THREADS, query_string={"part": "snippet,replies", "videoId": "SYNTHvid002",
                                                     "order": "time", "maxResults": "100", "textFormat": "plainText"},
                            headers={"X-Goog-Api-Key": KEY}).respond_with_json(
        {"error": {"code": 400, "message": f"Synthetic: the key {KEY} is not allowed here",
                   "errors": [{"message": "x", "domain": "global", "reason": "badRequest"}]}}, status=400)
    base = serve(httpserver, api)
    config = config_for(tmp_path, {"youtube": youtube(base, video_ids={"Acme": ["SYNTHvid001", "SYNTHvid002"]})})
    caplog.set_level(logging.DEBUG)
    db_path = tmp_path / "hp.duckdb"
    result = run("youtube", config, db_path)
    assert result.status == "error" and result.new == 3
    assert result.error.startswith(f"HTTP 400 from {base}{THREADS}?") and "badRequest: Synthetic: the key [key]" in result.error
    assert any(r.getMessage().startswith(f"retrying {base}{THREADS}?part=") for r in caplog.records)
    with db.connect(db_path, read_only=True) as con:
        everything = json.dumps([con.execute(f"SELECT * FROM {t}").fetchall() for t in ("mentions", "cursors", "runs")],
                                default=str)
    assert "SYNTHvid001" in everything and "synthetic-viewer" not in everything    # no display name either
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))  # (the fake API's log)
    assert KEY not in everything and KEY not in ours and KEY not in result.error


def test_author_is_a_salted_hash_and_contact_details_are_redacted(tmp_path: Path, httpserver) -> None:
    text = "Synthetic: the recruiter said to call +1 555 010 4477 or mail jo.synthetic@example.com after the interview"
    api = FakeYouTube({"SYNTHvid001": [thread("UgR1", "SYNTHvid001", text, NOW - timedelta(hours=3))]})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    db_path = tmp_path / "hp.duckdb"
    run("youtube", config, db_path)
    [row] = rows(db_path, "youtube")
    assert row["text"] == "Synthetic: the recruiter said to call [phone] or mail [email] after the interview"
    assert row["author_key"] == author_key("UCsyntheticViewer0000001", SALT)
    assert "UCsyntheticViewer0000001" not in json.dumps(row, default=str)
    # erasure takes the channel id, as docs/sources.md tells a commenter to give it
    from hirepulse.cli import main

    config_path = tmp_path / "hirepulse.toml"
    config_path.write_text('[[companies]]\nname = "Acme"\n', encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIREPULSE_SALT", SALT)
        assert main(["forget", "--db", str(db_path), "--config", str(config_path), "--author", "@synthetic-viewer-1"]) == 0
        assert len(rows(db_path, "youtube")) == 1                 # the display handle is not what was stored
        assert main(["forget", "--db", str(db_path), "--config", str(config_path),
                     "--author", "UCsyntheticViewer0000001"]) == 0
    assert rows(db_path, "youtube") == []


def test_recheck_deletes_comments_no_longer_returned_before_fetching(tmp_path: Path, httpserver) -> None:
    items = threads("SYNTHvid001", 60, start=NOW - timedelta(days=3))
    for item in items[:5]:
        item["replies"] = {"comments": [comment(f"{item['id']}.r0", "SYNTHvid001", "Synthetic: same",
                                                NOW - timedelta(days=1), parent=item["id"])]}
    api = FakeYouTube({"SYNTHvid001": items})
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    db_path = tmp_path / "hp.duckdb"
    assert run("youtube", config, db_path).new == 65
    assert api.batches == []                                    # what was just fetched exists
    api.deleted |= {"UgSYNTHvid0010000", "UgSYNTHvid0010042", "UgSYNTHvid0010003.r0"}
    set_cursor(db_path, "__recheck__", "2000-01-01T00:00:00+00:00")
    httpserver.clear_log()
    result = run("youtube", config, db_path)
    assert (result.status, result.deleted) == ("ok", 3), result.error
    assert sorted(len(b) for b in api.batches) == [15, 50]      # comment ids, 50 a request
    assert [p.split("?")[0] for p in paths(httpserver)] == [COMMENTS, COMMENTS, THREADS]   # forgetting first
    assert {a["part"] for a in map(query_args, paths(httpserver)[:2])} == {"id"}
    assert {request.headers.get("X-Goog-Api-Key") for request, _ in httpserver.log} == {KEY}
    kept = {r["native_id"] for r in rows(db_path)}
    assert len(kept) == 62 and not kept & api.deleted
    assert units(db_path)["spent"] == 1 + 3                     # one fetch, two re-check batches, one fetch


def test_recheck_covers_every_stored_comment_however_old(tmp_path: Path, httpserver) -> None:
    """YouTube's storage limit runs from when a comment was stored: a comment posted years ago and
    collected today is re-checked as well (recheck_max_age_days = 0, the default); a window, when set,
    leaves the old ones out."""
    items = threads("SYNTHvid001", 3, start=NOW - timedelta(days=900))
    api = FakeYouTube({"SYNTHvid001": items})
    db_path = tmp_path / "hp.duckdb"
    config = config_for(tmp_path, {"youtube": youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]})})
    assert run("youtube", config, db_path).new == 3
    api.deleted |= {items[0]["id"]}
    set_cursor(db_path, "__recheck__", "2000-01-01T00:00:00+00:00")
    windowed = config_for(tmp_path, {"youtube": {**youtube(serve(httpserver, api), video_ids={"Acme": ["SYNTHvid001"]}),
                                                 "recheck_max_age_days": 30}})
    assert run("youtube", windowed, db_path).deleted == 0 and api.batches == []   # 900 days old: outside the window
    set_cursor(db_path, "__recheck__", "2000-01-01T00:00:00+00:00")
    result = run("youtube", config, db_path)
    assert (result.status, result.deleted) == ("ok", 1) and [len(b) for b in api.batches] == [3]
    assert {r["native_id"] for r in rows(db_path)} == {items[1]["id"], items[2]["id"]}


def test_base_url_default_and_override(tmp_path: Path, httpserver) -> None:
    config = config_for(tmp_path, {"youtube": {"video_ids": {"Acme": ["SYNTHvid001"]}}})
    assert build_source("youtube", config).base_url == "https://www.googleapis.com"
    api = FakeYouTube({"SYNTHvid001": threads("SYNTHvid001", 2)})
    base = serve(httpserver, api)
    run("youtube", config_for(tmp_path, {"youtube": youtube(base + "/", video_ids={"Acme": ["SYNTHvid001"]})}),
        tmp_path / "hp.duckdb")
    assert [p.split("?")[0] for p in paths(httpserver)] == [THREADS]


# --------------------------------------------------------------------------- budget day and configuration


def test_the_budget_day_ends_at_midnight_pacific_time() -> None:
    budget = DailyBudget(10, _pacific())
    summer_before, summer_after = datetime(2024, 7, 2, 6, 59, tzinfo=timezone.utc), datetime(2024, 7, 2, 7, 0, tzinfo=timezone.utc)
    budget.load(None, now=summer_before)
    budget.spend(4, now=summer_before)
    assert (budget.day, budget.left(now=summer_before)) == ("2024-07-01", 6)
    budget.load(budget.dump(), now=summer_before)
    assert budget.spent == 4
    assert (budget.left(now=summer_after), budget.day) == (10, "2024-07-02")    # PDT: UTC-7
    winter = datetime(2024, 1, 2, 7, 30, tzinfo=timezone.utc)
    budget.load(json.dumps({"day": "2024-01-01", "spent": 10, "exhausted": True}), now=winter)
    assert budget.left(now=winter) == 0                                          # PST: still the 1st
    budget.load("not json", now=winter)
    assert (budget.spent, budget.exhausted) == (0, False)


def test_starter_config_has_youtube_disabled() -> None:
    source = parse_config(STARTER_CONFIG).sources["youtube"]
    assert (source.enabled, source.base_url, source.get("key_env"), source.get("daily_units")) == (
        False, "https://www.googleapis.com", "YOUTUBE_API_KEY", 2000)
    assert (source.get("recheck_days"), source.get("recheck_max_age_days"), source.get("video_ids")) == (7, 0, {})


COMPANIES_TOML = '[[companies]]\nname = "Acme Corp"\naliases = ["Acme"]\ncompetitors = ["Globex"]\n\n[sources.youtube]\n'


@pytest.mark.parametrize(("line", "message"), [
    ('video_ids = { "Initech" = ["SYNTHvid001"] }',
     "[sources.youtube] video_ids: company 'Initech' is not in [[companies]] (a name, alias or competitor)"),
    ('video_ids = { "Acme" = ["https://www.youtube.com/watch?v=SYNTHvid001"] }',
     "[sources.youtube] video_ids: 'https://www.youtube.com/watch?v=SYNTHvid001' is not an id"),
    ('channel_ids = { "Acme" = ["@AcmeCareers"] }', "[sources.youtube] channel_ids: '@AcmeCareers' is not an id"),
    ('channel_ids = { "Acme" = "UCsyntheticChannel000001" }', "must map to a list of ids"),
    ('video_ids = { "Acme" = ["SYNTHvid001"], "Globex" = ["SYNTHvid001"] }',
     "'SYNTHvid001' is listed for both 'Acme Corp' and 'Globex'"),
    ('video_ids = ["SYNTHvid001"]', "key 'video_ids' must be a table"),
    ("daily_units = 0", "daily_units must be at least 1"),
])
def test_config_errors_name_the_key_and_line(line: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(COMPANIES_TOML + line + "\n", "hp.toml")
    assert message in str(caught.value) and str(caught.value).startswith("hp.toml:7:")


def test_ids_map_to_canonical_company_names(tmp_path: Path) -> None:
    config = parse_config(COMPANIES_TOML + 'video_ids = { "acme" = ["a1"], "Acme Corp" = ["a2", "a1"], "GLOBEX" = ["g1"] }\n')
    assert config.sources["youtube"].get("video_ids") == {"Acme Corp": ("a1", "a2"), "Globex": ("g1",)}
    source = build_source("youtube", config)
    assert [(q.key, q.company, q.params) for q in source.queries()] == [
        ("video:a1", "Acme Corp", {"filter": "videoId"}), ("video:a2", "Acme Corp", {"filter": "videoId"}),
        ("video:g1", "Globex", {"filter": "videoId"})]


def test_nothing_configured_to_read_is_a_clear_error(tmp_path: Path) -> None:
    result = run("youtube", config_for(tmp_path, {"youtube": {"enabled": True}}), tmp_path / "hp.duckdb")
    assert result.status == "error" and "list videos or channels per company in [sources.youtube]" in result.error


def test_status_says_what_the_quota_day_has_spent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hirepulse.cli import main

    db_path = tmp_path / "hp.duckdb"
    config_path = tmp_path / "hirepulse.toml"
    config_path.write_text('[[companies]]\nname = "Acme"\n\n[sources.youtube]\ndaily_units = 500\n', encoding="utf-8")
    today = datetime.now(_pacific()).date().isoformat()
    set_cursor(db_path, "__units__", json.dumps({"day": today, "spent": 42, "exhausted": False}))
    assert main(["status", "--db", str(db_path), "--config", str(config_path)]) == 0
    assert (f"  youtube: 42 of 500 API units spent on the quota day {today} (it ends at midnight Pacific time)"
            in capsys.readouterr().out)
    set_cursor(db_path, "__units__", json.dumps({"day": "2000-01-01", "spent": 500, "exhausted": True}))
    assert main(["status", "--db", str(db_path), "--config", str(config_path)]) == 0
    assert f"  youtube: 0 of 500 API units spent on the quota day {today}" in capsys.readouterr().out   # a new day
    set_cursor(db_path, "__units__", json.dumps({"day": today, "spent": 7, "exhausted": True}))
    assert main(["status", "--db", str(db_path), "--config", str(config_path)]) == 0
    assert "  youtube: the API said the project's quota is used up on the quota day" in capsys.readouterr().out
