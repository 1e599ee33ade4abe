"""Errors the user can act on.

Every error here renders as one line (``str(exc)``) that the CLI prints without a
traceback. Collectors extend the tree in :mod:`collectors.base`::

    HirepulseError
     ├── ConfigError      the config file is malformed, has an unknown key, a wrong type, a missing value
     ├── InputError       an import file (CSV, JSON lines) or stdin payload cannot be read as promised
     │    └── PathError   the path names no file, or a folder
     └── DatabaseError    the DuckDB file is missing, locked past the retry budget, or unusable
          └── DatabaseBusy  another process (or thread) held the file past the lock timeout: try again later
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from pathlib import Path

MIN_UNQUOTED = 3   # a cell this long is left out wherever the message names it; a shorter one (a "5") only in quotes


class HirepulseError(Exception):
    """Base class: an error whose message is a complete one-line explanation."""


class ConfigError(HirepulseError):
    """Raised when ``hirepulse.toml`` cannot be used as written."""

    def __init__(self, path: object, line: int | None, detail: str) -> None:
        self.path = str(path)
        self.line = line
        self.detail = detail
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {detail}")


class InputError(HirepulseError):
    """Raised when an input file or payload is bad; names the row and column when known.

    ``cells`` are the file's own cell texts that ``detail`` quotes (a bad date, an unknown stage, a rating
    column's words): shown to whoever runs the import, left out by :meth:`without_cells` where the error is
    stored or sent on, since a cell may hold a name or an address. ``columns`` are the file's column names that
    ``detail`` lists, joined by ", " (the columns a field was looked for in): cells too, since a file without a
    header row has its first row read as the names.
    """

    def __init__(self, path: object, detail: str, *, row: int | None = None, column: str | None = None,
                 cells: Iterable[str | None] = (), columns: Iterable[str] = ()) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.detail = detail
        self.cells = tuple(cell for cell in cells if cell)
        self.columns = tuple(columns)
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        self.where = where
        super().__init__(f"{where}: {detail}")

    def without_cells(self) -> str:
        """The one-line message with the cell texts it quotes and the column names it lists replaced by ``…`` (the
        row and column still point to them), for the runs table, logs and alerts."""
        detail, left = self.detail, []
        listed = ", ".join(self.columns)
        if listed and listed in detail:   # (the list as one: a name may also be a word of the message, "date")
            detail = detail.replace(listed, "…")
            left.append("the file's column names")
        named = detail
        for cell in sorted(set(self.cells), key=len, reverse=True):   # (longest first: one may hold another)
            if cell in detail:
                detail = detail.replace(repr(cell), "'…'")
                if len(cell) >= MIN_UNQUOTED:
                    detail = re.sub(rf"(?<![\w-]){re.escape(cell)}(?![\w-])", "…", detail)
        if detail != named:
            left.insert(0, "the cell's text")
        if not left:
            return str(self)
        verb = "is" if left == ["the cell's text"] else "are"
        return f"{self.where}: {detail} ({' and '.join(left)} {verb} left out here)"


class PathError(InputError):
    """Raised when a path given for an input file names none, or a folder: the problem first, then the path, as
    ``no such file: exports/june.csv`` or ``is a folder: exports``."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(path, problem)
        self.args = (f"{problem}: {self.path}",)


class DatabaseError(HirepulseError):
    """Raised when the database cannot be opened or used (missing, locked too long, corrupt)."""


class DatabaseBusy(DatabaseError):
    """Raised when the database stayed locked past the lock timeout: nothing is wrong with it, and the same work
    may go through once the other process (a long import or analysis) lets go."""


def os_error_line(exc: OSError) -> str:
    """An OSError as the CLI and the scheduler say it, one line: :func:`os_error_reason`, after "cannot create" and
    the folder when a file stood in its way."""
    in_the_way = _in_the_way(exc)
    reason = _reason(exc, in_the_way)
    return f"cannot create {exc.filename}: {reason}" if in_the_way is not None else reason


def os_error_reason(exc: OSError) -> str:
    """Why the system said no, in one line: the file and its reason ("reports/summary.md: Is a directory"), else the
    error's own text. A folder that could not be made because a file has its name, or the name of a folder above it,
    names that file: the system says only "File exists" or "Not a directory"."""
    return _reason(exc, _in_the_way(exc))


def _in_the_way(exc: OSError) -> Path | None:
    """The file whose name kept the folder ``exc`` names from being made, when that is why it failed."""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and exc.filename:
        return file_in_the_way(Path(exc.filename))
    return None


def _reason(exc: OSError, in_the_way: Path | None) -> str:
    if in_the_way is not None:
        return f"{in_the_way} is a file, not a folder"
    return f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)


def file_in_the_way(folder: Path) -> Path | None:
    """The regular file that has the name of ``folder`` or of a folder above it (so that it cannot be made), if any;
    never raises (a folder that cannot be searched counts as none)."""
    return next((p for p in (*reversed(folder.parents), folder) if os.path.exists(p) and not os.path.isdir(p)), None)

