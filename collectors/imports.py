"""Import the employer's own exports: review-site exports, candidate surveys, CSV, JSON lines, JSON or Excel.

Sites whose terms forbid automated collection (Glassdoor, Indeed, LinkedIn) reach hirepulse this
way: the employer exports its own data and imports the file. A file is read and validated whole
before anything is stored; the first bad row fails the import with its row and column named. A row
without text (nor title) is skipped and counted, and rows repeating an id are stored once, the last.
A CSV file's cell separator (comma, semicolon, tab or pipe) is read from its header line, so the
semicolon files of European spreadsheets and tab-separated exports import without options. An Excel
workbook (.xlsx) is read from its first sheet as a CSV export of it would be.

Fields: ``text`` (required), ``published_at`` (required), ``url``, ``company``, ``author``,
``stage``, ``rating``, ``id``, ``title``. Columns are matched by these names, by a few common
synonyms (``date``, ``review_body``, ``score``, ...) or by an explicit ``--map COLUMN=FIELD``; other
columns are not stored, and :func:`read_file` names them for the import to report. The text alone may be
mapped from several columns (a review's "Pros" and "Cons"): they are joined, each under its name. An ``id`` or
``url`` that holds an e-mail address or a phone number is not stored as given: the id becomes a hash keyed with
the salt, the link loses them (:func:`hirepulse.privacy.redact_url`).
A ``rating`` is stored as given. With the scale it is out of (``ImportSpec.rating_scale``, the CLI's
``--rating-scale``) the analysis also reads it as the reviewer's own score, as it reads one written in
the text ("Overall 2/5."); a rating outside 0 to that scale fails the import. A rating cell may also hold a
review site's verdict on the interview ("Positive", "Negative experience"; the import names such a column
as left out until ``--map`` makes it the rating): a rating of three steps, stored as 1, 2 or 3 out of 3 and
always read. So is any rating that names its scale ("4/5", "8 out of 10", "★★★★☆"), and a survey's answer in
words of the scale the user names (``ImportSpec.rating_words``, ``--rating-words``), read as 1 to 5 stars
(:func:`hirepulse.models.read_rating`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hirepulse import db
from hirepulse.config import ImportFolder
from hirepulse.db import UpsertStats
from hirepulse.errors import InputError, PathError
from hirepulse.models import (IMPORT_FIELDS, company_key, hash_id, normalise_stage, rating_in_scale,
                              rating_scale_problem, read_rating, source_label_problem, stage_key, unknown_stage,
                              word_scale)
from hirepulse.privacy import author_keys, holds_contact, keyed_id, redact, redact_url

FORMATS = ("csv", "jsonl", "json", "xlsx")
FIELDS = IMPORT_FIELDS
REQUIRED = ("text", "published_at")
DEFAULT_SOURCE = "import"

# Column names understood without --map (compared case-insensitively, spaces as underscores).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("body", "review", "review_text", "review_body", "comment", "comments", "content", "message", "feedback"),
    "published_at": ("date", "created_at", "created", "submitted_at", "timestamp", "review_date", "posted_at", "time",
                     "recordeddate", "recorded_date", "submitted", "date_submitted", "submission_date"),
    "url": ("link", "permalink", "review_link", "review_url"),
    "company": ("employer", "organization", "organisation", "brand"),
    "author": ("user", "username", "reviewer", "reviewer_name", "handle", "respondent"),
    "stage": ("hiring_stage", "stage_name", "step"),
    "rating": ("score", "stars", "overall_rating"),
    "id": ("review_id", "response_id", "native_id", "uid", "responseid"),
    "title": ("subject", "headline", "review_title"),
}


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """How to read one file: format, source label, fixed company, column mapping."""

    path: Path
    fmt: str
    source: str = DEFAULT_SOURCE
    company: str | None = None
    stage: str | None = None  # one of STAGES, for rows without a stage column or value (--stage)
    mapping: Mapping[str, str] | None = None  # source column -> field
    aliases: Mapping[str, str] | None = None  # lower-cased alias -> canonical company name
    date_format: str | None = None  # strptime format of published_at (e.g. "%d.%m.%Y"); None: ISO 8601 and kin
    rating_scale: float | None = None  # what the ratings are out of (--rating-scale); None: kept, not read for tone
    rating_words: tuple[str, ...] = ()  # a scale of words, lowest first (--rating-words), read as 1-5 stars
    stage_values: Mapping[str, str] | None = None  # a stage cell's own value -> one of STAGES (--stage-values)
    skip_rows: int = 0  # rows below a CSV or Excel header that are not data (a survey tool's extra header rows)
    encoding: str | None = None  # a text file's encoding when not UTF-8 (--encoding, e.g. cp1252)
    sheet: str | None = None  # an Excel workbook's sheet (--sheet); None: the first
    # the file's bytes when the caller has read them already (a watched folder hashes each file as it reads it);
    # None: read from ``path``
    data: bytes | None = field(default=None, repr=False, compare=False)


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
    return {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
            ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(suffix)


def check_input_path(path: Path) -> None:
    """Refuse a path given for a file to import that names none, or a folder, in one line each: ``no such file:
    PATH``, ``is a folder: PATH``. A path that cannot be looked at passes: reading it says why.

    Raises:
        PathError: no file there, or a folder.
    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise PathError(path, "no such file") from None
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise PathError(path, "is a folder")


def read_columns(spec: ImportSpec, *, salt: str | None = None) -> dict[str, list[Any]]:
    """Read and validate a whole file into columns of raw mention fields (``db.MENTION_FIELDS``).

    Works column by column rather than building an object per row: imports are bulk work. A row without an id
    column gets an id hashed from its text, date, company, title and its author's key, keyed with ``salt``
    (:func:`hirepulse.privacy.keyed_id`); without a salt those ids are None (a read to look at the file, not to store it).

    Raises:
        InputError: unknown format, unreadable, binary or undecodable file, missing required column,
            or the first bad row (missing text, unparseable date, bad rating or stage).
    """
    return read_file(spec, salt=salt)[0]


