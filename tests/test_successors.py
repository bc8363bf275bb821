"""The generated docs render with the MkDocs successors that read mkdocs.yml, not only with MkDocs.

The builder writes plain Markdown and leaves rendering to whatever reads mkdocs.yml; these build the
real archive's build/docs with ProperDocs and with Zensical (both pinned in requirements-test.lock,
so `make test` installs them) and hold each to the pages MkDocs wrote.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from builder.pipeline import Project

GENERATOR = re.compile(r'\s*<meta name="generator" content="[^"]*">')


def _files(site: Path, pattern: str = "*") -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob(pattern) if path.is_file()}


def _render(real_project: Project, tmp_path: Path, *command: str) -> Path:
    """The real archive's generated docs rendered by `command` in a copy (Zensical writes beside mkdocs.yml)."""
    shutil.copy(real_project.config, tmp_path / "mkdocs.yml")
    shutil.copytree(real_project.root / "overrides", tmp_path / "overrides")
    shutil.copytree(real_project.docs, Project(tmp_path).docs)
    done = subprocess.run([sys.executable, "-m", *command, "-f", "mkdocs.yml"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return Project(tmp_path).site


def test_properdocs_writes_the_same_site_as_mkdocs(real_project, tmp_path):
    site = _render(real_project, tmp_path, "properdocs", "build")  # strict, as mkdocs.yml says
    assert _files(site) == _files(real_project.site)
    for page in _files(real_project.site, "*.html"):
        ours, theirs = ((root / page).read_text(encoding="utf-8") for root in (real_project.site, site))
        assert GENERATOR.sub("", theirs) == GENERATOR.sub("", ours), f"{page} differs beyond the generator tag"


def test_zensical_writes_every_page_with_its_description(real_project, tmp_path):
    site = _render(real_project, tmp_path, "zensical", "build", "--strict")
    assert _files(site, "*.html") == _files(real_project.site, "*.html")
    for page in _files(site, "*.html") - {"404.html"}:
        assert '<script type="application/ld+json">' in (site / page).read_text(encoding="utf-8"), page
