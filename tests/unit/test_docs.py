"""The README stays true: every command and every page is documented."""

from pathlib import Path

from geo.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme():
    commands = _parser()._subparsers._group_actions[0].choices
    missing = [name for name in commands if f"`{name}" not in README]
    assert not missing, f"document these commands in README.md: {missing}"


def test_every_page_is_in_the_readme():
    from ui.pages_table import PAGES  # the navigation is built from this table alone

    titles = [page.title for page in PAGES]
    assert titles and all(title in README for title in titles)


def test_readme_starts_with_the_two_commands():
    first_lines = "\n".join(README.splitlines()[:12])
    assert "bash scripts/start.sh" in first_lines and "bash scripts/test.sh" in first_lines
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_readme_lists_the_demo_accounts_it_promises():
    from geo.io.demo import DEMO_ACCOUNTS

    for login, _name, role, password in DEMO_ACCOUNTS:
        assert f"| {login} | {password} | {role} |" in README
