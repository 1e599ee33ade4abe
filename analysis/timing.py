"""Time told in figures: a late start in clock times, and a task that took far longer than the employer said.

Candidates report a late interviewer with times and no tone words at all ("Interview booked for
10:00. Interviewer joined at 10:40."). :func:`late_start` finds a booked time (after "booked for",
"scheduled for", "was at", "invited for" ...) and a later time at which someone joined, arrived, rang
or started, and reports the delay when it is LATE_MIN minutes or more.

Pure; no lexicon: the booking and arrival words are few and fixed. A bare number counts as a time
only after "at" or "for" and between 1 and 12 ("booked for 10"); otherwise a time needs minutes
("10:40", "9.40") or am/pm, so "30 minutes" and "3 rounds" are no times.

Candidates also report an assignment that overran with two durations and no tone words ("Quillon
take-home took me 9 hours. They said 2.", "estimated 3 hours in the brief. Actual: 11 hours").
:func:`overrun` finds a duration the employer gave (after "said", "should take", "estimated",
"supposedly" ...) and one the writer spent (after "took me", "spent", "actual" ...), and reports the
overrun when the second is OVERRUN_RATIO times the first or more. A duration the employer gave without
a unit ("They said 2.") takes the unit of the writer's.

A fast offer is told the same way ("interview Wednesday, offer Thursday", "interview at 11, offer call at
3, contract in my inbox by 6"): :func:`quick_offer` finds an interview, screen or application told with a
weekday or a clock time, and an offer told with a later one at most QUICK_DAYS days on.
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_WORDS", "SPENT_WORDS", "late_start", "overrun", "quick_offer"]

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


OVERRUN_RATIO = 2.0  # spent at least this many times the time the employer gave
_HOURS = {"minute": 1 / 60, "minutes": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "hour": 1.0, "hours": 1.0,
          "hr": 1.0, "hrs": 1.0, "h": 1.0, "evening": 3.0, "evenings": 3.0, "night": 3.0, "nights": 3.0,
          "day": 8.0, "days": 8.0, "weekend": 16.0, "weekends": 16.0, "week": 40.0, "weeks": 40.0}
# counts told in words, shared with scoring's long-wait fragments ("Eleven weeks after the closing date.")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
_COUNT_WORDS = {**NUMBER_WORDS, "a": 1, "an": 1, "one": 1, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
                "half": 0.5, "whole": 1, "entire": 1}
_ARTICLES = frozenset({"a", "an", "half", "whole", "entire"})  # counts only before a unit ("a weekend")
_GIVEN = frozenset({"said", "says", "estimated", "estimate", "supposedly", "should", "supposed", "meant", "quoted",
                    "promised", "claimed", "expected", "brief", "advertised", "apparently", "allegedly", "guide"})
_SPENT = frozenset({"took", "spent", "actual", "actually", "reality", "spend", "taking", "lost", "ate"})
SPENT_WORDS = _SPENT  # (a caller holding a text's words can skip overrun() when none of these is among them)
_WINDOW = 4  # words from a marker to the duration it introduces
_SPENT_HINT = re.compile(r"\b(?:" + "|".join(sorted(_SPENT)) + r")\b", re.IGNORECASE)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+", re.IGNORECASE)


def _durations(text: str) -> list[tuple[int, float | None, str | None, str]]:
    """(token index, upper count, unit in hours or None, role) for each count of the text that a GIVEN or a
    SPENT word introduces within _WINDOW words; role is "given" or "spent" (the nearest marker decides)."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    out = []
    for i, w in enumerate(words):
        count: float | None
        if w[0].isdigit():
            count = float(w)
        elif w in _COUNT_WORDS and (w not in _ARTICLES or (i + 1 < len(words) and words[i + 1] in _HOURS)):
            count = float(_COUNT_WORDS[w])
        else:
            continue
        j = i + 1
        if j + 1 < len(words) and words[j] == "to" and words[j + 1][0].isdigit():  # "2 to 3 hours"
            count, j = float(words[j + 1]), j + 2
        elif j < len(words) and words[j][0].isdigit() and i > 0:  # "2-3 hours" tokenises as 2, 3
            count, j = float(words[j]), j + 1
        unit = _HOURS.get(words[j]) if j < len(words) else None
        role = None
        for k in range(i - 1, max(-1, i - _WINDOW - 1), -1):
            if words[k] in _GIVEN:
                role = "given"
                break
            if words[k] in _SPENT:
                role = "spent"
                break
        if role:
            out.append((i, count, unit, role))
    return out


