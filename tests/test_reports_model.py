"""What real reports say that the model once could not: versions of a letter's words, each with who gives
it; an outlet's form and other names; a note on an office; the sources' words for a date.

One fixture archive, built once: what a reader sees on the built pages, and what the downloads carry.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from archive_kit import make_project
from builder.cli.commands import cli
from builder.derive.linked_data import scripts
from builder.pipeline import Project, build
from html_kit import read
from search_kit import BuiltIndex

TEI = "{http://www.tei-c.org/ns/1.0}"
LETTER = "letters/2016-06-alpha-to-beta.md"

# MINI, and Alpha's apology to Beta as both sides quote it: the Kremlin one way, Alpha's adviser another.
FILES = {
    "people/kremlin.md": """
        ---
        name: The Kremlin
        role: other
        form: body
        ---
        """,
    "people/kalin.md": """
        ---
        name: İbrahim Kalın
        role: official
        offices:
          - {title: Presidential Spokesman, start: "2014", note: acting, curator: "public record"}
        ---
        """,
    "people/beta.md": """
        ---
        name: Boris Beta
        role: leader
        offices:
          - {title: President of Betaland, start: "2012-05-07", note: as Betaland styles him, curator: "public record"}
        ---
        """,
    "outlets/ria-novosti.md": """
        ---
        name: RIA Novosti
        aliases: [RIA, Sputnik]
        form: news agency
        ---
        """,
    "outlets/weekly.md": """
        ---
        name: The Weekly
        form: magazine
        ---
        """,
    "articles/2016-06-29-ria-apology.md": """
        ---
        title: The Kremlin on the apology
        outlet: ria-novosti
        published: {date: "2016-06-29", phrase: "late on 29 June", curator: "the dateline"}
        people: [alpha, beta, kremlin]
        letters: [2016-06-alpha-to-beta]
        retrieved: "2016-06-30"
        ---
        The Kremlin said Anna Alpha wrote to Boris Beta: I apologize to the family of the pilot.
        """,
    "articles/2016-06-30-weekly-apology.md": """
        ---
        title: The adviser on the apology
        outlet: weekly
        published: "2016-06-30"
        people: [alpha, beta, kalin]
        letters: [2016-06-alpha-to-beta]
        retrieved: "2016-07-01"
        ---
        İbrahim Kalın said the letter from Anna Alpha to Boris Beta read: I am saddened by the death of the pilot.
        """,
    LETTER: """
        ---
        title: Alpha's apology to Beta
        sender: alpha
        recipients: [beta]
        dates:
          written: {date: "2016-06", phrase: "late June 2016", curator: "the adviser's account"}
        text_status: excerpts
        quotes:
          - {text: I apologize to the family of the pilot, article: 2016-06-29-ria-apology,
             according_to: kremlin, passage: apology}
          - {text: I am saddened by the death of the pilot, article: 2016-06-30-weekly-apology,
             according_to: kalin, passage: apology}
        ---
        """,
    "summits/2013-06-meet.md": """
        ---
        title: The June meeting
        place: lakeside
        date: {date: "2013-06-17/2013-06-18", phrase: "mid-June", curator: "the hosts' programme"}
        status: held
        attendees: [alpha, beta]
        curator: {place: "the hosts' programme", status: "the hosts' programme", attendees: "the hosts' programme"}
        ---
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = Project(make_project(tmp_path_factory.mktemp("reports"), FILES))
    build(project)
    return project.site


def test_the_letter_page_shows_one_passage_with_each_sides_version(site):
    page = read(site, "letters/2016-06-alpha-to-beta.html")
    words = page.section("In its own words")
    assert "The sources give this passage in 2 versions:" in words
    assert words.count("According to") == 2
    kremlin, kalin = words.index("According to The Kremlin"), words.index("According to İbrahim Kalın")
    said, saddened = words.index("“I apologize to the family of the pilot”"), words.index("“I am saddened")
    assert kremlin < kalin < said < saddened  # side by side: who gives each, then the words in the same order
    assert words.count("quoted in The Kremlin on the apology") == 1
    assert words.count("quoted in The adviser on the apology") == 1
    assert {"people/kremlin.html", "people/kalin.html", "articles/2016-06-29-ria-apology.html",
            "articles/2016-06-30-weekly-apology.html"} <= set(page.targets())
    html = (site / "letters/2016-06-alpha-to-beta.html").read_text(encoding="utf-8")
    assert html.count("<table>") == 1


