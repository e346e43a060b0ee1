"""The walking tables' values read as words: no "nan", no raw numbers without a unit."""

import math

import pytest

from ui import walking_gaps


@pytest.mark.parametrize(
    ("walking", "straight", "words"),
    [
        (0.50, 0.625, "12.5 points fewer on foot"),
        (0.71, 0.70, "1.0 point more on foot"),
        (0.3, 0.3, "The same on foot"),
        (None, 0.3, "Not known"),
        (float("nan"), 0.3, "Not known"),
    ],
)
def test_difference_reads_in_points_and_words(walking, straight, words):
    assert walking_gaps.difference_words(walking, straight) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3, "3 seconds"),
        (41, "40 seconds"),
        (60, "1 minute"),
        (95.3, "1.6 minutes"),
        (725, "12 minutes"),
        (math.inf, "Not known"),
        (None, "Not known"),
    ],
)
def test_walk_saved_reads_as_time(seconds, words):
    assert walking_gaps.duration_words(seconds) == words


def test_people_and_shares_never_read_nan():
    assert walking_gaps.people_text(float("nan")) == "Not known"
    assert walking_gaps.people_text(1250.4) == "1,250"
    assert walking_gaps.share_text(None) == "Not known"
    assert walking_gaps.share_text(0.625) == "62.5%"


def test_standards_name_their_walking_distances():
    assert walking_gaps.standard_words("fit") == "Fields in Trust (100 / 400 / 1,000 m walking)"
    assert (
        walking_gaps.standard_words("london") == "London Plan age bands (100 / 400 / 800 m walking)"
    )
