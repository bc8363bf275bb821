"""Load: walk content/, split each file into YAML front matter and Markdown body.

Keeps the line of every front-matter key so that later stages can point a
contributor at the exact line. Nothing here knows the schema. A pull request
may come from anyone: only ordinary files are read, never more than the size
limit, and YAML that could take the machine (anchors and aliases, deep
nesting) is refused before anything expands it.
"""

from __future__ import annotations

import errno
import operator
import os
import posixpath
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.composer import ComposerError

from ..model.errors import Problem
from ..model.schema import KIND_BY_FOLDER, Key, Kind
from ..model.sharing import Pool, share

KeyPath = tuple[str | int, ...]  # where a value sits in the front matter: its keys and list indexes

MAX_FILE_BYTES = 1_000_000  # a long article is ~50 kB; anything near 1 MB is a mistake


@dataclass(frozen=True, slots=True)  # one per file: no dict of its own
class Source:
    """One content file as read: where it is, its front matter and body."""

    folder: str
    id: str
    path: str  # relative to the project, for messages
    data: dict[str, Any]  # front matter as parsed
    body: str
    lines: dict[KeyPath, int] = field(default_factory=dict)  # key path -> line number
    body_line: int = 1  # the file line holding the body's first line

    @property
    def kind(self) -> Kind:
        return KIND_BY_FOLDER[self.folder].kind

    @property
    def key(self) -> Key:
        return (self.kind, self.id)

    def locate(self, loc: KeyPath) -> tuple[KeyPath, int]:
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

    def line_of(self, loc: KeyPath) -> int:
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


# Deeper than any record needs (letters reach four levels); PyYAML's constructor recurses,
# and a thousand levels would exhaust Python's stack.
MAX_DEPTH = 20

# Characters a reader cannot see and a page should not carry: the C0 controls but tab and
# line ends, DEL, the C1 controls, and the Unicode line and paragraph separators (YAML counts
# those as line breaks and editors mostly do not, so the two would disagree on lines), and
# U+FFFE and U+FFFF, which are no characters at all: XML (the feed, CMIF) cannot hold them, and
# the YAML of a generated page that held one would be dropped by MkDocs with the page's title.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def control_problem(path: str, line: int, field: str, char: str) -> Problem:
    what = "noncharacter" if char in "\ufffe\uffff" else "control character"
    return Problem(path, line, field, f"invisible {what} U+{ord(char):04X} is not allowed",
                   "Delete it (most editors do not show it), retyping the text around it if need be")


def field_name(loc: KeyPath) -> str:
    return ".".join(str(part) for part in loc)


class Refused(Exception):
    """YAML that parses but that the archive does not accept."""

    def __init__(self, line: int, field: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.problem = (line, field, message, hint)


@dataclass
class _Collection:
    node: yaml.CollectionNode
    loc: KeyPath
    keys: dict[str, int] | None  # a mapping's keys so far, with their lines; None for a sequence
    key: yaml.Node | None = None  # a mapping's key whose value comes next
    key_loc: KeyPath = ()


def _compose(loader: yaml.SafeLoader, offset: int) -> tuple[yaml.Node | None, dict[KeyPath, int]]:
    """The document's node tree, and the line of every key path in it; refuses anchors,
    aliases, merge keys, repeated keys and deep nesting.

    PyYAML's composer, made iterative and strict: it reads the parser's events one by
    one, where no alias is expanded yet, so a few hundred bytes of nested aliases
    ("billion laughs") are refused before they unfold. Events are told apart by class
    (`is`, not isinstance): this loop runs for every value of every record."""
    root: yaml.Node | None = None
    lines: dict[KeyPath, int] = {}
    stack: list[_Collection] = []
    while loader.check_event():
        event: Any = loader.get_event()  # libyaml's marks are typed apart from PyYAML's, alike in use
        cls = event.__class__
        if cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            stack.pop().node.end_mark = event.end_mark
            continue
        if cls is yaml.DocumentStartEvent and root is not None:
            raise ComposerError("expected a single document in the stream", None,
                                "but found another document", event.start_mark)
        if (cls is not yaml.ScalarEvent and cls is not yaml.MappingStartEvent and cls is not yaml.SequenceStartEvent
                and cls is not yaml.AliasEvent):
            continue  # stream and document events
        line = offset + event.start_mark.line
        parent = stack[-1] if stack else None
        loc: KeyPath = ()
        if parent is not None:
            if parent.keys is None:
                loc = parent.loc + (len(parent.node.value),)
            elif parent.key is None:  # this node is a key
                loc = parent.key_loc = parent.loc + (event.value if cls is yaml.ScalarEvent else "?",)
                if cls is yaml.ScalarEvent:
                    if event.value == "<<" and event.implicit[0]:  # merges another mapping in: an alias's partner
                        raise Refused(line, field_name(parent.loc), "YAML merge keys ('<<') are not allowed",
                                      "Write the fields out in full")
                    if event.value in parent.keys:
                        raise Refused(line, field_name(loc), f"key '{event.value}' appears twice (first on line "
                                      f"{parent.keys[event.value]})",
                                      "Keep one of the two: YAML would silently keep the last")
                    parent.keys[event.value] = line
            else:
                loc = parent.key_loc
        if cls is yaml.AliasEvent:
            raise Refused(line, field_name(loc), f"YAML aliases ('*{event.anchor}') are not allowed",
                          "Write the value out in full")
        if event.anchor is not None:
            raise Refused(line, field_name(loc), f"YAML anchors ('&{event.anchor}') are not allowed",
                          "Remove the '&' and its name, and write the value out in full wherever it is needed")
        if loc not in lines:  # a mapping's value keeps its key's line
            lines[loc] = line
        node: yaml.Node
        tag = event.tag
        if cls is yaml.ScalarEvent:
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        else:
            if len(stack) == MAX_DEPTH:
                raise Refused(line, "", f"front matter is nested more than {MAX_DEPTH} levels deep",
                              "Records need a few levels only: check the indentation and brackets")
            kind = yaml.MappingNode if cls is yaml.MappingStartEvent else yaml.SequenceNode
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            collection = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            stack.append(_Collection(collection, loc, {} if cls is yaml.MappingStartEvent else None))
            node = collection
        if parent is None:
            root = node
        elif parent.keys is None:
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None
    return root, lines


def parse_front_matter(text: str, first_line: int = 1) -> tuple[object, dict[KeyPath, int]]:
    """Parse YAML front matter that starts on `first_line`; raise yaml.YAMLError on bad YAML and
    Refused on YAML the archive does not accept.

    The data is whatever the YAML holds: a mapping when it is front matter at all."""
    loader = _Loader(text)
    try:
        node, lines = _compose(loader, first_line)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, lines


# What each kind of file that is not an ordinary file is called, by its lstat type.
_NOT_ORDINARY = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
                 stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}
