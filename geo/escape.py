"""The one place where user text is made safe for the map and for Markdown.

folium renders an element's script through Jinja a second time, so ``{{ … }}`` in a place
name would be evaluated on the server; in the browser it inserts popup and tooltip text as
raw HTML inside JavaScript template strings. ``for_map`` therefore HTML-escapes and also
turns ``{ } ` $ \\`` into character references: the browser shows them literally, Jinja and
template literals see nothing to evaluate. ``for_markdown`` is the boundary for every text
Streamlit renders as Markdown (headings, captions, alerts, table cells, widget labels),
where ``*``, ``[``, ``$`` and ``:`` would otherwise format, link, embed an image, typeset or
colour the text. Escaping alone leaves
one way to a link: Streamlit's Markdown (GitHub flavour) turns bare ``http://…``, ``www.…``
and ``name@host`` in *text* into links after escapes are read, so a word joiner (U+2060,
invisible) is put after the scheme or ``www`` and before ``@``. Addresses still read as
typed; nothing a visitor sees from another person is a link to click. ``for_xml`` is the
boundary for Atom feeds: the serialiser escapes markup, but XML 1.0 cannot hold most
control characters at all, so a title carrying one would make the whole feed unreadable.
"""

from __future__ import annotations

import html
import re

_MAP_EXTRA = str.maketrans(
    {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"}
)
# Characters with a meaning in Streamlit's Markdown wherever they stand; a colon before a
# name (directives, icons, emoji).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]()!<>#|~$&{}]|:(?=[A-Za-z])")
# "- x", "+ x", "1. x", "1) x" at the start would begin a list.
_LIST_START = re.compile(r"^(\d*)([-+]|(?<=\d)[.)])")
_DOCUMENT_SPECIAL = set("\\`*_[]<>#|~")
_WORD_JOINER = "\u2060"
_AUTOLINK_START = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])|(?=@)")
# What XML 1.0 cannot carry, even as a character reference (its production ``Char``).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def for_map(text: object) -> str:
    """Text that is safe in a folium tooltip, popup or GeoJSON property, shown literally."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True).translate(_MAP_EXTRA)


def for_markdown(text: object) -> str:
    """Text that Streamlit's Markdown shows literally.

    Every character that starts formatting, a link, an image, HTML, a table, a formula or
    an entity is escaped wherever it stands; a colon only where a directive, icon or emoji
    name could follow it (``:red[``, ``:material/home:``); a list marker only at the
    start. Ordinary punctuation stays as typed, so "Proposal 12: approved." reads the
    same in the page source as on the screen. Newlines become spaces: a user's text must
    not start a new heading or list.
    """
    if text is None:
        return ""
    flat = _unlinked(text)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\g<0>", flat)
    return _LIST_START.sub(r"\1\\\2", escaped)


def for_markdown_document(text: object) -> str:
    """Text for a Markdown file people read as plain text too (a newsletter pasted into an
    e-mail): only the characters that start formatting, links or HTML are escaped, so
    "St Anne's (Year 5)" stays readable while "<b>" or "[x](y)" stay literal."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _DOCUMENT_SPECIAL else ch for ch in flat)


def for_mail_text(text: object) -> str:
    """Another person's words for an e-mail: the plain-text part as typed, one line, with a
    word joiner after a URL scheme or ``www`` and before ``@`` as in ``for_markdown``, since
    mail programs turn bare addresses in text into links. The HTML part escapes this
    result too (``html.escape``), so the same words are inert in both parts."""
    if text is None:
        return ""
    return _unlinked(text)


def for_mail_document(text: object) -> str:
    """Another person's words in the plain-text newsletter: escaped as a Markdown document
    (``for_markdown_document``) and unlinked as in ``for_mail_text``."""
    return _unlinked(for_markdown_document(text)) if text is not None else ""


def for_mail_html(text: object) -> str:
    """Another person's words in an e-mail's HTML part: unlinked, then HTML-escaped."""
    return html.escape(for_mail_text(text), quote=True)


def _unlinked(text: object) -> str:
    """``text`` on one line, with a word joiner wherever a bare link or address would start."""
    return _AUTOLINK_START.sub(
        lambda m: (m.group(1) or "") + _WORD_JOINER, " ".join(str(text).split())
    )


def for_xml(text: object) -> str:
    """Text an XML document can hold, for ``xml.etree`` to escape (``<``, ``&``, ``>``):
    characters XML 1.0 forbids — control characters, lone surrogates, U+FFFE and U+FFFF —
    are dropped and runs of white space become one space, so one pasted title cannot make a
    feed unreadable and nobody's text starts lines of its own."""
    if text is None:
        return ""
    return " ".join(_NOT_XML.sub("", str(text)).split())
