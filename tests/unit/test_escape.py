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
