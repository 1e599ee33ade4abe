"""A `hirepulse analyze` killed midway (SIGKILL) reads as interrupted until the next analysis closes its run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_DIR
from hirepulse import db
from hirepulse.cli import main
from test_collect_support import runs

GONE = "the process ended before the run finished"


def analyze(db_path: Path, *args: str) -> subprocess.Popen:
    with open(db_path.with_suffix(".stderr"), "ab") as err:
        return subprocess.Popen([sys.executable, "-m", "hirepulse.cli", "analyze", "--db", str(db_path), *args],
                                env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=err)


def analysed(db_path: Path) -> int:
    with db.connect(db_path, read_only=True) as con:
        return con.execute("SELECT count(*) FROM analysis").fetchone()[0]


def test_a_killed_analysis_reads_as_interrupted_until_the_next_one_closes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "hp.duckdb"
    assert main(["import", "--db", str(db_path), "--source", "survey", str(SAMPLE_DIR / "candidate_survey.csv")]) == 0
    with db.connect(db_path, read_only=True) as con:
        total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    capsys.readouterr()

    proc = analyze(db_path, "--batch-size", "2")   # (two posts a batch: many short writes, killed between two)
    deadline = time.monotonic() + 120
    while analysed(db_path) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, db_path.with_suffix(".stderr").read_text()
    partial = analysed(db_path)
    assert 0 < partial < total
    # nothing has written since: the row still says running, and it reads as interrupted
    assert [(r["source"], r["kind"], r["status"]) for r in runs(db_path)][-1] == ("analysis", "analyze", "running")
    assert main(["status", "--db", str(db_path)]) == 0
    # (with what it had scored: each batch noted its count with its results, in one transaction)
    assert f" analyze  analysis       interrupted {partial:>6} new ({GONE})" in capsys.readouterr().out
    # the next analysis closes it as an error saying so, and analyses what was left
    rerun = analyze(db_path)
    assert rerun.wait(timeout=300) == 0, db_path.with_suffix(".stderr").read_text()
    assert [(r["kind"], r["status"], r["error"]) for r in runs(db_path) if r["source"] == "analysis"] == [
        ("analyze", "error", f"interrupted: {GONE}"), ("analyze", "ok", None)]
    assert analysed(db_path) == total
