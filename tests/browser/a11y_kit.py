"""What a keyboard user and a screen reader meet on a page, measured in the page: the Tab
order, whether the focused element shows and is not under the sticky header (WCAG 2.4.7,
2.4.11), target sizes (2.5.8), sideways scrolling (1.4.10) and the contrast of SVG text (1.4.3):
the WCAG 2.2 AA checks axe-core does not make."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

# The focused element as a reader sees it. A visually hidden input (Material's palette switch)
# shows its focus on its label, so its label is measured instead. "Obscured": what is drawn at
# the centre of the box belongs to a fixed or sticky layer (the header) the element is not in.
_FOCUSED = """async () => {
  // A frame for what moved with the focus (Material's fades), and more while a footnote tooltip
  // the focus left, with copies of the note's links, is on its way out of the page.
  const frame = () => new Promise(done => requestAnimationFrame(done));
  await frame();
  for (let n = 0; n < 30 && document.querySelector(".md-tooltip2:not(.md-tooltip2--active) a[href]"); n++) await frame();
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  // Ids kept in the page, not in attributes, which Material's footnote tooltips would copy.
  const ids = window.__a11yIds || (window.__a11yIds = new Map());
  if (!ids.has(e)) ids.set(e, String(ids.size));
  const last = window.__a11yLast;
  window.__a11yLast = e;
  const position = !last || !last.isConnected ? null : last === e ? "same"
    : last.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING ? "after" : "before";
  let shown = e, box = e.getClientRects()[0];
  if (!box || box.width < 1 || box.height < 1) {  // Material's palette input shows focus on the label after it
    const labels = [e.nextElementSibling, ...(e.labels || [])].filter(l => l && l.tagName === "LABEL");
    shown = labels.find(l => l.getClientRects().length && l.getClientRects()[0].width >= 1) || e;
    box = shown.getClientRects()[0];
  }
  const style = getComputedStyle(shown);
  const transparent = c => /^rgba\\(.*,\\s*0\\)$/.test(c) || c === "transparent";
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent(style.outlineColor);
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(/\\s+/).join(".") : "")
    + (el.getAttribute("href") ? `[href="${el.getAttribute("href")}"]` : "")
    + ` "${(el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40)}"`;
  function covering() {
    if (!box || !box.width || !box.height) return null;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (!hit) return "outside the window";
    for (let el = hit; el && el !== document.documentElement; el = el.parentElement) {
      if (shown.contains(el) || el.contains(shown)) continue;
      if (/^(fixed|sticky)$/.test(getComputedStyle(el).position)) return describe(el);
    }
    return null;
  }
  const cover = covering();
  return {
    what: describe(e),
    id: ids.get(e),
    position: position,
    indicator: outline || style.boxShadow !== "none",
    box: !!box && box.width >= 1 && box.height >= 1,
    cover: cover,
    header: !!e.closest("header"),
  };
}"""

# Links and controls of the page's own content no Tab reached: hidden ones (display: none, a
# closed <details>) are not there to reach, nor Material's "Back to top", which comes and goes
# as the page scrolls up or down.
_UNREACHED = """() => Array.from(document.querySelectorAll(
    "main a[href], main button, main input, main select, main textarea, main summary, main [tabindex]"))
  .filter(e => !e.matches("[data-md-component=top]") && !(window.__a11yIds && window.__a11yIds.has(e)) && e.getClientRects().length
          && e.checkVisibility({visibilityProperty: true, opacityProperty: true}) && e.tabIndex >= 0 && !e.disabled
          && !(e.closest("details:not([open])") && !e.matches("details > summary")))
  .map(e => e.outerHTML.slice(0, 120))"""


@dataclass
class Stop:
    what: str
    id: str  # the same element has the same id in every walk of the page
    position: str | None  # "after" or "before" the stop before it in the document, or "same"
    indicator: bool
    box: bool
    cover: str | None
    header: bool


def focused(page: Page) -> Stop | None:
    """The element that has the focus now, as measured by _FOCUSED; None on the page itself."""
    info = page.evaluate(_FOCUSED)
    return Stop(**info) if info else None


def tab_walk(page: Page, key: str = "Tab", limit: int = 600) -> list[Stop]:
    """Every stop of the focus, pressing `key` from where it is, until it leaves the page or
    comes back round to the first stop; fails if it never does (a keyboard trap)."""
    start = focused(page)
    stops: list[Stop] = []
    for _ in range(limit):
        page.keyboard.press(key)
        stop = focused(page)
        if stop is None or stop.id in {s.id for s in [start, *stops[:1]] if s}:
            return stops
        stops.append(stop)
    raise AssertionError(f"{key} never left the page after {limit} stops (a trap?): last {stops[-3:]}")


def focus_on(page: Page, stop: Stop) -> None:
    """Put the focus back on a stop of an earlier walk."""
    page.evaluate("id => Array.from(window.__a11yIds).find(([, i]) => i === id)[0].focus()", stop.id)


def unreached(page: Page) -> list[str]:
    """Links and controls in the page's main content that no stop of a walk reached."""
    return page.evaluate(_UNREACHED)


