"""Files a build makes from the whole archive's views, besides the pages and the search index.

The data downloads and the Data page (data/), the Atom feed (feed.py) and the
redirect pages at renamed records' old addresses (redirects.py). Each reads every
view, so the full build and the preview (incremental.py, which keeps the views of
pages it did not work out again) call this one function with all of them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from . import redirects
from ..derive.views import Views
from .data import Pieces, export_files, exported
from .feed import feed_files
from ..link.graph import Archive


def site_url(found: dict[str, Any]) -> str | None:
    """The site's public address, when mkdocs.yml gives one: permalinks, CMIF references, feed ids."""
    url = found.get("site_url")
    return url if isinstance(url, str) and url else None


def whole_archive_files(views: Views, archive: Archive, pages: Collection[str],
                        found: dict[str, Any], kept: Pieces | None = None) -> dict[str, str]:
    """{docs path: text} of the downloads, the Data page, the feed and the redirect pages.

    `pages` are the docs paths of every page the site has: a redirect is written only where
    no page stands and only to a page that does. The downloads and the feed are joined from
    each record's pieces: those `kept` from the last run where its page's view stands."""
    url = site_url(found)
    records = exported(views, archive)
    pieces = (Pieces() if kept is None else kept).update(records, url)
    files = export_files(records, pieces, url)
    files.update(feed_files([p.feed for of_kind in pieces.values() for p in of_kind if p.feed], found))
    files.update(redirects.pages(archive, {*pages, *files}, url))
    return files
