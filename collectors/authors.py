"""The handles an author may be stored under, from the forms a person gives (`hirepulse forget --author`).

Each source keys an author by the most stable identifier it gives (its ``parse``): Bluesky the account's DID,
Stack Exchange the site's user id, Mastodon ``name@instance``, feeds the e-mail address, else the name. A person
asking to be forgotten gives what they know: a handle, an e-mail address, a profile address. :func:`author_handles`
turns those forms into every handle a source may have stored, so the command hashes each and erases every match,
including rows stored before a source's key changed (Bluesky then used the handle, Stack Exchange the display
name, feeds feedparser's "e-mail (name)" text). A form is completed only from what is stored (the DID of a handle
from the links of its posts, the instance of a bare Mastodon name from its statuses' addresses, the site of a bare
Stack Exchange user id from the stored questions), never by trying a name on every instance or site: what an
erasure remembers must not keep another person of the same name out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the CLI reads FORMS for its help, which starts without DuckDB)
    import duckdb

# What each source knows an author by, as `hirepulse forget --author` takes it (its help and its note when
# nothing matched print these).
FORMS: dict[str, str] = {
    "hackernews": "the username",
    "reddit": "the username (u/name too)",
    "mastodon": "name@instance, the profile address (https://instance/@name), or a bare name, which finds the "
                "accounts of that name whose statuses are stored",
    "bluesky": "the handle (name.bsky.social), the profile address or the DID (did:plc:...), each finding the "
               "posts stored under the account's earlier handles too",
    "stackexchange": "the profile address (https://site/users/123/name), or the user id (123) on the sites of "
                     "the stored questions, and the display name for posts stored before hirepulse keyed them by id",
    "feeds": "the e-mail address the feed gives, else the name (both together for posts stored before hirepulse "
             "keyed them so)",
    "web": "the name the comment shows",
    "youtube": "the channel id (UC...)",
    "imports": "the value of the file's author column",
}

BLUESKY_PROFILE = "https://bsky.app/profile/"   # a Bluesky post's link names the handle (collectors.bluesky.POST_URL)
_EMAIL = re.compile(r"[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+")
_NAMED = re.compile(r"(?P<a>[^()<>]+?)\s*[(<](?P<b>[^()<>]+)[)>]")   # "e-mail (name)", "name (e-mail)", "name <e-mail>"
_MASTODON_PROFILE = re.compile(r"https?://(?P<host>[^/]+)/(?:@|users/)(?P<name>\w+)(?:@(?P<home>[^/]+))?(?:/.*)?")
_MASTODON_NAME = re.compile(r"@?(?P<name>\w+)")
_SE_PROFILE = re.compile(r"https?://(?P<host>[^/]+)/users/(?P<id>\d+)(?:/.*)?")
_HANDLE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")   # a Bluesky handle is a domain name
_DID = re.compile(r"did:[a-z]+:[\w.:%-]+")


def author_handles(forms: Sequence[str], con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every handle the author named by ``forms`` (one person: a handle, an e-mail address, a profile address,
    a DID, each as typed) may be stored under, by any source, for :func:`hirepulse.privacy.author_key`."""
    typed = [f.strip() for f in forms if f.strip()]
    handles = set(typed)
    for form in typed:
        handles |= _reddit(form) | _stackexchange(form, con) | _mastodon(form, con)
        handles |= _bluesky(form, con)
    handles |= _feeds(typed)
    return sorted(handles)


def _reddit(form: str) -> set[str]:
    name = re.sub(r"^/?u/", "", form)
    return {name} if name != form else set()


