"""Load and validate ``hirepulse.toml``.

The file has eight kinds of tables::

    [collect]             contact for the User-Agent, hiring query terms, look-back
    [[companies]]         name, aliases, competitors (one table per company)
    [sources.<name>]      enabled, base_url, schedule (cron), plus the source's own keys
    [privacy]             salt_env (the environment variable holding the salt), retention_days
    [[imports]]           folder, pattern, schedule, and `hirepulse import`'s options (a watched folder of exports)
    [reports]             out_dir, schedule (cron), company
    [alerts]              webhook_env (the environment variable holding a chat webhook's URL)
    [analysis]            lexicon_dir (a folder `hirepulse adapt` wrote: readings learned from your own posts)

Every problem (malformed TOML, unknown key, wrong type, missing value) raises
:class:`~hirepulse.errors.ConfigError` naming the file, the line and the key.
Secrets never live in the file: keys ending in ``_env`` name environment variables, and a value that is no
variable's name (a token or URL pasted in its place) is refused without being repeated.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from hirepulse.errors import ConfigError
from hirepulse.privacy import short_salt_warning

log = logging.getLogger(__name__)

CONFIG_ENV = "HIREPULSE_CONFIG"
DEFAULT_CONFIG_NAME = "hirepulse.toml"
# The database's place is resolved here, beside the config's, so that a verb which needs no database
# (``classify``, ``--help``) does not import DuckDB.
DB_ENV = "HIREPULSE_DB"
DEFAULT_DB_PATH = Path("data") / "hirepulse.duckdb"
DEFAULT_SALT_ENV = "HIREPULSE_SALT"
_SHORT_SALTS_SAID: set[tuple[str, str]] = set()   # (variable, salt) pairs Config.salt has warned of being short
MAX_RETENTION_DAYS = 36_500   # 100 years: far beyond any policy, and far inside the dates Python and DuckDB hold
DEFAULT_HIRING_TERMS = (
    "hiring", "interview", "recruiter", "applied", "application", "job offer",
    "onboarding", "candidate", "rejected", "ghosted",
)

# Keys every [sources.<name>] table accepts, with (type, default).
COMMON_SOURCE_KEYS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "enabled": (bool, True),
    "base_url": (str, None),
    "schedule": (str, "0 */6 * * *"),
    "queries": (list, None),  # extra free-text queries besides the generated ones
    "max_pages": (int, 20),
    "lookback_hours": (int, 2),
}

# Source-specific keys. ``enabled`` defaults are overridden where a source needs
# credentials or approval first. Keys ending in ``_env`` name environment variables.
SOURCE_KEYS: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {
    "hackernews": {
        "base_url": (str, "https://hn.algolia.com"),
        "tags": (list, ["story", "comment"]),
        "hits_per_page": (int, 100),
        "min_interval_seconds": ((int, float), 0.36),   # 10,000 requests/hour per IP
    },
    "mastodon": {
        "base_url": (str, None),
        "instances": (list, ["https://mastodon.social"]),
        "hashtags": (list, ["hiring", "jobsearch", "recruiting", "interview"]),
        "token_env": (str, "MASTODON_TOKEN"),
        "min_interval_seconds": ((int, float), 1.0),    # 300 requests/5 minutes per IP
        "recheck_days": (int, 7),                       # one request per status: keep the window short
        "recheck_max_age_days": (int, 14),
    },
    "stackexchange": {
        "base_url": (str, "https://api.stackexchange.com"),
        "site": (str, "workplace"),
        "key_env": (str, "STACKEXCHANGE_KEY"),
        "min_interval_seconds": ((int, float), 0.5),    # far below the 30/second ban threshold
    },
    "feeds": {
        "urls": (list, []),
        "min_interval_seconds": ((int, float), 1.0),    # per host
        "max_fresh_hours": ((int, float), 24.0),        # longest a feed's refresh hints may defer a fetch; 0: off
    },
    "web": {
        "urls": (list, []),
        "min_interval_seconds": ((int, float), 2.0),    # per host; robots.txt Crawl-delay can raise it
        "max_fresh_hours": ((int, float), 24.0),        # longest a page's Cache-Control may defer a fetch; 0: off
    },
    "gdelt": {
        "base_url": (str, "https://api.gdeltproject.org"),
        "min_interval_seconds": ((int, float), 5),
    },
    "reddit": {
        "enabled": (bool, False),
        "base_url": (str, "https://oauth.reddit.com"),
        "auth_url": (str, "https://www.reddit.com"),
        "subreddits": (list, ["cscareerquestions", "recruitinghell", "jobs"]),
        "client_id_env": (str, "REDDIT_CLIENT_ID"),
        "client_secret_env": (str, "REDDIT_CLIENT_SECRET"),
        "username": (str, None),
        "recheck_days": (int, 7),                       # deletion re-checks: how often (0: never)
        "recheck_max_age_days": (int, 30),              # and for mentions published how recently
        "comments": (bool, False),                      # also read the comments of matching posts
    },
    "bluesky": {
        "enabled": (bool, False),
        "base_url": (str, "https://bsky.social"),
        "handle_env": (str, "BLUESKY_HANDLE"),
        "app_password_env": (str, "BLUESKY_APP_PASSWORD"),
        "recheck_days": (int, 7),
        "recheck_max_age_days": (int, 30),
    },
    "youtube": {
        "enabled": (bool, False),
        "base_url": (str, "https://www.googleapis.com"),
        "key_env": (str, "YOUTUBE_API_KEY"),
        "video_ids": (dict, {}),                        # company -> videos whose comments are read
        "channel_ids": (dict, {}),                      # company -> channels: comments on all their videos
        "daily_units": (int, 2000),                     # our share of the project's 10,000 units a day
        "min_interval_seconds": ((int, float), 1.0),
        "recheck_days": (int, 7),                       # YouTube limits how long API data is kept unrefreshed
        "recheck_max_age_days": (int, 0),               # 0: every stored comment (the limit runs from storing)
    },
}
# ``dict`` keys above map a company (name, alias or competitor) to a list of the source's ids.
_ID = re.compile(r"^[A-Za-z0-9_-]+$")

# The range of every number in [collect] and [sources.<name>] (key: (lowest, highest, unit)); the others are checked
# where they are read ([privacy] retention_days, [[imports]] skip_rows and rating_scale). A number outside stopped
# or emptied collection: a negative timeout was a traceback, 0 failed every source, max_pages = 0 fetched nothing.
NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    "timeout_seconds": (1, 600, " seconds"),
    "max_pages": (1, 100_000, ""),
    "lookback_hours": (0, 720, " hours"),              # how far before the newest post each run looks again
    "hits_per_page": (1, 1000, ""),                    # Algolia's most
    "min_interval_seconds": (0, 3600, " seconds"),
    "max_fresh_hours": (0, 720, " hours"),
    "recheck_days": (0, 365, " days"),
    "recheck_max_age_days": (0, MAX_RETENTION_DAYS, " days"),
    "daily_units": (1, 10_000, ""),                    # the YouTube project's whole quota
}

_TOP_LEVEL = ("collect", "companies", "sources", "imports", "privacy", "reports", "alerts", "analysis")
_COLLECT_KEYS = {
    "contact": (str, None),
    "hiring_terms": (list, list(DEFAULT_HIRING_TERMS)),
    "timeout_seconds": ((int, float), 20),
}
_COMPANY_KEYS = {"name": (str, None), "aliases": (list, []), "competitors": (list, [])}
_PRIVACY_KEYS = {"salt_env": (str, DEFAULT_SALT_ENV), "retention_days": (int, None)}
_REPORT_KEYS = {"out_dir": (str, "reports"), "schedule": (str, None), "company": (str, None)}
_ANALYSIS_KEYS = {"lexicon_dir": (str, None)}
_ALERT_KEYS = {"webhook_env": (str, None)}
DEFAULT_IMPORT_SCHEDULE = "0 * * * *"   # a watched folder is read hourly
_IMPORT_KEYS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "folder": (str, None), "pattern": (str, None), "source": (str, "import"), "company": (str, None),
    "stage": (str, None), "stage_values": (dict, {}), "rating_scale": ((int, float), None), "rating_words": (list, []),
    "skip_rows": (int, 0), "date_format": (str, None), "map": (dict, {}), "schedule": (str, DEFAULT_IMPORT_SCHEDULE),
    "encoding": (str, None), "sheet": (str, None),
}


@dataclass(frozen=True, slots=True)
class Company:
    """A company to watch; ``competitors`` name other companies by their ``name``."""

    name: str
    aliases: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """The name and its aliases, the strings queried for and matched in text."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One ``[sources.<name>]`` table with defaults filled in."""

    name: str
    enabled: bool
    base_url: str | None
    schedule: str
    options: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True, slots=True)
