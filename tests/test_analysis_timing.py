"""analysis.timing: a late start told in clock times, a task or wait that overran, in figures, and a fast offer."""

from __future__ import annotations

import pytest

from analysis.scoring import score_texts
from analysis.timing import late_start, overrun, quick_offer


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



@pytest.mark.parametrize("text, reason", [
    ("Harbour Foods take-home took me 8 hours. They said 2.", "said 2 hours, took 8 hours"),
    ("The case study was supposedly three hours. It took me nearly fifteen.", "said 3 hours, took 15 hours"),
    ("Brief: 'should take 2 to 3 hours'. Actual: 10 hours over two evenings.", "said 3 hours, took 10 hours"),
    ("The form said 10 minutes. I spent 45 minutes on it.", "said 10 minutes, took 45 minutes"),
    ("They said a decision within 2 weeks. It took 7 weeks.", "said 2 weeks, took 7 weeks"),
])
def test_an_overrun_is_found_with_both_durations(text: str, reason: str) -> None:
    got = overrun(text)
    assert got is not None and got[0] == reason


@pytest.mark.parametrize("text", [
    "They said it would take an hour and it took an hour.",            # as said
    "Took me 2 hours, they said 3.",                                  # under the estimate
    "I spent two years at my last job and they said five rounds.",    # no durations to compare
    "Interviewed 3 times over 2 weeks, they said they'd decide in 5 days.",  # no time spent
])
def test_no_overrun(text: str) -> None:
    assert overrun(text) is None


def test_an_overrun_in_figures_makes_a_toneless_candidate_story_negative_with_its_theme() -> None:
    r = score_texts(["Did the Harbour Foods take-home for the analyst role. It took me 9 hours. They said 2."])[0]
    assert r.sentiment <= -0.05 and "excessive_assignments" in r.themes


@pytest.mark.parametrize("text, reason", [
    ("Harbour Foods: interview Wednesday, offer Thursday, started the next Monday.",
     "interview wednesday, offer thursday: 1 day(s)"),
    ("Northgate: interview at 11, offer call at 3, contract in my inbox by 6.", "interview at 11, offer call at 3: 0 day(s)"),
    ("Applied Monday, interviewed Wednesday, offer Friday.", "interviewed wednesday, offer friday: 2 day(s)"),
    ("Interviewed on Friday and the offer came on Monday.", "interviewed friday, offer monday: 3 day(s)"),
])
def test_a_quick_offer_is_found_with_its_gap(text: str, reason: str) -> None:
    assert quick_offer(text) == reason


@pytest.mark.parametrize("text", [
    "Applied 2 May, phone call 9 May, store interview 16 May, offer 20 May.",  # dates, not clock times
    "Interview Friday, offer the following Thursday.",  # six days on
    "Interview at 10am, three rounds, offer in 3 weeks.",
    "Verbally offered the job on Friday, on Monday they went with someone else.",  # no step before the offer
])
def test_no_quick_offer(text: str) -> None:
    assert quick_offer(text) is None


def test_a_quick_offer_in_clock_times_makes_a_toneless_candidate_story_positive_with_its_theme() -> None:
    r = score_texts(["Northgate: interview at 11, offer call at 3, contract in my inbox by 6."])[0]
    assert r.sentiment >= 0.05 and "fast_process" in r.themes
    # not after anything negative: the offer was not the end of it (the rules read it as negative; the tone
    # model does not: tests/test_learned.py, among its known misses)
    withdrawn = score_texts(["Harbour Foods: interview Wednesday, offer Thursday. Withdrawn on Monday after I "
                             "resigned."])[0]
    assert "fast_process" not in withdrawn.themes