_GONE = ("file disappeared while the archive was read", "Run the command again")


def not_ordinary(rel: str, mode: int) -> Problem:
    what = _NOT_ORDINARY.get(stat.S_IFMT(mode), "not an ordinary file")
    hint = ("Copy the file here instead of linking to it" if stat.S_ISLNK(mode)
            else "Remove it: a record is an ordinary .md file")
    return Problem(rel, 0, "", f"file is {what}: records must be ordinary files inside content/", hint)


# Opening never follows a link nor waits for a pipe's writer, whatever the listing saw.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: str, rel: str) -> bytes | Problem:
    """An ordinary file's bytes, reading no more than the size limit allows (a device says it holds 0)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return Problem(rel, 0, "", *_GONE)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return not_ordinary(rel, stat.S_IFLNK)
        return Problem(rel, 0, "", f"file cannot be read ({err.strerror})", "Check the file's permissions")
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            return not_ordinary(rel, info.st_mode)
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return Problem(rel, 0, "", f"file is {max(info.st_size, len(raw)):,} bytes, over the "
                       f"{MAX_FILE_BYTES:,}-byte limit", "Split it or remove what is not the article's text")
    return raw


def read_source(path: str, rel: str) -> Source | Problem:
    """Read one file (`rel`: its path from the project's folder) into a Source, or say what makes it unreadable."""
    raw = read_bytes(path, rel)
    return raw if isinstance(raw, Problem) else parse_source(raw, rel)


def _field_at(fm_text: str, first_line: int, line: int) -> str:
    """The field whose value holds `line` of front matter that has control characters."""
    try:
        _, lines = parse_front_matter(CONTROL.sub("\ufffd", fm_text), first_line)
    except (yaml.YAMLError, Refused):
        return ""
    keys = [loc for loc, at in lines.items() if loc and at <= line]
    return field_name(max(keys, key=lambda loc: (lines[loc], len(loc)))) if keys else ""


def parse_source(raw: bytes, rel: str, pool: Pool | None = None) -> Source | Problem:
    """A file's bytes as a Source (`rel`: content/<folder>/<id>.md), or what is wrong with them; its
    strings the `pool`'s (sharing.py)."""
    folder, name = rel.split("/")[-2:]
    stem = posixpath.splitext(name)[0]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        return Problem(rel, line, "", f"file is not UTF-8 (byte {raw[err.start]:#04x} at offset {err.start})",
                       "Save the file with UTF-8 encoding")
    # Line ends as YAML and Markdown read them: CRLF (Windows) and CR alone (old Mac) are LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Problem(rel, 0, "", "file is empty", "Start it with front matter between two '---' lines")
    if not text.startswith("---"):
        return Problem(rel, 1, "", "file has no front matter",
                       "Start the file with a line '---', the YAML fields, then another '---'")
    try:
        fm_text, body = YAMLHandler().split(text)
    except ValueError:
        return Problem(rel, 1, "", "front matter is not closed", "End the YAML fields with a line '---'")
    first_line = text[: text.index(fm_text)].count("\n") + 1
    control = CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        in_body = control.start() >= len(text) - len(body)
        return control_problem(rel, line, "body" if in_body else _field_at(fm_text, first_line, line),
                               control.group())
    try:
        data, lines = parse_front_matter(fm_text, first_line)
    except Refused as refused:
        return Problem(rel, *refused.problem)
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
    written = [loc for loc in lines if len(loc) == 1]  # the keys as written, in the data's order
    for (text_key,), key in zip(written, data):
        if not isinstance(key, str):  # 'yes:', '1:', '~:' are True, 1 and None to YAML
            return Problem(rel, lines[(text_key,)], "", f"field name '{text_key}' is not text to YAML "
                           f"(it reads {key!r})", "Use the field's name, e.g. 'name:' or 'title:'")
    # The body is the text's tail. Blank lines before it are dropped here, not by the
    # model, so that body_line stays the file line of the body's first line.
    stripped = body.lstrip("\n")
    body_line = text[: len(text) - len(stripped)].count("\n") + 1
    body = stripped.rstrip()
    if pool is not None:
        folder, stem, body = share(folder, pool), share(stem, pool), share(body, pool)
        data, lines = share(data, pool), share(lines, pool)
    return Source(folder=folder, id=stem, path=rel, data=data, body=body, lines=lines, body_line=body_line)


def _entries(folder: Path) -> list[tuple[tuple[str, ...], str, bool]]:
    """Every path below `folder` but its folders, in order: its parts below `folder`, the path,
    and whether it is an ordinary file. Strings, not Paths: 45,000 files at 10,000 articles.

    Links are never followed: a linked folder is listed, not entered. In order as the parts sort: each
    folder's entries sorted by name, a folder's own listed in its place (no sort of the whole list)."""
    found: list[tuple[tuple[str, ...], str, bool]] = []
    pending: list[tuple[tuple[str, ...], str, bool | None]] = [((), str(folder), None)]  # None: a folder to list
    while pending:
        parts, where, ordinary = pending.pop()
        if ordinary is not None:
            found.append((parts, where, ordinary))
            continue
        try:
            with os.scandir(where) as listing:
                below = sorted(listing, key=_name, reverse=True)  # the first popped first
        except FileNotFoundError:  # removed while we listed it
            continue
        pending += [((*parts, entry.name), entry.path,
                     None if entry.is_dir(follow_symlinks=False) else entry.is_file(follow_symlinks=False))
                    for entry in below]
    return found


_name = operator.attrgetter("name")


def _placed(parts: tuple[str, ...]) -> bool:
    """Whether a file under content/ is where a record goes: content/<kind folder>/<id>.md."""
    return parts[-1].endswith(".md") and len(parts) == 2 and parts[0] in KIND_BY_FOLDER


@dataclass(frozen=True)
class Loaded:
    sources: list[Source]
    problems: list[Problem]
    present: set[Key]  # (kind, id) of every record file, readable or not


def load(content_dir: Path, root: Path, read: Callable[[str, str], Source | Problem] = read_source,
         ahead: Callable[[list[tuple[str, str]]], None] | None = None) -> Loaded:
    """Read every record under content/<kind>/*.md, in a stable order (`read`: the cache's, when warm;
    given the file's path and its path from `root`). `ahead` is first given every record file found
    (path, path from `root`): the cache reads those it must on several cores."""
    sources: list[Source] = []
    problems: list[Problem] = []
    present: set[Key] = set()
    if not content_dir.is_dir():
        return Loaded([], [Problem(str(content_dir), 0, "", "content folder not found",
                                   "Run from the project folder")], present)
    under = content_dir.relative_to(root).as_posix()
    found = [(parts, path, ordinary, "/".join((under, *parts)), _placed(parts))
             for parts, path, ordinary in _entries(content_dir) if not parts[-1].startswith(".")]
    if ahead is not None:
        ahead([(path, rel) for parts, path, ordinary, rel, placed in found if ordinary and placed])
    for parts, path, ordinary, rel, placed in found:
        name = parts[-1]
        if placed:
            present.add((KIND_BY_FOLDER[parts[0]].kind, name[:-3]))
        if not ordinary:  # refused before anything opens it: a pipe would never answer, a device never end
            try:
                problems.append(not_ordinary(rel, os.lstat(path).st_mode))
            except FileNotFoundError:
                problems.append(Problem(rel, 0, "", *_GONE))
            continue
        if not placed:
            folders = ", ".join(f"content/{name}/" for name in KIND_BY_FOLDER)
            problems.append(Problem(rel, 0, "", "file is not where records go",
                                    f"Records are .md files directly in one of {folders}"))
            continue
        result = read(path, rel)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            sources.append(result)
    return Loaded(sources, problems, present)
