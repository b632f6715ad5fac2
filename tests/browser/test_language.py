"""The language switch of the footer, in a real browser: the platform speaks English, then French again, and the
choice holds from page to page."""

import pytest
from django.urls import reverse

from .conftest import expect

pytestmark = pytest.mark.browser


def switch_language(page, code: str) -> None:
    footer = page.locator(".language-switch")
    footer.locator("select").select_option(code)
    with page.expect_navigation():
        footer.get_by_role("button").click()


def test_member_switches_the_platform_to_english_and_back_to_french(logged_in_page, member):
    visit = logged_in_page(member)
    page = visit.open(reverse("waste_flows:my_streams"))
    expect(page.locator("h1")).to_have_text("Mes flux")

    switch_language(page, "en")
    visit.screenshot("my-streams-english")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My streams")  # the page the switch was on
    expect(page.locator(".main-nav")).to_contain_text("Home")
    expect(page.locator(".language-switch label")).to_have_text("Language")

    page.get_by_role("link", name="Declare an offer").first.click()
    expect(page.locator("h1")).to_have_text("Declare a stream")  # the choice holds on the next page
    visit.screenshot("declaration-english")

    switch_language(page, "fr")
    visit.screenshot("declaration-french")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Déclarer un flux")
    expect(page.locator(".main-nav")).to_contain_text("Accueil")
    visit.assert_no_problems()
