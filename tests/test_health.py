"""Collection health from the runs log, as the dashboard reads it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from hirepulse import db
from hirepulse.config import parse_config
from hirepulse.health import collection_health
from hirepulse.models import Mention

CONFIG = parse_config("""
[[companies]]
name = "Acme"
[sources.hackernews]
schedule = "15 */4 * * *"
[sources.reddit]
enabled = false
""")


def test_health_per_source(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    when = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    with db.connect(path) as con:
        db.upsert_mentions(con, [Mention(source="hackernews", native_id=str(i), text="Acme", published_at=when)
                                 for i in range(3)], salt="s")
        db.record_run(con, "hackernews", "collect", status="ok", new=3)
        db.record_run(con, "hackernews", "collect", status="error", error="HTTP 503 from https://hn.algolia.com/x")
        db.record_run(con, "hackernews", "collect", status="ok", new=0)
        db.record_run(con, "gdelt", "collect", status="error", error="rate limited")
        db.record_run(con, "youtube", "collect", status="stopped", new=4, error="the daily_units budget of 2 is spent")
        db.record_run(con, "stackexchange", "collect", status="stopped", error="stop signal")
        db.record_run(con, "stackexchange", "collect", status="ok", new=1)
        db.record_run(con, "import", "import", status="ok", new=10)
    with db.connect(path, read_only=True) as con:
        health = {h["source"]: h for h in collection_health(con, CONFIG, now=when)}
    hn = health["hackernews"]
    assert (hn["enabled"], hn["mentions_stored"], hn["new_in_last_run"], hn["runs"], hn["last_status"]) == (True, 3, 0, 3, "ok")
    assert hn["last_error"] == "HTTP 503 from https://hn.algolia.com/x" and hn["last_success_at"] >= hn["last_error_at"]
    assert hn["next_run_at"] == datetime(2024, 5, 1, 12, 15, tzinfo=timezone.utc)
    assert health["gdelt"]["last_success_at"] is None and health["gdelt"]["last_error"] == "rate limited"
    assert health["reddit"]["enabled"] is False and health["reddit"]["next_run_at"] is None
    assert health["mastodon"]["runs"] == 0 and health["mastodon"]["mentions_stored"] == 0
    # why the last run stopped early, while it is the last: a spent budget is not an error
    youtube = health["youtube"]
    assert (youtube["last_status"], youtube["stopped_because"], youtube["last_error"]) == (
        "stopped", "the daily_units budget of 2 is spent", None)
    assert health["stackexchange"]["stopped_because"] is None and hn["stopped_because"] is None
    assert list(health) == ["hackernews", "mastodon", "stackexchange", "feeds", "web", "gdelt", "reddit", "bluesky",
                            "youtube"]
