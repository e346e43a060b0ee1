"""The Millbrook demo town: fixed facts (setting), ground plan (wards), play areas (places),
proposals (initiatives), demo accounts, and what follows once it is loaded (activity).

``load_demo`` fills an empty database; ``build_town`` makes the same town in memory.
"""

from geo.io.demo.accounts import DEMO_ACCOUNTS, DEMO_LEADER, DEMO_LEADER_ORGANISATION
from geo.io.demo.setting import AS_OF, HOSTILE_MARKUP_NAME, HOSTILE_TEMPLATE_NAME, SEED
from geo.io.demo.town import DemoSummary, Town, build_town, load_demo

__all__ = [
    "AS_OF",
    "DEMO_ACCOUNTS",
    "DEMO_LEADER",
    "DEMO_LEADER_ORGANISATION",
    "HOSTILE_MARKUP_NAME",
    "HOSTILE_TEMPLATE_NAME",
    "SEED",
    "DemoSummary",
    "Town",
    "build_town",
    "load_demo",
]
