"""`archive new`: a new record's file with the front matter to fill in, explained.

Given an article's text, it proposes the people, summits, topics and letters
the archive already knows by name or alias, so the contributor confirms ids
rather than types them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .errors import BuildError, Problem
from .graph import Archive
from .schema import ID_PATTERN, KINDS, Letter, Person, Summit, Topic

TEMPLATES = Path(__file__).parent / "templates" / "new"
FOLDER_OF = {model.kind: model.folder for model in KINDS}


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


def scaffold(kind: str, id_: str, root: Path, archive: Archive | None, title: str = "", text: str = "") -> Path:
    """Write content/<folder>/<id>.md from the kind's template; refuse to overwrite."""
    if not ID_PATTERN.match(id_):
        raise BuildError([Problem(id_, 0, "id", f"'{id_}' is not a safe id",
                                  "Use lowercase letters a-z, digits and single hyphens, e.g. '2013-05-putin-to-obama'")])
    path = root / "content" / FOLDER_OF[kind] / f"{id_}.md"
    if path.exists():
        raise BuildError([Problem(path.relative_to(root).as_posix(), 0, "id", "a record with this id already exists",
                                  "Choose another id, or edit the existing file")])
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    rendered = env.get_template(f"{kind}.md.j2").render(
        id=id_, title=title, text=text.strip(), proposals=propose(archive, text), schema=f"../../schemas/{kind}.schema.json",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rendered, encoding="utf-8", newline="\n")
    return path
