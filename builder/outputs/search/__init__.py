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

from collections.abc import Callable, Iterable

from ...derive.views import Views
from .documents import document
from .index import SearchIndex


def index_files(views: Views) -> tuple[SearchIndex, dict[str, str]]:
    """The index of every page in `views`, and its files by docs path."""
    return SearchIndex.build(doc for view in views.pages.values() if (doc := document(view)) is not None)


def update_index(index: SearchIndex, views: Views, gone: Iterable[str], read: Callable[[str], str]) -> dict[str, str]:
    """Put the pages worked out again (`views`) in `index`, take those `gone` out: the files that change,
    as a clean build writes them. `read(path)` gives a file of the index as last written."""
    docs = {path: document(view) for path, view in views.pages.items()}
    return index.update([doc for doc in docs.values() if doc is not None],
                        [*gone, *(path for path, doc in docs.items() if doc is None)], read)
