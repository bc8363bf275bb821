"""Links in bodies, checked as the strict MkDocs build checks them, and reported at the content file's line.

MkDocs (mkdocs.yml: `strict` and `validation:`) refuses a page that links to a page it does not
build, to an anchor the page lacks, by an address from the site's root, or by an address it does
not recognise as a page (a folder); it names only the generated page. Every record's body is
placed on its record's page (builder/templates), so each body's links are found where MkDocs
finds them (a treeprocessor over the same extensions), resolved from the record's page as MkDocs
resolves them, and held to the pages known before any page is worked out: records', pairs' and
the indexes' entry pages (a page of a year or an initial, a download or an image is refused).
Anchors are those a record's own text defines (headings, `{#id}`, `id=`, footnotes): the sections
the builder writes come and go with other records, so a link to one could break on someone else's
edit.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..model import addresses
from ..model.errors import Problem, did_you_mean
from .graph import Archive
from ..load.load import Source
from ..validate.safety import line_in_body
from ..model.schema import Key, Kind

# What MkDocs enables whatever mkdocs.yml says (config_options.MarkdownExtensions' builtins).
_MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
# Text that can make a link or an image; a body without any is not rendered at all.
_MAY_LINK = re.compile(r"\]\(|\]:|<(?:a|img)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1 << 16)  # the preview asks of the same bodies after each edit
def _may_link(body: str) -> bool:
    return _MAY_LINK.search(body) is not None

FIXED_PAGES = {
    addresses.HOME, addresses.TIMELINE, addresses.LEADERS, addresses.LETTERS, addresses.PEOPLE,
    addresses.SUMMITS, addresses.TOPICS, addresses.ARTICLES, addresses.OUTLETS, addresses.CORRESPONDENCE,
    addresses.PLACES, addresses.DATA,
}
_DOC_FILE = re.compile(r"Doc file '(?P<page>[^']+)'")  # how MkDocs names a page in its messages
_PAGE_HINT = ("Link to a record's page by its folder and id, relative to this page: '../people/<id>.md', "
              "'../letters/<id>.md'")


@dataclass(frozen=True)
class Wrong:
    message: str
    hint: str
    needle: str  # text to find the body's line by


Anchors = Callable[[str], "frozenset[str] | None"]  # a page's anchors, None for a page with no record's text


@dataclass(frozen=True)
class Rendered:
    links: list[tuple[str, str]]  # (tag, address) of each <a href> and <img src>, in order
    anchors: frozenset[str]  # every id a link may point to


class _Collect(Treeprocessor):
    """Last of the treeprocessors, where MkDocs reads links and ids too."""

    def run(self, root: etree.Element) -> None:
        self.links = [(el.tag, el.get("href" if el.tag == "a" else "src") or "")
                      for el in root.iter() if el.tag in ("a", "img")]
        self.ids = {value for el in root.iter() for name in ("id", "name")
                    if (value := el.get(name)) and (name == "id" or el.tag == "a")}


class _HtmlIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if v and (k == "id" or (k == "name" and tag == "a")))


class _RawIds(Preprocessor):
    """Ids written in raw HTML, which MkDocs counts as anchors though Markdown leaves the HTML alone."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _HtmlIds()
        parser.feed("\n".join(lines))
        parser.close()
        self.ids = parser.ids
        return lines


