"""A checked archive holds each string once: a record's text is not kept both as read and as
validated, nor an id once for every record naming it. At 10,000 generated articles such copies
took several hundred megabytes of the builder's memory (issue 19). The cache a later run reads
is kept in shards (shelf.py), each holding its records' strings once: an id may come back once a
shard (12.6 MB of such copies at 10,000 articles)."""

from __future__ import annotations

from builder.link.graph import Archive
from builder.model.schema import Kind
from builder.pipeline import Project, check
from builder.validate.cache import RecordCache

from archive_kit import make_project

ARTICLE = (Kind.article, "2013-05-25-daily-reply")


def _checked(project: Project, cache: RecordCache) -> Archive:
    archive, problems = check(project, cache)
    assert archive is not None, problems
    return archive


def _shared(archive: Archive, cache: RecordCache, across: bool = True) -> None:
    article = archive.records[ARTICLE]
    source = cache.seen["content/articles/2013-05-25-daily-reply.md"].read
    assert article.body == source.body and article.body is source.body
    assert article.title is source.data["title"]
    reply, first = archive.records[(Kind.letter, "2013-05-beta-to-alpha")], archive.records[(Kind.letter, "2013-04-alpha-to-beta")]
    beta = [reply.sender, first.recipients[0], archive.records[(Kind.person, "beta")].id, article.people[1]]
    assert beta == ["beta"] * 4
    if across:
        assert all(name is beta[0] for name in beta)
    else:  # read back from the cache's shards: shared within each record and with its source
        assert reply.sender is cache.seen["content/letters/2013-05-beta-to-alpha.md"].read.data["sender"]


def test_records_share_their_strings_with_their_sources_and_each_other(tmp_path):
    project = Project(make_project(tmp_path))
    cache = RecordCache(project.cache)
    _shared(_checked(project, cache), cache)
    cache.save()
    warm = RecordCache(project.cache)  # as the next build reads them back
    _shared(_checked(project, warm), warm, across=False)
    assert warm.parsed == 0
