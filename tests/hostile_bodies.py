"""Hostile article bodies: each would run code, load from another site or take over the theme's
settings in Chromium, and `archive check` must refuse each with its line. Beside them, near
misses that only look like markup (escaped text, code, plain titles, links) and must pass.

A case fires its canary when it works: alert(N) or window.__pwned = N, or a request to
canary.invalid (a name that can never resolve), on page load, on hover or on focus.
"""

from __future__ import annotations

from dataclasses import dataclass

CANARY_HOST = "canary.invalid"
# Wider than any column, so Material's ellipsis shortens it and copies its text into a tooltip.
LONG = "x" * 160


@dataclass(frozen=True)
class Case:
    name: str
    body: str  # {n} is the case's number, for its alert; quoted attributes would be taken
    # for quotations (the check wants those in an article), so values stand unquoted
    what: str  # the start of what `archive check` says was refused
    line: int = 0  # the body line (from 0) the refusal names


HOSTILE = [
    # Comments, CDATA and processing instructions end where a browser ends them, not a lenient parser.
    Case("comment-ended-by-gt", '<!--> <img src=x onerror="alert({n})"> -->', "comment"),
    Case("comment-ended-by-dash-gt", "<!---> <img src=x onerror=alert({n})> -->", "comment"),
    Case("comment-ended-by-bang", "<!-- --!> <img src=x onerror=alert({n})> -->", "comment"),
    Case("comment-uppercase", "<!-->\n<IMG SRC=x\tONERROR=alert({n})>\n-->", "comment"),
    Case("cdata", "<![CDATA[><img src=x onerror=alert({n})>]]>", "CDATA section"),
    Case("processing-instruction", "<?php ><img src=x onerror=alert({n})> ?>", "processing instruction"),
    Case("declaration", "<!x><img src=x onerror=alert({n})>", "'onerror' event-handler attribute"),
    # Elements that are not text, and the mutations a browser makes of them.
    Case("script", "<script>alert({n})</script>", "<script> element"),
    Case("svg-style", "<svg><style><img src=x onerror=alert({n})></style></svg>", "<svg> element"),
    Case("math", "<math><mtext><img src=x onerror=alert({n})></mtext></math>", "<math> element"),
    Case("noscript", "<noscript><p title=</noscript><img src=x onerror=alert({n})>",
         "<noscript> element"),
    Case("details", "<details open ontoggle=alert({n})>x</details>", "<details> element"),
    Case("input-autofocus", "<input autofocus onfocus=alert({n})>", "<input> element"),
    Case("iframe-srcdoc", '<iframe srcdoc="<script>parent.alert({n})</script>"></iframe>', "<iframe> element"),
    Case("custom-element", "<x-note tabindex=0 autofocus onfocus=alert({n})>note</x-note>", "<x-note> element"),
    Case("nested-mouseover", "<div><div><span onmouseover=alert({n})>hover</span></div></div>",
         "'onmouseover' event-handler attribute"),
    Case("attr-list", "A paragraph.\n{{: tabindex=0 autofocus onfocus='alert({n})' }}",
         "'onfocus' event-handler attribute", 1),
    # Tooltips write titles, abbreviations and shortened headings as HTML.
    Case("abbreviation", "The NSC met.\n\n*[NSC]: &lt;img src=x onerror=alert({n})&gt;",
         "markup in the abbreviation 'NSC'", 2),
    Case("abbreviation-raw", "The NSC met.\n\n*[NSC]: <img src=x onerror=alert({n})>",
         "markup in the abbreviation 'NSC'", 2),
    Case("title", "Hover this.\n{{: title=&lt;img&#32;src&#61;x&#32;onerror&#61;alert({n})&gt; }}", "markup in a title", 1),
    Case("heading", f"## &lt;img src=x onerror=alert({{n}})&gt;{LONG}", "markup in a heading"),
    Case("heading-code", f"## `<img src=x onerror=alert({{n}})>`{LONG}", "markup in a heading"),
    Case("theme-ellipsis", f'<pre class="md-ellipsis">&lt;img src=x onerror=alert({{n}})&gt;{LONG}</pre>',
         "class 'md-ellipsis'"),
    # Nothing loaded from another site.
    Case("markdown-image", f"![p](https://{CANARY_HOST}/{{n}}.png)", "image from another site"),
    Case("html-image", f"<img src=https://{CANARY_HOST}/{{n}}.png>", "image from another site"),
    Case("protocol-relative", f'<img src="//{CANARY_HOST}/{{n}}.png">', "image from another site"),
    Case("srcset", f"<img srcset=https://{CANARY_HOST}/{{n}}.png alt=p>", "'srcset' attribute"),
    Case("stylesheet", f"<link rel=stylesheet href=https://{CANARY_HOST}/{{n}}.css>", "<link> element"),
    Case("mermaid", '<pre class="mermaid">graph TD; A-->B</pre>', "class 'mermaid'"),
    # The theme's and the search's settings, read from the first #__config on the page.
    Case("reserved-id", f'<span id="__config">{{{{"base": "https://{CANARY_HOST}/{{n}}/"}}}}</span>',
         "id '__config'"),
]

