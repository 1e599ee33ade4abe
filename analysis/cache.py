"""Parsed weight files kept on disk between runs, as Python keeps compiled modules in ``.pyc`` files.

The learned readings' weights are text (``analysis/lexicon/*_model.tsv``, about 70,000 rows and 440,000
numbers): reviewable and versioned, but parsing them is most of a fresh analyzer's start-up, which every
``hirepulse classify`` run pays. A parsed table is written once, in :mod:`marshal` form, under a name made
of the hash of the text it came from, and read from there by later runs; an edited file hashes to a new
name, so a stale entry is never read.

Where: ``$HIREPULSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/hirepulse``, else ``~/.cache/hirepulse``;
``HIREPULSE_CACHE_DIR=off`` (or empty) turns the cache off. The cache is an optimisation only: a
directory that cannot be written, or an entry that cannot be read, costs a parse and nothing else.
Like a ``.pyc`` file an entry is trusted as the user's own file (:mod:`marshal` is not meant for data
from others); it holds only numbers and feature names, never a text scored.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

logger = logging.getLogger(__name__)

CACHE_ENV = "HIREPULSE_CACHE_DIR"
FORMAT = 1  # bump when what a parse returns changes shape
_TAG = f"m{marshal.version}-py{sys.version_info[0]}{sys.version_info[1]}-f{FORMAT}"


def cache_dir() -> Path | None:
    """The directory entries live in, or None when the cache is off."""
    given = os.environ.get(CACHE_ENV)
    if given is not None:
        return None if given.strip().lower() in ("", "off") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hirepulse"


def entry_path(kind: str, source: bytes, directory: Path) -> Path:
    """Where the parse of ``source`` (a ``kind`` of file) is kept in ``directory``."""
    key = hashlib.blake2b(source, digest_size=16, person=kind.encode()[:16]).hexdigest()
    return directory / f"{kind}-{key}-{_TAG}.marshal"


def parsed(kind: str, source: bytes, parse: Callable[[bytes], Any], valid: Callable[[Any], bool]) -> Any:
    """``parse(source)``, read from the cache when an earlier run kept it (and ``valid`` accepts it), else
    parsed and kept. ``parse`` may raise (a malformed file): nothing is kept then, and the error is the
    caller's. A failure to read or write an entry is logged at debug level and otherwise ignored."""
    directory = cache_dir()
    if directory is None:
        return parse(source)
    path = entry_path(kind, source, directory)
    try:
        value = marshal.loads(path.read_bytes())
        if valid(value):
            return value
        logger.debug("cache entry %s has an unexpected shape; parsing again", path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as exc:
        logger.debug("cache entry %s unreadable (%s); parsing again", path, exc)
    value = parse(source)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))
            os.replace(tmp, path)  # whole or absent: a reader never sees half an entry
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError) as exc:
        logger.debug("cannot keep cache entry %s (%s)", path, exc)
    return value
