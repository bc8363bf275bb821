"""Search: the index readers' queries run on, built from the page views and written as scripts.

Material's search ships every page's text and builds its index in the browser
on every page load: at thousands of articles the page freezes for seconds, and
longer from disk. Here the index is built once, at build time, and split so a
query loads only what it needs, by `<script>` (which pages opened from disk can
do; fetch and workers they cannot):

- `search/index.js`: the manifest: document count, average length, the shard keys, the stopwords;
- `search/terms/<key>.js`: the postings of the terms starting with `<key>`;
- `search/docs/<n>.js`: the document table, 128 pages a file: address, title, kind, date, a line of context.

tokens.py turns text into terms (search.js does the same to a query),
documents.py says what of each page is indexed, index.py builds and updates
the files. The page side is overrides/assets/javascripts/search.js.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ...derive.views import Views
from .documents import document
from .index import Entry, SearchIndex, entry


def entries_of(views: Views) -> dict[str, Entry | None]:
    """Each page's entry in the index, by docs path; None for a page the index leaves out."""
    return {path: None if (doc := document(view)) is None else entry(doc) for path, view in views.pages.items()}


def index_files(entries: dict[str, Entry | None]) -> tuple[SearchIndex, Mapping[str, str]]:
    """The index of every page's entry, and its files by docs path."""
    return SearchIndex.build(e for e in entries.values() if e is not None)


def update_index(index: SearchIndex, entries: dict[str, Entry | None], gone: Iterable[str],
                 read: Callable[[str], str]) -> Mapping[str, str]:
    """Put the pages worked out again (their `entries`) in `index`, take those `gone` out: the files that
    change, as a clean build writes them. `read(path)` gives a file of the index as last written."""
    return index.update([e for e in entries.values() if e is not None],
                        [*gone, *(path for path, e in entries.items() if e is None)], read)
