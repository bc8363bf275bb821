"""A built page's main content as a small element tree, for checks that need structure
html_kit's flat reading loses: which footnote follows which link in a fact, a table's rows."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def walk(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.walk() if e.tag == tag and (cls is None or cls in e.classes())]

    def kids(self, tag: str) -> list[Element]:
        """Direct children with this tag."""
        return [c for c in self.children if isinstance(c, Element) and c.tag == tag]

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        # Tolerant: close up to the nearest open element of this tag, if any.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def article(site: Path, path: str) -> Element:
    """The page's Material <article>: its own content, without header, navigation and footer."""
    builder = _Builder()
    builder.feed((site / path).read_text(encoding="utf-8"))
    found = builder.root.all("article")
    assert found, f"{path} has no <article>"
    return found[0]


def target(page: str, href: str) -> str | None:
    """The site path a link on `page` leads to, or None for external links and same-page anchors."""
    if href.startswith(("http:", "https:", "mailto:", "#")) or not href:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def rows(table: Element) -> list[Element]:
    """A table's body rows."""
    return [tr for body in table.all("tbody") for tr in body.kids("tr")]
