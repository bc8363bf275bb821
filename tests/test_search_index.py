"""The search index the builder writes (builder/outputs/search/): its terms, what each page offers, its updates.

Ranking runs in the page and is tested in the browser (tests/browser/test_search.py), which also
checks that the page's tokeniser agrees with this one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive_kit import make_project
from builder.validate.cache import RecordCache
from builder.pipeline import Project, build, regenerate
from builder.outputs.search.index import NAME, SHORT_NAME, TITLE, SearchIndex, entry, key_of
from builder.outputs.search.documents import Document
from builder.outputs.search.tokens import fold, index_tokens, query_tokens
from search_kit import BuiltIndex


@pytest.mark.parametrize("text, index, query", [
    ("António Guterres", ["antonio", "guterre"], ["antonio", "guterre"]),
    ("Bashar al-Assad", ["bashar", "alassad", "al", "assad"], ["bashar", "alassad"]),
    ("al Assad", ["al", "assad"], ["al", "assad"]),
    ("Kim Jong\u2011un", ["kim", "jongun", "jong", "un"], ["kim", "jongun"]),  # a non-breaking hyphen
    ("Putin’s letters", ["putin", "letter"], ["putin", "letter"]),
    ("O'Neill", ["oneill", "neill"], ["oneill"]),
    ("the U.S. and the U.N.", ["us", "un"], ["us", "un"]),
    ("G8 summit, 2013", ["g8", "summit", "2013"], ["g8", "summit", "2013"]),
    ("Straße – Øresund", ["strasse", "oresund"], ["strasse", "oresund"]),  # a dash is no hyphen
    ("Путин, Ёлка", ["путин", "елка"], ["путин", "елка"]),
    ("Paris, Ross, news", ["paris", "ross", "new"], ["paris", "ross", "new"]),
    ("letter letters", ["letter", "letter"], ["letter"]),  # a query counts a word once
    ("of the and", [], []),
])
def test_tokens(text, index, query):
    assert index_tokens(text) == index
    assert query_tokens(text) == query


def test_folding_keeps_length_apart_from_letters_it_spells_out():
    assert fold("ÉLYSÉE") == "elysee"
    assert fold("Æsir") == "aesir"


def _doc(path: str, **fields) -> Document:
    return Document(path=path, title=fields.pop("title", path), kind=fields.pop("kind", "Person"), when="",
                    context="", **fields)


def _written(files: dict[str, str], folder) -> BuiltIndex:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="ascii")
    return BuiltIndex(folder)


def test_flags_tell_a_records_own_name_from_its_title_and_text(tmp_path):
    _, files = SearchIndex.build(map(entry, [
        _doc("people/a.md", names=("Anna Alpha", "Mrs Alpha"), text="Anna Alpha wrote."),
        _doc("topics/t.md", kind="Topic", names=("Alpha and Beta in talks",), text="They met."),
        _doc("letters/l.md", kind="Letter", titles=("Alpha writes to Beta",), text="Alpha wrote to Beta twice."),
        _doc("articles/x.md", kind="Article", text="Beta, Beta and Beta."),
    ]))
    built = _written(files, tmp_path)
    alpha = built.postings("alpha")
    assert alpha["people/a.html"] & 3 == SHORT_NAME  # a name of two words
    assert alpha["topics/t.html"] & 3 == NAME  # a longer one
    assert alpha["letters/l.html"] & 3 == TITLE
    assert built.postings("beta")["articles/x.html"] >> 8 == 3  # three times in its text
    assert built.postings("beta")["articles/x.html"] & 3 == 0
    assert list(built.postings("mrs")) == ["people/a.html"]  # an alias is a name
    assert built.row("people/a.html") == ["people/a.html", "people/a.md", "Person", "", ""]
    assert built.manifest["count"] == 4


def test_a_big_shard_splits_and_every_term_stays_findable(monkeypatch):
    from builder.outputs.search import index as module

    monkeypatch.setattr(module, "SHARD_BYTES", 200)
    docs = [_doc(f"articles/{n}.md", kind="Article", text=f"letter{n} letters lead{n} le") for n in range(40)]
    index, files = SearchIndex.build(map(entry, docs))
    assert "le" in index.keys and any(len(k) > 2 and k.startswith("le") for k in index.keys)
    everything = " ".join(d.text for d in docs)
    for term in set(index_tokens(everything)):
        key = key_of(term, set(index.keys))
        assert key is not None and f'"{term}":' in files[module.shard_file(key)], term


@pytest.mark.parametrize("edits", [
    {"articles/1.md": "letter1 letters lead1 lend lens lent levy"},  # more "le" terms: the shard splits
    {"articles/1.md": "", "articles/2.md": "", "articles/3.md": "", "articles/4.md": "lettuce"},  # fewer: they merge
    {"articles/5.md": "zebra quince"},  # terms no shard held
])
def test_an_update_lays_shards_out_as_a_clean_build_does(monkeypatch, edits):
    from builder.outputs.search import index as module

    monkeypatch.setattr(module, "SHARD_BYTES", 200)
    texts = {f"articles/{n}.md": f"letter{n} letters lead{n} le" for n in range(8)}
    index, built = SearchIndex.build(entry(_doc(path, kind="Article", text=text)) for path, text in texts.items())
    files = dict(built)  # as written: the update reads them back
    texts.update(edits)
    files.update(index.update([entry(_doc(path, kind="Article", text=texts[path])) for path in edits], [], files.__getitem__))
    clean, expected = SearchIndex.build(entry(_doc(path, kind="Article", text=text)) for path, text in texts.items())
    assert index.keys == clean.keys
    assert {path: files[path] for path in index.paths()} == expected


def test_a_shard_gone_from_disk_has_the_update_write_every_file():
    texts = {f"articles/{n}.md": f"letter{n} letters lead{n}" for n in range(3)}
    index, files = SearchIndex.build(entry(_doc(path, kind="Article", text=text)) for path, text in texts.items())
    texts["articles/1.md"] = "letter lend"
    written = index.update([entry(_doc("articles/1.md", kind="Article", text=texts["articles/1.md"]))], [], lambda path: "")
    assert written == SearchIndex.build(entry(_doc(path, kind="Article", text=text)) for path, text in texts.items())[1]


@pytest.fixture
def project(tmp_path) -> Project:
    (tmp_path / "p").mkdir()
    return Project(make_project(tmp_path / "p"))


def _index_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "search").rglob("*.js")}


def _clean_index(project: Project, folder: Path) -> dict[str, bytes]:
    """The index `archive build --clean` writes from the same content."""
    fresh = Project(folder)
    shutil.copytree(project.root, fresh.root, ignore=shutil.ignore_patterns("build", "site"))
    build(fresh, clean=True)
    return _index_files(fresh.site)


def test_an_edit_rewrites_only_the_index_files_it_changes_to_a_clean_builds_bytes(project, tmp_path):
    cache = RecordCache()
    state, _ = regenerate(project, project.docs, None, cache, {})  # as the preview does
    first = _index_files(project.docs)
    gamma = project.content / "people/gamma.md"
    gamma.write_text(gamma.read_text().replace("Gala Gamma", "Gala Gamma-Grey"))
    state, update = regenerate(project, project.docs, state, cache, {})

    now = _index_files(project.docs)
    assert now == _clean_index(project, tmp_path / "fresh")
    written = {p for p in update.written if p.startswith("search/")}
    assert written == {p for p in now if first.get(p) != now[p]}
    assert 0 < len(written) < len(first) / 2, written  # only the shards the edit touched
    assert BuiltIndex(project.docs).postings("grey")


def test_pages_added_and_removed_number_the_index_as_a_clean_build_does(project, tmp_path):
    """A new page among the first, one gone: every page after them moves, as in a clean build."""
    cache = RecordCache()
    state, _ = regenerate(project, project.docs, None, cache, {})
    (project.content / "people/delta.md").write_text("---\nname: Dora Delta\nrole: official\n---\n")
    letter = project.content / "letters/2013-04-alpha-to-beta.md"
    letter.write_text(letter.read_text().replace("topics: [trade]\n", ""))
    (project.content / "topics/trade.md").unlink()
    regenerate(project, project.docs, state, cache, {})

    assert _index_files(project.docs) == _clean_index(project, tmp_path / "fresh")
    patched = BuiltIndex(project.docs)
    assert "topics/trade.html" not in {r[0] for r in patched.rows}
    assert list(patched.postings("delta")) == ["people/delta.html"]


def test_same_content_same_index_bytes(project, tmp_path):
    build(project)
    again = Project(tmp_path / "again")
    shutil.copytree(project.root, again.root, ignore=shutil.ignore_patterns("build", "site"))
    build(again)
    ours = {p.relative_to(project.site): p.read_bytes() for p in (project.site / "search").rglob("*.js")}
    theirs = {p.relative_to(again.site): p.read_bytes() for p in (again.site / "search").rglob("*.js")}
    assert ours and ours == theirs
