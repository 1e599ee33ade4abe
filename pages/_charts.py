"""Vega-Lite chart specs as plain dicts, and the one function that shows them.

Why not Altair: building an Altair chart, layering it and serialising it to a spec cost 40-100 ms
a view on every rerun (its object model deep-copies and re-walks the chart, and sanitises the
data to JSON), a third of a filter change. The specs below are the ones Altair produced, written
out; the data goes to Streamlit as a DataFrame, which it sends as Arrow, as it did for Altair.

Every chart has an explicit height and stretches to the width of its column. The height is the
plot's own (:func:`show`): a chart of one row per company or theme sizes it by its rows, and the axes,
titles and legend come on top, so a chart of a few rows is never squeezed below them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
Spec = dict[str, Any]


def nominal(field: str, **props: Any) -> Spec:
    return {"field": field, "type": "nominal", **props}


def ordinal(field: str, **props: Any) -> Spec:
    return {"field": field, "type": "ordinal", **props}


def quantitative(field: str, **props: Any) -> Spec:
    return {"field": field, "type": "quantitative", **props}


def temporal(field: str, **props: Any) -> Spec:
    return {"field": field, "type": "temporal", **props}


def when(test: str, then: Any, otherwise: Any) -> Spec:
    """A value that is ``then`` where the Vega expression ``test`` holds, else ``otherwise``."""
    return {"condition": {"test": test, "value": then}, "value": otherwise}


def mark(kind: str, **props: Any) -> Spec:
    return {"type": kind, **props}


def layer(*layers: Spec, height: int) -> Spec:
    return {"layer": list(layers), "height": height}


EMPTY = "empty"   # a dataset of one empty row, for layers that draw a constant


def zero_rule() -> Spec:
    """A dashed horizontal rule at y = 0, as a layer with its own single datum."""
    return {"data": {"name": EMPTY}, "mark": mark("rule", color="#888", strokeDash=[4, 4]),
            "encoding": {"y": {"datum": 0}}}


def show(spec: Spec, data: pd.DataFrame) -> None:
    """Show ``spec`` drawn from ``data`` across the column, its ``height`` that of the plot.

    When a layer brings its own data (a constant rule), the data goes to the other layers by
    name rather than to the whole chart, as Altair laid such charts out (Vega-Lite sizes the
    plot differently otherwise).
    """
    # Streamlit fits the whole chart, axes and titles included, into the height ("fit"): a 94-pixel chart of
    # one bar and an axis drew a sliver. "fit-x" stretches the width alone and keeps the height for the plot.
    spec = {"$schema": SCHEMA, "autosize": {"type": "fit-x", "contains": "padding"}, **spec}
    layers = spec.get("layer", [])
    if any("data" in part for part in layers):
        spec["layer"] = [part if "data" in part else {"data": {"name": "data"}, **part} for part in layers]
        spec["datasets"] = {"data": data, EMPTY: [{}]}
        st.vega_lite_chart(spec, width="stretch")
    else:
        st.vega_lite_chart(data, spec, width="stretch")
