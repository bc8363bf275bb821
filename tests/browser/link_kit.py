"""Every href and src in a built site, resolved the way a browser resolves it from disk.

Pure Python (stdlib html.parser): no browser, no network. External links are collected,
never fetched.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that load or link to another resource (xlink:href: links inside inline SVG).
URL_ATTRS = {"href", "src", "xlink:href", "poster", "data", "action"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
# Not links to anything that could be missing: inline data (data: URIs), and a bare "#"
# (it scrolls to the top of the same page).
NOT_LINKS = ("data:",)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in URL_ATTRS:
                self.urls.append((tag, name, value.strip()))
            elif name == "srcset":
                self.urls += [(tag, name, part.split()[0]) for part in value.split(",") if part.strip()]


@dataclass
class Report:
    pages: int = 0
    internal: int = 0
    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)  # url -> pages that link it
    skipped: int = 0


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def check_site(site: Path) -> Report:
    report = Report()
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {rel: parse(path) for rel, path in pages.items()}
    report.pages = len(parsed)

    for rel, page in parsed.items():
        for tag, attr, url in page.urls:
            where = f"{rel}: <{tag} {attr}={url!r}>"
            if url in ("", "#") or url.startswith(NOT_LINKS):
                report.skipped += 1
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if parts.scheme in EXTERNAL_SCHEMES:
                    report.external.setdefault(url, set()).add(rel)
                else:
                    report.broken.append(f"{where}: unexpected scheme")
                continue
            report.internal += 1
            path = unquote(parts.path)
            if not path:  # "#fragment" on the same page
                target = rel
            elif path.startswith("/"):  # root-relative (404.html): the site root
                target = posixpath.normpath(path.lstrip("/"))
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            if target.startswith(".."):
                report.broken.append(f"{where}: leaves the site")
                continue
            file = site / target
            if file.is_dir():
                file, target = file / "index.html", posixpath.join(target, "index.html")
            if not file.is_file():
                report.broken.append(f"{where}: no file {target}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in parsed and fragment not in parsed[target].ids:
                report.broken.append(f"{where}: no id {fragment!r} in {target}")
    return report
