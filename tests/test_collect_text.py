"""html_to_text: one streaming pass that gives what walking a BeautifulSoup tree gave."""

from __future__ import annotations

import json
import random
import re
import warnings

import pytest
from bs4 import BeautifulSoup

from collectors.text import html_to_text
from test_collect_support import FIXTURES

_BLOCKS = ("p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


def soup_text(html: str) -> str:
    """The previous implementation (BeautifulSoup, html.parser), kept here as the oracle."""
    if "<" not in html and "&" not in html:
        return html.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # bs4 warns about URL-like or XML-like input
        soup = BeautifulSoup(html, "html.parser")
    for node in soup.select("script, style, template, span.invisible"):
        node.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in soup.get_text().split("\n")]
    return re.sub(r"\n\s*\n+", "\n\n", "\n".join(lines)).strip()


def _fixture_html() -> list[str]:
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and ("<" in value or "&" in value):
            found.append(value)

    for path in sorted(FIXTURES.rglob("*.json")):
        try:
            walk(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            pass
    found += [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.html"))]
    return found


EDGE_CASES = [
    "a</p>b", "<div><p>x</div>y", "<p>a<p>b", "x<br>y<br/>z", "<ul><li>a<li>b</ul>c",
    "<span class='invisible'>https://</span><span class='ellipsis'>example.com/a</span><span class=invisible>bc</span>",
    "<script>var a='<p>';</script>t", "<style>p{}</style><p>t</p>", "<!-- c --><p>t</p>", "&amp;&lt;&#x27;&",
    "<table><tr><td>a<td>b<tr><td>c</table>", "<pre>  a\n  b</pre>", "<template><p>x</p></template>y",
    "<span class='invisible'><p>x</p></span>y", "<p>unclosed <b>bold", "&#8217;s", "<p/>x", "text < not a tag",
    "<div><span class='invisible'>a<span>b</span>c</span>d</div>", "<![CDATA[x]]>y", "Acme &#x27;interview&#x27;<p>more",
]


@pytest.mark.parametrize("html", EDGE_CASES)
def test_edge_cases_match_the_tree_walk(html: str) -> None:
    assert html_to_text(html) == soup_text(html)


def test_recorded_payloads_and_random_markup_match_the_tree_walk() -> None:
    rng = random.Random(7)
    pieces = ["<p>", "</p>", "<div>", "</div>", "<li>", "<br>", "<br/>", "<span>", "</span>", '<span class="invisible">',
              "<script>", "</script>", "<pre>", "<h2>", "</h2>", "<tr>", "<b>", "</b>", "&amp;", "&#39;", "&nbsp;", "&",
              "word", "two words", " ", "\n", "x  y"]
    generated = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    corpus = _fixture_html() + generated
    assert len(corpus) > 1500
    assert [html_to_text(h) for h in corpus] == [soup_text(h) for h in corpus]


def test_unknown_entities_stay_as_written() -> None:
    # The one deliberate difference: bs4 dropped the semicolon of an unknown entity.
    assert html_to_text("R&D;&bogus; ok<p>x") == "R&D;&bogus; ok\n\nx"
