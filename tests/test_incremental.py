"""Incremental builds: after any sequence of edits, the pages and the site are what a clean build makes.

A seeded random walk edits a copy of the mini archive (a word in an article, a
letter's recipients or dates, a person's name or alias) and adds and deletes
records; after every step the pages the preview regenerates (its state in
memory) must be byte-identical to a clean build's, and every page whose text
did not change must keep its modification time. On one walk `archive build`
(its state only from disk) must also leave a site/ byte-identical to
`archive build --clean`'s. The same walk with one kind of dependency left
untracked must fail: the check is able to catch what tracking misses.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.bccache import bc_magic

from archive_kit import make_project
from test_shards import count_workers
from builder import incremental, record_pages
from builder.cli.commands import cli
from builder.shelf import Shelf, shard_of
from builder.write.write import update_file
from builder.validate.cache import FOLDER, RecordCache
from builder.derive.derive import derive
from builder.model import text
from builder.model.errors import BuildError
from builder.derive.history import project_history, site_settings
from builder.incremental import State
from builder.pipeline import Project, Update, build, check, regenerate
from builder.model.schema import Kind, Record
from builder.model import addresses
from builder.outputs.data.common import html_address
from builder.outputs.render import render
from builder.outputs.files import whole_archive_files
from builder.outputs.search import entries_of, index_files
from builder.outputs.search.index import SearchIndex
from builder.outputs.search.index import FOLDER as SEARCH

WORDS = ["warm", "letter", "Anna Alpha", "Boris Beta", "trade", "Mrs Alpha", "summit", "envoy", "Gala Gamma"]


def clean_pages(project: Project) -> dict[str, str]:
    """The reference: check, derive and render from scratch, no cache, no recorded reads, nothing kept;
    then the downloads, the Data page and the feed (the search index is compared by clean_search)."""
    archive, problems = check(project, RecordCache())
    assert archive is not None, problems
    views = derive(archive)
    pages = render(views)
    whole, downloads = whole_archive_files(archive, pages.keys(), site_settings(project.config))
    pages.update({**whole, **{path: "".join(parts) for path, parts in downloads.parts().items()}})
    return pages


def clean_search(project: Project) -> dict[str, bytes]:
    """The search index's files as a clean build writes them."""
    archive, _ = check(project, RecordCache())
    assert archive is not None
    return {path: text.encode("ascii") for path, text in index_files(entries_of(derive(archive)))[1].items()}


def files_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def docs_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a docs folder but the search index's (compared on its own, with clean_search)."""
    return {path: found for path, found in files_of(folder).items() if not path.startswith(f"{SEARCH}/")}


class Preview:
    """The preview's way: one state kept in memory, build/docs-like pages rewritten in place."""

    def __init__(self, project: Project, docs: Path) -> None:
        self.project, self.docs = project, docs
        self.cache = RecordCache(project.cache)
        self.state: State | None = None

    def run(self) -> Update:
        """An edit's run puts off the downloads, written once it is done, as the preview's rest does. The
        first run indexes which pages read what, as the preview's warm-up does: each run after finds the
        pages an edit reaches from that index, patched by the runs before (incremental.Readers)."""
        first = self.state is None
        self.state, update = regenerate(self.project, self.docs, self.state, self.cache,
                                        project_history(self.project.root), later=not first)
        if first:
            self.state.index()
        assert self.state.readers is not None and self.state.readers.of is self.state.reads
        if update.downloads is not None:
            update.downloads()
        return update


