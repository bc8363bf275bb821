"""Each record's piece of every download, kept between runs: after an edit only changed pages' are made again.

A download (archive.json, each CSV table, the CMIF file, the feed) is its
records' pieces joined in order (records.py, tables.py, cmif.py, feed.py).
`piece` is the one place a record's pieces are made: a clean build makes every
record's; a later run keeps a record's while its page's view is the very one
they were made from. The derive stage works a view out again when anything the
page read changed (incremental.py), and a piece reads only what its page does:
the record, the view, and other records by id, whose addresses never change.
The preview keeps them in memory, `archive build` with its state in build/state/.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...derive.views import Page
from ...model.schema import Kind
from ..feed import Candidate, candidate
from .cmif import letter_text, source_text
from .common import Exported, Item
from .records import record_text
from .tables import record_rows


@dataclass(frozen=True)
class Piece:
    """A record's part of each download, as the files hold it."""

    json: str  # its object in archive.json
    rows: tuple[str, ...]  # its rows in each CSV table of its kind
    cmif: str  # a letter's correspDesc, an article's bibl among the sources; "" for other kinds
    feed: Candidate | None  # an article's or letter's candidacy for the feed


def piece(item: Item, exported: Exported, base_url: str | None) -> Piece:
    kind = item.record.kind
    cmif = (letter_text(item, exported, base_url) if kind is Kind.letter
            else source_text(item, exported, base_url) if kind is Kind.article else "")
    return Piece(record_text(item, exported), record_rows(item, exported), cmif,
                 candidate(item.view) if item.view else None)


def stands(made_from: Page | None, view: Page | None) -> bool:
    """Whether a piece made from one view of a page still holds for its view now: the same view object."""
    return view is not None and made_from is view


class Pieces:
    """The pieces the last run made, by record id, each with the view of the page it was made from."""

    def __init__(self) -> None:
        self.base_url: str | None = None
        self.made: dict[str, tuple[Page | None, Piece]] = {}

    def update(self, exported: Exported, base_url: str | None) -> dict[Kind, list[Piece]]:
        """Every record's piece, by kind in `exported`'s order: kept where its page's view stands, else made."""
        if base_url != self.base_url:  # every address in them changes
            self.made, self.base_url = {}, base_url
        made: dict[str, tuple[Page | None, Piece]] = {}
        found: dict[Kind, list[Piece]] = {}
        for kind, items in exported.items.items():
            pieces = found[kind] = []
            for item in items:
                kept = self.made.get(item.id)
                if kept is None or not stands(kept[0], item.view):
                    kept = (item.view, piece(item, exported, base_url))
                made[item.id] = kept
                pieces.append(kept[1])
        self.made = made  # records gone since are forgotten
        return found
