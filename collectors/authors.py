"""The accounts an erasure request names (`hirepulse forget --author`), from the forms a person gives.

Each source keys an author by the most stable identifier it gives (its ``parse``): Bluesky the account's DID,
Stack Exchange the site's user id, Mastodon ``name@instance`` (the instance its own address names), feeds the e-mail
address, else the name. A person asking to be forgotten gives what they know: a handle, an e-mail address, a profile
address. :func:`resolve` turns each form into the stored accounts it may mean, each with the salted keys and the
stored posts that are that account's, including rows stored before a source's key changed (Bluesky then used the
handle, Stack Exchange the display name, feeds feedparser's "e-mail (name)" text, Mastodon the configured
instance's address). A form is completed only from what is stored (the DID of a handle from the links of its posts,
the instance of a bare Mastodon name from its statuses' addresses, the site of a bare Stack Exchange user id from the
stored questions), never by trying a name on every instance or site.

An erasure must never reach someone else: a form that may mean more than one account (a bare name on two instances
or sources, a user id on two sites) is reported with those accounts, and the command erases nothing unless told
to take them all; a Bluesky handle that moved between accounts means the account that holds it now (its newest
post), the older one is named apart and kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # (the CLI reads FORMS for its help, which starts without DuckDB)
    import duckdb

# What each source knows an author by, as `hirepulse forget --author` takes it (its help and its note when
# nothing matched print these).
FORMS: dict[str, str] = {
    "hackernews": "the username, or the profile address (https://news.ycombinator.com/user?id=name)",
    "reddit": "the username, or u/name or the profile address (https://www.reddit.com/user/name)",
    "mastodon": "name@instance, the profile address (https://instance/@name), or a bare name, which finds the "
                "accounts of that name whose statuses are stored",
    "bluesky": "the handle (name.bsky.social), the profile address or the DID (did:plc:...), each finding the "
               "posts stored under the account's earlier handles too; a handle that moved to another account means "
               "the account that holds it now",
    "stackexchange": "the profile address (https://site/users/123/name), or the user id (123) on the sites of "
                     "the stored questions, and the display name for posts stored before hirepulse keyed them by id",
    "feeds": "the e-mail address the feed gives, else the name (the e-mail address and the name, or the feed's "
             "\"e-mail (name)\" text, for posts stored before hirepulse keyed them by the e-mail address)",
    "web": "the name the comment shows",
    "youtube": "the channel id (UC...)",
    "imports": "the value of the file's author column",
}

BLUESKY_PROFILE = "https://bsky.app/profile/"   # a Bluesky post's link names the handle (collectors.bluesky.POST_URL)
_EMAIL = re.compile(r"[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+")
_NAMED = re.compile(r"(?P<a>[^()<>]+?)\s*[(<](?P<b>[^()<>]+)[)>]")   # "e-mail (name)", "name (e-mail)", "name <e-mail>"
_MASTODON_PROFILE = re.compile(r"https?://(?P<host>[^/]+)/(?:@|users/)(?P<name>\w+)(?:@(?P<home>[^/]+))?(?:/.*)?")
_MASTODON_NAME = re.compile(r"@?(?P<name>\w+)")
_MASTODON_HANDLE = re.compile(r"@?(?P<name>\w+)@(?P<home>[\w.-]+(?::\d+)?)")
_REDDIT = re.compile(r"(?:https?://(?:www\.|old\.|new\.)?reddit\.com)?/?u(?:ser)?/(?P<name>[\w-]+)/?", re.I)
_HACKERNEWS = re.compile(r"https?://news\.ycombinator\.com/user\?id=(?P<name>[\w-]+)", re.I)
_SE_PROFILE = re.compile(r"https?://(?P<host>[^/]+)/users/(?P<id>\d+)(?:/.*)?")
_HANDLE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")   # a Bluesky handle is a domain name
_DID = re.compile(r"did:[a-z]+:[\w.:%-]+")
# a Bluesky post's link (collectors.bluesky.POST_URL), naming the account by its handle or its DID
_BLUESKY_POST = re.compile(r"https?://(?:www\.)?bsky\.app/profile/(?P<name>[^/?#]+)/post/(?P<rkey>[\w~.:-]+)/?", re.I)




@dataclass(frozen=True)
class Account:
    """One stored account a form may mean: its source, how the request's listing names it (a form of what the
    person typed: never another account's identifier), the salted keys its posts are stored under and its posts."""

    source: str
    shown: str
    keys: frozenset[str]
    ids: frozenset[str]


