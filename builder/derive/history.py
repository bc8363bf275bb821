"""History: when each record was added to the archive and last revised, from git.

Read once a build: one `git log` over content/ maps every file to its first and
last commit (a `git log` per file takes minutes at 10,000 files). Renames are
followed, as `git log --follow` does for one file. Dates are commit dates, not
author dates: when a change entered the archive, not when someone first wrote
it. The same commit gives the same history, so it builds the same bytes.
Content outside a repository (a copy in a temporary folder, a tarball) has no
history and its pages no history line; nor has a shallow clone, whose oldest
commit would pass for every file's first.
"""

from __future__ import annotations

import calendar
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from ..link.graph import Archive
from ..model.schema import KIND_BY_FOLDER, Key

SHORT = 7  # characters of a commit id shown to a reader


@dataclass(frozen=True)
class Commit:
    id: str
    date: str  # the commit date, ISO 8601 with its offset (RFC 3339), as git gives it

    @property
    def short(self) -> str:
        return self.id[:SHORT]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class History:
    """A record's file in the repository: its first and its latest commit, and where to read the rest."""

    added: Commit
    revised: Commit
    url: str | None  # the file's history on the forge named by mkdocs.yml's repo_url; None without one


Histories = Mapping[Key, History]  # (kind, id) -> its file's commits


def site_settings(config: Path) -> dict[str, Any]:
    """mkdocs.yml's top-level settings (repo_url, site_url, site_name …); tags such as !!python/name read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a SafeLoader
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def history_url(repo_url: str | None, commit: Commit, path: str) -> str | None:
    """The file's commits up to `commit` on the forge: GitHub's and Gitea's form, GitLab's `/-/`."""
    if not repo_url:
        return None
    base = repo_url.rstrip("/")
    host = urlsplit(base).hostname or ""
    commits = "-/commits" if "gitlab" in host else "commits"
    return f"{base}/{commits}/{commit.id}/{quote(path)}"


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def file_commits(content: Path) -> dict[str, tuple[Commit, Commit]]:
    """{path from the repository's top: (first commit, latest commit)} of every file under `content`
    that git knows; empty outside a repository or in a shallow clone."""
    if not content.is_dir():
        return {}
    shallow = _git(content, "rev-parse", "--is-shallow-repository")
    if shallow is None or shallow.strip() != "false":
        return {}
    log = _git(content, "-c", "core.quotepath=off", "log", "--reverse", "-M", "--name-status", "-z",
               "--format=%x01%H %cI", "--", ".")
    if log is None:
        return {}
    found: dict[str, tuple[Commit, Commit]] = {}
    for chunk in log.split("\x01")[1:]:  # oldest first: "<hash> <date>\0\n<status>\0<path>\0…"
        header, _, changes = chunk.partition("\0")
        commit = Commit(*header.split(" ", 1))
        tokens = [t for t in changes.lstrip("\n").split("\0") if t]
        i = 0
        while i < len(tokens):
            status = tokens[i][:1]
            if status in ("R", "C"):  # renamed or copied: old path, new path
                old, new = tokens[i + 1], tokens[i + 2]
                first = found.pop(old, (commit, commit))[0] if status == "R" else commit
                found[new] = (first, commit)
                i += 3
                continue
            path = tokens[i + 1]
            if status == "D":
                found.pop(path, None)
            else:  # added, modified, type changed
                found[path] = (found[path][0] if path in found else commit, commit)
            i += 2
    return found


def read_history(content: Path, repo_url: str | None = None) -> dict[Key, History]:
    """{(kind, id): History} of every record file under `content` that git has a commit of."""
    commits = file_commits(content)
    if not commits:
        return {}
    prefix = (_git(content, "rev-parse", "--show-prefix") or "").strip()
    out: dict[Key, History] = {}
    for path, (first, last) in commits.items():
        if not path.startswith(prefix):
            continue
        inside = PurePosixPath(path[len(prefix):])
        model = KIND_BY_FOLDER.get(inside.parts[0]) if len(inside.parts) == 2 else None
        if model is None or inside.suffix != ".md":
            continue
        out[(model.kind, inside.stem)] = History(first, last, history_url(repo_url, last, path))
    return out


def project_history(root: Path) -> Histories:
    """The history of a project's content, linked to the repository mkdocs.yml names (if it names one)."""
    repo_url = site_settings(root / "mkdocs.yml").get("repo_url")
    return read_history(root / "content", repo_url if isinstance(repo_url, str) else None)


def build_epoch(archive: Archive) -> str:
    """The build's date, in seconds since 1970: SOURCE_DATE_EPOCH when set, else the latest day a
    record's date reaches, so the same content builds the same bytes whatever the clock says."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    return archive.once("epoch", lambda: _latest(archive))  # the pages' and the downloads' alike


def _latest(archive: Archive) -> str:
    latest = archive.latest()
    return str(calendar.timegm(latest.timetuple())) if latest else "0"
