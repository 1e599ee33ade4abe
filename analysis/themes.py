"""Theme taxonomy of candidate-experience talk, and theme detection.

Each theme is a complaint or a praise. Themes are found two ways:

* a hiring-lexicon hit (``sentiment.tsv``) names its theme directly, with a
  separate theme for the negated reading ("kept me updated" ->
  transparent_communication, "never kept me updated" -> poor_communication);
* a neutral topic cue (``themes.tsv``: "feedback", "take-home", "recruiter")
  names a complaint theme and a praise theme; the clause's sentiment picks one
  (negative -> complaint, positive -> praise, neutral -> none).

Taxonomy (id: label -- description):

Complaints
  ghosting: No response / ghosting -- silence after applying, interviewing or chasing.
  slow_process: Slow process -- weeks or months between steps, dragged-out decisions.
  no_feedback: No feedback -- no reason or only canned text after a rejection or interview.
  automated_rejection: Automated / keyword rejection -- bots, ATS filters, instant or 3am rejections.
  disorganised_scheduling: Disorganised scheduling -- no-shows, reschedules, wrong links, unprepared interviewers.
  disrespectful_interviewer: Disrespectful interviewer -- rude, dismissive, distracted or inappropriate interviewers.
  excessive_assignments: Excessive assignments -- long unpaid take-homes, "free consulting".
  excessive_rounds: Too many rounds -- long chains of interviews.
  unfair_interview: Irrelevant or unfair questions -- trick questions, tests unrelated to the job.
  clunky_application: Clunky application -- broken portals, retyping the CV, account creation.
  paperwork_burden: Paperwork burden -- stacks of forms, print-sign-scan, fax.
  rescinded_offer: Rescinded or changed offer -- offers pulled or terms changed after acceptance.
  lowball_offer: Lowball offer -- pay far below what was advertised or the market.
  misleading_role: Misleading role -- the job turned out different from the ad (bait and switch).
  poor_communication: Poor communication -- confusing, contradictory or missing information.
  poor_onboarding: Poor onboarding -- no laptop, nobody expecting the new hire.
  discrimination: Bias or discrimination -- judged or questioned on age, sex, looks, disability, family plans.
  sham_vacancy: Sham or cancelled vacancy -- the job was filled already, promised to an insider, or cut.

Praise
  transparent_communication: Transparent communication -- regular updates, clear timelines.
  respectful_treatment: Respectful treatment -- kind, courteous, human treatment (including kind rejections).
  fast_process: Fast process -- quick replies and decisions.
  useful_feedback: Useful feedback -- specific, actionable feedback.
  well_organised: Well-organised process -- punctual, prepared, structured.
  fair_interview: Fair, relevant interview -- questions and tasks that match the job.
  fair_offer: Fair offer -- competitive or generous pay, good negotiation.
  good_onboarding: Good onboarding -- ready equipment, buddy, welcoming first days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.lexicon import Match
from analysis.sentiment import NEUTRAL_EPS, SentenceSentiment

logger = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the taxonomy."""

    id: str
    label: str
    polarity: str  # "complaint" | "praise"
    description: str


def _t(id_: str, label: str, polarity: str, description: str) -> tuple[str, Theme]:
    return id_, Theme(id_, label, polarity, description)