def test_a_date_phrase_shows_on_every_page_that_shows_the_date(site):
    letter = read(site, "letters/2016-06-alpha-to-beta.html")
    # The curator's reading of a date from outside the articles: in square brackets, phrase and all.
    assert "Written [late June 2016 (recorded as June 2016)]" in letter.text
    summit = read(site, "summits/2013-06-meet.html")
    assert "When [mid-June (recorded as 17–18 June 2013)]" in summit.text
    article = read(site, "articles/2016-06-29-ria-apology.html")
    assert "Published [late on 29 June (recorded as 29 June 2016)]" in article.text
    timeline = read(site, "timeline/2016.html")
    assert "late June 2016 (June 2016) Letter Alpha's apology to Beta" in timeline.text
    assert "late on 29 June (29 June 2016) Article The Kremlin on the apology" in timeline.text
    letters = read(site, "letters/years/2016.html")
    assert "late June 2016 (June 2016) Anna Alpha Boris Beta Alpha's apology to Beta" in letters.text


def test_office_notes_outlet_forms_and_aliases_on_their_pages(site):
    person = read(site, "people/kalin.html")
    assert "[Presidential Spokesman]1 (acting), since 2014" in person.section("Offices")
    letter = read(site, "letters/2016-06-alpha-to-beta.html")  # beside the office a correspondent held then
    assert "To Boris Beta1, [President of Betaland]2 (as Betaland styles him)" in letter.text
    outlet = read(site, "outlets/ria-novosti.html")
    assert "Also known as RIA, Sputnik" in outlet.text
    assert "Kind Magazine" in read(site, "outlets/weekly.html").text
    jsonld = json.loads(scripts((site / "outlets/ria-novosti.html").read_text(encoding="utf-8"))[0])
    assert jsonld["alternateName"] == ["RIA", "Sputnik"]
    found = BuiltIndex(site)
    assert "outlets/ria-novosti.html" in found.postings("sputnik")
    assert "articles/2016-06-29-ria-apology.html" in found.postings("sputnik")  # its outlet's other name


def _csv(site, name: str) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((site / "data" / name).read_text(encoding="utf-8"), newline=""))
    return {row["key"]: row for row in rows}


def test_the_downloads_carry_versions_phrases_notes_and_aliases(site):
    records = json.loads((site / "data/archive.json").read_text(encoding="utf-8"))["records"]
    letter = next(r for r in records["letters"] if r["key"] == "2016-06-alpha-to-beta")
    assert [(q["according_to"], q["passage"], q["article"]) for q in letter["quotes"]] == [
        ("people/kremlin.html", "apology", "articles/2016-06-29-ria-apology.html"),
        ("people/kalin.html", "apology", "articles/2016-06-30-weekly-apology.html")]
    assert letter["dates"]["written"][0]["phrase"] == "late June 2016"
    assert letter["dates"]["written"][0]["date"] == "2016-06"
    kalin = next(r for r in records["people"] if r["key"] == "kalin")
    assert kalin["offices"][0]["note"] == "acting"
    ria = next(r for r in records["outlets"] if r["key"] == "ria-novosti")
    assert ria["aliases"] == ["RIA", "Sputnik"]

    assert _csv(site, "letters.csv")["2016-06-alpha-to-beta"]["date_phrase"] == "late June 2016"
    assert _csv(site, "summits.csv")["2013-06-meet"]["date_phrase"] == "mid-June"
    assert _csv(site, "articles.csv")["2016-06-29-ria-apology"]["published_phrase"] == "late on 29 June"
    assert _csv(site, "articles.csv")["2016-06-30-weekly-apology"]["published_phrase"] == ""
    assert _csv(site, "people.csv")["kalin"]["offices"] == "Presidential Spokesman (2014/.., acting)"
    assert _csv(site, "outlets.csv")["ria-novosti"]["aliases"] == "RIA; Sputnik"
    assert _csv(site, "outlets.csv")["weekly"]["form"] == "magazine"

    cmif = ET.parse(site / "data/letters.cmif.xml").getroot()
    desc = next(d for d in cmif.iter(f"{TEI}correspDesc") if d.get("ref", "").endswith("2016-06-alpha-to-beta.html"))
    date = desc.find(f"{TEI}correspAction/{TEI}date")
    assert date is not None and (date.get("when"), date.text) == ("2016-06", "late June 2016")


