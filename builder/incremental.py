"""Incremental builds: after an edit, work out and write again only the pages it can change.

The derive stage notes what every page reads (reads.py). A later run compares
the archive with the last one's:

- changed: records whose file's bytes or git history changed, and those added
  or removed;
- fields: those of them whose fields changed (their front matter, not their text);
- re-read: articles whose mentions changed (an alias added to a person links
  a name in an article nobody edited);
- incoming: records a changed record stops or starts naming (a new recipient's
  page now lists the letter);
- named: records an article's mentions stop or start naming, or name in other words;
- kinds: every kind with a changed record, and with a record whose fields changed,
  for the index pages that list a kind.

A page is worked out again when it read any of these, or is new. Index pages
are worked out in groups (the timeline with the home page, each index, the
correspondence), each redone whole when anything it read changed: they read
records' fields only, so an edit to an article's text leaves them be. Only pages whose text changed are written;
the others keep their bytes and modification times. The first run works out
everything. Writing the pages is pipeline.regenerate's; the state is kept
between runs in memory by the preview, and in build/state/ by `archive build`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from array import array
import os
import pickle
import tempfile
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from .collector import paused
from .derive.derive import Deriver
from .derive.views import Views
from .derive.history import Histories
from .derive.reads import Recorder, Token
from .link.graph import Archive, Edges
from .model import addresses
from .model.schema import Key, Kind, Record
from .outputs.data.pieces import Pieces
from .outputs.search.index import SearchIndex
from .shelf import dump_apart, load_apart
from .version import fingerprint

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
W = TypeVar("W")

FILE, PIECES, SEARCH = "state.pickle", "pieces", "search"  # in build/state/


class Numbered:
    """Every token a page has read, numbered: a page's reads are kept as an array of numbers, which
    pickles as one block of bytes and takes a fraction of a set's room (the sets of tuples took
    seconds to unpickle at 10,000 articles). Numbers are only added while a state lives on."""

    def __init__(self) -> None:
        self.table: list[Token] = []
        self._number: dict[Token, int] | None = {}

    def __getstate__(self) -> list[Token]:
        return self.table

    def __setstate__(self, table: list[Token]) -> None:
        self.table, self._number = table, None

    @property
    def number(self) -> dict[Token, int]:
        if self._number is None:
            self._number = {token: n for n, token in enumerate(self.table)}
        return self._number

    def pack(self, read: set[Token]) -> array[int]:
        return array("I", sorted(self.numbers(read)))

    def numbers(self, tokens: Iterable[Token]) -> list[int]:
        """The number of each token, in order: a token not seen before is numbered on."""
        number, found = self.number, []
        for token in tokens:
            n = number.get(token)
            if n is None:
                n = number[token] = len(self.table)
                self.table.append(token)
            found.append(n)
        return found

    def among(self, tokens: set[Token]) -> set[int]:
        """The numbers of those `tokens` some page read."""
        number = self.number
        return {number[token] for token in tokens if token in number}


@dataclass
class PageReads:
    """What some pages read, numbered in a table of their own: how the records' pages' workers send it
    back (record_pages.py). Received as sets of tokens they took 105 MB at 10,000 articles, as these 35."""

    table: list[Token] = field(default_factory=list)
    pages: dict[str, array[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, reads: dict[str, set[Token]]) -> PageReads:
        numbered = Numbered()
        return cls(numbered.table, {path: numbered.pack(read) for path, read in reads.items()})

    @classmethod
    def joined(cls, parts: list[PageReads], paths: list[str]) -> PageReads:
        """The parts' pages as one, in the order of `paths` (every page of every part)."""
        table: list[Token] = []
        pages: dict[str, array[int]] = {}
        for part in parts:
            offset = len(table)
            table += part.table
            pages.update(part.pages if not offset else
                         {path: array("I", [n + offset for n in read]) for path, read in part.pages.items()})
        return cls(table, {path: pages[path] for path in paths})


