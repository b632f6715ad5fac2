"""`near=lat,lon&radius_km=…` on sites and streams: a partner's "all wood offers within 20 km of a point"."""

import pytest

from members.distance import within_km
from members.models import Site

from ..waste_flows.factories import StreamFactory, material
from .factories import SiteFactory

HAYANGE = (49.3298, 6.0620)
# Thionville is ~11 km from Hayange, Metz ~30 km, Nancy ~80 km (great-circle).
THIONVILLE = (49.3579, 6.1681)
METZ = (49.1193, 6.1757)
NANCY = (48.6921, 6.1844)


@pytest.fixture
def sites(db):
    return {
        name: SiteFactory(commune=name, latitude=lat, longitude=lon)
        for name, (lat, lon) in {"Thionville": THIONVILLE, "Metz": METZ, "Nancy": NANCY, "Hayange": HAYANGE}.items()
    }


def test_within_km_keeps_the_sites_inside_the_circle_and_annotates_their_distance(sites):
    found = within_km(Site.objects.all(), prefix="", latitude=HAYANGE[0], longitude=HAYANGE[1], km=20)
    distances = {site.commune: site.distance_km for site in found}
    assert set(distances) == {"Hayange", "Thionville"}
    assert distances["Hayange"] == pytest.approx(0, abs=0.01)
    assert distances["Thionville"] == pytest.approx(8.4, abs=1.5)


def test_a_larger_radius_reaches_further(sites):
    found = within_km(Site.objects.all(), prefix="", latitude=HAYANGE[0], longitude=HAYANGE[1], km=40)
    assert {site.commune for site in found} == {"Hayange", "Thionville", "Metz"}


def test_sites_api_filters_around_a_point_with_the_default_20_km(client, coordinator, sites):
    client.force_login(coordinator)
    response = client.get("/api/v1/sites/", {"near": "49.3298,6.0620"})
    assert response.status_code == 200
    assert {row["commune"] for row in response.json()["results"]} == {"Hayange", "Thionville"}


def test_wood_offers_within_20_km_of_a_point(client, coordinator, sites):
    for name in ("Thionville", "Metz"):
        StreamFactory(site=sites[name], material=material("wood.pallets"))
    StreamFactory(site=sites["Thionville"], material=material("plastics"))
    client.force_login(coordinator)
    response = client.get(
        "/api/v1/streams/", {"near": "49.3298,6.0620", "radius_km": 20, "family": "wood", "direction": "offer"}
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    assert rows[0]["site"]["commune"] == "Thionville"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"near": "49.3"}, "near"), ({"near": "95,6"}, "near"), ({"near": "49,6", "radius_km": 9999}, "radius_km")],
)
def test_a_malformed_point_or_radius_is_a_clear_400_on_the_field(client, coordinator, params, field):
    client.force_login(coordinator)
    response = client.get("/api/v1/sites/", params)
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}
