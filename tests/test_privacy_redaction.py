"""What redaction takes out and what it leaves: a table of contact details as people write them, and a table of
numbers that are not contact details (the figures the analysis reads: years, dates, pay, ids, scores).

Every number here is synthetic: NANP 555-01xx, UK 07700 900xxx and 020 7946 0xxx (Ofcom's drama ranges), France's
01 99 00 / 06 39 98 fiction ranges, and made-up digit runs elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from hirepulse.cli import main
from hirepulse.privacy import redact, redact_url

# (text, what is stored): each contact detail replaced, the words around it kept
CONTACTS = [
    # North America (NANP)
    ("call (415) 555-0123 after 5", "call [phone] after 5"),
    ("415-555-0123", "[phone]"),
    ("415.555.0123", "[phone]"),
    ("my number is 4155550123", "my number is [phone]"),
    ("1-415-555-0123 (toll free)", "[phone] (toll free)"),
    ("+1 415 5550123", "[phone]"),
    ("+1 (415) 555-0123", "[phone]"),
    ("1 (415) 555-0123", "[phone]"),
    ("desk 415 555 0123 ext. 12", "desk [phone]"),
    ("recruiter line 415-555-0142 x305, ask for Sam", "recruiter line [phone], ask for Sam"),
    ("call 415 555 0123 extension: 12", "call [phone]"),
    ("+852 9123 4567 ext: 204", "[phone]"),
    ("call me on 555-0199 tonight", "call me on [phone] tonight"),
    # United Kingdom
    ("my cell is 07700 900123", "my cell is [phone]"),
    ("07700900123 is the hiring manager", "[phone] is the hiring manager"),
    ("+447700900123", "[phone]"),
    ("+44 7700 900123", "[phone]"),
    ("+44 (0)20 7946 0018", "[phone]"),
    ("0044 20 7946 0018", "[phone]"),
    ("ring 020 7946 0018 ext 204", "ring [phone]"),
    ("(020) 7946 0018", "[phone]"),
    ("07700 900 461", "[phone]"),
    # Germany
    ("+49 30 12345678", "[phone]"),
    ("Tel. 030/90182012", "Tel. [phone]"),
    ("030/90182012", "[phone]"),
    ("030 / 9018 2012", "[phone]"),
    ("0049 30 12345678", "[phone]"),
    ("+49 (0)30 1234567-89", "[phone]"),
    ("Handy: 0171 2345678", "Handy: [phone]"),
    # France
    ("+33142685300", "[phone]"),
    ("01 99 00 12 34", "[phone]"),
    ("06.39.98.12.34", "[phone]"),
    ("+33 6 39 98 12 34", "[phone]"),
    # Netherlands
    ("+31 6 12345678", "[phone]"),
    ("06-12345678", "[phone]"),
    ("bel 020-1234567", "bel [phone]"),
    # India
    ("+91-9876543210", "[phone]"),
    ("+91 98765 43210", "[phone]"),
    ("whatsapp 98765 43210", "whatsapp [phone]"),
    ("022 2345 6789", "[phone]"),
    # China
    ("13800138000", "[phone]"),
    ("+86 138 0013 8000", "[phone]"),
    ("138 0013 8000", "[phone]"),
    ("010-12345678", "[phone]"),
    # Spain, Portugal, Poland (3-3-3, 3-2-2-2), Singapore and Hong Kong (4-4): numbers shaped like amounts or too
    # short for a numbering plan, a phone number by the word before them, or by a tight dash or dot
    ("call me on 612 345 678", "call me on [phone]"),
    ("my number is 612 345 678, evenings", "my number is [phone], evenings"),
    ("WhatsApp: 612 345 678", "WhatsApp: [phone]"),
    ("Madrid mobile 612 345 678", "Madrid mobile [phone]"),
    ("call me on 612-345-678 tonight", "call me on [phone] tonight"),
    ("mobile 612.345.678", "mobile [phone]"),
    ("my number is 612 34 56 78", "my number is [phone]"),
    ("WhatsApp: 9123 4567", "WhatsApp: [phone]"),
    ("call me on 9123-4567", "call me on [phone]"),
    ("móvil 612 345 678", "móvil [phone]"),
    ("celular: 912 345 678", "celular: [phone]"),
    ("komórka 512 345 678", "komórka [phone]"),
    ("34-612-345-678", "[phone]"),
    # 3-3-3 with an area code in brackets, or after a word people write for "phone" (abbreviated, in their language)
    ("(612) 345 678", "[phone]"),
    ("(912) 345 678, ask for Ana", "[phone], ask for Ana"),
    ("Ph: 612 345 678", "Ph: [phone]"),
    ("my no. is 612 345 678", "my no. is [phone]"),
    ("message me on 612 345 678", "message me on [phone]"),
    ("her direct line is 612 345 678", "her direct line is [phone]"),
    ("teléfono 612 345 678", "teléfono [phone]"),
    ("Viber 612 345 678", "Viber [phone]"),
    ("tlf. 412 34 567", "tlf. [phone]"),
    # glued to punctuation, and two in one text
    ("tel:+442079460018", "tel:[phone]"),
    ("Phone:07700 900123.", "Phone:[phone]."),
    ("call 415-555-0123 or 020 7946 0018", "call [phone] or [phone]"),
    ("call 4155550123 2024-05-01 at 10:30", "call [phone] 2024-05-01 at 10:30"),
    ("tel 020 7946 0018 / 07700 900123", "tel [phone] / [phone]"),
    ("call 2024 07700 900123", "call 2024 [phone]"),
    # a number that continues a list after a phone number is one too, when its shape could be; the rest is kept
    ("+852 9123 4567 or 9123 4568", "[phone] or [phone]"),
    ("+44 7700 900123, 7700 900124 after six", "[phone], [phone] after six"),
    ("+852 9123 4567 / 9123 4568", "[phone] / [phone]"),
    ("07700 900123 and 9123 4567", "[phone] and [phone]"),
    ("+852 9123 4567 (or 9123 4568)", "[phone] (or [phone])"),
    ("+1 415 555 0123 alt. 612 345 678", "[phone] alt. [phone]"),
    ("+852 9123 4567 or 2024 2025", "[phone] or 2024 2025"),
    ("+852 9123 4567 or 250 000 000", "[phone] or 250 000 000"),
    ("+852 9123 4567 or 1.200.000", "[phone] or 1.200.000"),
    ("call 07700 900123 about the 95000-120000 band", "call [phone] about the 95000-120000 band"),
    ("+852 9123 4567 and 1 250 000 INR", "[phone] and 1 250 000 INR"),
    ("+852 9123 4567, ticket 12345678", "[phone], ticket 12345678"),
    ("+852 9123 4567 replied after 3 rounds and 12 345 678 views", "[phone] replied after 3 rounds and 12 345 678 views"),
    ("2024 2025 2026 2027 07700 900123", "2024 2025 2026 2027 [phone]"),
    # a "." and a space end a number (a sentence ends), as does a time: each part is judged on its own
    ("My number: 07700 900123. 2500000 offered", "My number: [phone]. 2500000 offered"),
    ("text +1 415 555 0123. 5551234567 is my other", "text [phone]. 5551234567 is my other"),
    ("text +1 415 555 0123. 4155550124 is my other", "text [phone]. [phone] is my other"),
    ("HR at +1 415 555 0123. 2500000 offer", "HR at [phone]. 2500000 offer"),
    ("call +1 415 555 0123 / 14:30", "call [phone] / 14:30"),
    ("call 07700 900123 14:30 tomorrow", "call [phone] 14:30 tomorrow"),
    ("Phone: 020 7946 0018. 95000 was the offer", "Phone: [phone]. 95000 was the offer"),
    ("call me on 612 345 678. 1234567 is the job", "call me on [phone]. 1234567 is the job"),
    ("mobile 612 345 678. 2024 was a long year", "mobile [phone]. 2024 was a long year"),
    ("Interview at 10:30. 07700 900123 is HR", "Interview at 10:30. [phone] is HR"),
    # a word such as "call" tells of the next number, not of the figure after it
    ("call 07700 900123 2500000 offered", "call [phone] 2500000 offered"),
    ("call 07700 900123 / 020 7946 0018 / 9123 4567", "call [phone] / [phone] / [phone]"),
    # a list lifts only a number shaped like the phone number before it, not a count or an id
    ("+1 415 555 0123, 1 250 500 people applied", "[phone], 1 250 500 people applied"),
    ("+44 20 7946 0958 / 1 234 567 applicants", "[phone] / 1 234 567 applicants"),
    ("+1 415 555 0123 or 4 567 890 views", "[phone] or 4 567 890 views"),
    ("+1 415 555 0123 also 1234567 (the job posting number)", "[phone] also 1234567 (the job posting number)"),
    ("+1 415 555 0123 & 10000000 impressions", "[phone] & 10000000 impressions"),
    ("+852 9123 4567, 12345678 followers", "[phone], 12345678 followers"),
    ("call 07700 900123 or 2 500 000 users", "call [phone] or 2 500 000 users"),
    ("+1 415 555 0123 or 12 345 678 so far", "[phone] or 12 345 678 so far"),
    ("+44 7700 900123, 1 234 567 890 in total", "[phone], 1 234 567 890 in total"),
    ("+852 9123 4567 and 612 345 678 candidates", "[phone] and 612 345 678 candidates"),
    ("+852 9123 4567 or 91234568", "[phone] or [phone]"),
    ("+34 612 345 678 / 612 345 679", "[phone] / [phone]"),
    ("reach me at 07700 900123 or at 9123 4567", "reach me at [phone] or at [phone]"),
    ("call me on 9123 4567 or on 612 345 678", "call me on [phone] or on [phone]"),
    # a unit of time after a phone number is its hours, not a count
    ("Phone 612 345 678 hours 9-5", "Phone [phone] hours 9-5"),
    # the next number of a list may leave out the country code and the area code (up to five digits fewer)
    ("WhatsApp +44 7700 900123 or 91234567", "WhatsApp [phone] or [phone]"),
    ("Call +1 415 555 0123 or 555 0199", "Call [phone] or [phone]"),
    ("Call +1 (415) 555-0123 or 555-0199", "Call [phone] or [phone]"),
    ("Phone: +49 30 1234567 / 1234567", "Phone: [phone] / [phone]"),
    ("Jane Doe | Recruiter | +44 7700 900123 | 91234567", "Jane Doe | Recruiter | [phone] | [phone]"),
    ("Regards,\nJane\n+7 495 123-45-67\n1234567", "Regards,\nJane\n[phone]\n[phone]"),
    ("Call 0044 20 7946 0018 or at 7 123 456", "Call [phone] or at [phone]"),
    ("Numbers: +86 138 0013 8000 - 1234567 - +1-415-555-0123", "Numbers: [phone] - [phone] - [phone]"),
    ("Contact details: +31 6 12345678 / 415.555.0123 / 7 123 456", "Contact details: [phone] / [phone] / [phone]"),
    # a list goes on over a label ("; home", "\nOffice:", "(home) or", a name), a line break or ". " before a word;
    # a noun that names the number as something else still ends it
    ("Mobile: 612 345 678\nOffice: 912 345 678", "Mobile: [phone]\nOffice: [phone]"),
    ("Mobile 612 345 678 / office 912 345 678", "Mobile [phone] / office [phone]"),
    ("Cell 0412 345 678; home 612 345 678", "Cell [phone]; home [phone]"),
    ("Mob. +1-415-555-0123. Office 1234567.", "Mob. [phone]. Office [phone]."),
    ("Call 612 345 678, Maria 698 765 432", "Call [phone], Maria [phone]"),
    ("Call 612 345 678 weekdays, 698 765 432 weekends", "Call [phone] weekdays, [phone] weekends"),
    ("Call 612 345 678 (home) or 9123 4568 (work)", "Call [phone] (home) or [phone] (work)"),
    ("Hotline 91234567 (24/7). Or 9123 4568.", "Hotline [phone] (24/7). Or [phone]."),
    ("Call 612 345 678.\n698 765 432", "Call [phone].\n[phone]"),
    ("Please call 13800138000 or, if busy, 7 123 456.", "Please call [phone] or, if busy, [phone]."),
    ("Call 612 345 678, the job: 1234567", "Call [phone], the job: 1234567"),
    # "my no." says "phone" right before the number; a word names what the number is ("the job was") before one
    # further back can
    ("my no. 612 345 678", "my no. [phone]"),
    ("their no.: 612 345 678", "their no.: [phone]"),
    ("call me, the number is 612 345 678", "call me, the number is [phone]"),
    ("call me, mine is 612 345 678", "call me, mine is [phone]"),
    ("WhatsApp me, the number: 9123 4567", "WhatsApp me, the number: [phone]"),
    ("call me: 612 345 678 or 612 345 679", "call me: [phone] or [phone]"),
    ("call anytime: 612 345 678", "call anytime: [phone]"),
    ("ring HR, their main line is 612 345 678", "ring HR, their main line is [phone]"),
    ("voicemail: 612 345 678", "voicemail: [phone]"),
    # only a noun that names something a number is not ("the job was") cancels a phone word; a person, an office or
    # an extension named before the number does not
    ("Contact the recruiter: 612 345 678", "Contact the recruiter: [phone]"),
    ("Call the recruiter: 612 345 678", "Call the recruiter: [phone]"),
    ("WhatsApp the hiring manager: 612 345 678", "WhatsApp the hiring manager: [phone]"),
    ("call the agency: 612 345 678", "call the agency: [phone]"),
    ("Call me, my office is 612 345 678", "Call me, my office is [phone]"),
    ("Call HR, the office is 612 345 678", "Call HR, the office is [phone]"),
    ("Tel: the switchboard is 612 345 678", "Tel: the switchboard is [phone]"),
    ("Call me, her extension is 612 345 678", "Call me, her extension is [phone]"),
    # a word that says "phone" makes a run no less a phone number than its shape does, and an area code in brackets
    # opens a number (after a country code at most): neither leaves a group of a number in clear
    ("call 2021 91 234 56 33", "call [phone]"),
    ("llámame al 2021 91 234 56 33", "llámame al [phone]"),
    ("call 612 34 56 04 (02) 9876 7081", "call [phone] [phone]"),
    ("call +44 (0)20 7946 0018 2500000 offered", "call [phone] 2500000 offered"),
    # (nor does a spaced "/" or "-" carry a number on into a figure of a few digits after it)
    ("text 5550163 / 8.30", "text [phone] / 8.30"),
    ("call 555 0177 / 6,761,427 views", "call [phone] / 6,761,427 views"),
    ("call 06 39 98 16 38 / 1 of 3 numbers", "call [phone] / 1 of 3 numbers"),
    ("Tel 030 / 9018 2012", "Tel [phone]"),
    # a word such as "order" or "offer" decides only right before the number
    ("they made an offer, ping 07700 900123", "they made an offer, ping [phone]"),
    ("call about the order, 07700 900123", "call about the order, [phone]"),
    # a run grouped as a count, that a word tells of, is a phone number whole or not at all: the noun after it does
    # not leave a group of it in clear
    ("Tel 1 250 500 500 customers", "Tel [phone] customers"),
    ("Phone 12 345 678 901 members", "Phone [phone] members"),
    ("the recruiter on 07700 900123 offered a call back", "the recruiter on [phone] offered a call back"),
    ("Tel 5550123 offered by the agency", "Tel [phone] offered by the agency"),
    ("call 5550000", "call [phone]"),
    # a word after the number may say it is a phone number ("is my cell", "(mobile)"), as one before it does
    ("5550199 is my cell", "[phone] is my cell"),
    ("555 0199 (mobile)", "[phone] (mobile)"),
    ("ring 555 0199 (mobile)", "ring [phone] (mobile)"),
    ("612 345 678 is my WhatsApp", "[phone] is my WhatsApp"),
    ("9123 4567 - mobile", "[phone] - mobile"),
    ("612 345 678 (cell/WhatsApp)", "[phone] (cell/WhatsApp)"),
    ("912 345 678 was my old number, now 07700 900123", "[phone] was my old number, now [phone]"),
    ("call at 9.30. 5550199 is my cell", "call at 9.30. [phone] is my cell"),
    # a number listed after an e-mail address is a contact detail too; a word between them says what it is
    ("email jane@example.org or 612 345 678", "email [email] or [phone]"),
    ("jane.roe@example.com / 9123 4567", "[email] / [phone]"),
    ("jane at example dot com, 5550199", "[email], [phone]"),
    ("Contact: jane@example.org or 07700 900123", "Contact: [email] or [phone]"),
    ("jane@example.org or 612 345 678 or 612 345 679", "[email] or [phone] or [phone]"),
    ("mailed jane@example.org about job 1234567", "mailed [email] about job 1234567"),
    ("jane@example.org, 2 500 000 users", "[email], 2 500 000 users"),
    ("jane@example.org and 1234567 followers", "[email] and 1234567 followers"),
    ("jane@example.org or 9000000", "[email] or 9000000"),
    ("612 345 678 / jane@example.org", "[phone] / [email]"),
    ("9123 4567 or jane at example dot com", "[phone] or [email]"),
    ("ref 1234567, jane@example.org", "ref 1234567, [email]"),
    ("2 500 000 users, jane@example.org", "2 500 000 users, [email]"),
    # (a noun after the number may name it as something else, as one before it may)
    ("jane@example.org 612 345 678", "[email] [phone]"),
    ("(jane@example.org) 1 678 190 was the budget", "([email]) 1 678 190 was the budget"),
    ("jane@example.org / 9 543 444 was the budget", "[email] / 9 543 444 was the budget"),
    ("Text 9123 4580 and 24469964 was the budget", "Text [phone] and 24469964 was the budget"),
    # (nor is a version, or an id after its letters and a hyphen, a phone number because it is listed)
    ("jane@example.org / 10.0.18311.1133", "[email] / 10.0.18311.1133"),
    ("REQ-2025-3247657, jane@example.org", "REQ-2025-3247657, [email]"),
    ("Mob-612345678, jane@example.org", "Mob-[phone], [email]"),
    # "text" as a verb right before the number (not the noun: "the text 2 of 3")
    ("text 612 345 678", "text [phone]"),
    ("Text 9123 4567 after six", "Text [phone] after six"),
    ("texted me from 612 345 678", "texted me from [phone]"),
    ("please text: 5550199", "please text: [phone]"),
    # the first word read before a number is read whole: a phone word a few letters beyond the window still tells
    ("Your telephone, if you want a reply to this: 612 345 678",
     "Your telephone, if you want a reply to this: [phone]"),
    # the words for "phone" in Spanish, French, German and Portuguese
    ("llámame al 612 345 678", "llámame al [phone]"),
    ("mi número es 612 345 678", "mi número es [phone]"),
    ("Appelez-moi au 9123 4567", "Appelez-moi au [phone]"),
    ("mon numéro : 612 345 678", "mon numéro : [phone]"),
    ("Ruf mich an: 612 345 678", "Ruf mich an: [phone]"),
    ("Telefonnummer 612 345 678", "Telefonnummer [phone]"),
    ("Mobil: 612 345 678", "Mobil: [phone]"),
    ("ligue para 912 345 678", "ligue para [phone]"),
    ("o meu número é 912 345 678", "o meu número é [phone]"),
    ("contacto: 912 345 678", "contacto: [phone]"),
    # "rang" says "phone" as "ring" does
    ("rang 555 0199", "rang [phone]"),
    ("I rang 612 345 678 twice", "I rang [phone] twice"),
    ("they rang me from 9123 4567", "they rang me from [phone]"),
    # a dotted time ("9.30") neither starts nor carries on a phone number
    ("call at 9.30 612 345 678", "call at 9.30 [phone]"),
    ("call at 9.30 5550199", "call at 9.30 [phone]"),
    ("call 612 345 678 9.30 tomorrow", "call [phone] 9.30 tomorrow"),
    ("call 555 0199 10.15", "call [phone] 10.15"),
    # two groups whose second opens with 0 (a subscriber number: no amount has a group of four opening with 0)
    ("555 0199", "[phone]"),
    ("tried 555 0142 twice, nobody picked up", "tried [phone] twice, nobody picked up"),
    ("Sam (9123 0456) said she'd follow up", "Sam ([phone]) said she'd follow up"),
    # a Chinese mobile in 5-6 that a word tells of, and a trunk number after a short code opening with 0
    ("call me on 13800 138000", "call me on [phone]"),
    ("02 0794609581", "[phone]"),
    # public IP addresses (the documentation ranges stand for the public addresses people write them for)
    ("my IP 203.0.113.45 was blocked by the portal", "my IP [ip] was blocked by the portal"),
    ("logged in from 198.51.100.7.", "logged in from [ip]."),
    ("from 203.0.113.5:8443 and 203.0.113.6", "from [ip]:8443 and [ip]"),
    ("IPs 203.0.113.5 203.0.113.6", "IPs [ip] [ip]"),
    ("2001:db8::1", "[ip]"),
    ("connection from 2001::1 refused", "connection from [ip] refused"),
    ("2001:db8:85a3:0:0:8a2e:370:7334 got rate limited", "[ip] got rate limited"),
    ("it showed ::ffff:203.0.113.9 as my address", "it showed [ip] as my address"),
    ("my IP 203.0.113.45 and my number 07700 900123", "my IP [ip] and my number [phone]"),
    ("+49 30 12.34.56.78", "[phone]"),   # (four groups after a number's first ones: its last groups, no address)
    # e-mail addresses, plain and obfuscated
    ("write to jo.b+jobs@mail.example.com today", "write to [email] today"),
    ("jane at example dot com", "[email]"),
    ("mail Jane AT example DOT co DOT uk", "mail [email]"),
    ("jane(at)example(dot)com", "[email]"),
    ("jane [at] example [dot] com", "[email]"),
    ("jane(at)example.com", "[email]"),
    ("jane.roe at example dot com", "[email]"),
    ("jane dot roe at example dot com please", "[email] please"),
    ("jane%40example.com", "[email]"),
    ("mailto:jane%40example.com", "mailto:[email]"),
    ("jane＠example.com", "[email]"),
    ("jane＠example．com", "[email]"),
    ("jane @ example.com", "[email]"),
]

# texts that hold no contact detail: stored as they are
NOT_CONTACTS = [
    # years, year ranges, dates and times
    "2019-2024",
    "between 2019 - 2024 I applied twice",
    "in 2023 2024 2025",
    "1999 2000 2001",
    "10:30 2024-05-01 12:00",
    "interview on 2025-06-03 at 10:30",
    "applied 12 03 2025 and heard back 2025/04/01",
    "on 01.05.2024 10:30 and 03/06/2025",
    "from 09:00-17:30, 5 days",
    "phone screen on 2024-05-01 at 14:00",
    # salaries, pay bands, money with separators
    "The ad said a pay band of 95000-120000. The offer came in at 80000.",
    "pay band 95000-120000",
    "salary 95.000-120.000 EUR",
    "budget 95 000 - 120 000 EUR",
    "offer of $120,000 after 3 rounds in 2024",
    "they offered 1 250 000 INR, the ad said 1 500 000",
    "after the call the offer was 95000 120000",
    "on the phone they said 250 000 000 a year",
    "€95.000 to €120.000",
    "they paid 1.200.000 for the tool",
    "part 612-345-678 came back, the 612 345 678 units",
    "I called them in 2019 2020 2021",
    # ids and order numbers written as digit groups
    "order 123-456-789",
    "ticket 12345",
    "application ID 2024 0001 2345",
    "requisition 123 456 7890",
    "case no. 4155550123 was closed",
    "order number 4155550123",
    "order #: 4155550123",
    "ticket no. 123 456 7890",
    "ref 0012345678",
    "job id=987654321012",
    "see /jobs/4155550123 on the portal",
    # percentages, versions, scores, counts, addresses of machines
    "10 20 30% fewer calls",
    "score 10 10 10 10",
    "rated 10 10 10 10 10 10",
    "version 10.0.19045.2364",
    "v2.10.3 of the portal",
    "server 192.168.100.200 was down",
    "scores 100 90 80 70 60",
    "3 rounds, 2 calls, 1 offer in 6 weeks",
    "1 (one) interview",
    # a list of numbers starts only at a phone number
    "job 1234567 or 9123 4567 were open",
    # 3-3-3 groups with no word that says "phone": counts, scores and amounts, as a reader takes them
    "612 345 678 applicants and no reply",
    "scored 100 200 300 on the three tests",
    "rounds 1 2 3 4 5 6 7 8, then nothing",
    "a 250 000 000 budget for the team",
    "no. 612 345 678 in the queue",
    "a Ph.D. and 1 234 567 citations",
    # a phone word far back, or "no." that is not "my no." right before the number, says nothing of it
    "voicemail left, the job was 1234567",
    "I called twice, the role was 9123 4567",
    "voicemail left, the posting: 1234567",
    "their no. 1 candidate had 1234567 followers",
    "their no. 1 candidate had 1234567",
    # a count is a count after a word that says "phone"
    "the WhatsApp group has 1 234 567 members",
    # a word after a figure that says it is pay ("offered", "per year") outweighs a phone word, as a count's noun does
    "call at 9.30. 2500000 offered",
    "call at 9.30 2500000 offered",
    "on the phone they said 2500000 per year",
    "the phone screen went well, 2500000 was offered",
    # only a phone word right after the number tells of it: not a score, a count, an interview
    "1234567 is my score",
    "1234567 was the number of applicants",
    "612 345 678 mobile users",
    "2500000 is the phone interview budget",
    "1234567 (phone interviews)",
    # "text" the noun
    "the text 2 of 3 was cut off",
    "in the text 1234567 appears twice",
    # nor is a word cut where the window starts ("ring" of "engineering")
    "In engineering, the total stock grant was 1234567",
    # a round figure of seven or eight digits is an amount, as a grouped one is ("250 000 000")
    "on the phone they said 7500000",
    "call me, 9000000 is the number to beat",
    # counts, pay and ids in Spanish, French, German and Portuguese, after a word that says "phone"
    "el grupo de WhatsApp tiene 1 234 567 miembros",
    "le groupe WhatsApp compte 1 234 567 membres",
    "die WhatsApp-Gruppe hat 1 234 567 Mitglieder",
    "o grupo de WhatsApp tem 1 234 567 membros",
    "WhatsApp sobre el pedido 1234567",
    "Telefon wegen Bestellung 1234567",
    "Llámame, la oferta es 2500000",
    "Llámame, el puesto es 1234567",
    "Appelez-moi, le poste est 1234567",
    "Ruf mich an, die Stelle ist 1234567",
    "Ligue-me, a vaga é 1234567",
    "Ruf an, das Gehalt ist 2500000",
    "Telefon: Rechnungsnummer 1234567",
    "Celular, n° de pedido 1234567",
    # a shift written as two clock times, a year and a date, an id, a count: no subscriber number after its exchange
    "night shift 2200 0600",
    "since 2024 0115",
    "they rang in 2021 0722",
    "application ID 555 0199",
    "job 555 0538 was reposted",
    "555 0199 applicants",
    # space-separated dates, lists of amounts, counted days and rounds, and fractions, after a word that says "phone"
    "phone screen 2024 05 01",
    "call scheduled 2025 11 06 at 9.30",
    "2 000 2 500 3 000 per month",
    "the call said 2 000 1 500 3 000 per month",
    "call at 9.30 2 500 3 000 per month",
    "phone screen, then 10 12 14 21 days",
    "the call took 15 26 32 48 weeks",
    "after the call, 12 14 16 18 interviews",
    "call me crazy, 10 20 30 40 rounds",
    "scores 0.715 / 0.055 / 0.848 / 0.948",
    # private and loopback addresses, versions, sections and amounts shaped like an IP address, times, code
    "server 10.144.60.232 was down",
    "the kiosk at 192.168.10.20 froze",
    "VPN gave me 172.17.65.146",
    "it only worked on 127.0.0.1:8080",
    "bound to ::1 only, link fe80::1 dropped, ULA fd12:3456::1 was fine, ::ffff:10.0.0.7 too",
    "version 1.2.3.4 of the app",
    "the portal runs version 4.12.3.200",
    "after the update to build 5.1.20.7 it crashed",
    "Firefox 115.0.2.1 crashed on the form",
    "section 1.2.3.4 of the handbook",
    "see 3.1.2.3 of the guide",
    "see \u00a7 3.1.2.4",
    "they raised \u20ac1.250.100.200 last year",
    "1.250.100.200 EUR",
    "1.200.000.000 in revenue",
    "10:30:00 and 2024-05-01 and 00:1a:2b:3c:4d:5e",
    "std::vector and Foo::Bar",
    # handles and words that only look like an address
    "@recruiter_amy never replied",
    "Thanks @jane.bsky.social for the tip",
    "I interviewed at acme.com and at example.org",
    "they said the job was at Acme dot not at Beta",
]


@pytest.mark.parametrize(("text", "expected"), CONTACTS)
def test_contact_details_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", NOT_CONTACTS)
def test_other_numbers_and_words_are_kept(text: str) -> None:
    assert redact(text) == text


# (an imported link as given, as stored): contact details leave, the link keeps working where it can
URLS = [
    ("https://reviews.example/r?email=jane.roe@example.com&phone=07700900123", "https://reviews.example/r"),
    ("https://reviews.example/r?review=88&email=jane.roe%40example.com&utm_source=x#top",
     "https://reviews.example/r?review=88&utm_source=x#top"),
    ("https://reviews.example/r?q=call+me+on+07700+900123&page=2", "https://reviews.example/r?page=2"),
    ("https://reviews.example/r#jane.roe@example.com", "https://reviews.example/r"),
    ("https://jo:secret@reviews.example/r/88", "https://reviews.example/r/88"),
    ("https://reviews.example/u/jane.roe@example.com/r/88", "https://reviews.example/u/[email]/r/88"),
    # kept as given: ids by their names or in the path, pages, links without a contact
    ("https://reviews.example/r?review_id=4155550123&page=2", None),
    ("https://reviews.example/jobs/4155550123?ref=07700900123", None),
    ("https://reviews.example.com/cobalt-outfitters/interviews/R4810017", None),
    ("https://bsky.app/profile/jane.bsky.social/post/3k2a", None),
    ("https://mastodon.example/@jane/1123581321", None),
]


@pytest.mark.parametrize(("url", "expected"), URLS)
def test_a_links_contact_details_are_dropped_and_the_link_kept(url: str, expected: str | None) -> None:
    assert redact_url(url) == (expected or url)


def test_import_and_analyze_keep_the_figures_and_drop_the_contacts(tmp_path: Path) -> None:
    """Through `hirepulse import` and `hirepulse analyze`: a pay band stays a pay band (the lowball-offer theme is
    read from it), a meeting time stays a time, and the contact details in the same file are gone."""
    export = tmp_path / "reviews.csv"
    export.write_text(
        "id,published_at,company,text\n"
        "r1,2025-06-03,Acme,The ad said a pay band of 95000-120000. The offer came in at 80000.\n"
        "r2,2025-06-04,Acme,\"Interview at 10:30 2024-05-01 12:00, then silence. Call me on +44 7700 900123 or mail "
        "jane at example dot com\"\n", encoding="utf-8")
    db_path = tmp_path / "h.duckdb"
    assert main(["import", str(export), "--db", str(db_path)]) == 0
    assert main(["analyze", "--db", str(db_path)]) == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        stored = dict(con.execute("SELECT native_id, text FROM mentions").fetchall())
        themes = dict(con.execute("SELECT m.native_id, a.themes FROM analysis a JOIN mentions m ON m.id = a.mention_id")
                      .fetchall())
    finally:
        con.close()
    assert stored["r1"] == "The ad said a pay band of 95000-120000. The offer came in at 80000."
    assert "lowball_offer" in themes["r1"]
    assert stored["r2"] == "Interview at 10:30 2024-05-01 12:00, then silence. Call me on [phone] or mail [email]"