class Readers:
    """Which pages read each token (by its number): the pages an edit reaches, found without asking
    each of the 63,000 pages at 10,000 articles what it read. In memory only, for the preview's next
    run: made while nobody waits (State.index), and kept up to date by the runs that change the
    reads it was made from (`of`: the very dict)."""

    def __init__(self, reads: dict[str, array[int]]) -> None:
        self.of = reads
        self.pages: dict[int, set[str]] = defaultdict(set)
        for path, read in reads.items():
            for number in read:
                self.pages[number].add(path)

    def reading(self, numbers: set[int]) -> set[str]:
        """The pages that read any of these tokens."""
        return set().union(*(self.pages[n] for n in numbers if n in self.pages))

    def moved(self, path: str, before: array[int] | None, after: array[int] | None) -> None:
        """A page reads `after` now, not `before` (None: it is new, or gone)."""
        if before is after:
            return
        for number in before or ():
            self.pages[number].discard(path)
        for number in after or ():
            self.pages[number].add(path)


@dataclass
class State:
    """What the last successful run built from, and what each page read."""

    digests: dict[Key, str]
    history: dict[Key, object]  # each record's commits: its page shows when it was added and revised
    edges: Edges
    mentions: MentionPrints
    reads: dict[str, array[int]]  # page -> the numbers (in `numbered`) of the tokens it read
    groups: dict[str, list[str]]
    pages: dict[str, bytes]  # page -> hash of its text
    search: SearchIndex = field(default_factory=SearchIndex)  # what the search index's files hold
    files: set[str] = field(default_factory=set)  # the files beside the pages: search index, downloads, ...
    pieces: Pieces = field(default_factory=Pieces)  # each record's part of the downloads and the feed
    fields: dict[Key, bytes] = field(default_factory=dict)  # record -> hash of its fields but its text
    numbered: Numbered = field(default_factory=Numbered)
    readers: Readers | None = field(default=None, repr=False, compare=False)  # in memory only

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "readers": None}

    @property
    def indexed(self) -> Readers | None:
        """Which pages read each token, if that index holds for this state's reads (Readers)."""
        return self.readers if self.readers is not None and self.readers.of is self.reads else None

    def index(self) -> None:
        """Which pages read each token, for the next run to find the pages an edit reaches (Readers)."""
        if self.indexed is None:
            self.readers = Readers(self.reads)

    def noted(self, reads: PageReads) -> None:
        """Keep what each page read, in this state's numbers: the records' pages made since it was derived."""
        readers, numbers = self.indexed, self.numbered.numbers(reads.table)
        for path, read in reads.pages.items():
            packed = array("I", sorted([numbers[n] for n in read]))
            if readers is not None:
                readers.moved(path, self.reads.get(path), packed)
            self.reads[path] = packed

    def shed(self) -> None:
        """Once saved, let go of what only a later run reads: the downloads' pieces and the search index's
        entries (at 10,000 articles 240 MB, which a clean build alone has no use for once they are written)."""
        self.pieces, self.search = Pieces(), SearchIndex()

    def save(self, folder: Path, key: str) -> None:
        """Keep the state in `folder` for the next run made with the same `key`, replacing the file whole
        (the downloads' pieces and the search index's entries on shelves beside it: only the shards
        where one changed).

        A state is a convenience: one that cannot be written costs the next build its speed only."""
        forget(folder)  # while the pieces change, no build may start from the state before
        tmp = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (self.pieces.save(folder / PIECES, fingerprint()) and self.search.save(folder / SEARCH, fingerprint())):
                return  # a shard could not be written: no state stands for them
            fd, tmp = tempfile.mkstemp(prefix=".state.", dir=folder)
            with os.fdopen(fd, "wb") as f, paused():
                pickle.dump(key, f, protocol=pickle.HIGHEST_PROTOCOL)
                # Each page's reads as the bytes it holds: an array pickles as a copy of them, which the
                # pickler would hold to its end (17 MB at 10,000 articles). A group's pages share theirs.
                dump_apart(f, {**self.__getstate__(), "reads": _each_once(self.reads, pickle.PickleBuffer)})
            os.replace(tmp, folder / FILE)
        except Exception:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def restore(folder: Path, key: str) -> State | None:
    """The state the last run kept with the same `key`; None if there is none it can use."""
    try:
        with open(folder / FILE, "rb") as f:
            if pickle.load(f) != key:  # another builder, its templates, requirements or settings
                return None
            with paused():
                fields = load_apart(f)
                state = State(**{**fields, "reads": _each_once(fields["reads"], _numbers)})
        state.pieces.load(folder / PIECES, fingerprint())
        state.search.load(folder / SEARCH, fingerprint())
        return state
    except Exception:  # missing, truncated, unreadable: build from scratch
        return None


