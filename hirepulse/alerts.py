"""Alerts to the team's chat: the spikes a scheduled report finds, the export files a watched folder refuses.

Sent to an incoming webhook that takes a JSON body ``{"text": ...}`` (Slack, Mattermost, Rocket.Chat, Google
Chat, and Microsoft Teams' older incoming webhooks do). The webhook's URL is a secret that lets anyone post to
the channel, so it comes only from the environment variable that ``[alerts] webhook_env`` names, and is never
stored, printed or logged: a failed post is logged by its kind alone. A post that fails never fails the job
that sends it (the same lines are in the log).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

import httpx

from hirepulse import __version__
from hirepulse.config import Config
from hirepulse.privacy import redact

log = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # (httpx logs each request's URL at INFO: here, the secret)

TIMEOUT_SECONDS = 10.0
MAX_LINES = 20  # a chat message stays readable; the rest is in the log and the reports


def webhook_url(config: Config) -> str | None:
    """The webhook's URL from the environment, or None when ``[alerts]`` names no variable or it is unset."""
    name = config.alerts.webhook_env
    return (os.environ.get(name) or None) if name else None


def send(config: Config, title: str, lines: Sequence[str]) -> bool:
    """Post ``title`` and ``lines`` (at most :data:`MAX_LINES`) to the team's webhook. True when it took them;
    False when no webhook is set or the post failed (logged without the URL)."""
    url = webhook_url(config)
    if url is None:
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
