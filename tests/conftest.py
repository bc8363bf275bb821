"""Shared fixtures: the real archive built once per test session, in a temporary copy.

Tests never touch the developer's own build/ or site/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.pipeline import Project, build

from archive_kit import ROOT  # noqa: E402  (tests/ is on sys.path)


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
def site(real_project) -> Path:
    return real_project.site