@dataclass
class Resolution:
    """What :func:`resolve` found: per form as typed, the accounts it may mean (those with stored posts); the keys to
    remember for forms that found none (the request stands for posts stored later); notes to print."""

    accounts: dict[str, list[Account]] = field(default_factory=dict)
    unmatched_keys: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


Key = Callable[[str], "str | None"]
# what a source's reading of a form finds: the accounts it may mean, the posts that are another person's (kept
# out of the form's other readings), and lines to print
Found = tuple[list[Account], set[str], list[str]]


def resolve(forms: Sequence[str], con: duckdb.DuckDBPyConnection, key: Key, *,
            mastodon_hosts: Iterable[str] = ()) -> Resolution:
    """The accounts each of ``forms`` (one person's: a handle, an e-mail address, a profile address, a DID, each as
    typed) may mean, from what is stored. ``key`` is the salted author key (hirepulse.privacy.author_key with the
    salt); ``mastodon_hosts`` the configured instances' hosts, under which local accounts were keyed before their
    own addresses named them."""
    typed = list(dict.fromkeys(f.strip() for f in forms if f.strip()))
    names = [f for f in typed if not re.search(r"[/@:<>()]", f)]   # (a person's name: not an address or a handle)
    hosts = sorted({urlsplit(h if "://" in h else f"//{h}").netloc.lower() for h in mastodon_hosts} - {""})
    found = Resolution()
    for form in typed:
        accounts: list[Account] = []
        claimed: set[str] = set()   # posts a source's own reading gave to an account, or to another person
        for reader in (_bluesky, _mastodon, _stackexchange, _reddit, _hackernews):
            mine, others, notes = reader(form, con, key, hosts)
            accounts += mine
            claimed |= others | {i for a in mine for i in a.ids}
            found.notes += notes
        feeds = _feeds(form, names, con, key)
        if feeds is not None:
            accounts += [feeds] if feeds.ids else []
            claimed |= feeds.ids
        accounts += _as_typed(form, con, key, claimed)
        found.accounts[form] = accounts
        if not accounts:
            found.unmatched_keys |= {k for k in map(key, _named(form, names)) if k}
    return found


def _rows(con: duckdb.DuckDBPyConnection, where: str, params: Sequence[object]) -> list[tuple]:
    """(id, source, url, native_id, author_key, published_at) of the stored mentions matching ``where``."""
    return con.execute(f"SELECT id, source, url, native_id, author_key, published_at FROM mentions WHERE {where}",
                       list(params)).fetchall()


def _keys(key: Key, handles: Iterable[str]) -> set[str]:
    return {k for k in map(key, handles) if k}


def _account(source: str, shown: str, keys: set[str], rows: Iterable[tuple]) -> Account:
    return Account(source, shown, frozenset(keys), frozenset(r[0] for r in rows))


def _as_typed(form: str, con: duckdb.DuckDBPyConnection, key: Key, claimed: set[str]) -> list[Account]:
    """The posts stored under the form itself (the e-mail address of a feed's "e-mail (name)" form too), apart
    from those a source's own reading claimed: one account per source, for a name on two sources may be two
    people."""
    named = _NAMED.fullmatch(form)
    handles = {form} | ({p.strip() for p in named.groups() if _EMAIL.fullmatch(p.strip())} if named else set())
    keys = _keys(key, handles)
    by_source: dict[str, list[tuple]] = {}
    for row in _rows(con, "list_contains(?, author_key)", [sorted(keys)]):
        if row[0] not in claimed:
            by_source.setdefault(row[1], []).append(row)
    return [_account(source, form, {r[4] for r in rows}, rows) for source, rows in sorted(by_source.items())]


