"""Redirects: once published, a page's address keeps working when its record is renamed.

Researchers cite page addresses, so renaming a record's file must not break
them. The contributor who renames `content/letters/old.md` to `new.md` lists
the old id in the record's front matter, `moved_from: [old]`; the builder
then writes a small HTML page at each old address, the record's own and (for
a person) those of their pairs of correspondents, that sends the reader to the
new one: a meta refresh, a canonical link and a plain link, all relative, so
it works opened from disk as well as served. tests/test_addresses.py fails,
saying what to add, when a published address leads nowhere.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import product

from ..model import addresses
from ..model.errors import Problem
from ..link.graph import Archive, name_of
from ..load.load import Source
from .render import template
from ..model.schema import RESERVED_IDS, Key, Person, Record

SITE_NAME = "Leaders' Letters"


def problems(archive: Archive, sources: Mapping[Key, Source]) -> list[Problem]:
    """An old id must be one a record can have had, free now (no page is at its address) and claimed once.
    The model has already refused an id that is not safe."""
    found: list[Problem] = []
    claimed: dict[Key, Record] = {}
    for record in archive.records.values():
        if not record.moved_from:  # nearly every record: not even its source looked up
            continue
        source = sources.get((record.kind, record.id))
        for n, old in enumerate(record.moved_from):
            fault = _fault(archive, record, n, claimed)
            if fault:
                found.append(Problem(source.path if source else f"content/{record.folder}/{record.id}.md",
                                     source.line_of(("moved_from", n)) if source else 0, f"moved_from.{n}", *fault))
            claimed.setdefault((record.kind, old), record)
    return found


def _fault(archive: Archive, record: Record, n: int, claimed: Mapping[Key, Record]) -> tuple[str, str] | None:
    """What is wrong with a record's n-th old id, and how to put it right; None when nothing is."""
    old = record.moved_from[n]
    key = (record.kind, old)
    if old in RESERVED_IDS:
        return (f"'{old}' is reserved for the site's own pages: {record.folder}/{old}.html is the list of "
                f"{record.folder}", "No record can have had this id: remove it from moved_from")
    if old == record.id:
        return f"'{old}' is this record's own id", "List only ids this record had before its file was renamed"
    if key in archive.records:
        return (f"'{old}' is the id of content/{record.folder}/{old}.md, whose page is at that address",
                "List only ids this record had before its file was renamed")
    if old in record.moved_from[:n]:
        return f"'{old}' is listed twice", "Remove the second one"
    other = claimed.get(key)
    if other is not None and other is not record:
        return (f"'{old}' is also listed under moved_from in content/{other.folder}/{other.id}.md",
                "An old address leads to one page: keep it on the record that took its place")
    return None


def moves(archive: Archive) -> dict[str, tuple[str, str]]:
    """{old docs path: (new docs path, its title)} of every page a renamed record had: its own and its pairs'."""
    out: dict[str, tuple[str, str]] = {}
    for record in archive.records.values():
        for old in record.moved_from:
            out[f"{record.folder}/{old}.md"] = (addresses.page(record), name_of(record))
    renamed = {p.id: p.moved_from for p in archive.all(Person) if p.moved_from}
    if renamed:
        for ids in archive.pairs():
            if not renamed.keys() & set(ids):
                continue
            first, second = archive.many(Person, ids)
            then = [(i, *renamed.get(i, ())) for i in ids]
            for a, b in product(*then):
                if (a, b) != ids and a != b:
                    out[addresses.pair((a, b) if a <= b else (b, a))] = (
                        addresses.pair(ids), f"{first.name} and {second.name}")
    return out


def page(old: str, new: str, title: str, site_url: str | None) -> str:
    """The HTML at an old address: it sends the reader to the new one, also from disk and without script."""
    to = addresses.html(new, old)
    canonical = (site_url.rstrip("/") + "/" + addresses.html(new, addresses.HOME)) if site_url else to
    return template("redirect.html.j2").render(title=title, to=to, canonical=canonical, site_name=SITE_NAME)


def pages(archive: Archive, written: Collection[str], site_url: str | None = None) -> dict[str, str]:
    """{old .html docs path: redirect page} for every move whose old address no page takes."""
    out = {}
    for old, (new, title) in sorted(moves(archive).items()):
        if old in written or new not in written:
            continue  # a page lives there again, or the new page is not built (nothing to lead to)
        target = old.removesuffix(".md") + ".html"
        out[target] = page(target, new, title, site_url)
    return out
