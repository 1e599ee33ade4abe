"""Privacy by default: salted author keys and redaction of contact details.

Applied at the one place text enters storage (:func:`hirepulse.db.upsert_mentions`), so no
collector or importer can forget it; the error text of runs, log lines and alerts go through it too.

A run of digits is a phone number when a reader would call it one, so context decides before digit counts do. It is
one when something says so: a leading ``+`` (which always wins) or ``00``, an area code in brackets, or a word such
as "call", "phone", "mobile" or "WhatsApp" just before it (which outweighs the look of an amount:
"call me on 612 345 678", not of a round one: "250 000 000", "7500000"), or a phone number just before it in a list
("+852 9123 4567 or 9123 4568", ", ", " / ", "alt.", a label: "; home", "(work) or", a line break), which tells as
much as such a word when it could be the next number (the country and area code may be left out; a count stays a
count: "1 250 500 people"). A word tells of the next number only, not of one after a phone number it told of, nor of
one that a noun names as something a phone number is not: "voicemail left, the job was 1234567"; "my no." tells only
right before the number. A word right after it tells as much: "5550199 is my cell", "555 0199 (mobile)"; so does an
e-mail address listed with it: "jane@example.org or 612 345 678". Or it is one when it has a shape numbering plans
use: NANP 3-3-4 (or ten bare digits), a national number opening with the trunk ``0`` (UK, DE, FR, NL, IN, CN), an
Indian 5-5 or a Chinese eleven-digit mobile, or three or more groups of uneven length. A "." with a space after it
ends a number, as a sentence ends, and a time ("14:30", "9.30") is not part of one; an area code in brackets opens one
(after a country code at most). It is kept when it is a date or a time, years ("2019-2024"), a version
("10.0.18311.1133"), an amount grouped in thousands ("95 000", "1.200.000"), a pay range ("95000-120000"), a
percentage or an amount with its currency, or when a word such as "order", "ticket", "salary" or "score" stands
right before it (or an id's letters and a hyphen: "REQ-2025-3247657"), or a noun after it names it so
("24469964 was the budget"); a word after an amount that says it is pay ("2750000 offered", "1 556 950 per year")
outweighs "call" before it, as a count's noun does. These words are read in Spanish, French, German and Portuguese
too ("llámame al", "Telefonnummer", "1 234 567 miembros", "le poste est").
E-mail addresses are found as written (``@``, the full-width ``＠``, ``%40``) and as people hide them
("jane at example dot com", "jane(at)example(dot)com").
Public IP addresses, IPv4 and IPv6 ("203.0.113.45", "2001:db8::1"), are replaced by ``[ip]``: they can find a writer as
a phone number can. Private, shared, loopback, link-local and multicast ones are kept ("192.168.10.20", "::1"), and so
is a figure of that shape that a word before or after it names a version, a section or an amount ("version 1.2.3.4",
"§ 3.1.2.4", "€1.250.100.200", "1.2.3.4 update").
"""

from __future__ import annotations

from collections.abc import Iterable

import hashlib
import hmac
import ipaddress
import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

REDACTED_EMAIL = "[email]"
REDACTED_PHONE = "[phone]"
REDACTED_IP = "[ip]"

# --------------------------------------------------------------------------- e-mail addresses

_AT = r"(?:@|\uff20|\ufe6b|%40)"           # @, full-width and small commercial at, URL-encoded
_DOT = r"[.\uff0e]"                         # a dot, or the full-width one
_EMAIL = re.compile(rf"(?<![\w.+%-])[\w.+-]+(?:{_AT}| {_AT} )[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,}}(?![\w-])")
# spelled out: "(at)", "[at]" with a real or a spelled dot; a bare word "at" only with a spelled "dot", so that
# "I interviewed at acme.com" keeps the company; the top-level domain from a list ("at Acme dot not at Beta")
_AT_WORD = r"\s*[(\[{<]\s*at\s*[)\]}>]\s*"
_DOT_WORD = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
_LABEL = r"[^\W_][\w-]*"
_TLD = (r"(?:com|org|net|edu|gov|io|co|info|biz|me|dev|ai|app|uk|de|fr|nl|in|cn|us|ca|au|ie|es|it|eu|ch|be|"
        r"se|dk|no|pl|pt|jp)")
_SPELLED = re.compile(
    rf"(?i)(?<![\w.+-])[\w+-]+(?:(?:{_DOT_WORD}|\.)[\w+-]+)*"
    rf"(?:{_AT_WORD}{_LABEL}(?:(?:{_DOT_WORD}|{_DOT}){_LABEL})*(?:{_DOT_WORD}|{_DOT}){_TLD}"
    rf"|\s+at\s+{_LABEL}(?:{_DOT_WORD}{_LABEL})*{_DOT_WORD}{_TLD})(?![\w-])")
_BRACKETED_AT = re.compile(r"[(\[{<]\s*[Aa][Tt]\s*[)\]}>]")

# --------------------------------------------------------------------------- IP addresses

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"     # (no leading 0: "1.200.000.000" is an amount)
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
# an IPv6 address as written: hex groups and colons (with "::", or all eight groups), an IPv4 address at its end;
# what it matches is read by ipaddress ("10:30:00" is a time)
_IPV6_AT = re.compile(rf"(?<![\w:.])(?=[0-9A-Fa-f:.]*\d)(?:[0-9A-Fa-f]{{0,4}}:){{2,7}}(?:{_IPV4}|[0-9A-Fa-f]{{1,4}})?"
                      r"(?![\w.]*\w)")
_IPV6_FULL = re.compile(r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}")
# the networks no one is found by: private, shared, loopback, link-local, multicast and reserved ones (documentation
# ranges, "203.0.113.5", "2001:db8::1", are read as the public addresses people write them for)
_KEPT_NETS = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
    "224.0.0.0/3", "::/127", "fe80::/10", "fc00::/7", "ff00::/8"))