class PrivacyConfig:
    salt_env: str = DEFAULT_SALT_ENV
    retention_days: int | None = None


@dataclass(frozen=True, slots=True)
class ReportsConfig:
    """``out_dir``, when the file sets it, is resolved against the config file's folder (as ``[[imports]] folder``
    and ``[analysis] lexicon_dir`` are); without the key it is ``reports`` in the working folder, the default
    ``hirepulse report --out`` names. An explicit ``--out`` stays relative to the working folder."""
    out_dir: Path = Path("reports")
    schedule: str | None = None
    company: str | None = None


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    """``webhook_env``: the environment variable holding an incoming-webhook URL (hirepulse.alerts); None: the
    scheduler's warnings go to its log only."""
    webhook_env: str | None = None


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """``lexicon_dir``: the analyzer's lexicon and weights, when not the shipped ones (a folder written by
    ``hirepulse adapt``), resolved against the config file's folder."""
    lexicon_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class ImportFolder:
    """One ``[[imports]]`` table: a folder the employer's exports are dropped into (by a tracking system's scheduled
    export, a file share, a person), read on ``schedule`` by `hirepulse schedule` and by `hirepulse import` with no
    file named. Each new file is imported once, with the options `hirepulse import` takes (``map``: column ->
    field; ``stage_values``: a step's own name -> stage). ``folder`` is resolved against the config file's folder."""

    folder: Path
    pattern: str | None = None  # a glob such as "*.csv"; None: every file of a format the import reads
    source: str = "import"
    company: str | None = None
    stage: str | None = None
    stage_values: dict[str, str] = field(default_factory=dict)
    rating_scale: float | None = None
    rating_words: tuple[str, ...] = ()
    skip_rows: int = 0
    date_format: str | None = None
    map: dict[str, str] = field(default_factory=dict)
    schedule: str = DEFAULT_IMPORT_SCHEDULE
    encoding: str | None = None
    sheet: str | None = None

    def options_key(self) -> str:
        """A short fingerprint of how the folder's files are read (every key but folder, pattern and schedule): a
        file refused under one reading is read again once the table changes."""
        import hashlib
        import json

        read = {k: getattr(self, k) for k in self.__slots__ if k not in ("folder", "pattern", "schedule")}
        return hashlib.sha256(json.dumps(read, sort_keys=True, default=list).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class CollectConfig:
    contact: str | None = None
    hiring_terms: tuple[str, ...] = DEFAULT_HIRING_TERMS
    timeout_seconds: float = 20.0


@dataclass(frozen=True, slots=True)
class Config:
    """The whole validated configuration. ``path`` is None when built from defaults."""

    path: Path | None = None
    companies: tuple[Company, ...] = ()
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    privacy: PrivacyConfig = PrivacyConfig()
    reports: ReportsConfig = ReportsConfig()
    collect: CollectConfig = CollectConfig()
    analysis: AnalysisConfig = AnalysisConfig()
    imports: tuple[ImportFolder, ...] = ()
    alerts: AlertsConfig = AlertsConfig()

    @property
    def employer(self) -> Company | None:
        """The company whose hiring is watched: the first one that lists competitors, else the first."""
        for company in self.companies:
            if company.competitors:
                return company
        return self.companies[0] if self.companies else None

    def all_companies(self) -> tuple[Company, ...]:
        """Configured companies plus competitors named only by ``competitors`` (no aliases)."""
        return _with_competitors(self.companies)

    def company_specs(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(name, aliases)`` pairs, the form the analysis package takes."""
        return [(c.name, c.aliases) for c in self.all_companies()]

    def alias_map(self) -> dict[str, str]:
        """Lower-cased names and aliases to canonical company names, for imported company columns."""
        return _alias_map(self.companies)

    def salt(self) -> str:
        """The privacy salt from the environment.

        Raises:
            ConfigError: the variable named by ``[privacy] salt_env`` is unset or empty.
        """
        value = os.environ.get(self.privacy.salt_env, "")
        if not value:
            # named by the config file that names the variable; with no file, by the variable alone (a message
            # starting "hirepulse.toml:" sent people looking for a file that does not exist)
            raise ConfigError(
                self.path or f"${self.privacy.salt_env}", None,
                f"privacy salt missing: set the environment variable {self.privacy.salt_env} "
                "(any long random string; keep it secret and stable, author hashes depend on it)",
            )
        said = (self.privacy.salt_env, value)
        warning = short_salt_warning(*said)
        if warning and said not in _SHORT_SALTS_SAID:   # (once per process: a collection reads it per source)
            _SHORT_SALTS_SAID.add(said)
            log.warning("%s", warning)
        return value

    def source(self, name: str) -> SourceConfig:
        """The config of a source, with defaults when the file has no table for it."""
        if name in self.sources:
            return self.sources[name]
        return _build_source(name, {}, _Locator("", "<defaults>"))


def resolve_config_path(explicit: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """Return the config path and whether the user asked for it explicitly.

    Order: ``--config``, then ``$HIREPULSE_CONFIG``, then ``hirepulse.toml`` in the working folder.
    """
    if explicit:
        return Path(explicit), True
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env), True
    return Path(DEFAULT_CONFIG_NAME), False


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db``, else ``$HIREPULSE_DB``, else ``data/hirepulse.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB_PATH


def load_config(path: str | os.PathLike[str] | None = None, *, required: bool | None = None) -> Config:
    """Load and validate a config file.

    With no explicit path (nor ``$HIREPULSE_CONFIG``) and no ``hirepulse.toml`` in the working
    folder, returns the defaults: commands that need companies say so themselves.

    Raises:
        ConfigError: the file is missing (when explicit), unreadable, malformed or invalid.
    """
    resolved, explicit = resolve_config_path(path)
    if required is None:
        required = explicit
    if not resolved.exists():
        if required:
            raise ConfigError(resolved, None, "config file not found (create one with `hirepulse init`)")
        return Config()
    try:
        raw_bytes = resolved.read_bytes()
        text = raw_bytes.decode("utf-8-sig")  # (a byte-order mark, as Windows editors write, is no TOML)
    except UnicodeDecodeError:
        raise ConfigError(resolved, None, "not a UTF-8 text file") from None
    except OSError as exc:
        raise ConfigError(resolved, None, f"cannot read: {exc.strerror}") from None
    return parse_config(text, resolved)


def parse_config(text: str, path: str | os.PathLike[str] = "<string>") -> Config:
    """Validate TOML text as a hirepulse config. See :func:`load_config`."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        if line is None and "(at end of document)" in message:
            line = max(1, len(text.splitlines()))
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ConfigError(path, line, f"malformed TOML: {detail}") from None
    loc = _Locator(text, path)
    for key in data:
        if key not in _TOP_LEVEL:
            raise loc.error((key,), f"unknown table or key {key!r} (expected one of: {', '.join(_TOP_LEVEL)})")

    collect_raw = _table(data, "collect", loc)
    collect_vals = _check_keys(collect_raw, _COLLECT_KEYS, ("collect",), loc)
    _check_ranges(collect_vals, ("collect",), loc)
    collect = CollectConfig(
        contact=collect_vals["contact"],
        hiring_terms=tuple(_str_list(collect_vals["hiring_terms"], ("collect", "hiring_terms"), loc)),
        timeout_seconds=float(collect_vals["timeout_seconds"]),
    )

    companies_raw = data.get("companies", [])
    if not isinstance(companies_raw, list):
        raise loc.error(("companies",), "companies must be written as [[companies]] tables")
    companies: list[Company] = []
    for index, raw in enumerate(companies_raw):
        where = ("companies", index)
        if not isinstance(raw, dict):
            raise loc.error(where, "each [[companies]] entry must be a table")
        vals = _check_keys(raw, _COMPANY_KEYS, where, loc)
        if not vals["name"] or not vals["name"].strip():
            raise loc.error(where, "missing required key 'name' in [[companies]]")
        companies.append(Company(
            name=vals["name"].strip(),
            aliases=tuple(_str_list(vals["aliases"], (*where, "aliases"), loc)),
            competitors=tuple(_str_list(vals["competitors"], (*where, "competitors"), loc)),
        ))
    names = [c.name for c in companies]
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise loc.error(("companies", index, "name"), f"company {name!r} is listed twice")
    _check_collisions(companies, loc)

    sources_raw = _table(data, "sources", loc)
    sources: dict[str, SourceConfig] = {}
    known = _alias_map(companies)   # (the company keys of a source's id tables, as Config.alias_map reads them)
    for name, raw in sources_raw.items():
        if name not in SOURCE_KEYS:
            raise loc.error(("sources", name), f"unknown source {name!r} (known: {', '.join(sorted(SOURCE_KEYS))})")
        if not isinstance(raw, dict):
            raise loc.error(("sources", name), f"[sources.{name}] must be a table")
        sources[name] = _build_source(name, raw, loc, known)

    privacy_vals = _check_keys(_table(data, "privacy", loc), _PRIVACY_KEYS, ("privacy",), loc)
    if privacy_vals["retention_days"] is not None and privacy_vals["retention_days"] < 1:
        raise loc.error(("privacy", "retention_days"), "retention_days must be at least 1")
    if privacy_vals["retention_days"] is not None and privacy_vals["retention_days"] > MAX_RETENTION_DAYS:
        # (a date that far back does not exist: purge would stop on an OverflowError)
        raise loc.error(("privacy", "retention_days"), f"retention_days must be at most {MAX_RETENTION_DAYS:,} "
                        f"(100 years), got {privacy_vals['retention_days']:,}; remove the key to keep mentions forever")
    reports_raw = _table(data, "reports", loc)
    reports_vals = _check_keys(reports_raw, _REPORT_KEYS, ("reports",), loc)
    if "out_dir" in reports_raw:    # a path in the file is the file's: the same folder wherever hirepulse runs
        if not reports_vals["out_dir"].strip():
            raise loc.error(("reports", "out_dir"), "out_dir must name a folder (remove the key for ./reports)")
        reports_vals["out_dir"] = _beside(path, reports_vals["out_dir"].strip())
    else:
        reports_vals["out_dir"] = Path(reports_vals["out_dir"])
    if reports_vals["schedule"]:
        _check_cron(reports_vals["schedule"], ("reports", "schedule"), loc)
    if reports_vals["company"] and reports_vals["company"] not in names:
        raise loc.error(("reports", "company"), f"company {reports_vals['company']!r} is not in [[companies]]")

    analysis_vals = _check_keys(_table(data, "analysis", loc), _ANALYSIS_KEYS, ("analysis",), loc)
    lexicon_dir = None
    if analysis_vals["lexicon_dir"] is not None:
        lexicon_dir = _beside(path, analysis_vals["lexicon_dir"])
        if not lexicon_dir.is_dir():
            raise loc.error(("analysis", "lexicon_dir"), f"lexicon_dir {str(lexicon_dir)!r} is not a folder "
                            "(write one with `hirepulse adapt`, or remove the key to use the shipped readings)")

    alerts_vals = _check_keys(_table(data, "alerts", loc), _ALERT_KEYS, ("alerts",), loc)

    imports_raw = data.get("imports", [])
    if not isinstance(imports_raw, list):
        raise loc.error(("imports",), "imports must be written as [[imports]] tables")
    imports = tuple(_import_folder(raw, ("imports", index), path, loc) for index, raw in enumerate(imports_raw))
    folders = [entry.folder for entry in imports]
    for index, folder in enumerate(folders):
        if folders.index(folder) != index:
            raise loc.error(("imports", index, "folder"), f"folder {str(folder)!r} is watched twice")

    return Config(
        path=path,
        companies=tuple(companies),
        sources=sources,
        privacy=PrivacyConfig(**privacy_vals),
        reports=ReportsConfig(**reports_vals),
        collect=collect,
        analysis=AnalysisConfig(lexicon_dir=lexicon_dir),
        imports=imports,
        alerts=AlertsConfig(**alerts_vals),
    )


def _import_folder(raw: Any, where: tuple, path: Path, loc: _Locator) -> ImportFolder:
    """One [[imports]] table, checked as `hirepulse import` checks its options (the folder itself is looked at
    when it is read: a share may be mounted later)."""
    from hirepulse.models import (IMPORT_FIELDS, STAGES, date_format_problem, encoding_problem, normalise_stage,
                                  rating_scale_problem, rating_words_problem, source_label_problem, unknown_stage)

    if not isinstance(raw, dict):
        raise loc.error(where, "each [[imports]] entry must be a table")
    vals = _check_keys(raw, _IMPORT_KEYS, where, loc)
    if not vals["folder"] or not vals["folder"].strip():
        raise loc.error(where, "missing required key 'folder' in [[imports]]")
    problem = source_label_problem(vals["source"])
    if problem:
        raise loc.error((*where, "source"), problem)
    # a stage is named as on the command line: one of the six, or a common name for one ("Face to Face")
    stage = None
    if vals["stage"] is not None:
        stage = normalise_stage(vals["stage"])
        if stage is None:
            raise loc.error((*where, "stage"), unknown_stage(vals["stage"]))
    stage_values: dict[str, str] = {}
    for name, value in vals["stage_values"].items():
        stage_values[name] = normalise_stage(value) if isinstance(value, str) else None
        if stage_values[name] is None:
            raise loc.error((*where, "stage_values"), f"stage_values: {name!r} maps to {value!r}, which is no "
                                                      f"stage ({', '.join(STAGES)})")
    for name, value in vals["map"].items():
        if value not in IMPORT_FIELDS:
            raise loc.error((*where, "map"), f"map: {name!r} maps to {value!r}, which is no field "
                                             f"({', '.join(IMPORT_FIELDS)})")
    # (TOML writes inf and nan as numbers: a scale is checked as --rating-scale is, not only for its sign)
    problem = rating_scale_problem(vals["rating_scale"]) if vals["rating_scale"] is not None else None
    if problem:
        raise loc.error((*where, "rating_scale"), f"rating_scale: {problem}")
    words = tuple(_str_list(vals["rating_words"], (*where, "rating_words"), loc))
    problem = rating_words_problem(words) if words else None
    if problem:
        raise loc.error((*where, "rating_words"), f"rating_words: {problem}")
    if vals["skip_rows"] < 0:
        raise loc.error((*where, "skip_rows"), "skip_rows must be 0 or more")
    problem = date_format_problem(vals["date_format"]) if vals["date_format"] is not None else None
    if problem:
        raise loc.error((*where, "date_format"), f"date_format: {problem}")
    problem = encoding_problem(vals["encoding"]) if vals["encoding"] is not None else None
    if problem:
        raise loc.error((*where, "encoding"), f"encoding: {problem}")
    _check_cron(vals["schedule"], (*where, "schedule"), loc)
    return ImportFolder(
        folder=_beside(path, vals["folder"].strip()), pattern=vals["pattern"],
        source=vals["source"], company=vals["company"], stage=stage, stage_values=stage_values,
        rating_scale=None if vals["rating_scale"] is None else float(vals["rating_scale"]), rating_words=words,
        skip_rows=vals["skip_rows"], date_format=vals["date_format"], map=dict(vals["map"]),
        schedule=vals["schedule"], encoding=vals["encoding"], sheet=vals["sheet"])


STARTER_COMPANIES = ("Example Corp", "Rival Inc")   # the placeholders `hirepulse init` writes
_PLACEHOLDER_DOMAIN = re.compile(r"(^|[@./])example\.com\b", re.IGNORECASE)


def check_ready_to_collect(config: Config) -> None:
    """Refuse to send requests (``collect``, ``schedule``) while the file holds `hirepulse init`'s placeholders: its
    example companies would be queried at the real hosts, and an example.com or empty contact tells their operators
    nothing. Verbs that send no request take such a file as it is.

    Raises:
        ConfigError: a placeholder company or contact, naming the key to edit.
    """
    def error(where: tuple, detail: str) -> ConfigError:
        try:
            text = config.path.read_text(encoding="utf-8-sig") if config.path else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        return _Locator(text, config.path or DEFAULT_CONFIG_NAME).error(where, detail)

    placeholders = {name.lower() for name in STARTER_COMPANIES}
    for index, company in enumerate(config.companies):
        if company.name.lower() in placeholders:
            raise error(("companies", index, "name"), f"[[companies]] {company.name!r} is the starter file's "
                        "placeholder: put the companies you watch in [[companies]] (name, aliases, competitors) "
                        "before collecting")
    contact = config.collect.contact
    if contact is not None and not contact.strip():
        raise error(("collect", "contact"), "[collect] contact is empty: put an e-mail address or URL where site "
                    "operators can reach you (it goes into every request's User-Agent), or remove the key")
    if contact is not None and _PLACEHOLDER_DOMAIN.search(contact):
        raise error(("collect", "contact"), f"[collect] contact {contact!r} is a placeholder (example.com): put an "
                    "e-mail address or URL where site operators can reach you (it goes into every request's User-Agent)")


def _term_key(term: str) -> str:
    """A name or alias as the analyzer tells names apart (analysis/companies.py): trimmed, any case."""
    return term.strip().lower()


def _check_collisions(companies: Sequence[Company], loc: _Locator) -> None:
    """Refuse two companies that the analyzer would read one text as: a name or alias of one that is a name or alias
    of another in any case ("Cobalt" an alias of Brightwater and a company of its own, "brightwater" beside
    "Brightwater"), so that a post was filed under whichever the matcher tried first. A competitor is named by a
    configured company's exact name (that is how competitors point at companies), or by a name no company uses;
    one written as another's alias, or in another case, would become a second company holding the same words."""
    owners: dict[str, tuple[int, str, str]] = {}   # term -> (company index, "name"/"alias", the term as written)
    for index, company in enumerate(companies):
        for kind, term in (("name", company.name), *(("alias", alias) for alias in company.aliases)):
            key = _term_key(term)
            owner = owners.setdefault(key, (index, kind, term))
            if owner[0] == index:
                continue
            other, other_kind, other_term = owner
            this = f"company {term!r}" if kind == "name" else f"alias {term!r} of company {company.name!r}"
            that = "the name of" if other_kind == "name" else f"the alias {other_term!r} of"
            raise loc.error(("companies", index, "name" if kind == "name" else "aliases"),
                            f"{this} is also {that} [[companies]] {companies[other].name!r} (line "
                            f"{loc.find(('companies', other, other_kind if other_kind == 'name' else 'aliases'))}): "
                            "posts naming it would go to one of them only; give each company its own names and aliases")
    exact = {c.name for c in companies}
    extras: dict[str, tuple[int, str]] = {}   # competitors no company is named by: term -> (company index, as written)
    for index, company in enumerate(companies):
        for competitor in company.competitors:
            if competitor in exact:
                continue
            key = _term_key(competitor)
            where = ("companies", index, "competitors")
            if key in owners:
                other, kind, term = owners[key]
                name = companies[other].name
                what = f"the name of [[companies]] {name!r} in another case" if kind == "name" else \
                    f"an alias of [[companies]] {name!r}"
                raise loc.error(where, f"competitor {competitor!r} of company {company.name!r} is {what}: name it "
                                       f"{name!r}, as its [[companies]] entry does")
            first = extras.setdefault(key, (index, competitor))
            if first[1] != competitor:
                raise loc.error(where, f"competitor {competitor!r} of company {company.name!r} is competitor "
                                       f"{first[1]!r} of [[companies]] {companies[first[0]].name!r} (line "
                                       f"{loc.find(('companies', first[0], 'competitors'))}) in another case: "
                                       "spell it the same in both, so that each company has its own names")


def _with_competitors(companies: Sequence[Company]) -> tuple[Company, ...]:
    """``companies`` plus the competitors they name that are not among them (name only, no aliases)."""
    known = {c.name for c in companies}
    extra = [Company(n) for c in companies for n in c.competitors if n not in known]
    seen: dict[str, Company] = {}
    for company in (*companies, *extra):
        seen.setdefault(company.name, company)
    return tuple(seen.values())


def _alias_map(companies: Sequence[Company]) -> dict[str, str]:
    """Lower-cased names and aliases of ``companies`` and their competitors to canonical names (the first
    company to claim a term keeps it)."""
    mapping: dict[str, str] = {}
    for company in _with_competitors(companies):
        for term in company.terms:
            mapping.setdefault(term.lower(), company.name)
    return mapping


def _build_source(name: str, raw: dict[str, Any], loc: _Locator, known: dict[str, str] | None = None) -> SourceConfig:
    """``known``: lower-cased company names, aliases and competitors to canonical names (None: defaults only)."""
    schema = {**COMMON_SOURCE_KEYS, **SOURCE_KEYS[name]}
    vals = _check_keys(raw, schema, ("sources", name), loc)
    base_url = vals.pop("base_url")
    if base_url is not None:
        # feeds and web take no base_url of their own (their URLs are whole, in ``urls``), so a path here is
        # most likely a feed or page put in the wrong key
        hint = "; the feed or page URLs themselves go in urls" if name in ("feeds", "web") else ""
        base_url = _origin(base_url, ("sources", name, "base_url"), loc, hint)
    if vals.get("auth_url") is not None:
        vals["auth_url"] = _origin(vals["auth_url"], ("sources", name, "auth_url"), loc)
    for key, value in vals.items():
        if schema[key][0] is list and value is not None:
            items = _str_list(value, ("sources", name, key), loc)
            if key == "instances":      # Mastodon servers: the API's paths are added to each, as to a base_url
                vals[key] = [_origin(item, ("sources", name, key), loc) for item in items]
            elif key == "urls":         # feeds and pages: whole URLs, their path and query included
                vals[key] = [item for item in items if _http_url(item, ("sources", name, key), loc)]
        elif schema[key][0] is dict:
            vals[key] = _company_ids(value, ("sources", name, key), loc, known or {})
    _check_ranges(vals, ("sources", name), loc)
    schedule = vals.pop("schedule")
    _check_cron(schedule, ("sources", name, "schedule"), loc)
    enabled = vals.pop("enabled")
    return SourceConfig(name=name, enabled=enabled, base_url=base_url, schedule=schedule, options=vals)


def _http_url(url: str, where: tuple, loc: _Locator) -> SplitResult:
    """``url`` split, when it is an http(s) URL naming a host (else a ConfigError naming ``where``'s key)."""
    key = where[-1]
    what = f"key {key!r} must list http:// or https:// URLs naming a host, got {url!r} in it" \
        if key in ("instances", "urls") else f"{key} must start with http:// or https:// and name a host, got {url!r}"
    try:
        parts = urlsplit(url)
        parts.port   # (raises on a port that is no number or out of range)
    except ValueError:
        raise loc.error(where, what) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise loc.error(where, what)
    if parts.username is not None or parts.password is not None:   # (the URL is not echoed: it holds the secret)
        raise loc.error(where, f"{key} holds a user name or password: secrets never go in the file (a source's "
                               "credentials come from the environment variables its *_env keys name)")
    return parts


def _origin(url: str, where: tuple, loc: _Locator, hint: str = "") -> str:
    """``url`` without a trailing "/", when it is an origin: scheme, host and port, no path, query or fragment.
    Every collector adds its API's paths (``/api/v1/search_by_date``) to it, so a path would be sent twice."""
    parts = _http_url(url, where, loc)
    if parts.path not in ("", "/") or "?" in url or "#" in url:
        key = where[-1]
        example = f"{parts.scheme}://{parts.netloc}"
        if key == "instances":
            detail = (f"key 'instances' must list servers by scheme and host (and port) only, such as {example!r}: "
                      f"the API's paths are added to each, got {url!r} in it")
        else:
            detail = (f"{key} is the scheme and host (and port) only, such as {example!r}: the API's paths are "
                      f"added to it, got {url!r}{hint}")
        raise loc.error(where, detail)
    return url.rstrip("/")


def _company_ids(value: dict[str, Any], where: tuple, loc: _Locator, known: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """``{ "Company" = ["id", ...] }`` with canonical company names; an id belongs to one company only."""
    key, out, owner = f"[{_section_name(where[:-1])}] {where[-1]}", {}, {}
    for company, ids in value.items():
        name = known.get(company.strip().lower())
        if name is None:
            raise loc.error(where, f"{key}: company {company!r} is not in [[companies]] (a name, alias or competitor)")
        if not isinstance(ids, list):
            raise loc.error(where, f"{key}: {company!r} must map to a list of ids, got {ids!r}")
        items = _str_list(ids, where, loc)
        for item in items:
            if not _ID.match(item):
                raise loc.error(where, f"{key}: {item!r} is not an id (letters, digits, - and _ only; not a URL or @handle)")
            if owner.setdefault(item, name) != name:
                raise loc.error(where, f"{key}: {item!r} is listed for both {owner[item]!r} and {name!r}")
        out[name] = tuple(dict.fromkeys((*out.get(name, ()), *items)))
    return out


def _check_ranges(vals: dict[str, Any], table: tuple, loc: _Locator) -> None:
    """Refuse a number of ``vals`` outside its :data:`NUMBER_RANGES` (nan and inf, which TOML writes, included)."""
    import math

    for key, value in vals.items():
        if key not in NUMBER_RANGES or value is None:
            continue
        low, high, unit = NUMBER_RANGES[key]
        if not (math.isfinite(value) and low <= value <= high):
            raise loc.error((*table, key), f"{key} must be at least {low:,} and at most {high:,}{unit}, got {value!r}")


def _check_cron(expr: str, where: tuple, loc: _Locator) -> None:
    """A 5-field crontab line that fires: one naming no date that exists ("0 6 31 2 *") had the scheduler log
    "next run None" and never run the job."""
    from datetime import datetime, timezone

    from hirepulse.cron import cron_trigger

    try:
        trigger = cron_trigger(expr, "UTC")
    except ValueError as exc:
        raise loc.error(where, f"invalid cron expression {expr!r}: {exc}") from None
    if trigger.get_next_fire_time(None, datetime.now(timezone.utc)) is None:
        raise loc.error(where, f"{where[-1]} {expr!r} never fires: no date has that day of the month in those months "
                               "(a cron line that runs must name a day that exists, such as the 28th of February)")


def _beside(path: Path, value: str) -> Path:
    """A path the config file names, read from the file's folder (``~`` expanded): the same folder wherever
    hirepulse runs."""
    return (path.parent / Path(value).expanduser()).resolve()


def _table(data: dict[str, Any], key: str, loc: _Locator) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise loc.error((key,), f"{key!r} must be a table ([{key}])")
    return value


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", float: "a number", list: "a list",
               dict: "a table"}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# what the variable of a ``*_env`` key holds, where the key's name does not say it ("client_secret_env": client secret)
_ENV_HOLDS = {"webhook_env": "webhook's URL", "key_env": "API key"}


# the openings of tokens that are also valid variable names (Slack, GitHub, GitLab, Stripe, AWS, Google): each
# followed by a run of the token's own characters, so that a name such as GITHUB_TOKEN or ghp_name still passes
_TOKEN_PREFIX = re.compile(r"^(xox[a-z]|xapp|gh[pousr]_|github_pat_|glpat|(sk|rk|pk)_(live|test)_|whsec_|AKIA|ASIA|"
                           r"AIza|ya29)[A-Za-z0-9_]{8,}")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def _looks_like_secret(name: str) -> bool:
    """Whether a value that is a valid variable name looks rather like a key, token or salt pasted in its place:
    a known token's opening; a run of 16 or more hex digits mixing letters and digits (``openssl rand -hex``); or a
    word (between underscores) shaped like random text: 32 characters or more, letters and digits alternating four
    times or more ("T0k3n", "B9QH4V"), or 12 or more in mixed case whose capitals open runs of under 3.25
    characters on average ("wJalrXUtnFEMIK", where camel case runs "My", "Webhook", "Url"). A variable's name is
    words: HIREPULSE_SALT, MY_WEBHOOK_URL, slack_hook, OAUTH2_TOKEN, K8S_SECRET, MyWebhookUrl."""
    if _TOKEN_PREFIX.match(name):
        return True
    if any(re.search(r"\d", run) and re.search(r"[a-fA-F]", run) for run in _HEX_RUN.findall(name)):
        return True
    for word in name.split("_"):
        kinds = ["d" if c.isdigit() else "a" for c in word]
        if len(word) >= 32 or sum(a != b for a, b in zip(kinds, kinds[1:])) >= 4:
            return True
        # camel-case words ("MyWebhookUrl": My, Webhook, Url) run four letters or more on average; random text two
        parts = _CAMEL_PART.findall(word)
        if len(word) >= 12 and word.lower() != word != word.upper() and 4 * len(word) < 13 * len(parts):
            return True
    return False


def _check_env_name(key: str, value: str, where: tuple, loc: _Locator) -> None:
    """A ``*_env`` key's value must name an environment variable: anything else is most likely the secret itself,
    pasted in its place, so the error never repeats the value (a later "set the variable ..." would print it). A
    valid name that looks like a key or token (:func:`_looks_like_secret`) is refused in the same words."""
    if _ENV_NAME.fullmatch(value) and not _looks_like_secret(value):
        return
    holds = _ENV_HOLDS.get(key, key.removesuffix("_env").replace("_", " "))
    if not value.strip():
        raise loc.error(where, f"{key} is empty: name the environment variable that holds the {holds} (letters, "
                               "digits and _), or leave the key out")
    raise loc.error(where, f"{key} names an environment variable (letters, digits and _), never the {holds} itself: "
                           f"keep the {holds} in that variable, out of the file")


def _check_keys(raw: dict[str, Any], schema: dict[str, tuple[Any, Any]], where: tuple, loc: _Locator) -> dict[str, Any]:
    """Reject unknown keys and wrong types; return the values with defaults filled in."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise loc.error((*where, key), f"unknown key {key!r} in [{_section_name(where)}] (known: {known})")
        expected = schema[key][0]
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            want = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            got = type(value).__name__ if key.endswith("_env") else f"{type(value).__name__} {value!r}"
            raise loc.error((*where, key), f"key {key!r} must be {want}, got {got}")
        if key.endswith("_env"):   # (every table's: the privacy salt's, the alerts' webhook, each source's credentials)
            _check_env_name(key, value, (*where, key), loc)
        out[key] = value
    for key, (_, default) in schema.items():
        if key not in out:
            out[key] = type(default)(default) if isinstance(default, (list, dict)) else default
    return out


def _str_list(value: list[Any], where: tuple, loc: _Locator) -> list[str]:
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise loc.error(where, f"key {where[-1]!r} must be a list of non-empty strings, got {item!r} in it")
    return [item.strip() for item in value]


def _section_name(table: tuple) -> str:
    """``("sources", "hackernews")`` -> ``sources.hackernews``; array indexes are dropped."""
    return ".".join(str(part) for part in table if not isinstance(part, int))


class _Locator:
    """Finds the line of a table or key in the TOML text, for error messages."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str, path: object) -> None:
        self.path = path
        self.lines = text.splitlines()

    def error(self, where: tuple, detail: str) -> ConfigError:
        return ConfigError(self.path, self.find(where), detail)

    def find(self, where: tuple) -> int | None:
        """Line number (1-based) of ``where``: (table, [array index], [subtable], [key])."""
        if not where:
            return None
        if where[0] in ("companies", "imports"):   # arrays of tables: the index-th [[header]]
            table, index, rest = (where[0],), where[1] if len(where) > 1 else None, where[2:]
        elif where[0] == "sources" and len(where) > 1:
            table, index, rest = ("sources", str(where[1])), None, where[2:]
        else:
            table, index, rest = (str(where[0]),), None, where[1:]
        start = self._header_line(table, index)
        if start is None:
            # no header of its own: the first of its sub-tables' ([sourcse.hackernews] for a table 'sourcse'), else
            # a key at the top of the file (plain or dotted)
            start = self._header_line(table, None, within=True)
            if start is None:
                return self._key_line(0, table[0]) if len(table) == 1 and not rest else None
        if not rest:
            return start
        key = str(rest[0])
        return self._key_line(start, key) or self._sub_header_line(start, (*table, key)) or start

    @staticmethod
    def _parts(name: str) -> tuple[str, ...]:
        """A header's dotted name as its parts: ``sources . "hackernews"`` -> ``("sources", "hackernews")``."""
        return tuple(a or b or c for a, b, c in re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s"\']+)', name))

    def _headers(self, first: int = 1) -> Iterator[tuple[int, tuple[str, ...]]]:
        for number in range(first, len(self.lines) + 1):
            match = self._HEADER.match(self.lines[number - 1])
            if match:
                yield number, self._parts(match.group(2))

    def _header_line(self, table: tuple[str, ...], index: int | None, *, within: bool = False) -> int | None:
        """The line of ``[table]`` (the ``index``-th ``[[table]]``), or with ``within`` of its first sub-table."""
        seen = 0
        for number, parts in self._headers():
            if within and parts[:len(table)] == table and len(parts) > len(table):
                return number
            if not within and parts == table:
                if index is None or seen == index:
                    return number
                seen += 1
        return None

    def _sub_header_line(self, start: int, path: tuple[str, ...]) -> int | None:
        """The line of ``[path]`` (or of a table within it) among the sub-tables of the table opened at ``start``."""
        for number, parts in self._headers(start + 1):
            if parts[:len(path)] == path:
                return number
            if parts[:len(path) - 1] != path[:-1] or parts == path[:-1]:
                return None     # another table, or the next entry of the same array
        return None

    def _key_line(self, start: int, key: str) -> int | None:
        """The line of ``key = `` (or of a dotted ``key.x = ``) in the table opened at ``start`` (0: the top)."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if self._HEADER.match(line):
                return None
            if pattern.match(line):
                return number
        return None


STARTER_CONFIG = '''\
# hirepulse configuration. Every key is optional unless marked required.
# Secrets never go in this file: keys ending in _env name environment variables.

[collect]
# Shown in the User-Agent of every request so site operators can reach you: collect refuses example.com.
contact = "talent-brand@example.com"
# Words combined with each company name for hiring-focused queries.
# hiring_terms = ["hiring", "interview", "recruiter", "applied", "job offer", "onboarding"]

# The employer whose hiring you watch. Put it first and list its competitors.
[[companies]]
name = "Example Corp"                 # required
aliases = ["ExampleCo", "Example"]
competitors = ["Rival Inc"]

[[companies]]
name = "Rival Inc"
aliases = ["Rival"]

# Sources. Each accepts: enabled, base_url (origin of the API, e.g. a proxy or a
# local test server), schedule (cron, UTC), queries, max_pages, lookback_hours.
[sources.hackernews]
enabled = true
schedule = "15 */4 * * *"

[sources.stackexchange]
site = "workplace"
# key_env = "STACKEXCHANGE_KEY"      # optional: raises the daily quota from 300 to 10,000

[sources.mastodon]
instances = ["https://mastodon.social"]
hashtags = ["hiring", "jobsearch", "recruiting"]

[sources.feeds]
urls = []                             # RSS or Atom URLs of blogs and publishers you may read

[sources.web]
enabled = false
urls = []                             # article pages; fetched only where robots.txt allows

[sources.gdelt]
enabled = true

[sources.reddit]
enabled = false                       # needs an approved OAuth app: REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET
subreddits = ["cscareerquestions", "recruitinghell"]

[sources.bluesky]
enabled = false                       # needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD

[sources.youtube]
enabled = false                       # needs a YouTube Data API v3 key in YOUTUBE_API_KEY
# Comments under these videos (the v= part of a watch URL), or on every video of these channels
# (UC... ids), are read for the company named; only those that talk about hiring are kept.
# video_ids = { "Example Corp" = ["VIDEO_ID"] }
# channel_ids = { "Example Corp" = ["CHANNEL_ID"] }
# daily_units = 2000                  # our share of the project's 10,000 units a day; 1 per request

# A folder your own exports are dropped into (a tracking system's scheduled export, a file share): each new
# file is imported once, hourly by `hirepulse schedule` or by `hirepulse import` with no file named. Every
# option of `hirepulse import` is a key here (--stage-values is stage_values).
# [[imports]]
# folder = "exports/candidate-survey"
# source = "survey"
# map = { "Submitted" = "published_at", "Comment" = "text", "Step" = "stage" }
# rating_scale = 5

[privacy]
# Author handles are stored only as a salted hash; the salt comes from this variable.
salt_env = "HIREPULSE_SALT"
# Mentions older than this (from their date, or from when first stored if that is earlier) are removed
# by `hirepulse purge` (and the scheduler).
retention_days = 730

[reports]
out_dir = "reports"                   # relative to this file's folder, as every path in it is
# schedule = "0 6 * * 1"              # weekly CSV reports into a dated folder

[alerts]
# The scheduler posts new spikes and refused export files to a chat webhook that takes {"text": ...} (Slack,
# Mattermost, Google Chat, ...). Its URL is a secret: set it in this environment variable, never here.
# webhook_env = "HIREPULSE_ALERT_WEBHOOK"

[analysis]
# The shipped readings learn from synthetic posts. With a few hundred of your own posts labelled, run
# `hirepulse adapt --labelled FILE --out lexicon-adapted` and point this at the folder it writes.
# lexicon_dir = "lexicon-adapted"
'''
