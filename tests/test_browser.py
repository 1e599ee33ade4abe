"""One browser test: serve the dashboard with ``streamlit run`` and read it in headless Chromium.

Checks what a person sees on the Overview (title, a KPI label, a stage name), from the DOM that
Chromium renders. Without chromium the test is skipped on a workstation and fails in CI.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
CHROMIUM = shutil.which("chromium")
SERVER_START_TIMEOUT = 60.0
PAGE_ATTEMPTS = 8             # Chromium's virtual time may end while the page still waits on its websocket
EXPECTED = ("Overview", "Net sentiment (−100 to +100)", "Candidate-experience index by hiring stage", "Interview",
            "Brightwater")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"streamlit exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise AssertionError("streamlit did not become healthy in time")


def _dump_dom(url: str) -> str:
    profile = tempfile.mkdtemp(prefix="hirepulse-chromium-")
    try:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
             f"--user-data-dir={profile}", "--virtual-time-budget=8000", "--dump-dom", url],
            capture_output=True, timeout=120, check=False)
        return result.stdout.decode("utf-8", errors="replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _visible_text(dom: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


def test_overview_in_a_real_browser(sample_db: Path, tmp_path: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HIREPULSE_DB": str(sample_db), "HIREPULSE_CONFIG": str(SAMPLE_CONFIG)}
    log = (tmp_path / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, server)
        text = ""
        for attempt in range(PAGE_ATTEMPTS):
            text = _visible_text(_dump_dom(url))
            if all(expected in text for expected in EXPECTED):
                break
            time.sleep(0.5 * attempt)  # a warm server answers the next session sooner
        missing = [expected for expected in EXPECTED if expected not in text]
        assert not missing, f"not on the page: {missing}\n{text[:2000]}"
        assert "Traceback" not in text and "Error" not in text.split("What changed")[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()
