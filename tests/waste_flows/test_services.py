"""Writes on streams (waste_flows/services.py): validation in plain French, annual quantities, history, rights."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.enums import MemberRole
from waste_flows.enums import Confidentiality, Direction, Period, Regularity, Route, StreamKind, StreamStatus
from waste_flows.models import EwcCode, Stream, Unit
from waste_flows.services import stream_archive, stream_declare, stream_duplicate, stream_update

from ..members.factories import UserFactory
from .factories import StreamFactory, ewc, material, unit


@pytest.fixture
def site(member_org):
    return member_org.sites.get()


def declare(actor, site, **overrides):
    fields = {
        "site": site,
        "direction": Direction.OFFER,
        "kind": StreamKind.WASTE,
        "material": material("wood.pallets"),
        "quantity": Decimal("12"),
        "unit": unit("t"),
        "period": Period.YEAR,
        "current_route": Route.LANDFILL,
        "confidentiality": Confidentiality.MEMBERS,
        "status": StreamStatus.ACTIVE,
        **overrides,
    }
    return stream_declare(actor=actor, **fields)


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# --- Validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [Decimal("0"), Decimal("-3")])
def test_a_quantity_must_be_positive(member, site, quantity):
    errors = errors_of(lambda: declare(member, site, quantity=quantity))

    assert errors["quantity"] == ["La quantité doit être supérieure à zéro."]
    assert not Stream.objects.exists()


def test_an_unknown_unit_is_refused_on_the_unit_field(member, site):
    made_up = Unit(code="zz", name_fr="Inconnue", name_en="Unknown", symbol="zz", dimension="mass", factor_to_base=1)

    errors = errors_of(lambda: declare(member, site, unit=made_up))

    assert list(errors) == ["unit"]


def test_a_unit_of_another_dimension_is_explained_in_french(member, site):
    errors = errors_of(lambda: declare(member, site, unit=unit("kWh")))

    assert errors["unit"] == ["L'unité « kWh » mesure une énergie ; « Palettes » se mesure en masse."]


def test_a_volume_is_refused_for_a_mass_material_without_density(member, site):
    errors = errors_of(lambda: declare(member, site, unit=unit("m3")))

    assert "se mesure en masse" in errors["unit"][0]


def test_an_unknown_waste_code_is_refused(member, site):
    errors = errors_of(lambda: declare(member, site, ewc_code=EwcCode(code="99 99 99", level="entry")))

    assert list(errors) == ["ewc_code"]


def test_a_chapter_is_not_a_waste_code(member, site):
    errors = errors_of(lambda: declare(member, site, ewc_code=ewc("15")))

    assert errors["ewc_code"][0] == "Choisissez un code déchet complet à 6 chiffres, pas un chapitre."


def test_a_sub_chapter_is_not_a_waste_code_either(member, site):
    errors = errors_of(lambda: declare(member, site, ewc_code=ewc("15 01")))

    assert "pas un chapitre" in errors["ewc_code"][0]


def test_availability_cannot_end_before_it_starts(member, site):
    errors = errors_of(
        lambda: declare(member, site, available_from=date(2026, 6, 1), available_until=date(2026, 1, 1))
    )

    assert "La fin de disponibilité ne peut pas précéder son début." in errors["__all__"]


def test_a_seasonal_stream_needs_its_months(member, site):
    errors = errors_of(lambda: declare(member, site, regularity=Regularity.SEASONAL, months=[]))

    assert errors["months"] == ["Indiquez les mois de disponibilité (de 1 à 12) d'un flux saisonnier."]


def test_months_must_be_between_1_and_12(member, site):
    errors = errors_of(lambda: declare(member, site, regularity=Regularity.SEASONAL, months=[0, 13]))

    assert "months" in errors


def test_months_of_a_continuous_stream_are_dropped(member, site):
    stream = declare(member, site, regularity=Regularity.CONTINUOUS, months=[1, 2])

    assert stream.months == []


def test_an_offer_cannot_be_an_input_nor_a_need_a_waste(member, site):
    offer_errors = errors_of(lambda: declare(member, site, kind=StreamKind.INPUT))
    need_errors = errors_of(lambda: declare(member, site, direction=Direction.NEED, current_route=""))

    assert "kind" in offer_errors
    assert need_errors["kind"] == ["Un besoin est un intrant ou un service."]


def test_a_need_has_no_current_route(member, site):
    errors = errors_of(lambda: declare(member, site, direction=Direction.NEED, kind=StreamKind.INPUT))

    assert errors["current_route"] == ["Le devenir actuel ne concerne que les offres."]


def test_a_need_receiving_hazardous_waste_must_be_able_to_take_it(member, site):
    hazardous = EwcCode.objects.filter(level="entry", hazardous=True).first()
    need = {"direction": Direction.NEED, "kind": StreamKind.INPUT, "current_route": "", "ewc_code": hazardous}

    errors = errors_of(lambda: declare(member, site, **need))
    accepted = declare(member, site, accepts_hazardous=True, **need)

    assert "ewc_code" in errors
    assert accepted.is_hazardous


def test_an_offer_without_a_route_is_recorded_as_route_unknown(member, site):
    assert declare(member, site, current_route="").current_route == Route.UNKNOWN


def test_every_problem_is_reported_at_once(member, site):
    errors = errors_of(
        lambda: declare(
            member, site, quantity=Decimal("-1"), unit=unit("kWh"), regularity=Regularity.SEASONAL, months=[]
        )
    )

    assert {"quantity", "unit", "months"} <= set(errors)


# --- Annual quantity ------------------------------------------------------------------------------------


def test_annual_quantity_of_a_yearly_stream_is_in_kilograms(member, site):
    assert declare(member, site).annual_quantity == Decimal("12000")


def test_annual_quantity_of_a_daily_stream(member, site):
    stream = declare(member, site, quantity=Decimal("0.2"), period=Period.DAY)

    assert stream.annual_quantity == Decimal("73000")


def test_annual_quantity_of_a_monthly_stream(member, site):
    stream = declare(member, site, quantity=Decimal("1.2"), period=Period.MONTH)

    assert stream.annual_quantity == Decimal("14400")


def test_annual_quantity_of_a_seasonal_stream_counts_its_months_only(member, site):
    stream = declare(
        member, site, quantity=Decimal("2"), period=Period.MONTH, regularity=Regularity.SEASONAL, months=[6, 7, 8]
    )

    assert stream.annual_quantity == Decimal("6000")


def test_annual_quantity_of_a_volume_uses_the_density_of_the_material(member, site):
    # Sawdust weighs 200 kg/m³: 5 m³ a month are 12 t a year.
    stream = declare(member, site, material=material("wood.sawdust"), quantity=Decimal("5"), unit=unit("m3"),
                     period=Period.MONTH)  # fmt: skip

    assert stream.annual_quantity == Decimal("12000")


def test_annual_quantity_of_energy_is_in_kilowatt_hours(member, site):
    stream = declare(member, site, kind=StreamKind.SURPLUS, material=material("energy.heat"), unit=unit("MWh"),
                     quantity=Decimal("1250"))  # fmt: skip

    assert stream.annual_quantity == Decimal("1250000")


def test_annual_quantity_follows_an_update(member, site):
    stream = declare(member, site)

    stream_update(actor=member, stream=stream, quantity=Decimal("3"), period=Period.WEEK)

    stream.refresh_from_db()
    assert stream.annual_quantity == Decimal("156000")


# --- History, duplicate, archive ------------------------------------------------------------------------


def test_the_history_records_who_declared_and_who_corrected(member, coordinator, site):
    stream = declare(member, site)

    stream_update(actor=coordinator, stream=stream, quantity=Decimal("15"))

    records = list(stream.history.order_by("history_date"))
    assert [(record.history_type, record.history_user) for record in records] == [("+", member), ("~", coordinator)]
    assert records[-1].quantity == Decimal("15")
    assert stream.declared_by == member


def test_duplicate_creates_a_draft_copy(member, site):
    stream = declare(member, site, description="Palettes cassées")

    copy = stream_duplicate(actor=member, stream=stream)

    assert copy.pk != stream.pk
    assert copy.status == StreamStatus.DRAFT
    assert (copy.material, copy.quantity, copy.description) == (stream.material, stream.quantity, "Palettes cassées")
    assert copy.declared_by == member


def test_archive_keeps_the_row(member, site):
    stream = declare(member, site)

    stream_archive(actor=member, stream=stream)

    stream.refresh_from_db()
    assert stream.status == StreamStatus.ARCHIVED
    assert Stream.objects.count() == 1


# --- Rights -----------------------------------------------------------------------------------------------


def test_a_member_editor_declares_for_its_own_sites(member_org, site):
    editor = UserFactory(member=member_org, member_role=MemberRole.EDITOR)

    assert declare(editor, site).declared_by == editor


def test_a_viewer_cannot_declare(member_viewer, site):
    with pytest.raises(PermissionDenied):
        declare(member_viewer, site)


def test_a_member_cannot_declare_for_another_members_site(other_member, site):
    with pytest.raises(PermissionDenied):
        declare(other_member, site)


def test_a_member_cannot_edit_duplicate_or_archive_another_members_stream(other_member, site):
    stream = StreamFactory(site=site)

    for write in (
        lambda: stream_update(actor=other_member, stream=stream, quantity=Decimal("1")),
        lambda: stream_duplicate(actor=other_member, stream=stream),
        lambda: stream_archive(actor=other_member, stream=stream),
    ):
        with pytest.raises(PermissionDenied):
            write()


def test_a_member_cannot_move_its_stream_to_another_members_site(member, site, other_member_org):
    stream = StreamFactory(site=site)

    with pytest.raises(PermissionDenied):
        stream_update(actor=member, stream=stream, site=other_member_org.sites.get())


def test_a_partner_cannot_declare(partner, site):
    with pytest.raises(PermissionDenied):
        declare(partner, site)


def test_the_coordinator_declares_and_corrects_for_any_member(coordinator, site):
    stream = declare(coordinator, site)

    stream_update(actor=coordinator, stream=stream, current_route=Route.RECYCLING_OUTSIDE)

    stream.refresh_from_db()
    assert stream.current_route == Route.RECYCLING_OUTSIDE


def test_unknown_fields_are_a_programming_error(member, site):
    with pytest.raises(TypeError):
        declare(member, site, colour="vert")
