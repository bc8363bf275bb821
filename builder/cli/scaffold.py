"""`archive new`: a new record's file with the front matter to fill in, explained.

Given an article's text, it reads the header lines (address, byline, dateline,
outlet, headline) into fields and proposes the people, summits, topics and
letters the archive already knows by name or alias, so the contributor confirms
ids rather than types them. A new record that looks like an existing one is
refused until the contributor says it is someone else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

from ..link.checks import display_name, looks_alike
from ..model.errors import BuildError, Problem
from ..link.graph import Archive
from .intake import Header, KnownOutlet, host, read_header
from ..load.load import Source
from ..model.fields import choices, either, part_of
from ..model.schema import DATE_KINDS, ID_PATTERN, Kind, Letter, Person, Summit, Topic

TEMPLATES = Path(__file__).parent / "scaffolds"
# Kinds of record that stand for one thing in the world, so a look-alike is likely a duplicate;
# letters and articles have ids that differ by a date. Some can say a look-alike is someone else.
LOOKALIKE_KINDS = {Kind.person, Kind.summit, Kind.topic, Kind.outlet, Kind.place}
DISTINCT_KINDS = {kind for kind in Kind if "distinct_from" in kind.model.model_fields}


@dataclass(frozen=True)
class Proposals:
    people: list[str]
    summits: list[str]
    topics: list[str]
    letters: list[str]


def _mentions(text: str, names: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) for name in names if name)


def propose(archive: Archive | None, text: str) -> Proposals:
    """Ids of records whose name or an alias appears in `text`."""
    if archive is None or not text:
        return Proposals([], [], [], [])
    people = [p.id for p in archive.all(Person) if _mentions(text, [p.name, *p.aliases])]
    summits = [s.id for s in archive.all(Summit) if _mentions(text, [s.title])]
    topics = [t.id for t in archive.all(Topic) if _mentions(text, [t.name, *t.aliases])]
    # A letter is likely reported when its sender and one of its recipients are both named.
    letters = [
        letter.id for letter in archive.all(Letter)
        if letter.sender in people and any(r in people for r in letter.recipients)
    ]
    return Proposals(people, summits, topics, letters)


def similar(kind: Kind, id_: str, title: str, sources: Sequence[Source]) -> list[tuple[str, str]]:
    """(id, name) of existing records of the kind that look like the new one, by their name or an alias
    ('Sputnik' for an outlet that lists it among its other names)."""
    return [(s.id, display_name(s.data)) for s in sources
            if s.kind == kind and s.id != id_
            and any(looks_alike(id_, title, s.id, name) for name in (display_name(s.data), *_aliases(s.data)))]


def _allowed(model: type[BaseModel]) -> Callable[[str], tuple[str, ...]]:
    """The values a choice allows, as the model declares them, by its path: "form", "summits.relation"."""
    def allowed(path: str) -> tuple[str, ...]:
        *parts, name = path.split(".")
        holder = model
        for part in parts:
            holder = part_of(holder.model_fields[part])
        return choices(holder.model_fields[name])
    return allowed


def _aliases(data: object) -> list[str]:
    """A record's aliases as its file gives them, valid or not."""
    found = data.get("aliases") if isinstance(data, dict) else None
    return [a for a in found if isinstance(a, str)] if isinstance(found, list) else []


def _known_outlet(source: Source) -> KnownOutlet:
    """How an outlet's file names it (name, aliases) and where it publishes (its url's host)."""
    url = source.data.get("url")
    return KnownOutlet(names=(display_name(source.data), *_aliases(source.data)),
                       hosts=(host(url),) if isinstance(url, str) and host(url) else ())


def scaffold(kind: Kind, id_: str, root: Path, archive: Archive | None, title: str = "", text: str = "",
             sources: Sequence[Source] = (), distinct: bool = False) -> Path:
    """Write content/<folder>/<id>.md from the kind's template; refuse to overwrite, or to start
    a record that looks like an existing one unless `distinct` says it is someone else."""
    if not ID_PATTERN.match(id_):
        raise BuildError([Problem(id_, 0, "id", f"'{id_}' is not a safe id",
                                  "Use lowercase letters a-z, digits and single hyphens, e.g. '2013-05-putin-to-obama'")])
    path = root / "content" / kind.folder / f"{id_}.md"
    rel = path.relative_to(root).as_posix()
    if path.exists():
        raise BuildError([Problem(rel, 0, "id", "a record with this id already exists",
                                  "Choose another id, or edit the existing file")])
    alike = similar(kind, id_, title, sources) if kind in LOOKALIKE_KINDS else []
    if alike and not distinct:
        named = ", ".join(f"{kind.folder}/{other} ('{name}')" for other, name in alike)
        first = alike[0][0]
        raise BuildError([Problem(rel, 0, "id", f"looks like {named}",
                                  f"Did you mean {first}? Edit content/{kind.folder}/{first}.md if it is the "
                                  f"same {kind}, or pass --distinct if it is someone else")])
    outlets = {s.id: _known_outlet(s) for s in sources if s.kind == Kind.outlet}
    header = read_header(text, outlets) if kind == Kind.article and text else Header(body=text.strip())
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string
    env.filters["either"] = either
    env.globals["allowed"] = _allowed(kind.model)
    rendered = env.get_template(f"{kind}.md.j2").render(
        id=id_, title=title or header.title, text=header.body, header=header,
        distinct_from=[other for other, _ in alike] if kind in DISTINCT_KINDS else [],
        proposals=propose(archive, text), schema=f"../../schemas/{kind}.schema.json",
        past_dates=[name for name, date in DATE_KINDS.items() if date.past],  # the kinds as the model declares
        forecast_dates=[name for name, date in DATE_KINDS.items() if not date.past],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rendered, encoding="utf-8", newline="\n")
    return path
