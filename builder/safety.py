"""Nothing a contributor writes may run in a reader's browser.

A body is rendered with Python-Markdown exactly as MkDocs will render it, and
the resulting HTML is held against an allowlist: tags that carry text, the
attributes they need, and links that are web or mail addresses or relative.
Anything else is a Problem on the line that holds it. We reject rather than
silently clean: an archive must not quietly alter a source's text, and the
contributor needs to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "id", "cite", "colspan", "rowspan", "lang", "class"}
URL_ATTRIBUTES = {"href", "src", "cite"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")

# The same extensions mkdocs.yml enables, so we see the HTML MkDocs will write.
_EXTENSIONS = ["abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables"]


@dataclass(frozen=True)
class Unsafe:
    what: str  # e.g. "<script>", "onerror attribute", "javascript: link"
    needle: str  # text to look for in the source to find the line


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(Unsafe(f"<{tag}> element", f"<{tag}"))
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(Unsafe(f"'{name}' event-handler attribute", name))
            elif name == "style":
                self.found.append(Unsafe("'style' attribute", "style"))
            elif name not in ALLOWED_ATTRIBUTES:
                self.found.append(Unsafe(f"'{name}' attribute", name))
            elif name in URL_ATTRIBUTES and value and not _safe_url(value):
                scheme = _compact(value).split(":", 1)[0]
                self.found.append(Unsafe(f"'{scheme}:' URL in {name}", scheme))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        if "[if" in data.lower():  # conditional comments can hide markup from the check
            self.found.append(Unsafe("conditional comment", "<!--"))


def _compact(text: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
    return "".join(ch for ch in text if ch.isprintable() and not ch.isspace()).lower()


def _safe_url(value: str) -> bool:
    compact = _compact(value)
    if ":" not in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True  # relative: no scheme before the first / ? or #
    return compact.startswith(SAFE_SCHEMES)


def unsafe_html(body: str) -> list[Unsafe]:
    """Everything in a Markdown body that could run or load code in a browser."""
    html = markdown.markdown(body, extensions=_EXTENSIONS)
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.found


def line_in_body(body: str, needle: str) -> int:
    """The 1-based line of the body where `needle` first appears, or 1."""
    wanted = _compact(needle)
    for number, line in enumerate(body.splitlines(), start=1):
        if wanted in _compact(line):
            return number
    return 1