def _named(form: str, names: Sequence[str]) -> set[str]:
    """The handles a form names without looking anything up, remembered when nothing is stored under it."""
    handles = {form}
    if reddit := _REDDIT.fullmatch(form):
        handles.add(reddit.group("name"))
    if hn := _HACKERNEWS.fullmatch(form):
        handles.add(hn.group("name"))
    if (se := _SE_PROFILE.fullmatch(form)):
        handles.add(f"{se.group('host').lower()}/users/{se.group('id')}")
    elif (mastodon := _MASTODON_PROFILE.fullmatch(form) or _MASTODON_HANDLE.fullmatch(form)):
        # (the collector keys a local account by its own address's host, which has no "www.": _mastodon's keys)
        home = mastodon.group("home") or mastodon.group("host")
        handles |= {f"{mastodon.group('name')}@{home}", f"{mastodon.group('name')}@{_host(home)}"}
    bluesky = _bluesky_name(form)
    if bluesky:
        handles.add(bluesky)
    handles |= _feed_handles(form, names)
    return handles


def _profile_name(source: str, pattern: re.Pattern[str], form: str, con: duckdb.DuckDBPyConnection,
                  key: Key) -> Found:
    """A form that names one account of ``source`` by its name (``pattern``'s group "name"): that account only."""
    found = pattern.fullmatch(form)
    if not found or form.strip("/").lower() == "u":   # ("u/" alone names no one)
        return [], set(), []
    name = found.group("name")
    keys = _keys(key, [name])
    rows = _rows(con, "source = ? AND list_contains(?, author_key)", [source, sorted(keys)])
    shown = f"u/{name}" if source == "reddit" else form
    return ([_account(source, shown, keys, rows)] if rows else []), set(), []


def _reddit(form: str, con: duckdb.DuckDBPyConnection, key: Key, hosts: Sequence[str]) -> Found:
    """u/name or a profile address: the Reddit account of that name only."""
    return _profile_name("reddit", _REDDIT, form, con, key)


def _hackernews(form: str, con: duckdb.DuckDBPyConnection, key: Key, hosts: Sequence[str]) -> Found:
    """A Hacker News profile address: that user only."""
    return _profile_name("hackernews", _HACKERNEWS, form, con, key)


def _feed_handles(form: str, names: Sequence[str]) -> set[str]:
    """For an e-mail address (alone, or in a feed's "e-mail (name)" text): the address, and feedparser's texts of it
    with the name (the form's own, or the names the request gives apart), under which hirepulse stored feed
    authors before: RSS gives "e-mail (name)", Atom "name (e-mail)". The name alone is not one of them: another
    person of that name is stored under it."""
    named = _NAMED.fullmatch(form)
    parts = [p.strip() for p in named.groups()] if named else [form]
    emails = {p for p in parts if _EMAIL.fullmatch(p)}
    if not emails:
        return set()
    own = {p for p in parts if p not in emails}
    return emails | {form} | {text for e in emails for n in (own or set(names))
                              for text in (f"{e} ({n})", f"{n} ({e})")}


def _feeds(form: str, names: Sequence[str], con: duckdb.DuckDBPyConnection, key: Key) -> Account | None:
    handles = _feed_handles(form, names)
    if not handles:
        return None
    keys = _keys(key, handles)
    rows = _rows(con, "source = 'feeds' AND list_contains(?, author_key)", [sorted(keys)])
    return _account("feeds", form, keys, rows)