THEMES: dict[str, Theme] = dict([
    _t("ghosting", "No response / ghosting", "complaint",
       "Silence after applying, interviewing or following up."),
    _t("slow_process", "Slow process", "complaint",
       "Weeks or months between steps; decisions that drag on."),
    _t("no_feedback", "No feedback", "complaint",
       "No reason, or only canned text, after a rejection or an interview."),
    _t("automated_rejection", "Automated / keyword rejection", "complaint",
       "Bots, ATS keyword filters, instant or middle-of-the-night rejections."),
    _t("disorganised_scheduling", "Disorganised scheduling", "complaint",
       "No-shows, repeated reschedules, wrong links, interviewers who had not read the CV."),
    _t("disrespectful_interviewer", "Disrespectful interviewer", "complaint",
       "Rude, dismissive, distracted or inappropriate interviewers."),
    _t("excessive_assignments", "Excessive assignments / unpaid work", "complaint",
       "Long unpaid take-home tasks, presentations or 'free consulting'."),
    _t("excessive_rounds", "Too many rounds", "complaint",
       "Long chains of interviews for one role."),
    _t("unfair_interview", "Irrelevant or unfair questions", "complaint",
       "Trick questions and tests unrelated to the job."),
    _t("clunky_application", "Clunky application portal", "complaint",
       "Broken portals, retyping the CV, mandatory accounts."),
    _t("paperwork_burden", "Paperwork burden", "complaint",
       "Stacks of forms, print-sign-scan, fax machines."),
    _t("rescinded_offer", "Rescinded or changed offer", "complaint",
       "Offers withdrawn, or their terms changed after acceptance."),
    _t("lowball_offer", "Lowball offer", "complaint",
       "Pay far below the advertised range or the market."),
    _t("misleading_role", "Misleading job description", "complaint",
       "The role turned out different from what was advertised."),
    _t("poor_communication", "Poor communication", "complaint",
       "Confusing, contradictory or missing information about the process."),
    _t("poor_onboarding", "Poor onboarding", "complaint",
       "No equipment or access, nobody expecting the new hire."),
    # the two below came from the real posts' theme reading (session 18): readers named them most often
    # among the complaints no theme covered
    _t("discrimination", "Bias or discrimination", "complaint",
       "Asked about, or judged on, age, sex, looks, disability, family plans, religion or origin."),
    _t("sham_vacancy", "Sham or cancelled vacancy", "complaint",
       "The job was filled already or promised to an insider, never open, or cut late in the process."),
    _t("transparent_communication", "Transparent communication", "praise",
       "Regular updates and clear timelines, even when there is no news."),
    _t("respectful_treatment", "Respectful treatment", "praise",
       "Kind, courteous, human treatment, including considerate rejections."),
    _t("fast_process", "Fast process", "praise",
       "Quick replies and decisions."),
    _t("useful_feedback", "Useful feedback", "praise",
       "Specific, actionable feedback after an interview or rejection."),
    _t("well_organised", "Well-organised process", "praise",
       "Punctual, prepared, clearly structured steps."),
    _t("fair_interview", "Fair, relevant interview", "praise",
       "Questions and tasks that match the job."),
    _t("fair_offer", "Fair offer", "praise",
       "Competitive or generous pay; a good-faith negotiation."),
    _t("good_onboarding", "Good onboarding", "praise",
       "Equipment ready, a buddy, welcoming first days."),
])
THEME_ORDER = {t: i for i, t in enumerate(THEMES)}


LEXICON_REASON = "lexicon:"  # how a theme's reason opens when a hiring-lexicon term names it


def themes_for_sentence(sent: SentenceSentiment, matches: list[Match]) -> list[tuple[str, str]]:
    """Themes found in one sentence as (theme id, reason) pairs. Unknown ids are dropped.

    ``matches``: the sentence's ``themes.tsv`` matches (``LexiconBundle.themes``).
    """
    found: list[tuple[str, str]] = []
    themed_clauses: set[int] = set()
    for hit in sent.hits:
        if hit.theme and hit.theme in THEMES:
            found.append((hit.theme, f"{LEXICON_REASON}{hit.term}{' (negated)' if hit.negated else ''}"))
            themed_clauses.add(sent.clause_of(hit.token))
    for m in matches:
        k = sent.clause_of(m.start)
        if k in themed_clauses:
            continue  # the clause's own lexicon hit already says what it is about
        clause = sent.clauses[k]
        comp = clause[2]
        if abs(comp) < NEUTRAL_EPS:
            comp = sent.compound
        complaint, praise = m.entry.fields[0], m.entry.fields[1]
        theme = None
        if comp <= -NEUTRAL_EPS and complaint not in ("-", ""):
            theme = complaint
        elif comp >= NEUTRAL_EPS and praise not in ("-", ""):
            theme = praise
        if theme and theme in THEMES:
            found.append((theme, f"cue:{m.entry.term} in {'negative' if comp < 0 else 'positive'} clause"))
    return found


def order_themes(ids) -> tuple[str, ...]:
    """Deduplicate theme ids and put them in taxonomy order."""
    return tuple(sorted(set(ids), key=THEME_ORDER.__getitem__))
