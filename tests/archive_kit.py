"""Tiny archives written from inline file dicts, for testing each stage."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A minimal, valid archive: two leaders, an envoy, a letter and its reply, a summit.
MINI = {
    "people/alpha.md": """
        ---
        name: Anna Alpha
        aliases: [Mrs Alpha]
        role: leader
        country: Alphaland
        offices:
          - {title: President of Alphaland, start: "2010", curator: "public record"}
        ---
        """,
    "people/beta.md": """
        ---
        name: Boris Beta
        role: leader
        offices:
          - {title: President of Betaland, start: "2012-05-07", curator: "public record"}
        ---
        """,
    "people/gamma.md": """
        ---
        name: Gala Gamma
        role: official
        ---
        """,
    "outlets/daily.md": """
        ---
        name: The Daily
        form: newspaper
        ---
        """,
    "topics/trade.md": """
        ---
        name: Trade
        ---
        """,
    "places/lakeside.md": """
        ---
        name: Lakeside
        country: Alphaland
        ---
        """,
    "summits/2013-06-meet.md": """
        ---
        title: The June meeting
        place: lakeside
        date: {date: "2013-06-17/2013-06-18", curator: "the hosts' programme"}
        status: held
        attendees: [alpha, beta]
        curator: {place: "the hosts' programme", status: "the hosts' programme", attendees: "the hosts' programme"}
        ---
        """,
    "letters/2013-04-alpha-to-beta.md": """
        ---
        title: Alpha writes to Beta
        sender: alpha
        recipients: [beta]
        dates:
          delivered: {date: "2013-04-15", curator: "Alphaland's foreign ministry"}
        carriers: [gamma]
        topics: [trade]
        text_status: reported
        curator: {topics: "Alphaland's foreign ministry", text_status: "Alphaland's foreign ministry"}
        ---
        """,
    "letters/2013-05-beta-to-alpha.md": """
        ---
        title: Beta answers Alpha
        sender: beta
        recipients: [alpha]
        dates:
          delivered:
            date: "2013-05-22"
            note: "'On Wednesday' in an article of Saturday 25 May 2013."
            sources:
              - article: 2013-05-25-daily-reply
                quote: handed over a reply on Wednesday
        replies_to: 2013-04-alpha-to-beta
        summits: [2013-06-meet]
        text_status: reported
        curator: {summits: "Betaland's statement", text_status: "Betaland's statement"}
        ---
        """,
    "articles/2013-05-25-daily-reply.md": """
        ---
        title: Beta replies to Alpha
        outlet: daily
        published: {date: "2013-05-25", note: "the dateline"}
        people: [alpha, beta, gamma]
        letters: [2013-05-beta-to-alpha, 2013-04-alpha-to-beta]
        summits: [2013-06-meet]
        retrieved: "2013-05-26"
        ---
        Gala Gamma handed over a reply on Wednesday from Boris Beta to Anna Alpha.

        Gala Gamma had handed over a letter from Anna Alpha to Boris Beta on April 15.
        """,
}


def make_project(tmp: Path, files: dict[str, str] | None = None, base: dict[str, str] | None = MINI) -> Path:
    """A project folder with our mkdocs.yml and overrides, and the given content files.

    `files` add to or replace `base`; a value of None removes that file.
    """
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp / "overrides", dirs_exist_ok=True)
    merged = {**(base or {}), **(files or {})}
    for rel, text in merged.items():
        if text is None:
            continue
        path = tmp / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (tmp / "content").mkdir(exist_ok=True)
    return tmp


def markdown_pages(root: Path) -> dict[str, str]:
    """Every file a clean build writes into build/docs (pages, search index, downloads), without MkDocs."""
    from builder.validate.cache import RecordCache
    from builder.derive.history import project_history
    from builder.pipeline import Project, regenerate

    project = Project(root)
    regenerate(project, project.docs, None, RecordCache(), project_history(root))
    return {p.relative_to(project.docs).as_posix(): p.read_text(encoding="utf-8")
            for p in project.docs.rglob("*") if p.is_file()}
