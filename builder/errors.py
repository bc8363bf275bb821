"""Problems in the archive, reported as `path:line: field: what is wrong`, with the fix."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file. Sorted by path, then line."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    # A warning is reported but does not stop the build (e.g. an ambiguous name left unlinked).
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"warning: {self.message}" if self.warning else self.message
        text = f"{where}: {self.field}: {what}" if self.field else f"{where}: {what}"
        return f"{text}. {self.hint}" if self.hint else text


def split(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings)."""
    return [p for p in problems if not p.warning], [p for p in problems if p.warning]


# How a failed build ends: staging means the previous site is untouched.
UNCHANGED = "nothing was built, site/ is as it was"


class BuildError(click.ClickException):
    """Raised with every problem found, so the contributor fixes them in one go."""

    def __init__(self, problems: list[Problem], outcome: str = "") -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} found" + (f"; {outcome}" if outcome else "")
        super().__init__("\n".join(map(str, self.problems)) + f"\n{summary}.")

    def show(self, file: IO[Any] | None = None) -> None:
        # The lines already start with the file; Click's "Error: " prefix would hide that.
        click.echo(self.format_message(), file=file, err=True)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'?" if close else ""
