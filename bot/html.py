"""Telegram HTML: the one escaping helper for record, user and interface text."""

from __future__ import annotations

import html


def escape(text: str) -> str:
    """`<`, `>` and `&` escaped; quotes stay as typed ("People's", not "People&#x27;s")."""
    return html.escape(text, quote=False)


def attribute(text: str) -> str:
    """A value inside an HTML attribute (a link's href): quotes escaped as well."""
    return html.escape(text, quote=True)
