"""Citations: how a researcher cites a record's page, in the forms their tools take.

A page's permalink (mkdocs.yml's `site_url` and the page's address, or the
address in the archive alone when no site_url is set: no domain is invented),
the citation in Chicago style (notes and bibliography), BibTeX and CSL-JSON
(what Zotero imports). The date is when the record was last revised, from the
repository's history (builder/derive/history.py), never the clock: the same commit
cites the same way. Without a history (content outside git) the citation has
no date, and a reader adds the day they consulted it, as Chicago asks.

Each form is escaped for itself here; the template shows the Chicago text
through `md_escape` and the others as code, which Markdown shows literally.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from ..model import dates
from .views import Citation, Page
from ..link.graph import name_of
from .history import History
from .linked_data import SITE_NAME, permalink
from ..model.schema import Record

# The view's field holding the record a page is about, for each kind of record page.
RECORD_FIELDS = ("letter", "summit", "person", "batch", "topic", "article", "outlet", "place")


def record_of(view: Page) -> Record | None:
    """The record a page is about; None for an index or a pair's page."""
    for name in RECORD_FIELDS:
        found = getattr(view, name, None)
        if isinstance(found, Record):
            return found
    return None


def revised(view: Page) -> dt.date | None:
    """When the page's record was last revised, from its file's latest commit."""
    history = getattr(view, "record_history", None)
    return dt.date.fromisoformat(history.revised.day) if isinstance(history, History) else None


def citation(view: Page, site_url: str | None = None) -> Citation:
    record = record_of(view)
    title = name_of(record) if record is not None else str(getattr(view, "title", SITE_NAME))
    title = " ".join(title.split())
    address = permalink(view.path, site_url)
    modified = revised(view)
    key = "leadersletters-" + view.path.removesuffix(".md").replace("/", "-")
    return Citation(title, address, modified, chicago(title, address, modified),
                    bibtex(key, title, address, modified), csl_json(key, title, address, modified))


def chicago(title: str, url: str, modified: dt.date | None) -> str:
    """Chicago notes-bibliography, a web page: “Title.” Site. Last modified Month D, YYYY. URL."""
    # The title's own closing mark stands for the period (“Why?” not “Why?.”).
    quoted = f"“{title}”" if title.endswith(("?", "!", ".")) else f"“{title}.”"
    when = f" Last modified {dates.MONTHS[modified.month - 1]} {modified.day}, {modified.year}." if modified else ""
    return f"{quoted} {SITE_NAME}.{when} {url}."


# LaTeX's specials in BibTeX text: each shown as itself, braces balanced whatever the field holds.
_BIBTEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
           "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bibtex_text(text: str) -> str:
    return "".join(_BIBTEX.get(char, char) for char in " ".join(text.split()))


def bibtex_url(url: str) -> str:
    """An address for \\url{}: characters it cannot take verbatim are percent-encoded."""
    return quote(url, safe=":/?=&-._~!$'()*+,;@[]")


def bibtex(key: str, title: str, url: str, modified: dt.date | None) -> str:
    fields = [("title", "{" + bibtex_text(title) + "}"),  # double braces: keep the title's capitals
              ("howpublished", r"\url{" + bibtex_url(url) + "}"), ("url", bibtex_url(url))]
    note = bibtex_text(SITE_NAME)
    if modified:
        note += f", last modified {modified.isoformat()}"
        fields += [("year", str(modified.year)), ("month", str(modified.month))]
    fields.append(("note", note))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def csl_json(key: str, title: str, url: str, modified: dt.date | None) -> str:
    """One CSL-JSON item, in the list Zotero and citeproc read."""
    item: dict[str, Any] = {"id": key, "type": "webpage", "title": title, "container-title": SITE_NAME,
                            "URL": url}
    if modified:
        item["issued"] = {"date-parts": [[modified.year, modified.month, modified.day]]}
    return json.dumps([item], ensure_ascii=False, indent=2)
