"""Incremental checks: after any sequence of edits, `archive check` answers what a whole check does.

The walk of test_incremental.py (words, recipients, dates, names and aliases edited; people,
letters and articles added and deleted) runs on the mini archive; after every step a check that
starts from what the last one kept in build/cache/ must find the same problems and work out the
same facts as a check from nothing. Forgetting one kind of dependency makes the walk fail, and a
check after an edit to one article works out again only the records that read it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from archive_kit import make_project
from builder import rechecks
from builder.link.graph import Archive
from builder.link.provenance import tally
from builder.model.schema import Letter, Place, Summit
from builder.pipeline import Project, check
from builder.validate.cache import RecordCache
from test_incremental import ARTICLE, Walk, _edit_article


def facts(archive: Archive) -> dict:
    return {(r.kind, r.id): archive.facts_of(r) for r in archive.records.values()
            if isinstance(r, (Letter, Summit, Place))}


def checked_walk(tmp_path: Path, seed: int, steps: int) -> None:
    project = Project(make_project(tmp_path))
    check(project)
    edits = Walk(project.content, random.Random(seed))
    for number in range(steps):
        what = edits.step()
        archive, problems = check(project)  # as `archive check` runs: what it kept, from disk
        whole, expected = check(project, RecordCache())  # no cache: every record checked
        assert archive is not None and whole is not None, (what, expected)
        assert problems == expected, f"seed {seed}, step {number} ({what}): problems differ from a whole check's"
        assert facts(archive) == facts(whole), f"seed {seed}, step {number} ({what}): facts differ"
        assert tally(archive) == tally(whole)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_an_incremental_check_answers_as_a_whole_check(tmp_path, seed):
    checked_walk(tmp_path, seed, steps=15)


def test_the_walk_catches_a_missed_dependency(tmp_path, monkeypatch):
    """Forget the records an edit starts or stops naming, by link or in an article's text: some step's
    facts or problems are stale."""
    real = rechecks.affected

    def forgetful(*args):
        return {token for token in real(*args) if not (isinstance(token, tuple) and token[0] in ("in", "named"))}

    monkeypatch.setattr(rechecks, "affected", forgetful)
    with pytest.raises(AssertionError, match="differ"):
        for seed in (1, 2, 3, 4):
            (tmp_path / str(seed)).mkdir()
            checked_walk(tmp_path / str(seed), seed, steps=15)


def test_after_one_edit_only_the_records_that_read_it_are_checked_again(tmp_path, monkeypatch):
    project = Project(make_project(tmp_path))
    check(project)
    worked: list[str] = []
    real = rechecks.facts_for
    monkeypatch.setattr(rechecks, "facts_for", lambda record, arch: worked.append(record.id) or real(record, arch))
    check(project)
    assert worked == []  # nothing changed: every record's checks are the last run's
    _edit_article(project)  # a sentence naming nobody
    archive, problems = check(project)
    assert archive is not None
    article = archive.article(ARTICLE.rpartition("/")[2])
    reporting = {r.id for r in archive.records.values() if isinstance(r, (Letter, Summit))
                 and article in archive.referring(r, type(article))}
    assert reporting and article.id in worked
    assert reporting <= set(worked) < {r.id for r in archive.records.values()}, worked
    worked.clear()
    assert problems == check(project, RecordCache())[1]
