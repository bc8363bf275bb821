"""Render: each page's view as Markdown, one Jinja template per page kind.

Views come worked out from the derive stage: templates only lay them out, with
filters that format (escape text, make a link relative to the page) and look
nothing up. StrictUndefined turns a missing value into an error. The one Jinja
environment here also renders the feed (feed.py) and the redirects (redirects.py).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, Template, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context

from ..model import addresses
from ..version import fingerprint
from ..derive.derive import date_label
from ..derive.views import Ref, Views

TEMPLATES = Path(__file__).parent / "templates"


# Everything Python-Markdown and our extensions read inline: code, emphasis, links and images,
# footnotes, quotes, headings, table cells, attr_list's {: …}, link text's parentheses.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!>#|{}])")
# What starts a block at the start of a line: a list, a setext underline, a definition. Entities
# where Markdown has no backslash escape.
_MD_LINE_START = re.compile(r"^(?:([-+])|(\d+)\.|(=)|(:))")
_LINE_START_ESCAPES = {"=": "&#61;", ":": "&#58;"}
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _one_line(text: str) -> str:
    """Line breaks as spaces: every place a field goes (a heading, a table cell, a list item) is one line."""
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", str(text)).strip()


def xml_text(text: str) -> str:
    """Text as XML 1.0 can carry it, on one line; escaping is the template's (autoescape)."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def md_escape(text: str) -> str:
    """Escape front-matter text so Markdown shows it literally, never as markup.

    `<` and `&` become entities: Python-Markdown has no backslash escape for `<`, and an `&`
    written in a field is shown as typed (`&lt;` stays `&lt;` on the page).
    """
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\." if m[2]
                              else _LINE_START_ESCAPES[m[0]], text)


def md_code(text: str) -> str:
    """Text as an inline code span, whatever backticks it holds."""
    text = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def front_matter_value(text: str) -> str:
    """A value for a generated page's front matter (its title).

    MkDocs keeps it as given and Material writes it into <title>, the header and the
    search index as HTML, unescaped: so it is HTML-escaped here, and shown right there.
    A JSON string is a YAML string.
    """
    return json.dumps(html.escape(_one_line(text)), ensure_ascii=False)


@pass_context
def href(ctx: Context, path: str) -> str:
    """A link from the page being rendered to the page at a docs path."""
    return addresses.relative(path, ctx["page"])


@pass_context
def link(ctx: Context, target: Ref, text: str | None = None) -> str:
    return f"[{md_escape(text or target.title)}]({addresses.relative(target.path, ctx['page'])})"


def _autoescaped(name: str | None) -> bool:
    """HTML and XML (a redirect, the feed) are escaped by Jinja; Markdown pages by md_escape."""
    return name is not None and name.endswith((".html.j2", ".xml.j2"))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=_autoescaped,
    )
    env.filters.update(link=link, href=href, md=md_escape, date=date_label, code=md_code, yaml=front_matter_value,
                       clean=xml_text)
    return env


_ENV = _environment()


def keep_compiled(cache: Path) -> None:
    """Keep the builder's compiled templates under `cache` for the next process (see compiled):
    compiling them was most of the render stage after an edit."""
    kept = compiled(cache)
    if kept is not None:
        _ENV.bytecode_cache = kept


def compiled(cache: Path) -> FileSystemBytecodeCache | None:
    """Where a Jinja environment (ours, or the theme's for MkDocs) keeps its compiled templates for the
    next process of the same builder: its fingerprint names their folder, and Jinja checks each
    template's source too. None without a folder it can write: templates are compiled as before."""
    own = cache / "templates" / fingerprint()[:16]
    try:
        own.mkdir(parents=True, exist_ok=True)
        for other in own.parent.iterdir():
            if other != own:  # another builder's
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None
    return _Compiled(str(own))


class _Compiled(FileSystemBytecodeCache):
    """A cache is a convenience: a template it cannot keep (a full disk) or read back (a damaged file)
    is compiled again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template(name: str) -> Template:
    """A template of builder/outputs/templates/, from the one environment every output renders through."""
    return _ENV.get_template(name)


def render(views: Views) -> dict[str, str]:
    """{docs path: Markdown} for every page, in the order derived."""
    return dict(rendered(views))


def rendered(views: Views) -> Iterator[tuple[str, str]]:
    """(docs path, Markdown) of each page in turn, in the order derived: a build writes each as it
    is made, never holding every page's text."""
    for path, view in views.pages.items():
        text = _ENV.get_template(view.template).render(page=path, view=view)
        if view.record_history:  # a record's page, where git knows its file: the same lines on every kind
            text += _ENV.get_template("_history.md.j2").render(page=path, view=view)
        yield path, re.sub(r"\n{3,}", "\n\n", text)  # templates' blank lines, tidied
