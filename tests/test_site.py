"""The real archive, built from content/, read as a reader would read it.

Every expectation is computed from content/ (tests/site_checks.py), so adding articles
never means editing a test; exact expectations live with the fixture archives
(tests/test_site_fixtures.py, tests/test_build_mini.py). tests/test_growth.py runs the
same checks on the archive grown by generated records.
"""

from __future__ import annotations

import re

import pytest

from builder.model.schema import Article
from html_kit import read
from site_checks import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
def test_real_site(real_archive, site, check):
    check(real_archive, site)


def test_articles_drop_the_source_sites_chrome(real_archive, site):
    """Comment forms and donation appeals of the source sites (shared/seeds) are not journalism."""
    text = " ".join(read(site, f"articles/{a.id}.html").text for a in real_archive.all(Article))
    assert text
    for chrome in ("LEAVE A REPLY", "Please enter your comment", "we have a small favor to ask",
                   "Post a Comment", "Заголовок"):
        assert chrome not in text, chrome


def test_no_page_loads_anything_from_the_internet(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr", "https://unpkg"):
            assert marker not in html, f"{path.relative_to(site)} loads {marker}"
    # What a page loads is in the site: its scripts (the search's among them) and its index.
    html = (site / "people" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.endswith("assets/javascripts/search.js") for src in scripts), scripts
    for src in scripts:
        assert (site / "people" / src.split("?")[0]).resolve().is_file(), src
    assert (site / "search" / "index.js").is_file()


def test_real_archive_builds_the_same_bytes_twice(site, tmp_path):
    import hashlib

    from builder.pipeline import Project, build
    from conftest import copy_project

    again = Project(copy_project(tmp_path))
    build(again)

    def digest(folder):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digest(again.site) == digest(site)
