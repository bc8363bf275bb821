"""Files a build makes from the whole archive, besides the pages and the search index.

The data downloads and the Data page (data/), the Atom feed (feed.py) and the
redirect pages at renamed records' old addresses (redirects.py). The downloads and
the feed hold every record: they are joined from each record's piece, made with the
pages a run made and kept for the others (data/pieces.py), so a clean build and a
run after an edit call this one function with the pieces they made.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from . import redirects
from ..derive.derive import Deriver
from ..derive.history import Histories
from ..derive.views import Page
from .data import Downloads, Pieces, data_page, exported
from .data.pieces import Piece
from .feed import feed_files
from ..link.graph import Archive


def site_url(found: dict[str, Any]) -> str | None:
    """The site's public address, when mkdocs.yml gives one: permalinks, CMIF references, feed ids."""
    url = found.get("site_url")
    return url if isinstance(url, str) and url else None


def whole_archive_files(archive: Archive, pages: Collection[str], found: dict[str, Any],
                        kept: Pieces | None = None, history: Histories | None = None,
                        made: dict[str, Piece] | None = None) -> tuple[dict[str, str], Downloads]:
    """{docs path: text} of the Data page, the feed and the redirect pages; and the downloads.

    `pages` are the docs paths of every page the site has: a redirect is written only where no
    page stands and only to a page that does. The downloads and the feed are joined from each
    record's pieces: `made`, those of the records whose pages this run made whole (record_pages.py),
    by id, and the others `kept` from the last run (a record with neither has its page worked out
    again, from `history` as the pages were)."""
    url = site_url(found)
    kept = Pieces() if kept is None else kept
    records = exported(archive, kept.standing)
    deriver: Deriver | None = None

    def page_of(record: Any) -> Page:
        nonlocal deriver
        deriver = deriver or Deriver(archive, history=history, site_url=url)
        return deriver.page(record)

    pieces = kept.update(records, url, page_of, made or {})
    downloads = Downloads(records, pieces, url)
    files = data_page(records)
    files.update(feed_files([p.feed for of_kind in pieces.values() for p in of_kind if p.feed], found))
    files.update(redirects.pages(archive, {*pages, *files, *downloads.paths()}, url))
    return files, downloads
