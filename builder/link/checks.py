"""Contributor checks beyond the schema: what the site would show that needs a curator's attention.

The schema says whether front matter is well formed; these say whether the page
will show what the curator meant: a scaffold's placeholder left in, Markdown that
would change an article's words, a name two records share, a quote too short to
find its sentence, a record that looks like another. Errors stop the build;
warnings are the curator's call, silenced by saying so (`distinct_from:`).
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from ..model.errors import Problem
from .fact_words import wanted
from .provenance import unattributed
from .graph import Archive, Loc, _citations
from ..load.load import Source
from ..model.fields import choices, either
from ..model.schema import Article, Key, Kind, Letter, Person, Record, Summit, Topic
from ..model.text import normalise_quote, quotable, sentences

Named = Person | Summit | Topic  # records that articles name, by name or alias

# --- 1. Scaffold placeholders ------------------------------------------------------------------

PLACEHOLDER = re.compile(r"^TODO\b")  # every value `archive new` leaves to fill in starts so

# What to write instead, by the kind of record (or "office", or "any") and the field's name
# (the last key of its path).
FILL: dict[tuple[str, str], str] = {
    (Kind.article, "title"): "the article's headline as published",
    (Kind.letter, "title"): "a short title, e.g. 'Putin's reply to Obama'",
    (Kind.summit, "title"): "the summit's title, e.g. 'G8 summit at Lough Erne'",
    ("office", "title"): "the office, e.g. 'President of Russia'",
    (Kind.person, "name"): "the person's full name",
    (Kind.outlet, "name"): "the outlet's name as it prints it",
    (Kind.topic, "name"): "the topic's name",
    (Kind.summit, "place"): f"the id of a place in content/{Kind.place.folder}/ (add a record there if it is new: "
                            "archive new place lough-erne --title 'Lough Erne'), or leave it out and say why in place_note",
    (Kind.place, "name"): "the place's name as readers know it, e.g. 'Lough Erne'",
    (Kind.article, "outlet"): f"the id of an outlet in content/{Kind.outlet.folder}/ "
                              "(add a record there if it is new)",
    (Kind.letter, "sender"): f"the id of a person in content/{Kind.person.folder}/",
    (Kind.letter, "recipients"): f"the id of a person in content/{Kind.person.folder}/",
    ("any", "article"): f"the id of an article in content/{Kind.article.folder}/",
    ("any", "quote"): "the article's exact words",
    ("any", "date"): 'an EDTF date in quotes, e.g. "2013-05-25", "2013-05" or "2001"',
    ("any", "start"): 'an EDTF date in quotes, e.g. "2012-05-07"',
    ("any", "note"): "how the date was worked out, or delete the line",
    (Kind.article, "body"): "the article's text",
    (Kind.article, "retrieved"): 'the day you copied the text, e.g. "2026-11-23"; if it is not known, delete the line '
                                 "and say why in retrieved_note",
    ("any", "body"): "a short paragraph in your words, or delete it",
}


def _fill(kind: str, loc: Loc) -> str:
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if loc[:1] == ("offices",) and name == "title":
        kind = "office"
    fields = next((k.model.model_fields for k in Kind if k == kind), {}) if len(loc) == 1 else {}
    field = fields.get(name)
    allowed = choices(field) if field else ()  # a choice's values, as the model declares them
    return (FILL.get((kind, name)) or (either(allowed) if allowed else None) or FILL.get(("any", name))
            or "the real value, or delete the line if it is optional")


def _strings(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """(key path, text) of every text value in front matter."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, loc + (i,))


def placeholders(source: Source) -> list[Problem]:
    """Every value or body line still holding what `archive new` wrote to be replaced."""
    found = []
    for loc, text in _strings(source.data):
        if PLACEHOLDER.match(text.strip()):
            where, line = source.locate(loc)
            found.append(Problem(source.path, line, ".".join(map(str, where)),
                                 f"still holds the scaffold's placeholder '{text.strip()}'",
                                 f"Replace it with {_fill(source.kind, loc)}"))
    for number, text in enumerate(source.body.splitlines()):
        if PLACEHOLDER.match(text.strip()):
            found.append(Problem(source.path, source.body_line + number, "body",
                                 f"still holds the scaffold's placeholder '{text.strip()}'",
                                 f"Replace it with {_fill(source.kind, ('body',))}"))
    return found


