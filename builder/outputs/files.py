"""Files a build makes from the whole archive, besides the pages and the search index.

The data downloads and the Data page (data/), the Atom feed (feed.py) and the
redirect pages at renamed records' old addresses (redirects.py). The downloads and
the feed hold every record: they are joined from each record's piece, made with the
pages a run made and kept for the others (data/pieces.py), so a clean build and a
run after an edit take the same two steps: `whole_archive` reads the archive before
the records' pages are made, `Whole.finished` joins their pieces after, reading no record.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from . import redirects
from ..derive.derive import Deriver
from ..derive.history import Histories
from ..derive.views import Page
from .data import Downloads, Listing, Pieces, data_page, exported
from .data.pieces import Piece
from .feed import FEED, feed_files
from ..link.graph import Archive
from ..model.schema import Record


def site_url(found: dict[str, Any]) -> str | None:
    """The site's public address, when mkdocs.yml gives one: permalinks, CMIF references, feed ids."""
    url = found.get("site_url")
    return url if isinstance(url, str) and url else None


@dataclass(frozen=True)
class Whole:
    """The whole archive's files as far as they read the archive, worked out before the records' pages are
    made: the Data page, the redirects, the records' order; `finished` joins the rest from the pieces
    the pages' workers send back, reading no record (a build alone has let go of them: pipeline.py)."""

    data: dict[str, str]  # the Data page
    redirects: dict[str, str]
    listing: Listing
    kept: Pieces
    found: dict[str, Any]  # mkdocs.yml's settings: the feed's title and address

    def paths(self) -> list[str]:
        """Every file `finished` gives, the downloads among them."""
        return [*self.data, FEED, *self.redirects, *Downloads.paths()]

    def finished(self, made: dict[str, Piece]) -> tuple[dict[str, str], Downloads]:
        """{docs path: text} of the Data page, the feed and the redirect pages; and the downloads. `made`:
        the pieces of the records whose pages this run made whole (record_pages.py), by id."""
        pieces = self.kept.joined(self.listing, made)
        feed = feed_files([p.feed for of_kind in pieces.values() for p in of_kind if p.feed], self.found)
        return {**self.data, **feed, **self.redirects}, Downloads(self.listing, pieces, site_url(self.found))


def whole_archive(archive: Archive, pages: Collection[str], found: dict[str, Any], kept: Pieces | None = None,
                  history: Histories | None = None, making: Collection[Record] = (), standing: bool = True) -> Whole:
    """The whole archive's files, as far as they read the archive (Whole).

    `pages` are the docs paths of every page the site has: a redirect is written only where no
    page stands and only to a page that does. The downloads and the feed are joined from each
    record's pieces: those of the records whose pages this run makes (`making`), sent back as they
    are made, and the others `kept` from the last run (a record with neither has its page worked out
    again here, from `history` as the pages were). `standing`: a later run keeps this one's items."""
    url = site_url(found)
    kept = Pieces() if kept is None else kept
    records = exported(archive, kept.standing if standing else None)
    deriver: Deriver | None = None

    def page_of(record: Any) -> Page:
        nonlocal deriver
        deriver = deriver or Deriver(archive, history=history, site_url=url)
        return deriver.page(record)

    kept.prepare(records, url, page_of, making)
    data = data_page(records)
    moved = redirects.pages(archive, {*pages, *data, FEED, *Downloads.paths()}, url)
    return Whole(data, moved, records.listing(), kept, found)


def whole_archive_files(archive: Archive, pages: Collection[str], found: dict[str, Any]
                        ) -> tuple[dict[str, str], Downloads]:
    """The whole archive's files in one go, every record's piece made here: what a clean build writes."""
    return whole_archive(archive, pages, found).finished({})
