"""The dashboard through Streamlit's AppTest, on a real DuckDB file built from the sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
RUN_TIMEOUT = 60


@pytest.fixture
def app_env(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HIREPULSE_DB", str(sample_db))
    monkeypatch.setenv("HIREPULSE_CONFIG", str(SAMPLE_CONFIG))
    return sample_db


def _app() -> AppTest:
    from streamlit import cache_data

    cache_data.clear()
    return AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT)


def _open(page: str) -> AppTest:
    at = _app().run()
    assert not at.exception
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def test_overview_shows_kpis_and_summary(app_env: Path) -> None:
    at = _open("overview")
    assert [t.value for t in at.title] == ["Overview"]
    labels = [m.label for m in at.metric]
    assert "Mentions" in labels and "Net sentiment (−100 to +100)" in labels
    assert "Interview" in labels
    assert any("Mentions" in m.value for m in at.markdown)
