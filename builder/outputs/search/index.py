"""The search index: an inverted index built at build time, in files a page loads as a query needs them.

Pages opened from disk can neither fetch nor start a worker, but they can load
a script: so every file is a script that hands its data to the page's search
(overrides/assets/javascripts/search.js). builder/search/__init__.py describes
the files; README "Search" says why they are shaped so.

Each posting keeps only what is local to its page (how often the term occurs,
the page's length, whether the term is in its name), and the scores are worked
out in the page from those and the manifest's totals. So an edit rewrites only
the shards holding the terms of the pages it changed, the document table's
chunks of those pages, and the manifest.
"""

from __future__ import annotations

import gc
import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


def _layout(sizes: dict[str, int], prefix: str = "") -> list[str]:
    """Shard keys for terms of the given sizes: two-letter prefixes, split while too big."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for term, size in sizes.items():
        groups[term[: len(prefix) + 1] if prefix else term[:KEY_MIN]][term] = size
    keys = []
    for key, members in groups.items():
        total = sum(members.values()) + sum(len(t) + 4 for t in members)
        longer = {t: s for t, s in members.items() if len(t) > len(key)}
        if total > SHARD_BYTES and len(key) < KEY_MAX and longer:
            keys.append(key)  # keeps the terms no longer than itself
            keys += _layout(longer, key)
        else:
            keys.append(key)
    return sorted(keys)


def key_of(term: str, keys: set[str]) -> str | None:
    """The shard holding a term: the longest key it starts with."""
    for n in range(min(len(term), KEY_MAX), KEY_MIN - 1, -1):
        if term[:n] in keys:
            return term[:n]
    return None


@dataclass
class SearchIndex:
    """The index as the files hold it, with what an update needs to rewrite only what changed."""

    rows: list[list[str] | None] = field(default_factory=list)  # document table, by document number
    lengths: list[int] = field(default_factory=list)  # each page's text length, for the average
    terms: list[tuple[str, ...]] = field(default_factory=list)  # each page's terms, to take it out again
    number: dict[str, int] = field(default_factory=dict)  # docs path -> document number
    keys: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, docs: Iterable[Document]) -> tuple["SearchIndex", dict[str, str]]:
        """The whole index from every page's document: the index and {docs path: file text}."""
        # Millions of small dicts and lists, none in a cycle: the cyclic collector would walk
        # them all again and again as they grow (a third of the time at 1,000 articles).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(docs)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _build(cls, docs: Iterable[Document]) -> tuple["SearchIndex", dict[str, str]]:
        # Each page's postings as it comes, its text let go; then in document order. The postings are
        # kept as the files hold them, in arrays: dicts of them took gigabytes at 10,000 articles.
        pages = []
        for doc in docs:
            postings, length = postings_of(doc)
            terms = tuple(sorted(postings))
            pages.append(((KIND_ORDER.index(doc.kind), doc.path), doc.path, doc.row(), terms,
                          array("q", [postings[t] for t in terms]), length))
        pages.sort(key=lambda page: page[0])
        index = cls()
        inverted: dict[str, array[int]] = defaultdict(lambda: array("q"))  # term -> [doc delta, packed, ...]
        last: dict[str, int] = {}
        for n, (_, path, row, terms, packed, length) in enumerate(pages):
            index._put(path, row, n, terms, length)
            for term, value in zip(terms, packed):
                flat = inverted[term]
                flat.append(n - last.get(term, 0))
                flat.append(value)
                last[term] = n
        del pages
        index.keys = _layout({t: 4 * len(flat) for t, flat in inverted.items()})  # about 8 bytes a posting in a file
        keyset = set(index.keys)
        shards: dict[str, dict[str, array[int]]] = defaultdict(dict)
        for term in sorted(inverted):
            key = key_of(term, keyset)
            assert key is not None  # every term's two-letter prefix is a key
            shards[key][term] = inverted.pop(term)
        files = {shard_file(k): _js("terms", k, {t: flat.tolist() for t, flat in shards.pop(k, {}).items()})
                 for k in index.keys}
        files.update({chunk_file(n): index._chunk(n) for n in range(math.ceil(len(index.rows) / CHUNK))})
        files[MANIFEST] = index._manifest()
        return index, files

    def _add(self, doc: Document, n: int, postings: dict[str, int], length: int) -> None:
        self._put(doc.path, doc.row(), n, tuple(sorted(postings)), length)

    def _put(self, path: str, row: list[str], n: int, terms: tuple[str, ...], length: int) -> None:
        if n == len(self.rows):
            self.rows.append(None)
            self.lengths.append(0)
            self.terms.append(())
        self.rows[n], self.lengths[n] = row, length
        self.terms[n] = terms
        self.number[path] = n

    def _chunk(self, n: int) -> str:
        return _js("docs", n, self.rows[n * CHUNK:(n + 1) * CHUNK])

    def _manifest(self) -> str:
        live = [length for row, length in zip(self.rows, self.lengths) if row is not None]
        return _js("manifest", {
            "version": 1, "docs": len(self.rows), "count": len(live),
            "avgdl": round(sum(live) / len(live), 3) if live else 0.0,
            "chunk": CHUNK, "keys": self.keys, "stop": sorted(STOPWORDS), "ranking": RANKING,
        })

    def update(self, docs: Iterable[Document], removed: Iterable[str], read: Callable[[str], str]) -> dict[str, str]:
        """Put changed and new pages' documents in, take removed pages out; the files that change.

        Shards are read back from the files written last time (`read(path)`) and patched:
        the index holds no postings in memory, which at 10,000 articles would not fit."""
        out: dict[int, dict[str, int]] = {}  # document number -> its new postings (empty: taken out)
        touched: set[str] = set()  # terms whose postings change
        keyset = set(self.keys)
        for path in removed:
            if (n := self.number.pop(path, None)) is not None:
                touched.update(self.terms[n])
                self.rows[n], self.lengths[n], self.terms[n] = None, 0, ()
                out[n] = {}
        for doc in docs:
            n = self.number.get(doc.path, len(self.rows))
            postings, length = postings_of(doc)
            touched.update(self.terms[n] if n < len(self.terms) else ())
            touched.update(postings)
            self._add(doc, n, postings, length)
            out[n] = postings
        for term in touched:  # a term no shard covers starts one of its own
            if key_of(term, keyset) is None:
                keyset.add(term[:KEY_MIN])
        self.keys = sorted(keyset)
        by_key: dict[str, set[str]] = defaultdict(set)
        for term in touched:
            by_key[key_of(term, keyset) or ""].add(term)
        files = {}
        for key, terms in by_key.items():
            text = read(shard_file(key))
            shard = json.loads(text[text.index(",") + 1: text.rindex(")")]) if text else {}
            for term in terms:
                held = _decode(shard.get(term, []))
                for n, new in out.items():
                    if term in new:
                        held[n] = new[term]
                    else:
                        held.pop(n, None)
                if held:
                    shard[term] = _encode(held)
                else:
                    shard.pop(term, None)
            files[shard_file(key)] = _js("terms", key, dict(sorted(shard.items())))
        files.update({chunk_file(c): self._chunk(c) for c in {n // CHUNK for n in out}})
        files[MANIFEST] = self._manifest()
        return files

