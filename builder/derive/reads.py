"""Reads: which records each page's view was worked out from, for incremental builds.

While the derive stage works out a page, every record it looks at is noted
against that page: records shown (through `Refs`), records looked up in the
Archive, and the questions asked about a record's incoming links ("which
letters reply to this one?"). After an edit, a page is worked out again only
if it read something the edit changed. The tokens:

- `(kind, id)`: the record was read, its fields and its text;
- `("in", (kind, id))`: what links to the record was read (replies, reports);
- `("named", (kind, id))`: which articles' text names the record, and in which sentences;
- `("all", kind)`: every record of a kind was read, fields and text;
- `("fields", (kind, id))`, `("all fields", kind)`: the same, its fields only (front matter): the index
  pages show records by their fields, never their text, so a word changed in an article's text
  leaves them as they are (`fields_only`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from ..link.facts import Facts
from ..model.schema import Key, Kind, Record

Token = Key | tuple[Literal["in", "named", "fields"], Key] | tuple[Literal["all", "all fields"], Kind]

# Archive methods that answer "what links to this record?": their record arguments' incoming links are read.
INCOMING = {"referring", "letters_of", "thread", "facts_of"}
# Archive methods that answer "which articles' text names this record?" (a fact's basis quotes such sentences).
NAMING = {"mentions_of", "sentences_naming", "facts_of"}
# Archive members that read a whole kind (`all` reads the kind it is given).
WHOLE_KIND = {"people": Kind.person, "leaders": Kind.person,
              "exchanges": Kind.letter, "pairs": Kind.letter}


class Recorder:
    """The tokens read by the page being worked out; nothing is noted between pages."""

    def __init__(self) -> None:
        self.current: set[Token] | None = None
        self.fields_only = False  # while an index is worked out: records are read for their fields
        # One tuple a token, shared by every page that read it: a page's own copies took a tenth
        # of the derive stage's memory, and the state keeps them between builds.
        self.shared: dict[Token, Token] = {}

    def note(self, token: Token) -> None:
        if self.current is not None:
            if self.fields_only:
                token = fields_of(token)
            self.current.add(self.shared.setdefault(token, token))

    def records(self, value: object, depth: int = 0) -> None:
        """Note every record in a result: a record, or lists, tuples and dicts of them."""
        if self.current is None or depth > 3:
            return
        if isinstance(value, Record):
            self.note((value.kind, value.id))
        elif isinstance(value, Facts):  # what they were worked out from (the reporting articles among them)
            self.records(value.read, depth + 1)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                self.records(item, depth + 1)
        elif isinstance(value, dict):
            for item in value.values():
                self.records(item, depth + 1)


def fields_of(token: Token) -> Token:
    """What reading `token` reads of a record's fields alone."""
    if token[0] == "all":
        return ("all fields", token[1])  # type: ignore[return-value]
    if token[0] in ("in", "named", "fields", "all fields"):
        return token
    return ("fields", token)  # type: ignore[return-value]


def key_of(record: Record) -> Key:
    return (record.kind, record.id)


class ReadArchive:
    """An Archive that notes what the page being derived reads from it; otherwise the Archive itself."""

    def __init__(self, archive: Any, recorder: Recorder) -> None:
        self._archive = archive
        self._recorder = recorder

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._archive, name)
        recorder = self._recorder
        if name in WHOLE_KIND:
            recorder.note(("all", WHOLE_KIND[name]))
        if not callable(value):
            return value

        def read(*args: Any, **kwargs: Any) -> Any:
            if name == "all":
                recorder.note(("all", args[0].kind))
                return value(*args, **kwargs)
            if name in WHOLE_KIND:  # noted above: each record of the kind in the answer is read with it
                return value(*args, **kwargs)
            for arg in args:
                if isinstance(arg, Record):
                    recorder.note(key_of(arg))
                    if name in INCOMING:
                        recorder.note(("in", key_of(arg)))
                    if name in NAMING:
                        recorder.note(("named", key_of(arg)))
            result = value(*args, **kwargs)
            recorder.records(result)
            if name == "thread":  # the whole thread: a reply to any letter in it joins it
                for letter in result:
                    recorder.note(("in", key_of(letter)))
            return result

        return read


def incoming(tokens: Iterable[Key]) -> set[Token]:
    return {("in", k) for k in tokens}