class _Links(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.tree, self.raw = _Collect(), _RawIds()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(self.tree, "body_links", 0)  # after "unescape", as MkDocs' own
        md.preprocessors.register(self.raw, "body_ids", 21)  # MkDocs' place: before html_block


class Reader:
    """Bodies read as MkDocs reads each page: its built-in extensions and mkdocs.yml's, with their settings."""

    def __init__(self, settings: dict[str, Any]) -> None:
        names, configs = list(_MKDOCS_BUILTINS), {}
        for item in settings.get("markdown_extensions") or []:
            name, config = next(iter(item.items())) if isinstance(item, dict) else (item, None)
            names.append(name)
            configs[name] = config or {}
        self.found = _Links()
        self.md = markdown.Markdown(extensions=[*dict.fromkeys(names), self.found], extension_configs=configs)

    def __call__(self, body: str) -> Rendered:
        self.md.reset()
        self.md.convert(body)
        return Rendered(self.found.tree.links, frozenset(self.found.tree.ids | self.found.raw.ids))


def made_from(message: str) -> str:
    """MkDocs' message about a page, saying which content file a record's page was made from."""
    found = _DOC_FILE.match(message)
    page = found["page"] if found else ""
    folder, _, name = page.partition("/")
    if folder in {kind.folder for kind in Kind} and "/" not in name:
        return f"{message} (build/docs/{page} is the page of content/{page})"
    return message


def site_pages(archive: Archive) -> set[str]:
    """The pages a body may link to: every build writes them whatever else the archive holds."""
    return (FIXED_PAGES | {addresses.page(r) for r in archive.records.values()}
            | {addresses.pair(ids) for ids in archive.pairs()})


def problems(archive: Archive, by_key: dict[Key, Source], settings: dict[str, Any]) -> list[Problem]:
    """Every link in a body that the strict build would refuse, or that could break as the archive grows.

    `settings` are mkdocs.yml's (history.site_settings): its Markdown extensions are the build's."""
    if not any(_may_link(by_key[k].body) for k in archive.records if k in by_key):
        return []  # no body links: the pages a link could name need not be listed
    pages = site_pages(archive)
    on_page = {addresses.page(r): by_key[key] for key, r in archive.records.items() if key in by_key}
    read, rendered = Reader(settings), dict[str, Rendered]()

    def text(page: str) -> Rendered:
        if page not in rendered:  # each body read once, and only if it links or is linked to
            rendered[page] = read(on_page[page].body.strip())  # as the templates place it
        return rendered[page]

    def anchors(page: str) -> frozenset[str] | None:
        return text(page).anchors if page in on_page else None

    found = []
    for page, source in on_page.items():
        if not _may_link(source.body):
            continue
        for tag, address in text(page).links:
            wrong = _judge(tag, address, page, pages, anchors)
            if wrong:
                line = source.body_line + line_in_body(source.body, wrong.needle) - 1
                found.append(Problem(source.path, line, "body", wrong.message, wrong.hint))
    return found


def _judge(tag: str, address: str, page: str, pages: set[str], anchors: Anchors) -> Wrong | None:
    """What is wrong with one link of a page's body, or None for a link the build keeps."""
    scheme, netloc, path, _, anchor = urlsplit(address)
    what = "image" if tag == "img" else "link"
    if scheme or netloc or AMP_SUBSTITUTE in address:
        return None  # another site, or an e-mail address: not the build's to check
    if address.startswith(("/", "\\")):
        target = posixpath.normpath(unquote(path).lstrip("/\\"))
        fix = f" as '{addresses.relative(target, page)}'" if target in pages else ""
        return Wrong(f"the {what} '{address}' starts at the site's root, which breaks when the site is opened "
                     f"from disk", f"Write it relative to this page{fix}", address)
    if not path:  # "#x" on this page; "#" or "?x" alone MkDocs leaves be
        return _anchor(anchor, page, page, address, anchors) if anchor else None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)).lstrip("/"))
    if target in pages:
        return _anchor(anchor, target, page, address, anchors) if anchor else None
    if tag == "img":
        return Wrong(f"the image '{address}' is no file of the site", "Leave the image out, or describe it in words",
                     address)
    stem, extension = posixpath.splitext(target)
    if extension == ".html" and stem + ".md" in pages:
        return Wrong(f"the link '{address}' names the page MkDocs writes, not its Markdown file",
                     f"Write '{addresses.relative(stem + '.md', page)}': MkDocs makes it the .html link", address)
    close = _near_page(target, page, pages)
    if not extension:
        return Wrong(f"the link '{address}' names no page: MkDocs links pages by their Markdown files",
                     f"{close or _PAGE_HINT}", address)
    return Wrong(f"the link '{address}' leads to '{target}', which is neither a record's page nor a main page "
                 "of the site", close or _PAGE_HINT, address)


def _near_page(target: str, page: str, pages: set[str]) -> str:
    """"Did you mean …?" with the page whose id is nearest the link's, as a link from `page`."""
    # One id may name pages of two kinds: the page in the link's own folder wins.
    same_folder = posixpath.dirname(target)
    by_id = {posixpath.splitext(posixpath.basename(p))[0]: p
             for p in sorted(pages, key=lambda p: (posixpath.dirname(p) == same_folder, p))}
    close = difflib.get_close_matches(posixpath.splitext(posixpath.basename(target))[0], by_id, n=1, cutoff=0.6)
    return f"Did you mean '{addresses.relative(by_id[close[0]], page)}'?" if close else ""


def _anchor(anchor: str, target: str, page: str, address: str, anchors: Anchors) -> Wrong | None:
    held = anchors(target)
    if held is not None and anchor in held:
        return None
    if anchor.startswith("fnref:") and target == page:  # the back-link of a footnote nothing refers to
        label = anchor.removeprefix("fnref:")
        return Wrong(f"the footnote '[^{label}]' is never referred to",
                     f"Refer to it in the text with [^{label}], or delete it", f"[^{label}]:")
    if held is None:
        return Wrong(f"the link '{address}' points to '#{anchor}' on a page the builder writes alone",
                     "Link to the page without '#…': its sections change as the archive grows", address)
    where = "this page's text" if target == page else f"the text of '{addresses.relative(target, page)}'"
    return Wrong(f"the link '{address}' points to no heading or anchor in {where}",
                 did_you_mean(f"#{anchor}", sorted(f"#{a}" for a in held)) or "Link to a heading of a record's own text (its id is the "
                 "heading in lower case, words joined by '-'), or to the page without '#…'", address)
