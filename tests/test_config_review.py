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
