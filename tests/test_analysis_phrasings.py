"""The synthetic phrasing battery (tests/data/phrasings.jsonl): agreement floors per label kind.

The battery was written for the coverage round, before the analyzer was run on it, as many different
writers would phrase candidate posts (see tests/data/README.md). It guards the *ways of speaking* the
lexicon learned (understatement, idioms, praise-then-let-down, mock praise, consumer links told in
everyday words) against regressions; the floors sit a little under what the analyzer reaches, so one
or two items may change without failing, a lost phenomenon fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import evaluation as E
from analysis.scoring import Analyzer, score_texts

DATA = Path(__file__).parent / "data" / "phrasings.jsonl"
COMPANIES = E.eval_companies()

# floors: measured value at the end of the coverage round minus a small margin (parts 1-6, p001-p574)
FLOORS = {
    "sentiment": 0.92,
    "candidate_experience_f1": 0.91,
    "consumer_link_f1": 0.97,
    "stage_micro_f1": 0.885,
    "theme_recall": 0.77,
}
MAX_NEGATIVES_SCORED_POSITIVE = 0.03
# part 7 (p575-p834), written blind for what the analyzer missed on held-out text (praise by what did not
# happen, calm outcomes, events told as bare facts, sarcasm without a marker word, stages in everyday words,
# hard negatives). Far lower: it guards what round 5 learned, not a target (see tests/data/README.md).
# Parts 7-9's floors were raised in session 10, and every part's in sessions 11 and 12, to guard what the rules
# learned.
PART7_FROM = 574
PART7_FLOORS = {
    "sentiment": 0.77,
    "candidate_experience_f1": 0.955,
    "consumer_link_f1": 0.945,
    "stage_micro_f1": 0.83,
    "theme_recall": 0.5,
}
PART7_MAX_NEGATIVES_SCORED_POSITIVE = 0.1
PART7_TO = 834
# part 8 (p835-p1094), written blind the same way: tone under a polite or complaining surface (8c) and
# genres that look like candidate posts (ads, news, employer and recruiter voice, products; 8d)
PART8_FLOORS = {
    "sentiment": 0.735,
    "candidate_experience_f1": 0.93,
    "consumer_link_f1": 0.95,
    "stage_micro_f1": 0.81,
    "theme_recall": 0.5,
}
PART8_MAX_NEGATIVES_SCORED_POSITIVE = 0.14
PART8_TO = 1094
# part 9 (p1095-p1214), written blind: the consumer link in everyday words, leaving and staying, and near misses
PART9_FLOORS = {
    "sentiment": 0.79,
    "candidate_experience_f1": 0.955,
    "consumer_link_f1": 0.89,
    "stage_micro_f1": 0.86,
    "theme_recall": 0.605,
}
PART9_MAX_NEGATIVES_SCORED_POSITIVE = 0.11
PART9_TO = 1214
# part 10 (p1215-p1414), written blind in session 10: tone a word counter gets wrong in what a real feed is
# full of (neutral updates, ads, notices, news and tips with tone-looking words; stories whose tone is the
# whole story's; verdicts at the end)
PART10_FLOORS = {
    "sentiment": 0.7,
    "candidate_experience_f1": 0.92,
    "consumer_link_f1": 0.99,
    "stage_micro_f1": 0.88,
    "theme_recall": 0.39,
}
PART10_MAX_NEGATIVES_SCORED_POSITIVE = 0.19
PART10_TO = 1414
# part 11 (p1415-p1614), written blind in session 11: tone that is not in obvious words (calm reports and
# tone-looking neutral genres; complaints told as deadpan facts, contradictions, mock thanks; praise told
# as what the employer did unasked). Its floors guard what session 11 learned from it (first score 0.460
# with analyzer 2.26, 0.490 when it arrived).
PART11_FLOORS = {
    "sentiment": 0.585,
    "candidate_experience_f1": 0.9,
    "consumer_link_f1": 0.91,
    "stage_micro_f1": 0.825,
}
PART11_MAX_NEGATIVES_SCORED_POSITIVE = 0.16
PART11_TO = 1614
# part 12 (p1615-p1814), written blind in session 12: non-candidate genres whose words look like tone (advice,
# news, employer replies and statements, ads, questions, product and place posts) and candidate posts whose
# tone is not in obvious words (calm accounts, contradictions told as quotes, deadpan, plain praise). Its
# floors guard what session 12 learned from it (first score 0.570 with analyzer 2.27 and when it arrived).
PART12_FLOORS = {
    "sentiment": 0.685,
    "candidate_experience_f1": 0.925,
    "consumer_link_f1": 0.9,
    "stage_micro_f1": 0.845,
}
PART12_MAX_NEGATIVES_SCORED_POSITIVE = 0.09
PART12_TO = 1814
# part 13 (p1815-p2014), written blind in session 12: which stages a post reports (screening in everyday
# words, rejections without the word, described steps beside situating ones, offers and onboarding), short
# posts, and non-candidate texts that look like candidate posts. First score 0.645 / 0.141 / 0.732
# (sentiment / negatives read as positive / consumer-link F1; stage micro-F1 0.706) with analyzer 2.27; its
# floors guard what session 12 learned from it.
PART13_FLOORS = {
    "sentiment": 0.65,
    "candidate_experience_f1": 0.88,
    "consumer_link_f1": 0.81,
    "stage_micro_f1": 0.76,
}
PART13_MAX_NEGATIVES_SCORED_POSITIVE = 0.15
PART13_TO = 2014
# part 14 (p2015-p2214), written blind in session 13: the consumer link in each writer's own words (leaving,
# staying, a household changing where it shops, a long-time customer who applied), near misses that mention
# custom without tying it to the hiring story, and posts reporting two to four stages. First score 0.690 /
# 0.055 / 0.681 (sentiment / negatives read as positive / consumer-link F1; stage micro-F1 0.838, CE F1 0.963)
# with analyzer 2.36; its floors guard what session 13 learned from it.
PART14_FLOORS = {
    "sentiment": 0.73,
    "candidate_experience_f1": 0.955,
    "consumer_link_f1": 0.78,
    "stage_micro_f1": 0.87,
}
PART14_MAX_NEGATIVES_SCORED_POSITIVE = 0.07
PART14_TO = 2214
# part 15 (p2215-p2414), written blind in session 13: how writers sum up (closing verdicts, ratings, shrugs,
# a headline that frames the post), calm neutral accounts of two or three stages, look-alike non-candidate
# texts, and one- or two-sentence posts whose tone is told through facts. First score 0.490 / 0.026 / 0.875
# (sentiment / negatives read as positive / consumer-link F1; stage micro-F1 0.814, CE F1 0.955) with
# analyzer 2.36, 0.505 / 0.000 / 0.909 with 2.39 when it arrived; its floors guard what session 13 learned.
PART15_FLOORS = {
    "sentiment": 0.57,
    "candidate_experience_f1": 0.95,
    "consumer_link_f1": 0.895,
    "stage_micro_f1": 0.825,
}
PART15_MAX_NEGATIVES_SCORED_POSITIVE = 0.05
PART15_TO = 2414
# part 16 (p2415-p2614), written blind in session 14: tone that words alone mislead about (warm words over a
# failed process, sarcasm, faint praise; negative-sounding words in glad posts; calm accounts with a good and
# a bad fact; non-candidate texts full of tone words the writer does not feel). First score of the rules
# (analyzer 2.44): 0.540 / 0.316 / 0.703 (sentiment / negatives read as positive / consumer-link F1; stage
# micro-F1 0.796, CE F1 0.915); its floors guard the rules. (The tone model, trained without it, read its
# sentiment at 0.710 with 0.158 negatives as positive: see tests/test_learned.py.)
PART16_FLOORS = {
    "sentiment": 0.53,
    "candidate_experience_f1": 0.905,
    "consumer_link_f1": 0.69,
    "stage_micro_f1": 0.785,
}
PART16_MAX_NEGATIVES_SCORED_POSITIVE = 0.32
PART16_TO = 2614
# parts 17 to 22 (p2615-p3814), written blind in session 14 by six writers as a public feed would read (17),
# leaning to long posts (18), short posts (19), varied people and jobs (20), mixed and calm posts (21) and
# look-alike non-candidate texts (22). First scores of the rules (analyzer 2.46, tone model aside), sentiment /
# negatives read as positive / CE F1 / consumer-link F1 / stage micro-F1:
#   part 17: 0.740 / 0.043 / 0.959 / 0.750 / 0.882
#   part 18: 0.740 / 0.068 / 0.934 / 0.960 / 0.881
#   part 19: 0.725 / 0.099 / 0.927 / 0.870 / 0.897
#   part 20: 0.760 / 0.038 / 0.922 / 0.815 / 0.847
#   part 21: 0.670 / 0.045 / 0.948 / 0.870 / 0.894
#   part 22: 0.700 / 0.109 / 0.883 / 0.769 / 0.880
# Their floors guard the rules; each part is 200 texts, in order (parts 23 to 53 below).
# Session 17: two blind readers re-read the consumer link of every candidate story that names custom
# (data/eval/consumer_rereading.jsonl); 55 battery items became links the rules do not all read, so the
# consumer-link floors of parts 7, 25-28, 32, 49 and 50 were set again from the rules' reading of the new labels
# (parts 7 and 32 back up once the fan and regular-shopper cues of 2.62 read most of them).
LATE_PARTS_FLOORS = {  # part: (floors, most negatives read as positive)
    17: ({"sentiment": 0.73, "candidate_experience_f1": 0.945, "consumer_link_f1": 0.74,
          "stage_micro_f1": 0.87}, 0.06),
    18: ({"sentiment": 0.73, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.95,
          "stage_micro_f1": 0.87}, 0.08),
    19: ({"sentiment": 0.715, "candidate_experience_f1": 0.915, "consumer_link_f1": 0.855,
          "stage_micro_f1": 0.885}, 0.11),
    20: ({"sentiment": 0.75, "candidate_experience_f1": 0.91, "consumer_link_f1": 0.8,
          "stage_micro_f1": 0.835}, 0.05),
    21: ({"sentiment": 0.66, "candidate_experience_f1": 0.935, "consumer_link_f1": 0.855,
          "stage_micro_f1": 0.88}, 0.06),
    22: ({"sentiment": 0.69, "candidate_experience_f1": 0.87, "consumer_link_f1": 0.755,
          "stage_micro_f1": 0.865}, 0.12),
    # parts 23 to 30 (p3815-p5414), written blind in session 14 by eight writers: feeds from the UK and
    # Ireland (23) and from the US and Canada (24), review-site posts (25), forum threads (26), the late
    # stages (27), the early stages (28), the consumer link (29, 40 links and 30 near misses) and how tone
    # is said (30). First scores of the rules (analyzer 2.47, learned readings aside), in the order above:
    #   part 23: 0.715 / 0.114 / 0.943 / 0.870 / 0.795
    #   part 24: 0.710 / 0.029 / 0.944 / 0.800 / 0.866
    #   part 25: 0.715 / 0.060 / 0.943 / 1.000 / 0.884
    #   part 26: 0.680 / 0.074 / 0.952 / 0.800 / 0.856
    #   part 27: 0.650 / 0.239 / 0.931 / 0.870 / 0.905
    #   part 28: 0.695 / 0.086 / 0.901 / 0.923 / 0.772
    #   part 29: 0.740 / 0.059 / 0.944 / 0.843 / 0.853
    #   part 30: 0.715 / 0.125 / 0.935 / 0.917 / 0.828
    23: ({"sentiment": 0.705, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.855,
          "stage_micro_f1": 0.78}, 0.13),
    24: ({"sentiment": 0.7, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.855}, 0.04),
    25: ({"sentiment": 0.705, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.95,
          "stage_micro_f1": 0.87}, 0.07),
    26: ({"sentiment": 0.67, "candidate_experience_f1": 0.94, "consumer_link_f1": 0.75,
          "stage_micro_f1": 0.845}, 0.09),
    27: ({"sentiment": 0.64, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.895}, 0.25),
    28: ({"sentiment": 0.685, "candidate_experience_f1": 0.89, "consumer_link_f1": 0.875,
          "stage_micro_f1": 0.76}, 0.1),
    29: ({"sentiment": 0.73, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.83,
          "stage_micro_f1": 0.84}, 0.07),
    30: ({"sentiment": 0.705, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.905,
          "stage_micro_f1": 0.815}, 0.14),
    # parts 31 to 38 (p5415-p7014), written blind in session 14 by eight more writers: tone that words
    # mislead about (31), offers and onboarding with mixed feelings (32), which stages a post reports (33),
    # feeds from Australia, New Zealand and Canada (34), first jobs (35), look-alike non-candidate texts (36),
    # the consumer link and company names as ordinary words (37), terse and informal writing (38). First
    # scores of the rules (analyzer 2.48, learned readings aside), in the order above:
    #   part 31: 0.575 / 0.145 / 0.935 / 0.786 / 0.804
    #   part 32: 0.700 / 0.141 / 0.926 / 0.667 / 0.834
    #   part 33: 0.725 / 0.085 / 0.944 / 0.880 / 0.897
    #   part 34: 0.720 / 0.111 / 0.921 / 0.857 / 0.883
    #   part 35: 0.705 / 0.058 / 0.944 / 0.522 / 0.877
    #   part 36: 0.735 / 0.092 / 0.905 / 0.833 / 0.857
    #   part 37: 0.720 / 0.123 / 0.943 / 0.825 / 0.799
    #   part 38: 0.725 / 0.069 / 0.929 / 0.857 / 0.873
    31: ({"sentiment": 0.56, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.775,
          "stage_micro_f1": 0.79}, 0.16),
    32: ({"sentiment": 0.69, "candidate_experience_f1": 0.915, "consumer_link_f1": 0.68,
          "stage_micro_f1": 0.82}, 0.16),
    33: ({"sentiment": 0.715, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.865,
          "stage_micro_f1": 0.885}, 0.1),
    34: ({"sentiment": 0.71, "candidate_experience_f1": 0.91, "consumer_link_f1": 0.845,
          "stage_micro_f1": 0.87}, 0.13),
    35: ({"sentiment": 0.695, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.51,
          "stage_micro_f1": 0.865}, 0.07),
    36: ({"sentiment": 0.725, "candidate_experience_f1": 0.895, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.845}, 0.11),
    37: ({"sentiment": 0.71, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.815,
          "stage_micro_f1": 0.785}, 0.14),
    38: ({"sentiment": 0.715, "candidate_experience_f1": 0.915, "consumer_link_f1": 0.845,
          "stage_micro_f1": 0.86}, 0.08),
    # parts 39 to 46 (p7015-p8614), written blind in session 14 by a third round of eight writers: negative
    # posts that sound mild (39), calm neutral accounts (40), long stories through several steps (41), feeds
    # from the US South and Midwest, India and Singapore (42), Hacker News and Mastodon (43), parents, carers,
    # older applicants and career changers (44), posts naming several companies (45), short replies and quote
    # posts (46). First scores of the rules (analyzer 2.49, learned readings aside), in the order above:
    #   part 39: 0.680 / 0.188 / 0.943 / 0.960 / 0.824
    #   part 40: 0.675 / 0.052 / 0.918 / 0.960 / 0.809
    #   part 41: 0.745 / 0.069 / 0.934 / 0.815 / 0.858
    #   part 42: 0.705 / 0.107 / 0.931 / 0.870 / 0.800
    #   part 43: 0.665 / 0.042 / 0.956 / 0.667 / 0.848
    #   part 44: 0.685 / 0.069 / 0.937 / 0.818 / 0.831
    #   part 45: 0.680 / 0.100 / 0.918 / 0.800 / 0.850
    #   part 46: 0.750 / 0.064 / 0.950 / 0.833 / 0.866
    39: ({"sentiment": 0.67, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.95,
          "stage_micro_f1": 0.81}, 0.2),
    40: ({"sentiment": 0.665, "candidate_experience_f1": 0.905, "consumer_link_f1": 0.95,
          "stage_micro_f1": 0.795}, 0.07),
    41: ({"sentiment": 0.735, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.8,
          "stage_micro_f1": 0.845}, 0.08),
    42: ({"sentiment": 0.695, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.855,
          "stage_micro_f1": 0.785}, 0.12),
    43: ({"sentiment": 0.655, "candidate_experience_f1": 0.945, "consumer_link_f1": 0.655,
          "stage_micro_f1": 0.835}, 0.06),
    44: ({"sentiment": 0.675, "candidate_experience_f1": 0.925, "consumer_link_f1": 0.805,
          "stage_micro_f1": 0.82}, 0.08),
    45: ({"sentiment": 0.67, "candidate_experience_f1": 0.905, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.84}, 0.11),
    46: ({"sentiment": 0.74, "candidate_experience_f1": 0.94, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.855}, 0.08),
    # parts 47 to 53 (p8615-p10014), written blind in session 14 by a fourth round of seven writers:
    # negatives a quick reader takes for positive (47), look-alike non-candidate texts full of tone words
    # (48), feeds from the UK and Ireland (49) and the US and Canada (50), stages told in passing (51),
    # positive posts with negative words (52), very short and very long posts (53). First scores of the
    # rules (analyzer 2.50, learned readings aside), in the order above:
    #   part 47: 0.640 / 0.282 / 0.915 / 0.957 / 0.802
    #   part 48: 0.700 / 0.036 / 0.938 / 0.833 / 0.840
    #   part 49: 0.755 / 0.057 / 0.923 / 0.750 / 0.843
    #   part 50: 0.765 / 0.120 / 0.947 / 0.870 / 0.845
    #   part 51: 0.750 / 0.068 / 0.947 / 0.889 / 0.868
    #   part 52: 0.695 / 0.046 / 0.958 / 0.833 / 0.862
    #   part 53: 0.690 / 0.061 / 0.975 / 0.815 / 0.888
    47: ({"sentiment": 0.63, "candidate_experience_f1": 0.9, "consumer_link_f1": 0.945,
          "stage_micro_f1": 0.79}, 0.3),
    48: ({"sentiment": 0.69, "candidate_experience_f1": 0.925, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.83}, 0.05),
    49: ({"sentiment": 0.745, "candidate_experience_f1": 0.91, "consumer_link_f1": 0.705,
          "stage_micro_f1": 0.83}, 0.07),
    50: ({"sentiment": 0.755, "candidate_experience_f1": 0.935, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.835}, 0.13),
    51: ({"sentiment": 0.74, "candidate_experience_f1": 0.935, "consumer_link_f1": 0.875,
          "stage_micro_f1": 0.855}, 0.08),
    52: ({"sentiment": 0.685, "candidate_experience_f1": 0.945, "consumer_link_f1": 0.82,
          "stage_micro_f1": 0.85}, 0.06),
    53: ({"sentiment": 0.68, "candidate_experience_f1": 0.96, "consumer_link_f1": 0.8,
          "stage_micro_f1": 0.875}, 0.08),
    54: ({"sentiment": 0.55, "candidate_experience_f1": 0.87, "consumer_link_f1": 0.655,
          "stage_micro_f1": 0.75}, 0.15),
    55: ({"sentiment": 0.635, "candidate_experience_f1": 0.895, "consumer_link_f1": 0.905,
          "stage_micro_f1": 0.85}, 0.09),
    56: ({"sentiment": 0.655, "candidate_experience_f1": 0.91, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.83}, 0.07),
    57: ({"sentiment": 0.64, "candidate_experience_f1": 0.93, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.825}, 0.18),
    58: ({"sentiment": 0.57, "candidate_experience_f1": 0.915, "consumer_link_f1": 0.865,
          "stage_micro_f1": 0.835}, 0.11),
    59: ({"sentiment": 0.77, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.84}, 0.08),
    60: ({"sentiment": 0.775, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.79,
          "stage_micro_f1": 0.87}, 0.11),
    61: ({"sentiment": 0.69, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.895,
          "stage_micro_f1": 0.875}, 0.1),
    62: ({"sentiment": 0.7, "candidate_experience_f1": 0.92, "consumer_link_f1": 0.655,
          "stage_micro_f1": 0.805}, 0.07),
}


@pytest.fixture(scope="module")
def battery() -> tuple[list[dict], list]:
    """The battery and the rules' reading of it. The floors guard the rules: the learned readings
    (analysis/*_model.py) learn from these texts, so theirs is no measure."""
    items = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rules = Analyzer.rules_alone()
    return items, rules.score_many([i["text"] for i in items], COMPANIES)


def test_battery_is_synthetic_and_well_formed(battery) -> None:
    items, _ = battery
    assert len(items) >= 250
    assert all(i["synthetic"] is True for i in items)
    assert len({i["id"] for i in items}) == len(items)
    assert len(items) == PART16_TO + 200 * len(LATE_PARTS_FLOORS)  # every part has its floors
    assert {i["sentiment"] for i in items} == {"negative", "neutral", "positive"}
    assert sum(i["consumer_link"] for i in items) >= 30


def _metrics(items: list[dict], results: list) -> dict[str, float]:
    themed = [(i, r) for i, r in zip(items, results) if "themes" in i]
    hit = sum(len(set(i["themes"]) & set(r.themes)) for i, r in themed)
    return {
        **E.reading_scores(items, results),
        # (parts 11 to 15 have no theme labels: its writer did not read the taxonomy)
        "theme_recall": hit / total if (total := sum(len(i["themes"]) for i, _ in themed)) else float("nan"),
    }


@pytest.mark.parametrize("part, floors, max_neg_pos", [
    (slice(0, PART7_FROM), FLOORS, MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART7_FROM, PART7_TO), PART7_FLOORS, PART7_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART7_TO, PART8_TO), PART8_FLOORS, PART8_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART8_TO, PART9_TO), PART9_FLOORS, PART9_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART9_TO, PART10_TO), PART10_FLOORS, PART10_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART10_TO, PART11_TO), PART11_FLOORS, PART11_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART11_TO, PART12_TO), PART12_FLOORS, PART12_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART12_TO, PART13_TO), PART13_FLOORS, PART13_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART13_TO, PART14_TO), PART14_FLOORS, PART14_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART14_TO, PART15_TO), PART15_FLOORS, PART15_MAX_NEGATIVES_SCORED_POSITIVE),
    (slice(PART15_TO, PART16_TO), PART16_FLOORS, PART16_MAX_NEGATIVES_SCORED_POSITIVE),
    *((slice(PART16_TO + 200 * k, PART16_TO + 200 * (k + 1)), floors, most)
      for k, (floors, most) in enumerate(LATE_PARTS_FLOORS.values())),
], ids=["parts 1-6", "part 7", "part 8", "part 9", "part 10", "part 11", "part 12", "part 13", "part 14",
        "part 15", "part 16", *(f"part {n}" for n in LATE_PARTS_FLOORS)])
def test_battery_agreement_floors(battery, part: slice, floors: dict, max_neg_pos: float) -> None:
    items, results = battery
    m = _metrics(items[part], results[part])
    low = {k: round(m[k], 3) for k, floor in floors.items() if m[k] < floor}
    assert not low, f"below the floor: {low} (floors {floors})"
    assert m["negatives_scored_positive"] <= max_neg_pos, m


@pytest.mark.parametrize("text, sign", [
    ("Cobalt's hiring process left a lot to be desired.", -1),
    ("Applying and interviewing couldn't have been easier. Well done Fernhill.", 1),
    ("Nothing but good things to say about my Fernhill interview.", 1),
    ("Everyone at Cobalt was super friendly right up until they stopped answering my emails.", -1),
    ("The recruiter said they loved my portfolio. Haven't heard a thing in five weeks.", -1),
    ("thank you fernhill for the lovely automated rejection at 11pm", -1),
    ("Never had an employer reply this quickly after my interview.", 1),
])
def test_ways_of_speaking(text: str, sign: int) -> None:
    s = score_texts([text])[0].sentiment
    assert s * sign > 0.05, (text, s)


def test_a_wait_is_not_a_count_of_rounds() -> None:
    themes = score_texts(["Waited 8 weeks after an interview to hear nothing back."])[0].themes
    assert "excessive_rounds" not in themes
    themes = score_texts(["I did 6 separate interviews for one junior role."])[0].themes
    assert "excessive_rounds" in themes
