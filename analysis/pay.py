"""Pay told in numbers: an offer below the pay the writer was led to expect.

Candidates often report a lowball offer with figures and no tone words at all ("The ad said
£32,000 to £36,000. The offer came in at £27,500."). :func:`offer_below_reference` finds the
amounts of a text, gives each the role of the last role word before it in its sentence (an offer,
or a reference: the advertised range, what a recruiter quoted, the writer's current pay) and
reports an offer that falls clearly below the lowest reference amount.

Pure; no lexicon: the role words are few and fixed. Amounts count only with a currency sign, a
"k" suffix or a value of 1,000 or more (so "3 days", "2 rounds" are no pay), and two amounts are
compared only within a factor of 2 (an hourly rate and an annual salary are not comparable).
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["offer_below_reference", "amounts"]

# amount: optional currency, digits with thousands separators or decimals, optional k / grand
_AMOUNT = re.compile(r"(?<![\w.,])([£$€])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(k|K|grand)?(?![\w%])")
_RANGE_K = re.compile(r"\s?(?:-|\u2013|to)\s?[£$€]?\d+(?:\.\d+)?\s?[kK]\b")
_WORD = re.compile(r"[a-z]+")
OFFER_WORDS = frozenset({"offer", "offers", "offered", "offering", "contract", "lowball", "lowballed"})
REFERENCE_WORDS = frozenset({
    "ad", "advert", "advertised", "advertisement", "listed", "listing", "posting", "posted", "range", "band",
    "description", "jd", "quoted", "promised", "agreed", "discussed", "expecting", "expected", "current",
    "currently", "earn", "earning", "earns",
})
MARGIN = 0.97       # an offer this far under the reference is "below" it (rounding is not a lowball)
MAX_RATIO = 2.0     # amounts further apart than this are different units (hourly vs annual)


def amounts(sentence: str) -> list[tuple[float, str | None]]:
    """(value, role) for each pay amount of ``sentence``; role is "offer", "reference" or None
    (the last role word before the amount in the sentence decides)."""
    out: list[tuple[float, str | None]] = []
    low = sentence.lower()
    for m in _AMOUNT.finditer(sentence):
        currency, digits, suffix = m.group(1), m.group(2), m.group(3)
        value = float(digits.replace(",", ""))
        if suffix:
            value *= 1000
        if not currency and not suffix and value < 1000:
            shared = _RANGE_K.match(sentence, m.end())  # "70-80k": the range shares its "k"
            if shared is None:
                continue
            value *= 1000
        role = None
        for word in reversed(_WORD.findall(low[:m.start()])):
            if word in OFFER_WORDS:
                role = "offer"
                break
            if word in REFERENCE_WORDS:
                role = "reference"
                break
        out.append((value, role))
    return out


def offer_below_reference(sentences: Sequence[str]) -> str | None:
    """A short reason ("offer 27,500 below the reference 32,000") when the text's lowest offer
    amount is clearly below its lowest reference amount, else None."""
    offers: list[float] = []
    refs: list[float] = []
    for s in sentences:
        if not any(ch.isdigit() for ch in s):
            continue
        for value, role in amounts(s):
            if role == "offer":
                offers.append(value)
            elif role == "reference":
                refs.append(value)
    if not offers or not refs:
        return None
    offer, ref = min(offers), min(refs)
    if offer < ref * MARGIN and ref <= offer * MAX_RATIO:
        return f"offer {offer:,.0f} below the reference {ref:,.0f}"
    return None
