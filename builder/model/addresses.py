"""Page addresses: where every page sits in the docs folder, and links between pages.

The one place that knows the site's layout. A page's address is its docs path
(`letters/2013-05-putin-to-obama.md`); MkDocs turns it into the `.html` it
builds. Exports and feeds that come later name pages through this module too.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from .schema import Record

HOME = "index.md"
TIMELINE = "timeline.md"
LEADERS = "leaders.md"
LETTERS = "letters/index.md"
PEOPLE = "people/index.md"
SUMMITS = "summits/index.md"
TOPICS = "topics/index.md"
ARTICLES = "articles/index.md"
OUTLETS = "outlets/index.md"
CORRESPONDENCE = "correspondence/index.md"
PLACES = "places/index.md"
DATA = "data.md"

# Each long index is an entry page (above) and one page per group: a year, or an initial.
# Group pages sit in folders no record's page can take (ids have no "/"), so no id collides.
GROUPS = {
    LETTERS: "letters/years", TIMELINE: "timeline", ARTICLES: "articles/years", SUMMITS: "summits/years",
    LEADERS: "leaders", PEOPLE: "people/names", TOPICS: "topics/names", OUTLETS: "outlets/names",
    CORRESPONDENCE: "correspondence/names", PLACES: "places/names",
}


def page(record: Record) -> str:
    """A record's page: its kind's folder and its id."""
    return f"{record.folder}/{record.id}.md"


def pair(ids: tuple[str, str]) -> str:
    """The page of the letters between two people, ids in order."""
    return f"correspondence/{ids[0]}-and-{ids[1]}.md"


def group(index: str, key: str) -> str:
    """One group's page of a long index: `letters/years/2013.md`, `people/names/a.md`."""
    return f"{GROUPS[index]}/{key}.md"


def relative(path: str, from_page: str) -> str:
    """A Markdown link from one page to another; MkDocs rewrites `.md` links to what it builds."""
    return _relative(path, _folder(from_page))


# Kept by the page's folder, not the page: every page of a folder links a record the same way, and
# a cache by page held a link for each page and record it names (tens of MB at 10,000 articles).
@lru_cache(maxsize=None)
def _folder(page: str) -> str:
    return posixpath.dirname(page) or "."


@lru_cache(maxsize=None)
def _relative(path: str, folder: str) -> str:
    """posixpath.relpath for two plain relative paths, without its two calls to os.getcwd (a system call
    each, at 10,000 articles a fifth of a million)."""
    start = [] if folder == "." else folder.split("/")
    target = path.split("/")
    if any(part in ("", ".", "..") for part in (*start, *target)):
        return posixpath.relpath(path, folder)
    common = 0
    for mine, theirs in zip(start, target):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


def html(path: str, from_page: str) -> str:
    """A link written in raw HTML, which MkDocs leaves alone: it names the `.html` page."""
    return posixpath.splitext(relative(path, from_page))[0] + ".html"
