"""Mentions found in an unchanged article, kept while the names they are looked up by stay the same.

Finding mentions runs one pattern of every name and alias over every article:
the link stage's largest cost in a big archive. An article read from the
cache is the same object as last time; while the name index and the kinds of
the ids it pins are the same too, what `find` found last time still holds.
"""

from __future__ import annotations

from .mentions import Ambiguity, Mention, NameIndex, find
from ..model.schema import Article, Kind

_names: tuple[int, NameIndex | None, object] = (0, None, None)  # the last index seen and its fingerprint
_found: dict[int, tuple[Article, object, tuple[list[Mention], list[Ambiguity]]]] = {}


def _fingerprint(index: NameIndex) -> object:
    global _names
    if _names[1] is not index:
        names = frozenset((name, frozenset(keys)) for name, keys in index.by_name.items())
        _names = (id(index), index, (names, frozenset(index.caseless)))
    return _names[2]


def find_cached(article: Article, index: NameIndex,
                kinds_of: dict[str, list[Kind]]) -> tuple[list[Mention], list[Ambiguity]]:
    """`mentions.find`, answered from the last run for an unchanged article."""
    pins = tuple((name, pinned, tuple(kinds_of.get(pinned, ()) if pinned else ()))
                 for name, pinned in (article.mentions or {}).items())
    key = (_fingerprint(index), pins)
    cached = _found.get(id(article))
    if cached is not None and cached[0] is article and cached[1] == key:
        return cached[2]
    result = find(article, index, kinds_of)
    _found[id(article)] = (article, key, result)
    return result
