"""The coordinator's CO2e factor table: edited in a page of its own, checked, sourced, and followed by a full
re-scoring so that every stored impact uses the new figures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from waste_flows import factor_services
from waste_flows.enums import Direction, MatchStatus, ParticipantAnswer, Route, RunScope, RunTrigger
from waste_flows.matches import EmissionFactor, MatchParticipant, MatchRun

from .factories import StreamFactory, material
from .match_factories import MatchFactory, engine_stub_fixture  # noqa: F401 - the engine_stub fixture


@pytest.fixture
def wood_landfill(db):
    return EmissionFactor.objects.get(family="wood", route=Route.LANDFILL)


def test_factor_table_is_loaded_with_sources_and_shown_to_the_coordinator(client, coordinator, wood_landfill):
    client.force_login(coordinator)
    response = client.get(reverse("waste_flows:emission_factor_list"))
    assert response.status_code == 200
    assert wood_landfill.source
    assert wood_landfill.source in response.content.decode()
    assert "Toutes familles (valeur par défaut)" in response.content.decode()


def test_only_the_coordinator_opens_or_changes_the_factors(client, member, partner, wood_landfill):
    for user in (member, partner):
        client.force_login(user)
        assert client.get(reverse("waste_flows:emission_factor_list")).status_code == 403
        edit = client.post(reverse("waste_flows:emission_factor_edit", args=[wood_landfill.pk]), {})
        assert edit.status_code == 403
    with pytest.raises(PermissionDenied):
        factor_services.emission_factor_save(
            actor=member, factor=wood_landfill, family="wood", route="landfill", kg_co2e_per_tonne=1, source="x"
        )


def test_changing_a_factor_keeps_history_and_starts_a_full_run(coordinator, wood_landfill, engine_stub):
    factor, run = factor_services.emission_factor_save(
        actor=coordinator,
        factor=wood_landfill,
        family="wood",
        route=Route.LANDFILL,
        kg_co2e_per_tonne=620.0,
        source="Étude locale 2026",
    )
    factor.refresh_from_db()
    assert factor.kg_co2e_per_tonne == 620.0
    latest = factor.history.first()  # the reference rows were loaded by a migration, without history
    assert (latest.kg_co2e_per_tonne, latest.history_user) == (620.0, None)
    assert latest.history_change_reason == "Modifié par la coordination"
    run.refresh_from_db()
    assert (run.scope, run.trigger) == (RunScope.FULL, RunTrigger.BUTTON)


def test_a_new_factor_changes_the_stored_impact_of_matches_after_the_run(
    coordinator, member_org, other_member_org, django_capture_on_commit_callbacks
):
    """No stub: the real engine re-scores the match and stores the CO2e computed with the new plastics row."""
    offer = StreamFactory(site=member_org.sites.get(), material=material("plastics"), current_route=Route.INCINERATION)
    StreamFactory(site=other_member_org.sites.get(), direction=Direction.NEED, material=offer.material)
    with django_capture_on_commit_callbacks(execute=True):
        factor_services.match_run_start(actor=coordinator)
    match = offer.matches_as_offer.get()
    before = match.co2e_avoided_t
    factor = EmissionFactor.objects.get(family="plastics", route=Route.INCINERATION)
    with django_capture_on_commit_callbacks(execute=True):
        factor_services.emission_factor_save(
            actor=coordinator,
            factor=factor,
            family="plastics",
            route=Route.INCINERATION,
            kg_co2e_per_tonne=factor.kg_co2e_per_tonne * 2,
            source=factor.source,
        )
    match.refresh_from_db()
    assert match.co2e_avoided_t > before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kg_co2e_per_tonne": -1}, "kg_co2e_per_tonne"),
        ({"kg_co2e_per_tonne": 50_000}, "kg_co2e_per_tonne"),
        ({"source": "  "}, "source"),
        ({"family": "unobtainium"}, "family"),
        ({"route": Route.LOCAL_VALORISATION}, "route"),
        ({"route": Route.INCINERATION}, "route"),  # wood/incineration already has its own row
    ],
)
def test_bad_factors_are_refused_with_the_field_and_nothing_changes(coordinator, wood_landfill, changes, field):
    values = {"family": "wood", "route": Route.LANDFILL, "kg_co2e_per_tonne": 500.0, "source": "ADEME"} | changes
    with pytest.raises(ValidationError) as refused:
        factor_services.emission_factor_save(actor=coordinator, factor=wood_landfill, **values)
    assert field in refused.value.message_dict
    wood_landfill.refresh_from_db()
    assert wood_landfill.kg_co2e_per_tonne == 550
    assert not MatchRun.objects.exists()


def test_the_form_shows_the_error_next_to_the_field(client, coordinator, wood_landfill):
    client.force_login(coordinator)
    url = reverse("waste_flows:emission_factor_edit", args=[wood_landfill.pk])
    response = client.post(url, {"family": "wood", "route": "landfill", "kg_co2e_per_tonne": "600", "source": ""})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    wood_landfill.refresh_from_db()
    assert wood_landfill.kg_co2e_per_tonne == 550


def test_coordinator_adds_a_family_factor_then_deletes_it_but_never_a_default(client, coordinator, engine_stub):
    client.force_login(coordinator)
    response = client.post(
        reverse("waste_flows:emission_factor_create"),
        {"family": "textiles", "route": "incineration", "kg_co2e_per_tonne": "2100", "source": "ADEME Base Empreinte"},
    )
    assert response.status_code == 302
    added = EmissionFactor.objects.get(family="textiles", route="incineration")
    client.post(reverse("waste_flows:emission_factor_delete", args=[added.pk]))
    assert not EmissionFactor.objects.filter(pk=added.pk).exists()
    default = EmissionFactor.objects.get(family="*", route="landfill")
    client.post(reverse("waste_flows:emission_factor_delete", args=[default.pk]))
    assert EmissionFactor.objects.filter(pk=default.pk).exists()


def test_navigation_badge_counts_introductions_awaiting_the_members_answer(
    client, member, member_org, other_member_org
):
    offer = StreamFactory(site=member_org.sites.get())
    need = StreamFactory(site=other_member_org.sites.get(), direction=Direction.NEED)
    MatchFactory(offer=offer, need=need, status=MatchStatus.INTRODUCED)
    answered = MatchFactory(offer=offer, need=need, status=MatchStatus.INTRODUCED)
    MatchParticipant.objects.filter(match=answered, member=member_org).update(answer=ParticipantAnswer.ACCEPTED)
    MatchFactory(offer=offer, need=need, status=MatchStatus.SUGGESTED)  # not revealed to members yet
    client.force_login(member)
    page = client.get(reverse("waste_flows:my_streams")).content.decode()
    assert 'data-badge-url="/matches/mine/badge.json"' in page
    badge = client.get(reverse("waste_flows:my_opportunities_badge")).json()
    assert badge == {"count": 1, "label": "1 mise en relation attend votre réponse"}


def test_navigation_badge_is_zero_for_users_without_an_organisation(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("waste_flows:my_opportunities_badge")).json()["count"] == 0
