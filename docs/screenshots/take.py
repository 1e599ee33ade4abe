"""Take the dashboard screenshots in this folder: ``python docs/screenshots/take.py URL [OUT_DIR]``.

Drives headless Chromium over the DevTools protocol (``websockets`` comes with Streamlit): opens
each view of a running dashboard, waits until Streamlit has finished rendering (real time, not
``--virtual-time-budget``, which fast-forwards past a page waiting on its websocket), and saves a
1400 px wide PNG of the whole page. Serve the demo first, e.g.::

    HIREPULSE_DB=/tmp/demo.duckdb HIREPULSE_CONFIG=data/sample/hirepulse.toml \\
        streamlit run app.py --server.headless true --server.port 8611
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

VIEWS = ("overview", "journey", "trends", "themes", "competitors", "brand_impact", "mentions", "health", "labelling")
QUERY = "?from=2026-01-01&to=2026-03-31"   # the sample's 2026 Q1 ghosting wave
WIDTH, MIN_HEIGHT, MAX_HEIGHT = 1400, 1800, 4200
SETTLE_SECONDS = 2.0
TIMEOUT_SECONDS = 60.0
BUSY_JS = ("!!document.querySelector('[data-testid=stStatusWidget]') || "
           "!!document.querySelector('[data-testid=stSkeleton]') || "
           "!document.querySelector('[data-testid=stMainBlockContainer] h1')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Tab:
    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        await self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(await self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    async def js(self, expression: str) -> object:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


async def _shoot(ws_url: str, base: str, out_dir: Path) -> None:
    async with websockets.connect(ws_url, max_size=64 * 2**20) as ws:
        tab = _Tab(ws)
        await tab.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=MIN_HEIGHT, deviceScaleFactor=1, mobile=False)
        for view in VIEWS:
            path = "" if view == "overview" else view
            await tab.call("Page.navigate", url=f"{base}/{path}{QUERY}")
            deadline = time.monotonic() + TIMEOUT_SECONDS
            await asyncio.sleep(SETTLE_SECONDS)
            while await tab.js(BUSY_JS) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            await asyncio.sleep(SETTLE_SECONDS)  # let Vega draw the charts
            height = await tab.js("document.querySelector('[data-testid=stMain]').scrollHeight") or MIN_HEIGHT
            height = max(MIN_HEIGHT, min(MAX_HEIGHT, int(height)))
            await tab.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False)
            await asyncio.sleep(1.0)
            shot = await tab.call("Page.captureScreenshot", format="png")
            (out_dir / f"{view}.png").write_bytes(base64.b64decode(shot["data"]))
            await tab.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=MIN_HEIGHT, deviceScaleFactor=1, mobile=False)
            print(f"{view}.png ({height}px)")


def main(argv: list[str]) -> int:
    base = argv[0].rstrip("/") if argv else "http://localhost:8611"
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)  # (a fresh folder to compare against the kept pictures)
    port = _free_port()
    profile = tempfile.mkdtemp(prefix="hirepulse-shots-")
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=1))
                page = next(t for t in targets if t.get("type") == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.1)
        else:
            raise SystemExit("chromium did not start")
        asyncio.run(_shoot(page["webSocketDebuggerUrl"], base, out_dir))
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
