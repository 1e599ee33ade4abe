"""``hirepulse <verb>``: a thin command line over plain functions, one function per verb.

Only this module prints, and only this module imports both collectors and analysis. Every
error a user can act on ends as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from hirepulse import __version__
from hirepulse.config import (CONFIG_ENV, DB_ENV, DEFAULT_DB_PATH, MAX_RETENTION_DAYS, STARTER_CONFIG, Config,
                              ImportFolder, check_ready_to_collect, load_config, resolve_config_path, resolve_db_path)
from hirepulse.errors import (ConfigError, DatabaseBusy, DatabaseError, HirepulseError, InputError, file_in_the_way,
                              os_error_line)
from hirepulse.models import (STAGES as STAGE_NAMES, date_format_problem, encoding_problem, rating_in_scale,
                              rating_scale_problem, rating_words_problem, read_rating, source_label_problem, word_scale)

if TYPE_CHECKING:  # (analysis is imported by the verbs that use it: `classify` starts without DuckDB)
    from analysis.reports import Written
    from collectors.imports import FileCheck, FolderRead, ImportSpec, ImportStats

log = logging.getLogger("hirepulse")

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
APP_PATH = REPO_ROOT / "app.py"
DEMO_SALT = "hirepulse-demo-salt-synthetic-data-only"
DEMO_PORT = 8501


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line plus a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


# --------------------------------------------------------------------------- context

class Context:
    """Resolved global options, shared by the verbs."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.db_path = resolve_db_path(getattr(args, "db", None))
        self.config_arg = getattr(args, "config", None)
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_arg)
        return self._config


def _lexicon_dir(config: Config) -> Path | None:
    """The config's ``[analysis] lexicon_dir``, checked: a folder adapted for other rules, or one whose files
    do not read, is a config error, said before any work starts."""
    directory = config.analysis.lexicon_dir
    if directory is None:
        return None
    from analysis.scoring import check_lexicon_dir

    try:
        check_lexicon_dir(directory)
    except (OSError, ValueError) as exc:
        raise ConfigError(config.path or "config", None, f"[analysis] lexicon_dir: {exc}") from None
    return directory


def _err(message: str) -> None:
    print(f"hirepulse: error: {message}", file=sys.stderr)


PROGRESS_LINE_SECONDS = 30.0   # on a log rather than a terminal: a progress line at most this often


def _progress_lines(say: Callable[[str], None], description: str, unit: str = "") -> Callable[[int, int], None]:
    """``update(done, total)`` for work watched through a log, not a terminal (cron mail, journald, a file, the
    scheduler's log): ``say`` gets "DESCRIPTION: DONE of TOTAL[ UNIT]" after the first step (how big the work is,
    which a log cannot draw) and then every :data:`PROGRESS_LINE_SECONDS`, never once the work is done (its summary
    says that): thirteen silent minutes of analysis read as a hang, a line per batch as noise."""
    import time

    last: float | None = None

    def update(done: int, total: int) -> None:
        nonlocal last
        if 0 < done < total and (last is None or time.monotonic() - last >= PROGRESS_LINE_SECONDS):
            last = time.monotonic()
            say(f"{description}: {done:,} of {total:,}{f' {unit}' if unit else ''}")

    return update


def _progress(description: str, total: int) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A rich progress bar on stderr; returns (update(done, total), close). Where stderr is no terminal (cron
    mail, journald, a file) the bar draws nothing, so plain lines say how far the work is (:func:`_progress_lines`)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if not sys.stderr.isatty():
        return _progress_lines(lambda line: print(line, file=sys.stderr, flush=True), description), lambda: None

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)
    task = progress.add_task(description, total=total)
    progress.start()

    def update(done: int, new_total: int) -> None:
        progress.update(task, completed=done, total=new_total)

    return update, progress.stop


# --------------------------------------------------------------------------- verbs

