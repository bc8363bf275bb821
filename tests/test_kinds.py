"""One enumeration of the kinds of record, and typed access to the linked archive."""

from __future__ import annotations

import pytest

from builder.pipeline import Project
from builder.model.schema import KIND_BY_FOLDER, KINDS, Article, Kind, Letter, Outlet, Person, Summit, SummitRelation, Topic

from archive_kit import ROOT
from conftest import linked


def test_each_kind_names_its_folder_and_model() -> None:
    assert [model.kind for model in KINDS] == list(Kind)
    for kind in Kind:
        assert kind.model.kind is kind
        assert kind.model.folder == kind.folder
        assert KIND_BY_FOLDER[kind.folder] is kind.model
        # Messages, file names and ids show the plain word, and the plain word finds the kind.
        assert f"{kind}" == str(kind) == kind.value and Kind(kind.value) is kind
        assert {kind.value: 1}[kind] == 1
    assert {kind.folder for kind in Kind} == {p.name for p in (ROOT / "content").iterdir() if p.is_dir()}


def test_the_archive_gives_the_records_a_letter_names_typed() -> None:
    archive = linked(Project(ROOT))
    letters = archive.all(Letter)
    assert letters and all(isinstance(letter, Letter) for letter in letters)
    for letter in letters:
        assert archive.letter(letter.id) is letter
        sender = archive.sender(letter)
        assert isinstance(sender, Person) and sender.id == letter.sender
        assert [p.id for p in archive.recipients(letter)] == list(letter.recipients)
        assert [p.id for p in archive.carriers(letter)] == list(letter.carriers)
        assert [t.id for t in archive.topics_of(letter)] == list(letter.topics)
        summits = archive.summits_of(letter)
        assert [(s.id, r) for s, r in summits] == [(link.summit, link.relation) for link in letter.summits]
        assert all(isinstance(s, Summit) and isinstance(r, SummitRelation) for s, r in summits)
        answered = archive.answered(letter)
        assert (answered.id if answered else None) == letter.replies_to
    for article in archive.all(Article):
        assert isinstance(archive.outlet_of(article), Outlet) and archive.outlet_of(article).id == article.outlet
        assert [t.id for t in archive.topics_of(article)] == list(article.topics)
    assert all(isinstance(t, Topic) for t in archive.all(Topic))


def test_an_id_of_another_kind_is_not_found() -> None:
    archive = linked(Project(ROOT))
    letter = archive.all(Letter)[0]
    with pytest.raises(KeyError):
        archive.person(letter.id)
