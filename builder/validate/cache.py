"""Cache: each content file as loaded and validated, kept in build/cache/ by its content hash.

A warm build parses and validates only the files whose bytes changed, and
reads (to hash) only those the file system says changed since (stamp_of). The entries are kept in shards (shelf.py): a run writes
again only those where a file changed. The cache belongs to one version of the
builder: the hash of its source, templates and pinned requirements heads each
file, and one made by another version is not even unpickled. A cache that cannot be
read, for whatever reason, is ignored; it is never an error.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..forks import forked, workers_for
from ..model.errors import Problem
from ..load.load import Source, parse_source, read_bytes
from ..model import dates
from ..model.schema import Article, Key, Record
from ..model.sharing import Pool
from ..model.text import Segmented, remember, segmented
from ..shelf import Shelf
from ..version import fingerprint
from .validate import validate_source

FOLDER, DATES = "records", "dates.pickle"  # in build/cache/


@dataclass(slots=True)  # one per file: no dict of its own
class Entry:
    digest: str  # of the file's bytes
    read: Source | Problem
    valid: Record | list[Problem] | None = None  # None until validated
    text: Segmented | None = None  # an article's blocks and sentences, once known (text.segmented)
    stamp: Stamp | None = None  # the file's, when its bytes were read; None: read them again next time

    # Pickled as a tuple: a slotted dataclass's own way asks for its fields anew for every entry.
    def __getstate__(self) -> tuple[object, ...]:
        return self.digest, self.read, self.valid, self.text, self.stamp

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.digest, self.read, self.valid, self.text, self.stamp = state


Stamp = tuple[int, int, int, int]  # inode, size, modification and change times (ns)
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same tick


def stamp_of(path: str) -> Stamp | None:
    """What the file system says of a file: while it is the same, so are its bytes (as git's index
    trusts it). Writing a file always moves its change time; None for a file changed too recently
    to tell a later change in the same tick from this one, or one that cannot be looked at."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or time.time_ns() - info.st_ctime_ns < RACY_NS:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


