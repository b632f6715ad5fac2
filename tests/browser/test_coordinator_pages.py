"""The coordinator in a real browser: the login form, every page of the navigation, the map of a member's sites."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ..members.factories import SiteFactory
from ..waste_flows.factories import StreamFactory
from .conftest import expect

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_and_every_page_of_the_navigation_loads_without_error(
    logged_in_page, coordinator, member_org
):
    StreamFactory(site=member_org.sites.get())
    visit = logged_in_page(coordinator)
    page = visit.page
    assert page.url == visit.base_url + reverse("home")  # the coordinator's dashboard has a test of its own
    expect(page.locator(".main-nav a", has_text="Accueil")).to_have_attribute("aria-current", "page")
    entries = [link.get_attribute("href") for link in page.locator(".main-nav a").all()]
    assert reverse("waste_flows:match_board") in entries
    entries.remove(reverse("api:docs"))  # Swagger UI: a page of its own, without the platform's navigation

    for href in entries:
        visit.open(href)
        expect(page.locator(f'.main-nav a[href="{href}"]')).to_have_attribute("aria-current", "page")
    visit.open(reverse("api:docs"))
    expect(page.locator(".swagger-ui .info h1")).to_contain_text("API")

    visit.assert_no_problems()


def test_the_sites_of_a_member_show_as_markers_on_its_map(logged_in_page, coordinator, member_org):
    SiteFactory(member=member_org, commune="Florange", latitude=Decimal("49.322"), longitude=Decimal("6.119"))
    visit = logged_in_page(coordinator)

    page = visit.open(reverse("members:member_detail", args=[member_org.pk]))

    markers = page.locator("[data-site-map] .leaflet-overlay-pane path.leaflet-interactive")
    expect(markers).to_have_count(2)
    markers.first.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Site de")
    visit.screenshot("map-tooltip")
    visit.assert_no_problems()


def test_clicking_the_map_of_a_new_site_fills_its_coordinates_and_places_a_marker(
    logged_in_page, coordinator, member_org
):
    visit = logged_in_page(coordinator)
    page = visit.open(reverse("members:site_create", args=[member_org.pk]))
    picker = page.locator("[data-site-picker]")
    expect(page.locator("#id_latitude")).to_have_value("")

    picker.click(position={"x": 200, "y": 100})

    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^4\d\.\d{6}$"))
    expect(page.locator("#id_longitude")).to_have_value(re.compile(r"^\d\.\d{6}$"))
    expect(picker.locator(".leaflet-overlay-pane path.leaflet-interactive")).to_have_count(1)
    visit.screenshot("site-picked")
    visit.assert_no_problems()
