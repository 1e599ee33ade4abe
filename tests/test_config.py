"""hirepulse.toml: valid files load with defaults; every bad file is one error naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hirepulse.config import STARTER_CONFIG, load_config, parse_config
from hirepulse.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hirepulse.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_starter_config_loads_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, STARTER_CONFIG))
    assert config.employer.name == "Example Corp"
    assert config.employer.competitors == ("Rival Inc",)
    assert config.sources["hackernews"].schedule == "15 */4 * * *"
    assert config.sources["hackernews"].base_url == "https://hn.algolia.com"
    assert config.sources["reddit"].enabled is False
    assert config.source("gdelt").get("min_interval_seconds") == 5
    assert config.privacy.retention_days == 730


def test_base_url_is_accepted_by_every_source_and_trailing_slash_dropped() -> None:
    from hirepulse.config import SOURCE_KEYS

    text = "\n".join(f'[sources.{name}]\nbase_url = "http://127.0.0.1:8080/"\n' for name in SOURCE_KEYS)
    config = parse_config(text, "x.toml")
    assert {s.base_url for s in config.sources.values()} == {"http://127.0.0.1:8080"}


def test_competitors_without_their_own_table_are_still_companies() -> None:
    config = parse_config('[[companies]]\nname = "A"\naliases = ["Ay"]\ncompetitors = ["B"]\n')
    assert [c.name for c in config.all_companies()] == ["A", "B"]
    assert config.company_specs() == [("A", ("Ay",)), ("B", ())]


def test_missing_default_file_gives_defaults_but_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    assert load_config(None).companies == ()
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_env_variable_names_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[[companies]]\nname = "Env Co"\n')
    monkeypatch.setenv("HIREPULSE_CONFIG", str(path))
    assert load_config(None).employer.name == "Env Co"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[collect]\ncontact = 'a'\nbogus = 1\n", 3, "unknown key 'bogus' in [collect]"),
        ("[collect]\ncontact = 12\n", 2, "key 'contact' must be a string"),
        ('[[companies]]\nname = "A"\n\n[[companies]]\naliases = ["x"]\n', 4, "missing required key 'name'"),
        ('[[companies]]\nname = "A"\n[[companies]]\nname = "B"\ncolour = "red"\n', 5, "unknown key 'colour' in [companies]"),
        ('[sources.hackernews]\nenabled = "yes"\n', 2, "must be true or false"),
        ('[sources.mastodon]\ninstances = "https://x"\n', 2, "must be a list"),
        ('[sources.mastodon]\ninstances = [1]\n', 2, "list of non-empty strings"),
        ("[sources.myspace]\nenabled = true\n", 1, "unknown source 'myspace'"),
        ('[sources.gdelt]\nbase_url = "api.gdeltproject.org"\n', 2, "base_url must start with http"),
        ('[sources.gdelt]\nschedule = "every day"\n', 2, "invalid cron expression"),
        ("[privacy]\nretention_days = 0\n", 2, "retention_days must be at least 1"),
        ("[extras]\nx = 1\n", 1, "unknown table or key 'extras'"),
        ("[collect]\ncontact = \"a\n", 2, "malformed TOML"),
        ("[collect\n", 1, "malformed TOML"),
        ('[[companies]]\nname = "A"\n[[companies]]\nname = "A"\n', 4, "listed twice"),
        ('[reports]\ncompany = "Ghost"\n', 2, "not in [[companies]]"),
    ],
)
def test_bad_config_is_one_line_naming_file_line_and_key(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message


def test_a_byte_order_mark_opening_the_config_is_read_as_nothing(tmp_path: Path) -> None:
    # Windows editors save UTF-8 with a byte-order mark; tomllib calls it an invalid statement at line 1
    path = tmp_path / "hirepulse.toml"
    path.write_bytes("\ufeff[[companies]]\nname = \"Brightwater\"\n".encode("utf-8"))
    assert [c.name for c in load_config(path).companies] == ["Brightwater"]


def test_non_utf8_config_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "hirepulse.toml"
    path.write_bytes(b"[collect]\ncontact = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        load_config(path)


def test_salt_comes_from_the_named_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config('[privacy]\nsalt_env = "MY_SALT"\n')
    monkeypatch.delenv("MY_SALT", raising=False)
    with pytest.raises(ConfigError, match="set the environment variable MY_SALT"):
        config.salt()
    monkeypatch.setenv("MY_SALT", "pepper")
    assert config.salt() == "pepper"


def test_analysis_lexicon_dir_is_a_folder_beside_the_config(tmp_path: Path) -> None:
    # relative to the config file's own folder, wherever hirepulse runs from
    (tmp_path / "adapted").mkdir()
    config = tmp_path / "hirepulse.toml"
    config.write_text('[analysis]\nlexicon_dir = "adapted"\n', encoding="utf-8")
    assert load_config(config).analysis.lexicon_dir == (tmp_path / "adapted").resolve()
    assert parse_config(STARTER_CONFIG, tmp_path / "x.toml").analysis.lexicon_dir is None
    with pytest.raises(ConfigError, match=r"x\.toml:3: lexicon_dir .*missing.* is not a folder"):
        parse_config('[analysis]\n\nlexicon_dir = "missing"\n', tmp_path / "x.toml")
    with pytest.raises(ConfigError, match="unknown key 'lexicon'"):
        parse_config('[analysis]\nlexicon = "adapted"\n', tmp_path / "x.toml")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # a path would be sent twice: every collector adds its API's own paths to base_url
        ('[sources.hackernews]\n\nbase_url = "http://127.0.0.1:18777/api/v1"\n', 3,
         "base_url is the scheme and host (and port) only, such as 'http://127.0.0.1:18777'"),
        ('[sources.gdelt]\nbase_url = "https://api.gdeltproject.org/api/v2/doc/doc"\n', 2, "base_url is the scheme and host"),
        ('[sources.stackexchange]\nbase_url = "https://api.stackexchange.com/?site=workplace"\n', 2,
         "base_url is the scheme and host"),
        ('[sources.youtube]\nbase_url = "https://www.googleapis.com#x"\n', 2, "base_url is the scheme and host"),
        ('[sources.bluesky]\nbase_url = "https://bsky.social?"\n', 2, "base_url is the scheme and host"),
        ('[sources.feeds]\nbase_url = "https://blog.example.com/feed.xml"\n', 2, "the feed or page URLs themselves go in urls"),
        ('[sources.reddit]\nauth_url = "https://www.reddit.com/api/v1"\n', 2, "auth_url is the scheme and host"),
        ('[sources.reddit]\nauth_url = "www.reddit.com"\n', 2, "auth_url must start with http"),
        ('[sources.hackernews]\nbase_url = "ftp://hn.algolia.com"\n', 2, "base_url must start with http"),
        ('[sources.hackernews]\nbase_url = "http://"\n', 2, "base_url must start with http"),
        ('[sources.hackernews]\nbase_url = "http://127.0.0.1:port"\n', 2, "base_url must start with http"),
        ('[sources.hackernews]\nbase_url = "http://hn algolia.com"\n', 2, "base_url must start with http"),
        # Mastodon instances are servers too: the tag timeline's path is added to each
        ('[sources.mastodon]\ninstances = ["127.0.0.1:18777"]\n', 2,
         "key 'instances' must list http:// or https:// URLs naming a host, got '127.0.0.1:18777' in it"),
        ('[sources.mastodon]\ninstances = [\n  "https://mastodon.social",\n  "mastodon.online",\n]\n', 2,
         "got 'mastodon.online' in it"),
        ('[sources.mastodon]\ninstances = ["https://mastodon.social/@someone"]\n', 2,
         "key 'instances' must list servers by scheme and host (and port) only"),
        ('[sources.mastodon]\nbase_url = "https://mastodon.social/api/v1"\n', 2, "base_url is the scheme and host"),
        # feeds and pages are whole URLs, but still http(s) ones with a host
        ('[sources.feeds]\nurls = ["blog.example.com/feed.xml"]\n', 2,
         "key 'urls' must list http:// or https:// URLs naming a host, got 'blog.example.com/feed.xml' in it"),
        ('[sources.web]\nurls = ["file:///etc/passwd"]\n', 2, "key 'urls' must list http:// or https:// URLs"),
        # a password in a URL is a secret in the file: refused, and the URL is not echoed
        ('[sources.hackernews]\nbase_url = "https://me:hunter2@proxy.example:8080"\n', 2,
         "base_url holds a user name or password: secrets never go in the file"),
        ('[sources.feeds]\nurls = ["https://token@feeds.example/private.xml"]\n', 2,
         "urls holds a user name or password"),
    ],
)
def test_urls_that_collect_could_not_use_are_refused_at_load(tmp_path: Path, text: str, line: int,
                                                             fragment: str) -> None:
    message = refused_at(tmp_path, text, line, fragment)
    assert "hunter2" not in message and "token@" not in message


def refused_at(tmp_path: Path, text: str, line: int, fragment: str) -> str:
    """The one-line error ``text`` as a config file gives, which names its ``line`` and says ``fragment``."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message, message
    return message


