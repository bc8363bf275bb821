"""The archive grown by a generated article and its records (tests/content_gen.py) builds,
and every check of the real site holds for it without a test being edited.

One extra build per session (the `grown_project` fixture); the browser side is in
tests/browser/test_grown_site.py.
"""

from __future__ import annotations

import pytest

from builder.model.schema import KINDS
from html_kit import read
from html_tree import article
from site_checks import CHECKS, pair_page


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
def test_grown_site(grown_archive, grown_project, check):
    check(grown_archive, grown_project.site)


def test_the_grown_archive_holds_the_real_one_and_every_generated_record(real_archive, grown_archive, growth):
    folders = {model.folder: model.kind for model in KINDS}
    added = {(folders[f.split("/")[0]], f.split("/")[1].removesuffix(".md")) for f in growth.files}
    assert len(added) == len(growth.files) >= 12
    assert set(grown_archive.records) == set(real_archive.records) | added
    assert not added & set(real_archive.records), "the generator reused an id of the real archive"


def test_generation_is_deterministic(growth, tmp_path):
    from conftest import GROWTH_SEED, copy_project
    from content_gen import grow

    again = grow(copy_project(tmp_path), GROWTH_SEED)
    for rel in growth.files:
        assert (again.root / "content" / rel).read_bytes() == (growth.root / "content" / rel).read_bytes(), rel


def test_reply_and_the_letter_it_answers_link_each_other(grown_project, growth):
    site = grown_project.site
    reply = read(site, f"letters/{growth.reply}.html")
    assert reply.link_to(f"letters/{growth.first_letter}.html")
    assert reply.link_to(f"people/{growth.officials[1].id}.html")  # its carrier
    first = read(site, f"letters/{growth.first_letter}.html")
    assert first.link_to(f"letters/{growth.reply}.html")
    assert first.link_to(f"summits/{growth.summit}.html")


def test_letter_to_two_appears_on_both_recipients_pages_and_pairs(grown_project, growth):
    site = grown_project.site
    sender, *recipients = growth.leaders
    for person in recipients:
        assert read(site, f"people/{person.id}.html").link_to(f"letters/{growth.to_two}.html"), person.name
        pair = read(site, pair_page(sender.id, person.id))
        assert pair.link_to(f"letters/{growth.to_two}.html")


def test_letter_shows_the_office_held_at_its_date(grown_project, growth):
    page = article(grown_project.site, f"letters/{growth.first_letter}.html")
    facts = page.all("dl")[0].kids("dd")
    sender = growth.leaders[0]
    assert f"President of {sender.country}" in facts[0].text()  # From: President since before the letter
    assert "Prime Minister" not in facts[0].text()  # the office that had ended


def test_article_links_every_name_it_lists_and_the_date_cites_its_words(grown_project, growth):
    site = grown_project.site
    page = read(site, f"articles/{growth.article}.html")
    linked = dict((to, words) for words, to in page.text_links)
    for person in growth.people:
        assert linked.get(f"people/{person.id}.html") == person.name
    assert linked.get(f"summits/{growth.summit}.html") == growth.summit_alias
    assert linked.get(f"topics/{growth.topic}.html") == growth.topic_name
    letter = read(site, f"letters/{growth.first_letter}.html")
    assert f"“{growth.date_quote}”" in letter.section("Sources")
    assert letter.link_to(f"articles/{growth.article}.html")
