"""Company resolution: aliases, word boundaries, case, possessives, common-word aliases."""

from __future__ import annotations

from analysis import lexicon
import pytest

from analysis.companies import changed_names, compile_companies, find_companies
from analysis.scoring import score_texts

COMPANIES = [("Brightwater", ["Brightwater Goods", "BWG"]), ("Cobalt Outfitters", ["Cobalt"]),
             ("Fernhill Market", ["Fernhill"])]


def _names(text: str) -> tuple[str, ...]:
    matcher = compile_companies(COMPANIES, lexicon.load().common_words)
    return find_companies(text, matcher)[0]


def test_aliases_case_and_possessive() -> None:
    assert _names("Brightwater's recruiter never called") == ("Brightwater",)
    assert _names("interviewed at brightwater goods last week") == ("Brightwater",)
    assert _names("BWG ghosted me") == ("Brightwater",)
    assert _names("Fernhills' managers were nice") == ("Fernhill Market",)


def test_word_boundaries() -> None:
    assert _names("BWGX is a different firm") == ()
    assert _names("the Brightwaterside cafe") == ()


def test_common_word_alias_needs_context() -> None:
    assert _names("I had an interview at Cobalt yesterday") == ("Cobalt Outfitters",)
    assert _names("Cobalt's recruiter was lovely") == ("Cobalt Outfitters",)
    assert _names("Cobalt blue jacket for sale, size M") == ()
    assert _names("my favourite colour is cobalt") == ()
    assert _names("Cobalt is a chemical element") == ()
    assert _names("Cobalt Outfitters is hiring") == ("Cobalt Outfitters",)


def test_order_of_first_mention_and_dedup() -> None:
    assert _names("Fernhill then BWG then Fernhill again") == ("Fernhill Market", "Brightwater")


def test_changed_names_are_those_a_text_must_hold_to_resolve_otherwise() -> None:
    assert changed_names(COMPANIES, COMPANIES) == frozenset()
    assert changed_names(COMPANIES, [(n, list(a)) for n, a in COMPANIES]) == frozenset()   # (lists or tuples)
    fewer = [("Brightwater", ["Brightwater Goods"]), *COMPANIES[1:]]
    assert changed_names(COMPANIES, fewer) == changed_names(fewer, COMPANIES) == {"bwg"}
    # a new company: its name, its aliases and the hashtag form of each name of more than one word
    more = [*COMPANIES, ("Lantern Supply Co", ["Lantern"])]
    assert changed_names(COMPANIES, more) == {"lantern supply co", "#lanternsupplyco", "lantern"}
    assert changed_names([], COMPANIES[1:2]) == {"cobalt outfitters", "#cobaltoutfitters", "cobalt"}
    # an alias given to another company; the case of a name is no change (matching ignores it)
    moved = [("Brightwater", ["Brightwater Goods"]), ("Cobalt Outfitters", ["Cobalt", "BWG"]), COMPANIES[2]]
    assert changed_names(COMPANIES, moved) == {"bwg"}
    assert changed_names(COMPANIES, [("Brightwater", ["brightwater goods", "bwg"]), *COMPANIES[1:]]) == frozenset()
    # one alias under two companies: the first in the config takes it, so their order is a change of that name
    shared = [("Acme", ["AC"]), ("Acme Cargo", ["AC"])]
    assert changed_names(shared, shared[::-1]) == {"ac"}
    # names of one length are tried in the config's order: the first takes the words they share ("ab cd ef"), and
    # is the first the explanation lists, so names of one length that swap places are changes
    assert {"ab cd", "cd ef"} <= changed_names([("Ab", ["ab cd"]), ("Cd", ["cd ef"])],
                                               [("Cd", ["cd ef"]), ("Ab", ["ab cd"])])
    assert changed_names(COMPANIES, COMPANIES[::-1]) == {"brightwater goods", "cobalt outfitters",
                                                         "#brightwatergoods", "#cobaltoutfitters"}
    assert changed_names(COMPANIES, [COMPANIES[1], COMPANIES[0], COMPANIES[2]]) == changed_names(
        COMPANIES, COMPANIES[::-1])
    assert changed_names(COMPANIES, [COMPANIES[0], COMPANIES[2], COMPANIES[1]]) == frozenset()   # (none of one length)


