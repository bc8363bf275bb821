"""Authority identifiers: the addresses of a person or place in the files researchers use.

Curators record the identifiers (schema.py checks their form); pages link them,
and the exports write them into CMIF `ref` attributes and JSON-LD `sameAs`.
"""

from __future__ import annotations

from .schema import Person, Place, Record

# (field, label, address pattern), in the order pages list them.
FILES = (
    ("wikidata", "Wikidata", "https://www.wikidata.org/wiki/{}"),
    ("viaf", "VIAF", "https://viaf.org/viaf/{}"),
    ("gnd", "GND", "https://d-nb.info/gnd/{}"),
    ("geonames", "GeoNames", "https://www.geonames.org/{}"),
)


def links(record: Record) -> list[tuple[str, str]]:
    """(label, address) of each identifier the record carries."""
    ids = record.authority if isinstance(record, (Person, Place)) else None
    if ids is None:
        return []
    return [(label, pattern.format(value)) for field, label, pattern in FILES
            if (value := getattr(ids, field, None))]


def same_as(record: Record) -> list[str]:
    """The addresses alone: JSON-LD's sameAs, CMIF's ref."""
    return [address for _, address in links(record)]
