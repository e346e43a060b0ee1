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
    ["see http://elsewhere.example/x", "HTTPS://elsewhere.example", "www.elsewhere.example",
     "write to anna@elsewhere.example", "mailto:anna@elsewhere.example"],
)  # fmt: skip
def test_markdown_text_leaves_no_bare_address_to_turn_into_a_link(text):
    """GitHub-flavoured Markdown links bare addresses after escapes are read; a word joiner
    after the scheme or www and before @ stops it (checked in Chromium too)."""
    import re

    safe = for_markdown(text).replace("\\", "")
    assert not re.search(r"(?i)(https?|ftp|mailto):|www\.|[\w.+-]@", safe)
    assert safe.replace("\u2060", "") == text  # reads exactly as typed


def test_markdown_text_neutralises_images_colours_icons_and_formulas():
    import string

    safe = for_markdown("![i](http://x/y.png) :red[**URGENT**] :material/home: $x^2$ <b>")
    position = 0
    while position < len(safe):  # every punctuation mark is an escaped, literal one
        if safe[position] == "\\":
            assert safe[position + 1] in string.punctuation
            position += 2
        else:
            assert safe[position] not in string.punctuation, safe[position:]
            position += 1
