"""Load: walk content/, split each file into YAML front matter and Markdown body.

Keeps the line of every front-matter key so that later stages can point a
contributor at the exact line. Nothing here knows the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import frontmatter
import yaml

from .errors import Problem
from .schema import KIND_BY_FOLDER, Key, Kind

MAX_FILE_BYTES = 1_000_000  # a long article is ~50 kB; anything near 1 MB is a mistake


@dataclass(frozen=True)
class Source:
    """One content file as read: where it is, its front matter and body."""

    folder: str
    id: str
    path: str  # relative to the project, for messages
    data: dict[str, Any]  # front matter as parsed
    body: str
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> line number
    body_line: int = 1  # the file line holding the body's first line

    @property
    def kind(self) -> Kind:
        return KIND_BY_FOLDER[self.folder].kind

    @property
    def key(self) -> Key:
        return (self.kind, self.id)

    def locate(self, loc: tuple) -> tuple[tuple, int]:
        """The key path as written in the file and its line.

        A validator may have wrapped a single value in a list (adding an index
        the file does not have); the deepest path we know wins, and failing
        everything the front matter's first line.
        """
        loc = tuple(loc)
        indexes = [i for i, part in enumerate(loc) if isinstance(part, int)]
        for dropped in sorted(_subsets(indexes), key=len):
            candidate = tuple(p for i, p in enumerate(loc) if i not in dropped)
            if candidate in self.lines:
                return candidate, self.lines[candidate]
        path = loc
        while path:
            if path in self.lines:
                return path, self.lines[path]
            path = path[:-1]
        return loc, self.lines.get((), 1)

    def line_of(self, loc: tuple) -> int:
        return self.locate(loc)[1]


def _subsets(items: list[int]) -> list[set[int]]:
    subsets: list[set[int]] = [set()]
    for item in items:
        subsets += [s | {item} for s in subsets]
    return subsets


if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # libyaml's parser when PyYAML was built with it: several times faster.
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe YAML that keeps dates as text: EDTF, not datetime, is our date type."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _key_lines(node: yaml.Node, offset: int, prefix: tuple = ()) -> dict[tuple, int]:
    """Map every key path in a YAML node tree to its 1-based line in the file."""
    lines = {prefix: node.start_mark.line + offset}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = prefix + (key.value,)
            lines.update(_key_lines(value, offset, path))
            lines[path] = key.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_key_lines(item, offset, prefix + (index,)))
    return lines


def parse_front_matter(text: str, first_line: int = 1) -> tuple[object, dict[tuple, int]]:
    """Parse YAML front matter that starts on `first_line`; raise yaml.YAMLError on bad YAML.

    The data is whatever the YAML holds: a mapping when it is front matter at all."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines = _key_lines(node, offset=first_line) if node is not None else {}
    return data, lines


def read_source(path: Path, root: Path) -> Source | Problem:
    """Read one file into a Source, or say what makes it unreadable."""
    rel = path.relative_to(root).as_posix()
    folder, stem = path.parent.name, path.stem
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Problem(rel, 0, "", f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                       "Split it or remove what is not the article's text")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return Problem(rel, line, "", f"file is not UTF-8 (byte {raw[err.start]:#04x} at offset {err.start})",
                       "Save the file with UTF-8 encoding")
    if not text.strip():
        return Problem(rel, 0, "", "file is empty", "Start it with front matter between two '---' lines")
    if not text.startswith("---"):
        return Problem(rel, 1, "", "file has no front matter",
                       "Start the file with a line '---', the YAML fields, then another '---'")
    try:
        fm_text, body = frontmatter.YAMLHandler().split(text)
    except ValueError:
        return Problem(rel, 1, "", "front matter is not closed", "End the YAML fields with a line '---'")
    first_line = text[: text.index(fm_text)].count("\n") + 1
    try:
        data, lines = parse_front_matter(fm_text, first_line)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + first_line if mark else 1
        reason = getattr(err, "problem", None) or str(err)
        return Problem(rel, line, "", f"front matter is not valid YAML: {reason}",
                       "Check indentation, and quote values that contain ':' or start with a special character")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Problem(rel, 2, "", "front matter must be a set of 'field: value' lines", "")
    # The body is the text's tail. Blank lines before it are dropped here, not by the
    # model, so that body_line stays the file line of the body's first line.
    stripped = body.lstrip("\r\n")
    body_line = text[: len(text) - len(stripped)].count("\n") + 1
    body = stripped.rstrip()
    return Source(folder=folder, id=stem, path=rel, data=data, body=body, lines=lines, body_line=body_line)


@dataclass(frozen=True)
class Loaded:
    sources: list[Source]
    problems: list[Problem]
    present: set[Key]  # (kind, id) of every record file, readable or not


def load(content_dir: Path, root: Path,
         read: Callable[[Path, Path], Source | Problem] = read_source) -> Loaded:
    """Read every record under content/<kind>/*.md, in a stable order (`read`: the cache's, when warm)."""
    sources: list[Source] = []
    problems: list[Problem] = []
    present: set[Key] = set()
    if not content_dir.is_dir():
        return Loaded([], [Problem(str(content_dir), 0, "", "content folder not found",
                                   "Run from the project folder")], present)
    for path in sorted(content_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix != ".md" or path.parent.parent != content_dir or path.parent.name not in KIND_BY_FOLDER:
            folders = ", ".join(f"content/{name}/" for name in KIND_BY_FOLDER)
            problems.append(Problem(rel, 0, "", "file is not where records go",
                                    f"Records are .md files directly in one of {folders}"))
            continue
        present.add((KIND_BY_FOLDER[path.parent.name].kind, path.stem))
        result = read(path, root)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            sources.append(result)
    return Loaded(sources, problems, present)
