"""Import the employer's own exports: review-site exports, candidate surveys, CSV or JSON lines.

Sites whose terms forbid automated collection (Glassdoor, Indeed, LinkedIn) reach hirepulse this
way: the employer exports its own data and imports the file. A file is read and validated whole
before anything is stored; the first bad row fails the import with its row and column named.

Fields: ``text`` (required), ``published_at`` (required), ``url``, ``company``, ``author``,
``stage``, ``rating``, ``id``, ``title``. Columns are matched by these names, by a few common
synonyms (``date``, ``review_body``, ``score``, ...) or by an explicit ``--map COLUMN=FIELD``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hirepulse import db
from hirepulse.db import UpsertStats
from hirepulse.errors import InputError
from hirepulse.models import Mention, hash_id

FORMATS = ("csv", "jsonl")
FIELDS = ("text", "published_at", "url", "company", "author", "stage", "rating", "id", "title")
REQUIRED = ("text", "published_at")
DEFAULT_SOURCE = "import"
STAGES = ("application", "screening", "interview", "offer", "rejection", "onboarding")

# Column names understood without --map (compared case-insensitively, spaces as underscores).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("body", "review", "review_text", "review_body", "comment", "comments", "content", "message", "feedback"),
    "published_at": ("date", "created_at", "created", "submitted_at", "timestamp", "review_date", "posted_at", "time"),
    "url": ("link", "permalink", "review_link", "review_url"),
    "company": ("employer", "organization", "organisation", "brand"),
    "author": ("user", "username", "reviewer", "reviewer_name", "handle", "respondent"),
    "stage": ("hiring_stage", "stage_name", "step"),
    "rating": ("score", "stars", "overall_rating"),
    "id": ("review_id", "response_id", "native_id", "uid"),
    "title": ("subject", "headline", "review_title"),
}
STAGE_SYNONYMS = {
    "applied": "application", "apply": "application", "applying": "application",
    "screen": "screening", "phone screen": "screening", "recruiter screen": "screening", "phone_screen": "screening",
    "interviews": "interview", "onsite": "interview", "final interview": "interview", "technical interview": "interview",
    "offers": "offer", "negotiation": "offer",
    "rejected": "rejection", "declined": "rejection", "ghosted": "rejection",
    "onboard": "onboarding", "orientation": "onboarding", "first day": "onboarding",
}
_KIND = {"csv": "export", "jsonl": "export"}
_SOURCE_LABEL = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """How to read one file: format, source label, fixed company, column mapping."""

    path: Path
    fmt: str
    source: str = DEFAULT_SOURCE
    company: str | None = None
    mapping: Mapping[str, str] | None = None  # source column -> field


def parse_map_args(pairs: Iterable[str]) -> dict[str, str]:
    """``["review_body=text", ...]`` -> ``{"review_body": "text"}``.

    Raises:
        InputError: a pair is not ``COLUMN=FIELD`` or names an unknown field.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise InputError("--map", f"expected COLUMN=FIELD, got {pair!r}")
        if target not in FIELDS:
            raise InputError("--map", f"unknown field {target!r} in {pair!r} (fields: {', '.join(FIELDS)})")
        mapping[column] = target
    return mapping


def guess_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)


def read_file(spec: ImportSpec) -> list[Mention]:
    """Read and validate a whole file; return its mentions (de-duplicated later, on upsert).

    Raises:
        InputError: unknown format, unreadable, binary or undecodable file, missing required column,
            or the first bad row (missing text, unparseable date, bad rating or stage).
    """
    if spec.fmt not in FORMATS:
        raise InputError(spec.path, f"unknown format {spec.fmt!r} (choose csv or jsonl)")
    if not _SOURCE_LABEL.match(spec.source):
        raise InputError(spec.path, f"source label {spec.source!r} must be lowercase letters, digits, - or _")
    try:
        data = spec.path.read_bytes()
    except FileNotFoundError:
        raise InputError(spec.path, "file not found") from None
    except IsADirectoryError:
        raise InputError(spec.path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(spec.path, f"cannot read: {exc.strerror}") from None
    text = _decode(spec.path, data)
    records = _csv_records(spec.path, text) if spec.fmt == "csv" else _jsonl_records(spec.path, text)
    now = datetime.now(timezone.utc)
    mentions: list[Mention] = []
    resolver: _Columns | None = None
    for row_number, record in records:
        if resolver is None or spec.fmt == "jsonl":
            resolver = _Columns(spec.path, list(record), spec.mapping or {}, strict=spec.fmt == "csv" or resolver is None)
        mentions.append(_to_mention(spec, resolver, row_number, record, now))
    if not mentions:
        raise InputError(spec.path, "no rows to import")
    return mentions


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not CSV or JSON lines text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"bytes that are not UTF-8 at byte {exc.start} (save the export as UTF-8)", row=row) from None


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "empty file") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV header: {exc}", row=1) from None
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(path, "the first line must be a header row of column names", row=1)
    dupes = {h for h in header if h and header.count(h) > 1}
    if dupes:
        raise InputError(path, f"duplicate column names in header: {', '.join(sorted(dupes))}", row=1)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(path, f"has {len(row)} cells, the header has {len(header)}", row=reader.line_num)
            yield reader.line_num, dict(zip(header, row))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", row=reader.line_num) from None


