"""Open data: the archive as JSON, CSV and CMIF, and the Data page that explains them.

Built from the same derived views the pages come from (derive.py), so a page
and its data never disagree. Every record is named by the address of its page
as the site serves it (`letters/2013-05-putin-to-obama.html`). The files are
written into build/docs/data/, which MkDocs copies into site/data/ as they are;
the Data page links them with plain links, which work from disk too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from ...model.schema import Kind
from .cmif import cmif
from .common import DATA, Exported, Listing, exported
from .page import data_page
from .pieces import Piece, Pieces
from .records import archive_json
from .tables import LINK_TABLES, TABLES, tables

JSON_FILE, CMIF_FILE = f"{DATA}/archive.json", f"{DATA}/letters.cmif.xml"
T = TypeVar("T")


@dataclass(frozen=True)
class Downloads:
    """Every download, joined from each record's pieces (pieces.py), in `listing`'s order, as it is
    written: 160 MB at 10,000 articles, which no run holds whole (the preview writes them once nobody
    waits for a page). Neither holds a record: a build alone has let go of them by then.

    `base_url`, the site's public address, makes CMIF's references absolute; without it they
    are relative to the CMIF file, which works from disk.
    """

    listing: Listing
    pieces: dict[Kind, list[Piece]]
    base_url: str | None = None

    @staticmethod
    def paths() -> list[str]:
        """Where they are written: the same files whatever the archive holds."""
        return [JSON_FILE, *(f"{DATA}/{table.name}" for table in (*TABLES, *LINK_TABLES)), CMIF_FILE]

    def parts(self) -> dict[str, Iterator[str]]:
        """{docs path: its text in parts, made as they are read}, in paths()' order."""
        listing, pieces = self.listing, self.pieces

        def of(read: Callable[[Piece], T]) -> dict[Kind, Each[T]]:
            return {kind: Each(found, read) for kind, found in pieces.items()}

        cited = {path for piece in pieces.get(Kind.letter, []) for path in piece.cites}
        return {JSON_FILE: archive_json(listing, of(attrgetter("json"))),
                **{f"{DATA}/{name}": text for name, text in tables(of(attrgetter("rows"))).items()},
                CMIF_FILE: cmif(listing, of(attrgetter("cmif")), cited, self.base_url)}


@dataclass(frozen=True)
class Each(Collection[T]):
    """What `read` gives of each piece, in order, worked out (unpacked) as it is read: no run holds a
    download's texts whole."""

    pieces: list[Piece]
    read: Callable[[Piece], T]

    def __len__(self) -> int:
        return len(self.pieces)

    def __iter__(self) -> Iterator[T]:
        return map(self.read, self.pieces)

    def __contains__(self, found: object) -> bool:
        return any(found == text for text in self)


__all__ = ["Downloads", "data_page", "exported", "Exported", "Listing", "Pieces", "JSON_FILE", "CMIF_FILE", "DATA"]
