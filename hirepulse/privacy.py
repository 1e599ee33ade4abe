"""Privacy by default: salted author keys and redaction of contact details.

Applied at the one place text enters storage (:func:`hirepulse.db.upsert_mentions`), so no
collector or importer can forget it.
"""

from __future__ import annotations

import hashlib
import hmac
import re

REDACTED_EMAIL = "[email]"
REDACTED_PHONE = "[phone]"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Phone numbers: an optional +country code, then 7+ digits in groups separated by space, dot,
# dash or brackets. Years ("2024"), dates ("2024-05-01") and short counts stay untouched.
_PHONE = re.compile(
    r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}(?![\w/])"
)
_DIGIT_RUN = re.compile(r"\d\d")  # cheap pre-check: no two adjacent digits, no phone number
_DATE_LIKE = re.compile(r"^\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}$|^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}$")


def author_key(handle: str | None, salt: str) -> str | None:
    """A salted, keyed hash of an author handle (HMAC-SHA256, 16 hex chars); None stays None.

    Handles are compared case-insensitively with surrounding whitespace and a leading ``@`` removed,
    so ``@Jo`` and ``jo`` map to the same key.
    """
    if handle is None:
        return None
    normal = handle.strip().lstrip("@").lower()
    if not normal:
        return None
    return hmac.new(salt.encode("utf-8"), normal.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def redact(text: str | None) -> str | None:
    """Replace e-mail addresses and phone numbers in ``text`` with placeholders."""
    if not text:
        return text
    if "@" in text:
        text = _EMAIL.sub(REDACTED_EMAIL, text)
    if not _DIGIT_RUN.search(text):
        return text
    return _PHONE.sub(_phone_or_keep, text)


def _phone_or_keep(match: re.Match[str]) -> str:
    candidate = match.group(0)
    digits = sum(ch.isdigit() for ch in candidate)
    if digits < 7 or digits > 15 or _DATE_LIKE.match(candidate.strip()):
        return candidate
    return REDACTED_PHONE
