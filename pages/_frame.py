"""The dashboard frame's sidebar: company, competitors, period, sources and stages.

``app.py`` renders it once per run and hands the selection to the view through
:func:`framed`; a view reads it with :func:`selection`.

Why it lives here and not in ``app.py``: Streamlit treats an app with a ``pages/`` folder as a
"v1" multipage app until ``st.navigation`` has run once in the process, so the first request
for a view's URL on a fresh server, and every ``AppTest.switch_page`` run, executes the view
file directly, without ``app.py``. :func:`selection` then renders the same sidebar itself, so
a view never runs without its filters, and sets the app's own navigation (:func:`page_setup`)
over the one Streamlit made of the folder, which lists every module in it (``_charts``,
``_frame``, ``_loaders``, ...) as a page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import streamlit as st

from analysis.metrics import default_period
from analysis.scoring import STAGES
from hirepulse.config import Config
from hirepulse.errors import ConfigError, DatabaseError
from pages import _loaders as loaders
from pages._ui import Selection, show_database_error, source_label, stage_label

APP_TITLE = "hirepulse"
TAGLINE = "Candidate experience and brand, side by side"
APP_DIR = Path(__file__).resolve().parent.parent  # where app.py is
SAMPLE_DIR = APP_DIR / "data" / "sample"

# the stage filter's one rule, in every view (analysis.metrics.Filters.where and keep_brand)
STAGES_HELP = ("Narrows the candidate experiences to the posts about these stages. The other posts about the "
               "company (the consumer brand) name no stage, so the views that show them keep all of them.")
_run = threading.local()          # Streamlit runs each session's script in its own thread
# the views, in the order of the sidebar: (file, title, icon); the first is the default page
VIEWS = (
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/journey.py", "Hiring journey", ":material/route:"),
    ("pages/trends.py", "Trends and spikes", ":material/show_chart:"),
    ("pages/themes.py", "Themes", ":material/label:"),
    ("pages/competitors.py", "Competitors", ":material/groups:"),
    ("pages/brand_impact.py", "Brand impact", ":material/storefront:"),
    ("pages/mentions.py", "Mentions", ":material/forum:"),
    ("pages/health.py", "Collection health", ":material/monitor_heart:"),
    ("pages/labelling.py", "Label posts", ":material/edit_note:"),
)


def page_setup():
    """Every run's first steps, in ``app.py`` or in a view run without it: the page config and the
    sidebar's page list, ``st.navigation`` over ``VIEWS`` (it returns the page this run is for)."""
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/insights:", layout="wide")
    return st.navigation([st.Page(APP_DIR / path, title=title, icon=icon, default=(i == 0))
                          for i, (path, title, icon) in enumerate(VIEWS)])


@contextmanager
def framed(sel: Selection) -> Iterator[Selection]:
    """Make ``sel`` the selection of the view that runs inside this block (this thread only)."""
    _run.selection = sel
    try:
        yield sel
    finally:
        _run.selection = None


def selection() -> Selection:
    """The sidebar's selection for this run; renders the sidebar if the frame did not."""
    sel = getattr(_run, "selection", None)
    if sel is None:
        page_setup()  # (this run's view is already chosen; the list replaces the folder's)
        sel = render_sidebar()
    return sel


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
    """The date range: the link's ``?from=&to=``, else the last 13 weeks of data."""
    start = _query_date("from") or default_period(first, last)[0]
    end = _query_date("to") or last
    default = (min(max(start, first), last), min(max(end, first), last))
    picked = st.sidebar.date_input("Period", value=default, min_value=first, max_value=last, format="YYYY-MM-DD",
                                   key="period",
                                   help="Every change is compared with the period of the same length just before it.")
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        return picked[0], picked[1]
    one = picked[0] if isinstance(picked, (tuple, list)) and picked else default[0]
    return one, one  # a half-picked range: show that day until the end is chosen


def render_sidebar() -> Selection:
    """Render the filters and return the selection; stops the run on a database problem."""
    st.sidebar.markdown(f"### {APP_TITLE}\n{TAGLINE}")
    config, note = _config()
    try:
        options = loaders.load_filter_options()
    except DatabaseError as exc:
        show_database_error(exc, retry_key="frame_retry")   # (a rerun keeps a view's unsaved answers)
        st.stop()
    configured = [c.name for c in config.all_companies()]
    companies = list(dict.fromkeys([*configured, *options["companies"]]))
    employer = config.employer.name if config.employer else (companies[0] if companies else None)
    if not companies or options["first"] is None:
        return Selection(company=employer, empty=True, notes=(note,) if note else ())

    st.sidebar.header("Filters")
    company = st.sidebar.selectbox("Company", companies, index=companies.index(employer), key="company",
                                   help="The employer whose hiring and brand the views show.")
    known = {c.name: c for c in config.all_companies()}
    others = [c for c in companies if c != company]
    rivals = [c for c in (known[company].competitors if company in known else ()) if c in others]
    competitors = st.sidebar.multiselect("Competitors", others, default=rivals, key=f"competitors_{company}",
                                         placeholder="Add a competitor", help="Compared on the Competitors view.")
    since, until = _period(options["first"].date(), options["last"].date())
    sources = st.sidebar.multiselect("Sources", options["sources"], format_func=source_label, key="sources",
                                     placeholder="All sources")
    stages = st.sidebar.multiselect("Hiring stages", list(STAGES), format_func=stage_label, key="stages",
                                    placeholder="All stages", help=STAGES_HELP)
    if config.path and Path(config.path).resolve().parent == SAMPLE_DIR:
        st.sidebar.caption("Showing the bundled synthetic sample: fictional companies and posts.")
    return Selection(company=company, competitors=tuple(competitors), since=since, until=until,
                     sources=tuple(sources), stages=tuple(stages), notes=(note,) if note else ())
