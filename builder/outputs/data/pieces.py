"""Each record's piece of every download, kept between runs: after an edit only changed pages' are made again.

A download (archive.json, each CSV table, the CMIF file, the feed) is its
records' pieces joined in order (records.py, tables.py, cmif.py, feed.py).
`piece` is the one place a record's pieces are made: a clean build makes every
record's; a later run keeps a record's unless it worked out its page again. The
derive stage does that when anything the page read changed (incremental.py),
and a piece reads only what its page does: the record, the view, and other
records by id, whose addresses never change. So no run needs the views of pages
it did not work out: none are kept. The preview keeps the pieces in memory,
`archive build` with its state in build/state/.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lz4.block  # type: ignore[import-untyped]  # no stubs; compress and decompress only

from ...derive.views import LetterPage, Page
from ...model.schema import Kind, Record
from ...shelf import Shelf, shelf_for
from ..feed import Candidate, candidate
from .cmif import letter_text, source_text
from .common import Exported, Item, Listing
from .records import record_text
from .tables import record_rows


@dataclass(frozen=True, slots=True)  # 45,000 at 10,000 articles, held from the pages stage on: no dict each
class Piece:
    """A record's part of each download, as the files hold it; its JSON and CMIF packed (at 10,000
    articles 118 MB of text, which every run keeps to join the downloads again, held in 77 MB), each
    unpacked once a run, as its download is joined (Downloads.parts)."""

    packed_json: bytes  # its object in archive.json
    rows: tuple[str, ...]  # its rows in each CSV table of its kind, as they are: each table reads them all
    packed_cmif: bytes  # a letter's correspDesc, an article's bibl among the sources; none for other kinds
    cites: tuple[str, ...]  # a letter's: the articles its page lists as reporting it, CMIF's sources
    feed: Candidate | None  # an article's or letter's candidacy for the feed

    @property
    def json(self) -> str:
        return _unpacked(self.packed_json)

    @property
    def cmif(self) -> str:
        return _unpacked(self.packed_cmif)


def piece(item: Item, exported: Exported, base_url: str | None) -> Piece:
    kind = item.record.kind
    cmif = (letter_text(item, exported, base_url) if kind is Kind.letter
            else source_text(item, exported, base_url) if kind is Kind.article else "")
    view = item.view
    cites = tuple(ref.path for ref, _ in view.reported_in) if isinstance(view, LetterPage) else ()
    return Piece(_packed(record_text(item, exported)), record_rows(item, exported), _packed(cmif), cites,
                 candidate(view) if view else None)


# LZ4, as the workers make the pieces: at 1,000 articles unpacking every piece adds 8 ms to a join (zlib,
# the rows packed too: 47 ms, for 3 MB less). Every build joins every piece, the build server's after an
# edit among them.
def _packed(text: str) -> bytes:
    return lz4.block.compress(text.encode("utf-8")) if text else b""


def _unpacked(data: bytes) -> str:
    return lz4.block.decompress(data).decode("utf-8") if data else ""


class Pieces:
    """The pieces the last run made, by record id. `archive build` keeps them on a shelf of their own
    beside its state (shelf.py): a run after an edit writes again only the shards where one changed."""

    def __init__(self) -> None:
        self.base_url: str | None = None
        self.made: dict[str, Piece] = {}
        self.shelf: Shelf[Piece] | None = None
        self.standing: dict[int, Item] = {}  # the last run's items (exported), in memory only

    def __getstate__(self) -> dict[str, Any]:
        return {"base_url": self.base_url}  # the pieces themselves are kept on the shelf

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.base_url, self.made, self.shelf, self.standing = state["base_url"], {}, None, {}

    def load(self, folder: Path, header: object) -> None:
        """The pieces kept in `folder` (any shard missing: those records' pieces are made again)."""
        self.shelf = Shelf(folder, header)
        self.made = self.shelf.load()

    def save(self, folder: Path, header: object) -> bool:
        self.shelf = shelf_for(self.shelf, folder, header)
        return self.shelf.save(self.made)

    def prepare(self, exported: Exported, base_url: str | None, page_of: Callable[[Any], Page],
                making: Collection[Record]) -> None:
        """Before this run's pages are made: the piece of every record that has none kept and whose page
        this run does not make (`making`) is made now, its page worked out by `page_of` (every piece is
        made again when the site's address changes). What joining them reads, `joined`, needs no record."""
        if base_url != self.base_url:  # every address in them changes
            self.made, self.base_url = {}, base_url
        now = {id(record) for record in making}
        for items in exported.items.values():
            for item in items:
                if item.id not in self.made and id(item.record) not in now:
                    self.made[item.id] = piece(replace(item, view=page_of(item.record)), exported, base_url)

    def joined(self, listing: Listing, fresh: dict[str, Piece]) -> dict[Kind, list[Piece]]:
        """Every record's piece, by kind in `listing`'s order: taken from `fresh` where this run made the
        record's page (record_pages.py), kept from the last run (or made by `prepare`) otherwise."""
        self.made.update(fresh)
        found = {kind: [self.made[i] for i in ids] for kind, ids in listing.ids.items()}
        self.made = {i: self.made[i] for ids in listing.ids.values() for i in ids}  # records gone since are forgotten
        return found