def _feeds(typed: Iterable[str]) -> set[str]:
    """The e-mail address and the name apart (``feed.jane@example.com (Feed Jane)``), and for an e-mail address
    and a name given apart, feedparser's texts of the two, under which hirepulse stored feed authors before: RSS
    gives "e-mail (name)", Atom "name (e-mail)"."""
    emails: set[str] = set()
    names: set[str] = set()
    for form in typed:
        named = _NAMED.fullmatch(form)
        pair = [named.group("a").strip(), named.group("b").strip()] if named else []
        if any(_EMAIL.fullmatch(part) for part in pair):
            emails |= {part for part in pair if _EMAIL.fullmatch(part)}
            names |= {part for part in pair if not _EMAIL.fullmatch(part)}
        elif _EMAIL.fullmatch(form):
            emails.add(form)
        elif not re.search(r"[/@:]", form):   # (a person's name: not an address, a handle or a DID)
            names.add(form)
    return emails | names | {text for e in emails for n in names for text in (f"{e} ({n})", f"{n} ({e})")}


def _mastodon(form: str, con: duckdb.DuckDBPyConnection) -> set[str]:
    """``name@host`` from a profile or status address; for a bare name, on the instances of the stored statuses
    whose addresses name it."""
    profile = _MASTODON_PROFILE.fullmatch(form)
    if profile and not _SE_PROFILE.fullmatch(form):
        return {f"{profile.group('name')}@{profile.group('home') or profile.group('host')}"}
    bare = _MASTODON_NAME.fullmatch(form)
    if not bare:
        return set()
    name, hosts = bare.group("name"), set()
    rows = con.execute("""
        SELECT url, native_id FROM mentions WHERE source = 'mastodon'
        AND (contains(lower(url), '/@' || lower(?) || '/') OR contains(lower(native_id), '/users/' || lower(?) || '/'))
    """, [name, name]).fetchall()
    for url, native in rows:
        for address in (url, native):
            found = _MASTODON_PROFILE.fullmatch(address or "")
            if found and found.group("name").lower() == name.lower():
                hosts.add(found.group("home") or found.group("host"))
    return {f"{name}@{host}" for host in hosts}


def _bluesky(form: str, con: duckdb.DuckDBPyConnection) -> set[str]:
    """For a DID: the DID, and the handles the links of its stored posts name (posts stored before DIDs were the
    key name the handle only); for a handle (or its profile or post address): the same for the DIDs of the stored
    posts whose links name it, so a handle taken since a rename finds the posts stored under the earlier one."""
    name = (form.removeprefix(BLUESKY_PROFILE).split("/", 1)[0] if form.startswith(BLUESKY_PROFILE)
            else form.lstrip("@")).lower()
    if _DID.fullmatch(name):
        dids = {name}
    elif _HANDLE.fullmatch(name):
        dids = {did for (did,) in con.execute("""
            SELECT DISTINCT lower(split_part(native_id, '/', 3)) FROM mentions WHERE source = 'bluesky'
            AND starts_with(lower(url), ?) AND starts_with(native_id, 'at://did:')
        """, [f"{BLUESKY_PROFILE}{name}/"]).fetchall()}
    else:
        return set()
    handles = {handle for (handle,) in con.execute(f"""
        SELECT DISTINCT lower(split_part(url, '/', 5)) FROM mentions WHERE source = 'bluesky'
        AND list_contains(?, lower(split_part(native_id, '/', 3))) AND starts_with(url, '{BLUESKY_PROFILE}')
    """, [sorted(dids)]).fetchall() if handle} if dids else set()
    return {name} | dids | handles


def _stackexchange(form: str, con: duckdb.DuckDBPyConnection) -> set[str]:
    """``host/users/123`` from a profile address; for a bare user id (one per site), on the sites of the stored
    questions."""
    profile = _SE_PROFILE.fullmatch(form)
    if profile:
        return {f"{profile.group('host')}/users/{profile.group('id')}"}
    if not form.isdigit():
        return set()
    rows = con.execute("SELECT DISTINCT lower(split_part(url, '/', 3)) FROM mentions WHERE source = 'stackexchange' "
                       "AND url IS NOT NULL").fetchall()
    return {f"{host}/users/{form}" for (host,) in rows if host}
