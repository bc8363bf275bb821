"""Reading a pasted source text: its header lines become fields, the journalism stays the body.

A text copied from a web page starts with lines that are not the article: its
address, the byline, a "Published:" line, the outlet's name, the headline. The
dateline ("May 25, 2013 (TSR) –") opens the first paragraph and stays there, but
says when and by whom the article was published. Everything else is kept as
written, with paragraphs pasted one per line separated by blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"))\.?"

URL = re.compile(r"^https?://\S+$")
BYLINE = re.compile(r"^by\s+(?P<who>[^.!?]{2,60})$", re.IGNORECASE)
PUBLISHED = re.compile(r"^(?:published|posted|updated|date)\s*:?\s*(?P<when>.+)$", re.IGNORECASE)
# "May 25, 2013 (TSR) –", "BOCHAROV RUCHEI, May 24 (RIA Novosti) -", "MOSCOW, 25 May 2013 (Reuters) —"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,40},\s*)?(?P<when>(?:" + _MONTH + r"\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?)"
    r"|(?:(?P<day2>\d{1,2})\s+" + _MONTH.replace("<month>", "<month2>") + r"(?:,?\s+(?P<year2>\d{4}))?))"
    r"\s*(?:\((?P<agency>[^)]{2,40})\))?\s*[-–—]\s")
ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
TITLE_MAX_WORDS = 20
SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
SENTENCE_START = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")


@dataclass
class Header:
    """What the text's header says, and the body without it."""

    body: str
    title: str = ""
    url: str = ""
    byline: str = ""
    date: str = ""  # EDTF, or "" when the text gives no full date
    date_note: str = ""
    outlet: str = ""  # an outlet id the archive knows
    via: list[str] = field(default_factory=list)


def _edtf(year: str | None, month: int, day: str) -> str:
    return f"{year}-{month:02d}-{int(day):02d}" if year else ""


def _date(text: str) -> tuple[str, str]:
    """(EDTF date or "", the words it was read from) for a dateline or a date line."""
    text = text.strip()
    if iso := ISO.match(text):
        return iso.group(0), iso.group(0)
    match = DATELINE.match(text + " - ") or DATELINE.match(text)
    if not match:
        return "", ""
    month = MONTHS[(match.group("month") or match.group("month2")).lower()]
    day = match.group("day") or match.group("day2")
    return _edtf(match.group("year") or match.group("year2"), month, day), match.group("when")


def _outlet(words: str, outlets: dict[str, list[str]]) -> str:
    """The id of the outlet named (or abbreviated, 'TSR') by `words`, by its name or an alias, if the archive
    has it."""
    wanted = " ".join(re.findall(r"\w+", words)).casefold()
    for id_, names in outlets.items():
        for name in names:
            plain = " ".join(re.findall(r"\w+", name)).casefold()
            initials = "".join(w[0] for w in plain.split())
            if wanted and wanted in (plain, initials, id_.replace("-", " "), initials.removeprefix("t")):
                return id_
    return ""


def _looks_like_title(line: str) -> bool:
    words = line.split()
    capitalised = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return (3 <= len(words) <= TITLE_MAX_WORDS and not re.search(r"[.!:,;]$", line)
            and sum(w[0].isupper() for w in capitalised) * 2 >= len(capitalised))


def _is_paragraph(line: str) -> bool:
    return len(line.split()) > TITLE_MAX_WORDS or bool(DATELINE.match(line))


def paragraphs_apart(lines: list[str]) -> str:
    """Join lines into a body, putting a blank line where one line ends a sentence and the next
    starts one: a paragraph pasted on its own line, which Markdown would join to the next."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and SENTENCE_END.search(out[-1].strip()) \
                and SENTENCE_START.match(line.strip()):
            out.append("")
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def read_header(text: str, outlets: dict[str, list[str]]) -> Header:
    """Split a pasted source into header fields and body. `outlets` maps outlet ids to their names and aliases."""
    lines = text.replace("\r\n", "\n").split("\n")
    header = Header(body="")
    kept: list[str] = []
    in_header = True
    for line in lines:
        stripped = line.strip()
        if in_header and stripped and _is_paragraph(stripped):
            in_header = False
        if not in_header or not stripped:
            kept.append(line)
            continue
        bare = stripped.strip("-–—•* ").rstrip("!.")
        if URL.match(stripped) and not header.url:
            header.url = stripped
        elif (by := BYLINE.match(stripped)) and not header.byline:
            header.byline = by.group("who").strip()
        elif (published := PUBLISHED.match(stripped)) and not header.date and _date(published.group("when"))[1]:
            header.date = _date(published.group("when"))[0]
            header.date_note = f"Read from the line '{stripped}'."
        elif (outlet := _outlet(bare, outlets)) and not header.outlet:
            header.outlet = outlet
        elif not header.title and _looks_like_title(stripped):
            header.title = stripped
        else:
            kept.append(line)
    header.body = paragraphs_apart(kept)
    _read_dateline(header, outlets)
    return header


def _read_dateline(header: Header, outlets: dict[str, list[str]]) -> None:
    """A dateline in the first paragraphs gives the date (when no header line did) and the outlet."""
    for paragraph in [p.strip() for p in header.body.split("\n\n") if p.strip()][:4]:
        match = DATELINE.match(paragraph)
        if not match:
            continue
        dateline = re.sub(r"[\s\-–—]+$", "", paragraph[: match.end()])
        if not header.date:
            date, _ = _date(paragraph)
            header.date = date
            header.date_note = (f"Read from the dateline '{dateline}'." if date else
                                f"The dateline '{dateline}' gives no year: write the date with the year, "
                                "and say here how you know it.")
        agency = _outlet(match.group("agency") or "", outlets)
        if agency and not header.outlet:
            header.outlet = agency
        elif agency and agency != header.outlet and agency not in header.via:
            header.via.append(agency)
        return
