"""CONTRIBUTING's field reference, written from the model's field declarations by `archive schema`.

The list between the markers in CONTRIBUTING.md is generated, so a field added to the model is
documented by the same command that refreshes the schemas, and a test fails when the two disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..model.fields import choices, describe, part_of
from ..model.schema import KINDS, Citation, DateClaim, Record, facts_of

START, END = "<!-- fields:start -->", "<!-- fields:end -->"
# Section 6's list of the facts that need a source: the fields the model marks as facts.
FACTS_START, FACTS_END = "<!-- facts:start -->", "<!-- facts:end -->"
TEMPLATES = Path(__file__).parent / "reference"
_NOT_IN_FRONT_MATTER = ("id", "body")  # set from the file
# Parts every dated or cited fact shares: described once, after the kinds, not under each field.
SHARED: dict[str, type[BaseModel]] = {"A date": DateClaim, "A citation": Citation}


@dataclass(frozen=True)
class Entry:
    name: str
    required: bool
    help: str
    values: tuple[str, ...]  # the values allowed, for a choice
    default: str | None  # a choice's default
    parts: tuple[Entry, ...]  # a nested part's own fields


def _entries(model: type[BaseModel], nested: bool = True, leave_out: tuple[str, ...] = ()) -> tuple[Entry, ...]:
    return tuple(_entry(name, info, nested) for name, info in model.model_fields.items()
                 if name not in _NOT_IN_FRONT_MATTER + leave_out)


def _entry(name: str, info: FieldInfo, nested: bool) -> Entry:
    inner = part_of(info)
    values = choices(info)
    default = info.default.value if isinstance(info.default, Enum) else info.default
    part = isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in SHARED.values() and nested
    return Entry(name, info.is_required(), describe(name, info), values,
                 str(default) if values and isinstance(default, str) else None,
                 _entries(inner, nested=False) if part else ())


def field_reference() -> str:
    """The Markdown between the markers: each kind's own front-matter fields, those every record takes,
    then the parts of a date and a citation."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("fields.md.j2").render(
        kinds=[(model, _entries(model, leave_out=tuple(Record.model_fields)), facts_of(model)) for model in KINDS],
        common=_entries(Record), shared=[(label, model, _entries(model)) for label, model in SHARED.items()])


def facts_needing_a_source() -> str:
    """The Markdown between the facts markers: each kind's facts that its page shows with a source."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("facts.md.j2").render(kinds=[(m, facts_of(m)) for m in KINDS if facts_of(m)])


def _between(text: str, start: str, end: str, generated: str) -> str:
    """`text` with what stands between the markers written anew; unchanged without them."""
    if start not in text or end not in text:
        return text
    before, rest = text.split(start, 1)
    return before + start + "\n" + generated + end + rest.split(end, 1)[1]


def with_reference(text: str) -> str:
    """CONTRIBUTING.md's text with the field reference and the facts needing a source written anew."""
    text = _between(text, START, END, field_reference())
    return _between(text, FACTS_START, FACTS_END, facts_needing_a_source())


def write_reference(path: Path) -> bool:
    """Refresh the list in the file at `path`; whether it changed."""
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    fresh = with_reference(text)
    if fresh != text:
        path.write_text(fresh, encoding="utf-8", newline="\n")
    return fresh != text
