"""Helpers shared by the collector tests (no tests here): configs, runs, fake APIs in the real shapes."""

from __future__ import annotations

import copy
import json
import math
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from werkzeug import Request, Response

from collectors import http as polite_http
from collectors.run import RunResult, collect_source
from hirepulse import db
from hirepulse.config import Config, load_config
from hirepulse.models import Mention

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SALT = "test-salt-not-secret"
FAST = {"backoff_base": 0.05, "max_wait": 5.0, "pace": 0.0}
COMPANIES = [
    {"name": "Acme Corp", "aliases": ["Acme"], "competitors": ["Globex"]},
]


def fixture_json(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def write_config(tmp_path: Path, sources: dict[str, dict[str, Any]], *, companies: list[dict[str, Any]] | None = None,
                 extra: str = "", name: str = "hirepulse.toml") -> Path:
    """A hirepulse.toml with the given sources (every other source disabled)."""
    lines = ["[collect]", 'contact = "tests@example.org"', "timeout_seconds = 5", ""]
    for company in COMPANIES if companies is None else companies:
        lines.append("[[companies]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in company.items()]
        lines.append("")
    from hirepulse.config import SOURCE_KEYS

    for source in SOURCE_KEYS:
        options = sources.get(source)
        lines.append(f"[sources.{source}]")
        if options is None:
            lines.append("enabled = false")
        else:
            lines += [f"{k} = {_toml_value(v)}" for k, v in options.items()]
        lines.append("")
    path = tmp_path / name
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path


def config_for(tmp_path: Path, sources: dict[str, dict[str, Any]], **kwargs: Any) -> Config:
    return load_config(write_config(tmp_path, sources, **kwargs), required=True)


def run(name: str, config: Config, db_path: Path, **options: Any) -> RunResult:
    return collect_source(name, config, db_path, salt=SALT, **{**FAST, **options})


def rows(db_path: Path, source: str | None = None) -> list[dict[str, Any]]:
    with db.connect(db_path, read_only=True) as con:
        sql = "SELECT * FROM mentions" + (" WHERE source = ?" if source else "") + " ORDER BY id"
        cur = con.execute(sql, [source] if source else [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def ids(db_path: Path) -> set[str]:
    return {r["id"] for r in rows(db_path)}


def runs(db_path: Path) -> list[dict[str, Any]]:
    with db.connect(db_path, read_only=True) as con:
        cur = con.execute("SELECT * FROM runs ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def stored_bytes(db_path: Path) -> bytes:
    """Every byte in the database's folder (the file, a WAL, anything left beside them): what a copy or a backup
    of it would hold, whatever the tables say."""
    return b"".join(p.read_bytes() for p in sorted(Path(db_path).parent.rglob("*")) if p.is_file())


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from hirepulse import db
    path, release = sys.argv[1], Path(sys.argv[2])
    with db.connect(path) as con:   # (as a long import or analysis holds it)
        print("holding", flush=True)
        deadline = time.monotonic() + 120
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
""")


class Holder:
    """Another process holding the database open for writing until :meth:`release`."""

    def __init__(self, db_path: Path) -> None:
        self.release_file = db_path.with_suffix(".release")
        self.release_file.unlink(missing_ok=True)
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), str(self.release_file)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "holding"

    def release(self) -> None:
        self.release_file.touch()
        assert self.proc.wait(timeout=60) == 0
        self.proc.stdout.close()


def wait_for(what: Callable[[], bool], timeout: float = 60) -> bool:
    """Whether ``what`` came true within ``timeout`` seconds (asked every 50 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(0.05)
    return what()


def strip_fetched(mentions: Iterable[Mention]) -> list[Mention]:
    return [replace(m, fetched_at=None) for m in mentions]  # type: ignore[arg-type]


def paths(httpserver: Any) -> list[str]:
    """Paths (with query strings) the server saw, in order."""
    return [req.full_path.rstrip("?") for req, _ in httpserver.log]


@pytest.fixture(autouse=True)
def _fresh_robots() -> Iterable[None]:
    polite_http.clear_robots_cache()
    yield
    polite_http.clear_robots_cache()


# --------------------------------------------------------------------------- Hacker News (Algolia)

HN_TEMPLATE = fixture_json("hackernews", "search_by_date.json")


def hn_hit(object_id: int, created_at_i: int, text: str, *, author: str = "someone") -> dict[str, Any]:
    """A comment hit in exactly the recorded shape, with new values."""
    hit = copy.deepcopy(HN_TEMPLATE["hits"][1])
    from datetime import datetime, timezone

    hit.update(created_at=datetime.fromtimestamp(created_at_i, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
               author=author, comment_text=text, created_at_i=created_at_i, objectID=str(object_id),
               _tags=["comment", f"author_{author}", f"story_{hit['story_id']}"])
    hit["_highlightResult"]["comment_text"]["value"] = text
    return hit


def hn_story(object_id: int, created_at_i: int, title: str, *, author: str = "someone") -> dict[str, Any]:
    """A story hit: the recorded comment hit made into a story (a title, no comment text, no story of its own)."""
    hit = hn_hit(object_id, created_at_i, "", author=author)
    hit.update(title=title, url=f"https://example.org/{object_id}", comment_text=None, story_text=None, points=12,
               num_comments=2, story_id=None, story_title=None, story_url=None, parent_id=None,
               _tags=["story", f"author_{author}", f"story_{object_id}"])
    hit["_highlightResult"] = {"title": {"value": title, "matchLevel": "none", "matchedWords": []}}
    return hit


def hn_reply(object_id: int, created_at_i: int, text: str, story: dict[str, Any], *, author: str = "someone") -> dict[str, Any]:
    """A comment hit answering ``story`` (a :func:`hn_story`), which names it by id and title."""
    hit = hn_hit(object_id, created_at_i, text, author=author)
    hit.update(story_id=int(story["objectID"]), story_title=story["title"], story_url=story["url"],
               parent_id=int(story["objectID"]), _tags=["comment", f"author_{author}", f"story_{story['objectID']}"])
    hit["_highlightResult"]["story_title"]["value"] = story["title"]
    return hit


class FakeAlgolia:
    """``/api/v1/search_by_date`` over a list of hits: query words, numericFilters, 1,000-hit cap."""

    def __init__(self, hits: list[dict[str, Any]], *, delay: float = 0.0) -> None:
        self.hits = hits
        self.delay = delay
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        import time

        if self.delay:
            time.sleep(self.delay)
        args = request.args
        query = args.get("query", "").lower()
        per = int(args.get("hitsPerPage", 20))
        page = int(args.get("page", 0))
        matched = [h for h in self.hits if query in (h.get("comment_text") or "").lower()
                   or query in (h.get("story_title") or "").lower() or query in (h.get("title") or "").lower()]
        for clause in filter(None, args.get("numericFilters", "").split(",")):
            m = re.fullmatch(r"created_at_i(<=|>=|<|>|=)(\d+)", clause)
            op, value = m.group(1), int(m.group(2))
            test = {"<": int.__lt__, ">": int.__gt__, "<=": int.__le__, ">=": int.__ge__, "=": int.__eq__}[op]
            matched = [h for h in matched if test(h["created_at_i"], value)]
        matched.sort(key=lambda h: -h["created_at_i"])
        reachable = matched[:1000]
        body = {key: HN_TEMPLATE[key] for key in HN_TEMPLATE if key != "hits"}
        body.update(hits=reachable[page * per:(page + 1) * per], nbHits=len(matched), page=page,
                    nbPages=math.ceil(len(reachable) / per), hitsPerPage=per, query=args.get("query", ""),
                    params=f"advancedSyntax=true&analytics=true&analyticsTags=backend&query={query}")
        return Response(json.dumps(body), content_type="application/json; charset=utf-8")


def query_args(full_path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(full_path.partition("?")[2]).items()}