# --- 2. Markdown that would change an article's words -------------------------------------------

CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
EMPHASIS = re.compile(r"(?<!\\)(\*{1,3})(?=\S)(.+?)(?<=[^\s\\])\1|(?<![\w\\])(_{1,3})(?=\S)(.+?)(?<=[^\s\\])\3(?!\w)")
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")
SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
SENTENCE_START = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")
# Line starts Python-Markdown reads as structure, with what they do and how to keep the text.
HEADING = re.compile(r"^#")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
BULLET = re.compile(r"^\s{0,3}([-*+])\s")
NUMBERED = re.compile(r"^\s{0,3}(\d+)\.\s")
QUOTE_MARK = re.compile(r"^\s{0,3}>")
DEFINITION = re.compile(r"^\s{0,3}(\*?\[[^\]]+\]:|:\s)")
ITALIC_LINE = re.compile(r"^\*[^*\s](?:.*[^*\s])?\*$")  # a caption the curator set in italics


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_changes(source: Source) -> list[Problem]:
    """Markdown in an article body that would alter or drop the source's words when rendered.

    Errors where words or characters would be lost or turned into something else
    (code, headings, lists, block quotes); warnings where the reader still sees the
    words but not as typed (emphasis, rules, entities, joined or broken lines).
    """
    found: list[Problem] = []
    lines = source.body.splitlines()

    def report(index: int, message: str, hint: str, warning: bool = False) -> None:
        found.append(Problem(source.path, source.body_line + index, "body", message, hint, warning))

    fenced, previous = False, ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        following = lines[i + 1] if i + 1 < len(lines) else ""
        block_start = not previous.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            if fenced:
                report(i, f"'{stripped[:3]}' starts a code block: the lines up to the next '{stripped[:3]}' "
                          "would show as code and the fences would not show",
                       "Escape the first character with a backslash, e.g. \\```")
            previous = line
            continue
        if fenced or not stripped or stripped.startswith("<!--"):
            previous = line
            continue
        if HEADING.match(line):
            report(i, "the '#' at the start of the line would make it a heading and not show",
                   "Escape it with a backslash: \\#")
        elif SETEXT.match(line) and not block_start:
            report(i - 1, f"the '{stripped}' on the next line would make this line a heading and not show",
                   f"Escape it with a backslash: \\{stripped}, or put a blank line before it")
        elif RULE.match(line):
            report(i, f"'{stripped}' would show as a horizontal rule, not as the characters",
                   f"If the source prints them, escape the first with a backslash: \\{stripped}", warning=True)
        elif block_start and (bullet := BULLET.match(line)):
            report(i, f"the '{bullet.group(1)} ' at the start of the paragraph would make it a bulleted list "
                      f"item and the '{bullet.group(1)}' would not show",
                   f"Escape it with a backslash: \\{bullet.group(1)}")
        elif block_start and (number := NUMBERED.match(line)):
            report(i, f"'{number.group(1)}. ' at the start of the paragraph would make it a numbered list: "
                      f"it would show as '1.' and indented",
                   f"Escape the dot with a backslash: {number.group(1)}\\.")
        elif QUOTE_MARK.match(line):
            report(i, "the '>' at the start of the line would make a block quote and not show",
                   "Escape it with a backslash: \\>")
        elif DEFINITION.match(line):
            report(i, "the line would be read as a definition (of a link, an abbreviation or a term) "
                      "and not show as written",
                   "Escape its first character with a backslash")
        elif block_start and line.startswith(("    ", "\t")):
            report(i, "the indent at the start of the paragraph would make it a code block",
                   "Remove the indent")
        for code in CODE_SPAN.finditer(line):
            report(i, f"the backticks around '{_short(code.group(2))}' would make it code and drop the backticks",
                   "Escape each backtick with a backslash (\\`), or use the typographic quotes ‘ ’ the source prints")
        if not ITALIC_LINE.match(stripped):
            for emphasis in EMPHASIS.finditer(CODE_SPAN.sub("", line)):
                marks, words = (emphasis.group(1), emphasis.group(2)) if emphasis.group(1) else emphasis.group(3, 4)
                what = "asterisks" if "*" in marks else "underscores"
                style = "bold" if len(marks) == 2 else "italic"
                escaped = "\\" + "\\".join(marks)
                report(i, f"the {what} around '{_short(words)}' would make it {style} and not show",
                       f"If the source prints them, escape each with a backslash ({escaped}); if the source "
                       f"sets the words in {style}, write <{'strong' if style == 'bold' else 'em'}>…</…> instead",
                       warning=True)
        for entity in ENTITY.finditer(line):
            shown = html.unescape(entity.group(0))
            if shown != entity.group(0):
                report(i, f"'{entity.group(0)}' would show as '{shown}'",
                       f"If the source prints '{entity.group(0)}' itself, write &amp;{entity.group(0)[1:]}; "
                       f"otherwise write the character '{shown}'", warning=True)
        for escape in ESCAPE.finditer(line):
            if not _escape_needed(line, escape):
                report(i, f"the backslash before '{escape.group(1)}' would not show",
                       "If the source prints it, double it (\\\\); otherwise remove it", warning=True)
        if following.strip() and not fenced:
            if line.endswith("  "):
                report(i, "the two spaces at the end of the line would break the line there",
                       "Remove them; put a blank line after the line if a new paragraph starts", warning=True)
            elif (SENTENCE_END.search(stripped) and SENTENCE_START.match(following.strip())
                  and not _structural(following)):
                report(i + 1, "this line would be joined to the line before into one paragraph",
                       "Put a blank line between them if they are separate paragraphs", warning=True)
        previous = line
    return found


