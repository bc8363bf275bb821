"""Citations that say their fact, and sentences attributed to the right letter (builder/link/fact_words.py):
what `archive check` says and what the letter pages quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_kit import MINI, make_project
from builder.cli.commands import cli
from builder.link import fact_words
from builder.pipeline import Project, build
from html_kit import read


def check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--root", str(root)])
    return result.exit_code, result.output.splitlines()


# --- An article reporting four letters between the same two leaders over five months --------------

KOREA = {
    "people/kim-jong-un.md": "---\nname: Kim Jong Un\naliases: [Kim]\nrole: leader\n---\n",
    "people/moon-jae-in.md": "---\nname: Moon Jae-in\naliases: [Moon]\nrole: leader\n---\n",
    "places/busan.md": "---\nname: Busan\n---\n",
    "outlets/wire.md": "---\nname: The Wire\nform: news agency\n---\n",
    "summits/2019-11-busan.md": """
        ---
        title: ASEAN-Korea summit in Busan
        aliases: [special summit in Busan]
        place: busan
        status: held
        curator: {place: "the summit's programme", status: "the summit's programme"}
        ---
        """,
    "articles/2020-03-05-wire-kim-letter.md": """
        ---
        title: Kim sends Moon a letter of comfort
        outlet: wire
        published: {date: "2020-03-05", note: "the dateline"}
        retrieved: "2020-03-06"
        people: [kim-jong-un, moon-jae-in]
        letters: [2019-10-kim-to-moon, 2019-11-moon-to-kim, 2020-03-kim-to-moon, 2020-03-moon-to-kim]
        summits: [2019-11-busan]
        ---
        Kim Jong Un sent a letter to Moon Jae-in on Wednesday to express comfort over the coronavirus outbreak, Moon's office said Thursday.

        Moon and Kim exchanged letters this week, a spokesman said.

        It was the first exchange since Kim sent Moon a letter of condolence in October after the death of Moon's mother.

        In November, Moon sent a letter to Kim inviting him to a special summit in Busan, which Kim declined.
        """,
}
SENTENCES = {
    "2020-03-kim-to-moon": "Kim Jong Un sent a letter to Moon Jae-in on Wednesday to express comfort over the "
                           "coronavirus outbreak, Moon's office said Thursday.",
    "2020-03-moon-to-kim": "Moon and Kim exchanged letters this week, a spokesman said.",
    "2019-10-kim-to-moon": "It was the first exchange since Kim sent Moon a letter of condolence in October after the "
                           "death of Moon's mother.",
    "2019-11-moon-to-kim": "In November, Moon sent a letter to Kim inviting him to a special summit in Busan, which "
                           "Kim declined.",
}


def _letter(id_: str, sender: str, recipient: str, date: str, extra: str = "") -> str:
    return (f"---\ntitle: {id_}\nsender: {sender}\nrecipients: [{recipient}]\n"
            f"dates:\n  sent: {{date: \"{date}\", curator: \"the office's statement\"}}\n"
            f"text_status: reported\ncurator: {{text_status: \"the office's statement\"}}\n{extra}---\n")


KOREA |= {
    "letters/2019-10-kim-to-moon.md": _letter("2019-10-kim-to-moon", "kim-jong-un", "moon-jae-in", "2019-10-31"),
    "letters/2019-11-moon-to-kim.md": _letter("2019-11-moon-to-kim", "moon-jae-in", "kim-jong-un", "2019-11-05",
                                              "summits: [{summit: 2019-11-busan, relation: proposes}]\n"),
    "letters/2020-03-kim-to-moon.md": _letter("2020-03-kim-to-moon", "kim-jong-un", "moon-jae-in", "2020-03-04"),
    # Only a sentence that fits both March letters speaks of this one: the curator must choose.
    "letters/2020-03-moon-to-kim.md": _letter(
        "2020-03-moon-to-kim", "moon-jae-in", "kim-jong-un", "2020-03-05",
        "evidence:\n  sender: [{article: 2020-03-05-wire-kim-letter, quote: Moon and Kim exchanged letters}]\n"
        "  recipients: [{article: 2020-03-05-wire-kim-letter, quote: Moon and Kim exchanged letters}]\n"),
}
CHOSEN = KOREA["letters/2020-03-moon-to-kim.md"].replace(
    "evidence:", "reported_by:\n  - article: 2020-03-05-wire-kim-letter\n    quote: Moon and Kim exchanged letters "
                 "this week\nevidence:")


@pytest.fixture(scope="module")
def korea(tmp_path_factory) -> Path:
    project = Project(make_project(tmp_path_factory.mktemp("korea"), KOREA, base=None))
    build(project)
    return project.root


def test_each_letter_page_quotes_only_the_sentences_about_that_letter(korea):
    for letter, own in SENTENCES.items():
        if letter == "2020-03-moon-to-kim":
            continue
        reported = read(korea / "site", f"letters/{letter}.html").section("Reported by")
        assert own in reported
        assert [s for s in SENTENCES.values() if s != own and s in reported] == [], letter


def test_an_article_whose_sentences_fit_several_letters_is_a_warning_until_the_curator_chooses(korea, tmp_path):
    code, lines = check(korea)
    assert code == 0
    assert [line for line in lines if "reported_by" in line] == [
        "content/letters/2020-03-moon-to-kim.md:2: reported_by: warning: article 2020-03-05-wire-kim-letter also "
        "reports 2019-10-kim-to-moon, 2019-11-moon-to-kim, 2020-03-kim-to-moon, and none of its sentences about this "
        "letter's correspondents tells this letter apart from them (by its date, carrier or words of its own), so its "
        "page quotes none of them under 'Reported by'. Choose them: add reported_by: with '- article: "
        "2020-03-05-wire-kim-letter' and 'quote:' the words of each sentence of the article about this letter"]
    assert SENTENCES["2020-03-moon-to-kim"] not in read(korea / "site", "letters/2020-03-moon-to-kim.html").text

    chosen = Project(make_project(tmp_path, {**KOREA, "letters/2020-03-moon-to-kim.md": CHOSEN}, base=None))
    code, lines = check(chosen.root)
    assert code == 0 and not [line for line in lines if "reported_by" in line]
    build(chosen)
    reported = read(chosen.site, "letters/2020-03-moon-to-kim.html").section("Reported by")
    assert SENTENCES["2020-03-moon-to-kim"] in reported


# --- Citations that say their fact ---------------------------------------------------------------

INDENT = " " * 8  # MINI's files are indented, and dedented when written

def test_a_quote_that_does_not_say_its_fact_is_a_warning_that_says_what_is_missing(tmp_path):
    reply = MINI["letters/2013-05-beta-to-alpha.md"]
    files = {
        # The recipient's citation names only the sender; the date's, no day; the April letter's text status
        # cites the sentence about its reply.
        "letters/2013-05-beta-to-alpha.md": reply.replace(
            "curator: {summits:", "evidence:\n" + INDENT +
            "  recipients: [{article: 2013-05-25-daily-reply, quote: a reply on Wednesday from Boris Beta}]\n"
            + INDENT + "curator: {summits:").replace("quote: handed over a reply on Wednesday",
                                                     "quote: Gala Gamma handed over"),
        "letters/2013-04-alpha-to-beta.md": MINI["letters/2013-04-alpha-to-beta.md"].replace(
            "text_status: reported\n", "text_status: reported\n" + INDENT + "evidence:\n" + INDENT + "  text_status:\n"
            + INDENT + "    - {article: 2013-05-25-daily-reply, quote: handed over a reply on Wednesday from Boris Beta}\n"
        ).replace(', text_status: "Alphaland\'s foreign ministry"}', "}"),
    }
    code, lines = check(make_project(tmp_path, files))
    assert code == 0
    said = [line for line in lines if "does not say" in line]
    assert said == [
        "content/letters/2013-04-alpha-to-beta.md:12: evidence.text_status.0.quote: warning: the quote 'handed over "
        "a reply on Wednesday from Boris Beta' does not say text_status: it holds no words that tie it to this letter "
        "among the other letters 2013-05-25-daily-reply reports (2013-05-beta-to-alpha): a name of a sender, "
        "recipient or carrier, words of its date or a subject of its own, that the others do not share. Quote words "
        "of 2013-05-25-daily-reply that say it (more of the sentence), add the article's name for it to the aliases, "
        "or say how you read the words under curator:",
        "content/letters/2013-05-beta-to-alpha.md:11: dates.delivered.sources.0.quote: warning: the quote 'Gala "
        "Gamma handed over' does not say dates.delivered.0: it holds no words of its date 2013-05-22 (a month, year "
        "or weekday it can mean, or a day said as 'on Friday', 'yesterday', 'last month'). Quote words of "
        "2013-05-25-daily-reply that say it (more of the sentence), add the article's name for it to the aliases, or "
        "say how you read the words under curator:",
        "content/letters/2013-05-beta-to-alpha.md:16: evidence.recipients.0.quote: warning: the quote 'a reply on "
        "Wednesday from Boris Beta' does not say recipients: it holds no name of Anna Alpha ('Anna Alpha', 'Mrs "
        "Alpha'). Quote words of 2013-05-25-daily-reply that say it (more of the sentence), add the article's name "
        "for it to the aliases, or say how you read the words under curator:",
    ]

    # A curator's mark saying how the words are read stands for them.
    read_so = {"letters/2013-05-beta-to-alpha.md": files["letters/2013-05-beta-to-alpha.md"].replace(
        "curator: {summits:", "curator: {recipients: \"the curator's reading: the reply went to the writer of the "
        "April letter\", summits:")}
    (tmp_path / "read").mkdir()
    code, lines = check(make_project(tmp_path / "read", read_so))
    assert code == 0 and "evidence.recipients.0.quote" not in "\n".join(lines)


# --- Who wrote, who received: words around a name, found where the name stands -------------------

def _whole_patterns(name: str) -> tuple[list[re.Pattern[str]], re.Pattern[str]]:
    """The sender's and the recipient's words as one pattern each holding the name, as the builder compiled
    them for each name before (its patterns are matched where the name stands, and compiled once)."""
    spaced, letter, gap, title = fact_words._spaced(name), fact_words._LETTER, fact_words._GAP, fact_words._TITLE
    sender = [re.compile(rf"(?<![\w-]){spaced}[’']s\s+(?:[\w-]+\s+){{0,2}}?{letter}\b"),
              re.compile(rf"\b{letter}\s+{gap}from\s+{title}{spaced}(?![\w-])"),
              re.compile(rf"(?<![\w-]){spaced}\s+(?:wrote|sent|replied|answered)\b")]
    return sender, re.compile(rf"\b(?:{letter}|wrote|written|sent|addressed)\s+{gap}to\s+{title}{spaced}(?![\w-])")


NAMES = ["Putin", "Vladimir Putin", "Al Al", "Xi Jinping", "Moon Jae-in", "Kim"]
WORDS = [*NAMES, *(n + s for n in NAMES for s in ("’s", "'s", "s", "-led", ".")), "letter", "letters", "message",
         "reply", "note", "greetings", "from", "to", "and", "by", "in", "wrote", "sent", "written", "addressed",
         "answered", "President", "his", "U.S.", "counterpart", "Chinese", "a", "the", "(", ")", ",", "Al"]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "  ", "\n", "\u00a0", ""])), max_size=14),
       st.sampled_from(NAMES))
def test_a_name_as_sender_or_recipient_is_found_as_one_pattern_holding_it_finds_it(words, name):
    text = "".join(word + space for word, space in words)
    sender, recipient = _whole_patterns(name)
    named = (("person", "someone"), (name,))
    assert fact_words._as_sender(named, text) == any(p.search(text) for p in sender), text
    assert fact_words._as_recipient(named, text) == bool(recipient.search(text)), text


@pytest.mark.parametrize("text, sender, recipient", [
    ("Al Al Al’s letter arrived.", True, False),  # the name found again inside its own repetition
    ("A letter from President Vladimir Putin to Xi Jinping", True, False),
    ("a message sent to his counterpart Vladimir Putin", False, True),
    ("Vladimir Putin wrote to Obama", True, False),
    ("the letters from Obama to Vladimir Putin", False, True),
])
def test_who_wrote_and_who_received_in_words(text, sender, recipient):
    named = (("person", "putin"), ("Vladimir Putin", "Al Al"))
    assert (fact_words._as_sender(named, text), fact_words._as_recipient(named, text)) == (sender, recipient)
