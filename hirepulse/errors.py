"""Errors the user can act on.

Every error here renders as one line (``str(exc)``) that the CLI prints without a
traceback. Collectors extend the tree in :mod:`collectors.base`::

    HirepulseError
     ├── ConfigError      the config file is malformed, has an unknown key, a wrong type, a missing value
     ├── InputError       an import file (CSV, JSON lines) or stdin payload cannot be read as promised
     └── DatabaseError    the DuckDB file is missing, locked past the retry budget, or unusable
          └── DatabaseBusy  another process (or thread) held the file past the lock timeout: try again later
"""

from __future__ import annotations


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
    """Raised when an input file or payload is bad; names the row and column when known."""

    def __init__(self, path: object, detail: str, *, row: int | None = None, column: str | None = None) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.detail = detail
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {detail}")


class DatabaseError(HirepulseError):
    """Raised when the database cannot be opened or used (missing, locked too long, corrupt)."""


class DatabaseBusy(DatabaseError):
    """Raised when the database stayed locked past the lock timeout: nothing is wrong with it, and the same work
    may go through once the other process (a long import or analysis) lets go."""
