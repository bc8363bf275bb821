"""Shared fixtures: the real archive built once per test session, in a temporary copy.

Tests never touch the developer's own build/ or site/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.link.graph import Archive
from builder.pipeline import Project, build, check

from archive_kit import ROOT, make_project  # noqa: E402  (tests/ is on sys.path)
from content_gen import Growth, grow

# The generated records of tests/test_growth.py; any seed must give a valid archive.
GROWTH_SEED = 1


def copy_project(dest: Path) -> Path:
    """The real project's content and configuration, copied to `dest`."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "content", dest / "content")
    return dest


@pytest.fixture(scope="session")
def real_project(tmp_path_factory) -> Project:
    """The real archive, built once: `real_project.site` holds the HTML."""
    project = Project(copy_project(tmp_path_factory.mktemp("real")))
    build(project)
    return project


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> Path:
    """The small fixture archive (archive_kit.MINI), built once: its site, for tests that only read it."""
    project = Project(make_project(tmp_path_factory.mktemp("mini")))
    build(project)
    return project.site


@pytest.fixture(scope="session")
def site(real_project) -> Path:
    return real_project.site


def linked(project: Project) -> Archive:
    """The project's content as the builder links it: what the checks compute expectations from."""
    archive, problems = check(project)
    assert archive is not None, "\n".join(map(str, problems))
    return archive


@pytest.fixture(scope="session")
def real_archive(real_project) -> Archive:
    return linked(real_project)


@pytest.fixture(scope="session")
def growth(tmp_path_factory) -> Growth:
    """A copy of the real archive with a generated article and its records added (not yet built)."""
    return grow(copy_project(tmp_path_factory.mktemp("grown")), GROWTH_SEED)


@pytest.fixture(scope="session")
def grown_project(growth) -> Project:
    """The grown archive, built once: one extra build per session."""
    project = Project(growth.root)
    build(project)
    return project


@pytest.fixture(scope="session")
def grown_archive(grown_project) -> Archive:
    return linked(grown_project)
