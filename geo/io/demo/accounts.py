"""The demo's accounts: one per role, and the leader whose forum owns some proposals."""

from __future__ import annotations

# One account per role, for trying the demo only (printed by `python -m geo demo` and
# listed in the README as demo-only). A production start creates no accounts.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("rosa@demo.example", "Rosa (resident)", "resident", "swings-at-dusk-2026"),
    ("leo@demo.example", "Leo (Brookside Parents' Forum)", "leader", "safe-route-to-school"),
    ("olu@demo.example", "Olu (council officer)", "council", "play-strategy-review"),
    ("ada@demo.example", "Ada (administrator)", "admin", "millbrook-admin-demo"),
)


DEMO_LEADER = "leo@demo.example"
DEMO_LEADER_ORGANISATION = "Brookside Parents' Forum"
