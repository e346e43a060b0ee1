"""Which language a page speaks: a link's ``?lang=``, then the tab's choice, the account,
the cookie, the browser; the picker keeps a choice on the account and for later pages."""

from geo.accounts.language import language_of, set_language
from geo.permissions import VISITOR
from tests.app.conftest import open_page, person
from ui.common import store


def picker(block, key: str = "language_picker"):
    """The row of language buttons (``st.pills``) keyed ``key`` in ``block``."""
    return next(group for group in block.get("button_group") if group.key == key)


def titles(at) -> list[str]:
    return [title.value for title in at.title]


def test_the_accounts_language_wins_over_the_browser_and_a_link_over_both(database):
    rosa = person("rosa@demo.example")
    set_language(store(), rosa, "de")
    assert titles(open_page(rosa, "app_pages/account.py")) == ["Mein Konto"]
    assert titles(open_page(rosa, "app_pages/account.py", lang="es")) == ["Mi cuenta"]


def test_choosing_on_the_account_page_keeps_it_on_the_account_and_both_pickers_agree(database):
    rosa = person("rosa@demo.example")
    at = open_page(rosa, "app_pages/account.py")
    picker(at.main, "account_language").set_value("cy").run()
    assert titles(at) == ["Fy nghyfrif"]
    assert picker(at.sidebar).value == "cy"
    assert language_of(store(), rosa.user_id) == "cy"


def test_a_visitors_choice_stays_for_the_next_page_of_the_tab(database):
    at = open_page(VISITOR, "app_pages/sign_in.py")
    assert titles(at) == ["Sign in"]
    picker(at.sidebar).set_value("fr").run()
    assert titles(at) == ["Se connecter"]
    at.switch_page("app_pages/sign_up.py").run()
    assert titles(at) == ["Créer un compte"]
    assert picker(at.sidebar).proto.label == "🌐 Langue"
