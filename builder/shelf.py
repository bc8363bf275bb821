"""A dict kept between runs as shards of pickles, each rewritten only when its entries changed.

The caches in build/cache/ hold something for every file of the archive, and a
run after an edit changes a few entries: rewriting the whole dict each time
was most of what such a run did (29 MB at 1,000 articles, ten times that at
10,000). Entries are spread over SHARDS files by a hash of their key; a shard
is written again when an entry of its own was added, removed, replaced by
another object or named dirty, and every shard by a shelf that read none (a
clean build's: no file of another run stays behind). Each file is headed by
the caller's `header` (the builder's fingerprint): one written by another
builder is not read. Used by the record cache, the mention cache, and the
downloads' pieces and the search index's entries beside a build's state.
The state itself and the checks' file are written whole, each field with a
pickler of its own (dump_apart).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from .collector import paused

V = TypeVar("V")
SHARDS = 64


def dump_apart(file: IO[bytes], values: dict[str, object]) -> None:
    """Pickle each value on its own, after their names (load_apart reads them back).

    A pickler keeps a table of every object it wrote until it is done (50 MB for the 1.4 million
    objects of a state at 10,000 articles, on top of everything the build holds at its end);
    each value's pickler lets go of its own before the next one starts. An object two values
    share is written, and read back, once for each."""
    pickle.dump(list(values), file, protocol=pickle.HIGHEST_PROTOCOL)
    for value in values.values():
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)


def load_apart(file: IO[bytes]) -> dict[str, Any]:
    """The values dump_apart wrote, by name."""
    names = pickle.load(file)
    return {name: pickle.load(file) for name in names}


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


class Shelf(Generic[V]):
    """The entries of `folder`, as the last run saved them under the same header."""

    def __init__(self, folder: Path, header: object) -> None:
        self.folder, self.header = folder, header
        self.held: list[dict[str, V] | None] = [None] * SHARDS  # each shard as its file holds it; None: unknown

    def load(self) -> dict[str, V]:
        """Every entry of every readable shard with the header; a missing or damaged one reads as empty."""
        found: dict[str, V] = {}
        with paused():  # many small objects: no collection while they are made
            for n in range(SHARDS):
                try:
                    with open(self._file(n), "rb") as f:
                        if pickle.load(f) != self.header:
                            continue
                        entries = pickle.load(f)
                except Exception:  # missing, truncated, from another version: its entries start cold
                    continue
                if isinstance(entries, dict):
                    self.held[n] = entries
                    found.update(entries)
        return found

    def save(self, entries: dict[str, V], dirty: Iterable[str] = ()) -> bool:
        """Keep `entries`: write the shards where they differ from what the files hold, or hold a `dirty` key.
        Whether every shard now holds them.

        A shard that cannot be written costs the next run its speed only: its file is removed."""
        shards: list[dict[str, V]] = [{} for _ in range(SHARDS)]
        for key, value in entries.items():
            shards[shard_of(key)][key] = value
        redo = {shard_of(key) for key in dirty}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        whole = True
        for n, shard in enumerate(shards):
            held = self.held[n]
            if (held is not None and n not in redo and shard.keys() == held.keys()
                    and all(shard[k] is held[k] for k in shard)):
                continue
            written = self._write(n, shard)
            self.held[n], whole = (shard if written else None), whole and written
        return whole

    def _file(self, n: int) -> Path:
        return self.folder / f"{n:02d}.pickle"

    def _write(self, n: int, shard: dict[str, V]) -> bool:
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".shard.", dir=self.folder)
            with os.fdopen(fd, "wb") as f, paused():
                pickle.dump(self.header, f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(shard, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._file(n))
            return True
        except Exception:  # read-only or full: no stale shard may stay behind
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            try:
                self._file(n).unlink(missing_ok=True)
            except OSError:
                pass
            return False


def shelf_for(shelf: Shelf[V] | None, folder: Path, header: object) -> Shelf[V]:
    """The shelf an owner last loaded or saved, if it is this folder's under this header, else a new one."""
    if shelf is not None and shelf.folder == folder and shelf.header == header:
        return shelf
    return Shelf(folder, header)
