"""One text toolkit (builder/text.py): a body's reader text, its sentences, and the quote normaliser,
from the segmenter's corpus to what the built pages quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_kit import MINI, ROOT, make_project
from builder.cli.commands import cli
from builder.link.graph import Archive
from builder.pipeline import Project, build, check
from builder.model.schema import Article, Person
from builder.model.text import normalise_quote, reader_text, sentences, stands_in
from html_kit import read
from html_tree import article
from search_kit import BuiltIndex

CORPUS = ROOT / "tests" / "data" / "press_sentences.txt"
# Gold sentences the segmenter is known to miss, and why that is acceptable: a word that is also
# an abbreviation ends the sentence before a capital ("the U.S. Obama …", "in Sept. Obama …",
# "was no. Putin …"), which reads just like "U.S. President Obama" or "No. 2"; no segmenter
# measured (bench/segmenters.py) gets all three, and the old regex missed two of them.
KNOWN_MISSES = {
    "Russian Security Council Secretary Nikolai Patrushev is currently on\xa0an official visit to\xa0the U.S.",
    "Obama briefly joined a\xa0meeting between Patrushev and\xa0Donilon in\xa0Washington on\xa0Wednesday.",
    "Putin wrote to Obama in Sept.", "Obama replied in October.",
    "The answer was no.", "Putin smiled.",
}


def _corpus() -> list[list[str]]:
    paragraphs, current = [], []
    for line in CORPUS.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip() and not line.startswith("#"):
            current.append(line)
        elif not line.strip() and current:
            paragraphs.append(current)
            current = []
    return paragraphs


def test_the_segmenter_cuts_press_sentences_as_the_gold_says():
    missed = []
    for gold in _corpus():
        got = list(sentences(" ".join(gold)))
        missed += [s for s in gold if s not in got]
    assert set(missed) == KNOWN_MISSES


@pytest.mark.parametrize("text, cut", [
    ("He wrote to President John F. Kennedy on Jan. 5. Kennedy answered.",
     ["He wrote to President John F. Kennedy on Jan. 5.", "Kennedy answered."]),
    ("Lt. Gen. Michael Flynn met Mr. Putin in St. Petersburg.", ["Lt. Gen. Michael Flynn met Mr. Putin in St. Petersburg."]),
    ("He said relations were “at a low point.” The reply came later.",
     ["He said relations were “at a low point.”", "The reply came later."]),
    ("It was signed in the U.S. The next day, Moscow replied.", ["It was signed in the U.S.", "The next day, Moscow replied."]),
    ("They chose Plan B. The talks failed.", ["They chose Plan B.", "The talks failed."]),
    ("It went to Amb.\xa0Jon Huntsman on Monday. He read it.", ["It went to Amb.\xa0Jon Huntsman on Monday.", "He read it."]),
])
def test_initials_titles_and_closing_quotes_do_not_end_a_sentence_early(text, cut):
    assert list(sentences(text)) == cut


def test_sentences_kept_as_spans_of_their_blocks_read_back_as_the_segmenter_cut_them(monkeypatch):
    """A body's sentences are kept as places in its blocks (text.segmented), and read back as cut; a
    sentence that is not its block's words as they stand is kept as it is."""
    from array import array
    from builder.model import text
    body = "Handed over on Wednesday. Anna Alpha received it.\n\nA new paragraph, in **two** sentences. It ends."
    text.forget()  # this body's may be known to earlier tests
    cut = ("Handed over on Wednesday.", "Anna Alpha received it.", "A new paragraph, in two sentences.", "It ends.")
    assert sentences(body) == cut and isinstance(text.segmented(body)[1], array)
    text.forget()
    monkeypatch.setattr(text, "split_sentences", lambda block: [block.replace(" ", "  ", 1), "(said)"])
    assert sentences(body) == ("Handed  over on Wednesday. Anna Alpha received it.", "(said)",
                               "A  new paragraph, in two sentences. It ends.", "(said)")
    text.forget()


def test_reader_text_is_what_the_page_shows():
    body = ("Handed over on Wednesday, a reply to the letter of April\n"
            "15. Anna Alpha received it.\n\n"
            "A [linked][ref] word, a note[^1], *emphasis*, \\*stars\\*, &amp; `code` and <b>tags</b>.\n\n"
            "*[NATO]: North Atlantic Treaty Organization\n\n"
            "[ref]: https://example.org/target\n"
            "[^1]: The note's own words.\n")
    assert reader_text(body) == ("Handed over on Wednesday, a reply to the letter of April 15. Anna Alpha received it."
                                 "\n\nA linked word, a note, emphasis, *stars*, & code and tags."
                                 "\n\nThe note's own words.")


