"""Contributor checks beyond the schema (builder/link/checks.py): each problem with its exact message."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive_kit import MINI, make_project
from builder.cli.commands import cli
from builder.pipeline import Project, build, check as check_project
from builder.model.text import sentences
from html_kit import read

ARTICLE = "articles/2013-05-25-daily-reply.md"
ARTICLE_PATH = "content/articles/2013-05-25-daily-reply.md"
HEAD = ("---\ntitle: Beta replies to Alpha\noutlet: daily\npublished: \"2013-05-25\"\npeople: [alpha, beta, gamma]\n"
        "letters: [2013-05-beta-to-alpha, 2013-04-alpha-to-beta]\nsummits: [2013-06-meet]\n---\n")
FIRST = 9  # the file line of the body's first line under HEAD
REPLY = "Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha."
CARRIED = "Gala Gamma had handed over a letter from Anna Alpha to Boris Beta on April 15."


def check(tmp_path, files):
    result = CliRunner().invoke(cli, ["check", "--root", str(make_project(tmp_path, files))])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.strip().splitlines()


def with_body(*lines: str) -> dict:
    return {ARTICLE: HEAD + "\n".join(lines) + "\n"}


# --- Markdown that would change an article's words ------------------------------------------

@pytest.mark.parametrize("line, expected", [
    pytest.param("He called it `reckless` in public.",
                 ":9: body: the backticks around 'reckless' would make it code and drop the backticks. Escape each "
                 "backtick with a backslash (\\`), or use the typographic quotes ‘ ’ the source prints", id="code-span"),
    pytest.param("# Moscow answers",
                 ":9: body: the '#' at the start of the line would make it a heading and not show. "
                 "Escape it with a backslash: \\#", id="heading"),
    pytest.param("1986. The year the talks began.",
                 ":9: body: '1986. ' at the start of the paragraph would make it a numbered list: it would show as "
                 "'1.' and indented. Escape the dot with a backslash: 1986\\.", id="numbered-list"),
    pytest.param("- Sputnik International",
                 ":9: body: the '- ' at the start of the paragraph would make it a bulleted list item and the '-' "
                 "would not show. Escape it with a backslash: \\-", id="bullet"),
    pytest.param("> quoted by the agency",
                 ":9: body: the '>' at the start of the line would make a block quote and not show. "
                 "Escape it with a backslash: \\>", id="blockquote"),
    pytest.param("    indented text",
                 ":9: body: the indent at the start of the paragraph would make it a code block. Remove the indent",
                 id="indented-code"),
])
def test_markdown_that_loses_text_is_an_error(tmp_path, line, expected):
    code, lines = check(tmp_path, with_body(REPLY, "", line))
    assert code == 1
    assert ARTICLE_PATH + expected.replace(":9:", ":11:") in lines


def test_setext_underline_is_an_error_on_the_line_it_turns_into_a_heading(tmp_path):
    code, lines = check(tmp_path, with_body(REPLY, "", "The reply", "---"))
    assert code == 1
    assert (f"{ARTICLE_PATH}:11: body: the '---' on the next line would make this line a heading and not show. "
            "Escape it with a backslash: \\---, or put a blank line before it") in lines


@pytest.mark.parametrize("lines, expected", [
    pytest.param([REPLY + " It was *very* late."],
                 ":9: body: warning: the asterisks around 'very' would make it italic and not show. If the source "
                 "prints them, escape each with a backslash (\\*); if the source sets the words in italic, write "
                 "<em>…</…> instead", id="emphasis"),
    pytest.param([REPLY + " AT&amp;T."],
                 ":9: body: warning: '&amp;' would show as '&'. If the source prints '&amp;' itself, write &amp;amp;; "
                 "otherwise write the character '&'", id="entity"),
    pytest.param([REPLY, "Beta said nothing more."],
                 ":10: body: warning: this line would be joined to the line before into one paragraph. "
                 "Put a blank line between them if they are separate paragraphs", id="joined-paragraphs"),
    pytest.param([REPLY + "  ", "Beta said nothing more."],
                 ":9: body: warning: the two spaces at the end of the line would break the line there. Remove them; "
                 "put a blank line after the line if a new paragraph starts", id="hard-break"),
    pytest.param([REPLY, "", "***"],
                 ":11: body: warning: '***' would show as a horizontal rule, not as the characters. If the source "
                 "prints them, escape the first with a backslash: \\***", id="thematic-break"),
    pytest.param([REPLY + " C:\\.profile"],
                 ":9: body: warning: the backslash before '.' would not show. If the source prints it, double it "
                 "(\\\\); otherwise remove it", id="lost-backslash"),
])
def test_markdown_that_alters_how_text_shows_is_a_warning(tmp_path, lines, expected):
    code, output = check(tmp_path, with_body(*lines))
    assert code == 0, output
    assert ARTICLE_PATH + expected in output


def test_escaped_markup_and_italic_captions_pass_clean(tmp_path):
    code, output = check(tmp_path, with_body(
        "*Boris Beta at the lakeside. Archive*", "",
        REPLY + " He called it \\`reckless\\` and \\*final\\*.", "", "1986\\. The year the talks began."))
    assert code == 0, output
    assert not [line for line in output if ": body:" in line]


# --- A name two records share, and records that look alike ----------------------------------

def test_shared_alias_is_a_warning_in_both_files_until_distinct_from_says_so(tmp_path):
    files = {"people/yury-dubinin.md": "---\nname: Yury Dubinin\naliases: [Dubinin]\nrole: official\n---\n",
             "people/ivan-dubinin.md": "---\nname: Ivan Dubinin\naliases: [Dubinin]\nrole: other\n---\n"}
    code, output = check(tmp_path, files)
    assert code == 0
    assert output[:2] == [
        "content/people/ivan-dubinin.md:3: aliases.0: warning: 'Dubinin' is also a name of people/yury-dubinin. "
        "If they are one person, merge the two files; if not, say so with distinct_from: [yury-dubinin]",
        "content/people/yury-dubinin.md:3: aliases.0: warning: 'Dubinin' is also a name of people/ivan-dubinin. "
        "If they are one person, merge the two files; if not, say so with distinct_from: [ivan-dubinin]",
    ]
    files["people/ivan-dubinin.md"] = files["people/ivan-dubinin.md"].replace("role:", "distinct_from: [yury-dubinin]\nrole:")
    code, output = check(tmp_path, files)
    assert code == 0 and not [line for line in output if "also a name" in line]


def test_shared_summit_alias_is_a_warning(tmp_path):
    other = "---\ntitle: Another meeting\naliases: [The June meeting]\nplace: lakeside\ndate: \"2014-06\"\nstatus: held\n---\n"
    code, output = check(tmp_path, {"summits/2014-06-meet.md": other})
    assert ("content/summits/2014-06-meet.md:3: aliases.0: warning: 'The June meeting' is also a name of "
            "summits/2013-06-meet. If they are one summit, merge the two files; if not, say so with "
            "distinct_from: [2013-06-meet]") in output


def test_look_alike_records_warn_on_both_files_until_distinct_from_says_so(tmp_path):
    files = {"people/yuri-dubinin.md": "---\nname: Yuri Dubinin\nrole: official\n---\n",
             "people/yury-dubinin.md": "---\nname: Yury Dubinin\nrole: official\n---\n"}
    code, output = check(tmp_path, files)
    assert code == 0
    assert output[:2] == [
        "content/people/yuri-dubinin.md:2: name: warning: looks like people/yury-dubinin ('Yury Dubinin'). "
        "If it is the same person, merge the two files; if not, add distinct_from: [yury-dubinin]",
        "content/people/yury-dubinin.md:2: name: warning: looks like people/yuri-dubinin ('Yuri Dubinin'). "
        "If it is the same person, merge the two files; if not, add distinct_from: [yuri-dubinin]",
    ]
    files["people/yury-dubinin.md"] = files["people/yury-dubinin.md"].replace("role:", "distinct_from: [yuri-dubinin]\nrole:")
    assert not [line for line in check(tmp_path, files)[1] if "looks like" in line]


# --- Quotes too short to pick out their sentence ---------------------------------------------

LETTER = "letters/2013-05-beta-to-alpha.md"


def test_quote_in_two_sentences_is_an_error(tmp_path):
    files = with_body(REPLY, "", "Beta wrote again on Wednesday about trade.")
    files[LETTER] = MINI[LETTER].replace("quote: handed over a reply on Wednesday", "quote: on Wednesday")
    code, output = check(tmp_path, files)
    assert code == 1
    assert ("content/letters/2013-05-beta-to-alpha.md:11: dates.delivered.sources.0.quote: quote 'on Wednesday' "
            "occurs in 2 sentences of article 2013-05-25-daily-reply. Quote enough words to pick out one sentence"
            ) in output


def test_quote_of_two_words_is_an_error(tmp_path):
    files = {LETTER: MINI[LETTER].replace("quote: handed over a reply on Wednesday", "quote: a reply")}
    code, output = check(tmp_path, files)
    assert code == 1
    assert ("content/letters/2013-05-beta-to-alpha.md:11: dates.delivered.sources.0.quote: quote 'a reply' is "
            "2 words, not a whole sentence of article 2013-05-25-daily-reply. Quote enough words to pick out one "
            "sentence") in output


# --- Escapes read as the reader sees them, end to end ----------------------------------------

ESCAPED = "Gala Gamma handed over a reply marked \\*urgent\\* and \\`sealed\\` on Wednesday from Boris Beta to Anna Alpha."


def test_sentences_read_escapes_as_the_reader_sees_them():
    assert list(sentences(ESCAPED)) == ["Gala Gamma handed over a reply marked *urgent* and `sealed` on Wednesday "
                                  "from Boris Beta to Anna Alpha."]
    assert list(sentences("A **bold** [link *text*](https://x.org) &amp; <b>tag</b>.")) == ["A bold link text & tag."]


@pytest.fixture(scope="module")
def escaped_site(tmp_path_factory):
    files = {ARTICLE: HEAD + ESCAPED + "\n",
             LETTER: MINI[LETTER].replace("quote: handed over a reply on Wednesday",
                                          "quote: \"a reply marked *urgent* and `sealed` on Wednesday\"")}
    project = Project(make_project(tmp_path_factory.mktemp("escaped"), files))
    build(project)
    return project.site


def test_escaped_characters_show_once_on_every_page(escaped_site):
    letter = read(escaped_site, "letters/2013-05-beta-to-alpha.html")
    assert "“a reply marked *urgent* and `sealed` on Wednesday”" in letter.text  # the curator's footnote
    article = read(escaped_site, "articles/2013-05-25-daily-reply.html")
    assert "a reply marked *urgent* and `sealed` on Wednesday" in article.text
    person = read(escaped_site, "people/gamma.html")  # the backlink quotes the sentence
    assert "a reply marked *urgent* and `sealed` on Wednesday" in person.text
    for page in (letter, article, person):  # the citation's BibTeX has the one backslash a page may show
        assert "\\" not in page.text.replace("\\url{", "url{")


# --- Each fact worked out once ---------------------------------------------------------------

def test_a_letters_facts_are_worked_out_once_for_the_check_the_page_and_the_tally(tmp_path):
    """The checks step finds each fact's source once; the Archive keeps it, with the articles searched."""
    archive, problems = check_project(Project(make_project(tmp_path)))
    assert archive is not None, problems
    letter = archive.letter("2013-04-alpha-to-beta")
    facts = archive.facts_of(letter)
    # The sentence about this letter, not the one about its reply that names the same three people.
    assert [s.quote for s in facts["carriers"]["gamma"].supports] == [CARRIED]
    assert facts["topics"]["trade"].curator == "Alphaland's foreign ministry"
    assert archive.article("2013-05-25-daily-reply") in facts.read  # a page showing them read it
    build(Project(tmp_path))
    page = read(tmp_path / "site", "letters/2013-04-alpha-to-beta.html")
    assert CARRIED in page.text and REPLY not in page.text  # the page cites the very sentence
