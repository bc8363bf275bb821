"""Validate: turn each loaded Source into a typed record, or into Problems.

Pydantic knows the field path of an error but not the line; the loader kept
the line of every key, so each message points at the line to edit.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model.errors import Problem, did_you_mean
from ..model.fields import either
from ..load.load import CONTROL, KeyPath, Source, control_problem
from .safety import MARKUP, line_in_body, unsafe_html
from ..model.sharing import Pool, share
from ..model.text import reader_blocks
from ..model.schema import ID_PATTERN, KIND_BY_FOLDER, RESERVED_IDS, Record

# Pydantic's wording is for programmers; these say what to do instead.
HINTS = {
    "missing": "Add this field",
    "extra_forbidden": "Remove it, or check its spelling",
    "string_type": "Write it as text",
    "tuple_type": "Write it as a list: one '- item' per line",
    "enum": "",
    "literal_error": "",
    "too_short": "Give at least one",
}


def _field_name(loc: KeyPath) -> str:
    return ".".join(str(part) for part in loc) or "front matter"


def _message(error: dict[str, Any], record_cls: type[Record]) -> tuple[str, str]:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        holder = _holder(record_cls, loc[:-1])
        shared = Record.model_fields if issubclass(holder, Record) else {}  # every kind's: listed last
        allowed = [name for name in holder.model_fields if name not in shared] + \
                  [name for name in shared if name not in ("id", "body")]
        listed = f"the fields allowed here are {either(allowed)}"
        close = did_you_mean(str(loc[-1]), allowed)
        return "unknown field", (f"{close} ({listed})" if close else f"{HINTS[kind]}: {listed}")
    if kind == "missing":
        return "required field is missing", HINTS[kind]
    if kind == "value_error":
        # Our own validators word their messages for contributors already.
        return str(error["ctx"]["error"]), ""
    return error["msg"][0].lower() + error["msg"][1:], HINTS.get(kind, "")


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models a field's type holds, however wrapped (a list of them, a mapping to them, optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _holder(model: type[BaseModel], loc: KeyPath) -> type[BaseModel]:
    """The model whose field `loc` leads into ('dates.sent.0' leads into a date claim); list indexes and
    mapping keys lead nowhere new."""
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            model = next(_models_in(model.model_fields[part].annotation), model)
    return model


def _location(error: Any) -> KeyPath:
    """Where an error stands in the front matter, without pydantic's tags; an unknown key stays as the
    contributor wrote it, even one that looks like a tag (':[')."""
    loc: KeyPath = error["loc"]
    if error["type"] == "extra_forbidden":
        return _strip_union_branches(loc[:-1]) + loc[-1:]
    return _strip_union_branches(loc)


def _strip_union_branches(loc: KeyPath) -> KeyPath:
    """Drop pydantic's internal union/type tags from an error location."""
    return tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in
                 ("function-after", "function-before", "function-plain", "tuple", "str", "int"))))




def _strings(value: object, loc: KeyPath = ()) -> Iterator[tuple[KeyPath, str, bool]]:
    """Yield (key path, text, is_key) for every string in parsed front matter, keys of mappings too."""
    if isinstance(value, str):
        yield loc, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield loc + (key,), key, True
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, loc + (index,))


def markup_in_front_matter(source: Source) -> list[Problem]:
    """Front matter is plain text. Material writes page titles, and our templates names and
    notes, into HTML: markup here would run in a reader's browser, so it is refused at its line.
    So are control characters, which a YAML escape ("\\e", "\\0") can write though the file holds none."""
    problems = []
    for loc, text, is_key in _strings(source.data):
        field = _field_name(loc[:-1] if is_key else loc)
        found = MARKUP.search(text)
        if found:
            excerpt = found.group(0) if found.group(0).endswith(">") else found.group(0) + "…"
            problems.append(Problem(
                source.path, source.line_of(loc), field,
                f"markup is not allowed in front matter ({excerpt!r})",
                "Write plain text: fields are shown exactly as written, never as HTML "
                "(emphasis and links belong in the text below the front matter)"))
        control = CONTROL.search(text)
        if control:
            problems.append(control_problem(source.path, source.line_of(loc), field, control.group()))
    return problems


def validate_source(source: Source, pool: Pool | None = None) -> Record | list[Problem]:
    """The record a file holds, or what is wrong with it. The record's strings are the `pool`'s
    (sharing.py): those of the Source, when it was parsed with the same pool; its body always."""
    record_cls = KIND_BY_FOLDER[source.folder]
    problems: list[Problem] = []
    if source.id in RESERVED_IDS:
        problems.append(Problem(source.path, 0, "id", f"'{source.id}' is reserved for the site's own pages",
                                "Rename the file"))
    elif not ID_PATTERN.match(source.id):
        problems.append(Problem(source.path, 0, "id", f"file name '{source.id}' is not a safe id",
                                "Rename the file using lowercase a-z, digits and single hyphens, "
                                "e.g. '2013-05-putin-to-obama.md'"))
    for reserved in ("id", "body"):
        if reserved in source.data:
            problems.append(Problem(source.path, source.line_of((reserved,)), reserved,
                                    "is set by the file, not the front matter",
                                    f"Remove the '{reserved}' line" + (": the file name is the id" if reserved == "id" else "")))
    markup = markup_in_front_matter(source)
    for unsafe in unsafe_html(source.body):
        line = source.body_line + line_in_body(source.body, unsafe.needle) - 1
        problems.append(Problem(source.path, line, "body", f"{unsafe.what} is not allowed", unsafe.hint))
    if problems:
        return problems + markup
    reader_blocks(source.body)  # from the rendering just judged (text.rendered): no stage renders it again
    try:
        record = record_cls(id=source.id, body=source.body, **source.data)
        return markup or share(record, {source.body: source.body} if pool is None else pool)
    except ValidationError as err:
        problems = list(markup)
        seen = {(p.line, p.field) for p in markup}  # a refused field's other faults can wait
        errors = err.errors()
        failed_items = {_location(e)[:-1] for e in errors}
        for error in errors:
            loc = _location(error)
            if error["type"] == "too_short" and loc in failed_items:
                continue  # the list is short only because an item in it was refused
            message, hint = _message({**error, "loc": loc}, record_cls)
            where, line = source.locate(loc)
            if error["type"] in ("missing", "extra_forbidden"):
                where = loc  # the key is absent from, or new to, the file
            problem = Problem(source.path, line, _field_name(where), message, hint)
            if (problem.line, problem.field) not in seen:  # a union reports once per branch
                seen.add((problem.line, problem.field))
                problems.append(problem)
        return problems


def validate(sources: list[Source]) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for source in sources:
        result = validate_source(source)
        if isinstance(result, list):
            problems.extend(result)
        else:
            records.append(result)
    return records, problems
