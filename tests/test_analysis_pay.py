"""Pay told in figures: an offer below the advertised, quoted or current pay is a lowball."""

from __future__ import annotations

import pytest

from analysis.pay import amounts, offer_below_reference
from analysis.scoring import score_texts, split_sentences


@pytest.mark.parametrize("text", [
    "The ad said £32,000 to £36,000. The offer came in at £27,500.",
    "Role was listed at $120k-$140k. They offered me $98k and said it was final.",
    "The recruiter quoted 70-80k on the first call; the written offer was 65k.",
    "Currently on 52k. They offered 48k and wouldn't budge.",
])
def test_an_offer_below_the_reference_is_found(text: str) -> None:
    assert offer_below_reference(split_sentences(text)) is not None


@pytest.mark.parametrize("text", [
    "Advertised salary 45k. Offer: 45k plus a signing bonus.",       # equal
    "They offered 60k, above the advertised 55k.",                    # above
    "Band was 50 to 60k and they offered 49k.",                       # within rounding of the range
    "Advertised at £13.10/hr, and the offer letter said £24,000 a year.",  # hourly vs annual
    "Interviewed 3 times over 2 weeks, offer in 10 days.",            # counts, not pay
    "Offer was 40k. No idea what they advertised.",                   # no reference amount
])
def test_no_lowball_without_a_comparable_lower_offer(text: str) -> None:
    assert offer_below_reference(split_sentences(text)) is None


def test_amount_roles_and_units() -> None:
    assert amounts("The ad said £32,000 to £36k, offer was 30 grand") == [
        (32000.0, "reference"), (36000.0, "reference"), (30000.0, "offer")]
    assert amounts("We had 3 rounds and 2 calls") == []
    assert amounts("Salary range 50-60k") == [(50000.0, "reference"), (60000.0, "reference")]


def test_a_lowball_in_figures_makes_the_offer_and_the_post_negative() -> None:
    r = score_texts(["I applied after the ad said £32,000 to £36,000. The offer came in at £27,500."])[0]
    assert r.is_candidate_experience
    assert "lowball_offer" in r.themes
    assert r.sentiment < -0.05 and r.stage_sentiment["offer"] < -0.05
    assert any("pay in figures" in rule for rule in r.explanation["rules"])


def test_an_offer_withdrawn_by_pronoun_is_rescinded() -> None:
    r = score_texts(["Offer accepted on 2 May, start date 1 June. On 30 May they withdrew it."])[0]
    assert "rescinded_offer" in r.themes and r.sentiment < -0.05


def test_an_offer_below_the_advertised_rate_is_a_complaint_even_when_it_was_got() -> None:
    r = score_texts(["The store advertised the role at \u00a313.50/hr. Got the offer letter this morning: \u00a312.10. "
                     "I've done this exact job for four years elsewhere."])[0]
    assert "lowball_offer" in r.themes and r.sentiment <= -0.05
    # an offer at the advertised rate stays as worded
    r = score_texts(["The store advertised the role at \u00a313.50/hr. Got the offer letter this morning: \u00a313.50. "
                     "Happy days."])[0]
    assert "lowball_offer" not in r.themes and r.sentiment > 0