def read_file(spec: ImportSpec, *, salt: str | None = None) -> tuple[dict[str, list[Any]], tuple[str, ...]]:
    """:func:`read_columns`, and the file's columns that feed no field, in the file's order (an export's
    "difficulty" or "nps" column, a survey's "role": what the import leaves out, named so a column meant
    as a field can be mapped with ``--map``). Raises InputError as :func:`read_columns`."""
    read = _read(spec, salt)
    return read.columns, read.unused


@dataclass(frozen=True, slots=True)
class _FileRead:
    """A file read and validated (:func:`_read`): the columns to store, the file's column(s) that feed each field,
    those that feed none, how many rows the file holds, how many of them were skipped for having no text (nor
    title), how many repeat an earlier row's id (stored once: the last of them), and the company values that
    match no configured company."""

    columns: dict[str, list[Any]]
    sources: dict[str, tuple[str, ...]]
    unused: tuple[str, ...]
    rows: int
    skipped: int
    repeated: int
    unknown_companies: tuple[str, ...] = ()   # company values that match no configured company (_match_companies)


def _read(spec: ImportSpec, salt: str | None) -> _FileRead:
    """:func:`read_file`, with the file's column(s) that feed each field and the rows it left out or merged."""
    if spec.fmt not in FORMATS:
        raise InputError(spec.path, f"unknown format {spec.fmt!r} (choose csv, jsonl, json or xlsx)")
    problem = source_label_problem(spec.source)
    if problem:
        raise InputError(spec.path, problem)
    problem = rating_scale_problem(spec.rating_scale) if spec.rating_scale is not None else None
    if problem:  # (as the command line and an [[imports]] table check it, for a caller that builds its own spec)
        raise InputError("--rating-scale", problem)
    if spec.sheet is not None and spec.fmt != "xlsx":
        raise InputError(spec.path, "--sheet is for Excel workbooks (.xlsx)")
    if spec.encoding is not None and spec.fmt == "xlsx":
        raise InputError(spec.path, "--encoding is for text files: an Excel workbook names its own")
    try:
        data = spec.path.read_bytes() if spec.data is None else spec.data
    except (FileNotFoundError, NotADirectoryError):
        raise PathError(spec.path, "no such file") from None
    except IsADirectoryError:
        raise PathError(spec.path, "is a folder") from None
    except OSError as exc:
        raise InputError(spec.path, f"cannot read: {exc.strerror}") from None
    if spec.fmt in ("csv", "xlsx"):
        header, rows, lines = (_csv_rows(spec.path, _decode(spec.path, data, spec.encoding, "csv"))
                               if spec.fmt == "csv" else _xlsx_rows(spec.path, data, spec.sheet))
        if not rows:
            raise InputError(spec.path, f"no rows to import: the {'sheet' if spec.fmt == 'xlsx' else 'file'} has "
                                        "a header row only")
        if len(rows) <= spec.skip_rows:
            raise InputError(spec.path, f"no rows to import: --skip-rows {spec.skip_rows} leaves out all "
                                        f"{len(rows)} row{'s' if len(rows) != 1 else ''} below the header")
        rows, lines = rows[spec.skip_rows:], lines[spec.skip_rows:]
        sources = _resolve_columns(spec.path, header, spec.mapping or {})
        where = {c: header.index(c) for columns in sources.values() for c in columns}   # (once, not once per row)
        cells = {target: [[row[where[c]] for row in rows] for c in columns] for target, columns in sources.items()}
    else:
        if spec.skip_rows:
            raise InputError(spec.path, "--skip-rows is for CSV and Excel files, whose header is a row")
        text = _decode(spec.path, data, spec.encoding, spec.fmt)
        if not text.strip():
            raise InputError(spec.path, "empty file")
        records, lines = _jsonl_rows(spec.path, text) if spec.fmt == "jsonl" else _json_records(spec.path, text)
        records = [_flat(record) for record in records]  # ({"author": {"name": ...}} -> "author.name")
        header = list(dict.fromkeys(key for record in records for key in record))
        sources = _resolve_columns(spec.path, header, spec.mapping or {})
        cells = {target: [[record.get(c) for record in records] for c in columns] for target, columns in sources.items()}
    raw = {target: parts[0] if len(parts) == 1 else _joined(spec, sources[target], parts, lines)
           for target, parts in cells.items()}
    fields = {target: " + ".join(columns) for target, columns in sources.items()}  # (named in a bad row's error)
    used = {c for columns in sources.values() for c in columns}
    columns, skipped, repeated, unknown = _validate(spec, raw, fields, lines, salt)
    return _FileRead(columns, sources, tuple(c for c in header if c and c not in used), len(lines), skipped, repeated,
                     unknown)


def _joined(spec: ImportSpec, columns: tuple[str, ...], parts: list[list[Any]], lines: list[int]) -> list[str | None]:
    """The text of a row told in several columns (a review's "Pros" and "Cons", an interview review's details
    and questions): each non-empty cell on its own line under its column's name ("Cons: Ghosted after the final
    round"; a JSON record's nested field under its own name, "cons" for "body.cons"), so the analysis reads a
    review's headings as it does in a pasted review; None if all are empty."""
    cleaned = [_clean(spec, values, column, lines) for column, values in zip(columns, parts)]
    names = [column.rsplit(".", 1)[-1] if spec.fmt in ("json", "jsonl") else column for column in columns]
    return ["\n".join(f"{name}: {cell}" for name, cell in zip(names, row) if cell) or None for row in zip(*cleaned)]


