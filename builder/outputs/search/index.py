"""The search index: an inverted index built at build time, in files a page loads as a query needs them.

Pages opened from disk can neither fetch nor start a worker, but they can load
a script: so every file is a script that hands its data to the page's search
(overrides/assets/javascripts/search.js). builder/search/__init__.py describes
the files; README "Search" says why they are shaped so.

Each posting keeps only what is local to its page (how often the term occurs,
the page's length, whether the term is in its name), and the scores are worked
out in the page from those and the manifest's totals, and pages are numbered
in one order (KIND_ORDER, then docs path), whatever the history. So an edit
rewrites only the shards holding the terms of the pages it changed, the
document table's chunks of those pages, and the manifest, and they are what a
clean build writes.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from ...collector import paused
from ...shelf import Shelf, shelf_for
from .documents import KIND_ORDER, Document
from .tokens import STOPWORDS, fold, index_tokens, words

FOLDER = "search"
MANIFEST = f"{FOLDER}/index.js"
CHUNK = 128  # documents per document-table file: a result list loads a few of them
SHARD_BYTES = 64_000  # a shard larger than this is split by the term's next letter
KEY_MIN, KEY_MAX = 2, 6  # shard keys are term prefixes of these lengths
TF_MAX = 63  # counts above this add nothing the ranking can tell apart
# Flags: the term is in the page's title; in the name or an alias of whom or what the page is
# about (a person, a topic, an outlet); in such a name of two words at most ("Putin", "Vladimir Putin").
TITLE, NAME, SHORT_NAME = 1, 2, 3
SHORT = 2  # words
# How the page ranks (search.js reads these from the manifest): BM25's k1 and b; what a flag adds
# (a short name's bonus beats the most any other page can score for a word, so a person's page
# comes before a letter "Putin to Obama" and a summit named after him); what a prefix's longer
# terms are worth. Before any score, search.js puts first the pages whose name or title (a flag) holds the
# most words of the query: a record first for its own name or alias, whatever other pages' text says.
RANKING = {"k1": 1.2, "b": 0.75, "bonus": [0, 1.5, 3, 6], "expansion": 0.9}
_PLAIN_KEY = re.compile(r"[a-z0-9]+")


def _dlq(length: int) -> int:
    """A page's length in 6 bits: a quarter of a doubling per step."""
    return min(63, round(4 * math.log2(1 + length)))


def postings_of(doc: Document) -> tuple[dict[str, int], int]:
    """Each term of a page with its packed posting (tf << 8 | length << 2 | flag), and the page's length.

    A term in several names keeps the strongest flag: the shortest name's."""
    tokens = index_tokens(doc.text)
    counts = Counter(tokens)
    flags: dict[str, int] = {}
    for title in doc.titles:
        flags.update((t, TITLE) for t in index_tokens(title))
    counted = sorted(((sum(1 for _ in words(fold(name))), name) for name in doc.names), reverse=True)
    for count, name in counted:  # the shortest name last: its flag is the strongest
        flags.update((t, SHORT_NAME if count <= SHORT else NAME) for t in index_tokens(name))
    dlq = _dlq(len(tokens))
    terms = counts.keys() | flags.keys()
    return {t: min(counts.get(t, 0), TF_MAX) << 8 | dlq << 2 | flags.get(t, 0) for t in terms}, len(tokens)


class Files(Mapping[str, str]):
    """The index's files by docs path, each term shard's text made as it is read from its postings: the
    shards (27 MB of text at 10,000 articles) are never held at once, as they are written one by one. The
    document table's chunks (12 MB) and the manifest are made at once: they read the index, which an
    update changes."""

    def __init__(self, shards: dict[str, tuple[str, dict[str, array[int]]]], texts: dict[str, str]) -> None:
        self._shards, self._texts = shards, texts  # shard file -> (its key, {term: its postings, flat})

    def __getitem__(self, path: str) -> str:
        if path in self._texts:
            return self._texts[path]
        key, terms = self._shards[path]
        return _js("terms", key, {t: flat.tolist() for t, flat in terms.items()})

    def __iter__(self) -> Iterator[str]:
        return chain(self._shards, self._texts)

    def __len__(self) -> int:
        return len(self._shards) + len(self._texts)


def shard_file(key: str) -> str:
    name = key if _PLAIN_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()
    return f"{FOLDER}/terms/{name}.js"


def chunk_file(n: int) -> str:
    return f"{FOLDER}/docs/{n}.js"


def _js(call: str, *args: object) -> str:
    # ASCII only: titles may hold anything, and a script file must not care about its encoding.
    return f"__archiveSearch.{call}({','.join(json.dumps(a, separators=(',', ':')) for a in args)});\n"


def _encode(postings: dict[int, int]) -> list[int]:
    """Postings as [doc delta, packed, ...] in document order: small numbers, short files."""
    out, last = [], 0
    for doc in sorted(postings):
        out += [doc - last, postings[doc]]
        last = doc
    return out


