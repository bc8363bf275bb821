"""The whole archive as one JSON document: every record, every field, every edge.

Fields are the front matter's, as the models declare them, so a field added to
a model is exported without a change here. Three things change on the way out:
an id that names another record becomes that record's id in the exports (its
page's address), so every reference is an edge a reader can follow; every
EDTF date becomes {date, earliest, latest} (the days it can mean, worked out by
dates.py); and a record's Markdown body is its `text`. What the pages derive
beyond the front matter (the office each correspondent held on the letter's
date, the articles reporting a letter, the records an article's text names)
is added from the page's view.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ...model import schema
from ...derive.views import LetterPage
from ...model.schema import Article, Citation, DateClaim, Kind, Quote, SummitLink
from .common import LICENCE, LICENCE_URL, SITE_TITLE, Exported, Item, Listing, date_value, ref_id

# Ids inside the parts of a record, beside each model's own `references`.
NESTED: dict[type[BaseModel], dict[str, Kind]] = {
    Citation: {"article": Kind.article}, Quote: {"article": Kind.article, "recipient": Kind.person, "according_to": Kind.person},
    SummitLink: {"summit": Kind.summit},
}
SKIPPED = ("id", "body")  # the id is the page's address; the body is `text`
PLAIN = frozenset({str, int, float, bool, type(None)})  # exported as they are (an enumeration is a str too)


def is_date(info: FieldInfo) -> bool:
    """A field declared as an EDTF date (schema.EdtfDate)."""
    return any(getattr(m, "func", None) is schema._check_date for m in info.metadata)


def references(model: type[BaseModel]) -> dict[str, Kind]:
    return {**getattr(model, "references", {}), **NESTED.get(model, {})}


# How each field of a model is exported: its name, and "mentions", "date", "value" or the Kind it names.
Plan = tuple[tuple[str, "str | Kind"], ...]


@cache
def _plan(model: type[BaseModel]) -> Plan:
    """Worked out once a model: reading the declarations for every record was most of the export's time."""
    refs, dated = references(model), model is not DateClaim  # a claim's date is exported beside it
    return tuple((name, "mentions" if model is Article and name == "mentions" else refs[name] if name in refs
                  else "date" if dated and is_date(info) else "value")
                 for name, info in model.model_fields.items() if name not in SKIPPED)


class _Dump:
    def __init__(self, exported: Exported):
        self.ex = exported

    def model(self, obj: BaseModel) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, how in _plan(type(obj)):
            value = getattr(obj, name)
            if how == "value":
                out[name] = self.value(value)
            elif how == "date":
                out[name] = None if value is None else date_value(value)
            elif how == "mentions":
                out[name] = {words: self.ex.any_id(i) if i else None for words, i in value.items()}
            else:
                assert isinstance(how, Kind)
                out[name] = self.ref(how, value)
        if isinstance(obj, DateClaim):  # its EDTF string, with the days it can mean
            out.update(date_value(obj.date))
        return out

    def ref(self, kind: Kind, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return self.ex.id(kind, value)
        return [self.ref(kind, v) if isinstance(v, str) else self.value(v) for v in value]

    def value(self, value: Any) -> Any:
        if type(value) in PLAIN:
            return value
        if isinstance(value, BaseModel):
            return self.model(value)
        if isinstance(value, (tuple, list)):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self.value(v) for k, v in value.items()}
        if isinstance(value, Enum):
            return value.value
        return value


def derived(item: Item, exported: Exported) -> dict[str, Any]:
    """What the record's page works out beyond its front matter."""
    view, record = item.view, item.record
    if isinstance(view, LetterPage):
        return {
            "offices_held": [{"person": ref_id(h.ref), "office": h.office}
                             for h in [view.sender, *view.recipients]],
            "reported_in": [ref_id(ref) for ref, _ in view.reported_in],
        }
    if isinstance(record, Article):
        return {"named_in_text": [exported.id(kind, i) for kind, i in exported.named_in(record.id)]}
    return {}


def record_json(item: Item, exported: Exported) -> dict[str, Any]:
    record = item.record
    return {"id": item.id, "kind": record.kind.value, "key": record.id, **_Dump(exported).model(record),
            **derived(item, exported), "text": record.body}


def _encode(value: Any) -> str:
    # ensure_ascii: the file reads the same whatever encoding a tool assumes; compact, as it is large.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def record_text(item: Item, exported: Exported) -> str:
    """A record's object as archive.json holds it: a run keeps it while the record's page stands (pieces.py)."""
    return _encode(record_json(item, exported))


def archive_json(listing: Listing, texts: Mapping[Kind, Collection[str]]) -> Iterator[str]:
    """The document in parts, to be written as they come (110 MB at 10,000 articles): what it is, then
    every record's object (record_text), by kind, in `listing`'s order.

    Joined as json.dumps would write the whole; only the records' objects are worked out again after an edit."""
    head = _encode({
        "title": SITE_TITLE,
        "about": "data.html",
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "as_of": listing.stamp.date().isoformat(),
        "counts": {kind.folder: len(ids) for kind, ids in listing.ids.items()},
    })
    yield f'{head[:-1]},"records":{{'
    for n, kind in enumerate(listing.ids):
        yield f"{',' if n else ''}{_encode(kind.folder)}:["
        for m, text in enumerate(texts[kind]):
            yield f",{text}" if m else text
        yield "]"
    yield "}}\n"
