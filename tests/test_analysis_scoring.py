"""score_texts interface, candidate-experience detection, consumer link, explanations, version, workers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis import lexicon
from analysis.scoring import ANALYZER_VERSION, RULES_VERSION, STAGES, Result, analyzer_version, score_texts


def test_interface_shape() -> None:
    res = score_texts(["I applied in March and never heard back"])
    assert len(res) == 1 and isinstance(res[0], Result)
    rec = res[0].to_record("x1")
    assert set(rec) == {"id", "is_candidate_experience", "stages", "stage_sentiment", "sentiment", "themes",
                        "consumer_link", "companies"}
    json.dumps(rec)
    json.dumps(res[0].explanation)
    assert rec["id"] == "x1" and rec["is_candidate_experience"] is True
    assert rec["stages"] == ["rejection"] and isinstance(rec["stages"], list)
    assert rec["sentiment"] < 0
    assert ANALYZER_VERSION.startswith(RULES_VERSION + "+lex.") and len(ANALYZER_VERSION.split("lex.")[1]) == 10
    assert STAGES[0] == "application" and STAGES[-1] == "onboarding"
    assert score_texts([]) == []


@pytest.mark.parametrize("text", [
    "We're hiring! Join our team as a barista. Apply now, interviews this week. #hiring",
    "5 tips to ace your interview: research the company and you should always follow up.",
    "My Cobalt jacket fell apart after a month and customer service refused a refund. Never buying again.",
    "As a recruiter, I always tell candidates to send a thank-you note after the interview.",
    "The company announced on Tuesday that it will cut 300 jobs, a spokesperson said.",
    "My son applied to forty jobs and was ghosted by most of them.",
])
def test_not_candidate_experience(text: str) -> None:
    assert score_texts([text])[0].is_candidate_experience is False


@pytest.mark.parametrize("text", [
    "Interviewed there twice, then radio silence for a month.",
    "I had a phone screen with their recruiter today, it went well.",
    "Got rejected by an automated email two minutes after applying.",
])
def test_candidate_experience(text: str) -> None:
    assert score_texts([text])[0].is_candidate_experience is True


def test_consumer_link() -> None:
    linked = [
        "They ghosted me after the final interview. I'm never buying from them again.",
        "I've shopped there for years, so being rejected by a bot for a store job stung.",
        "Cancelled my subscription after how their recruiter treated me in the interview.",
    ]
    for text in linked:
        assert score_texts([text])[0].consumer_link is True, text
    # product complaint: consumer cue but nothing about hiring
    assert score_texts(["The kettle broke in a week. Never buying from them again."])[0].consumer_link is False
    # hiring but no customer status
    assert score_texts(["They ghosted me after the final interview."])[0].consumer_link is False


def test_explanation_contents() -> None:
    r = score_texts(["The interview was lovely. But they never got back to me, no feedback at all."])[0]
    ex = r.explanation
    assert ex["analyzer_version"] == ANALYZER_VERSION
    texts = [s["text"] for s in ex["sentences"]]
    assert "But they never got back to me, no feedback at all." in texts
    neg = next(s for s in ex["sentences"] if s["text"].startswith("But"))
    assert neg["compound"] < 0 and "rejection" in neg["stages"]
    assert any(h["term"] == "feedback" and h["negated"] for h in neg["hits"])
    assert "feedback" in ex["lexicon_hits"]
    assert any("candidate score" in rule for rule in ex["rules"])
    assert any(rule.startswith("theme no_feedback") for rule in ex["rules"])


def test_version_changes_when_a_lexicon_file_changes(tmp_path: Path) -> None:
    lex_copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, lex_copy)
    before = analyzer_version(lex_copy)
    assert before == ANALYZER_VERSION
    text = "The onboarding buddy system was zorgwonderful."
    base = score_texts([text], lexicon_dir=lex_copy)[0].sentiment
    with open(lex_copy / "sentiment.tsv", "a", encoding="utf-8") as fh:
        fh.write("zorgwonderful\t3.0\t-\t-\t-\n")
    after = analyzer_version(lex_copy)
    assert after != before and after.startswith(RULES_VERSION + "+lex.")
    assert score_texts([text], lexicon_dir=lex_copy)[0].sentiment > base
    # README edits do not count as data
    (lex_copy / "README.md").write_text("changed", encoding="utf-8")
    assert analyzer_version(lex_copy) == after


def test_malformed_lexicon_raises(tmp_path: Path) -> None:
    lex_copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, lex_copy)
    with open(lex_copy / "sentiment.tsv", "a", encoding="utf-8") as fh:
        fh.write("brokenterm\tnot-a-number\t-\t-\t-\n")
    with pytest.raises(lexicon.LexiconError):
        score_texts(["hello"], lexicon_dir=lex_copy)


def test_workers_two_equals_serial() -> None:
    path = Path(__file__).resolve().parents[1] / "data/eval/dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [rows[i % len(rows)]["text"] + ("" if i < len(rows) else f" (copy {i})") for i in range(3000)]
    companies = [("Brightwater", ["BWG"]), ("Cobalt Outfitters", ["Cobalt"])]
    serial = score_texts(texts, companies=companies, workers=1)
    parallel = score_texts(texts, companies=companies, workers=2)
    assert len(parallel) == 3000
    assert parallel == serial
