"""Alerts to the team's chat: the spikes a scheduled report finds, the export files a watched folder refuses.

Sent to an incoming webhook that takes a JSON body ``{"text": ...}`` (Slack, Mattermost, Rocket.Chat, Google
Chat, and Microsoft Teams' older incoming webhooks do). The webhook's URL is a secret that lets anyone post to
the channel, so it comes only from the environment variable that ``[alerts] webhook_env`` names, and is never
stored, printed or logged: a failed post is logged by its kind alone. A post that fails never fails the job
that sends it (the same lines are in the log).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from hirepulse import __version__
from hirepulse.config import Config
from hirepulse.privacy import redact

log = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # (httpx logs each request's URL at INFO: here, the secret)

TIMEOUT_SECONDS = 10.0
MAX_LINES = 20  # a chat message stays readable; the rest is in the log and the reports
REPOST_GROWTH = 2.0  # a spike told before is told again once its posts reach this many times the count told


def webhook_url(config: Config) -> str | None:
    """The webhook's URL from the environment, or None when ``[alerts]`` names no variable or it is unset."""
    name = config.alerts.webhook_env
    return (os.environ.get(name) or None) if name else None


def webhook_problem(config: Config) -> str | None:
    """Why the webhook's variable, set, cannot be posted to (said at start, in one line, never echoing the URL: it
    is a secret); None when it can, or when no variable is named or set (said by the callers in their own words)."""
    url = webhook_url(config)
    if url is None or _usable(url):
        return None
    return (f"{config.alerts.webhook_env} does not hold a webhook URL (http:// or https://, a host, no spaces or line "
            "breaks)")


def _usable(url: str) -> bool:
    if any(c.isspace() for c in url):
        return False
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def send(config: Config, title: str, lines: Sequence[str]) -> bool:
    """Post ``title`` and ``lines`` (at most :data:`MAX_LINES`) to the team's webhook. True when it took them;
    False when no webhook is set or the post failed (logged without the URL)."""
    url = webhook_url(config)
    if url is None:
        return False
    if not _usable(url):   # (a path without its scheme: httpx would say only "UnsupportedProtocol")
        log.warning("alert not sent: the webhook's URL in %s is not a valid URL", config.alerts.webhook_env)
        return False
    shown = [line.strip() for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(f"... and {len(lines) - MAX_LINES} more (see the log)")
    # (redacted as stored text is: a refused file's error may quote an address or a number from the file)
    text = redact("\n".join([title, *(f"• {line}" for line in shown)]))
    try:
        response = httpx.post(url, json={"text": text}, headers={"User-Agent": f"hirepulse/{__version__}"},
                              timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        log.warning("alert not sent: the webhook answered %d", exc.response.status_code)
        return False
    except httpx.HTTPError as exc:  # (its message may hold the URL: only its kind is logged)
        log.warning("alert not sent: %s reaching the webhook", type(exc).__name__)
        return False
    except (httpx.InvalidURL, ValueError):   # ("http://[::1/...", a pasted newline: not an HTTPError in httpx)
        log.warning("alert not sent: the webhook's URL in %s is not a valid URL", config.alerts.webhook_env)
        return False
    return True


# --------------------------------------------------------------------------- spikes told once

def spike_key(row: Any) -> str:
    """A spike's identity: its company, stage and week (its counts change as its week gains posts)."""
    return f"{row.company}|{row.stage}|{row.week.isoformat()}"


def told_spikes(db_path: str | os.PathLike[str]) -> dict[str, int]:
    """The spikes told to the team (posted, or warned of in the log when no webhook is set), each with the count
    it had when told: what the newest run ("alerts", "spikes") recorded. A record of an older version (a hash of
    the lines) tells nothing: its spikes are told once more."""
    from hirepulse import db

    with db.connect(db_path, read_only=True) as con:
        last = con.execute("SELECT detail FROM runs WHERE source = 'alerts' AND kind = 'spikes' AND status = 'ok' "
                           "ORDER BY started_at DESC, id DESC LIMIT 1").fetchone()
    told = json.loads(last[0] or "{}").get("spikes") if last else None
    return {str(k): int(v) for k, v in told.items()} if isinstance(told, dict) else {}


def news_of(spikes: Any, told: dict[str, int]) -> list[bool]:
    """For each row of a report's recent spikes: whether it is news to the team: never told, or grown to
    :data:`REPOST_GROWTH` times the posts it had when told. An ongoing spike whose week gains a post is not."""
    return [spike_key(row) not in told or row.mentions >= REPOST_GROWTH * told[spike_key(row)]
            for row in spikes.itertuples()]


def remember_told(db_path: str | os.PathLike[str], spikes: Any, news: Sequence[bool], told: dict[str, int],
                  since: date) -> None:
    """Record the spikes just told (with their counts now) beside those told before whose week is still in the
    report's window (from ``since``), as a run ("alerts", "spikes")."""
    from hirepulse import db

    kept = {key: count for key, count in told.items() if key.rsplit("|", 1)[-1] >= since.isoformat()}
    for row, new in zip(spikes.itertuples(), news):
        if new:
            kept[spike_key(row)] = int(row.mentions)
    with db.connect(db_path) as con:
        db.record_run(con, "alerts", "spikes", status="ok", detail={"spikes": kept})


def spikes_csv(out: str | os.PathLike[str]) -> str:
    """Where a report's spikes.csv is, as the chat message and the log say it."""
    return str(Path(out) / "spikes.csv")
