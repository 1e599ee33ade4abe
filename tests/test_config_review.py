"""The operator review's config findings: colliding company names, secrets pasted into *_env keys, numbers and
schedules that break collection, the starter file's placeholders used as they are, and a new database file made
where nobody looked. Each bad config is one line naming the file, the line (where it has one) and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hirepulse.cli import main
from hirepulse.config import STARTER_CONFIG, load_config, parse_config
from hirepulse.errors import ConfigError
from test_collect_support import FakeAlgolia, hn_hit, write_config


def refused(tmp_path: Path, text: str, line: int | None, *fragments: str) -> str:
    path = tmp_path / "hirepulse.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: " if line else f"{path}: "), message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --------------------------------------------------------------------------- 1. colliding names

@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        # an alias that is another company's name: its posts went to whichever the matcher tried first
        ('[[companies]]\nname = "Brightwater"\naliases = ["Cobalt"]\n\n[[companies]]\nname = "Cobalt"\n', 6,
         ("company 'Cobalt'", "alias 'Cobalt' of [[companies]] 'Brightwater' (line 3)")),
        ('[[companies]]\nname = "Cobalt"\n\n[[companies]]\nname = "Brightwater"\naliases = ["cobalt"]\n', 6,
         ("alias 'cobalt' of company 'Brightwater'", "the name of [[companies]] 'Cobalt' (line 2)")),
        # the same alias on two companies
        ('[[companies]]\nname = "A"\naliases = ["Acme"]\n[[companies]]\nname = "B"\naliases = ["x", "ACME"]\n', 6,
         ("alias 'ACME' of company 'B'", "alias 'Acme' of [[companies]] 'A' (line 3)")),
        # names that differ in case only
        ('[[companies]]\nname = "Brightwater"\n[[companies]]\nname = "brightwater"\n', 4,
         ("company 'brightwater'", "the name of [[companies]] 'Brightwater' (line 2)")),
        ('[[companies]]\nname = "Acme Corp"\n[[companies]]\nname = "Other"\naliases = [" acme corp "]\n', 5,
         ("alias 'acme corp' of company 'Other'", "'Acme Corp' (line 2)")),
        # a competitor that names a configured company by its alias, or by its name in another case
        ('[[companies]]\nname = "A"\ncompetitors = ["Cobalt"]\n[[companies]]\nname = "Cobalt Outfitters"\n'
         'aliases = ["Cobalt"]\n', 3,
         ("competitor 'Cobalt' of company 'A'", "alias of [[companies]] 'Cobalt Outfitters'",
          "name it 'Cobalt Outfitters'")),
        ('[[companies]]\nname = "A"\ncompetitors = ["cobalt"]\n[[companies]]\nname = "Cobalt"\n', 3,
         ("competitor 'cobalt' of company 'A'", "name it 'Cobalt'")),
        # two competitors, not configured, spelt differently by two companies
        ('[[companies]]\nname = "A"\ncompetitors = ["Fernhill"]\n[[companies]]\nname = "B"\n'
         'competitors = ["FERNHILL"]\n', 6,
         ("competitor 'FERNHILL' of company 'B'", "competitor 'Fernhill' of [[companies]] 'A' (line 3)")),
    ],
)
def test_names_and_aliases_that_collide_as_the_analyzer_reads_them_are_refused_naming_both(
        tmp_path: Path, text: str, line: int, fragments: tuple[str, ...]) -> None:
    message = refused(tmp_path, text, line, *fragments)
    assert any(advice in message for advice in ("each company its own", "name it", "spell it the same"))


def test_competitors_that_are_configured_companies_and_distinct_names_still_load() -> None:
    config = parse_config(
        '[[companies]]\nname = "Brightwater"\naliases = ["Brightwater Goods", "BWG", "brightwater"]\n'
        'competitors = ["Cobalt Outfitters", "Fernhill Market"]\n'
        '[[companies]]\nname = "Cobalt Outfitters"\naliases = ["Cobalt"]\ncompetitors = ["Brightwater"]\n'
        '[[companies]]\nname = "Acme Corp"\n[[companies]]\nname = "Acme Corporation"\naliases = ["Acme Co"]\n')
    assert [c.name for c in config.all_companies()] == ["Brightwater", "Cobalt Outfitters", "Acme Corp",
                                                        "Acme Corporation", "Fernhill Market"]


# --------------------------------------------------------------------------- 2. secrets in *_env keys

def _env_keys() -> list[tuple[str, str]]:
    from hirepulse.config import _ALERT_KEYS, _PRIVACY_KEYS, SOURCE_KEYS

    keys = [(f"[sources.{name}]", key) for name, table in SOURCE_KEYS.items() for key in table if key.endswith("_env")]
    keys += [("[privacy]", key) for key in _PRIVACY_KEYS if key.endswith("_env")]
    keys += [("[alerts]", key) for key in _ALERT_KEYS if key.endswith("_env")]
    return keys


# synthetic secrets that are also valid variable names: what the old check let through and then echoed
SECRETS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",   # `openssl rand -hex 32`, a letter first
    "deadbeefcafe0123456789abcdef",                                        # a shorter hex run
    "xoxbT0k3nSecretSynthetic",                                            # a Slack bot token's prefix
    "xoxp_1234567890_synthetic",
    "ghp_R4nd0mSyntheticT0kenValue000000000",                              # a GitHub token
    "github_pat_11SYNTHETIC0_abc",
    "sk_live_51SyntheticKey",                                              # a Stripe key
    "AKIAIOSFODNN7SYNTHETIC",                                              # an AWS access key id
    "AIzaSyDsyntheticKeyValue0123",                                        # a Google API key
    "Ihn7B9QH4VoGKgSynth",                                                 # a Reddit client id's shape
    "wJalrXUtnFEMIKbPxRfiCYzsyntheticKEYz",                                 # a random mixed-case run
    "qwErTyUiOpAsDfGhJkLzX",                                               # letters only, random case
]


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize(("table", "key"), _env_keys())
def test_a_secret_that_is_also_a_valid_name_is_refused_without_repeating_it(tmp_path: Path, table: str, key: str,
                                                                           secret: str) -> None:
    message = refused(tmp_path, f'{table}\n{key} = "{secret}"\n', 2,
                      f"{key} names an environment variable (letters, digits and _), never the ")
    assert secret not in message and secret[:12] not in message


@pytest.mark.parametrize("name", ["HIREPULSE_SALT", "MY_WEBHOOK_URL", "slack_hook", "HIREPULSE_ALERT_WEBHOOK",
                                  "REDDIT_CLIENT_SECRET", "S3_BUCKET_KEY", "OAUTH2_TOKEN", "K8S_SECRET", "MySalt",
                                  "YOUTUBE_API_KEY_V3", "GITHUB_TOKEN", "SK_TOKEN", "ghp_name", "HirepulseSalt",
                                  "_PRIVATE_SALT", "SALT2", "MASTODON_TOKEN_FOSSTODON_ORG", "MyWebhookUrl",
                                  "TEAM_A1_WEBHOOK", "PROD_SLACK_WEBHOOK_URL_2024",
                                  "YouTubeApiKey", "MyProductionSlackWebhookUrl", "GitHubAPIToken", "OAuthClientSecret"])
@pytest.mark.parametrize(("table", "key"), _env_keys())
def test_conventional_variable_names_still_load(table: str, key: str, name: str) -> None:
    parse_config(f'{table}\n{key} = "{name}"\n', "h.toml")


# --------------------------------------------------------------------------- 3. numbers and schedules

@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[collect]\ntimeout_seconds = -3\n", 2, "timeout_seconds must be at least 1 and at most 600 seconds, got -3"),
        ("[collect]\ntimeout_seconds = 0\n", 2, "timeout_seconds must be at least 1"),
        ("[collect]\ntimeout_seconds = nan\n", 2, "timeout_seconds must be at least 1"),
        ("[collect]\ntimeout_seconds = inf\n", 2, "timeout_seconds must be at least 1"),
        ("[sources.hackernews]\nmax_pages = 0\n", 2, "max_pages must be at least 1 and at most 100,000, got 0"),
        ("[sources.gdelt]\n\nlookback_hours = -5\n", 3, "lookback_hours must be at least 0 and at most 720 hours"),
        ("[sources.hackernews]\nhits_per_page = 0\n", 2, "hits_per_page must be at least 1 and at most 1,000"),
        ("[sources.hackernews]\nhits_per_page = 5000\n", 2, "hits_per_page must be at least 1 and at most 1,000"),
        ("[sources.feeds]\nmin_interval_seconds = -1\n", 2, "min_interval_seconds must be at least 0 and at most"),
        ("[sources.web]\nmax_fresh_hours = -0.5\n", 2, "max_fresh_hours must be at least 0 and at most 720 hours"),
        ("[sources.reddit]\nrecheck_days = -1\n", 2, "recheck_days must be at least 0 and at most 365 days"),
        ("[sources.bluesky]\nrecheck_max_age_days = 1000000\n", 2,
         "recheck_max_age_days must be at least 0 and at most 36,500 days"),
        ("[sources.youtube]\ndaily_units = 20000\n", 2, "daily_units must be at least 1 and at most 10,000"),
        # a cron with no date to fire on: the scheduler logged "next run None" and never ran the job
        ('[sources.hackernews]\nschedule = "0 6 31 2 *"\n', 2, "schedule '0 6 31 2 *' never fires"),
        ('[reports]\nschedule = "0 6 31 4 *"\n', 2, "schedule '0 6 31 4 *' never fires"),
        ('[[imports]]\nfolder = "x"\nschedule = "* * 31 2,4,6 *"\n', 3, "never fires"),
    ],
)
def test_numbers_and_schedules_that_break_collection_are_refused_with_their_range(tmp_path: Path, text: str,
                                                                                   line: int, fragment: str) -> None:
    refused(tmp_path, text, line, fragment)


def test_numbers_at_the_ends_of_their_ranges_and_rare_schedules_still_load() -> None:
    config = parse_config('[collect]\ntimeout_seconds = 600\n[sources.hackernews]\nmax_pages = 100000\n'
                          'lookback_hours = 0\nhits_per_page = 1000\nmin_interval_seconds = 0\n'
                          'schedule = "0 6 29 2 *"\n'                       # leap days only: it does fire
                          '[sources.feeds]\nmax_fresh_hours = 0\n[sources.youtube]\ndaily_units = 10000\n'
                          'recheck_days = 0\nrecheck_max_age_days = 36500\n[reports]\nschedule = "0 6 31 2 1"\n')
    assert config.collect.timeout_seconds == 600
    assert config.sources["hackernews"].get("max_pages") == 100000


# --------------------------------------------------------------------------- 4. the starter's placeholders

def test_collect_and_schedule_refuse_the_starter_files_placeholders(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    path = tmp_path / "hirepulse.toml"
    capsys.readouterr()
    for verb in (["collect"], ["schedule", "--once"]):
        assert main(verb) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "[[companies]] 'Example Corp' is the starter file's placeholder" in err, err
    # the companies edited, the contact left
    path.write_text(STARTER_CONFIG.replace("Example Corp", "Brightwater").replace("Rival Inc", "Cobalt"),
                    encoding="utf-8")
    assert main(["collect"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hirepulse: error: hirepulse.toml:6: [collect] contact 'talent-brand@example.com' is a "
                          "placeholder (example.com)"), err
    assert err.count("\n") == 1
    path.write_text(STARTER_CONFIG.replace("Example Corp", "Brightwater").replace("Rival Inc", "Cobalt")
                    .replace('"talent-brand@example.com"', '""'), encoding="utf-8")
    assert main(["schedule", "--once"]) == 1
    assert "hirepulse.toml:6: [collect] contact is empty" in capsys.readouterr().err
    # a real contact: collect goes past the placeholders (to the next check, with every source turned off here)
    path.write_text('[collect]\ncontact = "talent@brightwater.test"\n[[companies]]\nname = "Brightwater"\n'
                    + "".join(f"[sources.{s}]\nenabled = false\n" for s in ("hackernews", "stackexchange", "mastodon",
                                                                           "feeds", "web", "gdelt")), encoding="utf-8")
    assert main(["collect"]) == 1
    err = capsys.readouterr().err
    assert "placeholder" not in err and "no source" in err.lower(), err


def test_verbs_that_send_no_request_take_the_starter_file_as_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    assert main(["init"]) == 0
    posts = tmp_path / "posts.csv"
    posts.write_text("text,published_at\nExample Corp ghosted me after the interview,2026-02-02\n", encoding="utf-8")
    assert main(["import", str(posts)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "1", "text": "Example Corp ghosted me"}\n'))
    assert main(["classify"]) == 0
    out, err = capsys.readouterr()
    assert "placeholder" not in err and '"companies": ["Example Corp"]' in out, (out, err)


# --------------------------------------------------------------------------- 5. a new database file

def test_collect_import_and_schedule_say_where_they_create_a_new_database(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # a cron job without `cd` ran in $HOME and made a second data/hirepulse.duckdb there, silently
    (tmp_path / "exports").mkdir()
    config = write_config(tmp_path, {}, companies=[{"name": "Acme"}],
                          extra='\n[[imports]]\nfolder = "exports"\n')
    posts = tmp_path / "posts.csv"
    posts.write_text("text,published_at\nAcme interview went fine,2026-02-02\n", encoding="utf-8")
    default = (tmp_path / "data" / "hirepulse.duckdb").resolve()
    assert main(["--config", str(config), "import", str(posts)]) == 0
    err = capsys.readouterr().err
    assert err == f"hirepulse: creating a new database at {default}\n", err
    assert default.exists()
    assert main(["--config", str(config), "import", str(posts)]) == 0
    assert "creating" not in capsys.readouterr().err           # the same file, once it exists: nothing said

    import os
    import time

    dropped = tmp_path / "exports" / "posts.csv"
    dropped.write_bytes(posts.read_bytes())
    os.utime(dropped, (time.time() - 600, time.time() - 600))   # (not one still being written)
    for verb in (["schedule", "--once"], ["import"]):
        db_path = tmp_path / "elsewhere" / f"{verb[0]}.duckdb"
        assert main(["--db", str(db_path), "--config", str(config), *verb]) == 0
        assert f"hirepulse: creating a new database at {db_path.resolve()}\n" in capsys.readouterr().err
        assert db_path.exists()

    # a file that stores nothing (--check) creates no database and says nothing
    assert main(["--db", str(tmp_path / "none.duckdb"), "--config", str(config), "import", "--check",
                 str(posts)]) == 0
    assert "creating" not in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_collect_says_where_it_creates_a_new_database(tmp_path: Path, httpserver,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    hits = [hn_hit(1 + i, 1_700_000_000 + i * 600, f"Acme recruiter {i}") for i in range(3)]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(FakeAlgolia(hits))
    config = write_config(tmp_path, {"hackernews": {"base_url": httpserver.url_for("").rstrip("/"),
                                                    "min_interval_seconds": 0}}, companies=[{"name": "Acme"}])
    assert main(["collect", "--config", str(config)]) == 0
    default = (tmp_path / "data" / "hirepulse.duckdb").resolve()
    assert capsys.readouterr().err.count(f"hirepulse: creating a new database at {default}\n") == 1
    assert main(["collect", "--config", str(config)]) == 0
    assert "creating" not in capsys.readouterr().err
