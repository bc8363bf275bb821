"""What a pull request's check shows a reviewer: `archive check --format github`'s problems as
annotations on their lines, and `archive changes`: what it adds, changes and removes against its base
branch, and how the facts of what it touches rest, as Markdown for the job summary.

The records are the files git says differ from the base commit (the working tree against it, so the
merge commit a pull request's check runs on); the facts are counted by the tally `archive check` prints,
on the base's archive (its content/ taken out of git) and on this one.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..link.checks import display_name
from ..link.provenance import tally
from ..load.load import load
from ..model.errors import Problem, counted
from ..model.schema import KIND_BY_FOLDER, Key, Kind
from ..outputs.render import md_escape
from ..pipeline import Project, check

TEMPLATES = Path(__file__).parent / "reports"
HOW = {"A": "added", "M": "changed", "D": "removed"}


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """`::error file=…,line=…,title=…::…`: GitHub shows it on the file's line in the pull request."""
    where = {"file": problem.path, **({"line": str(problem.line)} if problem.line else {}),
             "title": problem.field or "archive check"}
    properties = ",".join(f"{name}={_property(value)}" for name, value in where.items())
    message = f"{problem.message}. {problem.hint}" if problem.hint else problem.message
    return f"::{'warning' if problem.warning else 'error'} {properties}::{_data(message)}"


@dataclass(frozen=True)
class Change:
    kind: Kind
    id: str
    name: str  # as the record names itself (the base's, for one removed)
    how: str  # added, changed or removed


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True).stdout


def changed_records(root: Path, base: str) -> list[tuple[str, Key]]:
    """(added, changed or removed; the record) for each content file that differs from `base`, or is new
    and not yet committed."""
    found = []
    diff = _git(root, "diff", "--name-status", "--no-renames", base, "--", "content/").decode().splitlines()
    new = _git(root, "ls-files", "--others", "--exclude-standard", "--", "content/").decode().splitlines()
    for line in diff + [f"A\t{path}" for path in new]:
        status, path = line.split("\t", 1)
        parts = Path(path).parts
        if len(parts) == 3 and parts[1] in KIND_BY_FOLDER and parts[2].endswith(".md") and status[0] in HOW:
            found.append((HOW[status[0]], (KIND_BY_FOLDER[parts[1]].kind, parts[2].removesuffix(".md"))))
    return found


def _checkout(root: Path, base: str, into: Path) -> Project:
    """The base commit's content/ and mkdocs.yml, written into `into`."""
    with tarfile.open(fileobj=io.BytesIO(_git(root, "archive", "--format=tar", base, "content", "mkdocs.yml"))) as tar:
        tar.extractall(into, filter="data")
    return Project(into)


def _names(project: Project) -> dict[Key, str]:
    return {s.key: display_name(s.data) for s in load(project.content, project.root).sources}


def summary(root: Path, base: str) -> str:
    """The job summary: the records the working tree adds, changes and removes against `base`, the check's
    outcome, and the facts of what it adds or changes, then of the whole archive before and after."""
    here = Project(root)
    changes = changed_records(root, base)
    archive, problems = check(here)
    with tempfile.TemporaryDirectory() as tmp:
        before_project = _checkout(root, base, Path(tmp))
        before, _ = check(before_project)
        names = {**_names(before_project), **_names(here)}
    touched = {record for how, record in changes if how != "removed"}
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_escape
    env.globals["counted"] = counted
    return env.get_template("pull_request.md.j2").render(
        base=base, kinds=list(Kind), problems=problems, archive=archive,
        changes=[Change(kind, id_, names.get((kind, id_), ""), how)
                 for how, (kind, id_) in sorted(changes, key=lambda c: (list(Kind).index(c[1][0]), c[1][1]))],
        touched=tally(archive, touched) if archive else None,
        before=tally(before) if before else None, after=tally(archive) if archive else None)