# a word or a sign right before an IPv4-shaped figure that says it is something else: a version ("version 1.2.3.4",
# "build", "release"), a section ("section 1.2.3.4", "§ 3.1.2.4", "clause"), an amount ("€1.250.100.200"); or a
# number before it that it goes on ("+49 30 12.34.56.78")
_NOT_IP_BEFORE = re.compile(
    r"(?i)(?:(?:\b(?:versions?|vers?|v|builds?|releases?|rel|rev|revision|firmware|fw|updates?|updated|patch|"
    r"upgraded?|sdk|kernel|driver|edition|model|app|client|plugin|package|browser|chrome|firefox|safari|windows|macos|"
    r"ios|android|python|node|sections?|sect?|clauses?|articles?|art|para(?:graph)?s?|"
    r"chapters?|ch|rules?|steps?|items?|tables?|fig(?:ure)?s?|appendix|part|points?|annex|standard|iso|rfc)|§)"
    r"\.?\s*(?:no\b\.?|nr\b\.?|#)?\s*:?\s*|[$\u20ac\u00a3\u00a5\u20b9]\s?|\b(?:eur|usd|gbp|inr|chf)\s?|[+(]\s?"
    r"|\d[ \u00a0-])$")
_LISTED_IP = re.compile(rf"(?<![\w.]){_IPV4}[ \u00a0]$")   # (an address before, with only a space: a list of them)
_NOT_IP_AFTER = re.compile(r"(?i)\s?(?:%|[$\u20ac\u00a3\u00a5\u20b9]|(?:eur|usd|gbp|inr|chf)\b|(?:release|build|"
                           r"update|version|patch|firmware)\b)")


