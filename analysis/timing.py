"""Lateness told in clock times: the employer's side turned up well after the time it had booked.

Candidates report a late interviewer with times and no tone words at all ("Interview booked for
10:00. Interviewer joined at 10:40."). :func:`late_start` finds a booked time (after "booked for",
"scheduled for", "was at", "invited for" ...) and a later time at which someone joined, arrived, rang
or started, and reports the delay when it is LATE_MIN minutes or more.

Pure; no lexicon: the booking and arrival words are few and fixed. A bare number counts as a time
only after "at" or "for" and between 1 and 12 ("booked for 10"); otherwise a time needs minutes
("10:40", "9.40") or am/pm, so "30 minutes" and "3 rounds" are no times.
"""

from __future__ import annotations

import re

__all__ = ["late_start"]

LATE_MIN = 10   # minutes past the booked time that make a late start
LATE_MAX = 240  # further apart than this, the two times are not the same appointment

_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s?(am|pm|a\.m\.|p\.m\.)?"
_BOOKED = re.compile(
    r"\b(?:booked|scheduled|set|arranged|invited|due|slotted|planned)\s+(?:in\s+)?(?:for|at)\s+" + _TIME
    + r"|\b(?:interview|call|screen|meeting|slot)\s+(?:was|is)\s+(?:at|for)\s+" + _TIME, re.IGNORECASE)
_ACTUAL = re.compile(
    r"\b(?:joined|arrived|turned\s+up|showed\s+up|rang|called|phoned|started|appeared|logged\s+(?:in|on)"
    r"|came\s+in|walked\s+in|dialled\s+in|dialed\s+in)\s+(?:at\s+)?" + _TIME, re.IGNORECASE)


def _minutes(hour: str, minute: str | None, half: str | None, bare_ok: bool) -> int | None:
    """Minutes since midnight, or None when the match is no clock time."""
    h = int(hour)
    if minute is None and half is None and not (bare_ok and 1 <= h <= 12):
        return None
    if h > 23 or (minute is not None and int(minute) > 59):
        return None
    m = int(minute) if minute is not None else 0
    if half:
        half = half.lower().replace(".", "")
        if h > 12:
            return None
        h = h % 12 + (12 if half == "pm" else 0)
    return h * 60 + m


def _times(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(position, minutes) of each time the pattern introduces."""
    out = []
    for m in pattern.finditer(text):
        groups = [g for g in range(1, (pattern.groups or 0) + 1, 3) if m.group(g) is not None]
        if not groups:
            continue
        g = groups[0]
        minutes = _minutes(m.group(g), m.group(g + 1), m.group(g + 2), bare_ok=True)
        if minutes is not None:
            out.append((m.start(), minutes))
    return out


def late_start(text: str) -> str | None:
    """A short reason ("booked 10:00, started 10:40: 40 minutes late") when someone joined, arrived,
    rang or started LATE_MIN to LATE_MAX minutes after a time booked earlier in the text, else None."""
    if not any(ch.isdigit() for ch in text):
        return None
    booked = _times(_BOOKED, text)
    if not booked:
        return None
    for pos, actual in _times(_ACTUAL, text):
        earlier = [b for p, b in booked if p < pos]
        if not earlier:
            continue
        b = earlier[-1]
        for candidate in (actual, actual + 12 * 60):  # "booked for 11am, joined at 1:10"
            delay = candidate - b
            if LATE_MIN <= delay <= LATE_MAX:
                return f"booked {b // 60}:{b % 60:02d}, started {candidate // 60 % 24}:{candidate % 60:02d}: " \
                       f"{delay} minutes late"
    return None
