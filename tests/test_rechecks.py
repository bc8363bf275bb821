"""Incremental checks: after any sequence of edits, `archive check` answers what a whole check does.

The walk of test_incremental.py (words, recipients, dates, names and aliases edited; people,
letters and articles added and deleted), with edits of its own for the checks that read more than
facts (a quotation in a letter's summary, the words a letter cites, Markdown in an article, a
person named like another, distinct_from), runs on the mini archive; after every step a check that starts from what
the last one kept in build/cache/ must find the same problems and work out the same facts as a
check from nothing. Forgetting one kind of dependency makes the walk fail, and a check after an
edit to one article works out again only the records that read it.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from archive_kit import make_project
from builder import rechecks
from builder.link import graph
from builder.link.graph import Archive
from builder.link.provenance import tally
from builder.model.schema import Kind, Letter, Place, Summit
from builder.pipeline import Project, check
from builder.shelf import shard_of
from builder.validate.cache import RecordCache
from test_incremental import ARTICLE, WORDS, Walk, _edit_article

ARCHIVE_LETTER = (Kind.letter, "2013-05-beta-to-alpha")  # a letter the mini archive holds


def facts(archive: Archive) -> dict:
    return {(r.kind, r.id): archive.facts_of(r) for r in archive.records.values()
            if isinstance(r, (Letter, Summit, Place))}


class CheckedWalk(Walk):
    """The pages' walk, and edits that change what the contributor checks find (errors among them)."""

    REPLY = "letters/2013-05-beta-to-alpha.md"  # cites the daily's report, which lists it

    def step(self) -> str:
        what = self.rng.choice(["pages", "pages", "pages", "quote", "cite", "markdown", "namesake", "distinct"])
        return super().step() if what == "pages" else self.edit(what)

    def _said(self, articles: list[str]) -> list[str]:
        """The 'The … was ….' sentences the articles hold now (the walk's word edits add them)."""
        return [m for a in articles for m in re.findall(r"The [^.]* was [^.]*", (self.content / f"articles/{a}.md").read_text())]

    def edit(self, what: str) -> str:
        rng = self.rng
        if what == "quote":  # a summary quoting the reports: in none of them once their words go
            said, chance = self._said(self._articles()), rng.random()
            words = rng.choice(said) if said and chance < 0.6 else f"The {rng.choice(WORDS)} was near"
            summary = f"summary: 'Beta wrote “{words}”.'\n" if said and chance < 0.85 else ""
            self._edit(self.REPLY, lambda t: re.sub(r"(?m)^(summary: .*\n)?title:", f"{summary}title:", t, count=1))
        elif what == "cite":  # the words the reply's date cites: vague when two sentences hold them
            said = [s.rpartition(" was ")[0] + " was" for s in self._said([ARTICLE.rpartition("/")[2]])]
            if rng.random() < 0.4:  # the report says them again
                cited = re.search(r"(?m)^\s+quote: (.*)$", (self.content / self.REPLY).read_text())[1]
                self._edit(f"{ARTICLE}.md", lambda t: t.rstrip("\n") + f" {cited} again.\n")
            else:
                words = rng.choice(said) if said and rng.random() < 0.7 else "handed over a reply on Wednesday"
                self._edit(self.REPLY, lambda t: re.sub(r"(?m)^(\s+quote: ).*$", rf"\g<1>{words}", t, count=1))
        elif what == "markdown":  # emphasis the page would not show as typed, in an article, or taken out
            article = rng.choice(self._articles())
            self._edit(f"articles/{article}.md", lambda t: t.replace(" *so*", "") if " *so*" in t
                       else t.rstrip("\n") + " *so*\n")
        elif what == "namesake":  # beta named as alpha is, spelt otherwise: a look-alike; or named back
            self._edit("people/beta.md", lambda t: re.sub(r"(?m)^name: .*$", "name: Boris Beta" if "Anna Alfa" in t
                                                          else "name: Anna Alfa", t))
        elif what == "distinct":  # says alpha is not someone sharing a name; moves alpha's name a line down
            self._edit("people/alpha.md", lambda t: re.sub(r"(?m)^distinct_from: .*\n", "", t) if "distinct_from:" in t
                       else t.replace("---\n", f"---\ndistinct_from: [{rng.choice(self.people[1:])}]\n", 1))
        return what


