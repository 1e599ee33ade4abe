"""hirepulse dashboard: the frame.

Page config, the sidebar filters (company, competitors, period, sources, stages) and
``st.navigation`` over the views in ``pages/``. Views render only; data comes through the
cached loaders in ``pages/_loaders.py``.

Run with ``streamlit run app.py`` (``hirepulse demo`` does this for the bundled sample). The
database comes from ``$HIREPULSE_DB``, the companies from ``$HIREPULSE_CONFIG``. A link can
preselect the period with ``?from=2026-01-01&to=2026-03-31``.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # pages/ helpers import as `pages._ui` from any working folder
    sys.path.insert(0, str(HERE))

from analysis.scoring import STAGES  # noqa: E402
from hirepulse.config import Config  # noqa: E402
from hirepulse.errors import ConfigError, DatabaseError  # noqa: E402
from pages import _loaders as loaders  # noqa: E402
from pages._ui import SELECTION_KEY, Selection, show_database_error, source_label, stage_label  # noqa: E402

APP_TITLE = "hirepulse"
DEFAULT_PERIOD_DAYS = 91          # 13 weeks, ending at the newest mention
VIEWS = (
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/journey.py", "Hiring journey", ":material/route:"),
    ("pages/trends.py", "Trends and spikes", ":material/show_chart:"),
    ("pages/themes.py", "Themes", ":material/label:"),
    ("pages/competitors.py", "Competitors", ":material/groups:"),
    ("pages/brand_impact.py", "Brand impact", ":material/storefront:"),
    ("pages/mentions.py", "Mentions", ":material/forum:"),
    ("pages/health.py", "Collection health", ":material/monitor_heart:"),
)


def _config() -> tuple[Config, str | None]:
    try:
        return loaders.load_app_config(), None
    except ConfigError as exc:
        return Config(), f"The configuration cannot be used, so no employer is preselected: {exc}"


def _query_date(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def _period(first: date, last: date) -> tuple[date, date]:
    """The sidebar's date range: the link's ?from/&to, else the last 13 weeks of data."""
    default = (_query_date("from") or max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)),
               _query_date("to") or last)
    default = (min(max(default[0], first), last), min(max(default[1], first), last))
    picked = st.sidebar.date_input("Period", value=default, min_value=first, max_value=last,
                                   format="YYYY-MM-DD", key="period",
                                   help="Every change is compared with the period of the same length just before it.")
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        return picked[0], picked[1]
    start = picked[0] if isinstance(picked, (tuple, list)) and picked else default[0]
    return start, start  # a half-picked range: show the one day until the end is chosen


def sidebar() -> Selection:
    """Render the filters and return the selection; stops the app on a database problem."""
    config, note = _config()
    try:
        options = loaders.load_filter_options()
    except DatabaseError as exc:
        show_database_error(exc)
        st.stop()
    configured = [c.name for c in config.all_companies()]
    companies = list(dict.fromkeys([*configured, *options["companies"]]))
    if not companies or options["first"] is None:
        return Selection(company=config.employer.name if config.employer else None, empty=True)

    st.sidebar.header("Filters")
    employer = config.employer.name if config.employer else options["companies"][0]
    company = st.sidebar.selectbox("Company", companies, index=companies.index(employer), key="company",
                                   help="The employer whose hiring and brand the views show.")
    known = {c.name: c for c in config.all_companies()}
    others = [c for c in companies if c != company]
    default_rivals = [c for c in (known[company].competitors if company in known else ()) if c in others]
    competitors = st.sidebar.multiselect("Competitors", others, default=default_rivals, key=f"competitors_{company}",
                                         help="Compared on the Competitors view.")
    since, until = _period(options["first"].date(), options["last"].date())
    sources = st.sidebar.multiselect("Sources", options["sources"], format_func=source_label, key="sources",
                                     placeholder="All sources")
    stages = st.sidebar.multiselect("Hiring stages", list(STAGES), format_func=stage_label, key="stages",
                                    placeholder="All stages",
                                    help="Narrows the views to posts about these stages.")
    if config.path and config.path.resolve().parent == HERE / "data" / "sample":
        st.sidebar.caption("Showing the bundled synthetic sample: fictional companies and posts.")
    return Selection(company=company, competitors=tuple(competitors), since=since, until=until,
                     sources=tuple(sources), stages=tuple(stages), notes=(note,) if note else ())


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/insights:", layout="wide")
    pages = [st.Page(path, title=title, icon=icon, default=(i == 0)) for i, (path, title, icon) in enumerate(VIEWS)]
    page = st.navigation(pages)
    st.sidebar.markdown(f"### {APP_TITLE}\nCandidate experience and brand, side by side")
    st.session_state[SELECTION_KEY] = sidebar()
    page.run()


main()