def test_what_changed_names_leaves_out_resolves_as_before() -> None:
    """The promise analyze's prefilter rests on: a text holding none of the changed names reads the same."""
    changes = [[("Brightwater", ["Brightwater Goods"]), *COMPANIES[1:]], [*COMPANIES, ("Lantern Supply Co", ["Lantern"])],
               [("Brightwater", ["Brightwater Goods"]), ("Cobalt Outfitters", ["Cobalt", "BWG"]), COMPANIES[2]],
               COMPANIES[::-1], COMPANIES[:1]]
    texts = ["Fernhill then BWG then Fernhill again", "Interviewed at Cobalt and they ghosted me.",
             "#BrightwaterGoods ghosted me", "My Lantern Supply Co order and BWG's recruiter",
             "three rounds with #CobaltOutfitters and nothing", "Lantern from Brightwater stopped charging.",
             "Brightwater Goods, Cobalt Outfitters and Fernhill: all three ghosted me"]
    common = lexicon.load().common_words
    before = compile_companies(COMPANIES, common)
    kept = 0
    for after in changes:
        names, matcher = changed_names(COMPANIES, after), compile_companies(after, common)
        for text in texts:
            if not any(name in text.lower() for name in names):
                kept += 1
                assert find_companies(text, matcher) == find_companies(text, before), (after, text)
    assert kept >= len(changes) * 2   # (the check ran on texts of every change)


def test_score_texts_passes_companies() -> None:
    r = score_texts(["Interviewed at Cobalt and they ghosted me."], companies=COMPANIES)[0]
    assert r.companies == ("Cobalt Outfitters",)
    assert any(d["accepted"] for d in r.explanation["companies"])
    assert score_texts(["Interviewed at Cobalt and they ghosted me."])[0].companies == ()


