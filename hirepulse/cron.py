"""Crontab expressions as cron reads them, turned into APScheduler triggers.

APScheduler 3's ``CronTrigger.from_crontab`` numbers the days of the week from Monday = 0, so the
crontab line ``0 6 * * 1`` (Monday in cron, and in the README's weekly report) fired on Tuesdays,
``1-5`` ran Tuesday to Saturday, and ``7`` (Sunday) was refused. Here the day-of-week field is read as
cron reads it (0 and 7 Sunday, 1 Monday, names, ranges, lists and steps) and handed to APScheduler by
name. As in cron, a line that restricts both the day of the month and the day of the week fires on
either (``0 6 1 * 1``: the 1st, and every Monday).
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")   # cron's numbers: 0 (and 7) is Sunday


def _day(token: str) -> int:
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    if token in _CRON_DAYS:
        return _CRON_DAYS.index(token)
    raise ValueError(f"{token!r} is not a day of the week (0-7, Sunday being 0 or 7, or sun-sat)")


def cron_days(field: str) -> set[int]:
    """The days a crontab day-of-week field names, as cron numbers them (0 Sunday .. 6 Saturday).

    Raises:
        ValueError: a malformed field.
    """
    days: set[int] = set()
    for item in field.lower().split(","):
        part, slash, step_text = item.partition("/")
        if slash and not (step_text.isdigit() and int(step_text) > 0):
            raise ValueError(f"{item!r}: a step must be a whole number above 0")
        step = int(step_text) if slash else 1
        if part == "*":
            low, high = 0, 6
        elif "-" in part:
            first, _, last = part.partition("-")
            low, high = _day(first), _day(last)
            if low > high:
                raise ValueError(f"{item!r}: a range of days must run forward (cron has no wrapping ranges)")
        else:
            low = _day(part)
            high = 6 if slash else low
        days |= {d % 7 for d in range(low, high + 1, step)}
    return days


def cron_trigger(expr: str, timezone: tzinfo | str) -> BaseTrigger:
    """The trigger of a 5-field crontab expression, its day-of-week field read as cron reads it.

    Raises:
        ValueError: not five fields, or a field APScheduler or :func:`cron_days` refuses.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"Wrong number of fields; got {len(fields)}, expected 5")
    minute, hour, day, month, weekday = fields
    days = cron_days(weekday)
    by_name = "*" if len(days) == 7 else ",".join(_CRON_DAYS[d] for d in sorted(days))
    if day.startswith("*") or weekday.startswith("*"):   # (cron's rule: a field starting with * restricts nothing)
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=by_name, timezone=timezone)
    return OrTrigger([CronTrigger(minute=minute, hour=hour, day=day, month=month, timezone=timezone),
                      CronTrigger(minute=minute, hour=hour, month=month, day_of_week=by_name, timezone=timezone)])


def next_run(cron: str, *, now: datetime | None = None) -> datetime | None:
    """When a crontab expression fires next (UTC)."""
    now = now or datetime.now(timezone.utc)
    return cron_trigger(cron, timezone.utc).get_next_fire_time(None, now)
