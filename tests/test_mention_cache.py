"""Mentions kept in build/cache/: `archive build` after an edit, a new process, searches again only
the articles an edit changed, and a name given to a record links in articles nobody edited.

Each build here starts as a new process does: with nothing of an earlier run in memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_kit import make_project
from builder.link import mention_cache
from builder.link.mentions import find
from builder.pipeline import Project
from test_incremental import _edit_article, archive_build
from test_rechecks import checked_walk

TALKS = "articles/2013-06-01-daily-talks"
FILES = {f"{TALKS}.md": """
    ---
    title: Talks go on
    outlet: daily
    published: {date: "2013-06-01"}
    people: [beta]
    ---
    The talks went on. The Betaland leader said little.
    """}


def new_process_build(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`archive build` as a new process runs it; the ids of the articles it searched for names."""
    searched: list[str] = []
    monkeypatch.setattr(mention_cache, "_memory", None, raising=False)
    monkeypatch.setattr(mention_cache, "find", lambda article, *rest: searched.append(article.id) or find(article, *rest))
    archive_build(root)
    return sorted(searched)


def test_a_new_process_searches_only_edited_articles_and_a_new_alias_links_everywhere(tmp_path, monkeypatch):
    project = Project(make_project(tmp_path, FILES))
    talks = project.site / f"{TALKS}.html"
    assert new_process_build(project.root, monkeypatch) == ["2013-05-25-daily-reply", "2013-06-01-daily-talks"]
    assert "Betaland leader</a>" not in talks.read_text(encoding="utf-8")

    _edit_article(project)
    assert new_process_build(project.root, monkeypatch) == ["2013-05-25-daily-reply"]

    beta = project.content / "people/beta.md"  # a name for Boris Beta that only the unedited article holds
    beta.write_text(beta.read_text(encoding="utf-8").replace("role:", "aliases: [Betaland leader]\nrole:"),
                    encoding="utf-8")
    assert new_process_build(project.root, monkeypatch) == ["2013-05-25-daily-reply", "2013-06-01-daily-talks"]
    assert '<a href="../people/beta.html">Betaland leader</a>' in talks.read_text(encoding="utf-8")
    assert new_process_build(project.root, monkeypatch) == []  # nothing changed: nothing searched


def test_the_walk_catches_mentions_kept_under_other_names(tmp_path, monkeypatch):
    """Keep mentions whatever the names and aliases are: some step of the check's walk answers otherwise."""
    monkeypatch.setattr(mention_cache, "_names_hash", lambda index: "the same names", raising=False)
    with pytest.raises(AssertionError, match="differ"):
        for seed in (1, 2, 3, 4):
            (tmp_path / str(seed)).mkdir()
            checked_walk(tmp_path / str(seed), seed, steps=15)
