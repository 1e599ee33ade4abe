"""Shared fixtures: a real DuckDB file built from the bundled sample through the real pipeline."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from hirepulse.cli import DEMO_SALT

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "sample"
TEST_SALT = "test-salt-not-secret"
# the salt `hirepulse demo` keys its synthetic sample with (sample_db): a write into it under another is refused
SAMPLE_SALT = DEMO_SALT


def pytest_configure(config: pytest.Config) -> None:
    """The run's own cache of parsed weight files (analysis/cache.py), set before any fixture builds an
    analyzer, so that no test reads or writes the developer's ~/.cache."""
    config._hirepulse_cache = tempfile.mkdtemp(prefix="hirepulse-cache-")  # noqa: SLF001
    os.environ["HIREPULSE_CACHE_DIR"] = config._hirepulse_cache  # noqa: SLF001


def pytest_unconfigure(config: pytest.Config) -> None:
    cache = getattr(config, "_hirepulse_cache", None)
    if cache:
        shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config or database, and every test has a salt."""
    monkeypatch.delenv("HIREPULSE_DB", raising=False)
    monkeypatch.delenv("HIREPULSE_CONFIG", raising=False)
    monkeypatch.setenv("HIREPULSE_SALT", TEST_SALT)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample imported and analysed once per session (do not modify: copy it)."""
    from hirepulse.cli import main

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    old = os.environ.get("HIREPULSE_SALT")
    os.environ["HIREPULSE_SALT"] = TEST_SALT
    try:
        code = main(["demo", "--no-app", "--db", str(path), "--config", str(SAMPLE_DIR / "hirepulse.toml")])
    finally:
        if old is None:
            os.environ.pop("HIREPULSE_SALT", None)
        else:
            os.environ["HIREPULSE_SALT"] = old
    assert code == 0
    return path


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the analysed sample database for one test."""
    target = tmp_path / "hirepulse.duckdb"
    shutil.copy(sample_db_template, target)
    return target


@pytest.fixture
def store_as_before_0005():
    """``store(con, mentions, salt)``: mentions stored as a hirepulse before migration 0005 stored them (its
    ``mentions`` table has no ``rating_scale``), for tests that build a database of an older version."""
    from hirepulse import db

    def store(con, mentions, salt: str) -> None:
        table = db.mentions_table(mentions, salt=salt)
        con.register("_before_0005", table.select([n for n in table.column_names if n != "rating_scale"]))
        try:  # (with the content hash as that hirepulse made it)
            con.execute("INSERT INTO mentions SELECT id, source, native_id, url, company, query, kind, title, text, "
                        "published_at, author_key, lang, stage_hint, rating, md5(concat_ws(chr(31), coalesce(title, ''), "
                        "text, coalesce(url, ''), CAST(published_at AS VARCHAR), coalesce(company, ''), "
                        "coalesce(stage_hint, ''), coalesce(CAST(rating AS VARCHAR), ''), coalesce(author_key, ''), "
                        "coalesce(kind, ''))), fetched_at, now() FROM _before_0005")
        finally:
            con.unregister("_before_0005")
    return store