def _jsonl_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg})", row=number) from None
        if not isinstance(record, dict):
            raise InputError(path, "each line must be a JSON object", row=number)
        yield number, record


class _Columns:
    """Resolves which source column feeds which field."""

    def __init__(self, path: Path, columns: list[str], mapping: Mapping[str, str], *, strict: bool) -> None:
        self.field_to_column: dict[str, str] = {}
        for column, target in mapping.items():
            if column not in columns and strict:
                raise InputError(path, f"--map names column {column!r}, which the file does not have (columns: {', '.join(columns)})")
            if column in columns:
                self.field_to_column[target] = column
        normal = {_normal(c): c for c in columns}
        for target in FIELDS:
            if target in self.field_to_column:
                continue
            for candidate in (target, *SYNONYMS.get(target, ())):
                if candidate in normal and normal[candidate] not in self.field_to_column.values():
                    self.field_to_column[target] = normal[candidate]
                    break
        if strict:
            for target in REQUIRED:
                if target not in self.field_to_column:
                    raise InputError(path, f"no {target} column (columns: {', '.join(columns)}); name one with --map COLUMN={target}")

    def get(self, record: Mapping[str, Any], target: str) -> Any:
        column = self.field_to_column.get(target)
        return None if column is None else record.get(column)


def _normal(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _to_mention(spec: ImportSpec, cols: _Columns, row: int, record: Mapping[str, Any], now: datetime) -> Mention:
    def column(target: str) -> str:
        return cols.field_to_column.get(target, target)

    def text_of(target: str) -> str | None:
        value = cols.get(record, target)
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            raise InputError(spec.path, f"expected text, got {type(value).__name__}", row=row, column=column(target))
        value = str(value).strip()
        return value or None

    text = text_of("text")
    if not text:
        raise InputError(spec.path, "missing text", row=row, column=column("text"))
    raw_date = text_of("published_at")
    if not raw_date:
        raise InputError(spec.path, "missing date", row=row, column=column("published_at"))
    published_at = parse_timestamp(raw_date)
    if published_at is None:
        raise InputError(spec.path, f"unparseable date {raw_date!r} (use ISO 8601, e.g. 2025-06-03 or 2025-06-03T14:22:00Z)", row=row, column=column("published_at"))
    rating = None
    raw_rating = text_of("rating")
    if raw_rating is not None:
        try:
            rating = float(raw_rating)
        except ValueError:
            raise InputError(spec.path, f"rating {raw_rating!r} is not a number", row=row, column=column("rating")) from None
    stage = None
    raw_stage = text_of("stage")
    if raw_stage is not None:
        stage = normalise_stage(raw_stage)
        if stage is None:
            raise InputError(spec.path, f"unknown stage {raw_stage!r} (stages: {', '.join(STAGES)})", row=row, column=column("stage"))
    company = text_of("company") or spec.company
    author = text_of("author")
    url = text_of("url")
    title = text_of("title")
    native = text_of("id") or hash_id(text, raw_date, company, author, title)
    return Mention(
        source=spec.source, native_id=native, text=text, published_at=published_at, url=url,
        company=company, title=title, author=author, kind="survey" if stage else _KIND[spec.fmt],
        stage_hint=stage, rating=rating, fetched_at=now,
    )


def normalise_stage(value: str) -> str | None:
    """A stage name or a common synonym, case-insensitive, to one of :data:`STAGES`."""
    key = value.strip().lower().replace("-", " ")
    if key in STAGES:
        return key
    return STAGE_SYNONYMS.get(key) or STAGE_SYNONYMS.get(key.replace(" ", "_"))


_EPOCH = re.compile(r"^\d{9,10}(\.\d+)?$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(.*)$")


def parse_timestamp(value: str) -> datetime | None:
    """ISO 8601 (date or date-time, ``Z`` or offset; naive means UTC), ``YYYY/MM/DD``, or Unix seconds."""
    value = value.strip()
    if _EPOCH.match(value):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    slashed = _SLASHED.match(value)
    candidate = f"{slashed[1]}-{int(slashed[2]):02d}-{int(slashed[3]):02d}{slashed[4]}" if slashed else value
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def import_file(db_path: str | Path, spec: ImportSpec, *, salt: str) -> tuple[int, UpsertStats]:
    """Read, validate and store one file in one transaction. Returns (rows read, upsert stats).

    Nothing is written unless every row is valid. The import is logged in ``runs``.

    Raises:
        InputError: the file or one of its rows is bad (nothing is stored).
        DatabaseError: the database cannot be opened within the lock budget.
    """
    mentions = read_file(spec)
    table = db.mentions_table(mentions, salt=salt)
    with db.connect(db_path) as con:
        with db.transaction(con):
            stats = db.upsert_mentions(con, table)
            db.record_run(con, spec.source, "import", status="ok", new=stats.new, updated=stats.updated,
                          skipped=stats.unchanged, detail={"file": spec.path.name, "rows": len(mentions)})
    return len(mentions), stats