def test_quotes_are_compared_by_their_words_whatever_the_marks_and_spacing():
    assert normalise_quote(" “Putin’s  reply”,\n\xa0he said ") == "\"Putin's reply\", he said"
    assert normalise_quote("‘a’ “b”") == normalise_quote("'a' \"b\"")
    assert stands_in("Putin’s\nreply", "It was Putin's  *reply*.")
    assert not stands_in("Putin’s answer", "It was Putin's reply.")


# --- What the built pages quote ------------------------------------------------------------------

INITIAL_END = re.compile(r"(?:^|\s)[A-Z]\.$")  # "… President John F."
QUOTED = re.compile(r"“(.*)”")


def _shown_sentences(site: Path, folder: str) -> list[str]:
    """The article sentences the pages of a folder quote: footnotes, "Mentioned in", "Reported by"."""
    shown = []
    for page in sorted((site / folder).glob("*.html")):
        main = article(site, page.relative_to(site).as_posix())
        shown += [p.text() for quote in main.all("blockquote") for p in quote.all("p")]  # one p a sentence
        shown += [m.group(1) for li in main.all("li") if li.attrs.get("id", "").startswith("fn:")
                  if (m := QUOTED.search(li.text()))]
    return shown


def cut_at_initials(site: Path, archive: Archive) -> list[str]:
    """Sentences a page quotes that end inside a person's name, at its initial ("… John F." of "John F.
    Kennedy"), where the article goes on. A sentence that really ends in a capital ("Plan B.") is no cut."""
    texts = [" ".join(reader_text(a.body).split()) for a in archive.all(Article)]
    names = [name for person in archive.all(Person) for name in (person.name, *person.aliases)]

    def cut(sentence: str) -> bool:
        tail = " ".join(sentence.split()[-2:]) + " "  # "John F. "
        return (bool(INITIAL_END.search(sentence)) and any(tail in name for name in names)
                and any(re.search(re.escape(sentence) + r" [A-Z]", text) for text in texts))

    return [s for folder in ("people", "summits", "topics", "letters") for s in _shown_sentences(site, folder)
            if cut(s)]


def test_no_page_of_the_real_site_quotes_a_sentence_cut_at_an_initial(site, real_archive):
    assert _shown_sentences(site, "people") and _shown_sentences(site, "letters")  # the check sees quotes
    assert cut_at_initials(site, real_archive) == []


BUILT = {
    "topics/trade.md": MINI["topics/trade.md"] + "Talks on trade &amp; energy, in \\*three\\* points: see [the treaty](https://example.org/t).\n",
    "people/kennedy.md": "---\nname: John F. Kennedy\naliases: [Kennedy]\nrole: leader\n---\n",
    "articles/2013-05-25-daily-reply.md": MINI["articles/2013-05-25-daily-reply.md"].replace(
        "people: [alpha, beta, gamma]", "people: [alpha, beta, gamma, kennedy]").replace(
        "to Anna Alpha.\n", "to Anna Alpha.\n\n"
        "        Anna Alpha had sent a private letter to President John F. Kennedy. He did not answer.\n"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Archive]:
    project = Project(make_project(tmp_path_factory.mktemp("built"), BUILT))
    build(project)
    archive, _ = check(project)
    assert archive is not None
    return project.site, archive


def test_mentioned_in_quotes_the_whole_sentence_past_an_initial(built):
    site, archive = built
    assert cut_at_initials(site, archive) == []
    whole = "Anna Alpha had sent a private letter to President John F. Kennedy."
    assert whole in read(site, "people/kennedy.html").section("Mentioned in")
    assert whole in read(site, "people/alpha.html").section("Mentioned in")


def test_a_search_result_shows_a_body_as_the_page_does(built):
    site, _ = built
    row = BuiltIndex(site).row("topics/trade.html")
    assert row is not None and row[4] == "Talks on trade & energy, in *three* points: see the treaty."


def test_a_quote_across_a_line_that_starts_with_a_number_stands_in_the_article(tmp_path):
    files = {
        "articles/2013-05-25-daily-reply.md": MINI["articles/2013-05-25-daily-reply.md"].replace(
            "Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha.",
            "Gala Gamma handed over a reply on Wednesday to the letter of April\n        15. Boris Beta wrote it."),
        "letters/2013-05-beta-to-alpha.md": MINI["letters/2013-05-beta-to-alpha.md"].replace(
            "quote: handed over a reply on Wednesday", "quote: a reply on Wednesday to the letter of April 15"),
    }
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, files))])
    assert "quote not found" not in result.output
    assert result.exit_code == 0, result.output
