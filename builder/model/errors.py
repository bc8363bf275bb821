"""Problems in the archive, reported as `path:line: field: what is wrong`, with the fix."""

from __future__ import annotations

import difflib
import errno
from dataclasses import dataclass
from pathlib import Path
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


def counted(problems: list[Problem]) -> str:
    """'2 problems, 7 warnings': errors and warnings counted apart, so warnings never look like errors."""
    errors, warnings = split(problems)
    parts = [f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"] if errors or not warnings else []
    if warnings:
        parts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    return ", ".join(parts)


# How a failed build ends: staging means the previous site is untouched (or there was none).
UNCHANGED = "nothing was built, site/ is as it was"
NO_SITE = "nothing was built, and there is no site/"


def outcome_for(site: Path) -> str:
    return UNCHANGED if site.is_dir() else NO_SITE


class BuildError(click.ClickException):
    """Raised with every problem found, so the contributor fixes them in one go."""

    def __init__(self, problems: list[Problem], outcome: str = "") -> None:
        self.problems = sorted(set(problems))
        summary = f"{counted(self.problems)} found" + (f"; {outcome}" if outcome else "")
        super().__init__("\n".join(map(str, self.problems)) + f"\n{summary}.")

    def show(self, file: IO[Any] | None = None) -> None:
        # The lines already start with the file; Click's "Error: " prefix would hide that.
        click.echo(self.format_message(), file=file, err=True)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'?" if close else ""


# What the machine refused, in a contributor's words, and what to do about it.
_WHAT = {errno.EROFS: "read-only file system", errno.EACCES: "permission denied", errno.EPERM: "not permitted",
         errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
         errno.EXDEV: "build/ and site/ are on different file systems"}
_TO_DO = {errno.EROFS: "Make it writable (remount the disk read-write) or build a copy of the project elsewhere",
          errno.EACCES: "Make it writable (chmod -R u+w {path}) or build as the user who owns it",
          errno.EPERM: "Make it writable (chmod -R u+w {path}; lsattr shows an immutable flag) or build elsewhere",
          errno.ENOSPC: "Free some space and build again", errno.EDQUOT: "Free some space and build again",
          errno.EXDEV: "Keep build/ and site/ on one file system"}


def reason(err: OSError) -> str:
    """'read-only file system (EROFS)'."""
    code = err.errno or 0
    what = _WHAT.get(code) or (err.strerror or str(err)).lower()
    return f"{what} ({errno.errorcode[code]})" if code in errno.errorcode else what


def relative(path: str | Path, root: Path) -> str:
    """A path as the contributor types it: from the project folder, a folder with its slash."""
    full = Path(path)
    rel = full.relative_to(root).as_posix() if full.is_relative_to(root) else str(full)
    return f"{rel}/" if full.is_dir() and not rel.endswith("/") else rel


class Fault(click.ClickException):
    """The machine, not the archive, stopped the build (a read-only or full disk): one line, what to do."""

    def __init__(self, err: OSError, root: Path, outcome: str) -> None:
        path = relative(err.filename, root) if isinstance(err.filename, str) else "build/ or site/"
        to_do = _TO_DO.get(err.errno or 0, "Fix that and build again").format(path=path.rstrip("/"))
        super().__init__(f"cannot write {path}: {reason(err)}. {to_do}; {outcome}.")