# --- The check ----------------------------------------------------------------------------------------


def check(tmp_path, files):
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, {**FILES, **files}))])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _letter(*quotes: str) -> dict[str, str]:
    head = FILES[LETTER].split("        quotes:\n")[0]
    return {LETTER: head + "        quotes:\n" + "".join(f"          - {q}\n" for q in quotes) + "        ---\n"}


KREMLIN = "{text: I apologize to the family of the pilot, article: 2016-06-29-ria-apology, according_to: kremlin"
KALIN = "{text: I am saddened by the death of the pilot, article: 2016-06-30-weekly-apology"


@pytest.mark.parametrize("quotes, expected", [
    pytest.param((KREMLIN.replace("kremlin", "kremln") + "}",),
                 f"content/{LETTER}:9: quotes.0.according_to: unknown person 'kremln'. Did you mean 'kremlin'?",
                 id="unknown-according-to"),
    pytest.param((KREMLIN + ", passage: apology}", KALIN.replace("saddened", "sorry") + ", according_to: kalin, "
                  "passage: apology}"),
                 f"content/{LETTER}:10: quotes.1.text: quote not found in article '2016-06-30-weekly-apology'. "
                 "Copy the words exactly from the article's text", id="version-not-in-its-article"),
    pytest.param((KREMLIN + ", passage: apology}", KALIN + "}"),
                 f"content/{LETTER}:9: quotes.0.passage: only this quote is a version of passage 'apology'. "
                 "Give the other versions of the passage the same passage:, or leave passage: out",
                 id="passage-of-one"),
    pytest.param((KREMLIN + ", passage: apology}", KALIN + ", passage: apology}"),
                 f"content/{LETTER}:10: quotes.1.passage: a version of passage 'apology' does not say who gives it. "
                 "Add according_to: with the id of the person or body whose version these words are",
                 id="version-without-according-to"),
])
def test_the_check_refuses_versions_it_cannot_vouch_for(tmp_path, quotes, expected):
    code, output = check(tmp_path, _letter(*quotes))
    assert code == 1
    assert expected in output


def test_an_office_note_quoting_words_no_article_holds_is_refused(tmp_path):
    person = FILES["people/kalin.md"].replace("note: acting", "note: \"'the acting spokesman' per Ankara\"")
    code, output = check(tmp_path, {"people/kalin.md": person})
    assert code == 1
    assert ("content/people/kalin.md:5: offices.0.note: the quotation “the acting spokesman” is in none of the "
            "articles this record cites or is reported in") in output


def test_new_article_recognises_an_outlet_by_its_other_name(tmp_path):
    project = make_project(tmp_path, FILES)
    text = tmp_path / "pasted.txt"
    text.write_text("Sputnik\n\nAnna Alpha wrote to Boris Beta about the pilot, the agency said on Tuesday "
                    "in a long statement that named no date.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["new", "article", "2016-07-ria-more", "--title", "More", "--from", str(text),
                                      "--root", str(project)])
    assert result.exit_code == 0, result.output
    written = (project / "content/articles/2016-07-ria-more.md").read_text(encoding="utf-8")
    assert "outlet: ria-novosti" in written


def test_a_new_outlet_named_as_another_outlets_alias_is_taken_for_it(tmp_path):
    project = make_project(tmp_path, FILES)
    result = CliRunner().invoke(cli, ["new", "outlet", "sputnik", "--title", "Sputnik", "--root", str(project)])
    assert result.exit_code == 1
    assert "looks like outlets/ria-novosti ('RIA Novosti'). Did you mean ria-novosti?" in result.output
    assert not (project / "content/outlets/sputnik.md").exists()


def test_according_to_naming_an_outlet_says_a_body_is_a_person_record(tmp_path):
    code, output = check(tmp_path, _letter(KREMLIN.replace("kremlin", "ria-novosti") + "}"))
    assert code == 1
    assert (f"content/{LETTER}:9: quotes.0.according_to: unknown person 'ria-novosti'. content/outlets/ria-novosti.md "
            "is an outlet, not a person; name a person from content/people/, or add one there (a government or office "
            "is a person with form: body)") in output