def _each_once(values: dict[str, V], made: Callable[[V], W]) -> dict[str, W]:
    """`made(value)` for each value, once for a value several keys share (a group's pages share their reads)."""
    done: dict[int, W] = {}
    for value in values.values():
        if id(value) not in done:
            done[id(value)] = made(value)
    return {key: done[id(value)] for key, value in values.items()}


def _numbers(held: bytes) -> array[int]:
    read = array("I")
    read.frombytes(held)
    return read


def forget(folder: Path) -> None:
    """build/docs is about to change under the state kept in `folder`: no build may start from it."""
    try:
        (folder / FILE).unlink(missing_ok=True)
    except OSError:  # build/ is read-only: its state cannot be, and no build could start from it
        pass


class Snapshot(Protocol):
    """What a run worked from: a State, or the rechecks' own (rechecks.py)."""

    digests: dict[Key, str]
    history: dict[Key, object]
    edges: Edges
    mentions: MentionPrints


# Each article's mentions as a snapshot keeps them: each record named, with a hash of the words and
# sentences naming it. What `affected` compares, at a fifth of the size of the mentions themselves
# (18 MB at 10,000 articles, pickled in the state and in the checks' file on every run).
MentionPrints = dict[str, frozenset[tuple[Key, bytes]]]
_prints: dict[int, tuple[tuple[tuple[Key, str, str], ...], frozenset[tuple[Key, bytes]]]] = {}


def mention_prints(archive: Archive) -> MentionPrints:
    """The archive's mentions as a snapshot keeps them (MentionPrints), worked out once for the archive;
    an article's again only for mentions the last run did not have (the preview's)."""
    def work() -> MentionPrints:
        global _prints
        last, _prints = _prints, {}
        found: MentionPrints = {}
        for article, mentions in archive.mentions_by_article().items():
            was = last.get(id(mentions))
            if was is None or was[0] is not mentions:
                groups: dict[Key, list[str]] = defaultdict(list)
                for target, words, sentence in mentions:
                    groups[target].append(f"{words}\0{sentence}")
                was = (mentions, frozenset((target, text_hash("\1".join(sorted(group))))
                                           for target, group in groups.items()))
            _prints[id(mentions)] = was
            found[article] = was[1]
        return found

    return archive.once("mention prints", work)


def text_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def affected(old: Snapshot, digests: dict[Key, str], edges: Edges, mentions: MentionPrints,
             history: Histories) -> set[Token]:
    """Every token a page may have read that this run's archive answers differently."""
    changed: set[Key] = _differ(old.digests, digests) | _differ(old.history, history)
    tokens: set[Token] = {*changed, *(("all", kind) for kind, _ in changed)}
    for source in _differ(old.edges, edges):
        before, after = old.edges.get(source, frozenset()), edges.get(source, frozenset())
        tokens |= {("in", target) for _, target in before ^ after}
    for article in _differ(old.mentions, mentions):
        before_m, after_m = old.mentions.get(article, frozenset()), mentions.get(article, frozenset())
        tokens.add((Kind.article, article))  # its text links other names now
        tokens |= {("named", target) for target, _ in before_m ^ after_m}  # named otherwise, or no more
    return tokens


def _differ(old: Mapping[K, Hashable], new: Mapping[K, Hashable]) -> set[K]:
    """The keys whose values differ, added and removed ones too: compared as sets of items, with no
    loop in Python over the tens of thousands that are the same (an unchanged record's edges are even
    the same object in the preview)."""
    return {k for k, _ in old.items() ^ new.items()}


def field_digests(archive: Archive, digests: dict[Key, str], old: State | None) -> dict[Key, bytes]:
    """Each record's hash of its fields but its text, worked out again only where its file changed."""
    def fields(record: Record) -> bytes:
        return hashlib.blake2b(record.model_dump_json(exclude={"body"}).encode(), digest_size=16).digest()

    if old is None:
        return {key: fields(record) for key, record in archive.records.items()}
    found = dict(old.fields)
    for gone in found.keys() - archive.records.keys():
        del found[gone]
    for key in _differ(old.digests, digests) | (archive.records.keys() - found.keys()):
        if key in archive.records:
            found[key] = fields(archive.records[key])
    return found


