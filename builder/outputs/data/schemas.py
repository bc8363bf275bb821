"""JSON Schemas of the exports, made from the same declarations the exports are made from.

archive.schema.json describes data/archive.json: each kind's record, from its
model, with ids as page addresses and dates as {date, earliest, latest}, as
records.py writes them. <table>.schema.json describes a row of each CSV (as a
CSV reader gives it: every value a string), from tables.py's columns. Kept in
schemas/export/; a test fails when they are stale, and `archive schema` writes them anew.
"""

from __future__ import annotations

import json
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ...model.fields import FIELD_HELP, describe
from ...model.schema import KINDS, Article, DateClaim, Kind, Record
from .records import SKIPPED, is_date, references
from .tables import LINK_TABLES, TABLES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PATTERN = r"^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*\.html$"
DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# What the exports add beside the model's fields, for the Data page and the schemas; a field of the model is
# described by its declaration or model.schema.FIELD_HELP, and a test fails on a field with neither.
EXPORT_HELP = {
    "id": "The record's id: the address of its page on the site, relative to the site's root.",
    "kind": "The kind of record.",
    "key": "The record's id in the archive's sources: its file is content/<folder>/<key>.md.",
    "offices_held": "The office the sender and each recipient held on the letter's date, as its page shows it.",
    "person": "The person (an id).",
    "office": "The office's title; null when not known.",
    "reported_in": "The articles that report it (ids), as its page lists them.",
    "named_in_text": "The records its text names (ids), found by their names and aliases, in the order first named.",
    "earliest": "The earliest day the date can mean, YYYY-MM-DD; null when open or unknown.",
    "latest": "The latest day the date can mean, YYYY-MM-DD; null when open or unknown.",
}
# Added to each kind's record beside its model's fields (records.py): (name, schema).
_ID = {"$ref": "#/$defs/id"}
COMMON = {"id": _ID, "kind": {"type": "string"}, "key": {"type": "string"}}
DERIVED = {
    Kind.letter: {"offices_held": {"type": "array", "items": {"$ref": "#/$defs/office_held"}},
                  "reported_in": {"type": "array", "items": _ID}},
    Kind.article: {"named_in_text": {"type": "array", "items": _ID}},
}




class _Schemas:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {
            "id": {"type": "string", "pattern": ID_PATTERN, "description": EXPORT_HELP["id"]},
            "day": {"type": ["string", "null"], "pattern": DAY_PATTERN},
            "date": {"type": "object", "description": "An EDTF date and the days it can mean.",
                     "properties": {"date": {"type": "string", "description": FIELD_HELP["date"]},
                                    "earliest": {"$ref": "#/$defs/day", "description": EXPORT_HELP["earliest"]},
                                    "latest": {"$ref": "#/$defs/day", "description": EXPORT_HELP["latest"]}},
                     "required": ["date", "earliest", "latest"], "additionalProperties": False},
            "office_held": {"type": "object", "properties": {
                "person": {**_ID, "description": EXPORT_HELP["person"]},
                "office": {"type": ["string", "null"], "description": EXPORT_HELP["office"]}},
                "required": ["person", "office"], "additionalProperties": False},
        }

    def model(self, model: type[BaseModel]) -> dict[str, Any]:
        name = model.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            refs = references(model)
            props: dict[str, Any] = {}
            for field, info in model.model_fields.items():
                if field in SKIPPED:
                    continue
                if model is Article and field == "mentions":
                    shown = {"type": "object", "additionalProperties": {"anyOf": [_ID, {"type": "null"}]}}
                elif field in refs:
                    shown = self.ref(info.annotation)
                elif is_date(info) and model is not DateClaim:  # a claim's own date is its EDTF string
                    shown = self.nullable(info.annotation, {"$ref": "#/$defs/date"})
                else:
                    shown = self.annotation(info.annotation)
                props[field] = {**shown, "description": describe(field, info)}
            if model is DateClaim:
                for side in ("earliest", "latest"):
                    props[side] = {"$ref": "#/$defs/day", "description": EXPORT_HELP[side]}
            self.defs[name] = {"type": "object", "description": (model.__doc__ or "").strip().split("\n")[0],
                               "properties": props, "required": sorted(props), "additionalProperties": False}
        return {"$ref": f"#/$defs/{name}"}

    def nullable(self, annotation: Any, shown: dict[str, Any]) -> dict[str, Any]:
        args = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()
        return {"anyOf": [shown, {"type": "null"}]} if type(None) in args else shown

    def ref(self, annotation: Any) -> dict[str, Any]:
        """A field of ids: each an id in the exports; a summit link, its model."""
        inner = self.strip(annotation)
        if typing.get_origin(inner) in (tuple, list):
            item = self.strip(typing.get_args(inner)[0])
            shown = {"type": "array", "items": self.model(item) if isinstance(item, type) and
                     issubclass(item, BaseModel) else _ID}
        else:
            shown = dict(_ID)
        return self.nullable(annotation, shown)

    def strip(self, annotation: Any) -> Any:
        """The type without Annotated and None."""
        while True:
            origin = typing.get_origin(annotation)
            if origin is typing.Annotated:
                annotation = typing.get_args(annotation)[0]
            elif origin in (typing.Union, types.UnionType):
                rest = [a for a in typing.get_args(annotation) if a is not type(None)]
                if len(rest) != 1:
                    return annotation
                annotation = rest[0]
            else:
                return annotation

    def annotation(self, annotation: Any) -> dict[str, Any]:
        inner = self.strip(annotation)
        origin = typing.get_origin(inner)
        if origin in (typing.Union, types.UnionType):
            shown: dict[str, Any] = {"anyOf": [self.annotation(a) for a in typing.get_args(inner)]}
        elif origin in (tuple, list):
            shown = {"type": "array", "items": self.annotation(typing.get_args(inner)[0])}
        elif origin is dict:
            shown = {"type": "object", "additionalProperties": self.annotation(typing.get_args(inner)[1])}
        elif origin is typing.Literal:
            shown = {"enum": list(typing.get_args(inner))}
        elif isinstance(inner, type) and issubclass(inner, Enum):
            shown = {"enum": [e.value for e in inner]}
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            shown = self.model(inner)
        else:
            shown = {"type": {str: "string", bool: "boolean", int: "integer", float: "number"}[inner]}
        return self.nullable(annotation, shown)

    def record(self, model: type[Record]) -> dict[str, Any]:
        self.model(model)
        found = self.defs[model.__name__]
        props = {**{k: {**v, "description": EXPORT_HELP[k]} for k, v in COMMON.items()}, **found["properties"],
                 **{k: {**v, "description": EXPORT_HELP[k]} for k, v in DERIVED.get(model.kind, {}).items()},
                 "text": {"type": "string", "description": "The record's Markdown text (an article: its words)."}}
        props["kind"] = {**props["kind"], "const": model.kind.value}
        found.update(properties=props, required=sorted(props))
        return {"$ref": f"#/$defs/{model.__name__}"}


