"""The cache of parsed weight files (analysis/cache.py) and a fresh `hirepulse classify`'s start-up: an
entry is written once and read after, an edited file is parsed again, a bad entry or an unwritable
directory costs a parse and nothing else, and classify imports no database."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cache, linear
from analysis import tone_model as T
from analysis.lexicon import LEXICON_DIR

REPO = Path(__file__).resolve().parent.parent
ROWS = b"# a test model\n=bias\t0.5\t-0.5\t0\n=score\t1\t0\t-1\nghosted\t-2.25\t0.5\t1e-3\n"


class Counting:
    """parse_weights, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> dict:
        self.calls += 1
        return linear.parse_weights(data)


def _shape(value: object) -> bool:
    return isinstance(value, dict)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(d))
    return d


def test_an_entry_is_kept_once_and_read_after(cache_dir: Path) -> None:
    parse = Counting()
    first = cache.parsed("weights", ROWS, parse, _shape)
    assert parse.calls == 1 and first["ghosted"] == (-2.25, 0.5, 0.001)
    (entry,) = cache_dir.iterdir()
    assert entry == cache.entry_path("weights", ROWS, cache_dir)
    again = cache.parsed("weights", ROWS, parse, _shape)
    assert parse.calls == 1 and again == first  # read, not parsed
    # an edited file is another entry: parsed, never served the old parse
    edited = ROWS.replace(b"-2.25", b"-3")
    assert cache.parsed("weights", edited, parse, _shape)["ghosted"][0] == -3.0
    assert parse.calls == 2 and len(list(cache_dir.iterdir())) == 2


def test_a_model_read_from_the_cache_is_the_model_parsed(cache_dir: Path) -> None:
    path = LEXICON_DIR / T.MODEL_NAME
    cold = T.ToneModel.load(path)  # parsed and kept
    assert cache.entry_path("weights", path.read_bytes(), cache_dir).exists()
    warm = T.ToneModel.load(path)  # read from the entry
    assert warm.weights == cold.weights and list(warm.weights) == list(cold.weights)
    assert warm.weights == linear.parse_weights(path.read_bytes())


@pytest.mark.parametrize("bad", [b"", b"not marshal at all", marshal.dumps(["a list"]), marshal.dumps({"a": 1})])
def test_a_bad_entry_is_parsed_again_and_replaced(cache_dir: Path, bad: bytes) -> None:
    cache_dir.mkdir()
    entry = cache.entry_path("weights", ROWS, cache_dir)
    entry.write_bytes(bad)
    parse = Counting()
    got = cache.parsed("weights", ROWS, parse, linear._weights_shape)  # noqa: SLF001
    assert parse.calls == 1 and got == linear.parse_weights(ROWS)
    assert marshal.loads(entry.read_bytes()) == got


def test_an_unwritable_or_switched_off_cache_costs_a_parse_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))  # cannot be created
    parse = Counting()
    assert cache.parsed("weights", ROWS, parse, _shape) == linear.parse_weights(ROWS)
    assert cache.parsed("weights", ROWS, parse, _shape) == linear.parse_weights(ROWS)
    assert parse.calls == 2
    for off in ("off", ""):
        monkeypatch.setenv(cache.CACHE_ENV, off)
        assert cache.cache_dir() is None
        assert cache.parsed("weights", ROWS, parse, _shape)["=bias"] == (0.5, -0.5, 0.0)
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "hirepulse"
    assert not any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))


def test_a_malformed_weights_file_is_named_and_nothing_is_kept(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.tsv"
    path.write_bytes(ROWS + b"late\t1.0\tx\t0.2\n")
    with pytest.raises(ValueError, match=r"w\.tsv:5: bad model row"):
        T.ToneModel.load(path)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_classify_starts_without_importing_the_database(tmp_path: Path) -> None:
    """One line through a fresh `hirepulse classify`: the verb needs no database, so DuckDB and pyarrow
    (a quarter of a second to import, and half the process's memory) stay out; the cache entries it
    writes are the weights' own, one per model file."""
    code = ("import io, sys; sys.stdin = io.StringIO(sys.argv[1]); from hirepulse.cli import main; rc = main(['classify']);"
            "print(sorted(m for m in ('duckdb', 'pyarrow') if m in sys.modules), file=sys.stderr); sys.exit(rc)")
    line = json.dumps({"id": 7, "text": "Ghosted after the final round, never heard back."}) + "\n"
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path / "c")}
    result = subprocess.run([sys.executable, "-c", code, line], capture_output=True, text=True, timeout=120, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == 7
    assert result.stderr.strip().splitlines()[-1] == "[]"
    models = sorted(LEXICON_DIR.glob("*_model.tsv"))
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        cache.entry_path("weights", m.read_bytes(), tmp_path / "c").name for m in models)
