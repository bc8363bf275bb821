"""Nothing a contributor writes may run in a reader's browser or load anything from elsewhere.

A body is rendered with Python-Markdown exactly as MkDocs will render it, then parsed as a
browser parses it: by html5ever (the HTML5 parser behind `nh3`), never by a lenient parser that
reads `<!-->` or `<![CDATA[` differently from Chromium. Two judgements must agree:

- Ammonia's allowlist cleaning must change nothing: the body cleaned with our allowlist equals
  the body merely re-serialised by the same parser (every tag, attribute and scheme kept), so
  anything outside the allowlist shows as a difference.
- A walk over that re-serialised, unambiguous HTML says what and where: elements, attributes,
  link schemes, comments (also CDATA and processing instructions, which a browser reads as
  comments; only `<!-- links: off -->`/`on` passes), images from another site, ids and classes
  the theme's scripts use, and markup in the text that Material's tooltips write as HTML
  (titles, abbreviations, headings).

We reject rather than silently clean: an archive must not quietly alter a source's text, and
the contributor needs to know.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown.extensions.toc import slugify

from ..model.text import rendered

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "id", "cite", "colspan", "rowspan", "lang", "class"}
URL_ATTRIBUTES = {"href", "src", "cite"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")

# `<!-- links: off -->` … `<!-- links: on -->`: the one comment a body may hold (link/mentions.py reads it).
LINK_SWITCH = re.compile(r"<!--\s*links:\s*(on|off)\s*-->")

# Ids the theme and our scripts look up (__config, __search, __drawer, __nav_1, __tooltip2_0…):
# every one Material's templates, its bundle and overrides/ define starts with "__".
RESERVED_ID_PREFIX = "__"
# Classes Material's scripts act on: pre.mermaid loads a script from unpkg.com, .md-ellipsis
# copies its text into a tooltip that reads it as HTML, .annotate moves list items around.
_THEME_CLASSES = re.compile(r"^(md-.*|mermaid|annotate)$")
# What an HTML parser takes for a tag, comment or declaration: '<' before a letter, '/', '!' or '?'
# ("a < b" and "<3" stay text). Refused in front matter (validate.py), and in the text Material's
# tooltips set as innerHTML. Entities ("&lt;img&gt;") are allowed where pages show them as typed.
MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,40}>?")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

_RUNS_CODE = ("Remove it: the archive keeps text, links and images only, never code that runs in a "
              "reader's browser")
_REMOTE_HINT = ("Link to it instead, e.g. [the photo](https://…): pages load nothing from another "
                "site, so they work offline and tell nobody who reads them. The archive publishes no "
                "images of its own yet")
_ID_HINT = "Choose another id: ids starting with '__' belong to the site's theme and scripts"
_TOOLTIP_HINT = ("Write it as plain text without '<' before a letter: the site's tooltips show "
                 "titles, abbreviations and headings as HTML")

# Ammonia keeps only the tags it is told to: the re-serialising pass must name every tag the
# text could open. html5ever lower-cases tag names, except SVG's camel-cased ones.
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_SVG_NAMES = {
    "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform",
    "clipPath", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence", "foreignObject", "glyphRef", "linearGradient", "radialGradient", "textPath",
}
# ...and drops a URL attribute whose scheme it is not told: name every scheme the text could hold.
# A value's scheme starts after '=', a quote or a space, so whole runs suffice (and keep it linear).
_SCHEME = re.compile(r"(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*):")


@dataclass(frozen=True)
class Unsafe:
    what: str  # e.g. "<script> element", "'onerror' event-handler attribute", "comment"
    needle: str  # text to look for in the source to find the line
    hint: str = _RUNS_CODE


def _compact(text: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
    return "".join(ch for ch in text if ch.isprintable() and not ch.isspace()).lower()


def _scheme(value: str) -> str | None:
    """The scheme a browser reads in a URL ('javascript'), or None for a relative one."""
    compact = _compact(value)
    head = re.split(r"[/?#]", compact, maxsplit=1)[0]
    return head.split(":", 1)[0] if ":" in head else None


def _safe_url(value: str) -> bool:
    scheme = _scheme(value)
    return scheme is None or f"{scheme}:" in SAFE_SCHEMES


def _remote(value: str) -> bool:
    """Does loading this address reach another machine? ('https://…', '//host/…', '\\\\host')"""
    compact = _compact(value).replace("\\", "/")
    return _scheme(value) is not None or compact.startswith("//")


def _excerpt(text: str) -> str:
    found = MARKUP.search(text)
    return found.group(0) if found else text[:40]


class _Inspector(HTMLParser):
    """Walks html5ever's serialisation of a body, which has one reading: quoted attributes,
    escaped text, comments that end at '-->'."""

    def __init__(self, abbreviation_titles: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []
        self.abbreviation_titles = abbreviation_titles  # judged at their definition
        self.heading: list[str] | None = None  # text of the heading being read
        self.heading_id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(Unsafe(f"<{tag}> element", f"<{tag}"))
            return
        if tag in _HEADINGS:
            self.heading = []
            self.heading_id = dict(attrs).get("id")
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.found.append(Unsafe(f"'{name}' event-handler attribute", name))
        elif name == "style":
            self.found.append(Unsafe("'style' attribute", "style"))
        elif name not in ALLOWED_ATTRIBUTES:
            self.found.append(Unsafe(f"'{name}' attribute", name))
        elif name in URL_ATTRIBUTES and not _safe_url(value):
            self.found.append(Unsafe(f"'{_scheme(value)}:' URL in {name}", value))
        elif name == "src" and _remote(value):
            self.found.append(Unsafe(f"image from another site ({value!r})", value, _REMOTE_HINT))
        elif name == "id" and value.startswith(RESERVED_ID_PREFIX):
            self.found.append(Unsafe(f"id '{value}'", value, _ID_HINT))
        elif name == "class":
            for word in value.split():
                if _THEME_CLASSES.match(word):
                    self.found.append(Unsafe(f"class '{word}', which the theme's scripts act on,", word))
        elif name == "title" and MARKUP.search(value):
            if not (tag == "abbr" and value in self.abbreviation_titles):
                self.found.append(Unsafe(f"markup in a title ({_excerpt(value)!r})", value, _TOOLTIP_HINT))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS and self.heading is not None:
            text = "".join(self.heading)
            if MARKUP.search(text):  # the table of contents shows a long heading in a tooltip
                self.found.append(Unsafe(f"markup in a heading ({_excerpt(text)!r})", text, _TOOLTIP_HINT))
            made = self.heading_id and re.sub(r"_\d+$", "", self.heading_id) == slugify(text, "-")
            if made and self.found and self.found[-1].what == f"id '{self.heading_id}'":
                # toc made the id from the heading's words ('## \\_\\_config'): those are on its line.
                self.found[-1] = Unsafe(self.found[-1].what, text, _ID_HINT)
            self.heading = None

    def handle_comment(self, data: str) -> None:
        # html5ever reads CDATA sections, processing instructions and '<!x>' in HTML as comments.
        if LINK_SWITCH.fullmatch(f"<!--{data}-->"):
            return  # `<!-- links: off -->`, the one comment the archive reads (builder/link/mentions.py)
        if data.startswith("[CDATA["):
            self.found.append(Unsafe("CDATA section", "<![CDATA["))
        elif data.startswith("?"):
            self.found.append(Unsafe("processing instruction", "<?"))
        elif data.lstrip().lower().startswith(("[if", "[endif")):
            self.found.append(Unsafe("conditional comment", "<!--"))
        else:
            self.found.append(Unsafe("comment", "<!"))


def _normalise(body_html: str) -> str:
    """The body as html5ever parses it, re-serialised with everything kept."""
    tags = {name.lower().replace("\0", "\ufffd") for name in _TAG_NAME.findall(body_html)}
    decoded = re.sub(r"[\t\n\r]", "", html.unescape(body_html)).lower()
    schemes = set(_SCHEME.findall(decoded)) | set(_SCHEME.findall(body_html.lower())) | {"http", "https", "mailto"}
    return nh3.clean(body_html, tags=ALLOWED_TAGS | _SVG_NAMES | tags | {"svg", "math"},
                     clean_content_tags=set(), attributes={}, generic_attribute_prefixes={""},
                     strip_comments=False, link_rel=None, url_schemes=schemes)


def _allowlisted(body_html: str) -> str:
    # Comments are kept: the walk refuses each but the links switch.
    return nh3.clean(body_html, tags=ALLOWED_TAGS, clean_content_tags=set(),
                     attributes={"*": ALLOWED_ATTRIBUTES}, strip_comments=False, link_rel=None,
                     url_schemes={scheme.rstrip(":") for scheme in SAFE_SCHEMES})


def unsafe_html(body: str) -> list[Unsafe]:
    """Everything in a Markdown body that could run code, load from elsewhere, or reach the
    theme's scripts in a browser; in order, each once."""
    page = rendered(body)
    body_html, abbreviations = page.html, page.abbreviations
    found = [Unsafe(f"markup in the abbreviation '{term}' ({_excerpt(title)!r})", f"*[{term}]", _TOOLTIP_HINT)
             for term, title in abbreviations.items() if MARKUP.search(title)]
    normalised = _normalise(body_html)
    inspector = _Inspector(set(abbreviations.values()))
    inspector.feed(normalised)
    inspector.close()
    found += inspector.found
    allowlisted = _allowlisted(body_html)
    if not found and allowlisted != normalised:
        # Ammonia's allowlist removed something the walk did not name: refuse it all the same.
        at = next(i for i, (a, b) in enumerate(zip(allowlisted + "\0", normalised + "\0")) if a != b)
        found.append(Unsafe(f"markup a browser reads differently ({normalised[at:at + 40]!r})",
                            normalised[at:at + 20]))
    return list(dict.fromkeys(found))


def line_in_body(body: str, needle: str) -> int:
    """The 1-based line of the body where `needle` first appears, or 1. A needle decoded
    from HTML ('<img', 'javascript:') is also found where the source escapes it ('&lt;img',
    '\\_\\_config')."""
    wanted = _compact(needle)
    for number, line in enumerate(body.splitlines(), start=1):
        spellings = (line, html.unescape(line), re.sub(r"\\(.)", r"\1", line))  # as written, decoded, unescaped
        if any(wanted in _compact(spelling) for spelling in spellings):
            return number
    return 1