def _structural(line: str) -> bool:
    return any(p.match(line) for p in (HEADING, SETEXT, RULE, BULLET, NUMBERED, QUOTE_MARK, DEFINITION)) \
        or line.strip().startswith(("```", "~~~", "<!--"))


def _escape_needed(line: str, escape: re.Match[str]) -> bool:
    """Whether a backslash escape keeps a character from being markup (our own advice), rather than
    dropping a backslash the source prints."""
    char, start = escape.group(1), escape.start()
    if char in "\\`*_[]#>{}":
        return True
    if char in "-+" and not line[:start].strip():
        return True
    if char == "." and re.fullmatch(r"\s*\d+", line[:start]):
        return True
    return char == "!" and line[escape.end():].startswith("[")


# --- 3 and 5. Records sharing a name, or looking like each other -------------------------------

# Common transliteration variants, folded to one spelling: Yury/Yuri, Sergey/Sergei, Dmitriy/Dmitry…
_VARIANTS = [
    (r"iy\b", "y"), (r"y\b", "i"), (r"j\b", "i"), (r"\b(?:yu|iu|ju)", "u"), (r"ph", "f"), (r"kh", "h"),
    (r"ck", "k"), (r"w", "v"), (r"x", "ks"), (r"tz", "ts"), (r"ya", "ia"), (r"yo", "io"), (r"(\w)\1", r"\1"),
]


_FOLDS = [(re.compile(pattern), replacement) for pattern, replacement in _VARIANTS]