def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    path, _ = resolve_config_path(ctx.config_arg)
    if path.exists() and not args.force:
        raise ConfigError(path, None, "already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER_CONFIG, encoding="utf-8")
    print(f"wrote {path}: edit [[companies]] and [collect] contact (collect refuses the placeholders), then set "
          "HIREPULSE_SALT and run `hirepulse collect`")
    return 0


def _rating_scale(value: str) -> float:
    """A --rating-scale: the top of the file's rating scale, a number above 0 (5 for stars, 10 for 0-10)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {value!r}") from None
    problem = rating_scale_problem(number)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return number


def _rating_words(value: str) -> tuple[str, ...]:
    """--rating-words: a scale of words, lowest first, separated by commas ("Poor,Fair,Good,Very good,Excellent")."""
    words = tuple(w.strip() for w in value.split(","))
    problem = rating_words_problem(words)
    if problem:
        raise argparse.ArgumentTypeError(f"{value!r}: {problem} (separated by commas)")
    return words


def _source_label(value: str) -> str:
    """--source: an import's label (checked before any file is read, not once for each file named)."""
    problem = source_label_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _encoding(value: str) -> str:
    """--encoding: a text encoding Python knows (cp1252, latin-1, utf-16, ...)."""
    problem = encoding_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _date_format(value: str) -> str:
    """--date-format: a strptime format that reads at least a day (a typo such as 'd.m.Y' fails here,
    not on the file's first row)."""
    problem = date_format_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from collectors.imports import (FIELDS, ImportSpec, check_file, check_input_path, guess_format, import_file,
                                    normalise_stage, parse_map_args, parse_stage_values, unknown_stage)
    from hirepulse import db

    db.check_database_path(ctx.db_path)   # (up front: not after a long read of the files, file by file)
    if not args.check:
        _warn_if_demo(ctx.db_path)
    if not args.files:
        return _import_folders(args, ctx)
    if args.alert:
        raise InputError("--alert", "is for the watched folders' read (no file named): a file named here shows its "
                                    "errors at once")
    mapping = parse_map_args([pair for group in (args.map or []) for pair in group])
    own_stages = parse_stage_values([pair for group in (args.stage_values or []) for pair in group]) or None
    stage = normalise_stage(args.stage, own_stages) if args.stage is not None else None
    if args.stage is not None and stage is None:
        raise InputError("--stage", unknown_stage(args.stage))
    salt = None if args.check else ctx.config.salt()  # (a check stores nothing, so hashes no author)
    aliases = ctx.config.alias_map()  # (one map for every file)
    retention_days = ctx.config.privacy.retention_days

    def spec_of(path: Path) -> ImportSpec:
        check_input_path(path)   # (before its name is read for a format: a folder named "exports" is a folder)
        fmt = args.format or guess_format(path)
        if fmt is None:
            if path.suffix.lower() == ".xls":
                raise InputError(path, "an Excel 97-2003 workbook (.xls) is not read: save it as .xlsx or CSV")
            raise InputError(path, "cannot tell the format from the file name: pass --format csv, jsonl, json or xlsx")
        return ImportSpec(path=path, fmt=fmt, source=args.source, company=args.company, stage=stage,
                          mapping=mapping, aliases=aliases, date_format=args.date_format,
                          rating_scale=args.rating_scale, rating_words=args.rating_words or (),
                          stage_values=own_stages, skip_rows=args.skip_rows, encoding=args.encoding,
                          sheet=args.sheet)

    # each file is its own transaction: a bad one is named and stores nothing, and the files after it are still
    # imported; with several files, a last line names those not imported (a single file fails as it always did)
    several = len(args.files) > 1
    failed: list[str] = []
    changed = 0
    for number, name in enumerate(args.files):
        try:
            spec = spec_of(Path(name))
            if args.check:
                check = check_file(spec, retention_days=retention_days)
            else:
                with _import_progress(spec.path) as progress:
                    rows, stats = import_file(ctx.db_path, spec, salt=salt or "", retention_days=retention_days,
                                              progress=progress)
        except InputError as exc:
            if not several:
                raise
            sys.stdout.flush()   # (in order with the files' summaries, where both streams go to one log)
            _err(str(exc))
            failed.append(name)
            continue
        except DatabaseError as exc:   # (the database, not the file: the files left would fail the same way)
            if not several:
                raise
            sys.stdout.flush()
            _err(str(exc))
            failed.extend(args.files[number:])
            break
        if args.check:
            print(f"{spec.path}: {check.rows} row{'s' if check.rows != 1 else ''} read"
                  f"{_left_out(check.skipped, check.repeated, 'id' in check.sources)}, nothing stored (--check)")
            for line in _check_lines(spec, check, salt_env=ctx.config.privacy.salt_env):
                print(f"  {line}")
            unread, unused = check.unread, check.unused
            _warn(_import_warnings(spec.path, check.unknown_companies, check.expired, retention_days, check=True))
        else:
            print(f"{spec.path}: {_imported(rows, stats, rated=True)}")
            unread, unused = stats.unread, stats.unused
            changed += stats.new + stats.updated
            _warn(_import_warnings(spec.path, stats.unknown_companies, stats.expired, retention_days))
        if unread:
            print(f"  note: {unread} rating{'s' if unread > 1 else ''} kept but not read for tone; "
                  f"{'add' if args.check else 'import again with'} --rating-scale 5 (stars) or 10 (a 0-10 survey) "
                  "to have them read")
        if unused:  # (a survey's "nps" or "what_happened" column left out by its name: say so)
            n = len(unused)
            print(f"  note: {n} column{'s' if n > 1 else ''} not imported: {', '.join(unused)}; to import one "
                  f"as a field, --map COLUMN=FIELD (fields: {', '.join(FIELDS)})")
    if changed:   # (as a watched folder's read says it)
        print("run `hirepulse analyze` to score what was imported")
    if failed:
        sys.stdout.flush()
        print(f"hirepulse: {len(failed)} of {len(args.files)} files {'would not be' if args.check else 'not'} "
              f"imported: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


IMPORT_PROGRESS_BYTES = 5_000_000   # a file this big shows how far its import is (seconds of work: 10 MB ~ 3 s)


@contextlib.contextmanager
def _import_progress(path: Path) -> Iterator[Callable[[str, int, int], None] | None]:
    """How far the import of a big file (:data:`IMPORT_PROGRESS_BYTES`) is, on stderr: a rich bar on a terminal,
    else a plain line per step of rows (:data:`collectors.imports.IMPORT_STEP_ROWS`); None (no progress) for a
    smaller file. The bar goes once the import ends, however it ends (Ctrl+C too)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < IMPORT_PROGRESS_BYTES:
        yield None
        return
    if not sys.stderr.isatty():
        print(f"{path}: reading {size / 1e6:,.1f} MB", file=sys.stderr, flush=True)

        def line(what: str, done: int, total: int) -> None:
            if done:
                print(f"{path}: {done:,} of {total:,} rows {what}", file=sys.stderr, flush=True)

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(f"reading {path.name} ({size / 1e6:,.1f} MB)", total=None)

    def update(what: str, done: int, total: int) -> None:
        verb = {"prepared": "preparing", "stored": "storing"}.get(what, what)
        bar.update(task, description=f"{verb} {path.name}", completed=done, total=total)

    bar.start()
    try:
        yield update
    finally:
        bar.stop()


def _warn(lines: Sequence[str]) -> None:
    """Warnings, one line each on stderr, after what stdout said so far (where both streams go to one log)."""
    if lines:
        sys.stdout.flush()
    for line in lines:
        print(f"hirepulse: warning: {line}", file=sys.stderr, flush=True)


SHOWN_UNKNOWN_COMPANIES = 8   # the company values an import's warning names; the others are counted


def _import_warnings(path: Path | str, unknown: Sequence[str], expired: int, retention_days: int | None, *,
                     check: bool = False) -> list[str]:
    """What an import (``check``: would) store that the team may not mean, one line each: company values that
    match no configured company (the first :data:`SHOWN_UNKNOWN_COMPANIES` named, the others counted), and rows
    older than ``[privacy] retention_days``, which the next `hirepulse purge` deletes."""
    lines = []
    if unknown:
        n = len(unknown)
        shown = ", ".join(unknown[:SHOWN_UNKNOWN_COMPANIES])
        if n > SHOWN_UNKNOWN_COMPANIES:
            shown += f" and {n - SHOWN_UNKNOWN_COMPANIES} more"
        them = "it" if n == 1 else "them"
        lines.append(f"{path}: {n} compan{'y' if n == 1 else 'ies'} in the file match{'es' if n == 1 else ''} no "
                     f"configured company, {'would be ' if check else ''}kept as given: {shown} (add {them} to "
                     f"[[companies]], as a name or an alias, to have {them} matched)")
    if expired and retention_days is not None:
        from hirepulse import db

        cutoff = db.retention_cutoff(retention_days)   # (as purge reckons it)
        rows, them = ("1 row is", "it") if expired == 1 else (f"{expired:,} rows are", "them")
        done = f"once imported, the next `hirepulse purge` would delete {them}" if check else (
            f"imported, but the next `hirepulse purge` deletes {them}")
        lines.append(f"{path}: {rows} dated before {cutoff:%Y-%m-%d}, older than [privacy] retention_days "
                     f"({retention_days:,} days): {done}")
    return lines


# the options that describe one file, which a watched folder takes from its [[imports]] table instead
_FILE_OPTIONS = ("format", "company", "stage", "stage_values", "rating_scale", "rating_words", "map", "date_format",
                 "skip_rows", "encoding", "sheet")


def _import_folders(args: argparse.Namespace, ctx: Context) -> int:
    """`hirepulse import` with no file: read the config's watched folders once, as `hirepulse schedule` does
    (with --check, say what each new file would give, and store nothing)."""
    from collectors.imports import check_file, folder_spec, import_folder, new_files

    given = [f"--{name.replace('_', '-')}" for name in _FILE_OPTIONS if getattr(args, name) not in (None, False, 0)]
    given += ["--source"] if args.source != "import" else []   # (its default: the label is the table's source)
    if given:
        raise InputError(given[0], "applies to the files named; name a file, or set a watched folder's options in "
                                   "its [[imports]] table")
    config = ctx.config
    if not config.imports:
        raise InputError("import", "no file named and no [[imports]] folder in the config: name the files to import")
    if args.alert and not args.check:
        _require_webhook(config)
    aliases = config.alias_map()
    retention_days = config.privacy.retention_days
    if args.check:
        refused = 0
        for entry in config.imports:
            fresh, waiting, seen = new_files(ctx.db_path, entry)
            print(f"{_shown(entry.folder)}: {len(fresh)} new file{'s' if len(fresh) != 1 else ''} to import, {seen} read "
                  f"before" + (f", {len(waiting)} still being written" if waiting else "") + "; nothing stored (--check)")
            for path, _ in fresh:
                try:
                    spec = folder_spec(entry, path, aliases)
                    check = check_file(spec, retention_days=retention_days)
                except InputError as exc:
                    refused += 1
                    print(f"  would be refused: {exc}")
                    continue
                print(f"  {path.name}: {check.rows} row{'s' if check.rows != 1 else ''}"
                      + _left_out(check.skipped, check.repeated, "id" in check.sources))
                for line in _check_lines(spec, check, table=True, salt_env=config.privacy.salt_env):
                    print(f"    {line}")
                _warn(_import_warnings(path, check.unknown_companies, check.expired, retention_days, check=True))
        return 1 if refused else 0
    salt = config.salt()
    refused = imported = 0
    for entry in config.imports:
        read = import_folder(ctx.db_path, entry, salt=salt, aliases=aliases, retention_days=retention_days)
        for line in _folder_lines(entry.folder, read):
            print(line)
        _warn(_folder_warnings(read, retention_days))
        files = _refused(read)
        for line in files:
            print(f"  refused: {line}")
        for line in _refused(read, still=True):   # (named at every read while they stay: not alerted again)
            print(f"  still refused: {line}")
        refused += len(files) + len(read.still_refused)
        if files and args.alert:
            print("alert sent" if _alert(config, _refused_news(entry.folder, files)) else "alert not sent")
        imported += len(read.imported)
    if imported:
        print("run `hirepulse analyze` to score what was imported")
    return 1 if refused else 0


def _shown(path: Path) -> str:
    """A path as a person would type it here: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _folder_lines(folder: Path, read: FolderRead) -> list[str]:
    """What one read of a watched folder did, for the terminal and the scheduler's log (the files it refused:
    :func:`_refused`)."""
    head = (f"{_shown(folder)}: {len(read.imported)} new file{'s' if len(read.imported) != 1 else ''} imported, "
            f"{len(read.refused)} refused, {read.seen} read before")
    if read.still_refused:
        head += f" ({len(read.still_refused)} of them still refused)"
    if read.waiting:
        head += f", {len(read.waiting)} still being written (read next time)"
    lines = [head]
    for path, rows, stats in read.imported:
        lines.append(f"  {path.name}: {_imported(rows, stats)}")
    return lines


def _imported(rows: int, stats: ImportStats, *, rated: bool = False) -> str:
    """What importing one file stored, after its name: by `hirepulse import FILE` (``rated``: with how many rows
    give a rating) and by a watched folder's read (:func:`_folder_lines`)."""
    return (f"{rows} row{'s' if rows != 1 else ''}, {stats.new} new, {stats.updated} updated, "
            f"{stats.unchanged} already stored" + (f", {stats.rated} rated" if rated and stats.rated else "")
            + _left_out(stats.skipped, stats.repeated, stats.id_column, stats.erased))


def _left_out(skipped: int, repeated: int, id_column: bool, erased: int = 0) -> str:
    """The rows of a file that an import does not store as rows of their own, for its summary line: those whose
    author or post `hirepulse forget` named (erased), those without text (skipped) and those repeating an
    earlier row's id (merged; the store keeps the last of them). Without an id column, a row's id is made from
    its text, date, company, author and title."""
    parts = [f"{erased} not stored (erased on request)"] if erased else []
    if skipped:
        parts.append(f"{skipped} row{'s' if skipped > 1 else ''} without text skipped")
    if repeated:
        what = "id" if id_column else "row"
        parts.append(f"1 row repeats an earlier {what} (the last kept)" if repeated == 1 else
                     f"{repeated} rows repeat an earlier {what} (the last of each kept)")
    return "".join(f", {part}" for part in parts)



def _folder_warnings(read: FolderRead, retention_days: int | None) -> list[str]:
    """The warnings of the files a folder's read imported (:func:`_import_warnings`)."""
    return [line for path, _, stats in read.imported
            for line in _import_warnings(path.name, stats.unknown_companies, stats.expired, retention_days)]


def _refused(read: FolderRead, *, still: bool = False) -> list[str]:
    """Each file a folder's read refused (``still``: refused by an earlier read, still there unchanged): its error
    (as stored: the cells it quotes left out, redacted), and when it is read again. For the terminal, the
    scheduler's log and the alert alike."""
    out = []
    for path, error in (read.still_refused if still else read.refused):
        if still and not error.startswith(str(path)):   # (a copy of a refused file, or its text purged since)
            error = f"{path}, as a file of the same content was refused: {error}"
        option = re.search(r"--([a-z]+(?:-[a-z]+)*)", error)  # (the file's options are its table's keys here)
        key = f"; in [[imports]], --{option[1]} is the key {option[1].replace('-', '_')}" if option else ""
        out.append(f"{error} (read again once the file or the table changes{key})")
    return out


def _check_lines(spec: ImportSpec, check: FileCheck, *, table: bool = False, salt_env: str | None = None) -> list[str]:
    """`import --check`: which column feeds each field, with what the file holds there (``table``: the options
    came from an [[imports]] table, and are named as its keys; ``salt_env``: the salt's variable, named when the
    file has authors and it is unset, since a check needs no salt but the import will)."""

    def counts(tally: dict[str, int]) -> str:
        shown = ", ".join(f"{name} {n}" for name, n in list(tally.items())[:6])
        return shown + (f" and {len(tally) - 6} more" if len(tally) > 6 else "")

    width = max(len(field) for field in check.sources)
    lines = []
    for field, columns in check.sources.items():
        what = ""
        if field == "published_at":
            what = f": {check.first:%Y-%m-%d} to {check.last:%Y-%m-%d}"
        elif field == "author" and salt_env and not os.environ.get(salt_env):
            what = f": stored as salted hashes, so the import needs ${salt_env}, which is not set"
        elif field == "rating":
            what = f": {check.rated} given" + (f", {check.unread} not read for tone" if check.unread else "")
        elif field == "stage" and check.stages:
            what = f": {counts(check.stages)}"
        elif field == "company" and check.companies:
            what = f": {counts(check.companies)}"
        lines.append(f"{field:<{width}}  <- {' + '.join(columns)}{what}")
    for field, value in (("company", spec.company), ("stage", spec.stage)):  # (filled from an option, not a column)
        if field not in check.sources and value:
            lines.append(f"{field:<{width}}  <- " + (f'{field} = "{value}"' if table else f"--{field} {value}"))
    return lines


def cmd_analyze(args: argparse.Namespace, ctx: Context) -> int:
    _existing_db(ctx, "analyse")
    # (with no config file, the companies the stored analyses were made with: a run from another folder must not
    # take every company away from them)
    stats, signal_name = _analyze_now(ctx, batch_size=args.batch_size)
    left = stats.pending_before - stats.analyzed - stats.companies_reread
    if signal_name:   # (`analyze && report` must not carry on as if it had finished)
        _err(f"interrupted: analysed {_mentions(stats.analyzed)}, {left:,} left for the next run")
        return _signal_exit(signal_name)
    print(f"analysed {_mentions(stats.analyzed)} with analyzer {stats.analyzer_version}"
          + (f"; re-read the companies of {stats.companies_reread:,} to match the configured companies"
             if stats.companies_reread else ""))
    return 0


def _signal_exit(name: str) -> int:
    """The exit status of a command a signal stopped: 128 + its number (130 for Ctrl+C, 143 for SIGTERM)."""
    import signal

    return 128 + int(signal.Signals[name])


def _analyze_now(ctx: Context, *, batch_size: int | None = None) -> tuple[Any, str | None]:
    """Analyse the pending mentions of ``ctx``'s database (`hirepulse analyze`, and `hirepulse report` before it
    writes), a progress bar on a terminal; a stop signal ends it between batches. An analysis another process is
    running is waited for, said in one line: this one then finds what that one left. Returns the run's
    :class:`analysis.pipeline.AnalyzeStats` and the name of the signal that stopped it (None: it finished)."""
    import threading

    from analysis.pipeline import BATCH_SIZE, analyze_pending
    from hirepulse.scheduler import stop_on_signals

    received: list[str] = []
    waited: list[str] = []

    def said(name: str) -> None:
        received.append(name)
        print(f"hirepulse: {name}: stopping after this batch", file=sys.stderr, flush=True)

    def wait(holder: Any) -> bool:
        if not waited:
            waited.append(str(holder))
            print(f"hirepulse: waiting for the analysis already running on {ctx.db_path} ({holder}) to finish",
                  file=sys.stderr, flush=True)
        return True

    with stop_on_signals(threading.Event(), said) as stop:
        update, close = _progress("analysing", 0)
        try:
            companies = ctx.config.company_specs() if ctx.config.path else None
            stats = analyze_pending(ctx.db_path, companies=companies, batch_size=batch_size or BATCH_SIZE,
                                    progress=update, lexicon_dir=_lexicon_dir(ctx.config), should_stop=stop.is_set,
                                    wait=wait)
        finally:
            close()
    return stats, (received[0] if received else None)


_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean",
               type(None): "null"}


def _classify_shape_error(obj: object) -> str:
    """What is wrong with a classify input line that parsed as JSON but is not {"id": ..., "text": "..."}."""
    shape = 'each line must be a JSON object {"id": ..., "text": "..."}'
    if not isinstance(obj, dict):
        return f"{shape}, not a JSON {_JSON_TYPES[type(obj)]}"
    if "id" not in obj:
        return f'{shape}: no "id"'
    if "text" not in obj:
        return f'{shape}: no "text"'
    return f'{shape}: "text" is {_JSON_TYPES[type(obj["text"])]}, not a string'


def _bad_line(number: int, detail: str) -> InputError:
    """A bad classify input line, as "line N: what is wrong; nothing written": stdin is read and checked whole
    before the first result is written, so that a caller never gets results for the lines before a bad one and
    takes them for the whole answer (one output line per input line is the contract)."""
    return InputError(f"line {number}", f"{detail}; nothing written")


def cmd_classify(args: argparse.Namespace, ctx: Context) -> int:
    from analysis.scoring import score_texts

    items: list[tuple[Any, str]] = []
    # each line's "rating": a number on the --rating-scale (without it, numbers are not read), or a text that names
    # its scale: a verdict word, a word of --rating-words, "4/5", "★★★★☆" (models.read_rating)
    ratings: list[tuple[float, float] | None] = []
    scale = args.rating_scale
    words = word_scale(args.rating_words) if args.rating_words else None
    for number, line in enumerate(sys.stdin, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark (PowerShell's UTF-8) opens no JSON
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _bad_line(number, f"not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
            raise _bad_line(number, _classify_shape_error(obj))
        items.append((obj["id"], obj["text"]))
        rating = obj.get("rating")
        read = read_rating(rating, words) if isinstance(rating, str) else None
        if read is not None and read[1] is not None:  # a verdict, a word of the scale, "4/5": it names its scale
            if not rating_in_scale(*read):
                raise _bad_line(number, f"\"rating\" {json.dumps(rating)} is not a score from 0 to its scale")
            ratings.append((read[0], read[1]))
        elif words is not None and isinstance(rating, str):
            raise _bad_line(number, f"\"rating\" {json.dumps(rating)} is not one of --rating-words "
                                    f"({', '.join(args.rating_words)})")
        elif scale is not None:
            if rating is not None and (isinstance(rating, bool) or not isinstance(rating, (int, float))
                                       or not rating_in_scale(rating, scale)):
                raise _bad_line(number, f"\"rating\" {json.dumps(rating)} is not a number from 0 to {scale:g}, "
                                        "the --rating-scale, nor a verdict (positive, neutral, negative)")
            ratings.append(None if rating is None else (float(rating), scale))
        else:
            ratings.append(None)
    companies = ctx.config.company_specs()
    lexicon_dir = _lexicon_dir(ctx.config)
    out = sys.stdout
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), built once
    # batches of equal size, at most --batch-size (no small serial tail). Each batch is one
    # score_texts call that starts its own process pool: start-up and the end-of-batch wait cost
    # ~0.1 s on 2 cores, so the default is large; the batch size only bounds the results held
    # before they are written (~5 KB a text), the input is read whole anyway (nothing is written
    # when a line is bad)
    batches = -(-len(items) // args.batch_size)  # rounded up
    size = -(-len(items) // batches) if items else 1
    for start in range(0, len(items), size):
        chunk = items[start:start + size]
        given = ratings[start:start + size]
        given = given if any(given) else None  # (no rating read: the texts alone, as without ratings)
        for (item_id, _), result in zip(chunk, score_texts([t for _, t in chunk], companies=companies,
                                                           lexicon_dir=lexicon_dir, ratings=given)):
            record = result.to_record(item_id)
            if args.confidence:  # (opt-in: the default line keeps exactly the contract's fields)
                record["sentiment_confidence"] = result.sentiment_confidence
            out.write(encode(record) + "\n")
    out.flush()
    return 0


def _own_posts_from_db(db_path: Path) -> Any:
    """The labels saved in the database (the dashboard's Label posts view) as ``analysis.train.OwnPosts``.

    Raises:
        DatabaseError: no database there, or it stays locked.
        HirepulseError: it holds no labels.
    """
    import hashlib

    from analysis.train import OwnPosts
    from hirepulse import db

    with db.connect(db_path, read_only=True) as con:
        posts = db.labelled_posts(con)
        newest = db.newest_label(con)
    if not posts:
        raise HirepulseError(f"no labelled posts in {db_path}: label posts in the dashboard's \"Label posts\" view, "
                             "or pass --labelled FILE")
    return OwnPosts(posts, "database", db_path.name, hashlib.sha256(db.labelled_jsonl(posts)).hexdigest(),
                    f"labels in {db_path}", newest.isoformat() if newest else "")


def cmd_adapt(args: argparse.Namespace, ctx: Context) -> int:
    from analysis.train import MIN_OWN_MIX, adapt

    out = Path(args.out)
    if args.labelled:
        labelled: Any = Path(args.labelled)
        if not labelled.is_file():
            raise InputError(labelled, "no such file")
        where: object = labelled
    else:
        labelled, where = _own_posts_from_db(ctx.db_path), ctx.db_path
    try:
        manifest = adapt(labelled, out, progress=lambda message: print(f"hirepulse adapt: {message}", file=sys.stderr))
    except ImportError as exc:
        raise InputError(where, str(exc)) from None
    except ValueError as exc:  # (each message names the file, and the line and field where one is at fault)
        raise HirepulseError(str(exc)) from None
    sentiment = ", ".join(f"{n} {label}" for label, n in manifest["sentiment"].items())
    print(f"adapted the analyzer to {manifest['posts']} of your labelled posts "
          f"({_count(manifest['candidate_experiences'], 'first-hand candidate account')}; {sentiment}; "
          f"{manifest['consumer_links']} tied to being a customer), "
          f"written to {out}")
    # the priors (analysis.train.own_priors): what share of negative, neutral and positive candidate posts, and of
    # posts tied to being a customer, the analyzer expects before it reads a post's words
    if manifest["priors"] == "yours":
        print(f"with {MIN_OWN_MIX} or more candidate accounts among your labels, it now expects your posts' balance "
              "of negative, neutral and positive tone, and how often they tie hiring to being a customer")
    else:
        print(f"fewer than {MIN_OWN_MIX} of your labelled posts are candidate accounts, so it still expects the "
              "balance of negative, neutral and positive tone, and how often posts tie hiring to being a customer, "
              "found in the real posts of many employers it was built with; label more first-hand candidate "
              "accounts and run `hirepulse adapt` again for it to expect yours")
    print(f'to use it, add to your config:\n\n[analysis]\nlexicon_dir = "{out.resolve()}"\n\n'
          "then run `hirepulse analyze` to read every stored post again with it.")
    return 0


def cmd_labels_export(args: argparse.Namespace, ctx: Context) -> int:
    from hirepulse import db

    out = Path(args.out)
    with db.connect(ctx.db_path, read_only=True) as con:
        posts = db.labelled_posts(con)
    if not posts:
        raise HirepulseError(f"no labelled posts in {ctx.db_path}: label posts in the dashboard's \"Label posts\" "
                             f"view first; nothing written")
    if out.is_dir():
        raise InputError(out, "is a folder: give a file name, e.g. --out labels.jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(db.labelled_jsonl(posts))
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(f"wrote {_count(len(posts), 'labelled post')} to {out}")
    return 0


# what `labels count` says under the figures (the dashboard's Label posts view says the same in its own words)
AGREEMENT_LEGEND = ("Likely: where the figure would probably fall on as many other posts of yours. Spotted: high only "
                    "when the analyzer finds most of the candidate accounts, stages or customer ties you marked, and "
                    "most of those it finds are ones you marked too. Negatives read as positive: lower is better. "
                    "Candidate sentiment: how many points the analyzer's sits above (+) or below (-) yours.")


def cmd_labels_count(args: argparse.Namespace, ctx: Context) -> int:
    import textwrap

    from analysis import wording
    from analysis.lexicon import adapted_manifest
    from analysis.metrics import AGREEMENT_MIN, label_agreement_in_use
    from analysis.train import MIN_OWN_POSTS
    from hirepulse import db

    with db.connect(ctx.db_path, read_only=True) as con:
        summary = db.label_summary(con)
        agreement, scope = label_agreement_in_use(con, adapted_manifest(ctx.config.analysis.lexicon_dir))
    posts = summary["posts"]
    enough = ("enough to adapt: `hirepulse adapt --out DIR`" if posts >= MIN_OWN_POSTS
              else f"adapting needs at least {MIN_OWN_POSTS}, {MIN_OWN_POSTS - posts} more")
    print(f"{_count(posts, 'labelled post')} in {ctx.db_path} ({enough})")
    if posts:
        # what the labels say, in the words of the dashboard's Label posts view: how many the team marked as a
        # first-hand account of being a candidate (with the stages marked on them), and as tied to being a customer
        print("  tone: " + ", ".join(f"{n} {label}" for label, n in summary["sentiment"].items()))
        stages = ", ".join(f"{n} {stage}" for stage, n in summary["stages"].items() if n)
        print(f"  {_count(summary['candidate_experiences'], 'first-hand candidate account')}"
              + (f" (stages: {stages})" if stages else ""))
        print(f"  {summary['consumer_links']:,} tied to being a customer")
    if agreement.empty or agreement["posts"].max() < AGREEMENT_MIN:
        read = 0 if agreement.empty else int(agreement["posts"].max())
        if posts:
            print(f"  the analyzer has read {read} of them; with {AGREEMENT_MIN} read, this shows how its readings agree")
        return 0
    n = int(agreement["posts"].max())
    covers = {"since": f"on the {n:,} labelled since the readings were adapted to your posts",
              "learned": f"on {n:,}, all of which the readings in use learned from: they flatter them",
              "file": f"on {n:,}; the readings in use were adapted from a file, and any of these in it flatters them"}
    print(f"  how the analyzer's stored readings agree with your labels, {covers.get(scope, f'on the {n:,} it has read')}:")
    rows = [(wording.agreement_name(row.measure, row.posts, n), *wording.agreement_figure(row.measure, row.value,
                                                                                          row.low, row.high))
            for row in agreement.itertuples()]
    name_width, figure_width = max(len(r[0]) for r in rows), max(len(r[1]) for r in rows)
    for name, figure, span in rows:
        likely = span if span in ("–", wording.TOO_FEW_TO_TELL) else f"likely {span}"
        print(f"    {name:<{name_width}}  {figure:>{figure_width}}  {likely}")
    print(textwrap.fill(AGREEMENT_LEGEND, width=100, initial_indent="  ", subsequent_indent="  "))
    return 0


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid number {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{number} is not {'0 or more' if minimum == 0 else f'at least {minimum}'}")
        return number
    return parse


_count_arg = _whole_number(1)   # --batch-size: 0 read nothing and said "analysed 0 mentions"
_rows_arg = _whole_number(0)    # --skip-rows: 0, the default, leaves no row out, as skip_rows = 0 does in a table


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (use YYYY-MM-DD)") from None


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from analysis.metrics import Filters, filter_choices
    from analysis.reports import REPORT_FILES, write_reports
    from hirepulse import db

    if args.since and args.until and args.since > args.until:
        raise InputError("--since/--until", f"--since {args.since} is after --until {args.until}")
    if args.alert:
        _require_webhook(ctx.config)
    out = Path(args.out or ctx.config.reports.out_dir)
    in_the_way = file_in_the_way(out)
    if in_the_way is not None:   # (said before any work: the system's own word for it is "File exists")
        raise InputError("--out" if args.out else "[reports] out_dir", f"{in_the_way} is a file, not a folder")
    company = args.company or ctx.config.reports.company
    if not args.no_analyze and _pending_analysis(ctx.db_path, ctx.config):
        stats, signal_name = _analyze_now(ctx)
        left = stats.pending_before - stats.analyzed - stats.companies_reread
        if signal_name:
            _err(f"interrupted: analysed {_mentions(stats.analyzed)}, {left:,} left; no report written")
            return _signal_exit(signal_name)
        print(_analysed_line(stats, "before the report (--no-analyze skips this)"))
    with _report_run(ctx.db_path, out, ctx.config, alert=args.alert, what="the report"), \
            db.connect(ctx.db_path, read_only=True) as con:
        choices = filter_choices(con)
        stored = choices["companies"]
        configured = [c.name for c in ctx.config.companies]
        if company:
            company = _known_company(company, stored, configured, "--company" if args.company else "[reports] company")
        filters = Filters(companies=(company,) if company else (), since=args.since, until=args.until)
        unread = con.execute("SELECT count(*) FROM mentions m ANTI JOIN analysis a ON a.mention_id = m.id").fetchone()[0]
        try:
            with _folders_made_for(out):
                written = write_reports(con, out, filters, choices)
        except OSError as exc:  # a file where the folder should be, no permission, a full disk
            which = f" ({exc.filename})" if exc.filename and Path(exc.filename).name in REPORT_FILES else ""
            raise InputError("--out", f"cannot write the reports into {out}: {exc.strerror or exc}{which}") from None
    if company and company not in stored:   # (a configured company with nothing stored yet)
        print(f"hirepulse: note: no stored mention is of company {company!r} yet, so the reports are empty "
              f"(stored: {', '.join(stored) or 'none'})", file=sys.stderr)
    if unread:
        print(f"hirepulse: note: {_mentions(unread)} never analysed {'is' if unread == 1 else 'are'} not in the "
              "reports: run `hirepulse analyze` first", file=sys.stderr)
    unit = {True: ("row", "rows"), False: ("company", "companies")}   # a CSV's rows, summary.md's companies
    print(f"wrote {out}/: " + ", ".join(f"{name} ({n} {unit[name.endswith('.csv')][n != 1]})"
                                        for name, n in written.counts.items()))
    news, flags, state = _spike_report(ctx.db_path, written, out) if args.alert else (_spike_news(written, out), [], None)
    for line in news:
        print(line)
    if args.alert and not written.recent_spikes.empty:
        sent = _tell_spikes(ctx.config, ctx.db_path, written, news, flags, state, log_is_told=False)
        print({True: "alert sent", None: "alert not sent: the same spikes were posted before"}.get(
            sent, "alert not sent (see the log line above)"))
    return 0


@contextlib.contextmanager
def _folders_made_for(out: Path) -> Iterator[None]:
    """Take away again the folders (``out`` and those above it) that did not exist before, when the work inside
    fails: a report the disk refused leaves no empty folder behind (``--out reports/2026-03-09``). Only folders
    left empty are removed, never a file; a folder that was there stays."""
    missing = [folder for folder in (*reversed(out.parents), out) if not folder.exists()]
    try:
        yield
    except BaseException:
        for folder in reversed(missing):
            try:
                folder.rmdir()
            except OSError:   # (not empty, or gone: left as it is)
                break
        raise


def _pending_analysis(db_path: Path, config: Config) -> int:
    """How many mentions the next analysis of ``db_path`` (with ``config``, as `hirepulse analyze` runs) would read,
    whole or their companies alone: `report` analyses first only when there are any (a write, and a run recorded)."""
    from analysis.pipeline import companies_to_reread
    from analysis.scoring import ANALYZER_VERSION, analyzer_version
    from hirepulse import db

    lexicon_dir = _lexicon_dir(config)
    version = ANALYZER_VERSION if lexicon_dir is None else analyzer_version(lexicon_dir)
    with db.connect(db_path, read_only=True) as con:
        return db.count_pending_analysis(con, version) + companies_to_reread(
            con, version, config.company_specs() if config.path else None)


def _analysed_line(stats: Any, after: str = "") -> str:
    """What an analysis did, in the words `hirepulse report` and the scheduler's log share."""
    return (f"analysed {_mentions(stats.analyzed)}"
            + (f" {after}" if after else "")
            + (f"; re-read the companies of {stats.companies_reread:,} to match the configured companies"
               if stats.companies_reread else ""))


@contextlib.contextmanager
def _report_run(db_path: Path, out: Path, config: Config, *, alert: bool, what: str) -> Iterator[None]:
    """Record the writing of a report as a run ("reports", "report") so that `hirepulse status` and the Health view
    show one that failed (a reports folder read-only, a full disk), not only the scheduler's log; with ``alert``,
    a failure is posted to the team's webhook too (``what`` names the report in it). A database this process cannot
    write (a read-only copy) is reported on all the same, without a run."""
    from hirepulse import db

    run_id = None
    try:
        if not Path(db_path).exists():   # (the read that follows says so: no database made here)
            raise DatabaseError(f"no database at {db_path}")
        with db.connect(db_path) as con:
            db.close_interrupted_runs(con, "reports", "report")
            run_id = db.start_run(con, "reports", "report")
    except DatabaseError as exc:
        log.info("report: not recorded as a run: %s", exc)

    def finish(**how: Any) -> None:
        if run_id is None:
            return
        try:
            with db.connect(db_path) as con:
                db.finish_run(con, run_id, detail={"out": str(out)}, **how)
        except DatabaseError as exc:   # (the report's own outcome is the one to say)
            log.warning("report: its end could not be recorded: %s", exc)

    try:
        yield
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            finish(status="stopped", error="interrupted")
            raise
        said = os_error_line(exc) if isinstance(exc, OSError) else str(exc) or type(exc).__name__
        finish(status="error", error=said)
        if alert:
            _alert(config, [f"{what} failed", f"writing into {out}: {said}"])
        raise
    finish(status="ok")


def _known_company(name: str, stored: list[str], configured: list[str], option: str) -> str:
    """A report's company as stored or configured, matched regardless of case ("brightwater" is "Brightwater").

    Raises:
        InputError: neither a stored nor a configured company: a typo would otherwise write empty reports, every
            week for a scheduled one.
    """
    known = {c.casefold(): c for c in [*configured, *stored]}   # (the stored spelling wins)
    if name.casefold() in known:
        return known[name.casefold()]
    raise InputError(option, f"no company {name!r} is stored or configured (stored: {', '.join(stored) or 'none'})")


def _warn_if_no_webhook(config: Config) -> None:
    """The scheduler's start: alerts configured but their variable not in this process's environment (a service's
    environment file without it) would otherwise go to the log only, without a word."""
    from hirepulse.alerts import webhook_problem, webhook_url

    name = config.alerts.webhook_env
    if name and webhook_url(config) is None:
        log.warning("alerts: [alerts] webhook_env names %s, which is not set for this process: spikes and refused "
                    "files go to the log only", name)
    elif webhook_problem(config):
        log.warning("alerts: %s: spikes and refused files go to the log only", webhook_problem(config))


def _require_webhook(config: Config) -> None:
    """--alert needs a webhook: [alerts] webhook_env naming a variable that is set (checked before any work)."""
    from hirepulse.alerts import webhook_problem, webhook_url

    if webhook_url(config) is None:
        name = config.alerts.webhook_env
        raise InputError("--alert", f"the environment variable {name} is not set" if name else
                         "no webhook: set [alerts] webhook_env in the config to the environment variable that "
                         "holds the webhook's URL")
    if webhook_problem(config):
        raise InputError("--alert", webhook_problem(config))


def _alert(config: Config, news: list[str]) -> bool:
    """Post a report's spike lines, or a folder's refused files, to the team's webhook (hirepulse.alerts): the
    first line is the message's title. False when no webhook is set or the post failed (logged)."""
    from hirepulse.alerts import send

    return bool(news) and send(config, f"hirepulse: {news[0].strip()}", news[1:])


def _spike_report(db_path: Path, written: Written, out: Path) -> tuple[list[str], list[bool], Any]:
    """A report's spike lines (:func:`_spike_news`), each with whether it is news to the team: a spike never told
    (posted, or warned of in the log), or grown to twice its count then (hirepulse.alerts). An ongoing spike is
    told once, however many posts its week gains. The header is news when a spike is. The last item is what
    :func:`_tell_spikes` records."""
    from hirepulse.alerts import news_of, spike_key, told_spikes

    news = _spike_news(written, out)
    if written.recent_spikes.empty:
        return news, [False] * len(news), None
    told = told_spikes(db_path)
    fresh = news_of(written.recent_spikes, told)
    keys = [spike_key(row) for row in written.recent_spikes.itertuples()]
    lines = [line + (f" (was {told[key]} when posted)" if new and key in told else "")
             for line, new, key in zip(news[1:], fresh, keys)]
    return [news[0], *lines], [any(fresh), *fresh], (told, fresh)


def _tell_spikes(config: Config, db_path: Path, written: Written, news: list[str], flags: list[bool], state: Any,
                 *, log_is_told: bool) -> bool | None:
    """Post the spikes of :func:`_spike_report` that are news (the header, then their lines) to the team's webhook,
    and record them as told when the post went through, or, with ``log_is_told`` (the scheduler, whose WARNING
    lines are the alert), when no webhook is set. None when none is news, else whether the post went through."""
    from analysis.reports import recent_start
    from hirepulse.alerts import remember_told, webhook_url

    if state is None or not any(flags[1:]):
        return None
    sent = _alert(config, [news[0], *(line for line, new in zip(news[1:], flags[1:]) if new)])
    if sent or (log_is_told and webhook_url(config) is None):
        told, fresh = state
        remember_told(db_path, written.recent_spikes, fresh, told, recent_start(written.newest))
    return sent


def _refused_news(folder: Path, refused: list[str]) -> list[str]:
    """A watched folder's refused files (:func:`_refused`) as an alert: a title, then one line per file."""
    return [f"{len(refused)} export file{'s' if len(refused) != 1 else ''} refused in {_shown(folder)}", *refused]


def _spike_news(written: Written, out: Path) -> list[str]:
    """What a report's spikes say about the newest weeks, as lines for the terminal or the scheduler's log; ``out``
    the folder the report went into (the chat message names its spikes.csv)."""
    from analysis.reports import recent_start, spike_lines
    from hirepulse.alerts import spikes_csv

    if written.newest is None:
        return []
    span = f"since the week of {recent_start(written.newest).isoformat()} (to {written.newest.isoformat()})"
    if written.recent_spikes.empty:
        return [f"no spike {span}"]
    return [f"spikes {span}; every spike is in {spikes_csv(out)}:",
            *("  " + line for line in spike_lines(written.recent_spikes))]


def _warn_if_demo(db_path: Path) -> None:
    """Say so when new posts are about to join the demo's synthetic sample in one database (a first import
    after `hirepulse demo`, into the default path): the reports and the dashboard would mix the two."""
    from hirepulse import db

    if not db.database_exists(db_path):   # (False, not an error, for a folder that cannot be searched: the verb says it)
        return
    try:
        with db.connect(db_path, read_only=True) as con:
            demo = db.holds_demo(con)
    except DatabaseError:   # (not a database, or busy: the verb itself says so, file by file)
        return
    if demo:
        print(f"hirepulse: warning: {db_path} holds the synthetic demo sample (`hirepulse demo`), which your posts "
              "will be mixed with: give them another --db, or delete this file first", file=sys.stderr)


def _existing_db(ctx: Context, what: str) -> None:
    """Refuse a verb that only changes stored data when there is no database: an erasure run against a mistyped
    path would otherwise report "deleted 0" with exit 0, and leave an empty database behind.

    Raises:
        DatabaseError: no file at the database path.
    """
    from hirepulse import db

    if not db.database_exists(ctx.db_path):   # (a file that is no database is refused by name when opened)
        raise DatabaseError(f"no database at {ctx.db_path}: nothing to {what} (is --db or $HIREPULSE_DB right?)")


def cmd_forget(args: argparse.Namespace, ctx: Context) -> int:
    from collectors.authors import FORMS, bluesky_post, resolve
    from hirepulse import db
    from hirepulse.privacy import author_key

    _existing_db(ctx, "erase")
    salt = ctx.config.salt()   # (the posts' words are remembered by a salted key, db.content_key)

    if args.author is not None:
        if not any(author_key(form, salt) for form in args.author):
            raise InputError("--author", "empty handle")
        mastodon = ctx.config.sources.get("mastodon")
        hosts = [*(mastodon.get("instances") or []), mastodon.base_url or ""] if mastodon else []
        with db.connect(ctx.db_path) as con, _deleted_anyway() as deleted:
            found = resolve(args.author, con, lambda handle: author_key(handle, salt), mastodon_hosts=hosts)
            wanted = set(args.source or [])
            per_form = {form: [a for a in accounts if not wanted or a.source in wanted]
                        for form, accounts in found.accounts.items()}
            several = {form: accounts for form, accounts in per_form.items() if len(accounts) > 1}
            if several and not args.all_matches:
                for line in found.notes:
                    print(line)
                for form, accounts in several.items():
                    print(f"\"{form}\" may mean {len(accounts)} accounts:")
                    for account in sorted(accounts, key=lambda a: (a.source, a.shown)):
                        print(f"    {account.source}: {account.shown} ({_mentions(len(account.ids))})")
                print("  name the one meant by a fuller form (name@instance or a profile address, a Bluesky DID, a "
                      "site's profile address, u/name), or keep to one source with --source SOURCE; --all-matches "
                      "erases them all")
                raise InputError("--author", f"{len(several)} of the forms may mean more than one account: "
                                             "nothing erased")
            chosen = [a for accounts in per_form.values() for a in accounts]
            keys = {k for a in chosen for k in a.keys} | (set() if wanted else found.unmatched_keys)
            ids = sorted({i for a in chosen for i in a.ids})
            deleted.append(db.forget_author(con, *sorted(keys), ids=ids, salt=salt, record=True))
        count = deleted[0]
        print(f"deleted {_mentions(count)} by that author (and their analysis)")
        if len(chosen) > 1:
            for account in chosen:
                print(f"    {account.source}: {account.shown} ({_mentions(len(account.ids))})")
        for line in found.notes:
            print(line)
        if count == 0:
            print("  note: none is stored under that name; --author takes, per source (give several forms of one "
                  "author at once if need be):")
            for source, form in FORMS.items():
                print(f"    {source}: {form}")
        _rewrite_file(ctx.db_path)
        return 0
    ids, urls = args.id or [], args.url or []
    if args.source or args.all_matches:   # (they choose among an author's accounts: a post named is one post)
        raise InputError("--source" if args.source else "--all-matches", "goes with --author, not with --url or --id")
    if not any(v.strip() for v in (*ids, *urls)):
        raise InputError("--id" if ids else "--url", "empty value")
    with db.connect(ctx.db_path) as con, _deleted_anyway() as deleted:
        # a Bluesky link naming the handle the account had then: the post by its at:// URI, found by the account
        found = [bluesky_post(url, con) for url in urls]
        refused = [why for _, why in found if why]
        if refused:
            raise InputError("--url", refused[0])
        uris = [uri for uri, _ in found if uri]
        deleted.append(db.forget_posts(con, ids=ids, urls=[*urls, *uris], salt=salt, record=True))
    count = deleted[0]
    named = f"{len(ids) + len(urls)} {'post' if len(ids) + len(urls) == 1 else 'posts'} named"
    print(f"deleted {_mentions(count)} of the {named} (and their analysis)")
    if count == 0:
        print("  note: none is stored; ids are mentions.csv's id column, URLs as the source links them")
    _rewrite_file(ctx.db_path)
    return 0


@contextlib.contextmanager
def _deleted_anyway() -> Iterator[list[Any]]:
    """Around an erasure or purge: a list the work appends its result to. When the deletion was committed but the
    checkpoint after it failed (a full disk: db.DeletedNotCheckpointed), the list gets the count of mentions deleted
    and the command goes on as after a deletion: its line of what was deleted, then _rewrite_file, which says what
    the file still holds and why. Must sit inside the ``with`` of the connection, which the failure invalidated."""
    from hirepulse import db

    deleted: list[Any] = []
    try:
        yield deleted
    except db.DeletedNotCheckpointed as failed:
        log.info("%s", failed)   # (_rewrite_file then says what the file still holds, and why)
        deleted.append(failed.result)


def _count(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with its noun, singular for one: the dashboard's wording (analysis.wording.fmt_count), imported
    only when a line needs it (it brings pandas, which most commands never load)."""
    from analysis.wording import fmt_count

    return fmt_count(count, noun, plural)


def _mentions(count: int) -> str:
    return _count(count, "mention")


REWRITE_SAY_BYTES = 100_000_000   # a file this big takes a while to rewrite (about 5 s per 100 MB measured)


def _rewrite_file(db_path: Path) -> None:
    """After a forget or a purge: rewrite the database file when what was deleted (now or by an earlier run whose
    rewrite failed) left traces in its free blocks (db.ensure_erased), with a progress bar, and say so.

    Raises:
        DatabaseError: the rewrite failed or was interrupted; what was deleted stays deleted.
    """
    from hirepulse import db

    bar: list[Callable[..., None]] = []

    def progress(done: int, total: int) -> None:
        if not bar:
            size = Path(db_path).stat().st_size
            if size >= REWRITE_SAY_BYTES:
                print(f"rewriting {db_path} ({size / 1e6:,.0f} MB) so that nothing deleted survives in it; other "
                      "hirepulse commands wait for it", file=sys.stderr)
            bar.extend(_progress("rewriting the database file", total))
        bar[0](done, total)

    try:
        rewrite = db.ensure_erased(db_path, progress=progress)
    finally:
        if bar:
            bar[1]()
    if rewrite is not None:
        print(f"rewrote {db_path} so that no trace of what was deleted is left in it "
              f"({rewrite.before / 1e6:,.1f} MB before, {rewrite.after / 1e6:,.1f} MB now)")


def cmd_purge(args: argparse.Namespace, ctx: Context) -> int:
    from hirepulse import db

    days = args.older_than if args.older_than is not None else ctx.config.privacy.retention_days
    if days is None:
        raise InputError("--older-than", "give --older-than DAYS or set [privacy] retention_days in the config")
    if days < 1:
        raise InputError("--older-than", "DAYS must be at least 1")
    if days > MAX_RETENTION_DAYS:
        raise InputError("--older-than", f"DAYS must be at most {MAX_RETENTION_DAYS:,} (100 years)")
    _existing_db(ctx, "purge")
    with db.connect(ctx.db_path) as con, _deleted_anyway() as deleted:
        deleted.append(db.purge(con, days))
    count, errors = deleted[0]
    # (a mention's age: from its date, or from when it was first stored if that is earlier: db.purge_older_than)
    print(f"deleted {_mentions(count)} older than {days} day{'' if days == 1 else 's'}")
    if errors:
        print(f"deleted the error text of {errors} run{'' if errors == 1 else 's'} that ended before then")
    _rewrite_file(ctx.db_path)
    return 0


def cmd_redact(args: argparse.Namespace, ctx: Context) -> int:
    from hirepulse import db

    _existing_db(ctx, "redact")
    # the values of the credentials the config names (an older version could quote an API key in a run's error);
    # never printed: only replaced where stored
    names = [value for table in (*(s.options for s in ctx.config.sources.values()),
                                  {"webhook_env": ctx.config.alerts.webhook_env, "salt_env": ctx.config.privacy.salt_env})
             for key, value in table.items() if key.endswith("_env") and isinstance(value, str)]
    secrets = sorted({os.environ[n] for n in names if len(os.environ.get(n, "")) >= 8}, key=len, reverse=True)
    with db.connect(ctx.db_path) as con:
        posts, runs = db.redact_stored(con, secrets=secrets)
        db.record_run(con, "privacy", "redact", status="ok", updated=posts, detail={"runs": runs})
    print(f"redacted {_mentions(posts)} and the error text of {runs} run{'' if runs == 1 else 's'} again with the "
          "current rules" + (" (run `hirepulse analyze` to read the changed posts again)" if posts else ""))
    _rewrite_file(ctx.db_path)
    return 0


def _refuse_data_of_others(db_path: Path) -> None:
    """The demo writes into a new database, or one it filled before: never among a team's own posts.

    Raises:
        InputError: the database holds mentions and no demo run.
    """
    from hirepulse import db

    if not db.database_exists(db_path):   # (as in _warn_if_demo; an empty file too: the demo makes its database there)
        return
    with db.connect(db_path, read_only=True) as con:
        theirs = con.execute("SELECT count(*) FROM mentions").fetchone()[0] and not db.holds_demo(con)
    if theirs:
        raise InputError("--db", f"{db_path} holds posts of yours; the demo's synthetic sample would be mixed with "
                                  "them: give the demo its own --db (e.g. --db data/demo.duckdb)")


def _salt_line(con: Any, config: Config) -> str:
    """Whether the salt in the environment is the one the database's keys were made with, for `status`."""
    from hirepulse import db

    name = config.privacy.salt_env
    salt = os.environ.get(name, "")
    if not salt:
        return f"  salt: {name} is not set (storing and erasing need it)"
    recorded = db.salt_recorded(con, salt)
    if recorded is None:
        return f"  salt: no check recorded yet; the next run that stores records {name}'s"
    same, since = recorded
    return (f"  salt: {_salt_matches(name, since)}" if same else
            f"  salt: {name} is NOT the one this database's keys were made with (checked since "
            f"{since:%Y-%m-%d}): storing and erasing are refused; see `hirepulse salt --help`")


def _salt_matches(name: str, since: datetime) -> str:
    """That the salt in ``name`` is the database's, as `status` and `salt` say it."""
    return f"{name} is the one this database's keys were made with (checked since {since:%Y-%m-%d})"


def _refuse_another_salt(db_path: Path, config: Config, salt: str, *,
                         busy_ok: bool = False) -> tuple[bool, datetime] | None:
    """The database's salt check (:func:`hirepulse.db.salt_recorded`), for `hirepulse salt` and the start of
    `hirepulse schedule`; None when none is recorded (or no database yet). ``busy_ok``: a database another process
    holds past a few seconds is not checked (None), rather than refused: the scheduler's runs check it each.

    Raises:
        DatabaseError: ``salt`` is not the one the database's keys were made with: every run that stores or erases
            would be refused (a scheduler would fail every collection, for good).
    """
    from hirepulse import db

    if not os.path.exists(db_path):
        return None
    try:
        with db.connect(db_path, read_only=True, timeout=5.0 if busy_ok else None) as con:
            recorded = db.salt_recorded(con, salt)
            demo = bool(recorded) and not recorded[0] and db.holds_demo(con)   # (asked only to say why it differs)
    except DatabaseBusy:
        if not busy_ok:
            raise
        log.info("salt: not checked at the start, as %s is busy; each run checks it", db_path)
        return None
    if recorded and not recorded[0]:
        raise DatabaseError(f"{config.privacy.salt_env} is not the salt this database's keys were made with (checked "
                            f"since {recorded[1]:%Y-%m-%d}): storing and erasing under it are refused; "
                            + ("the file holds the synthetic sample of `hirepulse demo`, keyed with the demo's "
                               "salt: give your own posts another --db" if demo else
                               "set the salt it was written with"))
    return recorded


def cmd_salt(args: argparse.Namespace, ctx: Context) -> int:
    from hirepulse import db

    _existing_db(ctx, "check")
    if not args.drop_check:
        recorded = _refuse_another_salt(ctx.db_path, ctx.config, ctx.config.salt())
        name = ctx.config.privacy.salt_env
        print(_salt_matches(name, recorded[1]) if recorded else
              f"no salt check recorded in {ctx.db_path} yet: the next run that stores records {name}'s")
        return 0
    with db.connect(ctx.db_path) as con:
        if db.holds_demo(con):
            raise DatabaseError(f"{ctx.db_path} holds the synthetic sample of `hirepulse demo`, keyed with the demo's "
                                "salt: give your own posts another --db instead of dropping its check")
        with db.transaction(con):
            since = db.drop_salt_check(con)
    if since is None:
        print(f"no salt check recorded in {ctx.db_path}: nothing to drop")
    else:
        print(f"dropped the salt check recorded on {since:%Y-%m-%d}: the next run that stores records the salt it "
              "has. Keys made under the old salt stay as they were (an author or post erased under it is not "
              "recognised under another)")
    return 0


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from analysis.pipeline import analyze_pending
    from collectors.imports import ImportSpec, import_file
    from hirepulse import db

    manifest_path = SAMPLE_DIR / "manifest.toml"
    if not manifest_path.exists():
        raise InputError(manifest_path, "the bundled sample is missing (run from a source checkout)")
    config_path = Path(ctx.config_arg) if ctx.config_arg else SAMPLE_DIR / "hirepulse.toml"
    config = load_config(config_path, required=True)
    salt = DEMO_SALT   # (the sample is synthetic: its keys never need a team's salt, and a demo run again finds its own)
    manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    _refuse_data_of_others(ctx.db_path)
    print(f"hirepulse demo: synthetic sample -> {ctx.db_path}")
    aliases = config.alias_map()
    for entry in manifest.get("files", []):
        spec = ImportSpec(path=SAMPLE_DIR / entry["path"], fmt=entry["format"], source=entry["source"],
                          company=entry.get("company"), mapping=entry.get("map"), aliases=aliases,
                          rating_scale=entry.get("rating_scale"))
        rows, stats = import_file(ctx.db_path, spec, salt=salt)
        print(f"  imported {entry['path']:<24} {rows:>5} rows  {stats.new:>5} new  {stats.unchanged:>5} already stored")
    with db.connect(ctx.db_path) as con:   # the mark other verbs warn by: this database holds the synthetic sample
        db.record_run(con, "demo", "demo", status="ok")
    update, close = _progress("analysing", 0)
    try:
        stats = analyze_pending(ctx.db_path, companies=config.company_specs(), progress=update)
    finally:
        close()
    print(f"  analysed {_mentions(stats.analyzed)} (analyzer {stats.analyzer_version})")
    _print_summary(ctx.db_path)
    if args.no_app:
        return 0
    return _serve_app(ctx.db_path, config_path, port=args.port)


def _print_summary(db_path: Path) -> None:
    from hirepulse import db

    with db.connect(db_path, read_only=True) as con:
        rows = con.execute("""
            SELECT company, count(*) AS mentions,
                   count(*) FILTER (WHERE is_candidate_experience) AS candidate,
                   round(avg(sentiment) FILTER (WHERE is_candidate_experience), 2) AS candidate_sentiment,
                   round(avg(sentiment) FILTER (WHERE NOT is_candidate_experience), 2) AS other_sentiment,
                   count(*) FILTER (WHERE consumer_link) AS consumer_links
            FROM facts GROUP BY company ORDER BY mentions DESC
        """).fetchall()
        total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(f"  {_mentions(total)} stored")
    print(f"  {'company':<22}{'mentions':>9}{'candidate':>11}{'cand. sent.':>13}{'other sent.':>13}{'cust. links':>13}")
    for company, mentions, candidate, csent, osent, links in rows:
        name = company or "(no company)"
        print(f"  {name:<22}{mentions:>9}{candidate:>11}{_fmt(csent):>13}{_fmt(osent):>13}{links:>13}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _serve_app(db_path: Path, config_path: Path, *, port: int) -> int:
    if not APP_PATH.exists():
        raise InputError(APP_PATH, "app.py not found (run the dashboard from a source checkout)")
    env = {**os.environ, DB_ENV: str(db_path.resolve()), CONFIG_ENV: str(config_path.resolve())}
    print(f"serving the dashboard on http://localhost:{port} (Ctrl+C to stop)", flush=True)
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    from analysis.pipeline import companies_to_reread
    from analysis.scoring import readings_in_use
    from hirepulse import db
    from collectors.base import utc_minute
    from hirepulse.health import analysis_status, describe_readings, refused_imports, running_analyses

    readings = readings_in_use(ctx.config.analysis.lexicon_dir)
    with db.connect(ctx.db_path, read_only=True) as con:
        state = analysis_status(con, readings["version"]) if readings["version"] else None
        # the posts whose companies alone the next `hirepulse analyze` (given this config, or none) reads again
        reread = (companies_to_reread(con, readings["version"], ctx.config.company_specs() if ctx.config.path else None)
                  if state is not None else 0)
        mentions = state["mentions"] if state else con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        analysed = con.execute("SELECT count(*) FROM analysis").fetchone()[0]
        # the 10 newest runs, and the newest of each source and job however long ago: a source failing for a
        # week must not drop off the list behind a busier one's runs
        runs = con.execute("""
            SELECT source, kind, status, started_at, new_count, skipped_count, error, id FROM runs
            WHERE id IN (SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT 10)
               OR id IN (SELECT arg_max(id, (started_at, id)) FROM runs GROUP BY source, kind)
            ORDER BY started_at DESC, id DESC
        """).fetchall()
        gone = db.interrupted_runs(con)   # (still marked running, their process gone)
        running = running_analyses(con)
        budgets = _budget_lines(con, ctx.config)
        demo = db.holds_demo(con)
        refused = refused_imports(con) if ctx.config.imports else []
        owed = db.rewrite_owed(con)
        salt_line = _salt_line(con, ctx.config)
        waits = db.host_waits(con)
    print(f"{ctx.db_path}: {_mentions(mentions)}, {analysed:,} analysed"
          + (" (with the synthetic demo sample of `hirepulse demo`)" if demo else ""))
    print(f"  analyzer in use: {describe_readings(readings)}")
    if owed is not None:
        print(f"  the file still holds traces of data deleted since {owed:%Y-%m-%d %H:%M} UTC: the next "
              "`hirepulse forget` or `hirepulse purge` rewrites it")
    if state is not None:
        pending = state["pending"]
        waiting = (f"; {pending:,} {'waits' if pending == 1 else 'wait'} for `hirepulse analyze`"
                   if pending and not running else "")
        print(f"  {state['current']:,} of {_mentions(state['mentions'])} read by it{waiting}")
    if reread and not running:
        print(f"  companies to re-read: {_mentions(reread)}, as the configured companies changed; `hirepulse analyze` "
              "does it")
    for run in running:   # (its mentions wait for it, not for another `hirepulse analyze`)
        so_far = (f"{run['done']:,} of {_mentions(run['total'])}" if run["total"] is not None
                  else _mentions(run["done"]))
        print(f"  an analysis is running now (since {run['started_at']:%Y-%m-%d %H:%M} UTC): {so_far} scored so far")
    print(salt_line)
    for line in budgets:
        print(line)
    for entry in ctx.config.imports:
        print(f"  watched folder {_shown(entry.folder)} ({entry.pattern or 'every export file'}, cron {entry.schedule})"
              + ("" if entry.folder.is_dir() else ": does not exist"))
    for item in refused:
        print(f"  refused, waiting for a fix: {item['file']} ({item['source']}, {item['finished_at']:%Y-%m-%d %H:%M})")
    if ctx.config.alerts.webhook_env:
        from hirepulse.alerts import webhook_problem, webhook_url

        name = ctx.config.alerts.webhook_env
        problem = webhook_problem(ctx.config)
        print(f"  alerts: {problem}, so alerts go to the log only" if problem else
              f"  alerts: to the webhook in {name}" if webhook_url(ctx.config) else
              f"  alerts: {name} is not set, so alerts go to the log only")
    for host, until in waits:
        print(f"  {host} asked us to wait: nothing is sent to it until {utc_minute(until)} "
              f"(`hirepulse collect --clear-wait {host}` clears it)")
    for source, kind, status, started, new, skipped, error, run_id in runs:
        if status == "running" and run_id in gone:
            status, error = "interrupted", gone[run_id]
        tail = f" ({error})" if error else ""
        # an erasure or retention run deletes (its count is kept as skipped): "0 new" would hide that it worked
        count = (f"{'done':>6}" if (source, kind) in (("privacy", "redact"), ("reports", "report")) else
                 f"{skipped:>6} deleted" if source == "privacy" else f"{'posted':>6}" if source == "alerts" else
                 "" if kind == "clear-wait" else f"{new:>6} new")
        print(f"  {started:%Y-%m-%d %H:%M} {kind:<8} {source:<14} {status:<8} {count}{tail}")
    return 0


def _budget_lines(con: Any, config: Config) -> list[str]:
    """What each source with a daily API budget (its module's ``budget_of``: YouTube) has spent on its current
    quota day, from its units cursor."""
    import importlib

    from collectors.run import SOURCE_MODULES, UNITS_KEY

    rows = con.execute("SELECT source, value FROM cursors WHERE key = ? ORDER BY source", [UNITS_KEY]).fetchall()
    lines = []
    for source, value in rows:
        module = SOURCE_MODULES.get(source)
        budget_of = getattr(importlib.import_module(module), "budget_of", None) if module else None
        if budget_of is None:
            continue
        budget = budget_of(config.source(source))
        budget.load(value)
        state = ("the API said the project's quota is used up" if budget.exhausted
                 else f"{budget.spent:,} of {budget.limit:,} API units spent")
        lines.append(f"  {source}: {state} on the quota day {budget.day} (it ends at midnight Pacific time)")
    return lines


def _collect_sources(config: Config, requested: Sequence[str] | None) -> list[str]:
    """The sources to run: those named with --source (even if disabled), else every enabled one."""
    from hirepulse.config import SOURCE_KEYS

    if requested:
        unknown = [name for name in requested if name not in SOURCE_KEYS]
        if unknown:
            raise InputError("--source", f"unknown source {unknown[0]!r} (known: {', '.join(SOURCE_KEYS)})")
        return list(dict.fromkeys(requested))
    return [name for name in SOURCE_KEYS if config.source(name).enabled]


def _nothing_enabled(config: Config, verb: str, *, folders: bool = False) -> ConfigError:
    """The one line of `collect` (and `schedule`, with ``folders``) when the config leaves it nothing to run:
    an empty table of results and exit 0 read as a collection that ran and found nothing."""
    watched = " and no [[imports]] folder is watched" if folders else ""
    return ConfigError(config.path or "hirepulse.toml", None, f"nothing to {verb}: no source is enabled{watched} "
                                                              "(set enabled = true in a [sources.NAME] table)")


def _require_companies(config: Config) -> None:
    """What collect and schedule need before a request: companies, and none of `hirepulse init`'s placeholders."""
    if not config.companies:
        raise ConfigError(config.path or "hirepulse.toml", None,
                          "no [[companies]] configured: add the companies to collect about (see `hirepulse init`)")
    check_ready_to_collect(config)


def cmd_collect(args: argparse.Namespace, ctx: Context) -> int:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from collectors.run import collect_source
    from hirepulse.scheduler import stop_on_signals

    if args.clear_wait:
        return _clear_waits(ctx, args.clear_wait)
    config = ctx.config
    _require_companies(config)
    names = _collect_sources(config, args.source)
    if not names:
        raise _nothing_enabled(config, "collect")
    salt = config.salt()
    _warn_if_demo(ctx.db_path)
    results = []
    progress = Progress(SpinnerColumn(), TextColumn("{task.description:<14}"), TextColumn("{task.fields[info]}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    # a stop signal is a flag the collection reads at its next page (scheduler.stop_on_signals), not an exception:
    # DuckDB runs Python's signal handlers itself during a statement and could drop the KeyboardInterrupt of one
    # that ended meanwhile, so a Ctrl+C during a page's write let the collection run on to its last page
    signals: list[str] = []
    with progress, stop_on_signals(threading.Event(), signals.append) as stop:
        for name in names:
            task = progress.add_task(name, info="starting")

            def update(_source: str, pages: int, new: int, task: Any = task) -> None:
                progress.update(task, info=f"{_count(pages, 'page')}, {new} new")

            result = collect_source(name, config, ctx.db_path, salt=salt, progress=update, should_stop=stop.is_set)
            progress.update(task, info=f"{result.status}: {_count(result.pages, 'page')}, {result.new} new")
            results.append(result)
            if stop.is_set():   # (the run recorded as stopped, its pages so far kept; no other source started)
                if signals[0] == "SIGINT":
                    raise KeyboardInterrupt   # (said as every command's Ctrl+C is)
                return _signal_exit(signals[0])
    table = Table(title=f"hirepulse collect -> {ctx.db_path}")
    # skipped: mentions fetched again unchanged; fresh: queries not sent because the last answer is
    # still fresh (a feed's refresh hints); deleted: removed here because deleted upstream.
    for column in ("source", "status", "new", "updated", "skipped", "fresh", "deleted", "requests", "KiB", "errors"):
        table.add_column(column, justify="left" if column in ("source", "status", "errors") else "right")
    for r in results:
        table.add_row(r.source, r.status, str(r.new), str(r.updated), str(r.skipped), str(r.not_fetched),
                      str(r.deleted), str(r.requests), f"{r.bytes / 1024:.0f}", "1" if r.status == "error" else "0")
    Console(width=110).print(table)
    for r in results:   # (a host's remembered wait, a spent daily budget: not failures, but said)
        if r.status == "stopped" and r.error:
            print(f"hirepulse: note: {r.source}: {r.error}", file=sys.stderr)
    failed = [r for r in results if r.status == "error"]
    for r in failed:
        _err(f"{r.source}: {r.error}")
    return 1 if failed else 0


def _clear_waits(ctx: Context, hosts: Sequence[str]) -> int:
    """`hirepulse collect --clear-wait HOST`: forget the waits these hosts asked for (a host name, host:port or a
    URL on it), each recorded as a run (kind "clear-wait", the host as its source) that `hirepulse status` lists.

    Raises:
        InputError: a host has no wait remembered (nothing is cleared then).
    """
    from urllib.parse import urlsplit

    from collectors.base import utc_minute
    from hirepulse import db

    def host_of(value: str) -> str:
        return (urlsplit(value).netloc if "://" in value else value).strip().lower()

    _existing_db(ctx, "clear")
    with db.connect(ctx.db_path) as con:
        waits = dict(db.host_waits(con))
        asked = [host_of(value) for value in hosts]
        unknown = [host for host in asked if host not in waits]
        if unknown:
            raise InputError("--clear-wait", f"no wait is remembered for {', '.join(unknown)} (remembered: "
                             f"{', '.join(waits) or 'none'})")
        for host in dict.fromkeys(asked):
            db.clear_not_before(con, host)
            db.record_run(con, host, "clear-wait", status="ok", detail={"until": waits[host].isoformat()})
            log.info("cleared the wait %s asked for (until %s)", host, utc_minute(waits[host]))
            print(f"cleared the wait {host} asked for (until {utc_minute(waits[host])}): the next collection sends "
                  "to it again")
    return 0


def _collect_line(name: str, result: Any) -> str:
    """The scheduler's log line on a collection (a :class:`collectors.run.RunResult`)."""
    return (f"collect {name}: {result.status}, {result.new} new, {_count(result.requests, 'request')}"
            + (f" ({result.error})" if result.error else ""))


def _jobs_line(jobs: Sequence[Any]) -> str:
    """What `hirepulse schedule` says on stderr as it starts."""
    return (f"hirepulse schedule: {_count(len(jobs), 'job')} ({', '.join(j.name for j in jobs)}); stop with SIGTERM or "
            "Ctrl+C")


class _LiveConfig:
    """The config a running scheduler works with: its file read again at the start of a run when it changed
    since the last read (its time, size or inode), so that an edited ``[[companies]]``, an alias or a source's
    options reach the next runs without a restart. A file that cannot be used now (bad TOML, a wrong key, no
    company left, a lexicon_dir that does not read) is one ERROR line, said once per edit, and the runs keep the
    config read before. What sets the jobs up (which sources and folders, their schedules, the salt) is read at
    the start only: a change there is one WARNING line saying a restart applies it.

    ``extra`` is what the jobs need of ``config`` besides (its checked lexicon_dir); ``check`` is run on each
    config read again: it raises :class:`ConfigError` on one the scheduler cannot use, and returns its ``extra``;
    ``plan`` is what a restart would change.
    """

    def __init__(self, config: Config, extra: Any, check: Callable[[Config], Any],
                 plan: Callable[[Config], Any]) -> None:
        import threading

        self._path = Path(config.path) if config.path else None
        self._check, self._plan = check, plan
        self._lock = threading.Lock()
        self._seen = self._stamp()
        self._good = (config, extra)
        self._planned = plan(config)

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._path) if self._path is not None else None
        except OSError:   # (gone, or not readable: read again, which says why)
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino) if st is not None else None

    def current(self) -> tuple[Config, Any]:
        """The config to run with (read again if its file changed) and what ``check`` returned for it."""
        if self._path is None:
            return self._good
        with self._lock:   # (jobs run in threads of their own: one reads the file, the others wait for it)
            stamp = self._stamp()
            if stamp == self._seen:
                return self._good
            self._seen = stamp
            try:
                config = load_config(self._path, required=True)
                extra = self._check(config)
            except Exception as exc:  # noqa: BLE001 - whatever the edit did, the scheduler goes on as it was
                said = str(exc) if isinstance(exc, HirepulseError) else f"{type(exc).__name__}: {exc}"
                log.error("config: %s changed but cannot be used, so the runs keep the config read before until it "
                          "is fixed: %s", self._path, " ".join(said.split()))
                return self._good
            self._good = (config, extra)
            log.info("config: %s changed: read again, for this run and the next ones", self._path)
            if self._plan(config) != self._planned:
                log.warning("config: the jobs or their schedules changed (sources, watched folders, reports, "
                            "retention or the salt's variable): restart `hirepulse schedule` to apply them")
            return self._good


def _job_plan(config: Config, requested: Sequence[str] | None) -> tuple:
    """What sets the scheduler's jobs up, and only a restart changes: the sources run and their schedules, the
    watched folders and theirs, the reports' schedule, whether the purge runs, the salt's variable."""
    return ([(name, config.source(name).schedule) for name in _collect_sources(config, requested)],
            [(str(entry.folder), entry.schedule) for entry in config.imports],
            config.reports.schedule, bool(config.privacy.retention_days), config.privacy.salt_env)


def _schedule_jobs(config: Config, db_path: Path, names: Sequence[str], *, salt: str,
                   requested: Sequence[str] | None = None) -> list[Any]:
    """The scheduler's jobs: collect + analyse per source, import + analyse per watched folder, reports, retention
    purge. Each run works with the config as its file says at the run's start (:class:`_LiveConfig`); ``requested``:
    the sources named with --source (None: every one enabled)."""
    import threading
    from datetime import timezone

    from collectors.run import DB_LOCK, collect_source
    from hirepulse import db
    from hirepulse.scheduler import PURGE_CRON, Job

    def check(config: Config) -> Path | None:
        _require_companies(config)   # (as at the start: a config of no company would take every post's away)
        return _lexicon_dir(config)

    # (the lexicon_dir checked before the first job, not in the middle of one)
    live = _LiveConfig(config, _lexicon_dir(config), check, lambda config: _job_plan(config, requested))
    analysis_lock = threading.Lock()

    def analyze(config: Config, lexicon_dir: Path | None, should_stop: Callable[[], bool] | None = None) -> bool:
        """Analyse what is pending; False when skipped, as another process analyses the database."""
        from analysis.pipeline import analyze_pending

        with analysis_lock:   # (the scheduler runs unattended, its log perhaps a file: lines, not a bar)
            try:
                stats = analyze_pending(db_path, companies=config.company_specs(), lexicon_dir=lexicon_dir,
                                        should_stop=should_stop, wait=lambda _holder: False,
                                        progress=_progress_lines(log.info, "analysis", "analysed"))
            except db.LockHeld as exc:   # (its run analyses what this one would: waiting would hold up the job)
                log.info("analysis skipped: an analysis is already running (%s) on %s, which analyses these posts",
                         exc.holder, db_path)
                return False
        log.info("%s", _analysed_line(stats))
        return True

    def analysed(store: Callable[[Config, Callable[[], bool]], tuple[bool, str | None]],
                 ) -> Callable[[Callable[[], bool]], str | None]:
        """A job that runs ``store`` (which says whether it stored anything, and what failed), then analyses what
        it stored. An earlier run may have stored posts and ended (a busy database) before analysing them: the
        next run (its retry) analyses even when it stores nothing."""
        unread = False

        def run(should_stop: Callable[[], bool]) -> str | None:
            nonlocal unread
            config, lexicon_dir = live.current()
            left, unread = unread, True   # (True until this run's analysis is done: the retry then analyses)
            stored, problem = store(config, should_stop)
            # (skipped for another process's analysis, which may have counted its work before these were stored:
            # the job's next run analyses them, if no other analysis has by then)
            unread = bool(stored or left) and not analyze(config, lexicon_dir, should_stop)
            return problem
        return run

    def collect_job(name: str) -> Callable[[Callable[[], bool]], str | None]:
        def collect(config: Config, should_stop: Callable[[], bool]) -> tuple[bool, str | None]:
            result = collect_source(name, config, db_path, salt=salt, should_stop=should_stop)
            (log.warning if result.status == "error" else log.info)("%s", _collect_line(name, result))
            return bool(result.new or result.updated), f"error: {result.error}" if result.status == "error" else None
        return analysed(collect)

    def report(should_stop: Callable[[], bool]) -> None:
        from analysis.metrics import Filters
        from analysis.reports import write_reports

        config, lexicon_dir = live.current()
        out = Path(config.reports.out_dir) / datetime.now(timezone.utc).date().isoformat()
        company = config.reports.company
        analyze(config, lexicon_dir, should_stop)   # what a cron import, or a run stopped mid-way, left unread too
        if should_stop():
            return
        with _report_run(db_path, out, config, alert=True, what="the scheduled report"), DB_LOCK, \
                db.connect(db_path, read_only=True) as con, _folders_made_for(out):
            written = write_reports(con, out, Filters(companies=(company,) if company else ()))
        log.info("wrote reports to %s: %s", out, written.counts)
        # a spike is warned of (and posted) once: the runs after say it at INFO, until it doubles
        news, flags, state = _spike_report(db_path, written, out)
        for line, new in zip(news, flags):
            if new:
                log.warning("report: %s", line.strip())
            else:
                log.info("report: %s%s", line.strip(), " (said before)" if state is not None and line is not news[0]
                         else "")
        if _tell_spikes(config, db_path, written, news, flags, state, log_is_told=True) is None and state is not None:
            log.info("report: alert not sent: the same spikes were posted before")

    def purge(should_stop: Callable[[], bool]) -> None:
        config, _ = live.current()
        days = config.privacy.retention_days
        if not days:   # (taken out of the config since the start: the restart it asks for ends this job)
            log.info("purge: [privacy] retention_days is no longer set: nothing purged")
            return
        with DB_LOCK:
            with db.connect(db_path) as con:
                count, errors = db.purge(con, days)
            log.info("purged %s older than %s (and the error text of %s)", _mentions(count), _count(days, "day"),
                     _count(errors, "run"))
            # only when something was deleted (now, or by a run whose rewrite failed): the daily purge of a large
            # file that deletes nothing costs one open; collections wait on DB_LOCK meanwhile
            rewrite = db.ensure_erased(db_path, should_stop=should_stop)
        if rewrite is not None:
            log.info("rewrote %s in %.0fs so that nothing deleted survives in it (%.1f MB, was %.1f MB)", db_path,
                     rewrite.seconds, rewrite.after / 1e6, rewrite.before / 1e6)

    def import_job(started: ImportFolder) -> Callable[[Callable[[], bool]], str | None]:
        def read_folder(config: Config, should_stop: Callable[[], bool]) -> tuple[bool, str | None]:
            from collectors.imports import import_folder

            # the folder's table as the config says now (its map, stages, ...); the one read at the start if the
            # table is gone (the restart that drops the job is said to be due)
            entry = next((e for e in config.imports if e.folder == started.folder), started)
            with DB_LOCK:
                read = import_folder(db_path, entry, salt=salt, aliases=config.alias_map(), should_stop=should_stop,
                                     retention_days=config.privacy.retention_days)
            for line in _folder_lines(entry.folder, read):
                log.info("import: %s", line.strip())
            for line in _folder_warnings(read, config.privacy.retention_days):
                log.warning("import: %s", line)
            refused = _refused(read)
            for line in refused:
                log.warning("import: refused: %s", line)
            still = _refused(read, still=True)   # (each read names them again; the alert went with the first)
            for line in still:
                log.warning("import: still refused: %s", line)
            if refused:
                _alert(config, _refused_news(entry.folder, refused))
            problems = [f"{len(files)} file{'s' if len(files) != 1 else ''} {what}"
                        for files, what in ((refused, "refused"), (still, "still refused")) if files]
            return bool(read.imported), "; ".join(problems) or None
        return analysed(read_folder)

    jobs = [Job(f"collect:{name}", config.source(name).schedule, collect_job(name)) for name in names]
    jobs += [Job(f"import:{entry.folder.name}", entry.schedule, import_job(entry)) for entry in config.imports]
    if config.reports.schedule:
        jobs.append(Job("report", config.reports.schedule, report))
    if config.privacy.retention_days:
        jobs.append(Job("purge", PURGE_CRON, purge))
    return jobs


def cmd_schedule(args: argparse.Namespace, ctx: Context) -> int:
    from hirepulse.scheduler import run_forever, run_once

    config = ctx.config
    _require_companies(config)
    salt = config.salt()
    names = _collect_sources(config, args.source)
    if args.every is not None and args.every <= 0:
        raise InputError("--every", "SECONDS must be positive")
    jobs = _schedule_jobs(config, ctx.db_path, names, salt=salt, requested=args.source)
    if not jobs:
        raise _nothing_enabled(config, "schedule", folders=True)
    _refuse_another_salt(ctx.db_path, config, salt, busy_ok=True)   # (as `hirepulse salt` checks it: refused now, not every run)
    with _one_scheduler(ctx.db_path):
        if args.once:
            received: list[str] = []
            outcome = run_once(jobs, said=received.append)
            for name, error in outcome.items():
                stopped = received and name == list(outcome)[-1]   # (the job the signal stopped)
                print(f"{name}: {'stopped' if stopped else 'ok' if error is None else error}")
            if received:   # (its run recorded as stopped, as the long-running scheduler records it)
                left = len(jobs) - len(outcome)
                print(f"hirepulse: {received[0]}: stopped: {list(outcome)[-1] if outcome else 'no job'} recorded as "
                      "stopped" + (f", {_count(left, 'job')} not run" if left else ""), file=sys.stderr)
                return _signal_exit(received[0])
            return 0 if all(e is None for e in outcome.values()) else 1
        logging.getLogger("hirepulse").setLevel(logging.INFO)
        logging.getLogger("collectors").setLevel(logging.INFO)
        print(_jobs_line(jobs), file=sys.stderr, flush=True)
        _warn_if_no_webhook(config)
        return run_forever(jobs, every=args.every)


@contextlib.contextmanager
def _one_scheduler(db_path: Path) -> Iterator[None]:
    """One `hirepulse schedule` per database: two would run every job twice, past each source's pacing, and post
    each alert twice. An advisory lock on a file beside the database (:func:`hirepulse.db.process_lock`), named
    after the file itself, so a symlink or another spelling of its path meets the same lock; released when the
    process ends however it ends (where the system has no flock, nothing is locked).

    Raises:
        InputError: another scheduler holds the lock (its process id named).
    """
    from hirepulse import db

    path = db.lock_path(db_path, db.SCHEDULE_LOCK_SUFFIX)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:   # (the database's own open says why)
        pass
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(db.process_lock(path))
        except db.LockHeld as exc:
            raise InputError("--db", f"another `hirepulse schedule` (process {exc.holder.pid}) already runs on "
                                     f"{db_path}; stop it first, or give this one another --db") from None
        yield


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    from collectors.authors import FORMS   # (light: no DuckDB, no HTTP)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"DuckDB file (default: ${DB_ENV}, else {DEFAULT_DB_PATH})")
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"config file (default: ${CONFIG_ENV}, else hirepulse.toml here)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log progress details")

    parser = _Parser(
        prog="hirepulse",
        description="Watch how job candidates talk about an employer's hiring process in public, by hiring "
                    "stage, next to how the brand is perceived.",
        parents=[common],
        epilog="Run `hirepulse VERB --help` for each verb. Start with `hirepulse demo` or `hirepulse init`.",
    )
    parser.add_argument("--version", action="version", version=f"hirepulse {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)

    def verb(name: str, func: Callable[..., int], help_: str, description: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, parents=[common], help=help_, description=description)
        sub.set_defaults(func=func)
        return sub

    p = verb("init", cmd_init, "write a commented starter config",
             "Write a commented starter hirepulse.toml (to --config, $HIREPULSE_CONFIG or ./hirepulse.toml).")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = verb("import", cmd_import, "import the employer's own exports (CSV, JSON, Excel)",
             "Import review-site exports, candidate-survey exports or any CSV, JSON lines, JSON or Excel (.xlsx: "
             "the first sheet) file. "
             "CSV cells may be separated by commas, semicolons (European Excel, with or without its sep= "
             "line), tabs (.tsv) or pipes: the header line tells which. "
             "Fields: text and published_at (required), url, company, author, stage, rating, id, title. "
             "Columns named like a field (or a common synonym such as date, body, score) are used as is; "
             "map others with --map COLUMN=FIELD (several columns mapped to text, such as a review's Pros and "
             "Cons, are joined, each under its name); the import names the columns it left out. One transaction "
             "per file: a bad row stores nothing "
             "and names the row and column. Re-importing a file adds nothing. Run `hirepulse analyze` after.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="file(s) to import; with none, the new files of the config's [[imports]] folders, each with "
                        "its table's options (as `hirepulse schedule` reads them)")
    p.add_argument("--format", choices=("csv", "jsonl", "json", "xlsx"),
                   help="file format (default: from the file extension; .tsv reads as csv, .json as an array of "
                        "records or an object holding one, .xlsx as an Excel workbook's first sheet). A JSON "
                        "record's nested fields are named with dots: --map author.name=author")
    p.add_argument("--company", metavar="NAME", help="company for rows without a company column or value")
    p.add_argument("--stage", metavar="STAGE",
                   help="hiring stage for rows without a stage column or value, e.g. interview for an export of "
                        "interview reviews: such a row is read as a candidate's account of that stage even where "
                        "its words do not say so (" + ", ".join(STAGE_NAMES) + ")")
    p.add_argument("--stage-values", metavar="VALUE=STAGE", nargs="+", action="append",
                   help="the stage that each of the file's own step names means, where a stage column holds an "
                        "applicant-tracking system's steps: --stage-values 'Hiring Manager Review=screening' "
                        "'Take-home=interview'. The stage names, common synonyms and the usual tracking-system "
                        "steps (Application Review, Phone Screen, Face to Face, No Offer, ...) need none; any "
                        "other value stops the import, naming its row")
    p.add_argument("--rating-scale", metavar="N", type=_rating_scale,
                   help="what the file's ratings are out of: 5 for stars, 10 for a 0-10 survey. With it a row's "
                        "rating is read as the reviewer's own score and decides the sign of its sentiment (below "
                        "half negative, 3.5 of 5 and up positive, between them neutral), as a rating written in "
                        "the text does; a rating outside 0-N stops the import. Without it ratings are stored, "
                        "not read (a label after the number, as in '4 - Good', is passed over). A rating that "
                        "names its scale is always read: a verdict word (Positive, Neutral, Negative, as a site's "
                        "'Interview experience'), as 3, 2 or 1 out of 3; '4/5', '8 out of 10'; star glyphs")
    p.add_argument("--rating-words", metavar="WORDS", type=_rating_words,
                   help="the words of the file's rating scale, lowest first, separated by commas, for a survey "
                        "tool's export that writes the answer's words: 'Very dissatisfied,Dissatisfied,Neutral,"
                        "Satisfied,Very satisfied' or 'Poor,Fair,Good,Very good,Excellent'. Each word is read as "
                        "stars, the lowest 1 and the highest 5 (the middle word of five is 3, neutral); any case. "
                        "A word not named stops the import")
    p.add_argument("--source", metavar="LABEL", default="import", type=_source_label,
                   help="source label stored with each row, e.g. reviews, survey: lowercase letters, digits, - or _ "
                        "(default: import)")
    p.add_argument("--map", metavar="COLUMN=FIELD", nargs="+", action="append",
                   help="map a file column to a hirepulse field, e.g. --map review_body=text submitted=published_at; "
                        "the text may take several columns: --map Pros=text Cons=text")
    p.add_argument("--encoding", metavar="NAME", type=_encoding,
                   help="a text file's encoding when it is not UTF-8: cp1252 for a CSV that Excel saved on Windows "
                        "(\"CSV (Comma delimited)\"), latin-1, ... (default: UTF-8; UTF-16 with its byte-order mark, "
                        "Excel's \"Unicode Text\", is read without it)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet of an Excel workbook to read (default: the first)")
    p.add_argument("--skip-rows", metavar="N", type=_rows_arg, default=0,
                   help="leave out the first N rows below the header: a survey tool's extra header rows (Qualtrics "
                        "writes 2, the question texts and an ImportId row; SurveyMonkey 1) (default: 0)")
    p.add_argument("--alert", action="store_true",
                   help="with no file named (a cron run of the watched folders): post the refused files to the team's "
                        "webhook ([alerts] webhook_env), as `hirepulse schedule` does")
    p.add_argument("--check", action="store_true",
                   help="read and validate the files as the import would, and show which column feeds each field "
                        "(with the dates, stages and companies found) and which columns are left out; store "
                        "nothing. For trying a --map on a new export")
    p.add_argument("--date-format", metavar="FORMAT", type=_date_format,
                   help="how the file writes its dates, as Python strptime codes, for exports that do not use ISO "
                        "8601: '%%d.%%m.%%Y' (31.12.2025), '%%m/%%d/%%Y' (12/31/2025), '%%Y%%m%%d' (20251231). "
                        "Dates without a time zone are read as UTC (default: ISO 8601, YYYY/MM/DD, a date with its "
                        "month in English words such as 'Dec 31, 2025' or '31 December 2025', or Unix seconds)")

    p = verb("analyze", cmd_analyze, "score new and outdated mentions",
             "Score every mention not yet analysed, analysed by an older analyzer version, or changed since: "
             "sentiment, hiring stages, themes, companies and the consumer link. When the config's [[companies]] "
             "changed since the stored mentions were analysed (a company or alias added, removed or edited), the "
             "mentions whose words hold such a name have their companies read again (nothing else in their "
             "reading depends on them); the others are left as they are. With no config file, the companies the "
             "stored mentions were analysed with are kept.")
    p.add_argument("--batch-size", type=_count_arg, default=4000, help="mentions per batch (default: 4000)")

    p = verb("classify", cmd_classify, "classify JSON lines from stdin (no database)",
             'Read JSON lines {"id", "text"} on stdin and write one JSON line per input on stdout with id, '
             "is_candidate_experience, stages, stage_sentiment, sentiment, themes, consumer_link, companies. "
             "Company names come from the config when there is one. No database is used. The input is checked "
             "whole first: a bad line is named (\"line N: ...; nothing written\", exit 1) and nothing is written.")
    p.add_argument("--batch-size", type=_count_arg, default=10_000, help="texts scored at a time (default: 10000)")
    p.add_argument("--confidence", action="store_true",
                   help="also write sentiment_confidence: how sure the tone reading is, 0 to 1 (sure from 0.9; "
                        "on real posts such readings are right about three times in four, the rest about half "
                        "the time)")
    p.add_argument("--rating-scale", metavar="N", type=_rating_scale,
                   help='read each line\'s optional "rating" (a number from 0 to N, or null) as the writer\'s own '
                        "score, as `import --rating-scale` does: it decides the sign of the sentiment. Without it "
                        "a number in the input is ignored. A rating text that names its scale is always read: a "
                        "verdict word (\"Positive\", \"Neutral\", \"Negative\", a review site's verdict on the "
                        "interview), as 3, 2 or 1 of 3; \"4/5\"; star glyphs")
    p.add_argument("--rating-words", metavar="WORDS", type=_rating_words,
                   help="read a rating given in words of this scale, lowest first, separated by commas ('Poor,Fair,"
                        "Good,Very good,Excellent'), as `import --rating-words` does: the lowest word as 1 star, "
                        "the highest as 5. A text rating not among them stops the run")

    p = verb("adapt", cmd_adapt, "retrain the learned readings with your own labelled posts",
             "Retrain the five learned readings (candidate experience, stages, consumer link, tone, themes) on "
             "the shipped synthetic training texts plus your own labelled posts, and write a complete lexicon "
             "folder; set [analysis] lexicon_dir to it. FILE holds JSON lines {\"id\", \"text\", \"sentiment\" "
             "(negative|neutral|positive), \"is_candidate_experience\", \"stages\" (of application, screening, "
             "interview, offer, rejection, onboarding; [] when not a candidate experience), \"consumer_link\"}, at "
             "least 50 of them. Without --labelled, the posts labelled in the dashboard's \"Label posts\" view "
             "(stored in --db) are used. On real posts, about 370 labelled posts cut negatives read as positive "
             "by a quarter (analysis/README.md). The posts are learned from, not copied. Needs the source "
             "checkout and scikit-learn (pip install -e '.[train]'); takes about a minute.")
    p.add_argument("--labelled", metavar="FILE",
                   help="your labelled posts (JSON lines); default: the labels saved in the database (--db)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder to write (replaced only if an earlier `hirepulse adapt` wrote it)")

    p = verb("labels", cmd_labels_count, "count or export the posts labelled in the dashboard",
             "The labels saved in the dashboard's \"Label posts\" view (a person's reading of a post: first-hand "
             "candidate experience or not, tone, hiring stages, tied to being a customer). `hirepulse labels "
             "count` (the default) counts them; `hirepulse labels export --out FILE` writes them as the JSON lines "
             "`hirepulse adapt --labelled` reads. `hirepulse adapt` without --labelled reads them from the database.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    sub = actions.add_parser("count", parents=[common], help="count the labels per tone, candidate experience and link",
                             description="Count the posts labelled in the dashboard's \"Label posts\" view: per "
                                         "tone, candidate experiences (and their stages), posts tied to being a "
                                         "customer, and how many more `hirepulse adapt` needs. Once the analyzer has "
                                         "read 20 of them: how often its stored readings agree with them (after "
                                         "`hirepulse adapt` from the database, on the posts labelled since).")
    sub.set_defaults(func=cmd_labels_count)
    sub = actions.add_parser("export", parents=[common], help="write the labels as JSON lines for `hirepulse adapt`",
                             description="Write every post labelled in the dashboard's \"Label posts\" view as one JSON line {\"id\", \"text\", \"sentiment\", "
                                         "\"is_candidate_experience\", \"stages\", \"consumer_link\"}: the format "
                                         "`hirepulse adapt --labelled` reads. The text is the stored post (contact "
                                         "details already redacted) with its title, as `hirepulse analyze` reads it; "
                                         "no author. Written whole or not at all; with no labels, nothing is written.")
    sub.add_argument("--out", required=True, metavar="FILE", help="the JSON-lines file to write (replaced if it exists)")
    sub.set_defaults(func=cmd_labels_export)

    p = verb("report", cmd_report, "write CSV reports",
             "Write mentions.csv, stage_summary.csv, weekly_trend.csv, themes.csv, spikes.csv (the weeks the "
             "Trends view marks as spikes) and summary.md (the Overview's what-changed sentences per company, over "
             "--since/--until or the last 13 weeks) into a folder, and print the spikes of the last three weeks of "
             "the period. Mentions not yet analysed are analysed first (as the scheduled report does), unless "
             "--no-analyze. "
             "Text that a spreadsheet would run as a formula is neutralised with a leading apostrophe. Every "
             "column of every file is described in docs/reports.md.")
    p.add_argument("--out", metavar="DIR", help="output folder (default: [reports] out_dir, else ./reports)")
    p.add_argument("--company", metavar="NAME", help="only this company")
    p.add_argument("--since", type=_date_arg, metavar="DATE", help="first day to include (YYYY-MM-DD)")
    p.add_argument("--until", type=_date_arg, metavar="DATE", help="last day to include (YYYY-MM-DD)")
    p.add_argument("--alert", action="store_true",
                   help="also post the newest spikes, when there are any, to the team's webhook ([alerts] "
                        "webhook_env), as the scheduled report does: for a cron run of `report`; a report that "
                        "fails is posted too")
    p.add_argument("--no-analyze", action="store_true",
                   help="report on the mentions as analysed now: do not analyse the pending ones first")

    p = verb("demo", cmd_demo, "import and analyse the bundled synthetic sample, then serve the dashboard",
             "Run the bundled synthetic sample (data/sample) through the real import and analysis into the "
             "database, print a summary, then serve the dashboard with `streamlit run app.py`.")
    p.add_argument("--no-app", action="store_true", help="stop after the summary")
    p.add_argument("--port", type=int, default=DEMO_PORT, help=f"dashboard port (default: {DEMO_PORT})")

    p = verb("forget", cmd_forget, "erase everything stored from one author, or named posts",
             "Delete every mention (and its analysis, and any label the team gave it) by an author, given the "
             "handle as the source shows it, or several forms of it at once (an e-mail address and a name, a "
             "handle and a DID). Handles are stored only as salted hashes; the same salt must be set as when they "
             "were stored. A form that may mean more than one stored account (a bare name on two instances or "
             "sources, a user id on two sites) erases nothing: the accounts are listed, to be named by a fuller "
             "form, --source, or --all-matches; a Bluesky handle that moved means the account holding it now. An "
             "erasure request that names posts rather than their author takes --url (any of a post's addresses) or "
             "--id instead. What is named is remembered (by salted keys: of the author, of the ids and URLs of the "
             "posts erased, and of the words of each erased post of at least 8 words), so later imports and "
             "collections do not store it again, even under a changed handle. When anything was deleted, the "
             "database file is then rewritten so that no trace of it is left in the file.")
    p.epilog = "--author takes, per source: " + "; ".join(f"{s}: {f}" for s, f in FORMS.items()) + "."
    who = p.add_mutually_exclusive_group(required=True)
    # (action="extend": a repeated flag adds to the values before it; argparse's default would keep only the last
    # and erase less than was asked, saying nothing)
    who.add_argument("--author", metavar="HANDLE", nargs="+", action="extend",
                     help="the author's handle (or several forms of it; the flag may be repeated)")
    who.add_argument("--url", metavar="URL", nargs="+", action="extend",
                     help="the posts' addresses, as the source links them (a closing slash does not matter; the flag "
                          "may be repeated)")
    who.add_argument("--id", metavar="ID", nargs="+", action="extend",
                     help="the mentions' ids, as mentions.csv gives them (the flag may be repeated)")
    p.add_argument("--source", metavar="SOURCE", nargs="+", action="extend",
                   help="with --author: only the accounts stored by these sources (mastodon, hackernews, an import's "
                        "label, ...), where a name is another person's on another source")
    p.add_argument("--all-matches", action="store_true",
                   help="with --author: erase every account a form may mean (a bare name on two instances or "
                        "sources, a user id on two sites); without it such a request erases nothing and lists them")

    p = verb("purge", cmd_purge, "delete mentions older than the retention period",
             "Delete mentions older than DAYS days, with their analysis. A mention's age counts from its date, or "
             "from when it was first stored if that is earlier (a post dated in the future). When anything was "
             "deleted, the database file is then rewritten so that no trace of it is left in the file.")
    p.add_argument("--older-than", type=int, metavar="DAYS",
                   help="age limit in days (default: [privacy] retention_days)")

    verb("redact", cmd_redact, "apply today's redaction to what older versions stored",
         "Replace the e-mail addresses, phone numbers and public IP addresses (by [email], [phone] and [ip]) that "
         "an older version's redaction missed in the stored posts' texts and titles, and redact the error text of "
         "old runs (stored unredacted before). Changed posts keep their labels and come back to `hirepulse "
         "analyze`. The values of the credentials the config names (its *_env variables, as set now) are taken out "
         "of old runs' errors too. When anything changed, the database file is then rewritten so that no trace of "
         "the old text is left in it. Run it once after upgrading.")

    p = verb("salt", cmd_salt, "check the privacy salt against the database's, or drop its check",
             "Every key hirepulse stores is made with the privacy salt (the environment variable [privacy] "
             "salt_env names, HIREPULSE_SALT by default): authors, made ids, erasures. The database keeps a keyed "
             "check of the salt that first stored in it (never the salt) and refuses to store or erase under "
             "another, since under another salt an erased author's posts would be stored again. Without options: "
             "say whether the salt set now is that one (exit 1 when it is not), for instance before scheduling "
             "jobs on a new machine. --drop-check forgets the check, for a database written before versions kept "
             "one, whose first run after the upgrade had a wrong salt: the next run that stores records its salt.")
    p.add_argument("--drop-check", action="store_true",
                   help="forget the recorded check; what was stored under the old salt keeps its keys")

    verb("status", cmd_status, "show what is stored and the latest runs",
         "Show the mentions stored and analysed, the analyzer in use, whether the privacy salt set is the "
         "database's, how many mentions wait for `hirepulse analyze` (or how far an analysis running now has "
         "come), each source's daily API budget, the watched import folders and the files they refused, where "
         "alerts go, and the ten latest runs (new posts for a collection or import, deletions for forget and "
         "purge).")

    p = verb("collect", cmd_collect, "collect new mentions from the configured public sources",
             "Fetch what is new since the last run from each enabled source (or those named with --source): "
             "Hacker News, Mastodon, Stack Exchange, feeds, web pages, GDELT, and Reddit and Bluesky when "
             "enabled with credentials. Polite (robots.txt, rate limits) and incremental. A failing source "
             "is recorded and reported; the others still run. Exit 1 if any source failed, or if no source is "
             "enabled.")
    p.add_argument("--source", metavar="NAME", action="append", help="only this source (repeatable)")
    p.add_argument("--clear-wait", metavar="HOST", action="append",
                   help="collect nothing; forget the wait HOST (host, host:port or a URL on it) asked for with a "
                        "429 or 503 and Retry-After, so the next collection sends to it again (repeatable). "
                        "`hirepulse status` lists the waits; each clearing is recorded in the runs it lists. A run "
                        "that sends nothing because of such a wait is not a failure: it ends 'stopped' with a "
                        "'waiting: ... until <UTC time>' note and exit 0; the run the host first said it in exits 1")

    p = verb("schedule", cmd_schedule, "run collection, analysis, reports and purge on their schedules",
             "Run each enabled source on its cron schedule ([sources.NAME] schedule, UTC), analyse after "
             "each collection, write reports on [reports] schedule into OUT_DIR/YYYY-MM-DD and purge old "
             "mentions daily when [privacy] retention_days is set. Each run reads the config file again if it "
             "changed (an edit that cannot be used is logged, and the config read before kept); the sources, "
             "folders and schedules are those of the start. Stops cleanly on SIGTERM or Ctrl+C.")
    p.add_argument("--source", metavar="NAME", action="append", help="only this source (repeatable)")
    p.add_argument("--once", action="store_true", help="run every job once now, then exit")
    p.add_argument("--every", type=float, metavar="SECONDS",
                   help="ignore the cron schedules and run every job every SECONDS (testing, demos)")

    return parser


def _announcing_new_database(verb: Callable[..., int]) -> contextlib.AbstractContextManager[Any]:
    """For the verbs that store what they read (collect, import, schedule), one line on stderr when they create the
    database file, with its absolute path: the default (data/hirepulse.duckdb) is relative to the working folder,
    so a cron job that did not `cd` silently made a second database wherever it ran."""
    if verb not in (cmd_collect, cmd_import, cmd_schedule):
        return contextlib.nullcontext()   # (and DuckDB is not imported for a verb that needs no database)
    from hirepulse import db

    return db.announcing_new_databases(
        lambda path: print(f"hirepulse: creating a new database at {path}", file=sys.stderr, flush=True))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with _announcing_new_database(args.func):
            return args.func(args, Context(args))
    except HirepulseError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt as exc:   # (its notes say what it left undone: a rewrite's copy that stayed)
        _err("; ".join(["interrupted", *getattr(exc, "__notes__", ())]))
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system said no: a file where a folder should be, no permission, a full disk
        _err(os_error_line(exc))
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
