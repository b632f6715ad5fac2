import pytest

from ..members.factories import UserFactory

ADMIN_PAGES = ["emissionfactor", "channel", "match", "matchrun", "stream", "material", "ewccode", "unit"]


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_the_superuser_administers_reference_data_streams_and_matching(client, db, model):
    client.force_login(UserFactory(email="admin@pole.test", is_staff=True, is_superuser=True))

    assert client.get(f"/admin/waste_flows/{model}/").status_code == 200


def test_emission_factors_are_loaded_with_their_sources(db):
    from waste_flows.matches import EmissionFactor

    landfill = EmissionFactor.objects.get(family="*", route="landfill")
    assert landfill.kg_co2e_per_tonne > 0 and landfill.source