@lru_cache(maxsize=None)
def fold(text: str) -> str:
    """A name or id with case, diacritics, punctuation and transliteration variants folded away."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    text = " ".join(re.findall(r"[a-z0-9]+", text))
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text


def looks_alike(id_a: str, name_a: str, id_b: str, name_b: str) -> bool:
    """Same after folding (id or name), or ids that differ by a letter or two."""
    if fold(id_a) == fold(id_b) or (name_a and name_b and fold(name_a) == fold(name_b)):
        return True
    matcher = difflib.SequenceMatcher(None, id_a, id_b)
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def display_name(data: object) -> str:
    name = getattr(data, "name", None) or getattr(data, "title", None)
    if name is None and isinstance(data, dict):
        name = data.get("name") or data.get("title")
    return name if isinstance(name, str) else ""


def _names(record: Named) -> list[tuple[Loc, str]]:
    """(key path, name) of each name and alias by which articles may name the record."""
    own: Loc = ("title",) if isinstance(record, Summit) else ("name",)
    return [(own, display_name(record))] + [(("aliases", i), alias) for i, alias in enumerate(record.aliases)]


def _distinct(a: Named, b: Named) -> bool:
    return b.id in a.distinct_from or a.id in b.distinct_from


Reported = set[tuple[Kind, str, str]]  # (kind, id, id) of two records already reported together


def shared_names(records: Sequence[Named], sources: dict[Key, Source]) -> tuple[list[Problem], Reported]:
    """A name or alias two records of one kind share, unless `distinct_from` says they differ.
    Also returns the pairs reported, so that they are not reported again as look-alikes."""
    holders: dict[tuple[Kind, str], dict[str, list[tuple[Loc, str, Named]]]] = defaultdict(
        lambda: defaultdict(list))
    for record in records:
        for loc, name in _names(record):
            holders[(record.kind, " ".join(name.split()).casefold())][record.id].append((loc, name, record))
    found: list[Problem] = []
    pairs: Reported = set()
    for (kind, _), by_id in holders.items():
        for a, b in combinations(sorted(by_id), 2):
            (loc_a, name_a, rec_a), (loc_b, name_b, rec_b) = by_id[a][0], by_id[b][0]
            pairs.add((kind, a, b))
            if _distinct(rec_a, rec_b):
                continue
            for (loc, name, record), other in (((loc_a, name_a, rec_a), rec_b), ((loc_b, name_b, rec_b), rec_a)):
                source = sources[(kind, record.id)]
                where, line = source.locate(loc)
                found.append(Problem(
                    source.path, line, ".".join(map(str, where)),
                    f"'{name}' is also a name of {other.folder}/{other.id}",
                    f"If they are one {kind}, merge the two files; if not, say so with "
                    f"distinct_from: [{other.id}]", warning=True))
    return found, pairs


BLOCK_LIMIT = 64  # a word of the id shared by more records than this is too common to pair them on


def _candidate_pairs(group: Sequence[Named]) -> set[tuple[str, str]]:
    """Pairs of ids worth comparing: the same when folded, or sharing a rare word or the start of
    their name part. Comparing every pair would grow with the square of the archive."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in group:
        blocks[("id", fold(record.id))].append(record.id)
        if display_name(record):
            blocks[("name", fold(display_name(record)))].append(record.id)
        named = re.sub(r"^[\d-]+", "", record.id)  # a summit's id starts with its date
        blocks[("start", named[:4])].append(record.id)
        for word in set(named.split("-")):
            if len(word) >= 3:
                blocks[("word", word)].append(record.id)
    pairs: set[tuple[str, str]] = set()
    for (how, _), ids in blocks.items():
        if how in ("id", "name") or len(ids) <= BLOCK_LIMIT:
            pairs.update(combinations(sorted(set(ids)), 2))
    return pairs


