"""Consumer link: the writer ties a hiring experience to being a customer.

A text has a consumer link when it contains a customer-status cue from
``analysis/lexicon/consumer.tsv`` ("never buying from them again", "I've
shopped there for years", "cancelled my subscription") *and* it is about
hiring (a candidate-experience text, or one with strong hiring-stage cues).
A product complaint with "never buying again" but no hiring content is not a
consumer link. A candidate's own story that also tells the writer's standing as a customer of the
employer, in words no cue lists ("I own three of their jackets", "we've paid for Quillon's team plan
since 2019", "I get my prescriptions through Larkspur's pharmacy"), is one as well
(:func:`customer_relation`). Pure functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.lexicon import Match
from analysis.sentiment import SentenceSentiment

logger = logging.getLogger(__name__)

KINDS = ("leave", "stay")


@dataclass(frozen=True, slots=True)
class ConsumerCue:
    kind: str
    term: str
    text: str


# a cue that spans a hiring word is about a job, not custom: "get hired somewhere else", "take a job elsewhere"
HIRING_WORDS = frozenset({"hired", "hire", "hiring", "interview", "interviewed", "interviewing", "job", "jobs",
                          "position", "role", "career"})
# a customer named as a job or a department: "as a Customer Service Manager", "a customer support role"
STANDINGS = frozenset({"customer", "customers", "client", "clients", "member", "shopper", "subscriber"})
ROLE_WORDS = frozenset({"service", "services", "support", "care", "success", "experience", "relations", "advisor",
                        "adviser", "assistant", "representative", "rep", "associate", "agent", "manager", "team"})


def find_consumer_cues(sent: SentenceSentiment, matches: list[Match]) -> list[ConsumerCue]:
    """The consumer-status cues of one sentence, in order; ``matches`` are its ``consumer.tsv``
    matches (``LexiconBundle.consumer``, found in the scorer's pass over the tokens). A match that spans a
    hiring word, or whose customer is the start of a job's name, is no cue."""
    norm = sent.norm
    return [ConsumerCue(m.entry.fields[0], m.entry.term, " ".join(sent.tokens[m.start:m.end]))
            for m in matches if m.entry.fields[0] in KINDS and HIRING_WORDS.isdisjoint(norm[m.start:m.end])
            and not (norm[m.end - 1] in STANDINGS and m.end < len(norm) and norm[m.end] in ROLE_WORDS)]


def consumer_link(cues: list[ConsumerCue], about_hiring: bool) -> bool:
    """True when there is at least one cue and the text is about hiring."""
    return bool(cues) and about_hiring


# the writer as the subject: "I", "we", "we've", "my wife and I"; a few adverbs may follow ("I also buy")
WRITER = frozenset({"i", "i've", "ive", "i'm", "im", "i'd", "we", "we've", "weve", "we're", "we'd"})
WRITER_ADVERBS = frozenset({"also", "still", "always", "even", "just", "already", "now", "personally", "all",
                            "both", "have", "had", "been", "do", "did", "happily", "gladly", "quietly", "then",
                            "really", "actually", "usually", "often", "normally", "regularly", "sometimes", "first",
                            "was", "were", "am", "only", "solely", "exclusively", "mostly", "mainly"})
# verbs that lead into a customer's "-ing" verb ("I really like shopping at REI", "we went shopping at ...")
LEADS = frozenset({"like", "liked", "love", "loved", "enjoy", "enjoyed", "go", "went", "going"})
# a fan's verbs: the writer loves the employer by name ("I love Apple computers", "I've loved Lush for years")
LOVE_VERBS = frozenset({"love", "loved", "adore", "adored"})
# what may follow a verb of love in a shouted sentence ("I LOVE THIS JOB") and is no name
SHOUTED = frozenset({"this", "that", "it", "it's", "the", "my", "our", "your", "you", "them", "their", "to", "how",
                     "what", "when", "being", "working", "everything", "all", "so", "every", "a", "an"})

# what a customer does with the employer's goods or services
RELATION_VERBS = frozenset({"paid", "pay", "paying", "own", "owned", "buy", "buying", "bought", "use", "using",
                            "bank", "banked", "banking", "shop", "shopped", "order", "ordered", "ordering",
                            "renew", "renewed", "renewing", "get", "getting", "take", "taking", "registered",
                            "subscribe", "subscribed", "wear", "wearing", "on", "a", "an"})
# the verbs a terse sentence may open with, its subject unsaid ("Switched to Cobalt for all my gear."):
# past forms and "-ing" forms only, since a bare verb opening a sentence is an imperative
UNSAID_SUBJECT_VERBS = frozenset({"paid", "paying", "owned", "bought", "buying", "used", "using", "banked", "banking",
                                  "shopped", "ordered", "ordering", "renewed", "renewing", "getting", "taking",
                                  "registered", "subscribed", "wearing", "moved", "moving", "transferred",
                                  "switched", "switching", "cancelled", "canceled", "cancelling", "closed", "closing",
                                  "pulled", "ditched", "dropped"})
# what a customer does in leaving ("moved my ISA out", "transferred my prescription"): the writer's own
# goods are the employer's here, so "my" and "our" tie the noun as "their" does
CHANGE_VERBS = frozenset({"moved", "moving", "transferred", "transferring", "switched", "switching", "cancelled",
                          "canceled", "cancelling", "closed", "closing", "pulled", "pulling", "ditched", "dropped"})
# the goods, services and standings a customer has ("a Larkspur patient", "their team plan")
CUSTOMER_NOUNS = frozenset({
    "mortgage", "isa", "isas", "savings", "prescription", "prescriptions", "gp", "physio", "subscription",
    "subscriptions", "plan", "membership", "jacket", "jackets", "coat", "coats", "gear", "boots", "fleece",
    "fleeces", "tent", "product", "products", "software", "licence", "license", "seats", "pharmacy",
    "patient", "customer", "user", "shopper", "member", "subscriber", "clinic", "groceries", "shopping",
    "app", "loan", "pension", "deliveries", "kit", "account", "accounts", "registration", "practice",
    "practices", "sessions", "appointments", "card", "pro", "premium", "plus"})
# nouns a candidate has too ("set up an account on their portal"): custom only after a change verb
CHANGE_ONLY_NOUNS = frozenset({"account", "accounts", "registration", "practice", "practices", "sessions",
                               "appointments", "card"})
# words that tie the noun to an owner: theirs ("their app"), a name's ("Larkspur's pharmacy"), a preposition
OWNER_WORDS = frozenset({"their", "them", "its", "with", "from", "at", "through", "of"})
# a customer's "-ing" verbs before the writer's goods ("while renewing my annual plan")
GERUNDS = frozenset({"renewing", "paying", "using", "ordering", "banking", "getting", "taking", "wearing"})
# nouns that are custom once the employer's name stands before them ("my Brightwater delivery pass")
NAMED_NOUNS = frozenset({"pass", "account", "card", "order", "orders", "basket", "points"})
# a customer's dealings told in hiring words: "my Tidewell mortgage application", "my refund request"
PRODUCT_PROCESSES = frozenset({"application", "applications", "request", "requests", "claim", "claims"})
RELATION_SPAN = 7  # tokens from the verb to the noun
CLAUSE_WORDS = frozenset({"and", "but", "because", "so", "then"})
CLAUSE_ENDS = frozenset(".,;:!?")
# verbs that are custom by themselves: an owner is enough ("shopped at Fernhill since 1998", "banked with them")
SELF_CUSTOM_VERBS = frozenset({"shop", "shopped", "shopping", "bank", "banked", "banking"})


_CUSTOM_WORDS = CUSTOMER_NOUNS | NAMED_NOUNS | SELF_CUSTOM_VERBS


def customer_relation(tokens: list[str] | tuple[str, ...], norm: tuple[str, ...]) -> str:
    """The writer's standing as a customer told in one sentence, as its words, else "": the writer as
    subject, a customer's verb ("paid for", "own", "use", "get ... through", "still on") or "a ...
    patient/user", and within RELATION_SPAN tokens a customer noun tied to an owner: "their",
    "Larkspur's", a name ("a Larkspur patient") or "with/from/at/through/of"; or a verb of leaving
    ("moved", "transferred", "cancelled") and the writer's own customer goods ("moved my ISA out",
    "transferred my prescription", "switched our GP registration"). A terse sentence may leave the writer
    unsaid when it opens with a past or "-ing" verb ("Switched to Cobalt for all my hiking gear", "Still
    taking my kids to their clinic"). The writer's goods named by the employer ("my Brightwater delivery
    pass") or a customer's "-ing" verb on them ("while renewing my annual plan") count too.
    ``tokens``: the raw tokens (a name is capitalised); ``norm``: their normal forms."""
    if _CUSTOM_WORDS.isdisjoint(norm) and LOVE_VERBS.isdisjoint(norm):
        return ""  # (every reading below needs a customer noun, a shopping or banking verb, or love)
    n = len(norm)
    # the writer as subject, or a terse sentence opening with the verb ("Shopped there since 1998.")
    for i in (-1, *(i for i, w in enumerate(norm) if w in WRITER)):
        j = i + 1
        while j < n and (norm[j] in WRITER_ADVERBS or (norm[j] in LEADS and j + 1 < n
                                                         and norm[j + 1].endswith("ing"))):
            j += 1
        if (i >= 0 and j + 1 < n and norm[j] in LOVE_VERBS and norm[i] not in ("i'd", "we'd")
                and _named(tokens[j + 1], norm[j + 1])):
            return " ".join(tokens[i:j + 2])  # "I love Apple computers", "I've loved Lush"
        if j >= n or (norm[j] not in RELATION_VERBS and norm[j] not in CHANGE_VERBS
                      and norm[j] not in SELF_CUSTOM_VERBS):
            continue
        if i < 0 and norm[j] not in UNSAID_SUBJECT_VERBS:
            continue  # "Use their app to track it": advice, not the writer's custom
        change = norm[j] in CHANGE_VERBS
        if norm[j] in ("a", "an") and (j == i + 1 or norm[j - 1] not in ("been", "i'm", "im", "was")):
            continue  # "a ... patient" only as a standing: "I've been a Larkspur patient", "I'm a user"
        owned, owned_at = False, 0
        for k in range(j + 1, min(n, j + 1 + RELATION_SPAN)):
            t = norm[k]
            if (t in OWNER_WORDS or t.endswith("'s") or (tokens[k][:1].isupper() and t != "i")
                    or (change and t in ("my", "our"))):
                owned, owned_at = True, owned_at or k
            # (a shopping or banking verb is custom by its owner next to it: "shopped at Fernhill", not
            # "shopping around for a new job when Northgate called")
            if (owned_at == j + 1 and norm[j] in SELF_CUSTOM_VERBS and t not in OWNER_WORDS
                    and t not in ("the", "a", "an", "my")):
                return " ".join(tokens[max(i, 0):k + 1])
            if (t in CUSTOMER_NOUNS and (change or t not in CHANGE_ONLY_NOUNS)
                    and (owned or (k + 1 < n and norm[k + 1] in OWNER_WORDS))):
                if norm[j] in ("paid", "pay", "paying") and norm[j + 1:j + 2] == ("into",):
                    break  # "paid into a Tidewell account": wages, not custom
                return " ".join(tokens[max(i, 0):k + 1])
            if t in CLAUSE_WORDS or tokens[k][-1:] in CLAUSE_ENDS:
                break  # the noun must stand in the verb's clause
    # the writer's goods named by the employer's name ("my Brightwater delivery pass", "our Quillon plan"),
    # or a customer's "-ing" verb on them anywhere ("while renewing my annual plan")
    for k, w in enumerate(norm):
        if w not in ("my", "our"):
            continue
        if norm[k + 1:k + 3] in (("love", "for"), ("love", "of")) and k + 3 < n and _named(tokens[k + 3], norm[k + 3]):
            return " ".join(tokens[k:k + 4])  # "my love for Disney"
        verb = k > 0 and norm[k - 1] in GERUNDS
        named = False
        for m in range(k + 1, min(n, k + 5)):
            if norm[m] in CUSTOMER_NOUNS or (named and norm[m] in NAMED_NOUNS):  # ("my GP practice": no name)
                if m + 1 < n and norm[m + 1] in PRODUCT_PROCESSES:
                    break  # "My Tidewell mortgage application was rejected": a customer's own dealings
                if named or (verb and norm[m] not in CHANGE_ONLY_NOUNS):
                    return " ".join(tokens[k - 1 if verb else k:m + 1])
                break
            if tokens[m][:1].isupper():
                named = True
    return ""


def _named(token: str, norm: str) -> bool:
    """Whether ``token`` is a name: capitalised, not "I", and not a shouted everyday word ("I LOVE THIS")."""
    return token[:1].isupper() and norm != "i" and not (token.isupper() and norm in SHOUTED)
