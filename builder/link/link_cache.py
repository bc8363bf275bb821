"""Each record's walk and what linking found of it alone, kept between processes in build/cache/linked/.

`archive build` after an edit is a new process, and walking and linking every record again took
2.1 of its 11.6 s at 10,000 articles. A record's walk (the ids it names, the passages it cites, its
place in order: graph._walks_of) depends on its file alone; what linking finds of it alone
(graph._link_one: its edges, the problems of its ids and quotes) on its file, on whether each id it
names is present and a record, on every id present if one it names is not (the hint names the
closest), and on the articles it cites. So both are kept by the record's key with the hash of its
file and of each article it cites, and graph.py keeps beside them what it needs to tell the rest;
in shards (shelf.py: a run writes again only those where an entry changed) headed by the builder's
fingerprint. The preview keeps its own in memory (graph.Kept) and reads this only on its first run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model.schema import Key, Kind
from ..shelf import Shelf
from ..validate.cache import fingerprint

FOLDER = "linked"  # in build/cache/

# The record file's hash; each article it cites, with that file's hash; what graph.py keeps of it.
Entry = tuple[str, tuple[tuple[str, str | None], ...], Any]


def _name(k: Key) -> str:
    return f"{k[0].value}/{k[1]}"


class LinkCache:
    """What the last process linked of each record, and what this run links, kept for the next (save)."""

    def __init__(self, folder: Path, digests: dict[Key, str]) -> None:
        self.shelf: Shelf[Entry] = Shelf(folder / FOLDER, fingerprint())
        self.entries = self.shelf.load()
        self.digests = digests
        self.now: dict[str, Entry] = {}  # this run's records' entries

    def get(self, k: Key) -> Any | None:
        """What was kept of this record, if its file and every article it cites are still the same."""
        name = _name(k)
        entry = self.now.get(name) or self.entries.get(name)
        if entry is None or entry[0] != self.digests.get(k) or any(
                self.digests.get((Kind.article, article)) != digest for article, digest in entry[1]):
            return None
        self.now[name] = entry
        return entry[2]

    def put(self, k: Key, cited: Iterable[str], kept: Any) -> None:
        """Keep what this run linked of a record that cites these articles (none for a record not read from a file)."""
        digest = self.digests.get(k)
        if digest is not None:
            self.now[_name(k)] = (digest, tuple((a, self.digests.get((Kind.article, a))) for a in cited), kept)

    def save(self) -> None:
        """Write the shards where an entry changed (a cache is a convenience: one that cannot be written costs speed only)."""
        self.shelf.save(self.now)
