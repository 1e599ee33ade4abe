"""Privacy helpers: salted author keys and redaction of contact details."""

from __future__ import annotations

import pytest

from hirepulse.privacy import author_key, redact


def test_author_key_is_salted_stable_and_normalised() -> None:
    assert author_key("@Jo", "a") == author_key(" jo ", "a")
    assert author_key("jo", "a") != author_key("jo", "b")
    assert author_key("jo", "a") != author_key("joe", "a")
    assert author_key(None, "a") is None and author_key("  @ ", "a") is None
    assert "jo" not in author_key("jo", "a")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jo.b+jobs@mail.example.com today", "write to [email] today"),
        ("call +1 555 010 4477 or (555) 010-4477", "call [phone] or [phone]"),
        ("my cell is 07700 900123", "my cell is [phone]"),
        ("555.010.4477", "[phone]"),
        # Not contact details: dates, times, money, counts, years, versions, handles.
        ("interview on 2025-06-03 at 10:30", "interview on 2025-06-03 at 10:30"),
        ("applied 12 03 2025 and heard back 2025/04/01", "applied 12 03 2025 and heard back 2025/04/01"),
        ("offer of $120,000 after 3 rounds in 2024", "offer of $120,000 after 3 rounds in 2024"),
        ("@recruiter_amy never replied", "@recruiter_amy never replied"),
        ("ticket 12345", "ticket 12345"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected
