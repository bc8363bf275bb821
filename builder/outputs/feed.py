"""The Atom feed (RFC 4287): the articles and letters most recently added to the archive.

Made from the page views, like the pages: an entry's title and summary are what its
page shows. "Added" is its file's first commit (history.py), so the feed follows the
archive's growth, not the dates of the letters; the same commit builds the same
feed. Without history (content outside git) it falls back to the records' own
dates and says so in its subtitle. Entry ids are permalinks when mkdocs.yml gives
a site_url, else tag: URIs that never change with where the site is served from.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any

from ..model import addresses
from ..model import dates
from ..derive.views import ArticlePage, LetterPage, Page
from ..link.graph import date_of
from .render import template, xml_text
from ..model.text import reader_text

FEED = "feed.xml"  # at the site's root, beside index.html
LIMIT = 50
SUMMARY_CHARS = 400
# The ids of entries when no site_url is set (RFC 4151): fixed once, never the build's date.
TAG = "tag:leaders-letters,2026:"
BY_HISTORY = "The articles and letters most recently added to the archive, newest first."
BY_OWN_DATE = ("The latest articles and letters by their own dates (publication, or the letter's date): "
               "this copy of the archive has no history of when records were added.")
EPOCH = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: str  # RFC 3339
    published: str | None
    summary: str
    kind: str  # "Letter", "Article": the entry's category


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def _day(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _summary(view: Page) -> str:
    if isinstance(view, LetterPage):
        to = ", ".join(h.ref.title for h in view.recipients)
        head = f"{view.sender.ref.title} to {to}, {dates.label(view.letter.date.date) if view.letter.date.date else 'undated'}."
        text = view.letter.summary or ""
    else:
        assert isinstance(view, ArticlePage)
        when = view.published[0].label if view.published else "date not known"
        head = f"{view.outlet.title}, {when}."
        text = reader_text(view.article.body)
    text = xml_text(text)
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return xml_text(f"{head} {text}")


@dataclass(frozen=True, slots=True)  # held in each article's and letter's piece (data/pieces.py)
class Candidate:
    """An article's or letter's page as the feed may list it: by when it was added, or by its own date.

    It holds what the feed's entry shows, worked out from the page's view: a run keeps it while
    it does not work the page out again (data/pieces.py), and keeps no view."""

    path: str  # the page's, in build/docs
    permalink: str
    title: str
    summary: str
    kind: str  # "Letter", "Article": the entry's category
    added: tuple[dt.datetime, str, str] | None  # (first commit's instant, latest commit, first commit); None before
    own_day: dt.date | None  # the day its own date is anchored to


def candidate(view: Page) -> Candidate | None:
    """The page's candidacy, None for a page the feed never lists."""
    if not isinstance(view, (ArticlePage, LetterPage)):
        return None
    record = view.letter if isinstance(view, LetterPage) else view.article
    own = date_of(record)
    history = view.record_history
    added = (_instant(history.added.date), history.revised.date, history.added.date) if history else None
    return Candidate(view.path, view.permalink, record.title, _summary(view),
                     "Letter" if isinstance(view, LetterPage) else "Article", added,
                     dates.anchor(own) if own else None)


def entries(candidates: list[Candidate], site_url: str | None) -> tuple[list[Entry], bool]:
    """The feed's entries, newest first, and whether they are ordered by history (else own dates)."""
    by_history = any(c.added for c in candidates)
    keyed: list[tuple[tuple[Any, ...], Candidate]] = []
    for c in candidates:
        if by_history:
            if c.added is not None:  # else not committed yet: it enters the feed with its first commit
                keyed.append(((c.added[0], c.own_day or dt.date.min, c.path), c))
        elif c.own_day is not None:  # else no date of any kind to place it by
            keyed.append(((c.own_day, c.path), c))  # the day's instant, 00:00 UTC, orders as the day
    found = []
    for _, c in heapq.nlargest(LIMIT, keyed, key=lambda pair: pair[0]):
        if c.added and by_history:
            _, updated, published = c.added
        else:
            assert c.own_day
            updated, published = _day(c.own_day), None
        found.append(Entry(
            id=c.permalink if site_url else TAG + c.path.removesuffix(".md"),
            title=c.title, link=c.permalink, updated=updated, published=published, summary=c.summary, kind=c.kind,
        ))
    return found, by_history


def feed_files(candidates: list[Candidate], settings: dict[str, Any]) -> dict[str, str]:
    """{"feed.xml": the Atom document}, written into the docs folder and copied as is by MkDocs.

    From every article's and letter's candidacy (`candidate`), in any order."""
    site_url = settings.get("site_url") if isinstance(settings.get("site_url"), str) else None
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    found, by_history = entries(candidates, site_url)
    updated = max(found, key=lambda e: _instant(e.updated)).updated if found else EPOCH
    text = template("feed.xml.j2").render(
        title=str(settings.get("site_name") or "Leaders' Letters"),
        subtitle=BY_HISTORY if by_history else BY_OWN_DATE,
        id=f"{site_url}{FEED}" if site_url else f"{TAG}{FEED}",
        home=f"{site_url}{addresses.html(addresses.HOME, addresses.HOME)}" if site_url else "index.html",
        self_link=f"{site_url}{FEED}" if site_url else None,
        updated=updated, entries=found,
    )
    return {FEED: text}
