"""Generated HTML-ish bodies through the body check: whatever it accepts, rendered with
mkdocs.yml's Markdown extensions and parsed by html5lib (a second HTML5 parser, not the one
the check uses), holds only allowed elements and attributes, no comment, no script URL, no
image from another site, no id of the theme's, and no markup a tooltip would read. The one
comment allowed is the switch of name links, `<!-- links: off -->`."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import html5lib
import markdown
import yaml
from markdown.extensions.abbr import AbbrExtension
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_kit import ROOT
from builder.validate.safety import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, unsafe_html


def _extensions() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [name if isinstance(name, str) else next(iter(name)) for name in config["markdown_extensions"]]


EXTENSIONS = _extensions()
MARKUP = re.compile(r"<[A-Za-z/!?]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")

PIECES = [
    # tags, allowed or not, in browser-confusing spellings
    "<p>", "</p>", "<span>", "</span>", "<div>", "</div>", "<b>", "<table><tr><td>x</td></tr></table>",
    "<img src=x>", "<IMG SRC=x>", "<img\nsrc=x\tonerror=alert(1)>", "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>", "<svg>", "<math><mtext>", "<noscript>", "</noscript>", "<style>",
    "<x-y>", "<textarea>", "<title>", "<xmp>", "<iframe srcdoc=x>", "<a href=x>", "</a>",
    # comments and their look-alikes
    "<!-->", "<!--->", "<!--", "-->", "--!>", "<!-- x -->", "<!-- links: off -->", "<![CDATA[", "]]>", "<?php", "?>", "<!x>",
    "</ x>", "<!DOCTYPE html>",
    # attributes and values
    ' title="', ' title=&lt;img&#32;src&#61;x&gt;', " id=__config", ' id="x"', " class=mermaid",
    " class=note", " onclick=alert(1)", " style=color:red", ' href="java\tscript:1"',
    " href=JaVaScRiPt&#58;1", ' src="//host/p.png"', " src=https://host/p.png", " srcset=a.png",
    '"', "'", "=", ">", "<", "&lt;", "&gt;", "&amp;", "&#60;", "&#x3c;", "&", ";",
    # Markdown
    "\n\n", "\n", " ", "## ", "# ", "*[NSC]: ", "NSC", "{: ", " }", "{#__x}", "{: onclick=alert(1) }",
    "![p](", "[l](", ")", "`", "    ", "> ", "- ", "| a | b |\n|---|---|\n| c | d |", "[^1]", "[^1]: note",
    "text", "word x", "https://host/p.png", "//host/x", "javascript:alert(1)",
]

bodies = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def _problems(tree: etree.Element) -> list[str]:
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):  # html5lib's etree keeps comments as Comment nodes
            if not re.fullmatch(r"\s*links:\s*(on|off)\s*", el.text or ""):
                found.append("comment")  # all but the switch of name links
            continue
        if el.tag == "DOCUMENT_FRAGMENT":
            continue
        if el.tag not in ALLOWED_TAGS:
            found.append(f"<{el.tag}>")
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and MARKUP.search("".join(el.itertext())):
            found.append("markup in a heading")
        for name, value in el.attrib.items():
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if name not in ALLOWED_ATTRIBUTES:
                found.append(f"attribute {name}")
            if name in ("href", "src", "cite") and (m := SCHEME.match(compact)) and m.group(1) not in (
                    "http", "https", "mailto"):
                found.append(f"{m.group(1)}: in {name}")
            if name == "src" and (SCHEME.match(compact) or compact.replace("\\", "/").startswith("//")):
                found.append(f"remote src {value}")
            if name == "id" and value.startswith("__"):
                found.append(f"id {value}")
            if name == "class" and any(re.match(r"md-|mermaid$|annotate$", w) for w in value.split()):
                found.append(f"class {value}")
            if name == "title" and MARKUP.search(value):
                found.append(f"markup in title {value!r}")
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_what_the_check_accepts_a_browser_parses_as_allowed(body):
    if unsafe_html(body):
        return
    md = markdown.Markdown(extensions=EXTENSIONS)
    rendered = md.convert(body)
    tree = html5lib.parseFragment(rendered, treebuilder="etree", namespaceHTMLElements=False)
    abbreviations = next(getattr(e, "abbrs") for e in md.registeredExtensions if isinstance(e, AbbrExtension))
    assert _problems(tree) == [], (body, rendered)
    # A definition applies to the whole page, used in the body or not.
    assert not [title for title in abbreviations.values() if MARKUP.search(html.unescape(title))], body


def test_the_fuzz_reaches_accepted_and_refused_bodies():
    """The pieces make both kinds, so the property above is not vacuous."""
    assert unsafe_html("word x <b>text</b> <a href=x>l</a>") == []
    assert unsafe_html("<!--> <img src=x onerror=alert(1)> -->") != []