def _mastodon(form: str, con: duckdb.DuckDBPyConnection, key: Key, hosts: Sequence[str]) -> Found:
    """``name@instance`` or a profile address: the account of that name whose own addresses name the instance (as
    stored now, or, before, under a configured instance's host: a proxy, a ``www.`` name); a bare name: each such
    account its stored statuses' addresses name."""
    if _SE_PROFILE.fullmatch(form):
        return [], set(), []
    profile = _MASTODON_PROFILE.fullmatch(form)
    handle = None if profile else _MASTODON_HANDLE.fullmatch(form)
    bare = None if profile or handle else _MASTODON_NAME.fullmatch(form)
    match = profile or handle or bare
    if not match:
        return [], set(), []
    name = match.group("name")
    home = (profile.group("home") or profile.group("host")) if profile else handle.group("home") if handle else None
    home = _host(home) if home else None
    lowered = name.lower()
    rows = _rows(con, "source = 'mastodon' AND (contains(lower(url), '/@' || ? || '/') "
                      "OR contains(lower(native_id), '/users/' || ? || '/') OR author_key = ?)",
                 [lowered, lowered, key(f"{name}@{home}") if home else ""])
    groups: dict[str, tuple[set[str], list[tuple]]] = {}
    known: dict[str, set[str]] = {}   # per domain, the keys its account's statuses may be stored under
    for row in rows:
        domain = next((_host(m.group("home") or m.group("host")) for m in
                       (_MASTODON_PROFILE.fullmatch(a or "") for a in row[2:4])
                       if m and m.group("name").lower() == lowered), home)
        if domain is None:
            continue
        # the keys this account's statuses were stored under: its own instance, else a configured one (before)
        if domain not in known:
            known[domain] = _keys(key, [f"{name}@{h}" for h in {domain, f"www.{domain}", *hosts}])
        if row[4] not in known[domain]:
            continue   # (another account's status, or a remote account keyed by a handle domain its address hides)
        keys, mine = groups.setdefault(domain, (_keys(key, [f"{name}@{domain}"]), []))
        keys.add(row[4])
        mine.append(row)
    accounts = {d: _account("mastodon", f"{name}@{d}", keys, mine) for d, (keys, mine) in sorted(groups.items())}
    if home is None:
        return list(accounts.values()), set(), []
    if home in accounts:
        return [accounts[home]], set(), []
    # An instance whose handles name another domain than its web address (example.com and social.example.com):
    # its local accounts' statuses name the web address. Which one is the same person cannot be told, so the
    # configured instances' accounts of that name are listed, not erased.
    maybe = [a for d, a in accounts.items() if d in {_host(h) for h in hosts}]
    notes = [f"  no Mastodon account {name}@{home} is stored; a configured instance has one of that name: "
             f"https://{a.shown.split('@', 1)[1]}/@{name} ({_posts(len(a.ids))}); if it is the one meant (an "
             "instance whose handles name another domain than its web address), give that profile address"
             for a in maybe]
    return [], {i for a in maybe for i in a.ids}, notes


def _host(host: str) -> str:
    return host.lower().removeprefix("www.")


def _posts(count: int) -> str:
    return f"{count} post{'' if count == 1 else 's'}"


def _bluesky_name(form: str) -> str | None:
    name = (form.removeprefix(BLUESKY_PROFILE).split("/", 1)[0] if form.startswith(BLUESKY_PROFILE)
            else form.lstrip("@")).lower()
    return name if _DID.fullmatch(name) or _HANDLE.fullmatch(name) else None


def _handle_holders(con: duckdb.DuckDBPyConnection, handle: str) -> list[tuple[str, datetime, int]]:
    """The accounts (DIDs) whose stored Bluesky posts' links name ``handle``, newest post first: (DID, newest post,
    posts). A handle moves between accounts; the first holds it now."""
    return con.execute("""
        SELECT lower(split_part(native_id, '/', 3)) AS did, max(published_at) AS newest, count(*)
        FROM mentions
        WHERE source = 'bluesky' AND starts_with(lower(url), ?) AND starts_with(native_id, 'at://did:')
        GROUP BY did ORDER BY newest DESC, did
    """, [f"{BLUESKY_PROFILE}{handle}/"]).fetchall()


def _bluesky(form: str, con: duckdb.DuckDBPyConnection, key: Key, hosts: Sequence[str]) -> Found:
    """For a DID: that account, by its DID and the handles the links of its stored posts name (posts stored before
    DIDs were the key name the handle only). For a handle (or its profile address): the account whose stored posts'
    links name it, or, where the handle moved from one account to another, the account with the newest such post,
    which holds it now; the older ones' posts are named in a note and kept."""
    name = _bluesky_name(form)
    if name is None:
        return [], set(), []
    older: list[tuple[str, int]] = []
    if _DID.fullmatch(name):
        did: str | None = name
    else:
        holders = _handle_holders(con, name)
        did = holders[0][0] if holders else None
        older = [(d, n) for d, _, n in holders[1:]]
    handles = {name}
    if did:
        handles |= {did} | {h for (h,) in con.execute(f"""
            SELECT DISTINCT lower(split_part(url, '/', 5)) FROM mentions WHERE source = 'bluesky'
            AND lower(split_part(native_id, '/', 3)) = ? AND starts_with(url, '{BLUESKY_PROFILE}')
        """, [did]).fetchall() if h}
    keys = _keys(key, handles)
    rows = _rows(con, "source = 'bluesky' AND list_contains(?, author_key)", [sorted(keys)])
    mine = [r for r in rows if did is None or not (r[3] or "").startswith("at://did:")
            or (r[3] or "").split("/")[2].lower() == did]
    others = {r[0] for r in rows} - {r[0] for r in mine}
    if older:
        others |= {i for (i,) in con.execute("SELECT id FROM mentions WHERE source = 'bluesky' "
                                             "AND list_contains(?, lower(split_part(native_id, '/', 3)))",
                                             [[d for d, _ in older]]).fetchall()}
    who = "another Bluesky account" if len(older) == 1 else f"{len(older)} other Bluesky accounts"
    notes = [f"  {name} was used before by {who} ({_posts(sum(n for _, n in older))}): kept; if that was the "
             "same person, name it by its own handle or DID"] if older else []
    return ([_account("bluesky", form, keys, mine)] if mine else []), others, notes


