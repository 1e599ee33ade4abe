"""The paths a config file names are the file's: `report` and the scheduler's report job write where out_dir says,
wherever hirepulse runs from, while a command-line --out stays the working folder's."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"


def _config_in(folder: Path, reports: str) -> Path:
    folder.mkdir()
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    assert '[reports]\nout_dir = "reports"\n' in text
    path = folder / "hirepulse.toml"
    path.write_text(text.replace('[reports]\nout_dir = "reports"\n', f"[reports]\n{reports}\n"), encoding="utf-8")
    return path


def test_report_writes_into_out_dir_beside_the_config_and_out_beside_the_working_folder(
        tmp_path: Path, sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hirepulse.cli import main

    config = _config_in(tmp_path / "conf", 'out_dir = "weekly"')
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert main(["report", "--db", str(sample_db), "--config", str(config)]) == 0
    assert (tmp_path / "conf" / "weekly" / "summary.md").is_file()
    assert not (tmp_path / "cwd" / "weekly").exists()
    # a path given on the command line is the command line's: relative to where it runs
    assert main(["report", "--db", str(sample_db), "--config", str(config), "--out", "adhoc"]) == 0
    assert (tmp_path / "cwd" / "adhoc" / "summary.md").is_file()
    assert not (tmp_path / "conf" / "adhoc").exists()


def test_scheduled_reports_go_into_out_dir_beside_the_config(
        tmp_path: Path, sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hirepulse.cli import _schedule_jobs
    from hirepulse.config import load_config

    config = _config_in(tmp_path / "conf", 'out_dir = "weekly"\nschedule = "0 6 * * 1"')
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")   # as a service manager may start it: the working folder is not the config's
    report = next(j for j in _schedule_jobs(load_config(config), sample_db, [], salt="s") if j.name == "report")
    report.func(lambda: False)
    (dated,) = (tmp_path / "conf" / "weekly").iterdir()
    assert (dated / "summary.md").is_file()
    assert list((tmp_path / "cwd").iterdir()) == []
