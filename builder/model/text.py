"""Text as a reader sees it, worked out in one place.

- `rendered`: a Markdown body's HTML as MkDocs writes it (the extensions mkdocs.yml enables),
  which the safety check judges (validate/safety.py) and the reader's text is read from: each
  body is rendered once.
- `reader_blocks`/`reader_text`: a body's words as its page shows them, from that rendering, not
  from a guess at Markdown: escapes resolved, entities decoded, emphasis, tags and link
  definitions gone, link text and code kept. The search index and the feed read it.
- `sentences`: that text cut into sentences by nupunkt's adaptive Punkt, chosen over our old
  regex, sentencex and pysbd on press sentences (bench/segmenters.py on
  tests/data/press_sentences.txt): it does not cut after "John F." or "Lt. Gen.", nor before a
  quotation's closing mark. Mentions, the automatic citations and the check read it. Each
  sentence is kept as its place in its block (`segmented`), and cut from it when read.
- `normalise_quote`/`stands_in`: the one way a quote and an article's text are compared, so the
  link stage, the check and the quotation check agree on whether a quote stands in an article.
"""

from __future__ import annotations

import html
import re
from array import array
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser

from typing import TYPE_CHECKING, TypeAlias

import markdown
from markdown.extensions.abbr import AbbrExtension

if TYPE_CHECKING:
    from nupunkt import PunktSentenceTokenizer

# The extensions mkdocs.yml enables, so the HTML is what MkDocs will write (toc: heading ids, and "[TOC]"
# the headings' list, as the page shows it).
EXTENSIONS = ["abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc"]
# Elements whose start or end starts a new block of text: a sentence never runs across them.
_BLOCKS = {
    "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "td", "th", "tr", "ul",
}
_LINE_BREAK = re.compile(r"\s*\n\s*")  # the lines of a paragraph read as one


class _Blocks(HTMLParser):
    """The text of each block of rendered HTML, without the footnotes' reference numbers and
    back links (Python-Markdown's additions, not the body's words)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.text: list[str] = []
        self.skipping: list[str] = []  # the element being skipped, and any of its name inside it

    def flush(self) -> None:
        block = _LINE_BREAK.sub(" ", "".join(self.text)).strip()
        if block:
            self.blocks.append(block)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping += [tag] if tag == self.skipping[0] else []
        elif tag in _BLOCKS:
            self.flush()
        elif (tag == "sup" and (dict(attrs).get("id") or "").startswith("fnref")
              or tag == "a" and dict(attrs).get("class") == "footnote-backref"):
            self.skipping = [tag]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and not self.skipping:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.pop()
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.text.append(data)


@cache
def _markdown() -> markdown.Markdown:
    # One renderer, reset for each body: building the extensions costs more than a body.
    return markdown.Markdown(extensions=EXTENSIONS)


@dataclass(frozen=True)
class Rendered:
    """A body as MkDocs renders it."""

    html: str
    abbreviations: dict[str, str]  # every abbreviation it defines, term to title as a browser decodes it


@lru_cache(maxsize=1)  # the body just judged (validate/safety.py) is read for its blocks next (validate.py)
def rendered(body: str) -> Rendered:
    """A body's HTML and abbreviations: Python-Markdown with mkdocs.yml's extensions."""
    md = _markdown().reset()
    page = md.convert(body)
    return Rendered(page, _abbreviations(md))


def _abbreviations(md: markdown.Markdown) -> dict[str, str]:
    # A definition applies to the whole page MkDocs renders, where the body uses it or not.
    for extension in md.registeredExtensions:
        if isinstance(extension, AbbrExtension):
            defined: dict[str, str] = getattr(extension, "abbrs")  # the stubs do not declare it
            return {term: html.unescape(title) for term, title in defined.items()}
    return {}


# A body's sentences as they are kept (Segmented): each as three numbers, its block and where it starts
# and ends there, so a sentence is its block's words as they stand (at 10,000 articles 5 MB, where the
# sentences' own strings took 69 MB from the first stage to the pages); the sentences themselves for a
# body where one is not.
Said: TypeAlias = "array[int] | tuple[str, ...]"
Segmented: TypeAlias = "tuple[tuple[str, ...], Said]"  # a body's blocks and sentences

# Bodies segmented by this process, or by a run before it (validate/cache.py keeps them in build/cache/):
# a new process renders and segments only the bodies edited since.
_remembered: dict[str, Segmented] = {}


def remember(body: str, blocks: tuple[str, ...], said: Said) -> None:
    """What `segmented` answered for `body` in an earlier run."""
    _remembered[body] = (blocks, said)


def segmented(body: str) -> Segmented:
    """A body's blocks (`reader_blocks`) and sentences (`sentences`) as they are kept: worked out once."""
    if (known := _remembered.get(body)) is None:
        blocks = reader_blocks(body)
        known = _remembered[body] = (blocks, _kept([split_sentences(block) for block in blocks], blocks))
    return known


