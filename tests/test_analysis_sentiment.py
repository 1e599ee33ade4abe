"""Sentiment: hiring lexicon on top of VADER, negation, and agreement with real VADER."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import lexicon
from analysis.scoring import split_sentences
from analysis.sentiment import SentimentScorer

ROOT = Path(__file__).resolve().parents[1]
VADER_ZERO_NEGATIVES = [
    "I applied in March and never heard back",
    "Ghosted after the final round interview",
    "The recruiter scheduled an interview and forgot to call me",
    "Offer was rescinded two days before my start date",
    "I will never buy their products again after how they treated me as a candidate",
]
KEPT_UPDATED = "The recruiter kept me updated every week even when there was no news"


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer(lexicon.load())


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.mark.parametrize("text", VADER_ZERO_NEGATIVES)
def test_vader_zero_sentences_come_out_negative(text: str, scorer: SentimentScorer,
                                                vader: SentimentIntensityAnalyzer) -> None:
    assert vader.polarity_scores(text)["compound"] == 0.0  # the problem being fixed
    assert scorer.compound(text) <= -0.3


def test_kept_updated_is_positive(scorer: SentimentScorer, vader: SentimentIntensityAnalyzer) -> None:
    assert vader.polarity_scores(KEPT_UPDATED)["compound"] < 0
    assert scorer.compound(KEPT_UPDATED) >= 0.3


def test_negation_of_vader_word_and_of_hiring_term(scorer: SentimentScorer) -> None:
    assert scorer.compound("The interviewer was rude") < 0
    assert scorer.compound("The interviewer was never rude") > 0
    assert scorer.compound("I got feedback") == 0.0
    assert scorer.compound("I got no feedback") < -0.3
    assert scorer.compound("not a single update in five weeks") < -0.3
    assert scorer.compound("they kept me informed") > 0.3
    assert scorer.compound("they never kept me informed") < -0.3


def test_intensity_boosters_and_caps(scorer: SentimentScorer) -> None:
    plain = scorer.compound("I got ghosted")
    assert scorer.compound("I got completely ghosted") < plain
    assert scorer.compound("I got GHOSTED by them") < plain


def test_hits_are_reported(scorer: SentimentScorer) -> None:
    res = scorer.score("Radio silence since the onsite, no feedback at all.")
    terms = {h.term for h in res.hits}
    assert "radio silence" in terms
    fb = [h for h in res.hits if h.term == "feedback"]
    assert fb and fb[0].negated and fb[0].theme == "no_feedback"


def test_clauses_split_at_but(scorer: SentimentScorer) -> None:
    res = scorer.score("The interview was great but they ghosted me")
    assert len(res.clauses) == 2
    assert res.clauses[0][2] > 0 > res.clauses[1][2]


def _non_hiring_sentences() -> list[str]:
    out = []
    for line in (ROOT / "data" / "eval" / "vader_agreement.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.strip())
    return out


def test_base_scorer_agrees_with_vader(vader: SentimentIntensityAnalyzer) -> None:
    """Without the hiring lexicon the re-implementation is VADER (compound within 0.05 for >= 95%)."""
    base = SentimentScorer(None)
    sentences = _non_hiring_sentences()
    for name in ("dev", "holdout"):
        with open(ROOT / "data" / "eval" / f"{name}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                sentences.extend(split_sentences(json.loads(line)["text"]))
    random.Random(7).shuffle(sentences)
    assert len(sentences) > 500
    close = sum(1 for s in sentences if abs(base.compound(s) - vader.polarity_scores(s)["compound"]) <= 0.05)
    assert close / len(sentences) >= 0.95


def test_hiring_lexicon_changes_scores_on_hiring_text(vader: SentimentIntensityAnalyzer,
                                                      scorer: SentimentScorer) -> None:
    differ = [s for s in VADER_ZERO_NEGATIVES if abs(scorer.compound(s) - vader.polarity_scores(s)["compound"]) > 0.05]
    assert len(differ) == len(VADER_ZERO_NEGATIVES)


def test_sarcasm_in_negative_hiring_text_is_negative() -> None:
    from analysis.scoring import score_texts
    for text in ("Love how companies say they value every applicant and then never reply to a single email.",
                 "Cool cool, so we're just never replying to candidates now. Noted.",
                 "Great, another automated rejection at 2am. Love that for me."):
        assert score_texts([text])[0].sentiment < 0, text
    # sincere praise with the same words stays positive
    assert score_texts(["Love how quickly they replied, great process."])[0].sentiment > 0


def test_quoted_praise_is_not_the_writers() -> None:
    from analysis.scoring import score_texts
    r = score_texts(['They offered less than my current salary and called it "an exciting opportunity".'])[0]
    assert r.sentiment <= 0


def test_no_x_is_not_negative_by_itself() -> None:
    from analysis.scoring import score_texts
    assert score_texts(["Interviewed Thursday, offer Friday. No games."])[0].sentiment > 0


def test_phrase_gaps_reach_exactly_max_gap_tokens_per_gap() -> None:
    entries = [lexicon.Entry(term, (), "test", k) for k, term in enumerate(
        ["waited ~ weeks", "heard ~ ~ back", "sent ~ reminder*"])]
    matcher = lexicon.PhraseMatcher.build(entries)

    def found(text: str) -> list[str]:
        return [m.entry.term for m in matcher.find(text.split())]

    assert found("we waited weeks") == ["waited ~ weeks"]
    assert found("waited a b c weeks") == ["waited ~ weeks"]  # MAX_GAP (3) tokens skipped
    assert found("waited a b c d weeks") == []
    assert found("never heard back") == ["heard ~ ~ back"]
    assert found("heard a b c d e f back") == ["heard ~ ~ back"]  # two gaps: six tokens
    assert found("heard a b c d e f g back") == []
    assert found("heard a b c d e f") == []
    assert found("sent them two reminders") == ["sent ~ reminder*"]  # a prefix after the gap