def _files(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.root).as_posix(): p.read_bytes() for p in project.content.rglob("*.md")}


def checked_walk(tmp_path: Path, seed: int, steps: int) -> None:
    project = Project(make_project(tmp_path))
    check(project)
    live = RecordCache(project.cache)  # the preview's: told which files its watcher saw change
    check(project, live)
    edits = CheckedWalk(project.content, random.Random(seed))
    for number in range(steps):
        before = _files(project)
        what = edits.step()
        after = _files(project)
        live.suspects = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        archive, problems = check(project)  # as `archive check` runs: what it kept, from disk
        whole, expected = check(project, RecordCache())  # no cache: every record checked
        assert problems == expected, f"seed {seed}, step {number} ({what}): problems differ from a whole check's"
        assert check(project, live)[1] == expected, f"seed {seed}, step {number} ({what}): the preview's differ"
        assert (archive is None) == (whole is None)
        if archive is not None and whole is not None:
            # The tally first: it reads how the last run's facts rest without unpacking them (rechecks._Facts).
            assert tally(archive) == tally(whole), f"seed {seed}, step {number} ({what}): the tallies differ"
            assert facts(archive) == facts(whole), f"seed {seed}, step {number} ({what}): facts differ"


def test_the_preview_links_again_only_what_an_edit_replaced_and_what_cites_it(tmp_path, monkeypatch):
    """Told which file changed, the preview's link stage walks and links again the record of that file and
    the records citing it (an article), checks again the dates of the letters the article reports or is
    cited for, and makes no pass over the others: the last run's records are patched where they were
    replaced. What it finds is a whole check's."""
    project = Project(make_project(tmp_path))
    live = RecordCache(project.cache)
    check(project, live)
    walked, linked, dated, passes = [], [], [], []
    real_walk, real_link, real_check, real_of = graph._walk_ids, graph._link_one, graph._Dated.check, graph._Records.of
    monkeypatch.setattr(graph, "_walk_ids", lambda record: walked.append(record.id) or real_walk(record))
    monkeypatch.setattr(graph, "_link_one", lambda record, *rest: linked.append(record.id) or real_link(record, *rest))
    monkeypatch.setattr(graph._Dated, "check", classmethod(
        lambda cls, letter, *rest: dated.append(letter.id) or real_check.__func__(cls, letter, *rest)))
    monkeypatch.setattr(graph._Records, "of", classmethod(
        lambda cls, records: passes.append(len(records)) or real_of.__func__(cls, records)))
    _edit_article(project)  # a sentence naming nobody
    live.suspects = {f"content/{ARTICLE}.md"}
    archive, problems = check(project, live)
    assert archive is not None
    article = archive.article(ARTICLE.rpartition("/")[2])
    citing = {r.id for r in archive.records.values() if any(a == article.id for _, a, _ in graph._citations(r))}
    letters = {letter.id for letter in archive.all(Letter) if letter.id in article.letters or letter.id in citing}
    assert citing and letters, "the mini archive's letters report and cite the article"
    assert walked == [article.id]
    assert sorted(linked) == sorted({article.id} | citing)
    assert sorted(dated) == sorted(letters)
    assert passes == [], "the edit's run made a pass over every record"
    assert problems == check(project, RecordCache())[1]


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


def unnoted(check):
    """The check, reading the archive without noting what it reads."""
    return lambda record, archive, sources: check(record, archive._archive, sources)


# Edits (file, text, replacement) made before each check, and what a check would forget to find them.
GAMMA = "people/gamma.md"
SCENARIOS = {
    "the names compared": ([[("people/beta.md", "name: Boris Beta", "name: Gala Gamma")]],
                           lambda real: ("_compared", lambda records: ())),
    "the files the name checks point into": ([[("people/beta.md", "name: Boris Beta", "name: Gala Gamma")],
                                              [("people/beta.md", "---\n", "---\n# renamed\n")]],
                                             lambda real: ("_unchanged", lambda kept, digests: True)),
    "the articles a summary quotes": ([[(f"{ARTICLE}.md", "April 15.", "April 15. The cat was warm."),
                                        (GAMMA, "role: official", "role: official\nsummary: 'She said “The cat was warm”.'")],
                                       [(f"{ARTICLE}.md", " The cat was warm.", "")]],
                                      lambda real: ("unverified_in", unnoted(real.unverified_in))),
}


