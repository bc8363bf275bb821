"""axe-core, vendored (tests/vendor/axe-core), run inside a page; and its results as a table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")


def axe_violations(page) -> list[dict]:
    """Every rule axe's default set (WCAG 2.x A/AA and best practices) finds broken on the page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(node["target"]) + " " + node["html"][:160] for node in violation["nodes"][:5])
    return f"{violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])}×) — {nodes}"


def axe_table(rows) -> list[str]:
    """Per page and scheme: how many elements break a rule, by impact, and which rules."""
    lines = [f"{'page':<58} {'scheme':<8} " + " ".join(f"{i:>8}" for i in IMPACTS) + "  rules"]
    totals = Counter()
    for _, path, scheme, violations in rows:
        counts = Counter()
        for v in violations:
            counts[v["impact"]] += len(v["nodes"])
        totals += counts
        rules = ", ".join(sorted(f"{v['id']}×{len(v['nodes'])}" for v in violations)) or "-"
        lines.append(f"{path:<58} {scheme:<8} " + " ".join(f"{counts[i]:>8}" for i in IMPACTS) + f"  {rules}")
    lines.append(f"{'total (' + str(len(rows)) + ' page views)':<67} " + " ".join(f"{totals[i]:>8}" for i in IMPACTS))
    return lines