def bluesky_post(url: str, con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    """For a Bluesky post's link naming a handle (``https://bsky.app/profile/<handle>/post/<rkey>``: the handle the
    account had when the link was made), the ``at://`` URI of the stored post of that rkey by the account the handle
    is tied to: the DID of the stored posts whose links name the handle (those fetched while the account had it,
    rows stored under the handle's key before DIDs were the key among them). So a link naming an old handle finds
    the post stored since under the DID and a newer handle, and never another account's post of the same rkey.
    Returns (URI, None); (None, why) when a stored post has that rkey but the handle is tied to no stored account,
    or to several with such a post: which is meant cannot be told; (None, None) when there is nothing to add (not
    such a link, a DID link, which hirepulse.db.forget_posts reads, or no stored post of that rkey by the handle's
    account)."""
    link = _BLUESKY_POST.fullmatch(url.strip())
    if not link or _DID.fullmatch(link.group("name").lower()):
        return None, None
    name, rkey = link.group("name").lower(), link.group("rkey")
    dids = [d for d, _newest, _count in _handle_holders(con, name)]
    posts = con.execute("""
        SELECT native_id, list_contains(?, lower(split_part(native_id, '/', 3))) FROM mentions
        WHERE source = 'bluesky' AND starts_with(native_id, 'at://did:') AND split_part(native_id, '/', 5) = ?
    """, [dids, rkey]).fetchall()
    mine = sorted({uri for uri, tied in posts if tied})
    if len(mine) == 1:
        return mine[0], None
    if mine:
        return None, (f"the Bluesky link to post {rkey} names a handle {len(mine)} stored accounts have used, each "
                      "with a post of that id: nothing erased; name it by the link with the account's DID or by the "
                      "post's at:// URI")
    if posts and not dids:   # (tied to an account without such a post: that account's post, not stored, is meant)
        return None, (f"the Bluesky link to post {rkey} names a handle no stored post ties to an account, and "
                      f"{_posts(len(posts))} of that id {'is' if len(posts) == 1 else 'are'} stored under accounts it "
                      "may not be: nothing erased; name it by the link with the account's DID or by the post's at:// "
                      "URI")
    return None, None


def _stackexchange(form: str, con: duckdb.DuckDBPyConnection, key: Key, hosts: Sequence[str]) -> Found:
    """A profile address: that site's user; a bare user id: the user of that id on each site of the stored
    questions (one account per site: the same number is another person on another site)."""
    profile = _SE_PROFILE.fullmatch(form)
    if profile:
        sites, user = [profile.group("host").lower()], profile.group("id")
    elif form.isdigit():
        user = form
        sites = [h for (h,) in con.execute(
            "SELECT DISTINCT lower(split_part(url, '/', 3)) FROM mentions "
            "WHERE source = 'stackexchange' AND url IS NOT NULL ORDER BY 1").fetchall() if h]
    else:
        return [], set(), []
    accounts = []
    for site in sites:
        keys = _keys(key, [f"{site}/users/{user}"])
        rows = _rows(con, "source = 'stackexchange' AND list_contains(?, author_key)", [sorted(keys)])
        if rows:
            accounts.append(_account("stackexchange", f"https://{site}/users/{user}", keys, rows))
    return accounts, set(), []
