"""The records' own pages, each made whole where it is worked out, on every core when there are many.

A record's page is derived (what it read noted), rendered and written into docs, and with it
go its search index entry and its piece of the downloads: nothing of its view outlives it.
These are 45,000 of the 63,600 pages at 10,000 articles, and no page's view depends on
another's, so a clean build splits them among forked workers (forks.py), each with its own
Deriver over the linked archive it shares with this process, taking runs of neighbouring records
(forks.dealt: a month's letters weigh the same articles' sentences); a run after an edit, with a few
pages to make, makes them here. Either way the same function makes every page: the pages,
the index and the downloads are byte for byte what one process makes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .derive.derive import Deriver
from .derive.history import Histories
from .derive.reads import Recorder
from .derive.views import Views
from .forks import dealt, forked, workers_for
from .incremental import PageReads, text_hash
from .link.graph import Archive
from .model import addresses
from .model.schema import Record
from .outputs.data.common import made_items
from .outputs.data.pieces import Piece, piece
from .outputs.render import rendered
from .outputs.search.index import Entry
from .outputs.search import entries_of
from .write.write import update_page


@dataclass
class Made:
    """What making some records' pages left, page by page in the order they were derived."""

    reads: PageReads = field(default_factory=PageReads)  # what each page read
    hashes: dict[str, bytes] = field(default_factory=dict)  # each page's text's hash
    written: list[str] = field(default_factory=list)  # the pages whose text changed, written
    entries: dict[str, Entry | None] = field(default_factory=dict)  # each page's search entry (None: not indexed)
    pieces: dict[str, Piece] = field(default_factory=dict)  # each record's piece of the downloads, by id


def placed(records: list[Record], taken: Collection[str]) -> list[str]:
    """The page of each record, in order. ValueError naming the path if two of them, or one and a page
    `taken` already, would share a page."""
    seen = set(taken)
    paths = list(map(addresses.page, records))
    for path in paths:
        if path in seen:
            raise ValueError(path)
        seen.add(path)
    return paths


def make(records: list[Record], paths: list[str], archive: Archive, history: Histories, site_url: str | None,
         docs: Path, unchanged: Callable[[str, str], bool] | None, jobs: int,
         meanwhile: Callable[[], None] | None = None) -> Made:
    """Make the pages of `records` (in page order; `paths`, their pages: placed) into `docs`, writing those
    whose text changed (`unchanged(path, text)`: the last run's page had it); on up to `jobs` workers.
    Once they are made, or the workers started (forks.forked), this function holds the records and the
    archive no more, and calls `meanwhile()`: a build alone lets go of them there (pipeline.regenerate)."""
    workers = workers_for(len(records), jobs)
    shares = dealt(len(records), workers)

    def shard(n: int) -> Made:
        return _made([records[i] for i in shares[n]], archive, history, site_url, docs, unchanged)

    def done() -> None:
        nonlocal records, archive
        del records, archive  # the workers have theirs
        if meanwhile is not None:
            meanwhile()

    made = forked(shard, workers, "making the records' pages", done)
    return made[0] if workers == 1 else _merged(made, paths)


def _made(records: list[Record], archive: Archive, history: Histories, site_url: str | None, docs: Path,
          unchanged: Callable[[str, str], bool] | None) -> Made:
    deriver = Deriver(archive, Recorder(), history=history, site_url=site_url)
    views = Views()
    for record in records:
        views.add(deriver.page(record))
    made = Made(PageReads.of(deriver.reads), *written(views, docs, unchanged), entries_of(views))
    items = made_items(records, views, archive)
    made.pieces = {item.id: piece(item, items, site_url) for of_kind in items.items.values() for item in of_kind}
    return made


def written(views: Views, docs: Path, unchanged: Callable[[str, str], bool] | None
            ) -> tuple[dict[str, bytes], list[str]]:
    """Render each page and write it into `docs` as it is made, if its text changed (no build holds
    every page's text): the hash of each page's text, and the pages written."""
    hashes, done = {}, []
    for path, text in rendered(views):
        if update_page(docs, path, text, unchanged):
            done.append(path)
        hashes[path] = text_hash(text)
    return hashes, done


def _merged(shards: list[Made], paths: list[str]) -> Made:
    """The shards' pages in page order again (`paths`, each record's page), as one process has them."""
    whole = Made()
    whole.reads = PageReads.joined([made.reads for made in shards], paths)
    for name in ("hashes", "entries"):
        parts: dict[str, Any] = {}
        for made in shards:
            parts.update(getattr(made, name))
        setattr(whole, name, {path: parts[path] for path in paths})
    for made in shards:
        whole.pieces.update(made.pieces)  # looked up by id (pieces.py)
    whole.written = sorted(path for made in shards for path in made.written)
    return whole