def _decode(path: Path, data: bytes, encoding: str | None = None, fmt: str = "csv") -> str:
    """A text file's bytes as text: UTF-8 (a byte-order mark or none), UTF-16 with its byte-order mark (Excel's
    "Unicode Text"), or the ``encoding`` named (``--encoding``, e.g. cp1252 for a CSV that Excel saved on
    Windows). A byte-order mark is never text: named ``utf-8`` or ``utf-16-le``, the codec keeps it, and it would
    hide a ``sep=`` line and stick to the first column's name.

    Raises:
        InputError: a binary file, or bytes the encoding does not read, named as :func:`_undecodable` says.
    """
    if encoding is None and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    if encoding is None and b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not CSV or JSON lines text")
    codec, start = encoding or "utf-8", 0
    # (UTF-8's mark is cut here rather than by the utf-8-sig codec, whose errors count bytes from after the mark)
    if codecs.lookup(codec).name in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        codec, start = "utf-8", len(codecs.BOM_UTF8)
    try:
        return data[start:].decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        before = data[start:offset].decode(codec, errors="replace").removeprefix("\ufeff")
        raise _undecodable(path, before, offset, encoding, fmt) from None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _undecodable(path: Path, before: str, offset: int, encoding: str | None, fmt: str) -> InputError:
    """The error for bytes at ``offset`` that the file's encoding does not read, ``before`` them the text that
    it did. It names them as the file's other errors name places: a CSV's row as a spreadsheet numbers rows (a cell
    may span lines, so that is not the line), a JSON lines record's line (its row), and in a JSON document the
    line, as no record number is known yet; then the text just before them, to search for, and their offset."""
    lines = _LINE_BREAK.split(before)
    tail = lines[-1][-30:]
    if fmt == "jsonl":
        row = len((before + "x").splitlines())   # (as _jsonl_rows numbers lines; x: a line ended just before)
    else:
        row = _csv_row_at(before) if fmt == "csv" else None
    where = ("" if row is not None else f"on line {len(lines)}, ") + f"at byte offset {offset}, " + (
        f"after {tail!r}" if tail else "the first of their line")
    if encoding is not None:
        return InputError(path, f"bytes that are not {encoding} {where}", row=row)
    return InputError(path, f"bytes that are not UTF-8 {where}: save the export as UTF-8, or name its encoding, e.g. "
                            "--encoding cp1252 for a CSV that Excel saved on Windows", row=row)


def _csv_row_at(text: str) -> int | None:
    """The row, numbered as :func:`_csv_rows` numbers rows, in which ``text``, a CSV file's start, stops; None if
    that start is no CSV the reader takes."""
    delimiter, skip = _delimiter(text)
    stream = io.StringIO(text + "x", newline="")   # (x: the row the text stops in is read, even when it is empty)
    for _ in range(skip):
        stream.readline()
    try:
        with _csv_field_limit():
            return max(1, sum(1 for _ in csv.reader(stream, delimiter=delimiter)))
    except csv.Error:
        return None


# What a spreadsheet may separate cells with: comma, or semicolon where the comma is the decimal mark
# (Excel in most European locales), tab (.tsv), pipe.
DELIMITERS = (",", ";", "\t", "|")
_SEP_HINT = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)  # Excel's optional first line naming the separator


def _delimiter(text: str) -> tuple[str, int]:
    """The cell separator of a CSV text and how many leading lines to skip (1 after a ``sep=`` line).

    Read from the header line: the listed separator found most often there outside quotes, a comma
    when none is (a one-column header, which the required columns then reject by name)."""
    first = text.partition("\n")[0]
    hint = _SEP_HINT.match(first)
    if hint:
        return hint.group(1), 1
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # first listed (the comma) wins a tie
    return (best if counts[best] else ","), 0


# A cell may hold a whole long review (JSON lines take texts of megabytes): the csv module's default limit
# of 131,072 characters a field is raised while an import reads a file. Not sys.maxsize, which overflows the
# C long the limit is stored in on some platforms (64-bit Windows).
CSV_FIELD_LIMIT = 2**31 - 1


@contextmanager
def _csv_field_limit() -> Iterator[None]:
    """The csv module's field size limit raised to :data:`CSV_FIELD_LIMIT` for the block, then put back (it is
    process-wide)."""
    before = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _csv_rows(path: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and each row's number as a spreadsheet shows it (the header row 1; one row a record,
    whatever lines its cells span; blank rows skipped, but counted). The separator is found from the header line
    (``_delimiter``), or named by Excel's ``sep=`` line above it, which is no row: Excel reads it as the hint and
    does not show it, so the header under it is still row 1 there, and here."""
    with _csv_field_limit():
        return _csv_table(path, text)


def _csv_table(path: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    if not text.strip():
        raise InputError(path, "empty file")
    delimiter, skip = _delimiter(text)
    stream = io.StringIO(text, newline="")
    for _ in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "empty file") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV header: {exc}", row=1) from None
    header = _header(path, header, 1)
    rows: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    # each record is one row, as a spreadsheet shows the file: a cell of several lines does not move the rows
    # after it, and a blank line is a row (left out, but counted), as a blank row of a sheet is (_xlsx_rows)
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue
                raise InputError(path, f"has {len(row)} cells, the header has {width}", row=number)
            rows.append(row)
            lines.append(number)
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", row=number + 1) from None
    return header, rows, lines


def _header(path: Path, header: list[str], row: int) -> list[str]:
    """A table's header row, stripped: it must name a column, and no name twice."""
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(path, "the first line must be a header row of column names", row=row)
    dupes = {h for h in header if h and header.count(h) > 1}
    if dupes:
        raise InputError(path, f"duplicate column names in header: {', '.join(sorted(dupes))}", row=row,
                         columns=sorted(dupes))
    return header


def _xlsx_rows(path: Path, data: bytes, sheet_name: str | None = None) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and each row's number in the spreadsheet, from an Excel workbook's sheet (the first, or
    the one named; as
    :func:`_csv_rows`: blank rows skipped). The header is the sheet's first row that is not blank. Cells become the
    text a CSV export of the sheet would hold (dates as ISO 8601, 4.0 as 4); a formula gives the value Excel last
    saved with it."""
    import zipfile

    from openpyxl import load_workbook  # (read only here: `classify` and the collectors start without it)
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputError(path, f"not an Excel workbook (.xlsx) that can be read: {exc}") from None
    try:
        if not book.worksheets:
            raise InputError(path, "the workbook has no sheet")
        if sheet_name is not None and sheet_name not in book.sheetnames:
            raise InputError(path, f"the workbook has no sheet {sheet_name!r} (sheets: {', '.join(book.sheetnames)})")
        sheet = book[sheet_name] if sheet_name is not None else book.worksheets[0]
        sheet.reset_dimensions()  # (read every row: some writers store a sheet's size wrongly, or not at all)
        table = [(number, [_xlsx_cell(v) for v in values])
                 for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                 if any(v is not None and str(v).strip() for v in values)]
    finally:
        book.close()
    if not table:
        raise InputError(path, "empty file")
    start, header = table[0]
    header = _header(path, header, start)
    while header and not header[-1]:  # (a sheet's width may run past its last named column)
        header.pop()
    width = len(header)
    rows, lines = [], []
    for number, cells in table[1:]:
        if any(c.strip() for c in cells[width:]):
            raise InputError(path, f"has a cell beyond the header's {width} columns", row=number)
        rows.append((cells + [""] * width)[:width])
        lines.append(number)
    return header, rows, lines


def _xlsx_cell(value: Any) -> str:
    """A spreadsheet cell as the text of a CSV export of it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # datetime, date, time
        return value.isoformat()
    return str(value)