def _kept(said: list[list[str]], blocks: tuple[str, ...]) -> Said:
    """The sentences of each block, as spans of it where each is its words as they stand."""
    spans = array("I")
    for n, (block, found) in enumerate(zip(blocks, said)):
        at = 0
        for sentence in found:
            start = block.find(sentence, at)
            if start < 0:  # two pieces split_sentences joined with a space the text lacks: kept as they are
                return tuple(s for found in said for s in found)
            at = start + len(sentence)
            spans.extend((n, start, at))
    return spans


def forget() -> None:
    """Let go of every body's blocks, sentences and quotes worked out (at 10,000 articles about 60 MB): for a
    process whose pages are made, which reads them no more (pipeline.regenerate)."""
    _remembered.clear()
    for held in (rendered, reader_blocks, sentences, quotable, stands_in):
        held.cache_clear()


@lru_cache(maxsize=65536)  # every article of a large archive: the stages read each many times
def reader_blocks(body: str) -> tuple[str, ...]:
    """The text of each block of a body (paragraph, list item, heading, cell), as the page shows it."""
    if (known := _remembered.get(body)) is not None:
        return known[0]
    parser = _Blocks()
    parser.feed(rendered(body).html)
    parser.close()
    parser.flush()
    return tuple(parser.blocks)


def reader_text(body: str) -> str:
    """A body's text as the page shows it, blocks separated by blank lines."""
    return "\n\n".join(reader_blocks(body))


# Titles of press English that nupunkt's model does not know as abbreviations ("Lt. Gen.").
PRESS_ABBREVIATIONS = ["Lt"]
# Titles before a name that nupunkt still ends a sentence at ("Amb. Jon Huntsman"): a sentence never ends there.
_TITLE_END = re.compile(r"(?<![\w.])(?:Pres|Amb|Adm|Maj|Msgr|Supt|Cmdr|Sec|Atty|Mme|Mlle)\.$")
# nupunkt reads any capital and a dot as an initial ("John F. Kennedy"), so "Plan B. The talks failed" stays
# one sentence: a capital's dot before a word that opens sentences and names no one ends one.
_LETTER_END = re.compile(r"(?<=\s[A-Z]\.)\s+(?=(?:The|A|An|It|He|She|They|We|This|That|These|Those|There|His|Her|"
                         r"Its|Their|But|Then|However|Meanwhile)\s)")


@cache
def _segmenter() -> PunktSentenceTokenizer:
    # Imported on first use: a build after an edit segments only the changed articles, if any.
    from nupunkt.hybrid import AdaptiveTokenizer
    from nupunkt.models import get_default_model_path

    # An instance of our own: nupunkt.load() shares one model, abbreviations and all, with every caller.
    tokenizer = AdaptiveTokenizer.load(get_default_model_path())
    tokenizer.add_abbreviations(PRESS_ABBREVIATIONS)
    return tokenizer


def split_sentences(text: str) -> list[str]:
    """The sentences of a block of plain text, in order."""
    joined: list[str] = []
    for piece in (p.strip() for p in _segmenter().tokenize(text)):
        if joined and _TITLE_END.search(joined[-1]):
            # Joined with the very space between them in the text (a no-break space stays one).
            gap = re.search(re.escape(joined[-1]) + r"(\s+)" + re.escape(piece[:20]), text)
            joined[-1] += (gap.group(1) if gap else " ") + piece
        elif piece:
            joined.append(piece)
    return [part.strip() for sentence in joined for part in _LETTER_END.split(sentence) if part.strip()]


# Cut from the blocks again when asked: records are worked through in order, and neighbouring records
# read the same few articles (as `quotable`).
@lru_cache(maxsize=256)
def sentences(body: str) -> tuple[str, ...]:
    """The sentences of a body as the page shows them, in order; none runs across blocks."""
    blocks, said = segmented(body)
    if isinstance(said, tuple):
        return said
    return tuple(blocks[n][start:end] for n, start, end in zip(said[::3], said[1::3], said[2::3]))


def normalise_quote(text: str) -> str:
    """Text as quotes are compared: typographic quotation marks and spacing don't count.

    Both sides are plain text: a quote as the curator copied it from the page, and an
    article as the reader sees it (`reader_text`), so `*` is `*`."""
    # str.translate reads a text holding any non-ASCII character one character at a time: a
    # replace of each mark is several times quicker on an article's text.
    text = text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


# Quotes are checked record by record, and neighbouring records cite the same few articles: a few
# texts held catch nearly every repeat (at 10,000 articles 11,700 made for 32,000 asked, 10,000 the
# least), where holding every article's took 92 MB.
@lru_cache(maxsize=64)
def quotable(body: str) -> str:
    """A body's reader text, normalised as quotes are: what a quote must stand in."""
    return normalise_quote(reader_text(body))


@lru_cache(maxsize=65536)  # every citation, checked again on each of the preview's runs
def stands_in(words: str, body: str) -> bool:
    """Whether quoted words stand in a body's text, as a reader sees it."""
    return normalise_quote(words) in quotable(body)
