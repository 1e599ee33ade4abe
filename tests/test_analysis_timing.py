"""analysis.timing: a late start told in clock times."""

from __future__ import annotations

import pytest

from analysis.scoring import score_texts
from analysis.timing import late_start


@pytest.mark.parametrize("text, minutes", [
    ("Interview booked for 10:00. Interviewer joined at 10:40 and asked me to keep it short.", 40),
    ("Booked for 10:00, interviewer joined 10:35, call ended 10:50.", 35),
    ("The Fernhill interview was at 9. The interviewer arrived at 9:40.", 40),
    ("Phone screen scheduled for 11am; the recruiter rang at 1:10.", 130),  # past noon without am/pm
])
def test_a_late_start_is_found_with_its_delay(text: str, minutes: int) -> None:
    got = late_start(text)
    assert got is not None and got.endswith(f"{minutes} minutes late")


@pytest.mark.parametrize("text", [
    "Phone screen booked for 2pm. They rang at 2pm on the dot.",      # on time
    "Booked for 10:00, the interviewer joined at 10:05.",             # within LATE_MIN
    "Scheduled for 30 minutes, started at 3 and finished at 3:25.",   # a duration, not a booked time
    "Interview at 10. Done by 10:30, offer by 5.",                    # no booking word, no arrival word
    "Joined at 10:40 after my booked slot.",                          # the arrival comes before any booking
])
def test_no_late_start(text: str) -> None:
    assert late_start(text) is None


def test_a_late_start_makes_a_toneless_candidate_story_negative_with_its_theme() -> None:
    r = score_texts(["My Tidewell interview was booked for 10:00. The interviewer joined at 10:40. We talked for "
                     "fifteen minutes."])[0]
    assert r.sentiment <= -0.05 and "disorganised_scheduling" in r.themes
    # praise in words stands: the lateness does not override a positive story
    r = score_texts(["My Tidewell interview was booked for 10:00 and the panel joined at 10:15, apologised, and "
                     "gave me the full hour anyway. Lovely people, offer the next day."])[0]
    assert r.sentiment >= 0.05