def test_companies_are_looked_for_in_the_text_sentences_are_read_from() -> None:
    from analysis.scoring import MAX_TEXT_CHARS

    calm = "The weather was mild and the trains ran on time. "
    filler = calm * (MAX_TEXT_CHARS // len(calm) + 1)
    late = filler + "Interviewed at Cobalt and they ghosted me."
    early = "Interviewed at Cobalt and they ghosted me. " + filler
    assert len(filler) > MAX_TEXT_CHARS
    # (named after the 20,000th character: past what the analysis reads of a text, its sentences too)
    assert score_texts([late, early], companies=COMPANIES)[0].companies == ()
    assert score_texts([early], companies=COMPANIES)[0].companies == ("Cobalt Outfitters",)


def test_shopping_sentences_possessives_and_hashtags() -> None:
    assert _names("The Cobalt fleece pilled after two washes.") == ("Cobalt Outfitters",)
    assert _names("Bought the Cobalt hiking boots last spring") == ("Cobalt Outfitters",)
    assert _names("Looking for a cobalt blue jacket, size 8") == ()
    assert _names("applied to cobalt for the christmas temp job") == ("Cobalt Outfitters",)
    assert _names("been a cobalts regular for years") == ("Cobalt Outfitters",)
    assert _names("fernhills asked me in for a trial shift") == ("Fernhill Market",)
    assert _names("three rounds with #CobaltOutfitters and nothing") == ("Cobalt Outfitters",)
    assert _names("trial shift at #FernhillMarket done") == ("Fernhill Market",)
    assert _names("#BrightwaterGoods ghosted me") == ("Brightwater",)
    assert _names("cobalt oxide mining jobs are hiring") == ()


def test_ascii_fast_path_finds_what_the_regex_finds() -> None:
    """An ASCII text is matched only where the lower-cased alias occurs; the matches (overlapping
    occurrences, glued repeats, plurals, hashtags, apostrophes) are those of the alias regex run
    along the whole text, and a non-ASCII text still goes through the regex."""
    from analysis.companies import _matches_at

    matcher = compile_companies([*COMPANIES, ("Anna", ["AnnaAnna"]), ("Tom Tom", [])], lexicon.load().common_words)
    texts = ["BWGBWG BWG bwg's, (BWG) BWGs BWGs' x-BWG BWG&Co", "annaannaanna AnnaAnna anna-anna ANNAANNA!",
             "#BrightwaterGoods #brightwatergoodsX Brightwater Goods' brightwater  goods", "cobalt cobalts cobalt's", "tom tom tom tom Tom Toms tom"]
    for text in texts:
        for alias in matcher.aliases:
            expected = [(m.span(), m.group(0)) for m in alias.pattern.finditer(text)]
            assert [(m.span(), m.group(0)) for m in _matches_at(alias, text, text.lower())] == expected
    assert _names("I applied at Fernhill\u2019s and Brightwater \u2014 BWG\u2019s recruiter called") == (
        "Fernhill Market", "Brightwater")


BRANDS = [("Indeed", []), ("Gap", []), ("United Airlines", ["United"]), ("Amazon", []), ("JPMorgan Chase", ["Chase"]),
          ("Target", []), ("UPS", []), ("Lush", []), ("Cobalt Outfitters", ["Cobalt"]), ("Square", [])]


def _brands(text: str) -> tuple[str, ...]:
    return find_companies(text, compile_companies(BRANDS, lexicon.load().common_words))[0]


@pytest.mark.parametrize(("text", "expected"), [
    # everyday words in a candidate's post (session 19: real posts read for the companies they name)
    ("The recruiter was indeed lovely, and then silence.", ()),
    ("He asked about the gap in my CV during the interview.", ()),
    ("Interviewers kept asking about my target salary.", ()),
    ("Had to chase them twice for an answer.", ()),
    ("The follow-ups from HR never came.", ()),
    ("We moved to the United States for my husband's job.", ()),
    ("The store smelled of lush green plants.", ()),
    # the companies themselves
    ("Applied through Indeed and heard nothing.", ("Indeed",)),
    ("Later that week Target called me back.", ("Target",)),  # a capital mid-sentence is a name
    ("My mom said Amazon was looking for package handlers.", ("Amazon",)),
    ("I work at gap on weekends and they ghosted my transfer request.", ("Gap",)),
    ("United flew me out for the onsite.", ("United Airlines",)),
    ("Rejected By Target After Three Rounds", ("Target",)),  # a headline's capitals are no other name
    # a capitalised word just before it, mid-sentence, ends another name (session 22: "Union Square")
    ("The group interview was at their store near Grand Target in the old mall.", ()),
    ("We queued outside the Lush store by Union Square before the hiring day.", ("Lush",)),
    ("How I Got Hired At Target", ("Target",)),  # a title's run of capitals
    ("Applied to Walmart, Chase and Target in one week.", ("JPMorgan Chase", "Target")),  # a list's comma
    ("Honestly I think Amazon ghosted half the town.", ("Amazon",)),  # "I" begins no name
    ("got the cobalt rejection today. short email, no feedback.", ("Cobalt Outfitters",)),  # an all-lower-case post
])
def test_brand_names_that_are_everyday_words(text: str, expected: tuple[str, ...]) -> None:
    assert _brands(text) == expected


def test_a_name_after_bare_punctuation_is_read_without_a_word_before_it() -> None:
    assert _brands(", Target Corporation is hiring") == ("Target",)
    assert _brands("(Target) called me back about the role.") == ("Target",)


def test_a_shouted_word_after_the_name_is_no_other_name() -> None:
    assert _brands("Shelves half empty at Cobalt AGAIN this weekend") == ("Cobalt Outfitters",)
    assert _brands("Five weeks between the Cobalt phone screen and the panel.") == ("Cobalt Outfitters",)
