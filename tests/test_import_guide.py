"""docs/importing.md: every console block's commands run from the repository's folder, in order, against one real
DuckDB file, and print exactly what the guide shows."""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

import pytest

from hirepulse.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "importing.md"


def console_steps(text: str) -> list[tuple[str, str]]:
    """Each ``$ command`` of the guide's console blocks, with the output the guide shows after it."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def test_the_guide_has_its_steps() -> None:
    steps = console_steps(GUIDE.read_text(encoding="utf-8"))
    assert len(steps) >= 8 and all(command.startswith("hirepulse ") for command, _ in steps)


def test_every_command_of_the_import_guide_prints_what_it_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HIREPULSE_DB", str(tmp_path / "guide.duckdb"))
    monkeypatch.delenv("HIREPULSE_CONFIG", raising=False)
    assert not (ROOT / "hirepulse.toml").exists()   # (the guide's commands run without a config, but the last)
    an_hour_ago = time.time() - 3600   # (a fresh checkout's files would be "still being written" for a minute)
    watched = ROOT / "docs" / "import-examples" / "ats-survey.csv"
    os.utime(watched, (an_hour_ago, an_hour_ago))
    for command, shown in console_steps(GUIDE.read_text(encoding="utf-8")):
        argv = shlex.split(command)
        code = main(argv[1:])
        got = capsys.readouterr()
        # (the first import says where it creates the test's own database: a path the guide cannot show)
        err = got.err.replace(f"hirepulse: creating a new database at {(tmp_path / 'guide.duckdb').resolve()}\n", "")
        assert got.out + err == shown, command
        assert code == (1 if shown.startswith("hirepulse: error:") else 0), command
