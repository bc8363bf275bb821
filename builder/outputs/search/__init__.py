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

from ...derive.views import Views
from .documents import Document, document
from .index import SearchIndex


def documents(views: Views) -> list[Document]:
    return [doc for view in views.pages.values() if (doc := document(view)) is not None]


def index_files(views: Views) -> tuple[SearchIndex, dict[str, str]]:
    """The index of every page in `views`, and its files by docs path."""
    return SearchIndex.build(doc for view in views.pages.values() if (doc := document(view)) is not None)
