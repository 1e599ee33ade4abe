"""Smoke tests of the analysis engine interface (more in the other test_analysis_* files)."""

from __future__ import annotations

import json

from analysis.scoring import ANALYZER_VERSION, STAGES, Result, score_texts


def test_interface_shape() -> None:
    res = score_texts(["I applied in March and never heard back"])
    assert len(res) == 1 and isinstance(res[0], Result)
    rec = res[0].to_record("x1")
    assert set(rec) == {"id", "is_candidate_experience", "stages", "stage_sentiment", "sentiment", "themes",
                        "consumer_link", "companies"}
    json.dumps(rec)
    json.dumps(res[0].explanation)
    assert rec["is_candidate_experience"] is True
    assert rec["stages"] == ["rejection"]
    assert rec["sentiment"] < 0
    assert ANALYZER_VERSION.startswith("2.0+lex.")
    assert STAGES[0] == "application" and STAGES[-1] == "onboarding"