def archive_build(root: Path, *args: str) -> str:
    """`archive build` as a contributor runs it: whatever it knows of the last build, it reads from disk."""
    result = CliRunner().invoke(cli, ["build", "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def clean_site(project: Project, folder: Path) -> dict[str, bytes]:
    """What `archive build --clean` makes of the same content, in a fresh copy of the project."""
    shutil.copytree(project.root, folder, ignore=shutil.ignore_patterns("build", "site"))
    archive_build(folder, "--clean")
    return {path: data for path, (data, _) in files_of(folder / "site").items()}


class Walk:
    """Random, valid edits to the mini archive; records added here can be deleted again."""

    def __init__(self, content: Path, rng: random.Random) -> None:
        self.content, self.rng, self.n = content, rng, 0
        self.people = ["alpha", "beta", "gamma"]
        self.added_letters: list[str] = []
        self.added_articles: list[str] = []

    def _edit(self, rel: str, change) -> None:
        path = self.content / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    def _name(self) -> str:
        self.n += 1
        return "".join(self.rng.choice("bdklmnprstvz") + self.rng.choice("aeiou") for _ in range(3)).capitalize() \
            + f" {chr(65 + self.n % 26)}{self.n}x"

    def _articles(self) -> list[str]:
        return ["2013-05-25-daily-reply", *self.added_articles]

    def step(self) -> str:
        rng = self.rng
        choices = ["word", "recipients", "date", "rename", "alias", "authority", "new-person", "new-letter",
                   "new-article"]
        if self.added_letters:
            choices.append("delete-letter")
        if self.added_articles:
            choices.append("delete-article")
        what = rng.choice(choices)
        if what == "word":  # a sentence added to (or taken from) an article's text, maybe naming someone
            article = rng.choice(self._articles())
            sentence = f" The {rng.choice(WORDS)} was {rng.choice(WORDS)}."
            self._edit(f"articles/{article}.md", lambda t: (re.sub(r" The [^.]* was [^.]*\.\n$", "\n", t, count=1)
                                                             if " was " in t and rng.random() < 0.3
                                                             else t.rstrip("\n") + sentence + "\n"))
        elif what == "recipients":
            letter = rng.choice(["2013-04-alpha-to-beta", *self.added_letters])
            others = [p for p in self.people if p != self._sender(letter)]
            chosen = rng.sample(others, rng.randint(1, min(2, len(others))))
            self._edit(f"letters/{letter}.md",
                       lambda t: re.sub(r"(?m)^recipients: .*$", f"recipients: [{', '.join(chosen)}]", t))
        elif what == "date":  # before the reply (2013-05-22) and the report (2013-05-25)
            day = f"2013-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"
            self._edit("letters/2013-04-alpha-to-beta.md",
                       lambda t: re.sub(r'delivered: \{date: "[^"]*"', f'delivered: {{date: "{day}"', t))
        elif what == "rename":
            person = rng.choice(self.people)
            name = self._name() if rng.random() < 0.7 else "Gala Gamma"
            self._edit(f"people/{person}.md", lambda t: re.sub(r"(?m)^name: .*$", f"name: {name}", t))
        elif what == "alias":
            person = rng.choice(self.people)
            alias = rng.choice(["Boris", "Gamma", "Lakeside", self._name()])
            self._edit(f"people/{person}.md", lambda t: re.sub(r"(?m)^aliases: \[(.*)\]$", rf"aliases: [\1, {alias}]", t)
                       if "aliases:" in t else t.replace("\nrole:", f"\naliases: [{alias}]\nrole:", 1))
        elif what == "authority":  # shown on the person's page, and in their letters' CMIF only: no letter page
            person = rng.choice(self.people)
            self.n += 1
            line = f"authority: {{wikidata: Q{1000 + self.n}}}"
            self._edit(f"people/{person}.md", lambda t: re.sub(r"(?m)^authority: .*$", line, t)
                       if "\nauthority:" in t else t.replace("\nrole:", f"\n{line}\nrole:", 1))
        elif what == "new-person":
            person = f"p{self.n + 1}"
            (self.content / f"people/{person}.md").write_text(
                f"---\nname: {self._name()}\nrole: {rng.choice(['leader', 'official'])}\n---\n", encoding="utf-8")
            self.people.append(person)
        elif what == "new-letter":
            sender = rng.choice(self.people)
            recipients = rng.sample([p for p in self.people if p != sender], 1)
            letter = f"2013-0{rng.randint(1, 5)}-l{self.n}"
            self.n += 1
            replies = f"replies_to: {rng.choice(['2013-04-alpha-to-beta', *self.added_letters])}\n" \
                if rng.random() < 0.4 else ""
            (self.content / f"letters/{letter}.md").write_text(
                f"---\ntitle: Letter {self.n}\nsender: {sender}\nrecipients: [{', '.join(recipients)}]\n"
                f"dates:\n  sent: {{date: \"2012-0{rng.randint(1, 9)}\", curator: \"a record\"}}\n"
                f"{replies}topics: [trade]\ntext_status: reported\n---\n", encoding="utf-8")
            self.added_letters.append(letter)
        elif what == "new-article":
            article = f"2013-06-0{rng.randint(1, 9)}-a{self.n}"
            self.n += 1
            people = rng.sample(self.people, rng.randint(1, 2))
            (self.content / f"articles/{article}.md").write_text(
                f"---\ntitle: Report {self.n}\noutlet: daily\npublished: {{date: \"2013-06-10\"}}\n"
                f"people: [{', '.join(people)}]\nletters: [2013-05-beta-to-alpha]\n---\n"
                f"A letter came. The {rng.choice(WORDS)} was {rng.choice(WORDS)}.\n", encoding="utf-8")
            self.added_articles.append(article)
        elif what == "delete-letter":  # one no other letter answers
            answered = {m for name in self.added_letters
                        for m in re.findall(r"replies_to: (\S+)", (self.content / f"letters/{name}.md").read_text())}
            free = [name for name in self.added_letters if name not in answered]
            if free:
                gone = rng.choice(free)
                (self.content / f"letters/{gone}.md").unlink()
                self.added_letters.remove(gone)
        elif what == "delete-article":
            gone = rng.choice(self.added_articles)
            (self.content / f"articles/{gone}.md").unlink()
            self.added_articles.remove(gone)
        return what

    def _sender(self, letter: str) -> str:
        return re.search(r"(?m)^sender: (\S+)", (self.content / f"letters/{letter}.md").read_text())[1]


def walk(tmp_path: Path, seed: int, steps: int, build: bool = False) -> None:
    """Edit, then regenerate as the preview does (with `build`: run `archive build` instead), and
    compare with a clean build: fail at the first difference."""
    project = Project(make_project(tmp_path))
    docs = tmp_path / "preview-docs"
    preview = Preview(project, docs)
    if build:  # with an address, so that the sitemap and every permalink are compared too
        project.config.write_text(project.config.read_text(encoding="utf-8") + "site_url: https://example.org/ll/\n",
                                  encoding="utf-8")
        archive_build(project.root)
    else:
        preview.run()
    edits = Walk(project.content, random.Random(seed))
    for number in range(steps):
        before = files_of(project.site) if build else docs_of(docs)
        what = edits.step()
        if build:
            archive_build(project.root)
            site = files_of(project.site)
            assert {p: data for p, (data, _) in site.items()} == clean_site(project, tmp_path / f"clean-{number}"), \
                f"seed {seed}, step {number} ({what}): the site `archive build` left differs from a clean build's"
            for path, (data, mtime) in site.items():
                if path.endswith(".html") and path != "404.html" and before.get(path, (b"", 0))[0] == data:
                    assert before[path][1] == mtime, f"step {number} ({what}): unchanged {path} was rendered again"
            continue
        try:
            update = preview.run()
        except BuildError as err:  # the walk makes only valid edits: say which one was not
            pytest.fail(f"step {number} ({what}) made the archive invalid: {err.format_message()}")
        after = docs_of(docs)
        expected = clean_pages(project)
        assert {p: text.encode() for p, text in expected.items()} == {p: b for p, (b, _) in after.items()}, \
            f"seed {seed}, step {number} ({what}): incremental docs differ from a clean build's"
        for page, (text, mtime) in after.items():
            if page in before and before[page][0] == text:
                assert before[page][1] == mtime, f"step {number} ({what}): unchanged {page} was rewritten"
        assert {p for p in update.written if p.endswith(".md")} <= set(update.derived)
        # The search index, patched file by file, is a clean build's, byte for byte.
        assert {p: data for p, (data, _) in files_of(docs).items() if p.startswith(f"{SEARCH}/")} == clean_search(project), \
            f"seed {seed}, step {number} ({what}): the patched search index differs from a clean build's"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_docs_match_a_clean_build(tmp_path, seed):
    walk(tmp_path, seed, steps=12)


def test_archive_build_after_each_edit_matches_a_clean_build(tmp_path):
    walk(tmp_path, 26, steps=8, build=True)  # adds and deletes letters and articles, edits words


@pytest.mark.parametrize("forgotten", ["in", "named", "fields"])
def test_the_walk_catches_a_missed_dependency(tmp_path, monkeypatch, forgotten):
    """Forget the incoming links an edit changes (a new recipient's page must list the letter), the
    articles whose text names a record (its page quotes them), or the records whose fields changed (the
    index pages list them by name): the walk fails."""
    real = incremental.affected if forgotten != "fields" else incremental.fields_changed

    def forgetful(*args):
        return {token for token in real(*args) if not (isinstance(token, tuple) and token[0] == forgotten)}

    monkeypatch.setattr(incremental, "affected" if forgotten != "fields" else "fields_changed", forgetful)
    with pytest.raises(AssertionError, match="differ from a clean build"):
        for seed in (1, 2, 3):
            (tmp_path / str(seed)).mkdir()
            walk(tmp_path / str(seed), seed, steps=12)


def test_the_walks_catch_a_page_the_search_index_did_not_tokenise_again(tmp_path, monkeypatch):
    """Let the index keep a page's old postings when its text changed: both walks fail."""
    real = SearchIndex.update

    def forgetful(self, docs, removed, read):
        return real(self, [doc for doc in docs if doc.path not in self.pages], removed, read)

    monkeypatch.setattr(SearchIndex, "update", forgetful)
    (tmp_path / "preview").mkdir(), (tmp_path / "build").mkdir()
    with pytest.raises(AssertionError, match="the patched search index differs from a clean build's"):
        walk(tmp_path / "preview", 1, steps=12)
    with pytest.raises(AssertionError, match="the site `archive build` left differs from a clean build's"):
        walk(tmp_path / "build", 26, steps=8, build=True)


def test_the_walk_catches_a_download_piece_kept_too_long(tmp_path, monkeypatch):
    """Keep a record's piece of the downloads while its own file is unchanged, forgetting what else its
    page read (a correspondent renamed, their Wikidata id added): the walk fails."""
    made_from: dict[str, Record] = {}
    real = record_pages._made

    def forgetful(records, archive, *rest):
        made = real(records, archive, *rest)
        for record in records:
            key = html_address(addresses.page(record))
            if made_from.get(key) == record:
                del made.pieces[key]  # the last run's piece stands
            made_from[key] = record
        return made

    monkeypatch.setattr(record_pages, "_made", forgetful)
    with pytest.raises(AssertionError, match="differ from a clean build"):
        for seed in (1, 2, 3):
            (tmp_path / str(seed)).mkdir()
            walk(tmp_path / str(seed), seed, steps=12)


def test_a_warm_run_parses_only_changed_files(tmp_path):
    project = Project(make_project(tmp_path))
    cache = RecordCache(project.cache)
    check(project, cache)
    cache.save()
    warm = RecordCache(project.cache)
    check(project, warm)
    assert warm.parsed == 0
    (project.content / "people/gamma.md").write_text("---\nname: Gala Grey\nrole: official\n---\n")
    check(project, warm)
    assert warm.parsed == 1


def test_a_build_alone_saves_the_files_it_lets_go_of(tmp_path):
    """A build no later run of its process continues drops the files as read once they are checked
    (RecordCache.release), saving them first: the next process parses none, and finds the same."""
    project = Project(make_project(tmp_path))
    build(project, jobs=1)
    warm = RecordCache(project.cache)
    archive, problems = check(project, warm)
    assert warm.parsed == 0 and archive is not None
    fresh = tmp_path / "fresh"
    shutil.copytree(project.root, fresh, ignore=shutil.ignore_patterns("build", "site"))
    assert check(Project(fresh))[1] == problems


def test_only_a_build_alone_lets_go_of_the_articles_texts_once_its_pages_are_made(tmp_path):
    """A build no later run of its process continues holds no article's blocks, sentences or quotable
    text once its pages are made (text.forget: 110 MB at 10,000 articles); the preview, which checks again
    on every save, keeps them."""
    project = Project(make_project(tmp_path))
    build(project, jobs=1)
    held = (text.reader_blocks, text.sentences, text.quotable)
    assert [worked.cache_info().currsize for worked in held] == [0, 0, 0]
    regenerate(project, tmp_path / "docs", None, RecordCache(tmp_path / "cold"), project_history(project.root))
    assert all(worked.cache_info().currsize for worked in held)


def test_a_build_alone_lets_go_of_the_archive_and_its_records_once_its_pages_are_made(tmp_path, monkeypatch):
    """What the records' pages are made from, the linked archive and its records (at 10,000 articles about
    480 MB), is nothing a build alone holds once its pages are made (or their workers started), as their
    results come back: the search index, the downloads and MkDocs come after. The preview and the build
    server, which check again on the next save, keep it."""
    import gc
    from builder.link.graph import Archive

    def alive() -> int:  # every archive and record still reachable, those set aside (gc.freeze) among them
        gc.unfreeze()
        gc.collect()
        found = sum(isinstance(o, (Archive, Record)) for o in gc.get_objects())
        gc.freeze()
        return found

    counts: dict[str, int] = {}

    def counting(stage, work, *args, **kwargs):
        if stage in ("load", "index"):
            counts[stage] = alive()
        return work(*args, **kwargs)

    forget = text.forget

    def forgetting() -> None:  # what a build alone lets go of after them: counted there
        counts["pages made"] = alive()
        forget()

    monkeypatch.setattr(text, "forget", forgetting)
    project = Project(make_project(tmp_path))
    build(project, counting, jobs=1)
    assert counts["pages made"] <= counts["load"]  # (fewer: a last test's, in this process, let go of too)
    regenerate(project, tmp_path / "docs", None, RecordCache(tmp_path / "cold"), project_history(project.root),
               timer=counting)
    assert counts["index"] > counts["load"] + len(Kind)  # held for the next run: the archive and a record of each kind


def test_a_warm_run_reads_only_files_the_file_system_says_changed(tmp_path, monkeypatch):
    """Files whose stamp (inode, size, times) is the one kept are not even read; a change of the same
    size with its modification time put back is still seen, by its change time."""
    import os
    from builder.validate import cache as cache_module
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # these files were all written a moment ago
    project = Project(make_project(tmp_path))
    cold = RecordCache(project.cache)
    check(project, cold)
    cold.save()
    opened: list[str] = []
    real = cache_module.read_bytes

    def reading(path, rel):
        opened.append(rel)
        return real(path, rel)

    monkeypatch.setattr(cache_module, "read_bytes", reading)
    warm = RecordCache(project.cache)
    check(project, warm)
    assert opened == [] and warm.parsed == 0
    person = project.content / "people/gamma.md"
    text = person.read_text()
    before = person.stat()
    person.write_text(text.replace("G", "H", 1))  # the same size
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = RecordCache(project.cache)
    archive, _ = check(project, again)
    assert opened == ["content/people/gamma.md"] and again.parsed == 1
    assert archive is not None and archive.records[(Kind.person, "gamma")].name == "Hala Gamma"


def test_files_read_on_several_workers_are_what_one_process_reads(tmp_path, monkeypatch):
    """Many files the cache holds nothing of (a first run; here a worker for each file) are read, parsed
    and validated on forked workers, and many articles searched for names: the same records, mentions
    and problems as one process finds, an article's sentences known to the link stage. Files the cache
    holds are left to this process: those only touched since (a checkout) are hashed, not parsed again,
    and an edited one is read again."""
    from builder import forks
    from builder.model import text
    from builder.validate import cache as cache_module
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # these files were all written a moment ago
    monkeypatch.setattr(forks, "LEAST", 1)
    project = Project(make_project(tmp_path))
    article = project.content / f"{ARTICLE}.md"
    (project.content / "articles" / "2013-05-26-daily-again.md").write_text(article.read_text(encoding="utf-8"))
    workers = count_workers(monkeypatch)  # the names' too (forks.each)
    segmented = []
    monkeypatch.setattr(text, "split_sentences", lambda block: segmented.append(block) or [block])
    text.sentences.cache_clear()  # earlier tests' runs segmented these very articles
    monkeypatch.setattr(text, "_remembered", {})
    cache = RecordCache(project.cache)
    archive, problems = check(project, cache, jobs=2)
    assert workers[:2] == [("reading records", 2), ("finding names", 2)]
    assert segmented == [], segmented  # in the workers, not here
    assert archive is not None
    bodies = [r.body for r in archive.records.values() if r.kind is Kind.article]
    assert len(bodies) == 2 and [text.sentences(b) for b in bodies] and segmented == []  # remembered here
    alone = RecordCache()
    whole, expected = check(project, alone)
    assert whole is not None and problems == expected
    assert archive.mentions == whole.mentions and len({m.article for m in archive.mentions}) == 2
    (project.content / "people" / "broken.md").write_text("---\nname: [unclosed\n---\n", encoding="utf-8")
    workers.clear()
    cache, alone = RecordCache(project.cache), RecordCache()
    _, problems = check(project, cache, jobs=2)
    assert problems == check(project, alone)[1] and "content/people/broken.md" in {p.path for p in problems}
    assert cache.parsed == alone.parsed == len(list(project.content.glob("*/*.md")))
    assert {rel: (e.digest, e.read, e.valid) for rel, e in cache.entries.items()} == {
        rel: (e.digest, e.read, e.valid) for rel, e in alone.entries.items()}
    cache.save()

    for path in project.content.glob("*/*.md"):
        os.utime(path)  # new times, the same bytes
    again = RecordCache(project.cache)
    workers.clear()
    _, touched = check(project, again, jobs=2)
    assert ("reading records", 2) not in workers and again.parsed == 0 and touched == problems
    again.save()

    (project.content / "people" / "broken.md").unlink()
    person = project.content / "people" / "gamma.md"
    person.write_text(person.read_text(encoding="utf-8").replace("Gamma", "Gemma"), encoding="utf-8")
    edited = RecordCache(project.cache)
    archive, _ = check(project, edited, jobs=2)
    assert edited.parsed == 1 and archive is not None and archive.records[(Kind.person, "gamma")].name.endswith("Gemma")


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_is_ignored(tmp_path, damage):
    project = Project(make_project(tmp_path))
    cache = RecordCache(project.cache)
    check(project, cache)
    cache.save()
    shards = sorted((project.cache / FOLDER).glob("*.pickle"))
    assert shards
    for shard in shards:
        shard.write_bytes(damage)
    assert not RecordCache(project.cache).entries
    archive, problems = check(project)
    assert archive is not None and not [p for p in problems if not p.warning]
    assert len(RecordCache(project.cache).entries) == cache.parsed  # rewritten, readable again


def test_a_run_after_an_edit_writes_again_only_the_shard_of_the_file_it_changed(tmp_path):
    project = Project(make_project(tmp_path))
    cache = RecordCache(project.cache)
    check(project, cache)
    cache.save()
    before = {f.name: f.stat().st_mtime_ns for f in (project.cache / FOLDER).glob("*.pickle")}
    time.sleep(0.01)
    edited = project.content / "people/gamma.md"
    edited.write_text("---\nname: Gala Grey\nrole: official\n---\n")
    warm = RecordCache(project.cache)
    check(project, warm)
    warm.save()
    after = {f.name: f.stat().st_mtime_ns for f in (project.cache / FOLDER).glob("*.pickle")}
    assert before.keys() == after.keys()
    assert [name for name in after if after[name] != before[name]] == [f"{shard_of('content/people/gamma.md'):02d}.pickle"]
    again = RecordCache(project.cache)
    check(project, again)
    assert again.parsed == 0


ARTICLE = "articles/2013-05-25-daily-reply"


def _edit_article(project: Project) -> None:
    """A word no record's name holds: only the article's own page shows it."""
    path = project.content / f"{ARTICLE}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " It rained.\n", encoding="utf-8")


def test_after_one_edit_archive_build_writes_and_renders_only_the_changed_page(tmp_path):
    project = Project(make_project(tmp_path))
    first = archive_build(project.root)
    pages = int(re.search(r"Built (\d+) pages", first)[1])
    assert f"; {pages} written anew." in first  # nothing to start from: every page
    docs, site = files_of(project.docs), files_of(project.site)
    _edit_article(project)
    assert "; 1 written anew." in archive_build(project.root)
    changed = {p for p, (data, mtime) in files_of(project.docs).items() if p.endswith(".md") and docs[p][1] != mtime}
    rendered = {p for p, (data, mtime) in files_of(project.site).items() if p.endswith(".html") and site[p][1] != mtime}
    assert changed == {f"{ARTICLE}.md"}
    assert rendered == {f"{ARTICLE}.html", "404.html"}  # MkDocs renders its 404 page every time
    assert "It rained." in (project.site / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "; 0 written anew." in archive_build(project.root)  # nothing changed since
    assert f"; {pages} written anew." in archive_build(project.root, "--clean")  # the reference: everything anew
    assert all(site[p][1] != mtime for p, (_, mtime) in files_of(project.site).items() if p.endswith(".html"))


MB = 1 << 20


@pytest.mark.parametrize("new", [
    "a" * MB + "b" * MB + "é\n",  # the same
    "a" * MB + "b" * MB + "é\n" + "and more",  # longer
    "a" * MB + "b" * MB,  # cut short
    "a" * MB + "b" * (MB - 1) + "c" + "é\n",  # differs at the end of a megabyte
    "x" + "a" * (MB - 1) + "b" * MB + "é\n",  # differs at the start
    "",
])
def test_a_download_written_in_parts_is_compared_as_it_comes_and_written_only_if_it_changed(tmp_path, new):
    """Downloads are written from their parts (110 MB at 10,000 articles, never held whole): the file ends
    up holding exactly the new text, and keeps its time when the text is the same."""
    old = "a" * MB + "b" * MB + "é\n"
    path = tmp_path / "data" / "archive.json"
    path.parent.mkdir()
    path.write_text(old, encoding="utf-8")
    os.utime(path, ns=(1, 1))
    parts = [new[i:i + 1000] for i in range(0, len(new), 1000)]  # records' pieces, a few to a megabyte
    written = update_file(tmp_path, "data/archive.json", iter(parts))
    assert path.read_text(encoding="utf-8") == new
    assert written == (new != old)
    assert (path.stat().st_mtime_ns == 1) == (new == old)
    assert [p.name for p in path.parent.iterdir()] == ["archive.json"]  # nothing left beside it
    assert update_file(tmp_path, "data/new.csv", iter(parts)) and (tmp_path / "data/new.csv").read_text(
        encoding="utf-8") == new


def test_no_state_is_kept_when_a_shard_beside_it_cannot_be_written(tmp_path, monkeypatch):
    """The search index's entries and the downloads' pieces are kept in shards beside the state: if
    one cannot be written, the next build cannot trust them, so it starts clean."""
    project = Project(make_project(tmp_path))
    pages = int(re.search(r"Built (\d+) pages", archive_build(project.root))[1])
    _edit_article(project)
    written = Shelf._write
    monkeypatch.setattr(Shelf, "_write", lambda self, n, shard: False if self.folder.name == "search"
                        else written(self, n, shard))
    assert "; 1 written anew." in archive_build(project.root)
    monkeypatch.setattr(Shelf, "_write", written)
    assert f"; {pages} written anew." in archive_build(project.root)  # nothing to start from
    _edit_article(project)
    assert "; 1 written anew." in archive_build(project.root)


def test_the_indexes_are_worked_out_again_for_a_changed_field_not_a_changed_text(tmp_path):
    """Index pages show records by their fields: a word added to an article's text leaves them be; its title does not."""
    project = Project(make_project(tmp_path))
    preview = Preview(project, tmp_path / "preview-docs")
    preview.run()
    _edit_article(project)
    derived = preview.run().derived
    assert f"{ARTICLE}.md" in derived
    assert not {"index.md", "articles/index.md", "timeline.md"} & set(derived)
    path = project.content / f"{ARTICLE}.md"
    path.write_text(re.sub(r"(?m)^title: .*$", "title: A reply, retitled", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    derived = preview.run().derived
    assert {f"{ARTICLE}.md", "articles/index.md"} <= set(derived)
    assert "A reply, retitled" in "".join((preview.docs / p).read_text(encoding="utf-8")
                                          for p in derived if p.startswith("articles/") and p != f"{ARTICLE}.md")


def test_damaged_compiled_templates_are_compiled_again(tmp_path):
    """Compiled templates are kept in build/cache/ for the next build; damaged ones are no error."""
    project = Project(make_project(tmp_path))

    def build_alone(*args: str) -> None:  # a process of its own: this one may hold every template compiled
        done = subprocess.run([sys.executable, "-m", "builder", "build", "--root", str(project.root), *args],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr

    build_alone()
    compiled = list((project.cache / "templates").rglob("*.cache"))
    assert compiled
    for number, file in enumerate(compiled):  # garbage, or Jinja's header followed by garbage
        file.write_bytes((bc_magic if number % 2 else b"") + b"\x80\x05garbage")
    build_alone("--clean")
    assert {p: data for p, (data, _) in files_of(project.site).items()} == clean_site(project, tmp_path / "clean")


def test_a_failed_incremental_build_leaves_site_as_it_was(tmp_path, monkeypatch):
    """MkDocs refuses only after it has rendered the changed pages into the staged copy of site/:
    the site/ served meanwhile must not have changed through the copy's hard links."""
    from mkdocs.structure.pages import Page

    project = Project(make_project(tmp_path))
    archive_build(project.root)
    site = files_of(project.site)
    _edit_article(project)
    original = Page.validate_anchor_links

    def refuse(self, *, files, log_level):  # as a broken anchor would, after every page is written
        logging.getLogger("mkdocs.structure.pages").warning("refused for the test")

    monkeypatch.setattr(Page, "validate_anchor_links", refuse)
    result = CliRunner().invoke(cli, ["build", "--root", str(project.root)])
    assert result.exit_code == 1 and "MkDocs: refused for the test" in result.output
    assert "nothing was built, site/ is as it was" in result.output
    assert files_of(project.site) == site
    monkeypatch.setattr(Page, "validate_anchor_links", original)
    archive_build(project.root)
    assert {p: data for p, (data, _) in files_of(project.site).items()} == clean_site(project, tmp_path / "clean")


def test_a_changed_theme_override_makes_the_next_build_clean(tmp_path):
    """MkDocs' dirty mode would keep every page not written anew: a change to what it reads besides
    the pages (mkdocs.yml, overrides/) must render every page again."""
    project = Project(make_project(tmp_path))
    pages = int(re.search(r"Built (\d+) pages", archive_build(project.root))[1])
    main = project.root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{# a change #}\n", encoding="utf-8")
    assert f"; {pages} written anew." in archive_build(project.root)
    assert {p: data for p, (data, _) in files_of(project.site).items()} == clean_site(project, tmp_path / "clean")
