"""Names in article text link to their pages; ambiguous names are reported, not guessed."""

from __future__ import annotations

from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.link.mentions import NameIndex, link_first_mentions
from builder.pipeline import Project, build
from builder.model.schema import Article, Person
from html_kit import read

ARTICLE = "articles/2013-05-25-daily-reply.md"
PAGE = "articles/2013-05-25-daily-reply.html"
# Two people share the alias "Ivanov"; the article lists neither unless a test says so.
IVANOVS = {
    "people/igor-ivanov.md": "---\nname: Igor Ivanov\naliases: [Ivanov]\nrole: official\n---\n",
    "people/sergei-ivanov.md": "---\nname: Sergei Ivanov\naliases: [Ivanov]\nrole: official\n---\n",
}


def article(body: str, extra: str = "people: [alpha, beta, gamma]\n") -> dict:
    # The fixture's letter cites this sentence, so every body keeps it, last.
    return {ARTICLE: f"---\ntitle: Beta replies to Alpha\noutlet: daily\npublished: \"2013-05-25\"\n{extra}---\n"
                     f"{body}\n\nSomeone handed over a reply on Wednesday.\n"}


def built(tmp_path, files):
    project = Project(make_project(tmp_path, {**IVANOVS, **files}))
    build(project)
    return read(project.site, PAGE), project


def text_link(page, target):
    """The text of the link to `target` inside the article's own text, if any."""
    return next((text for text, t in page.text_links if t == target), None)


def check_output(tmp_path, files):
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, {**IVANOVS, **files}))])
    return result.exit_code, result.output


def test_first_mention_is_linked_and_aliases_count(tmp_path):
    page, _ = built(tmp_path, article("Mrs Alpha wrote. Anna Alpha wrote again. Boris Beta replied."))
    assert page.text_links == [
        ("Mrs Alpha", "people/alpha.html"), ("Boris Beta", "people/beta.html")]


def test_no_links_in_headings_links_or_code():
    # `archive check` refuses headings and code spans in an article body (they would alter the
    # source's text), so the linker is tested on its own: it must still leave them alone.
    body = ("## Anna Alpha speaks\n\nSee [Boris Beta's site](https://example.org) and `Gala Gamma`.\n\n"
            "Then Boris Beta spoke.")
    people = [Person(id=i, name=n, role="leader") for i, n in
              (("alpha", "Anna Alpha"), ("beta", "Boris Beta"), ("gamma", "Gala Gamma"))]
    text = Article(id="a", title="T", outlet="daily", published="2013-05-25", body=body,
                   people=["alpha", "beta", "gamma"])
    kinds_of = {p.id: ["person"] for p in people}
    linked = link_first_mentions(text, NameIndex(people), kinds_of, lambda key: f"{key[1]}.html")
    assert linked == ("## Anna Alpha speaks\n\nSee [Boris Beta's site](https://example.org) and `Gala Gamma`.\n\n"
                      "Then [Boris Beta](beta.html) spoke.")  # the mention outside the link


def test_passage_switched_off(tmp_path):
    body = "<!-- links: off -->\nAnna Alpha wrote.\n<!-- links: on -->\n\nBoris Beta and Anna Alpha met."
    page, _ = built(tmp_path, article(body))
    assert text_link(page, "people/alpha.html") == "Anna Alpha"
    assert "Anna Alpha wrote." in page.text


def test_ambiguous_name_is_not_linked_and_is_reported(tmp_path):
    page, _ = built(tmp_path, article("Ivanov said Anna Alpha wrote."))
    assert text_link(page, "people/igor-ivanov.html") is None and text_link(page, "people/sergei-ivanov.html") is None
    (tmp_path / "again").mkdir()
    code, output = check_output(tmp_path / "again", article("Ivanov said Anna Alpha wrote."))
    assert code == 0
    assert ("content/articles/2013-05-25-daily-reply.md:7: body: warning: 'Ivanov' could be 'igor-ivanov' or "
            "'sergei-ivanov', so it is not linked. Say which in the front matter: "
            "mentions: {\"Ivanov\": igor-ivanov}") in output


def test_front_matter_decides_an_ambiguous_name(tmp_path):
    page, _ = built(tmp_path, article("Ivanov said so.", "people: [igor-ivanov]\n"))
    assert text_link(page, "people/igor-ivanov.html") == "Ivanov"


def test_curator_pins_or_unlinks_a_name(tmp_path):
    pinned, _ = built(tmp_path, article("Ivanov said Anna Alpha wrote.",
                                        "people: [alpha, sergei-ivanov]\nmentions: {Ivanov: sergei-ivanov, Anna Alpha: null}\n"))
    assert text_link(pinned, "people/sergei-ivanov.html") == "Ivanov"
    assert text_link(pinned, "people/alpha.html") is None


def test_backlink_lists_the_sentence_even_without_front_matter(tmp_path):
    _, project = built(tmp_path, article("It rained. Gala Gamma carried it. Then it stopped.", "people: []\n"))
    gamma = read(project.site, "people/gamma.html")
    assert "Mentioned in" in [h for _, h in gamma.headings]
    assert "Gala Gamma carried it." in gamma.section("Mentioned in")
    assert "It rained" not in gamma.section("Mentioned in")


def test_check_reports_mentions_missing_from_front_matter(tmp_path):
    code, output = check_output(tmp_path, article("Gala Gamma carried it.", "people: []\n"))
    assert code == 0
    assert ("content/articles/2013-05-25-daily-reply.md:7: body: warning: names person 'gamma' (\"Gala Gamma\") "
            "but the front matter does not list it. Add 'gamma' to people, or set "
            "mentions: {\"Gala Gamma\": null} if the name means something else here") in output


def test_pin_to_unknown_id_is_an_error(tmp_path):
    code, output = check_output(tmp_path, article("Ivanov said.", "mentions: {Ivanov: ivan-ivanov}\n"))
    assert code == 1
    assert ("content/articles/2013-05-25-daily-reply.md:5: mentions.Ivanov: unknown id 'ivan-ivanov'. Give the id of "
            "a person, summit or topic, or null to leave the name unlinked") in output


def test_a_pin_matches_a_name_spaced_with_no_break_spaces(tmp_path):
    # The sources are full of no-break spaces; a curator types an ordinary one.
    page, _ = built(tmp_path, article("Anna\u00a0Alpha wrote, and Ivanov said.",
                                      "people: [alpha]\nmentions: {Anna Alpha: null, Ivanov: igor-ivanov}\n"))
    assert text_link(page, "people/alpha.html") is None
    assert text_link(page, "people/igor-ivanov.html") == "Ivanov"