def archive_schema() -> dict[str, Any]:
    schemas = _Schemas()
    records = {model.folder: {"type": "array", "items": schemas.record(model)} for model in KINDS}
    return {
        "$schema": DIALECT, "title": "Leaders' Letters: the whole archive (data/archive.json)",
        "type": "object",
        "properties": {
            "title": {"type": "string"}, "about": {"type": "string"},
            "licence": {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
                        "required": ["name", "url"]},
            "as_of": {"type": "string", "pattern": DAY_PATTERN},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "records": {"type": "object", "properties": records, "additionalProperties": False},
        },
        "required": ["title", "about", "licence", "as_of", "counts", "records"],
        "additionalProperties": False,
        "$defs": dict(sorted(schemas.defs.items())),
    }


_CELL: dict[str, dict[str, Any]] = {
    "id": {"pattern": ID_PATTERN[:-1] + "|^$"},
    "ids": {"pattern": r"^([a-z]+/[a-z0-9]+(-[a-z0-9]+)*\.html( [a-z]+/[a-z0-9]+(-[a-z0-9]+)*\.html)*)?$"},
    "day": {"pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"},
    "bool": {"enum": ["true", "false"]},
    "int": {"pattern": r"^[1-9][0-9]*$"},
}


def _table_schema(name: str, help: str, columns: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "$schema": DIALECT, "title": f"A row of data/{name}: {help}",
        "description": "As a CSV reader gives it: every value a string, empty when there is none; a value "
                       "a spreadsheet would run as a formula (it begins with = + - @, a tab or a line break, or "
                       "the full-width ＝ ＋ － ＠) has a ' before it, and data/archive.json has it exact. "
                       "Columns in this order: " + ", ".join(c for c, _, _ in columns) + ".",
        "type": "object",
        "properties": {c: {"type": "string", "description": h, **_CELL.get(form, {})} for c, h, form in columns},
        "required": [c for c, _, _ in columns], "additionalProperties": False,
    }


def table_columns() -> dict[str, tuple[str, list[tuple[str, str, str]]]]:
    """{file name: (what a row is, [(column, what it holds, form)])} of every CSV."""
    found = {t.name: (t.help, [(c.name, c.help, c.form) for c in t.columns]) for t in TABLES}
    found.update({t.name: (t.help, list(t.columns)) for t in LINK_TABLES})
    return found


def schema_files() -> dict[str, str]:
    files = {"archive.schema.json": archive_schema()}
    for name, (help, columns) in table_columns().items():
        files[name.removesuffix(".csv") + ".schema.json"] = _table_schema(name, help, columns)
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in files.items()}


def write_export_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
        written.append(folder / name)
    return written
