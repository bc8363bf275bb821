"""Reading a pasted source text: its header lines become fields, the journalism stays the body.

A text copied from a web page starts with lines that are not the article: its
address, the byline, a "Published:" line, the outlet's name, the headline, some of
them labelled ("outlet: Reuters", "source_url: https://…"). The
dateline ("May 25, 2013 (TSR) –") opens the first paragraph and stays there, but
says when and by whom the article was published. Everything else is kept as
written, with paragraphs pasted one per line separated by blank lines, but for
'---' lines, which Markdown would read as a rule or a heading's underline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"))\.?"

URL = re.compile(r"^https?://\S+$")
# A header line that names what it gives: "outlet: Reuters", "source_url: https://…", "Published: 3 May 2013".
LABELLED = re.compile(r"^(?P<label>[A-Za-z][A-Za-z _-]{0,20}?)\s*:\s*(?P<value>\S.*)$")
LABELS = {
    **dict.fromkeys(("title", "headline"), "title"),
    **dict.fromkeys(("outlet", "source", "publisher", "publication", "site", "newspaper", "agency"), "outlet"),
    **dict.fromkeys(("url", "source_url", "link", "address", "permalink", "web_address"), "url"),
    **dict.fromkeys(("by", "byline", "author", "authors"), "byline"),
    **dict.fromkeys(("date", "published", "posted", "updated", "published_on", "dateline"), "date"),
}
RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")  # '---': a separator, or a heading underline in Markdown
BYLINE = re.compile(r"^by\s+(?P<who>[^.!?]{2,60})$", re.IGNORECASE)
PUBLISHED = re.compile(r"^(?:published|posted|updated|date)\s*:?\s*(?P<when>.+)$", re.IGNORECASE)
# "May 25, 2013 (TSR) –", "BOCHAROV RUCHEI, May 24 (RIA Novosti) -", "MOSCOW, 25 May 2013 (Reuters) —"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,40},\s*)?(?P<when>(?:" + _MONTH + r"\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?)"
    r"|(?:(?P<day2>\d{1,2})\s+" + _MONTH.replace("<month>", "<month2>") + r"(?:,?\s+(?P<year2>\d{4}))?))"
    r"\s*(?:\((?P<agency>[^)]{2,40})\))?\s*[-–—]\s")
ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
# A full date anywhere in a short line: "Thursday, November 29, 2018 10:45 GMT", "29 Nov. 2018", "2018-11-29".
FULL_DATE = re.compile(r"(?<!\w)(?:" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
                       r"|(?P<day2>\d{1,2})\s+" + _MONTH.replace("<month>", "<month2>") + r",?\s+(?P<year2>\d{4})"
                       r"|(?P<iso>\d{4}-\d{2}-\d{2}))(?!\w)")
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
    outlet_named: str = ""  # an outlet the text names that the archive does not know
    via: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class KnownOutlet:
    """How a text may name an outlet the archive has: its names (name, aliases) and web hosts."""

    names: tuple[str, ...]
    hosts: tuple[str, ...] = ()


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


def _full_date(text: str) -> tuple[str, str]:
    """(EDTF date, the words it was read from) of the first full date in `text`, or ("", "")."""
    found = FULL_DATE.search(text)
    if not found:
        return "", ""
    if found.group("iso"):
        return found.group("iso"), found.group("iso")
    month = MONTHS[(found.group("month") or found.group("month2")).lower()]
    return _edtf(found.group("year") or found.group("year2"), month, found.group("day") or found.group("day2")), \
        found.group(0)


def _plain(words: str) -> str:
    return " ".join(re.findall(r"\w+", words)).casefold()


def host(url: str) -> str:
    """'reuters.com' for https://www.reuters.com/world/…"""
    return re.sub(r"^www\.", "", urlsplit(url).hostname or "")


def _outlet(words: str, outlets: dict[str, KnownOutlet], within: bool = False) -> str:
    """The id of the outlet named (or abbreviated, 'TSR') by `words`, if the archive has it; `within`: named
    anywhere in them ('Support The Moscow Times!')."""
    wanted = _plain(words)
    for id_, known in outlets.items():
        for name in known.names:
            plain = _plain(name)
            initials = "".join(w[0] for w in plain.split())
            if wanted and (wanted in (plain, initials, id_.replace("-", " "), initials.removeprefix("t"))
                           or within and len(plain) > 4 and f" {plain} " in f" {wanted} "):
                return id_
    return ""


def _outlet_at(url: str, outlets: dict[str, KnownOutlet]) -> str:
    """The id of the outlet whose web host serves `url` (or one of its subdomains)."""
    at = host(url)
    return next((id_ for id_, known in outlets.items()
                 if at and any(at == h or at.endswith("." + h) for h in known.hosts)), "")


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


def _labelled(header: Header, label: str, value: str, line: str, outlets: dict[str, KnownOutlet]) -> bool:
    """Fill the field a labelled header line gives ("outlet: Reuters"); whether the line was one."""
    if URL.match(value) and label in ("url", "outlet"):  # "Source: https://…" is the address
        header.url = header.url or value
    elif label == "title":
        header.title = header.title or value
    elif label == "outlet":
        found = _outlet(value, outlets)
        header.outlet = header.outlet or found
        header.outlet_named = header.outlet_named or ("" if found else value)
    elif label == "byline":
        header.byline = header.byline or re.sub(r"^by\s+", "", value, flags=re.IGNORECASE)
    elif label == "date" and not header.date:
        header.date, words = _full_date(value)
        header.date_note = (f"Read from the line '{line}'." if words else
                            f"The line '{line}' gives no date: write the date if you know it, and say here how "
                            "you know it; if the page shows none, remove `published` and say so in published_note.")
    return label in ("title", "outlet", "byline", "date") or bool(URL.match(value))


def read_header(text: str, outlets: dict[str, KnownOutlet]) -> Header:
    """Split a pasted source into header fields and body. `outlets` maps outlet ids to how they are named."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if not RULE.match(line)]
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
        label = LABELLED.match(stripped)
        named = LABELS.get(re.sub(r"[\s-]+", "_", label.group("label").strip().lower())) if label else None
        if label and named and _labelled(header, named, label.group("value").strip(), stripped, outlets):
            continue
        if URL.match(stripped) and not header.url:
            header.url = stripped
        elif (by := BYLINE.match(stripped)) and not header.byline:
            header.byline = by.group("who").strip()
        elif (published := PUBLISHED.match(stripped)) and not header.date and _date(published.group("when"))[1]:
            header.date = _date(published.group("when"))[0]
            header.date_note = f"Read from the line '{stripped}'."
        elif not header.date and len(stripped.split()) <= 8 and _full_date(stripped)[1]:
            header.date = _full_date(stripped)[0]
            header.date_note = f"Read from the line '{stripped}'."
        elif not header.outlet and (outlet := _outlet(bare, outlets, within=len(bare.split()) <= 6)):
            header.outlet = outlet
        elif not header.title and _looks_like_title(stripped):
            header.title = stripped
        else:
            kept.append(line)
    header.body = paragraphs_apart(kept)
    _read_dateline(header, outlets)
    if header.url and not header.outlet:
        header.outlet = _outlet_at(header.url, outlets)
    return header


def _read_dateline(header: Header, outlets: dict[str, KnownOutlet]) -> None:
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
