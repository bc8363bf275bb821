"""One copy of each string: a large archive repeats the same ids, keys and words in thousands of
records, and YAML and pydantic each make a string of their own for every one of them (a record
holds its front matter's text twice: as parsed and as validated). `share` replaces each string
(and key path) with the first equal one a pool has seen, so equal strings cost memory once; the
record cache's pickle keeps them shared (it writes a shared object once). So are the sets of
field names pydantic keeps in every model."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")
Pool = dict[Any, Any]  # a value -> the one copy kept of it


def share(value: T, pool: Pool) -> T:
    """`value` with every string in it the pool's copy; dicts, lists and tuples rebuilt or
    refilled, models' fields replaced in place. Only plain str counts: an enum member equal to
    a string stays the member."""
    cls = type(value)
    if cls is str:
        return pool.setdefault(value, value)  # type: ignore[no-any-return]
    if cls is tuple:
        items = tuple(share(item, pool) for item in value)  # type: ignore[attr-defined]
        if all(type(item) is str or type(item) is int for item in items):  # a key path, ids: kept once too
            items = pool.setdefault(items, items)  # (never True for 1: bool is no int here)
        return items  # type: ignore[return-value]
    if cls is list:
        value[:] = [share(item, pool) for item in value]  # type: ignore[index,attr-defined]
        return value
    if cls is dict:
        return {share(k, pool): share(v, pool) for k, v in value.items()}  # type: ignore[attr-defined,return-value]
    if isinstance(value, BaseModel):  # frozen to callers; its fields' values are only made to share
        fields = value.__dict__
        for name, field in fields.items():
            fields[name] = share(field, pool)
        # The names of the fields the file sets: a set in every model, alike in most (pydantic copies it
        # before changing a copy's).
        given = value.__pydantic_fields_set__
        object.__setattr__(value, "__pydantic_fields_set__", pool.setdefault(frozenset(given), given))
    return value
