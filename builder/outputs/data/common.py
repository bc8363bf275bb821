"""What every export shares: the records in the order their pages were derived, and their ids.

A record's id in the exports is the address of its page as the site serves it,
relative to the site's root: `letters/2013-05-putin-to-obama.html`. It is read
from the page's view (its path, or a Ref's), never worked out again here.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from ...model import addresses
from ...model import dates
from ...derive.history import build_epoch
from ...derive.views import Page, Ref, Views
from ...link.graph import Archive
from ...model.schema import Key, Kind, Record

DATA = "data"  # the downloads' folder in build/docs and site/
SITE_TITLE = "Leaders' Letters"
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def html_address(path: str) -> str:
    """A docs path as the page the site serves: `letters/x.md` -> `letters/x.html`."""
    return path[:-3] + ".html" if path.endswith(".md") else posixpath.splitext(path)[0] + ".html"


def ref_id(ref: Ref) -> str:
    """The id of a record a view shows: its Ref's page, as the site serves it."""
    return html_address(ref.path)


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def date_value(edtf: str) -> dict[str, Any]:
    """An EDTF date as exported: as written, and the earliest and latest day it can mean (None: open
    or unknown)."""
    first, last = dates.span(edtf)
    return {"date": edtf, "earliest": day(first), "latest": day(last)}


@dataclass(frozen=True)
class Item:
    """One record with the view of its page and its id."""

    record: Any  # a Record; Any, as views type their records
    view: Page | None  # its page's view, where this run worked it out
    id: str  # its page's address, the view's path as the site serves it
    view_path: str = ""  # its page's docs path


@dataclass
class Exported:
    """The records of the archive, by kind (in Kind's order), each kind in the order of its pages."""

    archive: Archive
    items: dict[Kind, list[Item]] = field(default_factory=dict)
    _ids: dict[Key, str] | None = None

    def id(self, kind: Kind, record_id: str) -> str:
        """The id of a record another one names (every name resolves after linking): its item's, or
        for a record without one here (pieces made of a few records' items), its page's address."""
        if self._ids is None:
            self._ids = {(k, item.record.id): item.id for k, items in self.items.items() for item in items}
        found = self._ids.get((kind, record_id))
        return html_address(addresses.page(self.archive.records[(kind, record_id)])) if found is None else found

    def any_id(self, record_id: str) -> str | None:
        """The id of a record named without its kind (an article's `mentions:`); ids are unique."""
        kinds = self.archive.kinds_of.get(record_id)
        return self.id(kinds[0], record_id) if kinds else None

    def named_in(self, article_id: str) -> list[Key]:
        """The records an article's text names, in the order first named."""
        return list(dict.fromkeys(target for target, _, _ in self.archive.mentions_by_article().get(article_id, ())))

    def of(self, kind: Kind) -> list[Item]:
        return self.items.get(kind, [])

    def listing(self) -> Listing:
        """What joining the downloads reads of the records: no record, no archive."""
        return Listing({kind: [item.id for item in items] for kind, items in self.items.items()},
                       [item.view_path for item in self.of(Kind.article)],
                       dt.datetime.fromtimestamp(int(build_epoch(self.archive)), dt.timezone.utc))


@dataclass(frozen=True)
class Listing:
    """The records' ids by kind (in Kind's order, each kind in the order of its pages), each article's
    page and the data's date: what the downloads are joined from besides the pieces (Downloads), so
    that a build need not hold the records and the archive as they are written (pipeline.regenerate)."""

    ids: dict[Kind, list[str]]
    articles: list[str]  # each article's docs path, in order
    # When the data is as of (the JSON and CMIF both say it): the sitemap's date, from the content
    # (or SOURCE_DATE_EPOCH), so the same content exports the same bytes.
    stamp: dt.datetime


def made_items(records: list[Record], views: Views, archive: Archive) -> Exported:
    """The items of `records`, whose pages `views` holds (in the same order), alone: what their pieces
    are made from, without an item for every record of the archive."""
    found: dict[Kind, list[Item]] = {}
    for record, (path, view) in zip(records, views.pages.items(), strict=True):
        found.setdefault(record.kind, []).append(Item(record, view, html_address(path), path))
    return Exported(archive, found)


def exported(archive: Archive, standing: dict[int, Item] | None = None) -> Exported:
    """Every record of the archive, in the order pages are derived, without its page's view: pieces are
    made with the pages, or kept (pieces.py).

    `standing`: the last run's items, by their record's identity, taken again for the same record
    (and replaced by this run's): the preview makes items only for what an edit changed."""
    found: dict[Kind, list[Item]] = {}
    last = {} if standing is None else standing.copy()
    if standing is not None:
        standing.clear()
    for kind in Kind:
        items = found[kind] = []
        for record in archive.all(kind.model):
            item = last.get(id(record))
            if item is None or item.record is not record:
                path = addresses.page(record)
                item = Item(record, None, html_address(path), path)
            if standing is not None:
                standing[id(record)] = item
            items.append(item)
    return Exported(archive, {kind: items for kind, items in found.items() if items})