# Refused too, though in Chromium they stay inert or only break the page: the check takes no
# comment, and no id or class of the theme's, whatever it holds.
QUIET = [
    Case("plain-comment", "Text <!-- a note --> text.", "comment"),
    Case("svg-comment", "<svg><!--</svg><img src=x onerror=alert({n})>--></svg>", "<svg> element"),
    Case("cdata-text", "<![CDATA[ x ]]>", "CDATA section"),
    Case("php", "<?php echo 1; ?>", "processing instruction"),
    Case("heading-id", "## \\_\\_config", "id '__config'"),
    Case("attr-list-id", "A paragraph.\n{{: #__search }}", "id '__search'", 1),
    Case("nav-id", "<span id=__nav_1>x</span>", "id '__nav_1'"),
    Case("annotate", "<div class=annotate>x</div>", "class 'annotate'"),
]

# Text that looks like markup but is text: accepted, and inert in the browser.
NEAR_MISSES = "\n\n".join([
    "Escaped: &lt;img src=x onerror=alert(1)&gt; and &lt;!--&gt; and &lt;![CDATA[ and &lt;?php ?&gt;.",
    "Plain words: onerror=alert(1), javascript:alert(1), __config, {: onclick=alert(1) }.",
    "<!-- links: off -->\nThe one comment the archive reads switches name links off.\n<!-- links: on -->",
    "Code: `<img src=x onerror=alert(1)>` and `<!-->`.",
    "    <script>alert(1)</script>\n    <img src=https://canary.invalid/code.png>",  # an indented code block
    "## A heading with a < b and &amp;lt;img&amp;gt;",
    "The G8 and the NSC met <abbr title=Research&#32;&amp;&#32;development>R&amp;D</abbr> "
    "<span title=a&#32;&lt;&#32;b,&#32;&amp;lt;img&amp;gt; id=note-1 class=note>noted</span>.",
    "*[NSC]: National Security Council &amp;lt;img&amp;gt;",
    "*[G8]: Group of Eight",
    f"A [link to another site](https://{CANARY_HOST}/page) and <a href=\"https://{CANARY_HOST}/other\" "
    "title=\"plain\">another</a>, <a href=\"mailto:desk@example.org\">mail</a>.",
])

# A topic's body is free Markdown (an article's must stay the source's plain text).
TOPIC = "---\nname: {name}\n---\n"
BODY_LINE = TOPIC.count("\n") + 1  # the first body line of a topic's file


def case_file(n: int) -> str:
    return f"topics/case-{n:02d}.md"


def hostile_files() -> dict[str, str]:
    """One topic per hostile case, its number n (from 1) in the file name."""
    return {case_file(n): TOPIC.format(name=f"Hostile {case.name}") + case.body.format(n=n) + "\n"
            for n, case in enumerate(HOSTILE, start=1)}


def quiet_files() -> dict[str, str]:
    """One topic per quiet case, numbered on from the hostile ones."""
    return {case_file(n): TOPIC.format(name=f"Quiet {case.name}") + case.body.format(n=n) + "\n"
            for n, case in enumerate(QUIET, start=len(HOSTILE) + 1)}


def near_miss_files() -> dict[str, str]:
    return {case_file(0): TOPIC.format(name="Harmless look-alikes") + NEAR_MISSES + "\n"}
