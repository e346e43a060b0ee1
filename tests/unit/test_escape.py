import pytest

from geo.escape import for_map, for_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ 7*191 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "${alert(1)}",
    "`backtick`",
    "back\\slash",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_map_text_has_nothing_html_jinja_or_js_templates_can_evaluate(text):
    safe = for_map(text)
    for dangerous in "<>{}`$\\\"'":
        assert dangerous not in safe


def test_map_text_reads_back_as_the_original():
    import html

    assert html.unescape(for_map("Tom & Jerry's {park} $5 `x`")) == "Tom & Jerry's {park} $5 `x`"


def test_markdown_text_cannot_format_link_or_start_a_heading():
    safe = for_markdown("# Big [click](javascript:alert(1)) *bold* $x$\nnext")
    assert "\n" not in safe
    assert "\\[" in safe and "\\*" in safe and "\\$" in safe and safe.startswith("\\#")


def test_none_becomes_empty_text():
    assert for_map(None) == "" and for_markdown(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "see http://elsewhere.example/x",
        "HTTPS://elsewhere.example",
        "www.elsewhere.example",
        "write to anna@elsewhere.example",
        "mailto:anna@elsewhere.example",
    ],
)
def test_markdown_text_leaves_no_bare_address_to_turn_into_a_link(text):
    """GitHub-flavoured Markdown links bare addresses after escapes are read; a word joiner
    after the scheme or www and before @ stops it (checked in Chromium too)."""
    import re

    safe = for_markdown(text).replace("\\", "")
    assert not re.search(r"(?i)(https?|ftp|mailto):|www\.|[\w.+-]@", safe)
    assert safe.replace("\u2060", "") == text  # reads exactly as typed


def test_markdown_text_neutralises_images_colours_icons_and_formulas():
    payload = "![i](http://x/y.png) :red[**URGENT**] :material/home: $x^2$ <b> a|b ~s~ &amp;"
    safe = for_markdown(payload)
    position = 0
    while position < len(safe):  # every character Markdown acts on is an escaped one
        if safe[position] == "\\":
            position += 2
            continue
        assert safe[position] not in "`*_[]()!<>#|~$&{}", safe[position:]
        assert not (safe[position] == ":" and safe[position + 1 : position + 2].isalpha())
        position += 1


@pytest.mark.parametrize(
    ("typed", "source"),
    [
        ("Proposal 12: approved.", "Proposal 12: approved."),
        ("12:30, St Anne's", "12:30, St Anne's"),
        ("1. Fix the gate", "1\\. Fix the gate"),
        ("- a list?", "\\- a list?"),
    ],
)
def test_ordinary_punctuation_stays_as_typed_and_a_list_cannot_start(typed, source):
    assert for_markdown(typed) == source
