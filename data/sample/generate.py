#!/usr/bin/env python3
"""Generate hirepulse's bundled SYNTHETIC sample data (the data behind ``hirepulse demo``).

Everything this script writes is synthetic. Every sentence is composed from fragments
written by the hirepulse team for this file, and the companies (Brightwater, Cobalt
Outfitters, Fernhill Market), people, handles, e-mail addresses (example.com), phone
numbers (555) and URLs (example.com / .org / .net) are fictional. No text was taken from
real reviews, posts or articles.

Usage::

    python data/sample/generate.py                 # rewrite the files next to this script
    python data/sample/generate.py --out-dir DIR   # write them somewhere else
    python data/sample/generate.py --stats         # also print counts per file/company/month

The output is deterministic (fixed seed, stdlib only). Tests import this module and use
:func:`generate_records` (records with their internal labels) and :func:`render`.

The story the dashboard should reveal: in 2026 Q1 Brightwater has a "ghosting wave" (silence
after final interviews, automated rejections, onboarding paperwork chaos), with candidate
volume about 2.6x its 2025 level (2.9x for public posts) and strongly negative sentiment,
peaking in late February.
About five weeks after the wave starts, Brightwater's consumer-brand sentiment dips, then
recovers by summer 2026. Cobalt Outfitters (slow, mixed) and Fernhill Market (fast, gives
feedback) stay steady.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = 20250501
START = date(2025, 5, 1)
END = date(2026, 10, 31)
HERE = Path(__file__).resolve().parent

FILES = {
    "reviews": "reviews_export.csv",
    "survey": "candidate_survey.csv",
    "forum": "forum_posts.jsonl",
    "social": "social_posts.jsonl",
    "news": "news_blogs.csv",
}
OUTPUT_FILES = tuple(FILES.values())
STAGES = ("application", "screening", "interview", "offer", "rejection", "onboarding")

BW, CO, FH = "Brightwater", "Cobalt Outfitters", "Fernhill Market"
COMPANIES = (BW, CO, FH)

# Key dates of the story.
WAVE_START = date(2026, 1, 1)
WAVE_END = date(2026, 3, 31)
CLUSTER = (date(2026, 2, 16), date(2026, 2, 28))
DIP_START = date(2026, 2, 9)          # about five weeks after the wave begins
DIP_TROUGH = (date(2026, 3, 1), date(2026, 4, 30))
DIP_RECOVERED = date(2026, 6, 15)

# ---------------------------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------------------------

MENTIONS = {  # how people write the name, with weights
    BW: [("Brightwater", 7), ("Brightwater Goods", 2), ("BWG", 2)],
    CO: [("Cobalt Outfitters", 6), ("Cobalt", 4)],
    FH: [("Fernhill Market", 5), ("Fernhill", 5)],
}
HASHTAGS = {BW: ["#Brightwater", "#BWG"], CO: ["#CobaltOutfitters"], FH: ["#FernhillMarket", "#Fernhill"]}
SITE_NAME = {BW: "Brightwater Goods", CO: "Cobalt Outfitters", FH: "Fernhill Market"}  # review site
SLUG = {BW: "brightwater-goods", CO: "cobalt-outfitters", FH: "fernhill-market"}

ROLES = {
    BW: ["store associate", "warehouse associate", "assistant store manager", "customer service advisor",
         "merchandising analyst", "e-commerce software engineer", "supply chain planner", "visual merchandiser",
         "delivery driver", "buyer for the camping range", "seasonal stockroom associate", "data analyst"],
    CO: ["sales associate", "store manager", "product designer", "warehouse picker", "repair technician",
         "marketing coordinator", "e-commerce analyst", "seasonal sales associate"],
    FH: ["cashier", "bakery assistant", "produce clerk", "shift supervisor", "deli associate", "store manager",
         "HR coordinator", "category analyst", "delivery driver"],
}
PRODUCTS = {  # (plural, singular with no article problems)
    BW: [("tents", "tent"), ("camp chairs", "camp chair"), ("kayaks", "kayak"), ("lanterns", "lantern"),
         ("coolers", "cooler"), ("sleeping bags", "sleeping bag"), ("duvet covers", "duvet cover"),
         ("storage bins", "storage bin"), ("camp stoves", "camp stove"), ("garden hoses", "garden hose"),
         ("towels", "bath towel set"), ("pans", "frying pan")],
    CO: [("rain jackets", "rain jacket"), ("hiking boots", "pair of hiking boots"), ("fleeces", "fleece"),
         ("daypacks", "daypack"), ("base layers", "base layer"), ("trail shoes", "pair of trail shoes"),
         ("ski gloves", "pair of ski gloves")],
    FH: [("sourdough loaves", "sourdough loaf"), ("coffee beans", "bag of coffee beans"),
         ("cut flowers", "bunch of flowers"), ("ready meals", "ready meal"), ("olive oils", "bottle of olive oil"),
         ("cheeses", "wedge of cheese"), ("kitchen towels", "pack of kitchen towels")],
}
CITIES = ["Riverside", "Millbrook", "Lakeview", "Harborview", "Oak Falls", "Northgate", "Cedar Grove",
          "Westhaven", "Elm Park", "Stonebridge", "Brookfield", "Port Ellery", "Ashford Hills", "Kingsmere"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WEEKS = ["two", "three", "four", "five", "six", "7", "8"]
DAYS = ["four", "five", "six", "nine", "10", "12", "14"]
ROUNDS = ["three", "four", "five", "six"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

# ---------------------------------------------------------------------------------------------
# Hand-written fragments. Placeholders: {co} company as written, {a_role} role with article,
# {role}, {product} singular, {products} plural, {city}, {weekday}, {weeks}, {days}, {rounds},
# {month} (a month shortly before the post).
# ---------------------------------------------------------------------------------------------

CAND = {
    "application": {
        "pos": [
            "Applying took maybe ten minutes, and the form didn't make me retype my whole CV.",
            "The {co} application was short and to the point, which I appreciated.",
            "Got an automatic confirmation right away and a realistic timeline in the same email.",
            "Their careers page listed the pay range for the {role} job up front.",
            "Applied on a Sunday night and had a reply by Wednesday.",
            "Simple online form, no personality quiz, no account creation maze.",
            "The job description matched the actual job, which is rarer than it should be.",
            "Applied through the kiosk in the {city} store and someone followed up the same week.",
        ],
        "neg": [
            "The application portal crashed twice and wiped everything I had typed.",
            "Forty-minute application including a personality test for {a_role} role. Seriously?",
            "Uploaded my resume and then had to type every line of it again by hand.",
            "Applied in {month} and the posting is still up, still no acknowledgement.",
            "Not a single confirmation email after applying, I had to log into the portal to see if it even went through.",
            "The posting said entry level and then asked for five years of experience.",
            "Love an application form that times out after 15 minutes. Very efficient.",
            "Their careers site would only take a Word file, not a PDF. In this day and age.",
        ],
        "mixed": [
            "The application itself was quick, but the portal never showed a status beyond 'received'.",
            "Easy to apply, hard to find out anything afterwards.",
            "The form was fine, though the pay range was nowhere to be found.",
            "Application was painless; the auto-reply promised an answer in five days and it took {weeks} weeks.",
        ],
    },
    "screening": {
        "pos": [
            "The recruiter call was relaxed and she explained the whole process to me step by step.",
            "Phone screen started on time, lasted twenty minutes, and the recruiter had clearly read my resume.",
            "The screener was upfront about pay and schedule, so no surprises later.",
            "Recruiter called back within two days of my application, which honestly surprised me.",
            "Short video screen, clear questions, and they told me when I would hear back. I did.",
            "The HR person was friendly and never rude, even when I asked about salary straight away.",
            "Quick chat with a recruiter who knew the {role} team well.",
        ],
        "neg": [
            "The recruiter missed my phone screen twice and never apologised.",
            "One-way video interview with a countdown timer and no human in sight. Felt like talking to a wall.",
            "Screening call started 25 minutes late and the recruiter kept calling me by the wrong name.",
            "The recruiter asked for my current salary three different ways after I said I'd rather not share it.",
            "Had a phone screen booked, nobody called. Rebooked, nobody called again.",
            "The screener read questions off a script and clearly had not looked at my application.",
            "Asked about the salary range and was told 'we'll discuss that later'. We never did.",
        ],
        "mixed": [
            "Recruiter was nice enough but couldn't answer basic questions about the role.",
            "The screen was fine, though it was rescheduled twice before it happened.",
            "Friendly recruiter, chaotic scheduling.",
            "Phone screen went well; the automated scheduling tool that came after did not.",
        ],
    },
    "interview": {
        "pos": [
            "The panel interview was one of the better ones I've had: practical questions, no trick puzzles.",
            "My interviewers were prepared, kind and kept to time.",
            "The hiring manager walked me around the store and answered every question I had.",
            "They sent the interview agenda in advance, including who I'd meet and for how long.",
            "{rounds} rounds, all well organised, and each interviewer introduced themselves properly.",
            "The case exercise was relevant to the actual job and they gave me time to prepare.",
            "I never felt rushed, and nobody was rude or dismissive.",
            "Final round was with the regional manager, who was warm and clearly liked her team.",
            "Great conversation with the team lead, felt more like a chat than an interrogation.",
        ],
        "neg": [
            "My interviewer spent half the time looking at his phone.",
            "{rounds} rounds for {a_role} position is ridiculous.",
            "Showed up for an in-person interview and nobody at the front desk knew who I was meant to meet.",
            "They asked for a take-home task that ate my whole weekend, then never mentioned it again.",
            "Panel of five people, none of whom had read my resume.",
            "My interview got moved three times, once with about an hour's notice.",
            "The manager asked whether I had kids. In an interview. In this century.",
            "Wonderful experience if you enjoy answering the same question from four different people.",
        ],
        "mixed": [
            "The interview itself went well and the people were friendly, but {rounds} rounds for {a_role} job is a lot.",
            "Good questions, decent people, very disorganised scheduling.",
            "The hiring manager was great; the second interviewer looked like he wanted to be anywhere else.",
            "Interview was fine. Not great, not awful.",
            "Lovely team, although the technical round felt like it belonged to a different company.",
        ],
    },
    "offer": {
        "pos": [
            "Offer came two days after the final interview, in writing, with the pay we'd discussed.",
            "They were flexible on the start date and didn't pressure me to decide on the spot.",
            "Offer was fair and they even bumped it a little when I asked.",
            "The recruiter called to make the offer personally and walked me through the benefits.",
            "Got the offer on a Friday afternoon with a week to think about it. No exploding deadline.",
            "Offer letter was clear, no surprises compared to what was said in the interviews.",
        ],
        "neg": [
            "Verbal offer, then three weeks of silence before the written one showed up with a lower number.",
            "The offer I got was below the range in the job ad.",
            "They gave me 24 hours to accept and would not budge.",
            "Offer was rescinded a week before my start date with a one-line email.",
            "They made the offer and then wouldn't answer a single question about benefits.",
        ],
        "mixed": [
            "Decent offer, but it took {weeks} weeks of chasing to get it in writing.",
            "The pay was fine; the way they handled negotiating was awkward.",
            "I accepted the offer, though the back and forth over the start date was more stressful than it needed to be.",
        ],
    },
    "rejection": {
        "pos": [
            "Didn't get the job, but the recruiter called me personally and gave real feedback.",
            "My rejection came quickly and kindly, with two concrete things to work on.",
            "They said no within a week, which I'll take over months of silence any day.",
            "Even the rejection was handled well: a short call, honest reasons, and an invitation to reapply.",
            "Not the outcome I wanted, but they closed the loop, which is more than most do.",
            "Got a no, but a thoughtful one, and the hiring manager offered to stay in touch.",
        ],
        "neg": [
            "After the final interview, nothing. Not a single update, not even an automated no.",
            "Ghosted after {rounds} rounds. Emailed twice, no reply.",
            "The recruiter stopped answering my emails the moment the final round ended.",
            "Got an automated rejection at 2am, {weeks} weeks after they told me I was their top candidate.",
            "Still waiting to hear back. It's been {weeks} weeks. I assume that's a no?",
            "They told me I'd hear by Friday. That was {weeks} weeks ago.",
            "The rejection email addressed me by someone else's name.",
            "Truly impressive how fast they go from 'we love you' to complete silence.",
            "I never heard back. Not once. The portal still says 'in review'.",
        ],
        "mixed": [
            "Interview was good; the silence afterwards was not.",
            "They did eventually send me a rejection, just {weeks} weeks later and without any detail.",
            "I was rejected, which is fine, but the feedback was a generic template.",
            "The recruiter apologised for the delay, but it was still a six-week wait for a no.",
        ],
    },
    "onboarding": {
        "pos": [
            "My first day was organised: badge ready, laptop ready, a buddy assigned.",
            "Onboarding paperwork was all online and took about an hour.",
            "My manager checked in every day of the first week.",
            "Training was hands-on and nobody expected me to know everything on day one.",
            "They sent a welcome pack with a schedule for the first two weeks. Small thing, big difference.",
            "Payroll, benefits, uniform: all sorted before my first shift.",
        ],
        "neg": [
            "Showed up on day one and nobody knew I was starting.",
            "HR asked me to upload the same documents three separate times.",
            "My start date got pushed twice because the background check 'got stuck'.",
            "Two weeks in and I still didn't have system access, so I mostly shadowed people.",
            "My first paycheck was missing because onboarding never entered my bank details.",
            "The onboarding portal wouldn't accept my ID scan, and the helpline just rang out.",
        ],
        "mixed": [
            "My team was welcoming, but the paperwork side of onboarding was a mess.",
            "Training was good once it started; getting to that point took a while.",
            "Onboarding was a bit chaotic but my manager made up for it.",
        ],
    },
}

# Company-specific themes: {stage: {sentiment: [...]}}
BW_WAVE = {  # Brightwater, 2026 Q1: the ghosting wave
    "rejection": {
        "neg": [
            "I had my final interview at {co} on a {weekday} and the recruiter said to expect news early the next week. That was {weeks} weeks ago.",
            "My {co} recruiter was super responsive right up until the final round, then vanished.",
            "Anyone else waiting on {co} after a final interview? I feel like the whole recruiting team disappeared.",
            "Got an automated 'position filled' email from {co} {weeks} weeks after my final, and no human ever replied.",
            "Three of us from my final-round day at {co} have heard nothing. We compared notes in the car park.",
            "I called the {co} recruiting line and left two voicemails. Nothing. I emailed. Nothing.",
            "{co} rejected me with a template that still had [CANDIDATE NAME] in it.",
            "My {co} application now shows 'no longer under consideration'. No email, no call, nothing.",
            "I'm starting to think {co} stopped hiring and forgot to tell the candidates.",
            "The {co} recruiter literally said 'you'll hear from me either way'. Reader, I did not.",
            "Four weeks of refreshing my inbox for {co}. I could have applied to twenty other places.",
        ],
        "mixed": [
            "My {co} interviews were genuinely good, which makes the total silence since even stranger.",
            "Loved the team I met at {co}. Then the recruiter ghosted me, so, who knows.",
        ],
    },
    "interview": {
        "neg": [
            "I did four rounds with {co}, including a presentation to the director. Then silence.",
            "My {co} final round got cancelled an hour before, rescheduled, then cancelled again by a bot.",
            "Even my {co} interviewers seemed to have no idea what was happening with the role.",
        ],
    },
    "onboarding": {
        "neg": [
            "I accepted a {co} offer in January and my start date has moved three times. HR won't answer.",
            "{co} onboarding: upload your documents, the portal loses them, upload again. Repeat.",
            "Started at {co} and my manager got the email saying I'd been hired the same morning.",
            "Three weeks into the job at {co} and the onboarding checklist still says I haven't started.",
            "The {co} background-check vendor asked for my documents a fourth time. Nobody at HR could explain why.",
        ],
    },
    "offer": {
        "neg": [
            "{co} made me a verbal offer, then went quiet for a month. Apparently there's a hiring freeze nobody mentioned.",
        ],
    },
}
BW_CALM = {  # Brightwater outside the wave: mildly positive
    "interview": {
        "pos": [
            "The {co} store team made the group interview fun rather than awkward.",
            "{co} sent a calendar invite with each interviewer's name and role. Nice touch.",
            "The tour of the {co} distribution centre during the interview was a good way to see the actual work.",
        ],
        "mixed": ["{co} was pretty standard, nothing special, but respectful throughout."],
    },
    "screening": {"pos": ["The {co} recruiter followed up exactly when she said she would."]},
    "rejection": {
        "pos": ["The {co} process wasn't fast, but nobody left me hanging."],
        "mixed": ["{co} took a while to get back to me but was polite about it."],
    },
    "onboarding": {"pos": ["{co} onboarding was calm and well planned, and my store manager had a proper first-week plan."]},
}
CO_THEME = {  # Cobalt: slow, mixed
    "application": {"neg": ["{co} took {weeks} weeks to call me after I applied."]},
    "screening": {
        "neg": ["Five weeks between the {co} phone screen and the panel. I'd nearly forgotten I applied.",
                "The {co} recruiter is clearly juggling far too many roles."],
        "mixed": ["{co} was slow to start, then very smooth once the interviews were booked."],
    },
    "interview": {
        "neg": ["{co} rescheduled my interview three times, always apologetic, always slow."],
        "mixed": ["Everyone I met at {co} was lovely, but the process just crawls.",
                  "{co} has a nice culture from what I saw, but the hiring process feels stuck in 2010."],
        "pos": ["The {co} hiring manager was one of the most genuine interviewers I've met."],
    },
    "rejection": {
        "mixed": ["{co} did get back to me in the end, it just took forever.",
                  "If you apply to {co}, bring patience. Good people, glacial process."],
        "pos": ["Slow, but {co} did give me honest feedback at the end."],
    },
    "offer": {"mixed": ["The {co} offer was good, but it sat with 'approvals' for almost a month."]},
}
FH_THEME = {  # Fernhill: fast, gives feedback
    "application": {"pos": ["Applied to {co} on Monday, interviewed Thursday, offer the next Tuesday.",
                            "From my application to my offer at {co} took eleven days."]},
    "screening": {"pos": ["{co} gave me a full timeline at the first call and stuck to it.",
                          "The {co} recruiter texted me the day after each interview with an update."]},
    "interview": {
        "pos": ["{co} pays you for the trial shift. Small thing, but it tells you something.",
                "Honestly {co} set the bar for how a hiring process should feel."],
        "neg": ["The {co} store manager interview was rushed and I didn't get to ask much."],
    },
    "rejection": {"pos": ["{co} sends written feedback after every round, even when it's a no.",
                          "Rejected by {co}, but the feedback was so specific I used it in my next interview."]},
    "offer": {
        "neg": ["{co} moved fast, maybe too fast: I felt pushed to accept before I'd seen the contract.",
                "The hours in the {co} offer didn't quite match what they said in the interview."],
        "pos": ["{co} sent the contract the same day as the verbal offer."],
    },
}
THEMES = {CO: CO_THEME, FH: FH_THEME}

CAND_OPENERS = [
    "Applied for {a_role} role at {co}.",
    "Went through the {co} process for {a_role} position last month.",
    "Quick review of my {co} interview experience.",
    "Throwaway account for obvious reasons. This is about {co}.",
    "Long time lurker, first post. Recently interviewed with {co}.",
    "Sharing my experience with {co} in case it helps someone.",
    "Interviewed with {co} ({role}, {city}).",
    "Some thoughts on applying to {co} as {a_role}.",
    "PSA for anyone applying at {co}:",
    "Update on my {co} application saga.",
    "Just finished the {co} hiring process for {a_role} role.",
    "So, {co}.",
    "Recently interviewed at {co} for the {role} opening in {city}.",
    "My {co} story, since people keep asking.",
    "Been meaning to write this up about {co} for a while.",
]
FORUM_QUESTIONS = [
    "How long is normal to wait after a final interview with {co}?",
    "Is it worth following up with {co} again or should I move on?",
    "Has anyone here been through the {co} process recently?",
    "What's the {co} interview process like for {a_role}?",
    "Is {co} a decent place to start out?",
]
CLOSERS = {
    "pos": ["Would apply again.", "Recommend.", "Good luck to anyone applying!", "Overall a positive experience.",
            "10/10 would interview again, and I don't say that often.", "Hope this helps someone.",
            "Whatever happens next, I felt respected.", "More companies should do it this way."],
    "neg": ["Avoid.", "Not worth the stress.", "Save yourself the time.", "Do better.", "Anyone else had this?",
            "I'm done with them.", "Lesson learned.", "Is this normal now?", "Rant over."],
    "mixed": ["Mixed feelings overall.", "Could be worse, could be a lot better.", "Three stars feels right.",
              "Take it for what it's worth.", "Not a disaster, not a great look either.", "Make of that what you will."],
}
LINK = {  # candidate posts that tie the experience to being a customer
    "neg": [
        "I've bought their {products} for years. Not after this.",
        "As a longtime {co} customer I honestly expected better.",
        "Funny how a company that has sold me so much stuff can't send a single email back.",
        "Cut up my {co} loyalty card the same day.",
        "I'll be buying my {products} somewhere else from now on.",
        "My whole family shops at {co}. I've told them all about this.",
        "Hard to keep buying from a brand that treats applicants like this.",
    ],
    "pos": [
        "Will keep shopping there because they treated me well, even though I didn't get the job.",
        "Already a fan of their {products}, now a fan of how they hire too.",
        "I shop at {co} anyway and this made me like them more.",
        "Left the interview and bought a {product} on the way out. No regrets.",
    ],
    "mixed": [
        "I still love their {products}, but I'm not applying there again.",
        "Great products, messy hiring. Two different companies, apparently.",
    ],
}

TERSE = {  # (stage the bullet is about, or None for any) -> terse review words
    "pos": [(None, "Quick process."), (None, "Respectful."), (None, "Would recommend."), (None, "Organised."),
            (None, "Clear timeline."), ("screening", "Friendly recruiter."), ("interview", "Good questions."),
            ("offer", "Fair pay."), ("offer", "Offer in a week."), ("rejection", "Feedback given."),
            ("onboarding", "Smooth first week.")],
    "neg": [(None, "Disorganised."), (None, "Slow."), (None, "Never again."), (None, "Poor communication."),
            ("application", "Clunky portal."), ("screening", "Missed phone screen."),
            ("interview", "Too many rounds."), ("interview", "Rude interviewer."), ("offer", "Lowball offer."),
            ("rejection", "Ghosted."), ("rejection", "No feedback."), ("rejection", "No reply after final."),
            ("rejection", "Automated rejection."), ("onboarding", "Paperwork chaos.")],
    "mixed": [(None, "Nice people."), (None, "Slow process."), (None, "Long wait."), ("interview", "Decent questions."),
              ("offer", "Okay pay."), ("rejection", "Vague feedback."), ("onboarding", "Bumpy start.")],
}
# Fragments that contradict a post that also covers onboarding (the candidate never started).
NOT_WITH_ONBOARDING = {
    "Offer was rescinded a week before my start date with a one-line email.",
    "{co} made me a verbal offer, then went quiet for a month. Apparently there's a hiring freeze nobody mentioned.",
}
TITLES = {
    "pos": ["Smooth and respectful", "Quick, friendly process", "Best interview experience in a while",
            "Well organised", "Clear communication throughout", "Great recruiter", "Fair and fast",
            "Pleasant surprise", "Professional from start to finish", "They actually gave feedback"],
    "neg": ["Ghosted after final round", "Never heard back", "Disorganised and slow", "Avoid",
            "Complete silence", "Waste of time", "Automated rejection after weeks of waiting",
            "Rude interviewer", "Do not bother", "Communication was nonexistent"],
    "mixed": ["Good people, bad process", "Nice interview, no follow-up", "Okay but slow", "Mixed bag",
              "Fine until the final round", "Could be better", "Decent, with caveats", "Great team, terrible timing"],
}
THEME_TITLES = {
    (BW, "wave"): ["Silence after final interview", "Recruiters vanished", "Onboarding paperwork chaos",
                   "Still waiting, weeks later", "Ghosted by a brand I love"],
    (CO, None): ["Slow but friendly", "Patience required", "Nice people, glacial pace"],
    (FH, None): ["Fast and fair", "Feedback after every round", "How hiring should work"],
}

SURVEY_SHORT = {
    "pos": ["Quick and easy.", "Very clear.", "No complaints.", "Friendly team.", "Smooth process, thanks.",
            "All good.", "Felt respected.", "Really well run.", "Nice people, thank you!", "Better than most."],
    "neg": ["Too slow.", "Very disappointing.", "Zero communication.", "Poorly organised.", "Expected better.",
            "not good", "Frustrating from start to finish."],
    "mixed": ["Ok.", "Fine I guess.", "Good people, slow process.", "Could be faster.", "Mixed.", "Decent but slow.",
              "Average.", "Some good, some bad."],
}
SURVEY_STAGE_SHORT = {
    ("application", "pos"): ["Form was short.", "Easy to apply.", "Quick confirmation email."],
    ("application", "neg"): ["Form timed out.", "Had to retype my CV.", "Portal kept crashing."],
    ("screening", "pos"): ["Recruiter was lovely.", "Screen was on time.", "Great recruiter!"],
    ("screening", "neg"): ["Screen cancelled twice.", "Recruiter never called.", "Nobody called."],
    ("interview", "pos"): ["Great interviewers.", "Loved the store tour.", "Well run interview."],
    ("interview", "neg"): ["Interviewer was late.", "Too many rounds.", "Disorganised panel."],
    ("offer", "pos"): ["Fair offer.", "Offer came fast.", "Clear offer letter."],
    ("offer", "neg"): ["Offer took weeks.", "Offer lower than advertised.", "Pressure to accept."],
    ("rejection", "pos"): ["Kind rejection, thanks.", "Useful feedback.", "Fast answer, appreciated."],
    ("rejection", "neg"): ["Automated rejection, no detail.", "Silence for weeks.", "Never heard back.",
                           "No reply after final.", "Still waiting."],
    ("onboarding", "pos"): ["Day one was well organised.", "Great first week.", "Paperwork was easy."],
    ("onboarding", "neg"): ["No laptop for a week.", "Uploaded documents three times.", "Paperwork chaos.",
                            "Lost my documents."],
}

SURVEY_TAILS = {
    "pos": ["Thanks for asking.", "Keep it up.", "Please thank the recruiter for me.", "Nice to be asked!",
            "Would recommend to friends.", "Honestly a good experience."],
    "neg": ["Please fix this.", "Someone should look at this.", "Not how I expected to be treated.",
            "I don't think anyone will read this.", "Very poor.", "Please just reply to people."],
    "mixed": ["Room to improve.", "Hope this is useful.", "Just my two cents.", "Overall okay.",
              "Communication could be better."],
}

CONSUMER = {  # generic consumer-brand fragments
    "pos": [
        "Staff at the {city} {co} store went out of their way to help me find what I needed.",
        "Online order from {co} arrived a day early and well packed.",
        "Returned something at {co} without a receipt and they sorted it in two minutes.",
        "{co} prices on {products} are hard to beat right now.",
        "Love the new {co} store layout, so much easier to find things.",
        "The {co} app actually works, which is more than I can say for most store apps.",
        "Customer service at {co} replaced my {product} no questions asked.",
        "Checkout at {co} was quick even on a Saturday.",
        "Honestly {co} is my favourite place for {products}.",
        "Picked up a {product} at {co} today, quality feels great for the price.",
        "Shoutout to the cashier at {co} who noticed I'd been double charged and fixed it.",
        "Never had a bad experience at the {city} {co}, and I'm in there most weeks.",
    ],
    "neg": [
        "Waited 40 minutes on hold with {co} customer service and then got cut off.",
        "{co} delivery was a week late and the box looked like it had been kicked all the way here.",
        "Bought a {product} from {co} and it fell apart within a month.",
        "Prices at {co} keep creeping up while the quality goes the other way.",
        "Tried to return a {product} at {co} and got passed between three departments.",
        "{co}'s website charged me twice and support hasn't replied in {days} days.",
        "Shelves half empty at {co} again this weekend.",
        "Ordered online for pickup at {co}; nobody could find my order.",
        "Not impressed with {co} lately. Not the store it used to be.",
        "Great job {co}, nothing says customer care like a chatbot that doesn't understand the word 'refund'.",
    ],
    "mixed": [
        "Love {co}'s {products}, but their shipping times are all over the place.",
        "The {co} store was tidy and well stocked, but the self-checkout kept freezing.",
        "Decent {product} from {co}, a bit pricey for what it is.",
        "{co} customer service was slow but got there eventually.",
        "The {co} sale was good, the queues were not.",
        "Not bad, not amazing: {co} is fine for {products} if you catch a discount.",
    ],
}
CONSUMER_CO = {  # company-specific consumer fragments
    BW: {
        "pos": ["The {co} camp chairs are the comfiest I've owned, and I've owned a lot of camp chairs.",
                "Took the {co} kayak out every weekend this summer and it's still watertight.",
                "{co} bedding washes well and hasn't pilled at all.",
                "Our {co} tent stayed dry through a night of properly bad weather.",
                "The {co} storage bins stack perfectly, my garage has never looked better."],
        "neg": ["The zip on my {co} sleeping bag broke on the second trip.",
                "{co} pan handles came loose after a few months.",
                "Lantern from {co} stopped charging after two weeks."],
        "mixed": ["The {co} cooler keeps ice for ages but weighs a ton."],
    },
    CO: {
        "pos": ["The {co} rain jacket kept me dry for six hours on the ridge.",
                "Best fitting hiking boots I've bought, thanks {co}.",
                "{co}'s repair service patched my fleece for free."],
        "neg": ["My {co} boots started leaking after one season.",
                "The {co} fleece pilled after two washes."],
        "mixed": ["{co} gear is great, {co} sizing is a lottery."],
    },
    FH: {
        "pos": ["The {co} bakery counter is the best thing about my Saturday mornings.",
                "Fresh produce at {co} is always good, even late in the day.",
                "The cheese counter staff at {co} really know their stuff."],
        "neg": ["{co} raised prices on basics again.",
                "Found mouldy bread on the shelf at {co} this week.",
                "The {co} self-checkouts need a staff member every two minutes."],
        "mixed": ["{co} is lovely but my weekly shop there costs a fortune."],
    },
}
BW_DIP = {  # Brightwater consumer posts during the dip; True = mentions its hiring
    "neg": [
        ("I used to shop at {co} every few weeks, but after reading how they treat applicants I've stopped.", True),
        ("Went to {co} for a {product} and there was one person working the whole floor. Now I get why: they can't hire anyone.", True),
        ("Used to love {co}. The stores feel empty of staff lately and the service shows it.", False),
        ("My {co} order has been 'processing' for {days} days. Their customer line says they're short-staffed.", False),
        ("Read the thread about {co} ghosting candidates. Cancelled my order, honestly.", True),
        ("{co}'s shelves are a mess and nobody is around to ask. Something's going on there.", False),
        ("A friend got ghosted by {co} after four interviews, so I'm taking my camping budget elsewhere this year.", True),
        ("I was a loyal {co} customer for a decade. Between the shipping delays and the hiring stories, I'm out.", True),
        ("Returned my {product} to {co} today. The returns desk was closed for 'staffing reasons'.", False),
        ("{co} used to be the friendly store. Now it's the store where you can't find anyone to help you.", False),
        ("Used to recommend {co} to everyone. Lately, not so much.", False),
        ("Not shopping at {co} until they start treating people like people. That goes for customers and candidates.", True),
    ],
    "mixed": [
        ("Still like {co}'s {products}, but I'm not thrilled about what I'm hearing from their job applicants.", True),
        ("The {co} staff who were there today were lovely, there just weren't enough of them.", False),
    ],
}
BW_RECOVERED = [
    "Went back to {co} after a few months away and the store was properly staffed again.",
    "{co} seems to have sorted itself out: order arrived on time and support actually replied.",
    "Good to see {co} back to normal. Friendly staff, short queues, decent {products}.",
]
CONSUMER_OPENERS = ["Quick review after a season of use:", "Has anyone else noticed this with {co}?",
                    "Gear thread, {co} edition.", "Small rant about {co}.", "Shopping report from {city}:",
                    "Weekly shop notes.", "Customer experience thread:"]

COLOUR = [  # "cobalt" as a colour or metal, not the company: (text, hashtag)
    ("Finally found a cobalt blue rain jacket that isn't ridiculously priced.", "#fashion"),
    ("Painted the front door cobalt and my neighbours have opinions.", "#DIY"),
    ("The cobalt blue glaze came out of the kiln perfectly this time.", "#pottery"),
    ("Reading about cobalt mining and battery supply chains tonight. Heavy stuff.", "#batteries"),
    ("Anyone know a good cobalt drill bit set for stainless steel?", "#DIY"),
    ("That cobalt sky right after sunset today, wow.", "#photography"),
    ("Cobalt blue velvet sofa: yes or no?", "#interiors"),
    ("My cobalt-coloured bike got so many compliments on the ride in.", "#cycling"),
    ("The cobalt blue jacket from the thrift shop was the best four dollars I've spent.", "#thrifting"),
    ("Chem lab today: cobalt chloride paper turning pink when it gets wet never stops being cool.", "#chemistry"),
    ("cobalt blue nails this week, obsessed", "#nails"),
    ("Vintage cobalt glass bottles at the flea market, bought three.", "#vintage"),
    ("Trying a cobalt and orange colour scheme for the new logo. Too loud?", "#design"),
]
COLOUR_WITH_COMPANY = [  # "cobalt" the colour, about another company's product
    (BW, "Picked up the cobalt blue kayak at {co} this weekend, the colour is even better in person."),
    (BW, "{co} finally restocked the cobalt blue camp chairs. Grabbed two."),
    (BW, "Bought a cobalt blue duvet cover from {co}, washes really well."),
    (BW, "The cobalt blue cooler from {co} is the only one my kids can spot at a crowded beach."),
    (FH, "The cobalt blue mugs at {co} sold out in a day."),
    (FH, "{co} has these cobalt glass jars for dry goods now, very pretty."),
]

EMPLOYER = {
    "all": [
        "We're hiring! Join {co}'s team at our {city} distribution centre. Full and part time roles, apply on our careers page.",
        "{co} is hiring seasonal store associates for the holidays. Flexible shifts and a staff discount from day one.",
        "Open interview day at {co} {city} this Saturday, 10am to 2pm. Bring a CV or just bring yourself.",
        "Looking for {a_role} role? {co} is hiring. Link in bio.",
        "Now hiring in {city}: warehouse associates, all shifts, same-week interviews at {co}.",
        "Meet the team: this month {co} celebrates five years of our {city} store, and we're hiring there too!",
        "{co} careers: our graduate programme is open for applications until the end of the month.",
        "Join {co} as {a_role}. Competitive pay, real training, and a team that has your back.",
    ],
    FH: ["At {co}, every candidate gets a reply and every interview gets feedback. That's our promise.",
         "{co} is recruiting shift supervisors. Interviews within a week, decisions within two."],
    CO: ["{co} is hiring repair technicians for our new gear repair workshop in {city}."],
    BW: ["{co} is looking for summer staff for our camping and outdoor departments. Apply today."],
}
EMPLOYER_TAGS = ["#hiring", "#jobs", "#nowhiring", "#careers", "#retailjobs", "#joinourteam"]

ADVICE = [
    "Tip for job seekers: send one polite follow-up a week after your final interview, then let it go.",
    "If a company ghosts you after the final round, that says more about them than about you.",
    "Good questions for the end of an interview: what does success look like in 90 days, and when will you decide?",
    "Keep a simple spreadsheet of every application, date, contact and next step. It saved my sanity.",
    "Recruiters: a two-line 'we went another way' email takes thirty seconds. Please send it.",
    "Retail interview prep: have one story about a difficult customer and one about helping a teammate.",
    "One-way video interviews are allowed to feel weird. Practise with your phone first.",
    "You're allowed to ask for the salary range before the first interview.",
    "Hiring managers, if your process has five rounds for an hourly role, you are losing good people.",
    "Ask every recruiter when you should expect to hear back, and write it down. It tells you when to move on.",
    "Never pay for a background check or training before you start. That's a scam, not a job.",
    "Treat the job search like a part-time job with set hours, or it will eat your whole week.",
]
ADVICE_TAGS = ["#jobsearch", "#careeradvice", "#interviewtips", "#recruiting", "#candidateexperience"]
CAND_TAGS = {
    "pos": ["#jobsearch", "#candidateexperience", "#goodnews", "#newjob", "#interview"],
    "neg": ["#jobsearch", "#ghosted", "#recruitingfail", "#candidateexperience", "#hiring"],
    "mixed": ["#jobsearch", "#interview", "#candidateexperience", "#recruiting"],
}
CONSUMER_TAGS = {BW: ["#camping", "#outdoors", "#homegoods", "#shopping"], CO: ["#hiking", "#outdoors", "#gear"],
                 FH: ["#groceries", "#foodie", "#shoplocal"]}
SHOP_TAGS = ["#customerservice", "#shopping", "#retail"]
SOCIAL_LEADS = ["ok {co}.", "re {co}:", "{co} update:", "My {co} update:", "Me vs the {co} hiring process:",
                "My {co} experience so far:", "I applied to {co}.", "About my {co} interview:", "{co} again."]

PII = [  # fictional contact details, so redaction is visible in the demo
    "If anyone from their recruiting team reads this, reach me at jo.b@example.com.",
    "Happy to compare notes, email me: sam.r.candidate@example.com",
    "The recruiter gave me her direct line, +1 555 0100 1234, which went straight to voicemail every time.",
    "My number is (555) 010-4477 if the hiring manager ever wants to actually call.",
    "I even wrote to careers-inbox@example.com. No reply.",
    "Text me on +1 555 0175 2290 if you want the details.",
    "DM me or mail pat_k@example.com.",
    "Left three messages on 555-0142, the number in the invite.",
    "My cousin (mira.t@example.com) had the exact same thing happen.",
    "Call +1-555-0100-8811 and ask for the recruiting desk, see if you have more luck than me.",
]

# News: (company, window_start, window_end, kind, sentiment, stages, consumer_link, title, text)
NEWS_STORY = [
    (BW, date(2025, 6, 2), date(2025, 6, 30), "news", "pos", [], False,
     "Brightwater's summer camping range sells out early",
     "Brightwater Goods said demand for tents and camp chairs was well ahead of last year, with several lines sold out online by mid-June."),
    (BW, date(2025, 8, 18), date(2025, 9, 10), "news", "neutral", ["application"], False,
     "Brightwater Goods to hire 1,200 seasonal workers ahead of the holidays",
     "The household and outdoor retailer is recruiting for stores and distribution centres, with interviews starting in September."),
    (BW, date(2025, 9, 15), date(2025, 10, 10), "news", "neg", [], False,
     "Brightwater recalls a batch of camp lanterns over a charging fault",
     "Brightwater is offering refunds on one lantern model after customers reported units that stopped charging. The company said no injuries were reported."),
    (BW, date(2025, 10, 20), date(2025, 11, 10), "news", "pos", ["onboarding"], False,
     "Brightwater launches paid apprenticeship scheme for store staff",
     "New store hires at Brightwater can now join a twelve-month apprenticeship covering retail management and logistics."),
    (BW, date(2026, 2, 17), date(2026, 2, 24), "news", "neg", ["interview", "rejection"], False,
     "Candidates say Brightwater went silent after final interviews",
     "Dozens of job seekers have described waiting weeks for news from Brightwater Goods after final-round interviews, in posts on forums and social media. Several said recruiters stopped replying altogether. Brightwater did not respond to a request for comment before publication."),
    (BW, date(2026, 2, 25), date(2026, 3, 4), "news", "neg", ["rejection", "onboarding"], False,
     "Job seekers report missing replies and onboarding delays at Brightwater",
     "New hires describe start dates that moved several times and documents that had to be uploaded again and again. Candidates describe automated rejections arriving weeks after final interviews."),
    (BW, date(2026, 3, 9), date(2026, 3, 16), "employer", "neutral", ["rejection"], False,
     "An update from Brightwater on our hiring process",
     "We know many candidates have waited far too long to hear from us this year, and we're sorry. We have added recruiters, fixed the document upload problems in our onboarding portal, and every open application will get an answer by the end of April."),
    (BW, date(2026, 3, 16), date(2026, 3, 27), "news", "neg", [], True,
     "Shoppers report slow deliveries and thin staffing at Brightwater stores",
     "Customers of Brightwater Goods describe delayed online orders and stores with few staff on the floor. Some link the problems to the retailer's recruiting troubles reported last month."),
    (BW, date(2026, 4, 6), date(2026, 4, 17), "news", "mixed", ["rejection"], True,
     "Analysis: what the Brightwater ghosting backlash says about retail hiring",
     "Brightwater's rough quarter is a reminder that candidates are also customers. Posts that began with complaints about silence after interviews spread into complaints about the stores themselves."),
    (BW, date(2026, 4, 20), date(2026, 5, 1), "news", "neg", [], False,
     "Brightwater store traffic dipped in spring, analysts say",
     "Analysts estimate visits to Brightwater stores fell in March and April compared with last year, while rival chains held steady."),
    (BW, date(2026, 5, 4), date(2026, 5, 15), "news", "pos", ["application", "rejection"], False,
     "Brightwater adds candidate status tracker after complaints",
     "Applicants to Brightwater can now see where their application stands and are promised an answer within ten working days of a final interview."),
    (BW, date(2026, 7, 6), date(2026, 7, 24), "news", "pos", [], False,
     "Brightwater customer satisfaction rebounds over the summer",
     "A regional shopper survey puts Brightwater back near the top for store service after a difficult spring."),
    (BW, date(2026, 9, 7), date(2026, 9, 25), "news", "neutral", ["application"], False,
     "Brightwater opens applications for holiday roles, promising faster replies",
     "The retailer said every applicant for its 900 seasonal roles will hear back within two weeks."),
    (CO, date(2025, 7, 1), date(2025, 7, 31), "news", "pos", [], False,
     "Cobalt Outfitters expands its gear repair programme",
     "Cobalt Outfitters will repair jackets, boots and packs bought from any brand at six more stores."),
    (CO, date(2025, 10, 1), date(2025, 10, 31), "news", "neutral", [], False,
     "Cobalt Outfitters posts a steady quarter",
     "Sales at Cobalt Outfitters were flat year on year, with growth in repairs and rentals offsetting softer apparel."),
    (CO, date(2026, 3, 1), date(2026, 3, 31), "news", "neutral", ["application"], False,
     "Cobalt Outfitters to hire for new warehouse",
     "The outdoor retailer plans to hire around 300 people for a new fulfilment centre opening this summer."),
    (CO, date(2026, 8, 3), date(2026, 8, 28), "news", "mixed", ["interview"], False,
     "Cobalt Outfitters candidates praise people, criticise pace",
     "Applicants describe friendly interviewers and long waits between rounds at the outdoor retailer."),
    (FH, date(2025, 6, 1), date(2025, 6, 30), "news", "pos", ["application", "rejection"], False,
     "Fernhill Market named among the region's best employers",
     "A local business survey praised Fernhill Market for fast hiring decisions and feedback for every interviewed candidate."),
    (FH, date(2025, 11, 1), date(2025, 11, 30), "news", "pos", [], False,
     "Fernhill Market extends opening hours for the holidays",
     "Fernhill Market stores will open an hour earlier through December."),
    (FH, date(2026, 2, 1), date(2026, 2, 28), "news", "pos", ["onboarding"], False,
     "Fernhill Market pilots a four-day week for store managers",
     "The grocer said the trial is meant to help it keep experienced managers."),
    (FH, date(2026, 6, 1), date(2026, 6, 30), "news", "neutral", [], False,
     "Fernhill Market opens two new stores",
     "The grocer's newest shops include an expanded bakery and a cheese counter."),
]
NEWS_GENERIC = {  # (title, text, kind, sentiment) repeated with different cities
    "all": [
        ("{co} opens new store in {city}", "The new {city} store will employ around {n} people, the company said.", "news", "neutral"),
        ("{co} hosts recruitment day in {city}", "{co} said it hopes to fill {n} roles at the {city} site by the end of the month.", "employer", "neutral"),
        ("{co} refurbishes its {city} store", "The {city} store reopens with a larger {products} section and new self-checkouts.", "news", "neutral"),
    ],
}
BLOG_TITLES_CAND = ["What my {co} interview taught me", "Notes from a {co} hiring process",
                    "I applied to {co}. Here's how it went", "Inside the {co} interview loop",
                    "My {co} job hunt, start to finish", "{co} hiring, from the candidate's side"]
BLOG_TITLES_CONSUMER = ["Review: the {co} {product} after a season", "Is {co} still worth it?",
                        "Shopping at {co}: a regular's notes", "{co} {products}, honestly reviewed",
                        "Six months with {co}"]
BLOG_TITLES_ADVICE = ["How to survive being ghosted by a recruiter", "Five questions to ask in a retail interview",
                      "Following up after an interview without being annoying", "A job seeker's spreadsheet",
                      "What hiring managers forget about candidates"]

HANDLE_A = ["quiet", "sunny", "tired", "lucky", "rainy", "urban", "trail", "coffee", "paper", "night", "late",
            "north", "river", "maple", "pixel", "velvet", "salty", "brave", "cosy", "amber", "lone", "swift"]
HANDLE_B = ["fern", "otter", "camper", "walker", "reader", "baker", "coder", "owl", "fox", "sparrow", "hiker",
            "planner", "tinker", "pilot", "wren", "badger", "lynx", "heron", "moth", "pebble"]
REVIEWERS = ["Anonymous Candidate", "Anonymous Interview Candidate", "Former applicant", "Candidate in {city}",
             "Store associate candidate", "Anonymous Employee", "Job seeker", "Applicant in {city}"]
NEWS_AUTHORS = ["Staff reporter", "Newsroom", "Retail desk", "Business desk", "Jordan Vale", "Priya Nandakumar",
                "Lee Ashcombe"]

# ---------------------------------------------------------------------------------------------
# Time curves and label probabilities (the story)
# ---------------------------------------------------------------------------------------------


def all_days() -> list[date]:
    return [START + timedelta(days=i) for i in range((END - START).days + 1)]


def seasonal(day: date) -> float:
    """A mild seasonal hiring bump every company shares (autumn holiday hiring)."""
    return 1.15 if day.month in (9, 10) else 1.0


def candidate_weight(company: str, day: date) -> float:
    base = seasonal(day)
    if company != BW:
        return base
    if date(2026, 1, 1) <= day <= date(2026, 1, 11):
        return 2.2
    if date(2026, 1, 12) <= day < CLUSTER[0]:
        return 2.9
    if CLUSTER[0] <= day <= CLUSTER[1]:
        return 4.8
    if date(2026, 3, 1) <= day <= date(2026, 3, 20):
        return 2.8
    if date(2026, 3, 21) <= day <= WAVE_END:
        return 1.8
    if date(2026, 4, 1) <= day <= date(2026, 5, 31):
        return 1.3
    return base


def survey_weight(day: date) -> float:
    return 2.5 if WAVE_START <= day <= WAVE_END else seasonal(day)


def consumer_weight(company: str, day: date) -> float:
    base = 1.25 if day.month in (11, 12) else 1.0  # holiday shopping
    if company != BW:
        return base
    phase = consumer_phase(company, day)
    return base * {"dip_start": 1.2, "dip": 1.4, "recovering": 1.15}.get(phase, 1.0)


def candidate_phase(company: str, day: date) -> str:
    if company != BW:
        return "steady"
    if day < WAVE_START:
        return "calm"
    if day <= WAVE_END:
        return "wave"
    if day <= date(2026, 5, 31):
        return "after"
    return "recovered"


def consumer_phase(company: str, day: date) -> str:
    if company != BW or day < DIP_START:
        return "normal"
    if day < DIP_TROUGH[0]:
        return "dip_start"
    if day <= DIP_TROUGH[1]:
        return "dip"
    if day < DIP_RECOVERED:
        return "recovering"
    return "recovered"


CAND_SENT = {  # (pos, mixed, neg)
    (BW, "calm"): (0.50, 0.27, 0.23),
    (BW, "wave"): (0.06, 0.16, 0.78),
    (BW, "after"): (0.25, 0.30, 0.45),
    (BW, "recovered"): (0.48, 0.28, 0.24),
    (CO, "steady"): (0.30, 0.38, 0.32),
    (FH, "steady"): (0.66, 0.20, 0.14),
}
CONS_SENT = {
    (BW, "normal"): (0.60, 0.22, 0.18),
    (BW, "dip_start"): (0.40, 0.20, 0.40),
    (BW, "dip"): (0.22, 0.20, 0.58),
    (BW, "recovering"): (0.42, 0.22, 0.36),
    (BW, "recovered"): (0.60, 0.22, 0.18),
    (CO, "normal"): (0.52, 0.25, 0.23),
    (FH, "normal"): (0.55, 0.25, 0.20),
}
STAGE_W = {  # stage weights by phase
    "calm": (0.15, 0.15, 0.35, 0.12, 0.13, 0.10),
    "steady": (0.15, 0.16, 0.33, 0.12, 0.14, 0.10),
    "wave": (0.04, 0.06, 0.25, 0.02, 0.45, 0.18),
    "after": (0.08, 0.10, 0.28, 0.08, 0.30, 0.16),
    "recovered": (0.15, 0.15, 0.35, 0.12, 0.13, 0.10),
}
SURVEY_STAGE_W = {
    "normal": (0.18, 0.16, 0.28, 0.12, 0.16, 0.10),
    "wave": (0.08, 0.08, 0.25, 0.04, 0.35, 0.20),
}

# ---------------------------------------------------------------------------------------------
# Composition helpers
# ---------------------------------------------------------------------------------------------


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" or word.startswith("HR") else "a"


def weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


SENTIMENTS = ("pos", "mixed", "neg")


class SentimentPicker:
    """Draws sentiments so that each (stream, phase) keeps close to its target shares.

    Plain independent draws make monthly shares noisy at these volumes (15-40 posts a month per
    company and kind); carrying each sentiment's deficit forward keeps the story readable while a
    random jitter keeps the order unpredictable.
    """

    def __init__(self) -> None:
        self.deficit: dict[tuple, list[float]] = {}

    def __call__(self, rng: random.Random, key: tuple, probs) -> str:
        d = self.deficit.setdefault(key, [0.0, 0.0, 0.0])
        for i, p in enumerate(probs):
            d[i] += p
        scores = [d[i] + rng.random() * 0.35 for i in range(3)]
        best = max(range(3), key=scores.__getitem__)
        d[best] -= 1.0
        return SENTIMENTS[best]


pick_sentiment = SentimentPicker()  # replaced by a fresh picker at the start of generate_records()


class Ctx:
    """Per-post values for the placeholders."""

    def __init__(self, rng: random.Random, company: str | None, day: date) -> None:
        self.rng = rng
        self.company = company
        role = rng.choice(ROLES[company]) if company else "store associate"
        plural, singular = rng.choice(PRODUCTS[company]) if company else ("things", "thing")
        earlier = day - timedelta(days=rng.randint(25, 75))
        self.values = {
            "role": role, "a_role": f"{article(role)} {role}", "product": singular, "products": plural,
            "city": rng.choice(CITIES), "weekday": rng.choice(WEEKDAYS), "weeks": rng.choice(WEEKS),
            "days": rng.choice(DAYS), "rounds": rng.choice(ROUNDS), "month": MONTHS[earlier.month - 1],
            "n": str(rng.choice([40, 60, 85, 120, 150, 200])),
        }
        self.first_mention = weighted(rng, MENTIONS[company]) if company else ""
        self.mentioned = False

    def mention(self) -> str:
        if not self.mentioned or self.company is None:
            self.mentioned = True
            return self.first_mention
        # later mentions: mostly the same form, sometimes another alias
        if self.rng.random() < 0.75:
            return self.first_mention
        return weighted(self.rng, MENTIONS[self.company])

    def fill(self, template: str) -> str:
        def sub(match: re.Match) -> str:
            key = match.group(1)
            return self.mention() if key == "co" else self.values[key]

        text = re.sub(r"\{(\w+)\}", sub, template)
        text = re.sub(r"\b(Goods|Outfitters)'s\b", r"\1'", text)  # "Brightwater Goods' site", not "Goods's"
        return text[:1].upper() + text[1:]


TYPOS = {"the": "teh", "received": "recieved", "definitely": "definately", "interview": "interveiw",
         "because": "becuase", "really": "realy", "their": "thier", "weeks": "wks", "you": "u",
         "separate": "seperate", "probably": "prolly", "though": "tho"}


def roughen(rng: random.Random, text: str) -> str:
    """Casual register: lowercase, dropped apostrophes, a typo or two."""
    if rng.random() < 0.5:
        text = text.lower()
    if rng.random() < 0.6:
        text = re.sub(r"\b(\w+)'(t|m|s|ve|ll|d|re)\b", r"\1\2", text)
    words = text.split(" ")
    for i, word in enumerate(words):
        core = word.strip(".,!?:;").lower()
        if core in TYPOS and rng.random() < 0.35:
            words[i] = word.replace(core, TYPOS[core]) if word.islower() else word
    text = " ".join(words)
    if text.endswith(".") and rng.random() < 0.5:
        text = text[:-1]
    return text


def pool_for(company: str, phase: str, stage: str, sentiment: str) -> tuple[list[str], float]:
    """Company-theme fragments for this stage/sentiment and how often to prefer them."""
    if company == BW and phase == "wave":
        return BW_WAVE.get(stage, {}).get(sentiment, []), 0.7
    if company == BW and phase in ("calm", "recovered"):
        return BW_CALM.get(stage, {}).get(sentiment, []), 0.3
    if company == BW and phase == "after":
        return BW_WAVE.get(stage, {}).get(sentiment, []), 0.25
    return THEMES.get(company, {}).get(stage, {}).get(sentiment, []), 0.4


def stage_fragment(rng: random.Random, company: str, phase: str, stage: str, sentiment: str, used: set) -> str:
    """``used`` holds fragments already in the post (and NOT_WITH_ONBOARDING when it covers onboarding)."""
    themed, prefer = pool_for(company, phase, stage, sentiment)
    themed = [t for t in themed if t not in used]
    generic = [t for t in CAND[stage][sentiment] if t not in used]
    choice = rng.choice(themed) if themed and (rng.random() < prefer or not generic) else rng.choice(generic)
    used.add(choice)
    return choice


def pick_stages(rng: random.Random, phase: str, count: int) -> list[str]:
    """Up to ``count`` stages of one coherent journey: it ends in a rejection or in an offer, not both."""
    weights = list(STAGE_W[phase])
    chosen: list[str] = []
    for _ in range(count):
        if not any(weights):
            break
        stage = rng.choices(STAGES, weights=weights)[0]
        weights[STAGES.index(stage)] = 0.0
        if stage == "rejection":
            weights[STAGES.index("offer")] = weights[STAGES.index("onboarding")] = 0.0
        elif stage in ("offer", "onboarding"):
            weights[STAGES.index("rejection")] = 0.0
        chosen.append(stage)
    return sorted(chosen, key=STAGES.index)


def stage_sentiments(rng: random.Random, stages: list[str], sentiment: str) -> list[str]:
    if sentiment != "mixed":
        return [sentiment] * len(stages)
    if len(stages) == 1:
        return ["mixed"]
    if rng.random() < 0.7:  # the classic shape: early stages fine, the end bad
        cut = rng.randint(1, len(stages) - 1)
        return ["pos"] * cut + ["neg"] * (len(stages) - cut)
    out = [rng.choice(("pos", "neg", "mixed")) for _ in stages]
    out[0], out[-1] = "neg", "pos"
    return out


def hashtags(rng: random.Random, company: str | None, pool: list[str], k: int) -> str:
    tags = []
    if company and rng.random() < 0.6:
        tags.append(rng.choice(HASHTAGS[company]))
    tags += rng.sample(pool, min(k, len(pool)))
    return " ".join(dict.fromkeys(tags))


# ---------------------------------------------------------------------------------------------
# Post builders. Each returns (fields, labels).
# ---------------------------------------------------------------------------------------------


def candidate_post(rng: random.Random, company: str, day: date, register: str, stage: str | None = None):
    phase = candidate_phase(company, day)
    sentiment = pick_sentiment(rng, ("candidate", company, phase, register == "survey"), CAND_SENT[(company, phase)])
    ctx = Ctx(rng, company, day)
    n_stages = {"review": rng.choice((1, 1, 2, 2, 3)), "forum": rng.choice((2, 2, 3, 3, 4)),
                "social": rng.choice((1, 1, 1, 2)), "blog": rng.choice((3, 4, 4, 5)), "survey": 1}[register]
    stages = [stage] if stage else pick_stages(rng, phase if company == BW else "steady", n_stages)
    if sentiment == "mixed" and len(stages) == 1 and register in ("forum", "blog"):
        stages = pick_stages(rng, phase if company == BW else "steady", 2)
    style = rng.random() if register == "review" else 1.0
    if 0.15 <= style < 0.28:  # terse review: a few words and one sentence, about one stage
        stages = stages[:1]
    sents = stage_sentiments(rng, stages, sentiment)
    used: set[str] = set(NOT_WITH_ONBOARDING) if "onboarding" in stages else set()
    body = [ctx.fill(stage_fragment(rng, company, phase, st, s, used)) for st, s in zip(stages, sents)]

    link_p = {"wave": 0.30, "after": 0.20}.get(phase, 0.08)
    consumer_link = register != "survey" and rng.random() < link_p
    if consumer_link:
        link_sent = "mixed" if sentiment == "mixed" else sentiment
        body.append(ctx.fill(rng.choice(LINK[link_sent])))

    if register == "review":
        if style < 0.15 and len(stages) >= 2:
            text = "\n".join(f"{st.capitalize()}: {frag}" for st, frag in zip(stages, body[: len(stages)]))
            text += ("\n" + " ".join(body[len(stages):])) if len(body) > len(stages) else ""
        elif 0.15 <= style < 0.28:
            words = [w for st, w in TERSE[sentiment] if st in (None, stages[0])]
            text = " ".join(rng.sample(words, min(len(words), rng.randint(2, 4))) + body)
        elif style < 0.40:
            text = "\n".join(f"- {frag}" for frag in body)
        else:
            parts = body[:]
            if rng.random() < 0.45:
                parts.insert(0, ctx.fill(rng.choice(CAND_OPENERS)))
            if rng.random() < 0.4:
                parts.append(rng.choice(CLOSERS[sentiment]))
            text = " ".join(parts)
    elif register == "survey":
        if rng.random() < 0.25:
            pool = SURVEY_SHORT[sentiment] + SURVEY_STAGE_SHORT.get((stages[0], sentiment), []) * 2
            text = rng.choice(pool)
        else:
            tail = rng.random()
            extra = [rng.choice(SURVEY_TAILS[sentiment])] if tail < 0.45 else [rng.choice(CLOSERS[sentiment])] if tail < 0.6 else []
            text = " ".join(body + extra)
    elif register == "social":
        parts = body[:]
        if not ctx.mentioned or rng.random() < 0.3:
            parts.insert(0, ctx.fill(rng.choice(SOCIAL_LEADS)))
        text = " ".join(parts)
        if rng.random() < 0.3:
            text = roughen(rng, text)
        if rng.random() < 0.8:
            text += " " + hashtags(rng, company, CAND_TAGS[sentiment], rng.randint(1, 2))
    else:  # forum, blog
        opener = ctx.fill(rng.choice(FORUM_QUESTIONS if register == "forum" and rng.random() < 0.25 else CAND_OPENERS))
        paragraphs = [opener, " ".join(body[: (len(body) + 1) // 2]), " ".join(body[(len(body) + 1) // 2:])]
        if rng.random() < 0.6:
            paragraphs.append(rng.choice(CLOSERS[sentiment]))
        text = "\n\n".join(p for p in paragraphs if p)
        if register == "forum" and rng.random() < 0.2:
            text = roughen(rng, text)
    labels = {"kind": "candidate", "company": company, "sentiment": sentiment, "stages": stages,
              "stage_sentiments": dict(zip(stages, sents)), "consumer_link": consumer_link, "phase": phase}
    rating = {"pos": rng.choice((4, 5, 5)), "mixed": rng.choice((2, 3, 3, 4)), "neg": rng.choice((1, 1, 2))}[sentiment]
    title = None
    if register == "review":
        key = (company, "wave" if phase == "wave" else None)
        themed = THEME_TITLES.get(key) if key[0] == BW else THEME_TITLES.get((company, None))
        if themed and rng.random() < 0.35 and (sentiment != "pos" or company == FH) and (sentiment == "neg" or company != BW):
            title = rng.choice(themed)
        else:
            title = rng.choice(TITLES[sentiment])
    elif register == "blog":
        title = ctx.fill(rng.choice(BLOG_TITLES_CAND))
    return {"text": text, "rating": rating, "title": title, "stage": stages[0]}, labels


def consumer_post(rng: random.Random, company: str, day: date, register: str):
    phase = consumer_phase(company, day)
    sentiment = pick_sentiment(rng, ("consumer", company, phase), CONS_SENT[(company, phase)])
    ctx = Ctx(rng, company, day)
    n = {"social": rng.choice((1, 1, 2)), "forum": rng.choice((2, 3, 3, 4)), "blog": rng.choice((3, 4, 5))}[register]
    frags: list[str] = []
    hiring_link = False
    for _ in range(n):
        if company == BW and phase in ("dip_start", "dip", "recovering") and sentiment in BW_DIP and rng.random() < 0.55:
            text, linked = rng.choice(BW_DIP[sentiment])
            hiring_link = hiring_link or linked
        elif company == BW and phase == "recovered" and day < date(2026, 8, 31) and sentiment == "pos" and rng.random() < 0.3:
            text = rng.choice(BW_RECOVERED)
        elif rng.random() < 0.4:
            text = rng.choice(CONSUMER_CO[company][sentiment])
        else:
            text = rng.choice(CONSUMER[sentiment])
        if text not in frags:
            frags.append(text)
    body = [ctx.fill(f) for f in frags]
    if register == "social":
        text = " ".join(body)
        if rng.random() < 0.25:
            text = roughen(rng, text)
        if rng.random() < 0.6:
            text += " " + hashtags(rng, company, CONSUMER_TAGS[company] + SHOP_TAGS, rng.randint(1, 2))
        title = None
    else:
        parts = body[:]
        if register == "forum" and rng.random() < 0.6:
            parts.insert(0, ctx.fill(rng.choice(CONSUMER_OPENERS)))
        half = (len(parts) + 1) // 2
        text = "\n\n".join(p for p in (" ".join(parts[:half]), " ".join(parts[half:])) if p)
        title = ctx.fill(rng.choice(BLOG_TITLES_CONSUMER)) if register == "blog" else None
    if not ctx.mentioned:  # every public post names its company at least once
        text = f"{ctx.first_mention}: {text}"
    labels = {"kind": "consumer", "company": company, "sentiment": sentiment, "stages": [],
              "stage_sentiments": {}, "consumer_link": hiring_link, "phase": phase}
    return {"text": text, "title": title}, labels


def employer_post(rng: random.Random, company: str, day: date, register: str):
    ctx = Ctx(rng, company, day)
    ctx.first_mention = SITE_NAME[company] if company != BW or rng.random() < 0.5 else BW  # employers use their full name
    ctx.company = None
    text = ctx.fill(rng.choice(EMPLOYER["all"] + EMPLOYER[company]))
    if register == "social":
        text += " " + hashtags(rng, company, EMPLOYER_TAGS, rng.randint(2, 3))
    if rng.random() < 0.25:
        text += " Questions? jobs@example.com"
    labels = {"kind": "employer", "company": company, "sentiment": "neutral", "stages": ["application"],
              "stage_sentiments": {}, "consumer_link": False, "phase": ""}
    title = ctx.fill(f"{{co}} is hiring in {ctx.values['city']}") if register == "blog" else None
    return {"text": text, "title": title}, labels


def advice_post(rng: random.Random, day: date, register: str):
    k = {"social": 1, "forum": rng.choice((2, 3)), "blog": rng.choice((3, 4))}[register]
    text = " ".join(rng.sample(ADVICE, k))
    if register == "social":
        text += " " + hashtags(rng, None, ADVICE_TAGS, 2)
    labels = {"kind": "advice", "company": None, "sentiment": "neutral", "stages": [],
              "stage_sentiments": {}, "consumer_link": False, "phase": ""}
    return {"text": text, "title": rng.choice(BLOG_TITLES_ADVICE) if register == "blog" else None}, labels


def colour_post(rng: random.Random, day: date, register: str, index: int):
    base, tag = COLOUR[index % len(COLOUR)]
    extra = rng.choice(["", "", " Thoughts?", " Ten out of ten.", " Not sponsored, obviously."])
    text = base + extra
    if register == "social":
        text += " " + tag
    labels = {"kind": "colour", "company": None, "sentiment": "neutral", "stages": [],
              "stage_sentiments": {}, "consumer_link": False, "phase": ""}
    return {"text": text, "title": None}, labels


# ---------------------------------------------------------------------------------------------
# Volume plan: (file, register, company, kind of post, rows)
# ---------------------------------------------------------------------------------------------

PLAN = [
    # reviews_export.csv: interview/employee reviews
    ("reviews", "review", BW, "candidate", 215),
    ("reviews", "review", CO, "candidate", 115),
    ("reviews", "review", FH, "candidate", 115),
    # forum_posts.jsonl
    ("forum", "forum", BW, "candidate", 85),
    ("forum", "forum", CO, "candidate", 35),
    ("forum", "forum", FH, "candidate", 35),
    ("forum", "forum", BW, "consumer", 40),
    ("forum", "forum", CO, "consumer", 15),
    ("forum", "forum", FH, "consumer", 15),
    ("forum", "forum", BW, "employer", 3),
    ("forum", "forum", None, "advice", 8),
    # social_posts.jsonl
    ("social", "social", BW, "candidate", 125),
    ("social", "social", CO, "candidate", 70),
    ("social", "social", FH, "candidate", 70),
    ("social", "social", BW, "consumer", 250),
    ("social", "social", CO, "consumer", 105),
    ("social", "social", FH, "consumer", 105),
    ("social", "social", BW, "employer", 18),
    ("social", "social", CO, "employer", 8),
    ("social", "social", FH, "employer", 8),
    ("social", "social", None, "advice", 10),
    # news_blogs.csv (plus the dated NEWS_STORY items)
    ("news", "blog", BW, "candidate", 14),
    ("news", "blog", CO, "candidate", 4),
    ("news", "blog", FH, "candidate", 4),
    ("news", "blog", BW, "consumer", 40),
    ("news", "blog", CO, "consumer", 14),
    ("news", "blog", FH, "consumer", 14),
    ("news", "blog", BW, "employer", 6),
    ("news", "blog", CO, "employer", 3),
    ("news", "blog", FH, "employer", 3),
    ("news", "blog", None, "advice", 7),
]
SURVEY_ROWS = 300
NEWS_GENERIC_PER_COMPANY = {BW: 8, CO: 5, FH: 5}
COLOUR_POSTS = {"social": 11, "forum": 3}
COLOUR_COMPANY_POSTS = {"social": 6}
PII_POSTS = 10
REEXPORT_DUPLICATES = 4


def _pick_days(rng: random.Random, days: list[date], weight, count: int) -> list[date]:
    weights = [weight(d) for d in days]
    return rng.choices(days, weights=weights, k=count)


def _timestamp(rng: random.Random, day: date) -> datetime:
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 8, 8, 8, 8, 7, 7, 7, 7, 6, 5, 3, 2])[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=timezone.utc)


def _handle(rng: random.Random) -> str:
    a, b = rng.choice(HANDLE_A), rng.choice(HANDLE_B)
    style = rng.random()
    if style < 0.35:
        return f"{a}{b}{rng.randint(2, 99)}"
    if style < 0.65:
        return f"{a}_{b}"
    if style < 0.85:
        return f"{a}.{b}"
    return f"{b}{rng.randint(100, 9999)}"


def generate_records(seed: int = SEED) -> list[dict]:
    """Every generated row with its internal labels, in output order per file.

    Each record: ``file`` (source label), ``row`` (the output columns, as written),
    ``published_at`` (datetime) and ``labels``: ``kind`` (candidate, consumer, employer,
    advice, news, colour), ``company`` (the true company or None), ``sentiment``
    (pos, neg, mixed, neutral), ``stages``, ``stage_sentiments``, ``consumer_link``,
    ``phase``, ``has_pii`` and ``duplicate`` (True for the deliberate re-export copies).
    """
    global pick_sentiment
    pick_sentiment = SentimentPicker()
    rng = random.Random(seed)
    days = all_days()
    handles = sorted({_handle(rng) for _ in range(900)})
    items: list[tuple[str, datetime, dict, dict]] = []  # (file, ts, fields, labels)

    for source, register, company, kind, count in PLAN:
        if kind == "candidate":
            weight = lambda d, c=company: candidate_weight(c, d)  # noqa: E731
        elif kind == "consumer":
            weight = lambda d, c=company: consumer_weight(c, d)  # noqa: E731
        else:
            weight = seasonal
        for day in sorted(_pick_days(rng, days, weight, count)):
            if kind == "candidate":
                fields, labels = candidate_post(rng, company, day, register)
            elif kind == "consumer":
                fields, labels = consumer_post(rng, company, day, register)
            elif kind == "employer":
                fields, labels = employer_post(rng, company, day, register)
            else:
                fields, labels = advice_post(rng, day, register)
            items.append((source, _timestamp(rng, day), fields, labels))

    # survey: Brightwater only, one stage per row
    for day in sorted(_pick_days(rng, days, survey_weight, SURVEY_ROWS)):
        phase = "wave" if WAVE_START <= day <= WAVE_END else "normal"
        stage = rng.choices(STAGES, weights=SURVEY_STAGE_W[phase])[0]
        fields, labels = candidate_post(rng, BW, day, "survey", stage=stage)
        labels["kind"] = "candidate"
        items.append(("survey", _timestamp(rng, day), fields, labels))

    # colour ("cobalt" the colour) posts
    index = 0
    for register, count in COLOUR_POSTS.items():
        for day in sorted(rng.sample(days, count)):
            fields, labels = colour_post(rng, day, register, index)
            index += 1
            items.append((register, _timestamp(rng, day), fields, labels))
    for register, count in COLOUR_COMPANY_POSTS.items():
        for (company, template), day in zip(COLOUR_WITH_COMPANY[:count], sorted(rng.sample(days, count))):
            ctx = Ctx(rng, company, day)
            ctx.first_mention = company.split()[0]  # "Brightwater", "Fernhill": unambiguous names
            text = ctx.fill(template)
            if rng.random() < 0.5:
                text += " " + rng.choice(CONSUMER_TAGS[company])
            labels = {"kind": "consumer", "company": company, "sentiment": "pos", "stages": [],
                      "stage_sentiments": {}, "consumer_link": False, "phase": consumer_phase(company, day)}
            items.append((register, _timestamp(rng, day), {"text": text, "title": None}, labels))

    # news: story items on their dates, generic items spread out
    for company, lo, hi, kind, sentiment, stages, link, title, text in NEWS_STORY:
        day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        labels = {"kind": kind, "company": company, "sentiment": sentiment, "stages": list(stages),
                  "stage_sentiments": {}, "consumer_link": link, "phase": candidate_phase(company, day)}
        items.append(("news", _timestamp(rng, day), {"text": text, "title": title, "story": True}, labels))
    for company, count in NEWS_GENERIC_PER_COMPANY.items():
        for day in sorted(rng.sample(days, count)):
            title_t, text_t, kind, sentiment = rng.choice(NEWS_GENERIC["all"])
            ctx = Ctx(rng, company, day)
            ctx.first_mention, ctx.company = company, None  # news copy uses the full name throughout
            title, text = ctx.fill(title_t), ctx.fill(text_t)
            labels = {"kind": kind, "company": company, "sentiment": sentiment,
                      "stages": ["application"] if kind == "employer" else [], "stage_sentiments": {},
                      "consumer_link": False, "phase": ""}
            items.append(("news", _timestamp(rng, day), {"text": text, "title": title, "story": True}, labels))

    # a few fictional contact details in public candidate posts, for redaction
    public = [i for i, it in enumerate(items) if it[0] in ("forum", "social", "reviews") and it[3]["kind"] == "candidate"]
    pii_targets = sorted(rng.sample(public, PII_POSTS))
    for snippet, i in zip(PII, pii_targets):
        source, ts, fields, labels = items[i]
        fields = dict(fields, text=fields["text"] + ("\n\n" if source == "forum" else " ") + snippet)
        items[i] = (source, ts, fields, labels)
    pii_set = set(pii_targets)
    survey_idx = [i for i, it in enumerate(items) if it[0] == "survey" and it[3]["sentiment"] == "neg"]
    j = rng.choice(survey_idx)
    s_source, s_ts, s_fields, s_labels = items[j]
    items[j] = (s_source, s_ts, dict(s_fields, text=s_fields["text"] + " Please call me back on +1 555 0100 2233."), s_labels)
    pii_set.add(j)

    return _assemble(rng, items, handles, pii_set)


def _assemble(rng: random.Random, items, handles: list[str], pii_set: set[int]) -> list[dict]:
    order = sorted(range(len(items)), key=lambda i: (list(FILES).index(items[i][0]), items[i][1], i))
    records: list[dict] = []
    counters = Counter()
    for i in order:
        source, ts, fields, labels = items[i]
        counters[source] += 1
        n = counters[source]
        company = labels["company"]
        stamp = ts.isoformat()
        labels = dict(labels, has_pii=i in pii_set, duplicate=False)
        if source == "reviews":
            rid = f"R{4810000 + n * 17 + rng.randint(0, 16)}"
            reviewer = rng.choice(REVIEWERS).replace("{city}", rng.choice(CITIES))
            row = {"review_id": rid, "review_date": stamp, "employer": SITE_NAME[company],
                   "reviewer_name": reviewer, "overall_rating": fields["rating"], "review_title": fields["title"],
                   "review_body": fields["text"],
                   "review_link": f"https://reviews.example.com/{SLUG[company]}/interviews/{rid}"}
        elif source == "survey":
            row = {"response_id": f"BWG-CX-{10000 + n * 3 + rng.randint(0, 2)}", "submitted_at": stamp,
                   "hiring_stage": fields["stage"], "score": fields["rating"], "comment": fields["text"]}
        elif source == "forum":
            site = rng.random()
            post_id = 20000 + n * 41 + rng.randint(0, 40)
            if site < 0.55:
                url = f"https://forum.example.net/t/{post_id}"
            elif site < 0.8:
                url = f"https://news.example.org/item?id={3100000 + post_id * 7}"
            else:
                url = f"https://workplace.example.com/questions/{post_id + 90000}"
            # forum threads are often filed under a company; some are not and must be resolved from text
            tagged = company is not None and labels["kind"] in ("candidate", "consumer", "employer") and rng.random() < 0.7
            row = {"id": f"fp-{post_id}", "published_at": stamp, "url": url,
                   "company": company if tagged else "", "author": rng.choice(handles), "text": fields["text"]}
        elif source == "social":
            handle = rng.choice(handles)
            if labels["kind"] == "employer":
                handle = {BW: "brightwater_careers", CO: "cobaltoutfitters", FH: "fernhill_jobs"}[company]
            post_id = f"{int(ts.timestamp())}{n:04d}"
            if rng.random() < 0.6:
                url = f"https://social.example.org/@{handle}/{post_id}"
            else:
                url = f"https://sky.example.net/profile/{handle}/post/{post_id}"
            row = {"id": post_id, "published_at": stamp, "url": url, "company": "", "author": handle,
                   "text": fields["text"]}
        else:  # news
            title = fields.get("title") or ""
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or f"post-{n}"
            if fields.get("story"):
                url = f"https://news.example.com/{ts:%Y/%m}/{slug}"
                author = rng.choice(NEWS_AUTHORS)
                if labels["kind"] == "employer":
                    url = f"https://press.example.com/{SLUG[company]}/{ts:%Y-%m-%d}-{slug}"
                    author = f"{SITE_NAME[company]} press office"
            elif labels["kind"] == "employer":
                url = f"https://press.example.com/{SLUG[company]}/{ts:%Y-%m-%d}-{slug}"
                author = f"{SITE_NAME[company]} careers"
            else:
                author = rng.choice(handles)
                url = f"https://blog.example.org/{author.replace('.', '-')}/{slug}"
            named = company is not None and rng.random() < 0.85
            row = {"id": f"n-{ts:%Y%m%d}-{n:03d}", "published_at": stamp, "url": url,
                   "company": company if named else "", "author": author, "title": title, "text": fields["text"]}
        records.append({"file": source, "row": row, "published_at": ts, "labels": labels})

    # the review site re-export: a few identical rows again at the end
    reviews = [r for r in records if r["file"] == "reviews"]
    dups = [dict(r, labels=dict(r["labels"], duplicate=True)) for r in rng.sample(reviews, REEXPORT_DUPLICATES)]
    last_review = max(i for i, r in enumerate(records) if r["file"] == "reviews")
    records[last_review + 1:last_review + 1] = dups
    return records


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

COLUMNS = {
    "reviews": ["review_id", "review_date", "employer", "reviewer_name", "overall_rating", "review_title",
                "review_body", "review_link"],
    "survey": ["response_id", "submitted_at", "hiring_stage", "score", "comment"],
    "forum": ["id", "published_at", "url", "company", "author", "text"],
    "social": ["id", "published_at", "url", "company", "author", "text"],
    "news": ["id", "published_at", "url", "company", "author", "title", "text"],
}


def render(records: list[dict]) -> dict[str, bytes]:
    """File name -> file content (UTF-8, ``\\n`` line endings)."""
    out: dict[str, bytes] = {}
    for source, name in FILES.items():
        rows = [r["row"] for r in records if r["file"] == source]
        if name.endswith(".csv"):
            buf = io.StringIO(newline="")
            writer = csv.DictWriter(buf, fieldnames=COLUMNS[source], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            out[name] = buf.getvalue().encode("utf-8")
        else:
            lines = [json.dumps({k: row[k] for k in COLUMNS[source]}, ensure_ascii=False) for row in rows]
            out[name] = ("\n".join(lines) + "\n").encode("utf-8")
    return out


def write_files(out_dir: str | Path = HERE, seed: int = SEED) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in render(generate_records(seed)).items():
        path = out / name
        path.write_bytes(data)
        written[name] = path
    return written


def fragment_count() -> int:
    """How many distinct hand-written fragments the texts are composed from."""
    found: set[str] = set()

    def walk(obj) -> None:
        if isinstance(obj, str):
            found.add(obj)
        elif isinstance(obj, dict):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, (list, tuple)):
            for value in obj:
                walk(value)

    for pool in (CAND, BW_WAVE, BW_CALM, CO_THEME, FH_THEME, CAND_OPENERS, FORUM_QUESTIONS, CLOSERS, LINK,
                 [t for _, t in TERSE["pos"] + TERSE["neg"] + TERSE["mixed"]],
                 SURVEY_SHORT, SURVEY_STAGE_SHORT, SURVEY_TAILS, CONSUMER, CONSUMER_CO, [t for t, _ in BW_DIP["neg"] + BW_DIP["mixed"]],
                 BW_RECOVERED, CONSUMER_OPENERS, [t for t, _ in COLOUR], [t for _, t in COLOUR_WITH_COMPANY], EMPLOYER, ADVICE, PII,
                 SOCIAL_LEADS, [n[7:9] for n in NEWS_STORY]):
        walk(pool)
    return len(found)


def stats(records: list[dict]) -> str:
    lines = []
    by_file = Counter(r["file"] for r in records)
    lines.append("per file: " + ", ".join(f"{FILES[k]}={by_file[k]}" for k in FILES) + f" (total {len(records)})")
    by_co = Counter(r["labels"]["company"] or "(none)" for r in records)
    lines.append("per company: " + ", ".join(f"{k}={v}" for k, v in by_co.most_common()))
    by_kind = Counter(r["labels"]["kind"] for r in records)
    lines.append("per kind: " + ", ".join(f"{k}={v}" for k, v in by_kind.most_common()))
    lines.append("month      total   BW-cand BW-cons BW-cand-neg% BW-cons-neg%  CO  FH")
    months = sorted({(r["published_at"].year, r["published_at"].month) for r in records})
    for ym in months:
        rs = [r for r in records if (r["published_at"].year, r["published_at"].month) == ym]
        bc = [r for r in rs if r["labels"]["company"] == BW and r["labels"]["kind"] == "candidate"]
        bs = [r for r in rs if r["labels"]["company"] == BW and r["labels"]["kind"] == "consumer"]
        neg = lambda xs: 100 * sum(x["labels"]["sentiment"] == "neg" for x in xs) / max(1, len(xs))  # noqa: E731
        co = sum(r["labels"]["company"] == CO for r in rs)
        fh = sum(r["labels"]["company"] == FH for r in rs)
        lines.append(f"{ym[0]}-{ym[1]:02d}  {len(rs):6d}  {len(bc):7d} {len(bs):7d} {neg(bc):11.0f}% {neg(bs):11.0f}%"
                     f" {co:3d} {fh:3d}")
    lines.append(f"fragments: {fragment_count()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write hirepulse's synthetic sample data files.")
    parser.add_argument("--out-dir", default=str(HERE), help="directory to write into (default: next to this script)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    parser.add_argument("--stats", action="store_true", help="print counts per file, company and month")
    args = parser.parse_args(argv)
    written = write_files(args.out_dir, args.seed)
    for name, path in written.items():
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    if args.stats:
        print(stats(generate_records(args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