def look_alikes(records: Sequence[Named], sources: dict[Key, Source], reported: Reported) -> list[Problem]:
    """Records of one kind whose ids or names are near-identical: likely one record made twice."""
    found = []
    by_kind: dict[Kind, list[Named]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    for kind, group in by_kind.items():
        by_id = {r.id: r for r in group}
        for a_id, b_id in sorted(_candidate_pairs(group)):
            a, b = by_id[a_id], by_id[b_id]
            if (kind, a.id, b.id) in reported or _distinct(a, b):
                continue
            if not looks_alike(a.id, display_name(a), b.id, display_name(b)):
                continue
            for record, other in ((a, b), (b, a)):
                source = sources[(kind, record.id)]
                field = "title" if isinstance(record, Summit) else "name"
                found.append(Problem(
                    source.path, source.line_of((field,)), field,
                    f"looks like {other.folder}/{other.id} ('{display_name(other)}')",
                    f"If it is the same {kind}, merge the two files; if not, add distinct_from: [{other.id}]",
                    warning=True))
    return found


# --- 4. Quotes too short to pick out their sentence ---------------------------------------------

MIN_WORDS = 3


def vague_quotes(archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """A cited quote must point at one sentence: the page shows it as that sentence's source."""
    return [p for record in archive.records.values() for p in vague_quotes_in(record, archive, sources)]


def vague_quotes_in(record: Record, archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """vague_quotes of one record: it reads the record and the articles it cites."""
    found = []
    for loc, article_id, words in _citations(record):
        article = archive.records.get((Kind.article, article_id))
        if not isinstance(article, Article) or loc[0] == "quotes":
            continue  # a letter's quoted words are its own, cited by their text, not by a sentence
        quote = normalise_quote(words)
        if not quote or quote not in quotable(article.body):
            continue  # the link stage reports a quote the article does not hold
        holding = [s for s in _sentences(article.body) if quote in s]
        field_loc = loc + ("text" if loc[0] == "quotes" else "quote",)
        source = sources[(record.kind, record.id)]
        where, line = source.locate(field_loc)
        what = None
        if len(holding) > 1:
            what = f"quote '{_short(words)}' occurs in {len(holding)} sentences of article {article_id}"
        elif len(quote.split()) < MIN_WORDS and not any(_bare(quote) == _bare(s) for s in holding):
            count = len(quote.split())
            what = (f"quote '{_short(words)}' is {count} word{'s' if count != 1 else ''}, "
                    f"not a whole sentence of article {article_id}")
        if what:
            found.append(Problem(source.path, line, ".".join(map(str, where)), what,
                                 "Quote enough words to pick out one sentence"))
    return found


@lru_cache(maxsize=65536)  # an article is read for every quote citing it, records apart
def _sentences(body: str) -> tuple[str, ...]:
    """An article's distinct sentences, normalised as quotes are."""
    return tuple(dict.fromkeys(normalise_quote(s) for s in sentences(body)))


def _bare(text: str) -> str:
    return text.strip(" .!?,;:\"'“”‘’()")


# --- 5. Citations that do not say their fact ------------------------------------------------------

def unsaid_in(record: Record, archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """A quotation the record cites for a fact must hold the fact's own words (fact_words.py): words that stand
    in the article but name someone else, or give no date, support nothing the page says. A curator's mark on
    the fact says how the curator reads words that do not say it alone, and stands for them."""
    found = []
    for loc, article_id, words in _citations(record):
        wants = None if loc[0] == "quotes" else wanted(archive, record, loc, article_id)
        if wants is None or wants[1](words) or _read_by_curator(record, loc):
            continue
        source = sources[(record.kind, record.id)]
        where, line = source.locate(loc + ("quote",))
        fact = str(loc[1]) if loc[0] == "evidence" else ".".join(map(str, loc[:-2]))
        found.append(Problem(
            source.path, line, ".".join(map(str, where)),
            f"the quote '{_short(words, 50)}' does not say {fact}: it holds no {wants[0]}",
            f"Quote words of {article_id} that say it (more of the sentence), add the article's name for it to "
            "the aliases, or say how you read the words under curator:", warning=True))
    return found


def _read_by_curator(record: Record, loc: Loc) -> bool:
    """Whether the curator's mark on the fact a citation stands at says how the words are read."""
    if loc[0] == "evidence" and isinstance(record, (Letter, Summit)):
        fact = str(loc[1])
        return fact in record.curator or fact.partition(":")[0] in record.curator
    claim: object = record
    for part in loc[:-2]:  # ("dates", "sent", 0) of ("dates", "sent", 0, "sources", 0)
        claim = claim[part] if isinstance(part, int) else getattr(claim, part)  # type: ignore[index]
    return bool(getattr(claim, "curator", None))


def unattributed_in(letter: Letter, archive: Archive, sources: dict[Key, Source]) -> list[Problem]:
    """Where an article reports several letters between the same people and none of its sentences tells
    this one apart, its page quotes none of them under 'Reported by' until the curator chooses."""
    found = []
    for article, others in unattributed(letter, archive):
        source = sources[(letter.kind, letter.id)]
        where, line = source.locate(("reported_by",)) if "reported_by" in source.data else (("title",), 1)
        line = source.line_of(where)
        ids = ", ".join(o.id for o in others)
        found.append(Problem(
            source.path, line, "reported_by",
            f"article {article.id} also reports {ids}, and none of its sentences about this letter's "
            "correspondents tells this letter apart from them (by its date, carrier or words of its own), so "
            "its page quotes none of them under 'Reported by'",
            f"Choose them: add reported_by: with '- article: {article.id}' and 'quote:' the words of each "
            "sentence of the article about this letter", warning=True))
    return found


# --- 6. Sources that may outlive their links ---------------------------------------------------

def unarchived(source: Source) -> list[Problem]:
    """News addresses die: an article should say when it was copied, or where a copy is kept, or why
    neither is known (a text curated from a saved copy)."""
    if source.data.get("retrieved") or source.data.get("archived_url") or source.data.get("retrieved_note"):
        return []
    where, line = source.locate(("url",)) if "url" in source.data else ((), 1)
    return [Problem(source.path, line, "url" if where else "retrieved",
                    "the article says neither when it was retrieved nor where an archived copy is", (
                        "Add `retrieved:` with the date you copied it (e.g. retrieved: 2026-11-23), and "
                        "`archived_url:` with the address of an archived copy (save the page at "
                        "https://web.archive.org/save and give the address it returns); if neither is known, say why in "
                        "`retrieved_note:`"), warning=True)]


# --- All of them --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reviewed:
    """What review's own checks found: placeholders left in, and the rest."""

    left_in: list[Problem]
    added: list[Problem]


def own_checks(source: Source) -> list[Problem]:
    """The checks that read one file alone, placeholders aside: an article's Markdown and its retrieval."""
    return markdown_changes(source) + unarchived(source) if source.kind == Kind.article else []


def named(archive: Archive) -> list[Named]:
    """The records whose names the name checks compare, in the archive's order: worked out again (a pass
    over every record) only where one of them is another object than the last run's (Archive.carried)."""
    return archive.carried("named", (archive.all(Person), archive.all(Summit), archive.all(Topic)),
                           lambda: [r for r in archive.records.values() if isinstance(r, (Person, Summit, Topic))])


def name_checks(records: Sequence[Named], sources: dict[Key, Source]) -> list[Problem]:
    """Names two records share, and records that look alike: they read every record's names."""
    shared, pairs = shared_names(records, sources)
    return shared + look_alikes(records, sources, pairs)


def reviewed(sources: list[Source], archive: Archive) -> Reviewed:
    """Every file and record checked anew (rechecks.py reuses the last run's where it can)."""
    by_key = {s.key: s for s in sources}
    return Reviewed([p for source in sources for p in placeholders(source)],
                    name_checks(named(archive), by_key) + vague_quotes(archive, by_key)
                    + [p for s in sources for p in own_checks(s)])


def review(sources: list[Source], archive: Archive, problems: list[Problem],
           found: Reviewed | None = None) -> list[Problem]:
    """The problems found so far and these checks' (`found`, or all of them worked out now). A placeholder
    left in replaces the schema's or the link stage's complaint about the same line: 'still holds the
    placeholder' says what to do."""
    found = found or reviewed(sources, archive)
    superseded = {(p.path, p.line) for p in found.left_in}
    kept = [p for p in problems if p.warning or (p.path, p.line) not in superseded]
    return sorted(set(kept + found.left_in + found.added))