def test_origins_with_a_port_or_a_bare_slash_and_whole_feed_and_page_urls_still_load(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[sources.hackernews]
base_url = "http://127.0.0.1:18777/"
[sources.mastodon]
instances = ["https://mastodon.social/", " https://fosstodon.org "]
[sources.reddit]
auth_url = "https://www.reddit.com/"
[sources.feeds]
urls = ["https://lemmy.world/feeds/c/recruitinghell.xml?sort=New", "http://127.0.0.1:8080/blog/feed/#top "]
[sources.web]
urls = ["https://blog.example.com/2026/01/our-interviews/"]
"""))
    assert config.sources["hackernews"].base_url == "http://127.0.0.1:18777"
    assert config.sources["mastodon"].get("instances") == ["https://mastodon.social", "https://fosstodon.org"]
    assert config.sources["reddit"].get("auth_url") == "https://www.reddit.com"
    assert config.sources["feeds"].get("urls") == ["https://lemmy.world/feeds/c/recruitinghell.xml?sort=New",
                                                   "http://127.0.0.1:8080/blog/feed/#top"]
    assert config.sources["web"].get("urls") == ["https://blog.example.com/2026/01/our-interviews/"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # a misspelt table is written as the header of its sub-table: its line is that header's
        ('[collect]\ncontact = "a"\n\n[sourcse.hackernews]\nenabled = true\n', 4, "unknown table or key 'sourcse'"),
        ('[collect]\ncontact = "a"\n[ "sourcse" . hackernews ]\nenabled = true\n', 3, "unknown table or key 'sourcse'"),
        ('[collect]\ncontact = "a"\n[reports]\nout_dir = "r"\n[report]\nout_dir = "x"\n', 5,
         "unknown table or key 'report'"),
        ('[collect]\ncontact = "a"\n[[companie]]\nname = "A"\n', 3, "unknown table or key 'companie'"),
        ('sourcse.hackernews.enabled = true\n', 1, "unknown table or key 'sourcse'"),
        ('[sources.hackernewz.extra]\nenabled = true\n', 1, "unknown source 'hackernewz'"),
        ('[sources.hackernews]\nenabled = true\n[sources.hackernews.extra]\nx = 1\n', 3, "unknown key 'extra'"),
        ('[sources.hackernews]\nenabled = true\nextra.x = 1\n', 3, "unknown key 'extra'"),
        ('[privacy.extra]\nx = 1\n', 1, "unknown key 'extra' in [privacy]"),
        # the second [[imports]] table's errors are on its own lines, not the first table's
        ('[[imports]]\nfolder = "a"\n\n[[imports]]\nfolder = "b"\nskip_rows = -1\n', 6, "skip_rows must be 0 or more"),
        ('[[imports]]\nfolder = "a"\n\n[[imports]]\nfolder = "a"\n', 5, "is watched twice"),
        ('[[imports]]\nfolder = "a"\n[[imports]]\nfolder = "b"\n[imports.map]\nY = "bogus"\n', 5, "map: 'Y' maps to 'bogus'"),
    ],
)
def test_unknown_tables_and_keys_in_sub_tables_are_named_with_their_line(tmp_path: Path, text: str, line: int,
                                                                         fragment: str) -> None:
    refused_at(tmp_path, text, line, fragment)


def test_retention_days_beyond_a_century_is_refused_at_load_and_the_longest_allowed_purges(tmp_path: Path) -> None:
    # 3,000,000 days loaded, then purge stopped on "OverflowError: date value out of range"
    from hirepulse import db
    from hirepulse.config import MAX_RETENTION_DAYS

    path = write(tmp_path, "[privacy]\nsalt_env = \"S\"\nretention_days = 3000000\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (f"{path}:3: retention_days must be at most 36,500 (100 years), got 3,000,000; "
                               "remove the key to keep mentions forever")
    with pytest.raises(ConfigError, match=r":2: retention_days must be at most 36,500"):
        parse_config("[privacy]\nretention_days = 36501\n", tmp_path / "x.toml")
    days = parse_config(f"[privacy]\nretention_days = {MAX_RETENTION_DAYS}\n").privacy.retention_days
    assert days == 36_500
    with db.connect(tmp_path / "h.duckdb") as con:
        assert db.purge_older_than(con, days) == 0


def test_reports_out_dir_is_a_folder_beside_the_config_wherever_hirepulse_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as [[imports]] folder and [analysis] lexicon_dir are: the file's paths are the file's
    (tmp_path / "conf").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    path = tmp_path / "conf" / "hirepulse.toml"
    path.write_text('[reports]\nout_dir = "weekly"\n', encoding="utf-8")
    assert load_config(path).reports.out_dir == (tmp_path / "conf" / "weekly").resolve()
    path.write_text('[reports]\nout_dir = "~/weekly"\n', encoding="utf-8")
    assert load_config(path).reports.out_dir == (Path.home() / "weekly").resolve()
    path.write_text(f'[reports]\nout_dir = "{(tmp_path / "abs").as_posix()}"\n', encoding="utf-8")
    assert load_config(path).reports.out_dir == (tmp_path / "abs").resolve()
    # without the key: ./reports in the working folder, the default `hirepulse report --out` names
    path.write_text('[reports]\nschedule = "0 6 * * 1"\n', encoding="utf-8")
    assert load_config(path).reports.out_dir == Path("reports")
    path.write_text('[reports]\n\nout_dir = " "\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"hirepulse\.toml:3: out_dir must name a folder"):
        load_config(path)


def _env_keys() -> list[tuple[str, str]]:
    """Every ``*_env`` key of the config, as (table header, key): each source's, the privacy salt's, the webhook's."""
    from hirepulse.config import _ALERT_KEYS, _PRIVACY_KEYS, SOURCE_KEYS

    keys = [(f"[sources.{name}]", key) for name, table in SOURCE_KEYS.items() for key in table if key.endswith("_env")]
    keys += [("[privacy]", key) for key in _PRIVACY_KEYS if key.endswith("_env")]
    keys += [("[alerts]", key) for key in _ALERT_KEYS if key.endswith("_env")]
    return keys


def test_the_env_keys_checked_are_the_salt_the_webhook_and_every_sources_credentials() -> None:
    assert {key for _, key in _env_keys()} == {"token_env", "key_env", "client_id_env", "client_secret_env",
                                               "handle_env", "app_password_env", "salt_env", "webhook_env"}


# synthetic secrets of the shapes pasted by mistake: a webhook URL, an API key, an app password, a bearer token
@pytest.mark.parametrize("secret", ["https://hooks.example/services/T0/B0/XyZsynthetic", "AIzaSy-synthetic-key_0123",
                                    "abcd-efgh-ijkl-mnop", "Bearer s3cr3t.synthetic.t0ken", "12ab 34cd"])
@pytest.mark.parametrize(("table", "key"), _env_keys())
def test_a_secret_pasted_into_any_env_key_is_refused_without_repeating_it(tmp_path: Path, table: str, key: str,
                                                                          secret: str) -> None:
    message = refused_at(tmp_path, f'{table}\n{key} = "{secret}"\n', 2,
                         f"{key} names an environment variable (letters, digits and _), never the ")
    assert secret not in message
    assert message.endswith("in that variable, out of the file")


@pytest.mark.parametrize(("table", "key"), _env_keys())
def test_an_env_key_takes_a_variables_name_and_refuses_an_empty_one_or_a_number(tmp_path: Path, table: str,
                                                                                 key: str) -> None:
    assert parse_config(f'{table}\n{key} = "MY_{key.upper()}"\n', "h.toml")
    refused_at(tmp_path, f'{table}\n{key} = " "\n', 2, f"{key} is empty: name the environment variable that holds")
    # a number pasted as a number: the type error does not repeat it either
    message = refused_at(tmp_path, f"{table}\n{key} = 8675309123\n", 2, f"key {key!r} must be a string, got int")
    assert "8675309123" not in message
