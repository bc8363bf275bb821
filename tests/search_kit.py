"""Reads the built search index (site/search/, written by builder/outputs/search/) back, as the page's script does.

For checks in Python: which pages a term's postings lead to, with their flags, and the document table.
Ranking is the page's business; the browser tests run it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from builder.outputs.search.index import key_of, shard_file


def _data(path: Path) -> list:
    """The arguments of the one call a search file makes: `__archiveSearch.terms("le",{...});`."""
    text = path.read_text(encoding="ascii")  # the builder writes ASCII only
    return json.loads("[" + text[text.index("(") + 1: text.rindex(")")] + "]")


@dataclass
class BuiltIndex:
    site: Path

    def __post_init__(self) -> None:
        self.manifest = _data(self.site / "search" / "index.js")[0]
        self.keys = set(self.manifest["keys"])
        self._shards: dict[str, dict[str, list[int]]] = {}
        rows: list = []
        for n in range(-(-self.manifest["docs"] // self.manifest["chunk"])):
            number, chunk = _data(self.site / "search" / "docs" / f"{n}.js")
            assert number == n
            rows += chunk
        self.rows = rows

    def shard(self, key: str) -> dict[str, list[int]]:
        """A shard's terms, each file read once."""
        if key not in self._shards:
            found_key, self._shards[key] = _data(self.site / shard_file(key))
            assert found_key == key
        return self._shards[key]

    def postings(self, term: str) -> dict[str, int]:
        """{html path of a page: packed posting} for every page holding `term`."""
        key = key_of(term, self.keys)
        if key is None:
            return {}
        flat = self.shard(key).get(term, [])
        found, doc = {}, 0
        for i in range(0, len(flat), 2):
            doc += flat[i]
            found[self.rows[doc][0]] = flat[i + 1]
        return found

    def terms(self) -> dict[str, dict[str, int]]:
        """Every term with its postings, by page: the whole index, for comparing two builds."""
        return {term: self.postings(term) for key in sorted(self.keys) for term in self.shard(key)}

    def row(self, html: str) -> list[str] | None:
        return next((r for r in self.rows if r and r[0] == html), None)
