"""Tokens: how text becomes the terms the search index holds and a query looks up.

overrides/assets/javascripts/search.js applies the same rules to what a reader
types, and a browser test compares the two on tricky strings. Names are typed
every which way: folding makes "Antonio" find "António"; a hyphenated or
apostrophised word is indexed whole and in parts, so "al-Assad", "Assad" and
"al Assad" all find him, while a query keeps "Jong-un" whole and so never
matches every page that says "UN".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Words too common to tell pages apart; dropped from the index and from queries alike.
# Not "us" (the U.S.) nor "who" (the WHO): short words can be names.
STOPWORDS = frozenset(
    "an and are as at be but by for from had has have he his in is it its of on or that the this "
    "to was were which with".split())
MIN_LENGTH = 2

# Letters NFKD does not take apart, and the apostrophes and hyphens a word may be joined by.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                          "ı": "i", "ʼ": "'", "’": "'", "‘": "'", "`": "'", "\u2010": "-", "\u2011": "-"})
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SEPARATOR = re.compile(r"['-]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ABBREVIATION = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.){2,}")  # "U.S.", "U.N.": one word, not letters


def _bare(run: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", run[0])
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def fold(text: str) -> str:
    """Lowercase, without diacritics: "António" → "antonio", "Jong‑un" → "jong-un"."""
    bare = _NON_ASCII.sub(_bare, text)  # most text is ASCII, which NFKD leaves as it is
    folded = bare.lower().replace("`", "'")
    if not folded.isascii():
        folded = folded.translate(_LETTERS)
    return _ABBREVIATION.sub(lambda m: m[0].replace(".", ""), folded)


def words(folded: str) -> Iterator[re.Match[str]]:
    """Words of folded text, with where each stands: letters and digits, joined by ' or -."""
    return _WORD.finditer(folded)


def _parts(word: str) -> list[str]:
    parts = _SEPARATOR.split(word)
    if len(parts) > 1 and parts[-1] == "s" and word[-2] == "'":  # a possessive: "putin's"
        parts.pop()
    return parts


def _keep(token: str) -> str | None:
    """The term a token becomes, or None when it is a stopword or too short."""
    if len(token) < MIN_LENGTH or token in STOPWORDS:
        return None
    if len(token) >= 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]  # plurals: "letters" finds "letter"
    return token


@lru_cache(maxsize=1 << 17)  # a vocabulary repeats: an archive's words are mostly the same few thousand
def word_terms(word: str, whole_only: bool = False) -> tuple[str, ...]:
    """The terms of one folded word: a joined word whole and, unless `whole_only`, each part."""
    parts = _parts(word)
    found = ["".join(parts)] if len(parts) > 1 else parts
    if len(parts) > 1 and not whole_only:
        found += parts
    return tuple(term for token in found if (term := _keep(token)))


def index_tokens(text: str) -> list[str]:
    """Every term of a text as the index counts them, in order (a joined word gives several)."""
    return [term for m in words(fold(text)) for term in word_terms(m[0])]


def query_tokens(text: str) -> list[str]:
    """A query's terms, in order, each once: joined words stay whole."""
    found: list[str] = []
    for m in words(fold(text)):
        found += [t for t in word_terms(m[0], whole_only=True) if t not in found]
    return found