def _jsonl_rows(path: Path, text: str) -> tuple[list[dict[str, Any]], list[int]]:
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg})", row=number) from None
        if not isinstance(record, dict):
            raise InputError(path, "each line must be a JSON object", row=number)
        records.append(record)
        lines.append(number)
    return records, lines


def _json_records(path: Path, text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The records of a JSON document, as an API or a tool's "export as JSON" writes them: an array of objects,
    or an object holding one such array (``{"reviews": [...]}``). Each record's number is its place in the array
    (errors name it as the row)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one object per line: JSON lines under a .json name, as some tools save them
            return _jsonl_rows(path, text)
        raise InputError(path, f"not valid JSON ({exc.msg})", row=exc.lineno) from None
    if isinstance(document, dict):
        arrays = [key for key, value in document.items() if isinstance(value, list)]
        if len(arrays) != 1:
            found = f"arrays under {', '.join(map(repr, arrays))}" if arrays else "no array"
            raise InputError(path, f"expected an array of records, or an object holding one ({found})")
        document = document[arrays[0]]
        if not document:
            raise InputError(path, f"no records to import: the array under {arrays[0]!r} is empty")
    if not isinstance(document, list):
        raise InputError(path, "expected an array of records, or an object holding one")
    if not document:
        raise InputError(path, "no records to import: the array is empty")
    for number, record in enumerate(document, start=1):
        if not isinstance(record, dict):
            raise InputError(path, "each record must be a JSON object", row=number)
    return document, list(range(1, len(document) + 1))


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record with its nested objects' keys spelled out: ``{"author": {"name": "x"}}`` -> ``{"author.name": "x"}``
    (so ``--map author.name=author`` reaches it). A list stays a value, which no field takes."""
    if not prefix and not any(isinstance(value, dict) for value in record.values()):
        return record  # (the usual flat record: not copied)
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _resolve_columns(path: Path, columns: list[str], mapping: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Which file columns feed which field: ``--map`` first, then field names, then synonyms. One column per
    field, but the text may be mapped from several (in ``--map``'s order; :func:`_joined`)."""
    chosen: dict[str, tuple[str, ...]] = {}
    for column, target in mapping.items():
        if column not in columns:
            raise InputError(path, f"--map names column {column!r}, which the file does not have (columns: "
                                   f"{', '.join(columns)})", columns=columns)
        if target in chosen and target != "text":
            raise InputError("--map", f"columns {chosen[target][0]!r} and {column!r} both map to {target}; only text "
                                      "takes several columns (joined, each under its name)")
        chosen[target] = (*chosen.get(target, ()), column)
    taken = {c for mapped in chosen.values() for c in mapped}
    normal = {_normal(c): c for c in columns}
    for target in FIELDS:
        if target in chosen:
            continue
        for candidate in (target, *SYNONYMS.get(target, ())):
            if candidate in normal and normal[candidate] not in taken:
                chosen[target] = (normal[candidate],)
                taken.add(normal[candidate])
                break
    for target in REQUIRED:
        if target not in chosen:
            several = " (several columns may be the text: --map Pros=text Cons=text)" if target == "text" else ""
            raise InputError(path, f"no {target} column (columns: {', '.join(columns)}); name one with --map "
                                   f"COLUMN={target}{several}", columns=columns)
    return chosen


def _normal(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _clean(spec: ImportSpec, values: list[Any], column: str, lines: list[int]) -> list[str | None]:
    """Strip text cells to str or None; JSON numbers become text, objects and booleans are errors."""
    out: list[str | None] = []
    for index, value in enumerate(values):
        if value is None:
            out.append(None)
            continue
        if type(value) is not str:
            if isinstance(value, (dict, list, bool)):
                raise InputError(spec.path, f"expected text, got {type(value).__name__}", row=lines[index], column=column)
            value = str(value)
        out.append(value.strip() or None)
    return out


def _unread_rating(value: str, cells: list[str | None], named: tuple[str, ...],
                   words: dict[str, float] | None) -> str:
    """Why a rating cell was not read: with --rating-words, which words it allows; without, the column's
    words to name with it (the cells that are neither numbers nor verdicts, as first met, at most eight)."""
    if named:
        return f"rating {value!r} is not one of --rating-words ({', '.join(named)}), nor a number"
    unread = list(dict.fromkeys(c.strip() for c in cells if c is not None and read_rating(c, words) is None))
    shown = ", ".join(unread[:8]) + (", ..." if len(unread) > 8 else "")
    return (f"rating {value!r} is not a number, nor a verdict (positive, neutral, negative); for a scale of "
            f"words, name them lowest first with --rating-words (this column's words: {shown})")


def _validate(spec: ImportSpec, raw: dict[str, list[Any]], fields: dict[str, str],
              lines: list[int], salt: str | None) -> tuple[dict[str, list[Any]], int, int, tuple[str, ...]]:
    """The columns to store, how many rows were skipped for having no text, how many repeat an earlier row's
    id, and the company values that match no configured company (:func:`_match_companies`; none without
    ``spec.aliases``). A row with neither text nor title (a survey's score given without a comment) is skipped whole, its other
    cells unread; any other bad cell fails the file, named. Ids as :func:`read_columns` makes them."""
    texts = _clean(spec, raw["text"], fields["text"], lines)
    titles = _clean(spec, raw["title"], fields["title"], lines) if "title" in raw else [None] * len(lines)
    keep = [index for index, (text, title) in enumerate(zip(texts, titles)) if text or title]
    if not keep:  # (not one text: almost surely the wrong column, not a file of blank answers)
        titled = f" (nor a title in column {fields['title']!r})" if "title" in raw else ""
        raise InputError(spec.path, f"no row has text here{titled}: if another column holds the text, name it with "
                                    "--map COLUMN=text", column=fields["text"])
    skipped = len(lines) - len(keep)
    if skipped:
        raw = {target: [values[index] for index in keep] for target, values in raw.items()}
        texts, titles, lines = [texts[i] for i in keep], [titles[i] for i in keep], [lines[i] for i in keep]
    count = len(lines)
    col = {target: _clean(spec, values, fields[target], lines) for target, values in raw.items()
           if target not in ("text", "title")}   # (those two cleaned above)
    col["text"] = texts
    if "title" in raw:
        col["title"] = titles
    empty: list[None] = [None] * count

    def fail(index: int, target: str, detail: str, *others: str | None) -> InputError:
        # (the cell and the ``others`` of its column that the detail lists: left out where it is stored or sent)
        return InputError(spec.path, detail, row=lines[index], column=fields[target],
                          cells=(col[target][index], *others))

    texts = [text or "" for text in col["text"]]   # ("": a row told by its title alone, as analysis reads it)
    raw_dates = col["published_at"]
    dates: list[datetime] = []
    for index, value in enumerate(raw_dates):
        parsed = parse_timestamp(value, spec.date_format) if value else None
        if parsed is None:
            if not value:
                detail = "missing date"
            elif spec.date_format:
                detail = f"date {value!r} does not match --date-format {spec.date_format!r}"
            else:
                detail = (f"unparseable date {value!r} (use ISO 8601, e.g. 2025-06-03 or 2025-06-03T14:22:00Z, "
                          "or name the file's format with --date-format, e.g. '%d.%m.%Y')")
                if index < 3 and spec.fmt in ("csv", "xlsx"):  # ("Recorded Date" under RecordedDate: a second header row)
                    detail += f"; if row {lines[index]} is a survey tool's extra header row, --skip-rows leaves it out"
            raise fail(index, "published_at", detail)
        dates.append(parsed)
    ratings: list[float | None] = empty
    scales: list[float | None] = empty  # what each rating is out of (None: kept, not read for tone)
    if "rating" in col:
        ratings, scales = [], []
        words = word_scale(spec.rating_words) if spec.rating_words else None
        for index, value in enumerate(col["rating"]):
            read = None if value is None else read_rating(value, words)
            if value is not None and read is None:
                raise fail(index, "rating", _unread_rating(value, col["rating"], spec.rating_words, words),
                           *(c for c in col["rating"] if c is not None and read_rating(c, words) is None))
            rating, scale = read if read is not None else (None, None)
            if rating is not None and not math.isfinite(rating):
                raise fail(index, "rating", f"rating {value!r} is not a number")
            if scale is not None:  # a verdict, a word of --rating-words, "4/5", "★★★★☆": it names its own scale
                if not rating_in_scale(rating, scale):
                    raise fail(index, "rating", f"rating {value!r} is not a score from 0 to its scale")
                ratings.append(rating)
                scales.append(scale)
                continue
            if rating is not None and spec.rating_scale is not None and not rating_in_scale(rating, spec.rating_scale):
                raise fail(index, "rating", f"rating {value} is outside 0-{spec.rating_scale:g}, the --rating-scale: "
                                            "name the scale the file uses (5 for stars, 10 for a 0-10 survey)")
            ratings.append(rating)
            # the scale goes with each rating given, so the analysis reads it (a row without a rating has none)
            scales.append(spec.rating_scale if rating is not None else None)
    stages: list[str | None] = empty
    if "stage" in col:
        stages = []
        for index, value in enumerate(col["stage"]):
            stage = None if value is None else normalise_stage(value, spec.stage_values)
            if value is not None and stage is None:
                raise fail(index, "stage", unknown_stage(value, cell=True))
            stages.append(stage)
    kinds = ["survey" if st else "export" for st in stages]  # (a stage the file itself states)
    if spec.stage:  # e.g. an interview-review export: each row a candidate's account of that step
        stages = [st or spec.stage for st in stages]
    companies = [c or spec.company for c in col["company"]] if "company" in col else [spec.company] * count
    unknown: tuple[str, ...] = ()
    if spec.aliases:
        companies, unknown = _match_companies(companies, spec.aliases)
    authors, titles = col.get("author", empty), col.get("title", empty)
    # a link that carries an address or a phone number (a review site's "?email=...") loses them, kept a link
    # (once per distinct link: an export often gives every row its company's review page)
    links = {url: redact_url(url) for url in set(col["url"])} if "url" in col else {}
    urls = [links[url] for url in col["url"]] if "url" in col else empty
    # A row without an id gets one made from its fields, keyed with the salt (its author by the salted key too):
    # unkeyed, anyone could confirm who wrote a post, or what redaction took out of its text and title, by hashing
    # guesses with the row's stored fields. Its former id, unkeyed with the handle as hirepulse made ids before, is
    # how storage finds a row stored so and moves it to the new id (db.upsert_mentions).
    native_ids: list[str | None] = []
    formers: list[str | None] = []
    # An id cell that holds an address or a phone number (an export keyed by the respondent's e-mail) is stored
    # as a hash keyed with the salt, the same at every import; its former id is the cell, as stored before.
    contact = [bool(given) and holds_contact(given) for given in col.get("id", empty)]
    # (only the authors of rows without an id: a made id is the one use of the key here; storage keys every author)
    keys = author_keys([a for given, a in zip(col.get("id", empty), authors) if not given], salt or "")
    for given, has_contact, text, raw_date, company, author, title in zip(col.get("id", empty), contact, texts,
                                                                           raw_dates, companies, authors, titles):
        if has_contact:
            native_ids.append(keyed_id(salt or "", "id", given))
            formers.append(given)
            continue
        native_ids.append(given or keyed_id(salt or "", text, raw_date, company, keys[author], title))
        formers.append(None if given or salt is None else hash_id(text, raw_date, company, author, title))
    now = datetime.now(timezone.utc)
    repeated = count - len(set(native_ids))   # (stored once: the last row of an id, db.mentions_table_from_columns)
    if salt is None:   # (a read that stores nothing hands out no id made without the salt, nor one it would hash)
        native_ids, formers = [None if c else given for given, c in zip(col.get("id", empty), contact)], empty
    return {
        "source": [spec.source] * count, "native_id": native_ids, "url": urls, "company": companies,
        "query": empty, "kind": kinds, "title": titles, "text": texts,
        "published_at": dates, "author": authors, "lang": empty, "stage_hint": stages, "rating": ratings,
        "fetched_at": [now] * count,
        "rating_scale": scales, "former_id": formers,
    }, skipped, repeated, unknown


def _match_companies(values: list[str | None], aliases: Mapping[str, str]) -> tuple[list[str | None], tuple[str, ...]]:
    """A file's company values as the configured companies name them, and the values that match none (each once,
    in the file's order). ``aliases`` maps the lower-cased names and aliases to the configured names
    (``Config.alias_map``). A value matches a name or alias by its lower case, else by its
    :func:`~hirepulse.models.company_key` ("ACME corp", "Acme Corp." and "acme" all match "Acme"); a key that
    two companies' names give matches neither. A value that matches nothing is kept as given."""
    keyed: dict[str, str | None] = {}
    for term, name in aliases.items():
        key = company_key(term)
        if key:
            keyed[key] = name if keyed.get(key, name) == name else None   # (claimed by two companies: by neither)
    found: dict[str, str | None] = {}   # (a file names a few companies, on many rows: each value matched once)
    for value in dict.fromkeys(values):
        if value:
            found[value] = aliases.get(value.lower()) or keyed.get(company_key(value))
    return ([found.get(value) or value if value else value for value in values],
            tuple(value for value, name in found.items() if name is None))


def parse_stage_values(pairs: Iterable[str]) -> dict[str, str]:
    """``["Hiring Manager Review=screening", ...]`` (``--stage-values``) -> the file's names for its steps, as
    :func:`normalise_stage` reads them, each to one of :data:`STAGES`.

    Raises:
        InputError: a pair is not ``VALUE=STAGE`` or names no stage.
    """
    own: dict[str, str] = {}
    for pair in pairs:
        value, sep, target = pair.rpartition("=")
        if not sep or not value.strip() or not target.strip():
            raise InputError("--stage-values", f"expected VALUE=STAGE, got {pair!r}")
        stage = normalise_stage(target)
        if stage is None:
            raise InputError("--stage-values", f"{pair!r}: {unknown_stage(target)}")
        own[stage_key(value)] = stage
    return own


_EPOCH = re.compile(r"^\d{9,10}(\.\d+)?$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(.*)$")
_UTC_WORD = re.compile(r"\s*(?:UTC|GMT)$")  # "2025-06-01 14:22:00 UTC"
# a date with its month in English words, which no reader can take the wrong way round as "01/06/2025":
# "Jun 1, 2025", "June 1st 2025", "Sunday, June 1, 2025", "1 June 2025", "01-Jun-2025"; a time may follow
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WEEKDAY = r"(?:[A-Za-z]{3,9}\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_WORDED = (re.compile(rf"^{_WEEKDAY}(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})"
                      r"(?P<time>(?:,?\s+|T).+)?$"),
           re.compile(rf"^{_WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}[\s-](?P<mon>[A-Za-z]{{3,9}})\.?,?[\s-](?P<year>\d{{4}})"
                      r"(?P<time>(?:,?\s+|T).+)?$"))