def _decode(flat: list[int]) -> dict[int, int]:
    found, doc = {}, 0
    for i in range(0, len(flat), 2):
        doc += flat[i]
        found[doc] = flat[i + 1]
    return found


def _layout(df: dict[str, int]) -> list[str]:
    """Shard keys for terms held by so many pages each: two-letter prefixes, split while too big."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for term, count in df.items():
        groups[term[:KEY_MIN]][term] = count
    return sorted(key for group, members in groups.items() for key in _split(group, members))


def _split(key: str, df: dict[str, int]) -> list[str]:
    """The keys of the terms starting with `key`: itself, and while their shard is too big, those one letter longer
    (`key` keeps the terms no longer than itself). A group's keys depend on its terms alone: an update lays out
    again only the groups whose terms changed."""
    total = sum(8 * count + len(term) + 4 for term, count in df.items())  # about 8 bytes a posting in a file
    longer = {term: count for term, count in df.items() if len(term) > len(key)}
    if total <= SHARD_BYTES or len(key) >= KEY_MAX or not longer:
        return [key]
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for term, count in longer.items():
        groups[term[:len(key) + 1]][term] = count
    return [key, *(k for sub, members in groups.items() for k in _split(sub, members))]


def key_of(term: str, keys: set[str]) -> str | None:
    """The shard holding a term: the longest key it starts with."""
    for n in range(min(len(term), KEY_MAX), KEY_MIN - 1, -1):
        if term[:n] in keys:
            return term[:n]
    return None


class Entry(NamedTuple):
    """A page as the index holds it: what its row and its postings in the files are made from."""

    rank: tuple[int, str]  # where it stands in document order: its kind's place in KIND_ORDER, its docs path
    row: list[str]
    terms: tuple[str, ...]  # sorted
    packed: array[int]  # each term's posting, as postings_of packs it
    length: int

    @property
    def path(self) -> str:
        return self.rank[1]


def entry(doc: Document) -> Entry:
    postings, length = postings_of(doc)
    terms = tuple(sorted(postings))
    return Entry((KIND_ORDER.index(doc.kind), doc.path), doc.row(), terms, array("H", [postings[t] for t in terms]),
                 length)


@dataclass
class SearchIndex:
    """Every page's entry, and what of the files follows from all of them: the document order, the shard keys.

    The files are a function of the entries alone, so an index updated after edits writes the
    bytes a clean build does. Each page's postings are kept as packed numbers (an edit tokenises
    only the pages it changed); the postings by term are not: an update reads back the shards
    it patches from the files written last time, which at 10,000 articles saves a gigabyte."""

    pages: dict[str, Entry] = field(default_factory=dict)  # docs path -> entry
    order: list[str] = field(default_factory=list)  # docs paths by document number
    df: dict[str, int] = field(default_factory=dict)  # term -> pages holding it: what the shard layout weighs
    keys: list[str] = field(default_factory=list)
    shelf: Shelf[Entry] | None = field(default=None, repr=False, compare=False)

    # `archive build` keeps the entries on a shelf of their own beside its state (shelf.py): a run
    # after an edit writes again only the shards holding a changed page's.
    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "pages": {}, "shelf": None}

    def load(self, folder: Path, header: object) -> None:
        """The entries kept in `folder`; ValueError if a shard is missing (the index is then built whole)."""
        self.shelf = Shelf(folder, header)
        self.pages = self.shelf.load()
        if len(self.pages) != len(self.order):
            raise ValueError("the search index's entries are not all kept")

    def save(self, folder: Path, header: object) -> bool:
        self.shelf = shelf_for(self.shelf, folder, header)
        return self.shelf.save(self.pages)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> tuple["SearchIndex", Mapping[str, str]]:
        """The whole index from every page's entry: the index and {docs path: file text}."""
        index = cls()
        with paused():
            index.pages = {e.path: e for e in entries}
            return index, index._assemble()

    def paths(self) -> set[str]:
        """Every file of the index."""
        return {MANIFEST, *map(shard_file, self.keys), *map(chunk_file, range(math.ceil(len(self.order) / CHUNK)))}

    def _assemble(self) -> Mapping[str, str]:
        """Every file, from the entries."""
        self.order = sorted(self.pages, key=lambda path: self.pages[path].rank)
        # term -> [doc delta, packed, ...]: each under 2**32 (a page's number; postings_of packs 16 bits)
        inverted: dict[str, array[int]] = defaultdict(lambda: array("I"))
        last: dict[str, int] = {}
        for n, path in enumerate(self.order):
            page = self.pages[path]
            for term, value in zip(page.terms, page.packed):
                flat = inverted[term]
                flat.append(n - last.get(term, 0))
                flat.append(value)
                last[term] = n
        self.df = {term: len(flat) // 2 for term, flat in inverted.items()}
        self.keys = _layout(self.df)
        keyset = set(self.keys)
        shards: dict[str, dict[str, array[int]]] = defaultdict(dict)
        for term in sorted(inverted):
            key = key_of(term, keyset)
            assert key is not None  # every term's two-letter prefix is a key
            shards[key][term] = inverted.pop(term)
        files = {chunk_file(n): self._chunk(n) for n in range(math.ceil(len(self.order) / CHUNK))}
        files[MANIFEST] = self._manifest()
        return Files({shard_file(k): (k, shards.pop(k, {})) for k in self.keys}, files)

    def _chunk(self, n: int) -> str:
        return _js("docs", n, [self.pages[path].row for path in self.order[n * CHUNK:(n + 1) * CHUNK]])

    def _manifest(self) -> str:
        count = len(self.order)
        return _js("manifest", {
            "version": 1, "docs": count, "count": count,
            "avgdl": round(sum(page.length for page in self.pages.values()) / count, 3) if count else 0.0,
            "chunk": CHUNK, "keys": self.keys, "stop": sorted(STOPWORDS), "ranking": RANKING,
        })

    def update(self, entries: Iterable[Entry], removed: Iterable[str], read: Callable[[str], str]
               ) -> Mapping[str, str]:
        """Put changed and new pages' entries in, take removed pages out; the files that change.

        Pages keep their numbers unless one is added, taken out or changes kind: then every
        file is assembled again from the entries. Otherwise only the shards of the terms whose
        postings changed are read back (`read(path)`: the file written last time) and patched,
        with the document table's chunks of the changed rows and the manifest."""
        before: dict[str, Entry | None] = {}  # each changed page's entry before, None if new
        for path in removed:
            if path in self.pages:
                before.setdefault(path, self.pages.pop(path))
        for new in entries:
            old = self.pages.get(new.path)
            if new != old:
                before.setdefault(new.path, old)
                self.pages[new.path] = new
        if not before:
            return {}
        if any(old is None or path not in self.pages or old.rank != self.pages[path].rank
               for path, old in before.items()):
            with paused():
                return self._assemble()
        return self._patch({path: old for path, old in before.items() if old is not None}, read)

    def _patch(self, before: dict[str, Entry], read: Callable[[str], str]) -> Mapping[str, str]:
        number = {path: n for n, path in enumerate(self.order)}
        edits: dict[str, dict[int, int | None]] = defaultdict(dict)  # term -> {doc number: its posting now, None: gone}
        weighed: set[str] = set()  # terms held by more or fewer pages now: their shards' sizes changed
        for path, old in before.items():
            now = self.pages[path]
            was, holds = dict(zip(old.terms, old.packed)), dict(zip(now.terms, now.packed))
            for term in was.keys() | holds.keys():
                if was.get(term) != holds.get(term):
                    edits[term][number[path]] = holds.get(term)
            for term in was.keys() - holds.keys():
                self.df[term] -= 1
                if not self.df[term]:
                    del self.df[term]
            for term in holds.keys() - was.keys():
                self.df[term] = self.df.get(term, 0) + 1
            weighed |= was.keys() ^ holds.keys()
        old_keys = set(self.keys)
        relaid = self._relayout({term[:KEY_MIN] for term in weighed})
        keys = set(self.keys)
        read_keys = {k for k in old_keys if k[:KEY_MIN] in relaid}
        read_keys |= {key for term in edits if (key := key_of(term, old_keys)) is not None}
        held: dict[str, list[int]] = {}
        for key in read_keys:
            text = read(shard_file(key))
            try:
                held.update(json.loads(text[text.index(",") + 1: text.rindex(")")]))
            except ValueError:  # a file gone or damaged since: every file again, from the entries
                return self._assemble()
        for term, changes in edits.items():
            postings = _decode(held.get(term, []))
            for n, value in changes.items():
                if value is None:
                    postings.pop(n, None)
                else:
                    postings[n] = value
            if postings:
                held[term] = _encode(postings)
            else:
                held.pop(term, None)
        shards: dict[str, dict[str, list[int]]] = {k: {} for k in keys if k[:KEY_MIN] in relaid}
        shards.update({key: {} for term in edits if (key := key_of(term, keys)) is not None})
        for term in sorted(held):
            key = key_of(term, keys)
            if key in shards:
                shards[key][term] = held[term]
        files = {shard_file(key): _js("terms", key, terms) for key, terms in shards.items()}
        rows = {number[path] // CHUNK for path, old in before.items() if old.row != self.pages[path].row}
        files.update({chunk_file(c): self._chunk(c) for c in rows})
        files[MANIFEST] = self._manifest()
        return files

    def _relayout(self, groups: set[str]) -> set[str]:
        """Lay out again the shards of the terms starting with these two letters; those whose keys changed."""
        if not groups:
            return set()
        members: dict[str, dict[str, int]] = {group: {} for group in groups}
        for term, count in self.df.items():
            if term[:KEY_MIN] in members:
                members[term[:KEY_MIN]][term] = count
        keys = set(self.keys)
        relaid = set()
        for group, df in members.items():
            was = {k for k in keys if k[:KEY_MIN] == group}
            now = set(_split(group, df)) if df else set()
            if was != now:
                relaid.add(group)
                keys = keys - was | now
        self.keys = sorted(keys)
        return relaid
