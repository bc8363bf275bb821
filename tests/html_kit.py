"""Read a built page the way a reader sees it: its main text, headings and links."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    path: str  # relative to the site root, e.g. "people/vladimir-putin.html"
    h1: str = ""
    text: str = ""  # the article body's text, whitespace collapsed
    links: list[tuple[str, str]] = field(default_factory=list)  # (link text, target path in site)
    text_links: list[tuple[str, str]] = field(default_factory=list)  # those inside an article's own text
    headings: list[tuple[int, str]] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # heading -> text up to the next heading

    def targets(self) -> list[str]:
        return [target for _, target in self.links]

    def link_to(self, target: str) -> str | None:
        """The text of the first link to `target`, or None."""
        return next((text for text, t in self.links if t == target), None)

    def section(self, heading: str) -> str:
        """The text under a heading, up to the next heading of any level."""
        return self.sections[heading]


class _Reader(HTMLParser):
    """Collects text and links inside Material's <article>, skipping permalinks and the timeline picture,
    whose words and links the page's lists and tables say again (tests/test_timeline_picture.py reads it)."""

    def __init__(self, page: Page):
        super().__init__()
        self.page = page
        self.depth = 0  # >0 while inside <article>
        self.in_text = 0  # >0 while inside <div class="article-text">
        self.in_picture = False
        self.link: list | None = None
        self.heading: list | None = None
        self.chunks: list[str] = []
        self.current: str | None = None  # the heading whose section we are in
        self.section_chunks: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if tag == "figure" and "timeline-picture" in (attrs.get("class") or "").split():
            self.in_picture = True
        if not self.depth or self.in_picture:
            return
        if tag == "div" and self.in_text:
            self.in_text += 1
        if tag == "div" and "article-text" in (attrs.get("class") or "").split():
            self.in_text = 1
        if tag == "a" and "href" in attrs:
            self.link = [attrs["href"], []]
        if tag in ("h1", "h2", "h3", "h4"):
            self.heading = [int(tag[1]), []]
        if tag in ("p", "li", "tr", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "blockquote", "br"):
            self.chunks.append(" ")
            if self.current is not None:
                self.section_chunks[self.current].append(" ")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if self.in_picture:
            self.in_picture = tag != "figure"
            return
        if tag == "div" and self.in_text:
            self.in_text -= 1
        if tag == "a" and self.link:
            href, text = self.link
            self.link = None
            if not href.startswith(("http:", "https:", "mailto:", "#")):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.path), href.split("#")[0]))
                self.page.links.append((" ".join("".join(text).split()), target))
                if self.in_text:
                    self.page.text_links.append(self.page.links[-1])
        if tag in ("h1", "h2", "h3", "h4") and self.heading:
            level, text = self.heading
            self.heading = None
            title = " ".join("".join(text).split())
            self.page.headings.append((level, title))
            self.current = title
            self.section_chunks.setdefault(title, [])
            if level == 1 and not self.page.h1:
                self.page.h1 = title

    def handle_data(self, data):
        if not self.depth or self.in_picture:
            return
        self.chunks.append(data)
        if self.current is not None and self.heading is None:
            self.section_chunks[self.current].append(data)
        if self.link is not None:
            self.link[1].append(data)
        if self.heading is not None:
            self.heading[1].append(data)


def read(site: Path, path: str) -> Page:
    page = Page(path=path)
    reader = _Reader(page)
    reader.feed((site / path).read_text(encoding="utf-8"))
    page.text = " ".join("".join(reader.chunks).split())
    page.sections = {h: " ".join("".join(c).split()) for h, c in reader.section_chunks.items()}
    return page