def scripted(project: Project, steps: list) -> list[bool]:
    """Whether each step's check, from what the last one kept, answers as a whole check."""
    check(project)
    same = []
    for edits in steps:
        for rel, text, replacement in edits:
            path = project.content / rel
            assert text in path.read_text(encoding="utf-8")
            path.write_text(path.read_text(encoding="utf-8").replace(text, replacement, 1), encoding="utf-8")
        same.append(check(project)[1] == check(project, RecordCache())[1])
    return same


@pytest.mark.parametrize("forgotten", SCENARIOS)
def test_a_check_that_forgets_what_it_read_answers_otherwise(tmp_path, monkeypatch, forgotten):
    """Each check the last run's answers are reused for: the scripted edits find the same problems as a
    whole check, and would not if that check's inputs were forgotten."""
    steps, forget = SCENARIOS[forgotten]
    (tmp_path / "kept").mkdir()
    assert all(scripted(Project(make_project(tmp_path / "kept")), steps))
    monkeypatch.setattr(rechecks, *forget(rechecks))
    (tmp_path / "forgot").mkdir()
    assert not all(scripted(Project(make_project(tmp_path / "forgot")), steps))


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


def test_the_tally_reads_the_last_runs_facts_without_unpacking_them(tmp_path, monkeypatch):
    """`archive check` tallies how every fact rests: the facts a run reuses stay packed for it (at 10,000
    articles unpacking them all took 3 s), and it counts what a check unpacking them all counts."""
    project = Project(make_project(tmp_path))
    check(project)
    unpacked = []
    real = rechecks._Facts.__missing__
    monkeypatch.setattr(rechecks._Facts, "__missing__", lambda self, k: unpacked.append(k) or real(self, k))
    archive, _ = check(project)
    assert archive is not None and archive._facts.packed  # the last run's, reused
    counted = tally(archive)
    assert unpacked == []
    assert counted == tally(check(project, RecordCache())[0]) and sum(counted.values()) > 0


def test_an_edit_rewrites_only_the_shards_of_the_records_it_checks_again(tmp_path, monkeypatch):
    """Each record's results are kept on a shelf beside build/cache/checks.pickle: after an edit, only the
    shards holding a record checked again are written. A new process reads them back; a shard it cannot
    read costs its records a check, and the answer is still a whole check's."""
    project = Project(make_project(tmp_path))
    check(project)
    shelf = project.cache / rechecks.SHELF

    def files() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in shelf.glob("*.pickle")}  # a shard written is a new file

    def shard(k) -> str:
        return f"{shard_of(f'{k[0]}/{k[1]}'):02d}.pickle"

    before = files()
    worked: list = []
    real = rechecks.facts_for
    monkeypatch.setattr(rechecks, "facts_for", lambda record, arch: worked.append((record.kind, record.id))
                        or real(record, arch))
    _edit_article(project)
    archive, _ = check(project)
    assert archive is not None and worked
    after = files()
    assert after.keys() == before.keys() >= {shard(k) for k in archive.records}
    assert {name for name in after if after[name] != before[name]} == {shard(k) for k in worked}

    monkeypatch.setattr(rechecks, "_last", None)  # as a new process: from the files
    monkeypatch.setattr(rechecks, "_shelf", None)
    damaged = shard((ARCHIVE_LETTER[0], ARCHIVE_LETTER[1]))
    (shelf / damaged).write_bytes((shelf / damaged).read_bytes()[:40])
    worked.clear()
    _, fresh = check(project, RecordCache(project.cache))
    assert {k for k in archive.records if shard(k) == damaged} <= set(worked) < set(archive.records)
    assert sorted(map(str, fresh)) == sorted(map(str, check(project, RecordCache())[1]))