def fields_changed(old: dict[Key, bytes], new: dict[Key, bytes]) -> set[Token]:
    """The records whose fields differ (added and removed ones too), and their kinds: what the indexes read."""
    changed = _differ(old, new)
    return {*(("fields", k) for k in changed), *(("all fields", kind) for kind, _ in changed)}


def derive_changed(old: State | None, archive: Archive, digests: dict[Key, str],
                   history: Histories, site_url: str | None = None
                   ) -> tuple[Views, list[Record], State, list[str]]:
    """Work out again the pages that read what changed since `old` (every page without it).

    Returns the views of the index and pair pages among them, the records whose own pages are
    among them (record_pages.py makes those, and notes what they read in the state), the new
    state (its pages' hashes, search index and files still the old ones: the caller writes
    those) and the pages gone since."""
    edges, mentions = archive.outgoing(), mention_prints(archive)
    fields = field_digests(archive, digests, old)
    deriver = Deriver(archive, Recorder(), history=history, site_url=site_url)
    readers = None if old is None else old.indexed
    if old is None:
        views, records = deriver.views(records=False), deriver.records()
    else:
        tokens = affected(old, digests, edges, mentions, history) | fields_changed(old.fields, fields)
        changed = old.numbered.among(tokens)
        if readers is None:
            def wanted(path: str) -> bool:
                return path not in old.reads or not changed.isdisjoint(old.reads[path])
        else:  # the same answer, from the pages that read a changed token and the pages new since
            reached = readers.reading(changed)

            def wanted(path: str) -> bool:
                return path in reached or path not in old.reads

        redo = [name for name, paths in old.groups.items() if not paths or wanted(paths[0])]
        views = deriver.views(wanted, redo, records=False)
        records = deriver.records(wanted) if readers is None else deriver.in_order(
            _records_of(archive, reached, digests, old))

    # Every page the site has now: the records', the index groups' and the pairs'.
    numbered = Numbered() if old is None else old.numbered
    packed: dict[int, array[int]] = {}  # the pages of a group share what they read: one array
    new: dict[str, array[int]] = {}
    for path, read in deriver.reads.items():
        if id(read) not in packed:
            packed[id(read)] = numbered.pack(read)
        new[path] = packed[id(read)]
    reads = {} if old is None else dict(old.reads)
    reads.update(new)
    groups = {} if old is None else dict(old.groups)
    for name, paths in deriver.groups.items():
        for path in groups.get(name, []):
            reads.pop(path, None)
        groups[name] = paths
        reads.update({path: new[path] for path in paths})
    present = {addresses.page(r) for r in archive.records.values()}
    present |= {p for paths in groups.values() for p in paths}
    present |= {addresses.pair(ids) for ids in archive.pairs()}
    reads = {path: read for path, read in reads.items() if path in present}
    if old is None:
        return views, records, State(digests, dict(history), edges, mentions, reads, groups, {}, fields=fields,
                                     numbered=numbered), []
    pages = {p: h for p, h in old.pages.items() if p in present}
    gone = sorted(set(old.pages) - present)
    state = State(digests, dict(history), edges, mentions, reads, groups, pages, old.search, set(old.files),
                  old.pieces, fields, numbered)
    if readers is not None:  # patched where the reads changed, then moved on to the new state
        for path in (old.reads.keys() - reads.keys()) | reads.keys() - old.reads.keys() | new.keys():
            readers.moved(path, old.reads.get(path), reads.get(path))
        readers.of, state.readers = reads, readers
    return views, records, state, gone


def _records_of(archive: Archive, pages: set[str], digests: dict[Key, str], old: State) -> list[Record]:
    """The records whose own pages are among `pages`, or new since `old` (their pages were never made):
    what Deriver.records finds asking every record, from these few."""
    found = {k for k in digests.keys() - old.digests.keys() if k in archive.records}
    for path in pages:
        folder, _, name = path.partition("/")
        kind = Kind.of_folder(folder)
        if kind is not None and name.endswith(".md") and (kind, name[:-3]) in archive.records:
            found.add((kind, name[:-3]))
    records = [archive.records[k] for k in found]
    return [r for r in records if addresses.page(r) in pages or addresses.page(r) not in old.reads]
