"""Record numbers from the address parse safely: anything that is not one is no record."""

from pathlib import Path

import pytest

from geo.council.selection import Selection
from geo.errors import InvalidInput
from geo.ids import MAX_ID, parse_id

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        ("9" * 5000, None),
        ("99999999999", None),
        ("abc", None),
        ("-3", None),
        ("0", None),
        ("", None),
        (None, None),
        ("²", None),
        ("١٢", None),
        ("１２", None),
        ("1e3", None),
        ("12abc", None),
        (["12"], None),
    ],
)
def test_parse_id(text, expected):
    assert parse_id(text) == expected


def test_a_workspace_address_with_an_impossible_area_number_is_named_not_raised():
    with pytest.raises(InvalidInput, match="not readable"):
        Selection.from_query({"areas": "99999999999"})
    with pytest.raises(InvalidInput, match="not readable"):
        Selection.from_query({"areas": "9" * 5000})


def test_pages_read_ids_from_the_address_only_through_parse_id():
    """``str.isdigit`` accepts "²" and 5,000 digits; ``int()`` then raises (found crashing
    public pages)."""
    offenders = []
    for path in [*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ".isdigit()" in line or "int(st.query_params" in line:
                offenders.append(f"{path.name}:{number}")
    assert offenders == []