def test_a_deferred_save_writes_the_cache_when_flushed_and_is_used_meanwhile(tmp_path, monkeypatch):
    """The preview puts off writing build/cache/checks.pickle until nobody waits: while put off, the
    file keeps the last run's bytes, this process checks from what it holds, and a flush writes it
    for the next process, which then answers as a whole check."""
    project = Project(make_project(tmp_path))
    check(project)
    file = project.cache / rechecks.FILE
    before = file.read_bytes()
    monkeypatch.setattr(rechecks, "deferred", True)
    path = project.content / f"{ARTICLE}.md"
    path.write_text(path.read_text().rstrip("\n") + " Beta wrote again.\n")
    _, first = check(project)
    assert file.read_bytes() == before
    _, again = check(project)  # from what this process holds, not the file
    assert sorted(map(str, again)) == sorted(map(str, first)) and file.read_bytes() == before
    rechecks.flush()
    assert file.read_bytes() != before
    monkeypatch.setattr(rechecks, "_last", None)  # as a new process: from the file
    monkeypatch.setattr(rechecks, "deferred", False)
    cache = RecordCache(project.cache)
    _, fresh = check(project, cache)
    whole = check(project, RecordCache())[1]
    assert sorted(map(str, fresh)) == sorted(map(str, whole)) == sorted(map(str, first))


def test_the_preview_links_again_what_a_new_or_gone_record_or_a_changed_article_resolves(tmp_path):
    """In one process, told which files changed (the preview's way), linking reuses what it found of an
    unchanged record only while the same ids are present and the articles it cites are the same: a letter
    naming a person to come is wrong until the person's file is added, and again once it is gone; the
    words it cites are looked for again when the article changes, and the reply cycles when a letter does."""
    project = Project(make_project(tmp_path))
    live = RecordCache(project.cache)
    letter, person = "content/letters/2013-05-beta-to-alpha.md", "content/people/delta.md"
    article = f"content/{ARTICLE}.md"

    def edited(rel: str, change) -> list[str]:
        path = project.root / rel
        if change is None:
            path.unlink()
        else:
            path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
        live.suspects = {rel}
        found = [p.message for p in check(project, live)[1]]
        assert found == [p.message for p in check(project, RecordCache())[1]]
        return found

    check(project, live)
    assert "unknown person 'delta'" in edited(letter, lambda t: t.replace("recipients: [alpha]", "recipients: [alpha, delta]"))
    assert "unknown person 'delta'" not in edited(person, lambda _: "---\nname: Dora Delta\nrole: official\n---\n")
    assert "unknown person 'delta'" in edited(person, None)
    gone = edited(article, lambda t: t.replace("handed over a reply on Wednesday", "handed over a reply"))
    assert "quote not found in article '2013-05-25-daily-reply'" in gone
    # The letter is unchanged, the article reporting it (and cited for its date) published earlier.
    early = "article '2013-05-25-daily-reply', published by 2013-05-20, cannot report a letter delivered"
    assert any(early in m for m in edited(article, lambda t: t.replace('date: "2013-05-25"', 'date: "2013-05-20"')))
    assert not any(early in m for m in edited(article, lambda t: t.replace('date: "2013-05-20"', 'date: "2013-05-25"')))
    # A letter it reports without citing it (its date rests on a curator's word) is found too.
    reports = "reports letter '2013-04-alpha-to-beta', dated 2013-04-15 or later, but was published by 2013-04-10"
    assert reports in edited(article, lambda t: t.replace('date: "2013-05-25"', 'date: "2013-04-10"'))
    assert reports not in edited(article, lambda t: t.replace('date: "2013-04-10"', 'date: "2013-05-25"'))
    # A name the article pins to a person to come, then the person's file added, then the pin gone.
    assert "unknown id 'delta'" in edited(article, lambda t: t.replace("retrieved:", 'mentions: {"Gala": delta}\nretrieved:'))
    assert "unknown id 'delta'" not in edited(person, lambda _: "---\nname: Dora Delta\nrole: official\n---\n")
    edited(article, lambda t: t.replace('mentions: {"Gala": delta}\n', ""))  # held to a whole check, as each step
    # A reply made to answer itself, then put back: the reply cycles are found again as a letter changes.
    cycle = "replies to itself"
    assert any(cycle in m for m in edited(letter, lambda t: t.replace("replies_to: 2013-04-alpha-to-beta",
                                                                      "replies_to: 2013-05-beta-to-alpha")))
    assert not any(cycle in m for m in edited(letter, lambda t: t.replace("replies_to: 2013-05-beta-to-alpha",
                                                                          "replies_to: 2013-04-alpha-to-beta")))