class RecordCache:
    """Loaded and validated files by path; `read` and `validate` fill it, `save` keeps it in build/cache/."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = self._restore() if folder else {}
        self.seen: dict[str, Entry] = {}  # this run's files
        self._digests: dict[Key, str] | None = None  # of `seen`, once asked
        self.parsed = 0  # files parsed this run, for tests and measures
        # The preview's watcher knows which files changed: the others are not even read again.
        self.suspects: set[str] | None = None
        self.pool: Pool = {}  # this run's strings, while it reads and validates: one copy of each (sharing.py)

    def _restore(self) -> dict[str, Entry]:
        assert self.folder is not None
        self.shelf = Shelf[Entry](self.folder / FOLDER, fingerprint())
        entries = self.shelf.load()
        try:
            with open(self.folder / DATES, "rb") as f:
                if pickle.load(f) == fingerprint():
                    dates.grammatical |= pickle.load(f)
        except Exception:  # missing or damaged: those dates are parsed again
            pass
        self.dates = len(dates.grammatical)
        # The last run's records live as long as this process: the collector need not visit
        # them again on every full collection (a tenth of a second each at 1,000 articles).
        gc.freeze()
        return entries

    def start(self) -> None:
        """A new run: what it reads replaces what the last one read."""
        self.seen, self._digests = {}, None
        self.parsed = 0
        self.pool = {}

    def ahead(self, files: list[tuple[str, str]], jobs: int) -> None:
        """Read, parse and validate on up to `jobs` forked workers the files (path, path from the root)
        this cache holds nothing of, when there are enough of them for more than one (a first build, many
        files added); `read` and `validate` then find them done. An article's text (its blocks and
        sentences, which the link stage reads) is worked out there too. Files the cache holds are left to
        `read`, which looks at their stamps and reads only those that changed (an edit's few)."""
        todo = [(path, rel) for path, rel in files if rel not in self.entries]
        workers = workers_for(len(todo), jobs)
        if workers <= 1:
            return
        for found, grammatical in forked(lambda n: self._prepared(todo[n::workers]), workers, "reading records"):
            for rel, entry in found:
                self.entries[rel] = entry
                self.parsed += 1
            dates.grammatical |= grammatical

    def _prepared(self, files: list[tuple[str, str]]) -> tuple[list[tuple[str, Entry]], set[str]]:
        """In a worker (ahead): each file's entry, and the dates this worker found grammatical. A file
        that cannot be read is left to `read`, which says what is wrong."""
        known = set(dates.grammatical)
        found: list[tuple[str, Entry]] = []
        for path, rel in files:
            stamp = stamp_of(path)  # before reading, as `read`
            raw = read_bytes(path, rel)
            if isinstance(raw, Problem):
                continue
            digest = hashlib.sha256(raw).hexdigest()
            source = parse_source(raw, rel, self.pool)
            valid = validate_source(source, self.pool) if isinstance(source, Source) else None
            text = segmented(valid.body) if isinstance(valid, Article) else None
            found.append((rel, Entry(digest, source, valid, text, stamp)))
        return found, dates.grammatical - known

    def read(self, path: str, rel: str) -> Source | Problem:
        """load()'s reader: the cached Source while the file's bytes are the same."""
        entry = self.entries.get(rel)
        self._digests = None
        if self.suspects is not None and rel not in self.suspects and entry is not None:
            self.seen[rel] = entry
            return entry.read
        stamp = stamp_of(path)  # before reading: a change made meanwhile shows as another stamp next time
        if entry is None or stamp is None or entry.stamp != stamp:
            raw = read_bytes(path, rel)
            if isinstance(raw, Problem):  # says what is wrong: not a file to read, or too long to
                return raw
            digest = hashlib.sha256(raw).hexdigest()
            if entry is None or entry.digest != digest:
                entry = Entry(digest, parse_source(raw, rel, self.pool), stamp=stamp)
                self.parsed += 1
            elif entry.stamp != stamp:  # the same bytes (touched, copied back): kept, under its new stamp
                entry = Entry(entry.digest, entry.read, entry.valid, entry.text, stamp)
            self.entries[rel] = entry
        if entry.text is not None and isinstance(entry.valid, Article):
            remember(entry.valid.body, *entry.text)  # the link stage reads its sentences: not segmented again
        self.seen[rel] = entry
        return entry.read

    def validate(self, sources: list[Source]) -> tuple[list[Record], list[Problem]]:
        """validate()'s result, validating only files read anew."""
        records: list[Record] = []
        problems: list[Problem] = []
        for source in sources:
            entry = self.seen.get(source.path)
            if entry is None or entry.read is not source:  # not read through the cache
                result = validate_source(source)
            else:
                if entry.valid is None:
                    entry.valid = validate_source(source, self.pool)
                result = entry.valid
            if isinstance(result, list):
                problems.extend(result)
            else:
                records.append(result)
        self.pool = {}  # the strings are shared now: the pool itself is not needed
        return records, problems

    def digests(self) -> dict[Key, str]:
        """Each record file read this run, by (kind, id), with the hash of its bytes (worked out once a run:
        the checks and the pages ask)."""
        if self._digests is None:
            self._digests = {entry.read.key: entry.digest for entry in self.seen.values()
                             if isinstance(entry.read, Source)}
        return self._digests

    def release(self) -> None:
        """Save now, then let go of every file as read (its front matter, the line of each field): for a
        run no later one continues, once its checks, their last reader, are done (a build at 10,000
        articles ends holding 57 MB less). The records stay with the run, and the digests; a save after
        this does nothing."""
        self.digests()
        self.save()
        if self.folder is not None:  # a new shelf: this one holds every entry it wrote
            self.shelf = Shelf[Entry](self.folder / FOLDER, fingerprint())
        self.folder, self.entries, self.seen = None, {}, {}

    def save(self) -> None:
        """Keep this run's files (others are gone) in build/cache/, writing again only the shards
        where an entry changed (shelf.py)."""
        self.entries = dict(self.seen)
        if self.folder is None:
            return
        told = []  # entries that learnt their text since they were kept
        for rel, entry in self.entries.items():
            if entry.text is None and isinstance(entry.valid, Article):
                entry.text = segmented(entry.valid.body)
                told.append(rel)
        self.shelf.save(self.entries, told)
        if len(dates.grammatical) != self.dates:  # a cache is a convenience: a read-only or full disk costs only speed
            tmp = None
            try:
                fd, tmp = tempfile.mkstemp(prefix=".dates.", dir=self.folder)
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(fingerprint(), f, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(dates.grammatical, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.folder / DATES)
                self.dates = len(dates.grammatical)
            except Exception:
                if tmp is not None:
                    Path(tmp).unlink(missing_ok=True)