def _shown(hours: float) -> str:
    for size, unit in ((40.0, "weeks"), (1.0, "hours")):  # (8 hours may be a working day or a long evening)
        if hours >= size and (hours / size).is_integer():
            return f"{hours / size:g} {unit}"
    return f"{hours * 60:g} minutes" if hours < 1 else f"{hours:g} hours"


def overrun(text: str) -> tuple[str, float] | None:
    """(a short reason such as "said 2 hours, took 9 hours", the hours the employer gave) when the writer
    spent OVERRUN_RATIO times the time the employer gave, for a task or for the process, or more; else
    None. A count without a unit takes the unit of the other one ("They said 2.", "took me nearly twenty")."""
    if not _SPENT_HINT.search(text):  # (the cheap test first: most texts tell no time spent)
        return None
    found = _durations(text)
    given = [(c, u) for _i, c, u, r in found if r == "given"]
    spent = [(c, u) for _i, c, u, r in found if r == "spent"]
    if not given or not spent:
        return None
    g_count, g_unit = given[0]
    best = None
    for s_count, s_unit in spent:
        gu, su = g_unit or s_unit, s_unit or g_unit
        if gu is None or su is None:
            continue
        g_hours, s_hours = g_count * gu, s_count * su
        if g_hours > 0 and s_hours >= OVERRUN_RATIO * g_hours and (best is None or s_hours > best[1]):
            best = (g_hours, s_hours)
    if best is None:
        return None
    return f"said {_shown(best[0])}, took {_shown(best[1])}", best[0]


QUICK_DAYS = 3  # an offer at most this many days after the step it follows is a quick one
# (not "sat", "sun" or "wed": "sat the test", "wed" are words of their own)
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "thursday": 3,
             "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6}
_STEP = r"(?P<step>applied|application|interview(?:ed)?|screen(?:ing)?|call|trial shift|assessment)"
_OFFER = r"(?P<offer>offer(?:ed)?(?: call)?|hired|contract|got the job)"
# a weekday, or a clock time: after "at"/"by", or with minutes or am/pm ("16 May" and "in 3 weeks" are none)
_WHEN = (r"(?:(?:on |the )?(?P<day>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\b|"
         r"(?:at |by )(?P<clock>\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)?)(?![\d:]|\.\d|\s?(?:jan|feb|mar|apr|may|jun|jul|aug|"
         r"sep|oct|nov|dec|minutes?|mins?|hours?|hrs?|days?|weeks?))|"
         r"(?P<clock2>\d{1,2}(?:[:.]\d{2}\s?(?:am|pm)?|\s?(?:am|pm)))\b)")
_EVENT = re.compile(r"\b(?:" + _STEP + "|" + _OFFER + r")\b[^.;!?\d]{0,20}?" + _WHEN, re.IGNORECASE)


def quick_offer(text: str) -> str | None:
    """A short reason ("interview wednesday, offer thursday") when an offer is told with a weekday or
    clock time at most QUICK_DAYS days after an interview, screen or application told with an earlier
    one, else None. Two clock times without weekdays are the same day; an offer's weekday before the
    step's is the next week."""
    step = None
    for m in _EVENT.finditer(text):
        day = m.group("day")
        clock = m.group("clock") or m.group("clock2")
        when = (_WEEKDAYS[day.lower()], None) if day else (None, clock)
        told = day.lower() if day else f"at {clock}"
        if m.group("step"):
            step = (f"{m.group('step').lower()} {told}", when)
            continue
        if step is None:
            continue
        (s_day, s_clock), (o_day, o_clock) = step[1], when
        if s_day is not None and o_day is not None:
            gap = (o_day - s_day) % 7
        elif s_clock is not None and o_clock is not None:
            gap = 0
        else:
            continue
        if gap <= QUICK_DAYS:
            return f"{step[0]}, {m.group('offer').lower()} {told}: {gap} day(s)"
    return None
