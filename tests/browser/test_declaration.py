"""A member declares a stream in a real browser: the material is chosen with the keyboard in the search box,
the units follow the material, a usual waste code is suggested and picked, the stream then shows in "Mes flux"."""

import re

import pytest
from django.urls import reverse

from waste_flows.models import Stream

from .conftest import expect

pytestmark = pytest.mark.browser


def test_member_declares_an_offer_choosing_its_material_with_the_keyboard(logged_in_page, member, member_org):
    visit = logged_in_page(member)
    page = visit.page
    page.locator(".main-nav").get_by_role("link", name="Mes flux").click()
    expect(page.locator("h1")).to_have_text("Mes flux")
    visit.screenshot("my-streams-empty")
    page.get_by_role("link", name="Déclarer une offre").first.click()
    expect(page.locator("h1")).to_have_text("Déclarer un flux")
    visit.screenshot("declaration-form")

    page.get_by_label("Nature du flux").select_option("waste")
    search = page.get_by_role("combobox", name="Matière")
    search.press_sequentially("palettes")
    listbox = page.locator("#material-listbox")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option").first).to_contain_text("Palettes")
    visit.screenshot("material-options")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "material-option-0")
    search.press("Enter")

    expect(listbox).to_be_hidden()
    expect(search).to_have_value("Palettes")
    expect(page.locator('input[type=hidden][name="material"]')).to_have_value("wood.pallets")
    expect(page.locator('select[name="unit"] option[value="t"]')).to_have_count(1)
    expect(page.locator('select[name="unit"] option[value="kWh"]')).to_have_count(0)  # not a measure of pallets
    # Pallets have no code of their own: the codes of the wood family are suggested, wooden packaging among them.
    page.locator("#material-ewc-suggestions").get_by_role("button", name="15 01 03").click()
    expect(page.get_by_role("combobox", name="Code déchet")).to_have_value(re.compile("^15 01 03"))
    expect(page.locator("#ewc-material-suggestion")).to_contain_text("Emballages en bois")

    page.locator("#id_quantity").fill("18")
    page.locator('select[name="unit"]').select_option("t")
    visit.screenshot("declaration-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator(".messages")).to_contain_text("Le flux est déclaré.")
    stream = Stream.objects.get(site__member=member_org)
    assert (stream.material.code, stream.quantity, stream.unit_id) == ("wood.pallets", 18, "t")
    assert stream.ewc_code.code_display == "15 01 03"
    assert page.url.endswith(stream.get_absolute_url())
    visit.screenshot("stream-detail")

    page = visit.open(reverse("waste_flows:my_streams"))
    row = page.locator("tbody tr", has_text="Palettes")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Offre")
    visit.assert_no_problems()
