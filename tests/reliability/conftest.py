"""The reliability suite reuses the hand-built town of the unit tests."""

from tests.unit.conftest import town, town_file  # noqa: F401 - fixtures shared by name
