"""`report --html FILE`: the report as a self-contained HTML briefing.

The same sections as the terminal report, each a heading and a real table
(`<th>` headers) that pastes into a document, with CSS for screen and
print inside the file: no script, no font, no image, no request to anywhere
(a Content-Security-Policy says so to the browser too). Every value from the
data is escaped with `html.escape`, so a title holding `<script>` is text.
"""

from __future__ import annotations

import html
from typing import Any

from agreement_tracker import __version__
from agreement_tracker.output.formats import Listing
from agreement_tracker.text import visible

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #1a1a1a; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
p.meta { color: #555; margin-top: 0; }
section { margin: 1.75rem 0; break-inside: avoid; }
h2 { font-size: 1.1rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .6rem;
         border-bottom: 1px solid #e3e3e3; overflow-wrap: anywhere; }
th { background: #f3f3f3; font-weight: 600; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
p.none { color: #555; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""
# Nothing may load: no scripts, no styles but the one inline, no images, fonts or frames.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _text(value: str) -> str:
    """Data as HTML text: control characters visible, markup escaped, breaks kept."""
    return html.escape(visible(value), quote=True).replace("\n", "<br>")


def _table(section: Listing) -> str:
    """A section as a table; columns of counts aligned right, header included."""
    numeric = [
        all(row[i].replace(" ", "").isdigit() for row in section.rows)
        for i in range(len(section.columns))
    ]
    kind = ['class="number" ' if n else "" for n in numeric]
    head = "".join(
        f'<th {k}scope="col">{_text(c)}</th>' for k, c in zip(kind, section.columns, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td {k}>{_text(v)}</td>".replace(" >", ">") for k, v in zip(kind, row,
                                                                               strict=True))
        + "</tr>"
        for row in section.rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(heading: str, sections: list[Listing], about: dict[str, Any]) -> str:
    """The whole document: a heading, then one section (h2 and table) per report section."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="agreement-tracker {html.escape(__version__)}">',
        f"<title>{_text(heading)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_text(heading)}</h1>",
        f'<p class="meta">{_text(about["meta"])}</p>',
    ]
    for section in sections:
        parts.append("<section>")
        parts.append(f"<h2>{_text(section.title)}</h2>")
        if section.rows:
            parts.append(_table(section))
        else:
            parts.append('<p class="none">None.</p>')
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
