"""One browser test: serve the dashboard with ``streamlit run`` and read it in headless Chromium.

Checks what a person sees on the Overview (title, a KPI label, a stage name), from the DOM that
Chromium renders. First, while the server is fresh, a link straight to a view: Streamlit runs it
without ``app.py`` then (``pages/_frame.py``), and its sidebar must still list the app's views, not
every module of ``pages/``. Without chromium the test is skipped on a workstation and fails in CI.
"""

from __future__ import annotations

import json
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
PAGE_TIMEOUT = 90.0           # a fresh server's first page imports the analyzer and reads the database
EXPECTED = ("Overview", "Net sentiment (−100 to +100)", "Candidate-experience index by hiring stage", "Interview",
            "Brightwater")
# a link straight to the Mentions view: its own text, and the sidebar's list of views
DEEP_LINK_EXPECTED = ("Why did a post score this way?", "Hiring journey", "Collection health", "Label posts")


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


def _page_text(url: str, expected: tuple[str, ...]) -> str:
    """What a person sees at ``url`` (``document.body.innerText``) once every ``expected`` string is on it, or
    at PAGE_TIMEOUT. Chromium stays on the page while Streamlit renders it over its websocket, as a person's
    browser does; the text is read through Chromium's DevTools protocol (``websockets`` comes with Streamlit)."""
    from websockets.sync.client import connect

    profile = Path(tempfile.mkdtemp(prefix="hirepulse-chromium-"))
    browser = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + PAGE_TIMEOUT
    try:
        page = None
        while page is None:  # Chromium writes its DevTools port to the profile, then lists the page
            if time.monotonic() > deadline:
                raise AssertionError("chromium did not open the page")
            try:
                port = int((profile / "DevToolsActivePort").read_text().split()[0])
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                    page = next((t for t in json.load(response) if t.get("type") == "page"), None)
            except (OSError, ValueError, IndexError):
                pass
            time.sleep(0.1)
        text, n = "", 0
        with connect(page["webSocketDebuggerUrl"], max_size=None) as ws:
            while time.monotonic() < deadline:
                n += 1
                ws.send(json.dumps({"id": n, "method": "Runtime.evaluate", "params": {
                    "expression": "document.body ? document.body.innerText : ''", "returnByValue": True}}))
                reply = json.loads(ws.recv(timeout=10))
                while reply.get("id") != n:
                    reply = json.loads(ws.recv(timeout=10))
                text = reply.get("result", {}).get("result", {}).get("value") or ""
                if all(e in text for e in expected):
                    break
                time.sleep(0.25)
        return text
    finally:
        _stop(browser)
        shutil.rmtree(profile, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


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
        # before anything opens the root: Streamlit still treats pages/ as its page list
        deep = _page_text(f"{url}/mentions", DEEP_LINK_EXPECTED)
        missing = [expected for expected in DEEP_LINK_EXPECTED if expected not in deep]
        assert not missing, f"not on the page: {missing}\n{deep[:2000]}"
        assert not re.search(r"^(loaders|frame|ui)$", deep, flags=re.M), "a helper module listed as a page"
        text = _page_text(url, EXPECTED)
        missing = [expected for expected in EXPECTED if expected not in text]
        assert not missing, f"not on the page: {missing}\n{text[:2000]}"
        assert "Traceback" not in text and "Error" not in text.split("What changed")[0]
    finally:
        _stop(server)
        log.close()
