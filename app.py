"""hirepulse dashboard: the frame.

Page config, the sidebar filters (company, competitors, period, sources, stages; rendered by
``pages/_frame.py``) and ``st.navigation`` over the views in ``pages/``. Views render only; data
comes through the cached loaders in ``pages/_loaders.py``.

Run with ``streamlit run app.py`` (``hirepulse demo`` does this for the bundled sample). The
database comes from ``$HIREPULSE_DB``, the companies from ``$HIREPULSE_CONFIG``. A link can
preselect the period: ``?from=2026-01-01&to=2026-03-31``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the views' helpers import as `pages._ui` from any working folder
    sys.path.insert(0, str(HERE))

from pages._frame import framed, page_setup, render_sidebar  # noqa: E402


def main() -> None:
    page = page_setup()
    with framed(render_sidebar()):
        page.run()


main()