def positive_tabindex(page: Page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll("[tabindex]"))
      .filter(e => e.tabIndex > 0).map(e => e.outerHTML.slice(0, 120))""")


# WCAG 2.5.8 Target Size (Minimum), its exceptions as "Understanding 2.5.8" words them:
# spacing (a 24 px circle on each undersized target meets no other target nor another's circle)
# and inline (a target in a sentence: its block holds text that is no target's).
_TARGETS = """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";
  const targets = [];
  for (const e of document.querySelectorAll(selector)) {
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    let el = e, rect = e.getBoundingClientRect();
    if ((rect.width < 1 || rect.height < 1) && e.labels && e.labels.length) { el = e.labels[0]; rect = el.getBoundingClientRect(); }
    if (rect.width < 1 || rect.height < 1) continue;
    if (el.closest("[data-md-component=search] .md-search__output, .md-search__output")) continue;  // closed, off screen
    targets.push({el, rect: {x: rect.left + scrollX, y: rect.top + scrollY, w: rect.width, h: rect.height}});
  }
  const isTarget = new Set(targets.map(t => t.el));
  function inline(el) {
    if (!getComputedStyle(el).display.startsWith("inline")) return false;  // inline-level: in a line of text
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!/[\\p{L}\\p{N}]/u.test(n.data)) continue;
      let owner = n.parentElement, inTarget = false;
      for (; owner && owner !== block; owner = owner.parentElement) if (isTarget.has(owner)) { inTarget = true; break; }
      if (!inTarget) return true;
    }
    return false;
  }
  const small = t => t.rect.w < 24 - 0.01 || t.rect.h < 24 - 0.01;
  const centre = t => [t.rect.x + t.rect.w / 2, t.rect.y + t.rect.h / 2];
  const circleMeetsRect = (c, r) => {
    const dx = Math.max(r.x - c[0], 0, c[0] - (r.x + r.w)), dy = Math.max(r.y - c[1], 0, c[1] - (r.y + r.h));
    return dx * dx + dy * dy < 12 * 12 - 0.01;
  };
  const failing = [];
  for (const t of targets) {
    if (!small(t) || inline(t.el)) continue;
    const c = centre(t);
    const clash = targets.find(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && (
      circleMeetsRect(c, o.rect) ||
      (small(o) && !inline(o.el) && Math.hypot(c[0] - centre(o)[0], c[1] - centre(o)[1]) < 24 - 0.01)));
    if (clash) failing.push(`${t.el.outerHTML.slice(0, 100)} (${t.rect.w.toFixed(1)}×${t.rect.h.toFixed(1)} px) is too close to ${clash.el.outerHTML.slice(0, 80)}`);
  }
  return failing;
}"""


def small_targets(page: Page) -> list[str]:
    """Controls and links under 24×24 CSS px that neither the spacing nor the inline exception
    of WCAG 2.5.8 lets off: each with what it crowds."""
    return page.evaluate(_TARGETS)


def sideways_overflow(page: Page) -> int:
    """How many pixels the page scrolls sideways (WCAG 1.4.10 reflow: none at 320 px)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


# WCAG's relative luminance and contrast ratio. SVG text is measured against the page's
# background where it is drawn (its nearest ancestor with an opaque background). A halo
# (paint-order: stroke) in the background's colour does not change the ratio.
_SVG_TEXT_CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] === 1)) return c;
    }
    return [255, 255, 255];
  };
  const blend = (fg, bg) => fg.length === 4 ? [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])) : fg;
  return Array.from(document.querySelectorAll("svg text")).filter(t => t.textContent.trim() && t.checkVisibility()).map(t => {
    const style = getComputedStyle(t), bg = background(t.parentElement);
    const fill = blend(rgb(style.fill), bg), opacity = parseFloat(style.opacity);
    const fg = opacity < 1 ? fill.map((v, i) => v * opacity + bg[i] * (1 - opacity)) : fill;
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    return {text: t.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05),
            large: size >= 24 || (bold && size >= 18.66), fill: style.fill};
  });
}"""


def svg_text_contrast(page: Page) -> list[dict]:
    """Each visible SVG text: its words, contrast ratio against the background, whether it is large."""
    return page.evaluate(_SVG_TEXT_CONTRAST)


# ARIA snapshot lines: "- link "Name":", "- img", "- heading "Title" [level=1]".
_NODE = re.compile(r'^(?P<indent>\s*)- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?P<rest>.*)$')


@dataclass
class Node:
    role: str
    name: str
    rest: str
    parents: list["Node"]


def aria_nodes(snapshot: str) -> list[Node]:
    """The nodes of an ARIA snapshot, each with its chain of parents (outermost first)."""
    nodes: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for line in snapshot.splitlines():
        # YAML quotes a line holding ": " in single quotes: - 'heading "Letters: 2018" [level=1]'
        quoted = re.match(r"^(\s*- )'(.*)'(:?)$", line)
        if quoted:
            line = quoted[1] + quoted[2].replace("''", "'") + quoted[3]
        m = _NODE.match(line)
        if not m:
            continue
        depth = len(m["indent"])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        node = Node(m["role"], m["name"] or "", m["rest"], [n for _, n in stack])
        nodes.append(node)
        stack.append((depth, node))
    return nodes
