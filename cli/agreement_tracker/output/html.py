"""What every HTML file the tool writes shares: escaping and the self-contained page.

A page has no script, font, image or request to anywhere (a Content-Security-Policy
says so to the browser too), and its CSS is inside it. Every value from the data goes
through `text` (or `attr`, `css_string`), so a title holding `<script>` is text and a
control character is shown as an escape, never obeyed.
"""

from __future__ import annotations

import datetime as dt
import html

from agreement_tracker import __version__
from agreement_tracker.text import visible

# Nothing may load: no scripts, no styles but the one inline, no images, fonts or frames.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def text(value: str) -> str:
    """Data as HTML text: control characters visible, markup escaped, breaks kept."""
    return html.escape(visible(value), quote=True).replace("\n", "<br>")


def attr(value: str) -> str:
    """Data as an attribute value: one line, escaped (quotes too)."""
    return html.escape(visible(value, line=True), quote=True)


def css_string(value: str) -> str:
    """Data as a quoted CSS string (a running title): every character but a letter, digit
    or space as a CSS escape, so nothing can end the string or the <style> element."""
    shown = visible(value, line=True)
    # Six hex digits and the one space that ends an escape (CSS drops that space).
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in shown) + '"'


def human_date(value: str) -> str:
    """A date as precise as the source gives it, for people: 2025-05-07 as "7 May 2025",
    2025-07 as "July 2025" (never a day it does not give), 2025 as itself. Anything else
    (a value no date rule made) as it is."""
    parts = value.split("-")
    if not all(p.isascii() and p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return value
    try:
        if len(parts) == 3:
            day = dt.date(*(int(p) for p in parts))
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2 and 1 <= int(parts[1]) <= 12:
            return f"{_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except ValueError:
        return value
    return value if len(parts) == 2 else str(int(parts[0]))


def time(value: str) -> str:
    """A date as a <time> element: the words for people, the date as written for machines."""
    return f'<time datetime="{attr(value)}">{text(human_date(value))}</time>'


def page(title: str, css: str, body: str, *, lang: str = "en") -> str:
    """A whole self-contained document around `body` (already HTML)."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{attr(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="agreement-tracker {attr(__version__)}">',
            f"<title>{text(title)}</title>",
            f"<style>{css}</style>",
            "</head>",
            "<body>",
            body,
            "</body>",
            "</html>",
            "",
        ]
    )
