"""The reader's language in a real browser: the browser's own language first; a choice in
the picker is kept over a reload and in a second tab, and ``<html lang>`` says it."""

import pytest

from tests.e2e.browsing import settle

pytestmark = pytest.mark.e2e


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def page_language_is(page, language: str) -> None:
    """The app's script sets ``<html lang>`` as the page's first element is drawn."""
    page.wait_for_function(f"document.documentElement.lang === '{language}'", timeout=30_000)


def heading(page, name: str) -> None:
    page.get_by_role("heading", name=name).wait_for(timeout=60_000)


def test_a_german_browser_reads_german_and_a_welsh_choice_is_kept(browser, app_url):
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{app_url}/sign_in")
        heading(page, "Anmelden")
        page_language_is(page, "de")
        settle(page)

        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stButtonGroup").get_by_text("Cymraeg", exact=True).click()
        heading(page, "Mewngofnodi")
        page_language_is(page, "cy")
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Iaith").count() == 1

        page.reload()
        heading(page, "Mewngofnodi")
        page_language_is(page, "cy")

        tab = context.new_page()
        tab.goto(f"{app_url}/sign_in")
        heading(tab, "Mewngofnodi")
        page_language_is(tab, "cy")

        # The plain sign-in form beside the app reads the same cookie, and offers the others.
        tab.goto(f"{app_url}/session/sign-in")
        heading(tab, "Mewngofnodi")
        assert html_lang(tab) == "cy"
        with tab.expect_navigation():
            tab.get_by_role("link", name="Français").click()
        heading(tab, "Se connecter")
        assert html_lang(tab) == "fr"
    finally:
        context.close()
