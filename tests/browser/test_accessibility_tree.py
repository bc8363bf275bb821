"""What a screen reader is given, on one page of every kind: the accessibility tree, as
Playwright's ARIA snapshot writes it. One h1; the banner, navigation, main and contentinfo
landmarks; every link and image named; every picture (an SVG drawing) named as a whole.

Each page's snapshot is kept in test-artifacts/aria/<kind>.yaml, to read as a screen reader would.
"""

from __future__ import annotations

import pytest

from a11y_kit import aria_nodes
from browser_kit import ARTIFACTS, open_page
from samples import KINDS, page_of_kind

pytestmark = pytest.mark.browser

LANDMARKS = ["banner", "navigation", "main", "contentinfo"]
# An unnamed image inside a named link or button is that control's icon: the control's name is read.
CONTROLS = {"link", "button", "radio", "checkbox"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_accessibility_tree(page, served_url, real_archive, kind):
    path = page_of_kind(real_archive, kind)
    open_page(page, served_url, path)
    snapshot = page.locator("body").aria_snapshot()
    folder = ARTIFACTS / "aria"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{kind.replace(' ', '-')}.yaml").write_text(f"# {path}\n{snapshot}\n", encoding="utf-8")

    nodes = aria_nodes(snapshot)
    h1 = [n.name for n in nodes if n.role == "heading" and "[level=1]" in n.rest]
    assert len(h1) == 1, f"{path}: {len(h1)} h1 headings: {h1}"
    roles = {n.role for n in nodes}
    assert not [r for r in LANDMARKS if r not in roles], f"{path}: landmarks missing"
    unnamed_links = [n for n in nodes if n.role == "link" and not n.name]
    assert not unnamed_links, f"{path}: {len(unnamed_links)} links without a name"
    unnamed_images = [" > ".join(f"{p.role} {p.name!r}" for p in n.parents[-2:]) for n in nodes
                      if n.role == "img" and not n.name and not any(p.role in CONTROLS and p.name for p in n.parents)]
    assert not unnamed_images, f"{path}: images without a name, in: {unnamed_images}"

    # Each drawing in the content is one named thing: an image with its text alternative, or a
    # named group of the links it draws.
    for picture in page.locator(".md-content svg:not([aria-hidden=true])").all():
        first = aria_nodes(picture.aria_snapshot())
        label = picture.evaluate("s => s.outerHTML.slice(0, 120)")
        assert first and first[0].role in {"img", "group", "figure"} and first[0].name.strip(), \
            f"{path}: a picture without a name or role: {label}"