_TWELVE_HOUR = re.compile(r"^(?P<hour>1[0-2]|0?[1-9]):(?P<rest>\d{2}(?::\d{2})?)\s*(?P<half>[AaPp])\.?[Mm]\.?(?P<zone>.*)$")


def _month(word: str) -> int | None:
    """1-12 for an English month's name or its abbreviation of three letters or more ("Jun", "Sept")."""
    word = word.lower()
    for number, name in enumerate(_MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _worded_date(value: str) -> str | None:
    """A date written with its month's name, as ISO 8601 ("Jun 1, 2025 14:22" -> "2025-06-01 14:22")."""
    for pattern in _WORDED:
        m = pattern.match(value)
        month = _month(m["mon"]) if m else None
        if m and month:
            time = (m["time"] or "").lstrip(", T")
            twelve = _TWELVE_HOUR.match(time)
            if twelve:  # "2:22 PM" -> "14:22"
                hour = int(twelve["hour"]) % 12 + (12 if twelve["half"].lower() == "p" else 0)
                time = f"{hour:02d}:{twelve['rest']}{twelve['zone']}"
            return f"{m['year']}-{month:02d}-{int(m['day']):02d}" + (f" {time}" if time else "")
    return None


def parse_timestamp(value: str, date_format: str | None = None) -> datetime | None:
    """ISO 8601 (date or date-time, ``Z``, an offset or "UTC"; naive means UTC), ``YYYY/MM/DD``, a date with its
    month in words ("Jun 1, 2025", "1 June 2025"), or Unix seconds; with ``date_format``, that ``strptime``
    format only (naive means UTC). None when it does not parse."""
    value = value.strip()
    if date_format:
        try:
            parsed = datetime.strptime(value, date_format)
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    if _EPOCH.match(value):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    value = _UTC_WORD.sub("+00:00", value)
    slashed = _SLASHED.match(value)
    candidate = f"{slashed[1]}-{int(slashed[2]):02d}-{int(slashed[3]):02d}{slashed[4]}" if slashed else value
    candidate = _worded_date(candidate) or candidate
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


@dataclass(frozen=True, slots=True)
class ImportStats(UpsertStats):
    """What an import stored (:class:`UpsertStats`), how many of the file's rows give a rating and how many of
    those are kept but not read for tone (a number without ``--rating-scale``), the file's columns that fed
    no field (:func:`read_file`), and the rows it left out (no text) or merged (an id given twice)."""

    rated: int = 0
    unused: tuple[str, ...] = ()
    unread: int = 0
    skipped: int = 0  # rows left out for having no text (nor title): a survey's score given without a comment
    repeated: int = 0  # rows that repeat an earlier row's id, merged into one (the last of them stored)
    id_column: bool = False  # the ids are the file's own (an id column), not made from each row's content
    unknown_companies: tuple[str, ...] = ()  # company values matching no configured company, kept as given
    expired: int = 0  # rows dated before the retention period (import_file's retention_days): the next purge's


IMPORT_STEP_ROWS = 50_000   # an import prepares and stores its rows in steps of this many (its progress)


def import_file(db_path: str | Path, spec: ImportSpec, *, salt: str, run_detail: Mapping[str, Any] | None = None,
                retention_days: int | None = None,
                progress: Callable[[str, int, int], None] | None = None) -> tuple[int, ImportStats]:
    """Read, validate and store one file in one transaction. Returns (rows read, import stats): the rows read
    count those skipped for having no text and those merged for repeating an id (``ImportStats``).

    Nothing is written unless every row is valid. The rows are prepared (redacted, authors hashed) and then
    stored in steps of :data:`IMPORT_STEP_ROWS`, all in the one transaction; ``progress(what, done, total)`` is
    told the rows "prepared", then "stored", after each step (first with 0 prepared, once the file is read).
    Ctrl+C stores nothing of the file: its KeyboardInterrupt carries a note that says so. With ``retention_days``
    (``[privacy] retention_days``), the stats count the rows dated before the retention period
    (:func:`hirepulse.db.retention_cutoff`), which the next purge deletes. The import is logged in ``runs`` (with
    ``run_detail`` added to the run's detail: a watched file's content hash).

    Raises:
        InputError: the file or one of its rows is bad (nothing is stored).
        DatabaseError: the database cannot be opened within the lock budget.
    """
    stored_it = False
    try:
        read = _read(spec, salt)
        columns = db.last_of_each_id(read.columns)   # (once for the whole file: each step then adds rows of its own)
        total = len(columns["native_id"])
        tables = []
        if progress:
            progress("prepared", 0, total)
        for start in range(0, total, IMPORT_STEP_ROWS):
            step = {name: values[start:start + IMPORT_STEP_ROWS] for name, values in columns.items()}
            tables.append(db.mentions_table_from_columns(step, salt=salt))
            if progress:
                progress("prepared", min(start + IMPORT_STEP_ROWS, total), total)
        left = {key: n for key, n in (("without_text", read.skipped), ("repeated_id", read.repeated)) if n}
        with db.connect(db_path) as con:
            with db.transaction(con):
                stored, done = db.UpsertStats(), 0
                for table in tables:
                    stored += db.upsert_mentions(con, table, salt=salt)
                    done += table.num_rows
                    if progress:
                        progress("stored", done, total)
                db.record_run(con, spec.source, "import", status="ok", new=stored.new, updated=stored.updated,
                              skipped=stored.unchanged, detail={"file": spec.path.name, "rows": read.rows, **left,
                                                                **(run_detail or {})})
            stored_it = True
    except KeyboardInterrupt as exc:
        if not stored_it:
            exc.add_note(f"nothing from {spec.path} was stored")
        raise
    rated, unread = _rated(read.columns)
    return read.rows, ImportStats(new=stored.new, updated=stored.updated, unchanged=stored.unchanged,
                                  erased=stored.erased, rated=rated, unused=read.unused, unread=unread,
                                  skipped=read.skipped, repeated=read.repeated, id_column="id" in read.sources,
                                  unknown_companies=read.unknown_companies,
                                  expired=_expired(columns["published_at"], retention_days))


def _expired(dates: list[datetime], retention_days: int | None) -> int:
    """How many of ``dates`` fall before the retention period of ``retention_days`` days (none without one)."""
    if retention_days is None:
        return 0
    cutoff = db.retention_cutoff(retention_days)
    return sum(date < cutoff for date in dates)


def _rated(columns: dict[str, list[Any]]) -> tuple[int, int]:
    """How many rows give a rating, and how many of those are kept but not read (a number without a scale)."""
    rated = sum(r is not None for r in columns["rating"])
    return rated, sum(r is not None and s is None for r, s in zip(columns["rating"], columns["rating_scale"]))


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What importing a file would store, read and validated as an import reads it, with nothing stored
    (:func:`check_file`, ``hirepulse import --check``)."""

    rows: int
    sources: dict[str, tuple[str, ...]]  # field -> the file's column(s) feeding it, in FIELDS order
    unused: tuple[str, ...]  # the file's columns that feed no field
    first: datetime  # the earliest and the latest published_at
    last: datetime
    rated: int
    unread: int  # ratings kept but not read for tone (numbers without --rating-scale)
    stages: dict[str, int]  # stage -> rows, most first (a row's own stage, else --stage)
    companies: dict[str, int]  # company -> rows, most first (after aliases; a row's own, else --company)
    skipped: int = 0  # rows left out for having no text (nor title), counted in ``rows``
    repeated: int = 0  # rows that repeat an earlier row's id, merged (the last of them kept)
    unknown_companies: tuple[str, ...] = ()  # company values matching no configured company
    expired: int = 0  # rows dated before the retention period (check_file's retention_days)


def check_file(spec: ImportSpec, *, retention_days: int | None = None) -> FileCheck:
    """Read and validate a file as :func:`import_file` does, and say what it would store (with
    ``retention_days``, how many rows the next purge would delete, as :func:`import_file` counts them). Touches no
    database.

    Raises:
        InputError: as :func:`import_file` (the first bad row, named).
    """
    read = _read(spec, None)   # (stores nothing: no ids needed, the repeated ones are counted all the same)
    columns, sources = read.columns, read.sources
    rated, unread = _rated(columns)
    dates = columns["published_at"]

    def tally(values: list[Any]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for value in values:
            if value:
                counts[value] = counts.get(value, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    ordered = {field: sources[field] for field in FIELDS if field in sources}
    return FileCheck(read.rows, ordered, read.unused, min(dates), max(dates), rated, unread,
                     tally(columns["stage_hint"]), tally(columns["company"]), read.skipped, read.repeated,
                     read.unknown_companies, _expired(dates, retention_days))


# --------------------------------------------------------------------------- watched folders ([[imports]])

SETTLE_SECONDS = 60.0  # a file changed more recently may still be being written: it waits for the next read


@dataclass(frozen=True, slots=True)
class FolderRead:
    """What one read of a watched folder did: the files imported (path, rows, stats), those refused (path, the
    one-line reason, as stored: its cells left out, redacted; each is recorded as a failed run and not read again
    until its content changes), those still being written, and how many were imported (or refused) before; of
    those, the ones refused before that are still there, unchanged, under the same options (path, the reason
    recorded when it was refused): named again at each read while they stay refused."""

    imported: tuple[tuple[Path, int, ImportStats], ...] = ()
    refused: tuple[tuple[Path, str], ...] = ()
    waiting: tuple[Path, ...] = ()
    seen: int = 0
    still_refused: tuple[tuple[Path, str], ...] = ()


def folder_spec(entry: ImportFolder, path: Path, aliases: Mapping[str, str] | None = None) -> ImportSpec:
    """The :class:`ImportSpec` of one file of a watched folder (``[[imports]]``), as `hirepulse import` would build
    it from the same options.

    Raises:
        InputError: the file's format cannot be told from its name.
    """
    fmt = guess_format(path)
    if fmt is None:
        raise InputError(path, "cannot tell the format from the file name (.csv, .tsv, .jsonl, .ndjson, .json or .xlsx)")
    own = {stage_key(value): stage for value, stage in entry.stage_values.items()} or None
    return ImportSpec(path=path, fmt=fmt, source=entry.source, company=entry.company, stage=entry.stage,
                      mapping=entry.map or None, aliases=aliases, date_format=entry.date_format,
                      rating_scale=entry.rating_scale, rating_words=entry.rating_words, stage_values=own,
                      skip_rows=entry.skip_rows, encoding=entry.encoding, sheet=entry.sheet)


def _folder_files(db_path: str | Path, entry: ImportFolder, settle_seconds: float,
                  ) -> Iterator[tuple[Path, str, str | None, bytes | str | None]]:
    """Each file of a watched folder in name order, as (path, what, SHA-256, bytes or error): ``what`` is "waiting"
    (changed too recently: still being written), "seen" (stored), "refused" (refused before under the folder's
    options as they are: with the error recorded then) or "new", whose bytes come along so that the file is read
    once, and the hash recorded is that of what is stored. Reads the database's runs without creating the file
    when it does not exist yet.

    Raises:
        InputError: the folder does not exist or cannot be listed.
    """
    folder = entry.folder
    if not folder.is_dir():
        raise InputError(folder, "the watched folder does not exist (the [[imports]] folder of the config)")
    try:
        names = sorted(p for p in folder.glob(entry.pattern or "*") if p.is_file() and not p.name.startswith("."))
    except OSError as exc:
        raise InputError(folder, f"cannot list the folder: {exc.strerror}") from None
    if entry.pattern is None:  # (every file the import reads; a named pattern's other files are refused by name)
        names = [p for p in names if guess_format(p)]
    stored: set[str] = set()
    refused: dict[tuple[str, str], str] = {}
    if db.database_exists(db_path):
        with db.connect(db_path, read_only=True) as con:
            stored, refused = db.imported_file_hashes(con)
    options = entry.options_key()
    now = datetime.now(timezone.utc).timestamp()
    for path in names:
        try:
            if now - path.stat().st_mtime < settle_seconds:
                yield path, "waiting", None, None
                continue
            data = path.read_bytes()
        except OSError:
            continue  # (gone since the listing)
        digest = hashlib.sha256(data).hexdigest()
        if digest in stored:
            yield path, "seen", digest, None
        elif (digest, options) in refused:
            yield path, "refused", digest, refused[digest, options]
        else:
            stored.add(digest)  # (two copies of one new content: the first is read)
            yield path, "new", digest, data


def new_files(db_path: str | Path, entry: ImportFolder, *, settle_seconds: float = SETTLE_SECONDS,
              ) -> tuple[list[tuple[Path, str]], list[Path], int]:
    """The files of a watched folder that no import has stored yet, nor refused under the folder's options as
    they are, as (path, SHA-256) in name order; those changed
    too recently to read (still being written); and how many were read before. Reads the database's runs without
    creating the file when it does not exist yet.

    Raises:
        InputError: the folder does not exist or cannot be listed.
    """
    fresh: list[tuple[Path, str]] = []
    waiting: list[Path] = []
    seen = 0
    for path, what, digest, _data in _folder_files(db_path, entry, settle_seconds):
        if what == "waiting":
            waiting.append(path)
        elif what in ("seen", "refused"):
            seen += 1
        else:
            fresh.append((path, digest))
    return fresh, waiting, seen


def import_folder(db_path: str | Path, entry: ImportFolder, *, salt: str, aliases: Mapping[str, str] | None = None,
                  settle_seconds: float = SETTLE_SECONDS, should_stop: Callable[[], bool] = lambda: False,
                  retention_days: int | None = None) -> FolderRead:
    """Import the files of a watched folder that no import has read yet (:func:`new_files`), each in its own
    transaction, in name order (``retention_days``: as :func:`import_file` takes it).

    A file is known by its content (SHA-256), so a file imported once is not read again, a changed file is, and a
    renamed copy is not. A bad file is recorded as a failed import run (``hirepulse status`` and the dashboard's
    Health view show it) and the others are still imported; while it stays in the folder unchanged, each later
    read names it again (``FolderRead.still_refused``) without reading it.

    Raises:
        InputError: the folder does not exist or cannot be listed.
    """
    imported, refused, waiting, still = [], [], [], []
    seen = 0
    options = entry.options_key()
    for path, what, digest, data in _folder_files(db_path, entry, settle_seconds):
        if what == "waiting":
            waiting.append(path)
            continue
        if what in ("seen", "refused"):
            seen += 1
            if what == "refused":
                still.append((path, str(data)))
            continue
        if should_stop():
            continue   # (the rest are counted, not imported)
        detail = {"folder": str(entry.folder), "sha256": digest, "options": options}
        try:
            spec = replace(folder_spec(entry, path, aliases), data=data)
            rows, stats = import_file(db_path, spec, salt=salt, run_detail=detail, retention_days=retention_days)
        except InputError as exc:
            error = redact(exc.without_cells())   # (as stored, logged and alerted: no cell, no address or number)
            with db.connect(db_path) as con:
                db.record_run(con, entry.source, "import", status="error", error=error,
                              detail={"file": path.name, **detail})
            refused.append((path, error))
        else:
            imported.append((path, rows, stats))
    return FolderRead(tuple(imported), tuple(refused), tuple(waiting), seen, tuple(still))