def _public(address: str) -> bool:
    """Whether ``address`` is an IP address someone could be found by: not private, loopback, link-local, ...
    (an IPv4 address in IPv6 clothes, "::ffff:10.0.0.1", is read as itself). False when it is no address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not any(ip in net for net in _KEPT_NETS if net.version == ip.version)


def _ipv4_or_keep(match: re.Match[str]) -> str:
    """``[ip]`` for a public IPv4 address; kept: a private one, a version, a section, an amount, an outline number
    of four single digits ("see 1.2.3.4 of the guide": the addresses of that shape are public resolvers, no one's)."""
    text, start = match.string, match.start()
    before = text[max(0, start - 24):start]
    if (len(match[0]) == 7 or not _public(match[0]) or _NOT_IP_AFTER.match(text, match.end())
            or _PAID.match(text, match.end()) or _OTHER.search(before)):
        return match[0]
    if _NOT_IP_BEFORE.search(before) and not _LISTED_IP.search(before):
        return match[0]
    return REDACTED_IP


def _ipv6_or_keep(match: re.Match[str]) -> str:
    address = match[0]
    if "::" not in address and not _IPV6_FULL.fullmatch(address):
        return address   # (a time, "10:30:00", a MAC address, a ratio)
    return REDACTED_IP if _public(address) else address


def _redact_ipv6(text: str) -> str:
    """``text`` with its public IPv6 addresses replaced by :data:`REDACTED_IP` (IPv4 ones are found with the phone
    numbers, in one pass over the digits: see ``_NUMBERS``)."""
    if ("::" in text or text.count(":") >= 7) and _IPV6_AT.search(text):
        text = _IPV6_AT.sub(_ipv6_or_keep, text)
    return text


# --------------------------------------------------------------------------- phone numbers

_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# a decimal fraction below one ("0.055 / 0.848"), kept whole as a date or a time is
_FRACTION = r"0[.,]\d+(?![.,]\d)"
# dates and times are matched first and kept whole, so no phone number starts inside one ("10:30 2024-05-01")
_DATE = (rf"(?:{_YEAR}(?P<s1>[-/.]){_MONTH}(?P=s1){_DAY}|{_DAY}(?P<s2>[-/.]){_DAY}(?P=s2)(?:{_YEAR}|\d\d)"
         rf"|{_DAY} {_MONTH} {_YEAR}|{_YEAR} {_MONTH} {_DAY}(?! \d)"
         rf"|{_YEAR} (?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?! \d))"
         r"(?![-/.]\d)")   # (the last two: "2024 05 01", "2024 0501", not followed by another group)
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
# a time written with a dot ("9.30", "at 10.15"), not a part of a longer dotted figure ("06.39.98.12.34", "12.345")
_DOT_TIME = r"(?:[01]?\d|2[0-3])\.[0-5]\d(?!\d|[.,]\d)"
_BRACKET = r"\(\s?\+?\d{1,5}\s?\)"          # an area or trunk code in brackets: (415), (0), (+44)
_GROUP = rf"(?:{_BRACKET}|\d{{1,15}})"
# (a "." with a space after it ends a sentence, and so the number: "07700 900123. 2500000 offered" is two)
_SEP = r"(?:[ \u00a0]?(?:[-/][ \u00a0]?|\.(?![ \u00a0]))|[ \u00a0]|(?<=\))|(?=\())"
_EXT = r"\s?,?\s?(?:[Ee]xt(?:n|ension)?|EXT|[xX]|\#)\.?:?\s?\d{1,6}"
_NUMBERS = re.compile(
    r"(?=[\d+(])"   # (first: the cheap test that lets most positions go at once)
    r"(?<![\w/@#$\u20ac\u00a3\u00a5\u20b9])(?<!\d[.,:/-])"   # not inside a word, a path, an amount or a decimal
    rf"(?:(?P<date>{_DATE})|(?P<time>{_TIME}|{_DOT_TIME})|(?P<fraction>{_FRACTION})|(?P<ip>{_IPV4}(?![.,]\d|-\w))"
    rf"|(?P<run>(?:\+\s?)?{_GROUP}(?:{_SEP}(?!\d\d?:\d|(?<=\s){_DOT_TIME}){_GROUP})*)(?P<ext>{_EXT})?)"
    r"(?!\w)")   # (nor does a time carry on a run: "07700 900123 / 14:30", "call 612 345 678 9.30")
_DATE_ONLY = re.compile(rf"{_DATE}$")
_DIGIT_RUN = re.compile(r"\d\d")  # cheap pre-check: no two adjacent digits, no phone number
_DIGITS = re.compile(r"\d+")
# the weak joints of a run: a space alone between two groups, or a spaced slash or dash (" / " joins two numbers)
_SPACED_JOINT = re.compile(r"[ \u00a0][-/][ \u00a0]")
_CHUNK_GAP = re.compile(rf"{_SPACED_JOINT.pattern}|(?<![-./\s])[ \u00a0](?![-./\s])")
# (the words for a phone itself, which tell before a number and after it: "mobile 612 345 678", "612 345 678 (mobile)")
_PHONE_WORDS = (r"cell(?:phone)?|mobile|mob|phone|telephone|tel|landline|whats\s?app|viber|wechat|fax|direct line|"
                r"hotline|handy|telefon|tel[e\u00e9]fono|telefone|portable|m\u00f3vil|movil|celular|telem\u00f3vel|"
                r"telemovel")
# a word that says what a run is: "call", "phone", "WhatsApp" somewhere in the few words before it; "order",
# "ticket", "salary", "score" right before it, give or take "no.", "number", "is", "was", a colon
# ("case no. 4155550123": a case)
_TOLD = re.compile(
    rf"(?i)\b(?:{_PHONE_WORDS}|call(?:ed|ing)?|ph(?!\.d)|phn|sms|text me|(?:message|msg) me|ring|rang|dial|voicemail|"
    r"contact|reach me|(?:my|his|her|their) number|number is|t\u00e9l(?:\u00e9phone)?|tlf|tfn|kom\u00f3rk[ai]|"
    r"komork[ai]|"
    # (the verbs and "my number" in Spanish, French, German and Portuguese, and their own words for "phone")
    r"ll[a\u00e1]m(?:ame|anos|eme|enos|ar|e)|llamada|(?:mi|su|tu) n[u\u00fa]mero|contacto|contato|kontakt|"
    r"r?appel(?:ez|er|le|lez)(?:-(?:moi|nous))?|(?:mon|son|ton|notre|votre) num[e\u00e9]ro|"
    r"ruf(?:e|en)?\s+(?:sie\s+)?(?:(?:mich|uns)\s+)?an|anrufen|anruf|(?:telefon|handy|mobil|ruf)nummer|mobil|festnetz|"
    r"erreichbar|(?:meine|unsere) nummer|lig(?:ue|a|ar|uem)(?:-(?:me|nos))?\s+(?:para|pro)|lig(?:ue|a)-(?:me|nos)|"
    r"me\s+lig(?:ue|a)|liga[c\u00e7][a\u00e3]o|(?:meu|minha|nosso|seu) n[u\u00fa]mero)\b")
# "my no." says "phone" only right before the number ("my no. is 612 345 678"; not "their no. 1 candidate had ...")
_MY_NO = re.compile(r"(?i)\b(?:my|his|her|their|our|your) no\b\.?\s*(?::|is\b|was\b)?\s*$")
# "text" the verb says "phone" right before the number too ("text 612 345 678", "texted me from"), the noun does not:
# the word before it tells which ("the text 2 of 3", "in the ad text 1234567")
_TEXT_VERB = re.compile(r"(?i)(?:\b([^\W\d_]+)[ \t]+)?\btext(?:ed|ing)?(?:\s+(?:me|you|us|him|her|them)\b)?"
                        r"(?:\s+(?:on|at|to|from)\b)?\s*:?\s*$")
_TEXT_NOUN = frozenset(("the", "a", "an", "this", "that", "its", "my", "your", "his", "her", "our", "their", "of",
                        "full", "plain", "rich", "free", "raw", "body", "alt", "ad", "job", "post", "page", "help",
                        "search", "input", "source", "sample", "example", "whole", "same", "original"))
# a noun that names the number right before it ("the job was", "the posting:"): what it is, when it is something a
# phone number is not (below); a word such as "call" further back, or a phone number listed before, then told of
# something else ("voicemail left, the job was 1234567"). (A noun: after "the", "my", ...; "call me:" names none.)
_NAMED = re.compile(r"(?i)(?:\b(?:the|a|an|my|his|her|our|their|its|this|that|your"
                    # (and in Spanish, French, German and Portuguese: "el puesto es", "le poste est", "l'offre est",
                    # "die Stelle ist", "a vaga é")
                    r"|el|la|los|las|mi|su|tu|un|una|le|les|mon|ma|son|sa|notre|votre|der|die|das|mein|meine|sein"
                    r"|seine|ihr|ihre|unser|unsere|o|os|as|meu|minha|seu|sua|um|uma)\s+|\bl['\u2019])"
                    r"(?:\w+\s+)?(\w+)\.?"
                    r"(?:\s+(?:is|was|were|are|es|era|fue|est|\u00e9tait|ist|war|\u00e9|foi)(?!\w)|\s*:)\s*$")
# (only a noun that names something a number is not cancels a phone word: "Call the recruiter: 612 345 678", "my
# office is 612 345 678" and "her extension is ..." are phone numbers still, "the job was 1234567" is not)
_NOT_PHONE = frozenset((
    "job", "jobs", "posting", "post", "listing", "ad", "advert", "role", "position", "vacancy", "opening", "req",
    "requisition", "salary", "pay", "budget", "offer", "bonus", "package", "price", "cost", "fee", "amount", "total",
    "count", "score", "rating", "rank", "ticket", "order", "invoice", "ref", "reference", "case", "id", "code",
    "application", "applicant", "candidate", "employee", "account", "tracking", "version", "build", "release", "zip",
    "postcode", "iban", "card", "badge", "room", "flight", "page", "year", "date",
    "empleo", "puesto", "vacante", "oferta", "salario", "sueldo", "anuncio", "pedido", "referencia", "c\u00f3digo",
    "emploi", "poste", "offre", "salaire", "annonce", "commande", "r\u00e9f\u00e9rence", "montant",
    "stelle", "stellenanzeige", "anzeige", "angebot", "gehalt", "bestellung", "referenz", "betrag",
    "vaga", "emprego", "sal\u00e1rio", "an\u00fancio", "encomenda", "refer\u00eancia", "valor"))
_OTHER = re.compile(
    r"(?i)\b(?:orders?|tickets?|invoices?|ref|reference|case|ids?|req|requisition|applications?|applicant|candidate|"
    r"employee|tracking|account|acct|po|sku|isbn|versions?|build|release|scores?|rating|rated|salary|salaries|pay|"
    r"band|range|budget|offer(?:ed)?|bonus|usd|eur|gbp|inr|rs|zip|postcode|iban|card|badge|room|flight|pages?|"
    # (in Spanish, French, German and Portuguese: an order, an invoice, a reference, a file, pay, an offer)
    r"pedidos?|facturas?|referencia|expediente|salario|sueldo|oferta|commandes?|factures?|r\u00e9f\u00e9rence|"
    r"dossier|salaire|offre|bestellung|rechnung|auftrag|aktenzeichen|gehalt|angebot|referenz|"
    r"(?:bestell|rechnungs|auftrags|kunden|referenz|vorgangs|personal)nummer|encomenda|faturas?|refer\u00eancia|"
    r"processo|sal\u00e1rio)\b"
    r"\s*[:#=]*\s*(?:(?:(?:no|nr)\b\.?|n[\u00ba\u00b0]\.?|(?:num|number|is|was|of|at|id|n[u\u00fa]mero|num[e\u00e9]ro|"
    r"nummer|de|del|du|do|da|es|est|ist|\u00e9|era|war)(?!\w))\s*[:#=]*\s*)*$")
_ID_PREFIX = re.compile(r"(?<![\w-])([^\W\d_]+)-$")
_BRACKET_AFTER = re.compile(r"\s?\(([^()\d\n]{1,40})\)")
_NAMED_AFTER = re.compile(r"(?i)\s+(?:is|was|were|are)\s+(?:the|a|an|my|his|her|our|their|your)\s+(\w+)(?:\s+(\w+))?")
# a word right after a number that says it is a phone number, as "call" before it does: "5550199 is my cell", "555 0199
# (mobile)", "(home)", "9123 4567 - WhatsApp", "612 345 678 was my old number"; not a word that goes on to name
# something else
# ("1234567 was the number of applicants", "2500000 is the phone interview budget", "(phone interviews)")
_PHONE_NOUN = (r"(?:(?:new|old|direct|work|home|office|personal|private|own|main|current|cell|mobile)\s+)?"
               rf"(?:{_PHONE_WORDS}|number|t\u00e9l\u00e9phone)")
_TOLD_AFTER = re.compile(
    rf"(?i)\s*(?:\(\s*(?:{_PHONE_NOUN}(?:\s*(?:[/,&+]|\bor\b|\band\b)\s*[^()\n]{{1,20}})?|home|work|office)\s*\)"
    rf"|(?:[-\u2013\u2014:]\s*|(?:is|was)\s+(?:(?:my|his|her|their|our|your|the)\s+)?){_PHONE_NOUN}\b"
    r"(?!\s+(?:of|one|1|screen(?:ing)?|interviews?|calls?|rounds?|bill|plan|case|model|allowance|stipend|users|"
    r"apps?|downloads|views)\b))")
_CONTEXT = 32                      # characters before a run that are read for those words (the first one whole)
_WORD = 20                         # how far back a word cut there is read to its start (a longer one is not read)
# what stands between the numbers of a list ("+852 9123 4567 or 9123 4568", ", ", " / ", "alt.", "or on"), with up to
# two label words or a label in brackets ("(home) or", "; home", "\nOffice:", "Maria", "or, if busy,"); a line break
# or a ". " before a word continues it ("Call 612 345 678.\n698 765 432", "Mob. +1 ... Office 1234567"), a bare ". "
# does not ("My number: 07700 900123. 2500000 offered"): a run right after a phone number and only this is read as
# the next one, as if a word such as "call" stood before it
_LISTED_JOINT = r"(?:[\s,;/|&()]|\.(?=\s*\n)|\.\s+(?=[^\W\d_]|\())*"
_LISTED_WORDS = (rf"(?:(?:or|and|alt|alternatively|alternative|also|else|otherwise|on|at|via)\b\.?:?"
                 rf"{_LISTED_JOINT})*")
_LISTED = re.compile(
    rf"(?i){_LISTED_JOINT}{_LISTED_WORDS}"
    rf"(?:(?:\([^()\n]{{1,20}}\)|[^\W\d_][\w'\u2019-]{{0,15}}\.?:?){_LISTED_JOINT}{_LISTED_WORDS}){{0,2}}")
# what stands between an e-mail address and a number listed with it ("jane@example.org or 612 345 678", " / ", ", "):
# the joints and words of a list without its labels, which could name the number anything ("about job 1234567")
_MAIL_LISTED = re.compile(rf"(?i){_LISTED_JOINT}{_LISTED_WORDS}")
_MAIL_AFTER = re.compile(rf"(?i){_LISTED_JOINT}{_LISTED_WORDS}{re.escape(REDACTED_EMAIL)}")   # ("... / [email]")
_MAILS = re.compile(re.escape(REDACTED_EMAIL))
# a noun after a number that says it counts something ("1 234 567 applicants", "12345678 total views"), or words that
# say it is a tally ("12 345 678 so far"), or the steps and days of a hiring process ("10 12 14 21 days", "12 14 16
# 18 interviews"); not hours, which follow a phone number as its opening hours ("Phone 612 345 678 hours 9-5"), nor
# the first part of a compound ("Tel 612 345 678 Kunden-Hotline")
_COUNTED = re.compile(
    r"(?i)\s*(?:(?:new|more|other|total|unique|active|monthly|daily|weekly|registered|real|fake|qualified)\s+)?"
    r"(?:people|persons|applicants?|applications|candidates|users|members|followers|subscribers|views|impressions|"
    r"clicks|likes|reactions|shares|comments|posts|replies|responses|votes|visitors|visits|downloads|installs|"
    r"employees|staff|workers|hires|jobs|openings|roles|positions|vacancies|resumes|cvs|profiles|accounts|"
    r"records|rows|entries|results|customers|clients|students|words|times|interviews|rounds|stages|days|weeks|"
    r"months|"
    # (and in Spanish, French, German and Portuguese)
    r"personas|candidatos|usuarios|miembros|seguidores|visitas|vistas|visualizaciones|empleados|trabajadores|"
    r"clientes|solicitudes|candidaturas|postulantes|ofertas|vacantes|descargas|palabras|veces|"
    r"personnes|candidats|utilisateurs|membres|abonn\u00e9s|vues|employ\u00e9s|salari\u00e9s|candidatures|offres|"
    r"postes|mots|fois|personen|leute|bewerber(?:innen)?|bewerbungen|nutzer(?:innen)?|mitglieder|follower|aufrufe|"
    r"besucher|mitarbeiter(?:innen)?|kunden|stellen|w\u00f6rter|pessoas|usu\u00e1rios|utilizadores|membros|"
    r"visualiza\u00e7\u00f5es|funcion\u00e1rios|colaboradores|vagas|vezes|palavras)\b(?!-\w)"
    r"|\s*(?:so far|in total|in all|altogether|overall|en total|au total|insgesamt|no total|hasta ahora|bis jetzt|"
    r"at\u00e9 agora)\b")
# words after a figure that say it is pay ("2500000 offered", "was offered", "1 556 950 per year"), which outweigh a
# word such as "call" before it as a count's noun does, when the figure is written as an amount is (grouped in
# thousands or ending in "00"; not "Tel 5550123 offered by the agency"); not "a year", which follows a phone number
# too ("a call from 5550199 a year ago")
_PAID = re.compile(r"(?i)\s*(?:(?:is|was|were|are|being)\s+)?(?:offered|per\s+(?:year|annum|month|week|day|hour)\b"
                   r"|annually|yearly|gross|before\s+tax|pre-?tax|ctc|lpa|p\.\s?a\.)(?!\w)")
_AFTER = re.compile(r"\s?(?:%|[$\u20ac\u00a3\u00a5\u20b9]|(?:eur|usd|gbp|inr|cny|rmb)\b)", re.IGNORECASE)
# a run joined throughout by one tight dash or dot, as phone numbers are written and amounts are not (612-345-678)
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_SPACED = re.compile(r"\d+(?:[ \u00a0]\d+)+")
_JOINED = re.compile(rf"\d+(?:-\d+)+|{_DOTTED.pattern}")
_COUNTRY = re.compile(r"\+\s?\d{1,4}|00\d{1,4}|1")   # (a group a bracketed area code may follow: +44, 0044, 1)
_NANP_BARE = re.compile(r"1?[2-9]\d\d[2-9]\d{6}")
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_TRUNK_CODE = re.compile(r"0[1-9]\d?")   # (a short code opening with 0 that a trunk number may follow: "02 0794609581")
_YEAR_ONLY = re.compile(_YEAR)
_LAST_WORD = re.compile(r"(\w+)[\s:#.]*$")   # (the word right before a number: "job 555 0199", "ref: 555 0199")
_CLOCK = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")   # (a time written as four digits: "0600", "2200")


MIN_SALT_CHARS = 16   # a shorter salt is warned of (short_salt_warning): it can be guessed, and every key with it


def short_salt_warning(variable: str, salt: str) -> str | None:
    """What to say when the salt in the environment variable ``variable`` is shorter than :data:`MIN_SALT_CHARS`
    (None when it is not): its length, never the salt. With a salt that can be guessed, anyone holding the
    database can test a guessed handle, address or text against the keys made with it."""
    if len(salt) >= MIN_SALT_CHARS:
        return None
    return (f"the privacy salt in {variable} is only {len(salt)} character{'' if len(salt) == 1 else 's'} long: "
            f"a salt shorter than {MIN_SALT_CHARS} can be guessed, and with it anyone holding the database can "
            "test a guessed author against the author keys. Use a long random one (`openssl rand -hex 32`) for a "
            "new database (the salt of a database that holds posts stays: `hirepulse salt`)")


def salted_hex(salt: str, message: str | bytes, chars: int) -> str:
    """The first ``chars`` hex characters of HMAC-SHA256(salt, message): every key hirepulse keeps of something it
    must not store (an author, a made id, what an erasure remembers, the salt's own check)."""
    data = message.encode("utf-8") if isinstance(message, str) else message
    return hmac.new(salt.encode("utf-8"), data, hashlib.sha256).hexdigest()[:chars]


def author_key(handle: str | None, salt: str) -> str | None:
    """A salted, keyed hash of an author handle (HMAC-SHA256, 16 hex chars); None stays None.

    Handles are compared case-insensitively with surrounding whitespace and a leading ``@`` removed,
    so ``@Jo`` and ``jo`` map to the same key.
    """
    if handle is None:
        return None
    normal = handle.strip().lstrip("@").lower()
    if not normal:
        return None
    return salted_hex(salt, normal, 16)


def author_keys(handles: Iterable[str | None], salt: str) -> dict[str | None, str | None]:
    """:func:`author_key` of each distinct handle: an export or a batch names few authors over many rows."""
    return {handle: author_key(handle, salt) for handle in set(handles)}


def keyed_id(salt: str, *parts: object) -> str:
    """A stable id made from a record's identifying fields, keyed with the salt (HMAC-SHA256, 20 hex chars), for
    records without an id of their own (an import without an id column, a comment without an anchor).

    Keyed, because those fields are the raw ones, before redaction: an unkeyed hash of them would let anyone holding
    the id and the row's other fields test guesses of what redaction took out (a phone number, an address), as an
    audit did. Made from the raw fields rather than the redacted ones so that an id stays the same when the
    redactor improves, and two posts that differ only in a redacted number stay two posts.
    """
    joined = "\x1f".join(("id", *("" if p is None else str(p) for p in parts)))
    return salted_hex(salt, joined, 20)


def redact(text: str | None) -> str | None:
    """Replace e-mail addresses, public IP addresses and phone numbers in ``text`` with placeholders (see the module
    docstring)."""
    if not text:
        return text
    # (cheap tests first: redaction runs on every text stored, and most hold no address and no number)
    if "@" in text or "%40" in text or "\uff20" in text or "\ufe6b" in text:
        text = _EMAIL.sub(REDACTED_EMAIL, text)
    if ("dot" in text or "DOT" in text or "Dot" in text
            or (("(" in text or "[" in text or "{" in text or "<" in text) and _BRACKETED_AT.search(text))):
        text = _SPELLED.sub(REDACTED_EMAIL, text)
    if ":" in text:
        text = _redact_ipv6(text)
    if not _DIGIT_RUN.search(text):   # (nor a public IPv4 address: those of four single digits are kept)
        return text
    last = [-1, 0]   # (where the last phone number replaced ends and its digits, for the next one of a list)
    # (where each e-mail address replaced ends: a number listed right after one is a contact detail too)
    mails = tuple(mail.end() for mail in _MAILS.finditer(text)) if REDACTED_EMAIL in text else ()
    return _NUMBERS.sub(lambda match: _phone_or_keep(match, last, mails), text)


def holds_contact(value: str | None) -> bool:
    """Whether ``value`` (an id, a URL's part) holds an e-mail address, a phone number or a public IP address, as
    :func:`redact` finds them in a text."""
    return bool(value) and redact(value) != value


def redact_url(url: str | None) -> str | None:
    """``url`` without the contact details it carries, kept a working link where it can be: a query parameter or a
    fragment that holds an address or a phone number is dropped (``?review=88&email=jo%40example.com`` ->
    ``?review=88``), as is a user name and password before the host; an address or number in the path, which
    the link cannot do without, is replaced as in a text (``[email]``). A parameter's name is read as the words
    before its value: ``phone=07700900123`` goes, ``review_id=4155550123`` stays. Anything else is kept as given.
    """
    if not url or not holds_contact(unquote_plus(url)):   # (most: a "+" or "%20" may join a number's groups)
        return url
    try:
        parts = urlsplit(url)
    except ValueError:   # (not a URL at all: a text)
        return redact(url)
    kept = (parts.netloc.rpartition("@")[2], redact(parts.path) or "",
            "&".join(p for p in parts.query.split("&") if p and not _contact_param(p)),
            "" if _contact_param(parts.fragment) else parts.fragment)
    if kept == (parts.netloc, parts.path, parts.query, parts.fragment):
        return url
    return urlunsplit((parts.scheme, *kept))


def _contact_param(piece: str) -> bool:
    """Whether a query's ``name=value`` (or a fragment) holds a contact detail, its name read as the words before
    its value ("review id: 4155550123" is an id, "phone: 07700900123" a phone number)."""
    name, _, value = piece.partition("=")
    text = f"{unquote_plus(name).replace('_', ' ').replace('-', ' ')}: {unquote_plus(value)}" if value else unquote_plus(name)
    return holds_contact(text)


def _phone_or_keep(match: re.Match[str], last: list[int], mails: tuple[int, ...] = ()) -> str:
    """A date, a time or a run of digit groups: the run (with its extension) as [phone] when it is one, else the
    phone numbers within it (a space is the weakest joint: "call 4155550123 2024-05-01"), else as it was. A run
    grouped as a count that only the noun after it keeps from being a phone number is taken whole when a part of
    it is one: "Tel 1 250 500 500 customers" is a number and its noun, not a number and "500 customers".
    ``last`` is where the last phone number replaced in the text ends (-1: none yet) and how many digits it has,
    kept up to date here: a run that follows it with only "or", "," or "/" between continues a list of phone
    numbers. ``mails``: where the e-mail addresses replaced in the text end; a run that follows one with only such
    a joint between is a contact detail listed after it ("jane@example.org or 612 345 678")."""
    if match["ip"] is not None:   # (an IPv4 address, or a figure of that shape: kept whole, no phone number in it)
        return _ipv4_or_keep(match)
    run = match["run"]
    if run is None or len(run) < 7:   # (no phone number has fewer than seven digits; most runs: "2024", "10")
        return match[0]
    text, start = match.string, match.start("run")
    listed = last[1] if last[0] >= 0 and _LISTED.fullmatch(text, last[0], start) is not None else 0
    mailed = bool(mails) and any(end <= start and _MAIL_LISTED.fullmatch(text, end, start) is not None
                                 for end in mails)
    # (the words before it are read back to the last phone number at most: "call" told of that one)
    reach = _window(text, start, max(0, last[0]))
    before, after = text[reach:start], text[match.end():]
    if _is_phone(run, before, after, listed=listed, mailed=mailed):
        last[:] = match.end(), _national_digits(run)
        return REDACTED_PHONE
    gaps = list(_CHUNK_GAP.finditer(run))
    if not gaps or _amounts(_DIGITS.findall(run), run):
        return match[0]   # (no phone number inside amounts either: "000 2 500" of "2 000 2 500 3 000")
    bounds = list(zip([0, *(gap.end() for gap in gaps)], [*(gap.start() for gap in gaps), len(run)]))
    # (each chunk with its digits and the joint after it: "/" or "-" when spaced, "" for a bare space or the run's end)
    chunks = [(left, right, _count_digits(run[left:right]), run[right:bounds[k + 1][0]].strip() if k + 1 < len(bounds)
               else "") for k, (left, right) in enumerate(bounds)]
    found = _phones_within(match, chunks, 0, len(chunks), reach, listed=listed, mailed=mailed)
    if not found:
        return match[0]
    if (_COUNTED.match(after) and _figures(_DIGITS.findall(run), run)
            and _is_phone(run, before, "", listed=listed, mailed=mailed)):
        # (a run grouped as a count, told of as a phone number, is one whole or a count whole: when a part of it reads
        # as a phone number the noun after it counts no rest, "Tel 1 250 500 500 customers", none left in clear)
        last[:] = match.end(), _national_digits(run)
        return REDACTED_PHONE
    out, done = [], 0
    for left, right in found:
        out += [run[done:left], REDACTED_PHONE]
        done = right
    last[:] = match.end() if done == len(run) else start + done, _national_digits(run[found[-1][0]:done])
    ext = "" if done == len(run) else match["ext"] or ""   # (an extension goes with its number)
    return "".join(out) + run[done:] + ext


def _phones_within(match: re.Match[str], chunks: list[tuple[int, int, int, str]], lo: int, hi: int, reach: int, *,
                   listed: int = 0, mailed: bool = False) -> list[tuple[int, int]]:
    """The spans of the run's phone numbers among ``chunks[lo:hi]``: the stretch of chunks with the most digits
    that is one ("2024 07700 900123": the last two, not the first two), then those to its left and right. One that
    starts and stops at a spaced "/" or "-" (or the ends) comes first, so that a number is not cut after its first
    group: "+852 9123 4567 / 9123 4568" is two numbers, not "+852 9123 4567 / 9123" and "4568", and
    "07700 900123 / 020 7946 0018" not "07700" and "900123 / 020 7946". No stretch goes on past an area code in
    brackets, which opens a number: "612 34 56 04 (02) 9876 7081" is two.
    ``listed``: ``chunks[lo]`` follows a phone number of that many (national) digits with only a list's joint between
    ("... / 9123 4568"); 0 when not. It lifts only a stretch that ends where the run or a spaced joint does: digits
    after a bare space go on a count ("+44 7700 900123, 1 234 567 890 in total"). ``mailed``: so does an e-mail
    address before ``chunks[lo]``, of any number of digits.
    ``reach``: where the words read before a stretch may start at most; those before a phone number found told of
    it, not of the stretches after it ("call 07700 900123 2500000")."""
    run, text, start = match["run"], match.string, match.start("run")
    best: tuple[bool, bool, int, int, int] | None = None
    for i in range(lo, hi):
        digits = 0
        for j in range(i, hi):
            digits += chunks[j][2]
            if digits > 15 or (j > i and run[chunks[j][0]] == "(" and not _COUNTRY.fullmatch(run, *chunks[j - 1][:2])):
                break   # (an area code in brackets opens a number, after a country code at most: "+44 (0)20 ...")
            score = (i == lo or bool(chunks[i - 1][3]), j == hi - 1 or bool(chunks[j][3]), digits)
            if (best and score <= best[:3]) or (i, j) == (0, len(chunks) - 1):
                continue   # (no better than one found; the whole run, judged before)
            left, right = chunks[i][0], chunks[j][1]
            if _is_phone(run[left:right], text[_window(text, start + left, reach):start + left],
                         text[start + right:], listed=listed if i == lo and score[1] else 0,
                         mailed=mailed and i == lo and score[1]):
                best = (*score, i, j)
    if best is None:
        return []
    *_, i, j = best
    # (a spaced "/" or "-" after it lists the next number; a bare space does not: "4155550123 2024")
    joint = chunks[j][3] if j + 1 < hi else ""
    return [*_phones_within(match, chunks, lo, i, reach, listed=listed, mailed=mailed), (chunks[i][0], chunks[j][1]),
            *_phones_within(match, chunks, j + 1, hi, start + chunks[j][1],
                            listed=_national_digits(run[chunks[i][0]:chunks[j][1]]) if joint else 0)]


def _window(text: str, start: int, floor: int) -> int:
    """Where the words read before ``start`` begin: ``_CONTEXT`` characters back, not before ``floor``, and a word
    cut there read whole or not at all ("engineering" holds no "ring", "telephone" is more than "ephone")."""
    at = start - _CONTEXT
    if at <= floor:
        return floor
    if not (text[at - 1].isalnum() and text[at].isalnum()):
        return at
    word = at - 1
    while word > floor and word > at - _WORD and text[word - 1].isalnum():
        word -= 1
    if word == floor or not text[word - 1].isalnum():
        return word
    while at < start and text[at].isalnum():   # (longer than any word that says "phone": left out)
        at += 1
    return at


def _is_phone(run: str, before: str, after: str, *, listed: int = 0, mailed: bool = False) -> bool:
    """Whether a run of digit groups is a phone number, told by the words ``before`` it and the text ``after`` (a
    word there tells as one before does: "5550199 is my cell"); ``listed``: it follows a phone number of that many
    digits in a list, which tells as much as a word such as "call" would when the run could be the next of that list
    (see :func:`_could_follow`); 0 when not. ``mailed``: it follows an e-mail address in a list, which tells as much
    whatever its length, as does one listed after it."""
    groups = _DIGITS.findall(run)
    digits = "".join(groups)
    if not 7 <= len(digits) <= 15 or _AFTER.match(after) or _DATE_ONLY.match(run):
        return False
    if run.startswith("+"):
        return len(digits) >= 8
    if _OTHER.search(before):
        return False
    prefix = _ID_PREFIX.search(before)
    if prefix is not None and not _TOLD.fullmatch(prefix[1]):
        return False   # (an id after its letters and a hyphen: "REQ-2025-3247657"; not "Mob-612345678")
    # (what names the number, counts it or pays it is read only when something tells: most runs, nothing does)
    told = ((listed and _could_follow(groups, listed)) or mailed or _told(before)
            or _TOLD_AFTER.match(after) is not None or _MAIL_AFTER.match(after) is not None) \
        and not (_names_other(before) or _names_after(after)) and not _COUNTED.match(after) \
        and not (_PAID.match(after) and (digits.endswith("00") or _figures(groups, run)))
    # (a count's noun, or a pay word after an amount, outweighs "call": "the WhatsApp group has 1 234 567 members")
    # (an area code in brackets tells as much as a word: no one brackets the first group of an amount)
    bracketed = run.startswith("(") and len(digits) >= 9
    if _figures(groups, run, told=told or bracketed) or (
            any(len(g) >= 5 and g[0] == "0" for g in groups[1:]) and not _TRUNK_CODE.fullmatch(groups[0])):
        return False   # (a later group opening with a trunk 0 starts a number of its own: "2027 07700 900123"; not
        # after a short code that opens with 0 itself: "02 0794609581")
    if digits.startswith("00") and digits[2] != "0" and len(digits) >= 10:
        return True   # (an international prefix and a country code: "0044 20 ..."; "000 2 500 3 000" is amounts)
    if (bracketed or told) and len(digits) <= 12 and not _short_tail(run):
        return True   # (a national number; a longer run, or one ending in "/ 8.30", holds more than one thing)
    if _numbering_plan(groups):   # (a word makes a run no less a phone number: "call 2021 91 234 56 33")
        return True
    # (a subscriber number after its exchange, "555 0199", "9123 0456": no amount has a group of four opening with 0;
    # not a shift written as two clock times, "2200 0600", nor a year and a date, "2024 0115", nor a count or pay)
    return (len(groups) == 2 and len(groups[1]) == 4 and groups[1][0] == "0" and groups[0][0] != "0"
            and (len(groups[0]) == 3 or (len(groups[0]) == 4 and not _YEAR_ONLY.fullmatch(groups[0])
                                         and not (_CLOCK.fullmatch(groups[0]) and _CLOCK.fullmatch(groups[1]))))
            and not (_COUNTED.match(after) or _PAID.match(after) or _names_other(before) or _names_after(after))
            and not ((word := _LAST_WORD.search(before)) and word[1].lower() in _NOT_PHONE))   # ("job 555 0199")


def _short_tail(run: str) -> bool:
    """Whether the run ends in a figure of fewer than four digits after a spaced "/" or "-" ("5550163 / 8.30",
    "555 0177 / 6,761,427"), which lists something after a phone number rather than ending it."""
    joint = None
    for joint in _SPACED_JOINT.finditer(run):
        pass
    return joint is not None and _count_digits(run[joint.end():]) < 4


def _told(before: str) -> bool:
    """Whether the words ``before`` a number say it is a phone number: a word such as "call" among them, or
    "my no." or "text" the verb right before it. (A noun after the word that names the number as something else,
    "voicemail left, the job was 1234567", is read by :func:`_is_phone`, which outweighs every telling.)"""
    if _MY_NO.search(before):
        return True
    text = _TEXT_VERB.search(before) if "ext" in before or "EXT" in before else None
    if text is not None and (text[1] is None or text[1].lower() not in _TEXT_NOUN):
        return True
    return _TOLD.search(before) is not None


def _names_other(before: str) -> bool:
    """Whether a noun names the number right after ``before`` as something a phone number is not ("the job was",
    "the posting:")."""
    named = _NAMED.search(before)
    return named is not None and named[1].lower() in _NOT_PHONE


def _names_after(after: str) -> bool:
    """Whether a bracket right after a number names it as something a phone number is not: "1234567 (the job
    posting number)"; or a noun after "is the", "was my": "24469964 was the budget"."""
    named = _BRACKET_AFTER.match(after)
    if named is not None:
        return any(word in _NOT_PHONE for word in named[1].lower().split())
    named = _NAMED_AFTER.match(after)
    return named is not None and any(word and word.lower() in _NOT_PHONE for word in named.groups())


def _could_follow(groups: list[str], listed: int) -> bool:
    """Whether digit groups listed after a phone number of ``listed`` digits could be the next phone number of the
    list: up to five digits fewer (a country code and an area code left out: "+44 7700 900123 or 91234567", "+1 415
    555 0123 or 555 0199") or three more. (A count is told by the noun after it: "1 250 500 people", see _COUNTED.)"""
    return -5 <= sum(map(len, groups)) - listed <= 3


def _count_digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _national_digits(number: str) -> int:
    """How many digits a phone number has without its international prefix ("+" or "00" and at least a one-digit
    country code), to which the next number of a list is compared: "+44 7700 900123 or 91234567"."""
    digits = _count_digits(number)
    if number.startswith("+"):
        return digits - 1
    return digits - 3 if number.lstrip("(").startswith("00") else digits


def _figures(groups: list[str], run: str, *, told: bool = False) -> bool:
    """Years ("2019-2024", "1999 2000 2001"), a version ("10.0.18311.1133"), an amount grouped in thousands
    ("95 000", "1.200.000"; no amount opens with 0), a round one of seven or eight digits ("7500000") or a pay range
    ("95000-120000"). A word or a list that says the run is a phone number ("call me on 612 345 678",
    "+852 9123 4567 or 612 345 678") outweighs the amounts grouped in thousands, but not the years, a version, a
    round amount ("250 000 000", "7500000", which no phone number ends in) or a pay range; so does a run joined
    throughout by one tight ``-`` or ``.`` ("612-345-678", "612.345.678"), which no one writes an amount with,
    unless it ends in a round thousand ("1.200.000")."""
    if all(len(g) == 4 and g[:2] in ("19", "20") for g in groups) or _amounts(groups, run):
        return True
    if len(groups) >= 3 and any(len(g) == 1 for g in groups[1:]) and _DOTTED.fullmatch(run):
        return True   # (a version: "10.0.18311.1133")
    if (len(groups) == 2 and all(len(g) >= 4 and g[0] != "0" and g.endswith("00") for g in groups)
            and not (told and _CN_MOBILE.fullmatch("".join(groups)))):
        return True   # (not a Chinese mobile a word tells of: "call me on 13800 138000", no pay range at 1:10)
    if len(groups) == 1 and len(run) <= 8 and groups[0][0] != "0" and run.endswith("00000"):
        return True   # (a round amount of seven or eight digits: "7500000"; "5550000" may be a phone number)
    return (len(groups) > 1 and len(groups[0]) <= 3 and groups[0][0] != "0" and all(len(g) == 3 for g in groups[1:])
            and (groups[-1] == "000" or not (told or _JOINED.fullmatch(run))))


def _amounts(groups: list[str], run: str) -> bool:
    """Whether a run is two or more amounts grouped in thousands, one after another: "2 000 2 500 3 000" (each a
    head of one or two digits, the first of up to three, and one or more groups of three; no head opens with 0)."""
    if not _SPACED.fullmatch(run):
        return False
    count = i = 0
    while i < len(groups):
        if groups[i][0] == "0" or len(groups[i]) > (3 if i == 0 else 2):
            return False
        i += 1
        if i == len(groups) or len(groups[i]) != 3:
            return False
        while i < len(groups) and len(groups[i]) == 3:
            i += 1
        count += 1
    return count >= 2


def _numbering_plan(groups: list[str]) -> bool:
    """Whether the digit groups, as written, have the shape of a national phone number."""
    digits, lengths = "".join(groups), [len(g) for g in groups]
    if len(lengths) == 1 and (_NANP_BARE.fullmatch(digits) or _CN_MOBILE.fullmatch(digits)):
        return True                                     # 4155550123, 13800138000
    if lengths in ([3, 3, 4], [1, 3, 3, 4]) and digits[-10] in "23456789" and (len(lengths) == 3 or digits[0] == "1"):
        return True                                     # NANP: 415-555-0123, 1 415 555 0123
    if lengths == [3, 4, 4] and _CN_MOBILE.fullmatch(digits):
        return True                                     # 138 0013 8000
    if lengths == [5, 5] and digits[0] in "6789":
        return True                                     # an Indian mobile: 98765 43210
    if digits[0] == "0" and digits[1] != "0" and 9 <= len(digits) <= 12 and lengths[0] >= 2 and len(lengths) <= 5:
        return True                                     # a trunk 0: 07700900123, 030/90182012, 01 99 00 12 34
    # three or more groups of uneven length (44 20 7946 0018), with at most one year among them
    return (len(lengths) >= 3 and 10 <= len(digits) <= 13 and min(lengths[1:]) >= 2
            and sum(n >= 3 for n in lengths) >= 2 and len(set(lengths)) > 1
            and sum(len(g) == 4 and g[:2] in ("19", "20") for g in groups) <= 1)
