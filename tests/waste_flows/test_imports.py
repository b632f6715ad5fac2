import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from waste_flows.enums import Confidentiality, Direction, Period, Regularity, Route, StreamKind, StreamStatus
from waste_flows.imports import COLUMNS, parse_stream_file, stream_import_apply, stream_import_preview
from waste_flows.models import Stream

from ..members.factories import SiteFactory
from .factories import StreamFactory, material, unit

HEADER_OF = {column.field: column.header for column in COLUMNS}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def site(member_org):
    return member_org.sites.get()


@pytest.fixture
def other_site(other_member_org):
    return other_member_org.sites.get()


def an_offer(on, **values) -> dict:
    """One valid offer of wood pallets, keyed by the English column names; override with keyword arguments."""
    row = {
        "siret": on.siret,
        "reference": "PAL-01",
        "direction": "offre",
        "kind": "Déchet",
        "material": "Palettes",
        "ewc_code": "15 01 03",
        "description": "Palettes cassées du quai d'expédition",
        "quantity": "24",
        "unit": "t",
        "period": "par an",
        "current_route": "Enfouissement",
        "current_route_cost": "3 100",
        "confidentiality": "Membres du pôle",
    }
    row.update(values)
    return row


def a_need(on, **values) -> dict:
    row = {
        "site": on.name,
        "reference": "BES-01",
        "direction": "besoin",
        "material": "biowaste.soil_improver",
        "description": "Compost pour les massifs",
        "quantity": "4,5",
        "unit": "t",
        "period": "par mois",
        "regularity": "Saisonnier",
        "months": "3;4;5",
        "max_distance_km": "20",
    }
    row.update(values)
    return row


def csv_file(rows, *, encoding="utf-8", name="flux.csv", fields=None) -> SimpleUploadedFile:
    fields = fields or list(HEADER_OF)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([HEADER_OF.get(name, name) for name in fields])
    writer.writerows([row.get(name, "") for name in fields] for row in rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def xlsx_file(header, rows, name="flux.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_file(actor, uploaded_file):
    return stream_import_apply(actor=actor, parsed=parse_stream_file(uploaded_file=uploaded_file))


def preview_of(actor, uploaded_file):
    return stream_import_preview(actor=actor, parsed=parse_stream_file(uploaded_file=uploaded_file))


# --- Importing --------------------------------------------------------------------------------------


def test_valid_file_imports_streams_through_the_services_with_the_importing_user_as_author(member, site):
    result = import_file(member, csv_file([an_offer(site), a_need(site)]))

    assert (result.created, result.updated) == (2, 0)
    offer = Stream.objects.get(direction=Direction.OFFER)
    assert offer.site == site
    assert offer.kind == StreamKind.WASTE
    assert offer.material.code == "wood.pallets"
    assert offer.ewc_code_id == "15 01 03"
    assert offer.annual_quantity == Decimal("24000")
    assert offer.current_route == Route.LANDFILL
    assert offer.current_route_cost == Decimal("3100")
    assert offer.declared_by == member
    assert offer.history.get().history_user == member
    need = Stream.objects.get(direction=Direction.NEED)
    assert need.kind == StreamKind.INPUT  # inferred from the material when the column is empty
    assert (need.regularity, need.months, need.period) == (Regularity.SEASONAL, [3, 4, 5], Period.MONTH)
    assert need.annual_quantity == Decimal("13500")  # 4.5 t a month during 3 months
    assert need.max_distance_km == 20
    assert need.history.get().history_user == member


def test_coordinator_imports_for_any_member_by_siret(coordinator, site, other_site):
    result = import_file(coordinator, csv_file([an_offer(site), an_offer(other_site)]))

    assert result.created == 2
    assert {stream.site for stream in Stream.objects.all()} == {site, other_site}
    assert {record.history_user for record in Stream.history.all()} == {coordinator}


def test_material_is_taken_from_the_waste_code_when_its_cell_is_empty(member, site):
    import_file(member, csv_file([an_offer(site, material="", ewc_code="150101")]))

    stream = Stream.objects.get()
    assert (stream.material.code, stream.ewc_code_id) == ("paper.cardboard", "15 01 01")


def test_codes_symbols_and_short_french_words_are_understood(member, site):
    row = an_offer(
        site, direction="offer", kind="by_product", material="wood.sawdust", ewc_code="", unit="m³",
        period="week", confidentiality="public", status="draft", physical_form="poudre",
    )  # fmt: skip
    import_file(member, csv_file([row]))

    stream = Stream.objects.get()
    assert (stream.kind, stream.material.code, stream.unit_id) == (StreamKind.BY_PRODUCT, "wood.sawdust", "m3")
    assert (stream.period, stream.status) == (Period.WEEK, StreamStatus.DRAFT)
    assert stream.confidentiality == Confidentiality.PUBLIC
    assert stream.annual_quantity == Decimal("24") * 200 * 52  # m³ of sawdust at 200 kg/m³, every week


def test_english_field_names_are_accepted_as_headers(member, site):
    fields = ["siret", "direction", "material", "quantity", "unit"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([fields, [site.siret, "offer", "wood.pallets", "12", "t"]])

    import_file(member, SimpleUploadedFile("streams.csv", buffer.getvalue().encode()))

    assert Stream.objects.get().quantity == 12


# --- Refusing bad rows ------------------------------------------------------------------------------

BAD_ROWS = {
    "zero quantity": ({"quantity": "0"}, "Quantité", "0", "supérieure à zéro"),
    "kWh of pallets": ({"unit": "kWh"}, "Unité", "kWh", "« Palettes » se mesure en masse"),
    "unknown waste code": ({"ewc_code": "99 99 99"}, "Code déchet", "99 99 99", "n'existe pas"),
    "end before start": (
        {"available_from": "01/06/2026", "available_until": "01/01/2026"}, "Disponible au", "01/01/2026", "précéder",
    ),
    "unknown material": ({"material": "palette"}, "Matière", "palette", "Vouliez-vous dire : Palettes (wood.pallets)"),
    "seasonal without months": ({"regularity": "saisonnier"}, "Mois", "", "mois de disponibilité"),
    "route of a need": ({"direction": "besoin", "kind": "", "ewc_code": ""}, "Devenir actuel", "Enfouissement", "offres"),
    "month 13": ({"regularity": "saisonnier", "months": "12;13"}, "Mois", "12;13", "numéro"),
}  # fmt: skip


@pytest.mark.parametrize(("overrides", "column", "value", "reason"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_saves_nothing_and_the_report_names_row_column_and_reason(
    member, site, overrides, column, value, reason
):
    rows = [an_offer(site), an_offer(site, reference="X", description="Autre", **overrides), a_need(site)]

    report = preview_of(member, csv_file(rows))

    assert not report.is_valid
    assert [(error.row, error.column, error.value) for error in report.errors] == [(3, column, value)]
    assert reason in report.errors[0].message
    with pytest.raises(ValidationError):
        import_file(member, csv_file(rows))
    assert not Stream.objects.exists()


def test_a_member_user_cannot_import_onto_another_members_site(member, site, other_site):
    rows = [an_offer(site), an_offer(other_site, reference="X"), a_need(site, site=other_site.name, reference="Y")]

    report = preview_of(member, csv_file(rows))

    assert [(error.row, error.column) for error in report.errors] == [(3, "SIRET"), (4, "Site")]
    assert "autre structure" in report.errors[0].message
    with pytest.raises(ValidationError):
        import_file(member, csv_file(rows))
    assert not Stream.objects.exists()


def test_the_coordinator_names_sites_by_siret(coordinator, site):
    report = preview_of(coordinator, csv_file([a_need(site)]))

    assert [(error.row, error.column) for error in report.errors] == [(2, "Site")]


def test_an_unknown_siret_is_reported(member, site):
    report = preview_of(member, csv_file([an_offer(site, siret="73282932000074")]))

    assert [(error.column, error.message) for error in report.errors] == [("SIRET", "Aucun site du registre n'a ce SIRET.")]  # fmt: skip


def test_a_need_for_a_hazardous_waste_must_accept_hazardous_waste(member, site):
    row = an_offer(site, direction="besoin", kind="", material="", ewc_code="13 02 05*", current_route="", unit="L")

    report = preview_of(member, csv_file([row]))
    assert [error.column for error in report.errors] == ["Code déchet"]

    import_file(member, csv_file([{**row, "accepts_hazardous": "oui"}]))
    assert Stream.objects.get().is_hazardous


def test_required_cells_are_reported_once_each(member, site):
    report = preview_of(
        member, csv_file([an_offer(site, direction="", quantity="", unit="", material="", ewc_code="")])
    )

    assert sorted(error.column for error in report.errors) == ["Matière", "Quantité", "Sens", "Unité"]


def test_a_stream_twice_in_the_file_and_a_reference_twice_are_reported(member, site):
    report = preview_of(member, csv_file([an_offer(site), an_offer(site, reference="PAL-02"), a_need(site, reference="PAL-01")]))  # fmt: skip

    assert [(error.row, error.column) for error in report.errors] == [(3, "Description"), (4, "Référence")]


# --- Re-importing -----------------------------------------------------------------------------------


def test_reimporting_the_same_file_updates_instead_of_duplicating(member, site):
    import_file(member, csv_file([an_offer(site), a_need(site)]))

    # Case, accents and punctuation of the description do not matter; the SIRET may be replaced by the name.
    changed = an_offer(
        site, siret="", site=site.name, description="PALETTES CASSEES DU QUAI D EXPEDITION", quantity="30"
    )
    result = import_file(member, csv_file([changed, a_need(site)]))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Stream.objects.count() == 2
    offer = Stream.objects.get(direction=Direction.OFFER)
    assert offer.quantity == 30
    assert offer.description == "PALETTES CASSEES DU QUAI D EXPEDITION"  # the file's text is written
    assert offer.history.count() == 2
    assert Stream.objects.get(direction=Direction.NEED).history.count() == 1


def test_reimport_updates_a_stream_declared_by_hand_and_keeps_what_empty_cells_leave_out(member, site):
    stream = StreamFactory(site=site, description="Palettes cassées du quai d'expédition", max_distance_km=15)
    stream.ewc_code_id = "15 01 03"
    stream.save()

    import_file(member, csv_file([an_offer(site, quantity="40")], fields=["siret", "direction", "material", "ewc_code", "description", "quantity", "unit"]))  # fmt: skip

    stream.refresh_from_db()
    assert (stream.quantity, stream.max_distance_km, stream.current_route) == (40, 15, Route.LANDFILL)
    assert stream.history.latest().history_user == member


def test_an_ambiguous_natural_key_is_reported(member, site):
    StreamFactory.create_batch(2, site=site, description="Palettes", ewc_code=None)

    report = preview_of(member, csv_file([an_offer(site, description="Palettes", ewc_code="")]))

    assert [error.column for error in report.errors] == ["Description"]


# --- Files ------------------------------------------------------------------------------------------


LATIN1_FIELDS = ["siret", "direction", "material", "description", "quantity", "unit"]  # no € sign in Latin-1


def test_latin1_csv_gets_a_clear_encoding_error(site):
    with pytest.raises(ValidationError, match="UTF-8"):
        parse_stream_file(uploaded_file=csv_file([an_offer(site)], encoding="latin-1", fields=LATIN1_FIELDS))


@pytest.mark.parametrize("name", ["flux.txt", "flux.xls", "flux"])
def test_files_other_than_csv_or_xlsx_are_rejected(name):
    with pytest.raises(ValidationError, match="Format non pris en charge"):
        parse_stream_file(uploaded_file=SimpleUploadedFile(name, b"a;b\n1;2\n"))


def test_a_file_over_10_mb_is_rejected():
    big = SimpleUploadedFile("flux.csv", b"x" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="10 Mo"):
        parse_stream_file(uploaded_file=big)


def test_missing_required_columns_are_named(site):
    with pytest.raises(ValidationError) as error:
        parse_stream_file(uploaded_file=csv_file([an_offer(site)], fields=["siret", "direction", "description"]))

    assert "Quantité, Unité, Matière ou Code déchet" in error.value.messages[0]


def test_xlsx_round_trip_with_typed_cells(member, site):
    header = ["SIRET", "Sens", "Matière", "Code déchet", "Quantité", "Unité", "Disponible du", "Mois", "Régularité"]
    rows = [
        [int(site.siret), "Offre", "Palettes", 150103, 12.5, "t", date(2026, 3, 1), None, None],
        [site.siret, "Besoin", "Compost, amendements et fertilisants organiques", None, 3, "t", None, 4, "Saisonnier"],
    ]

    result = import_file(member, xlsx_file(header, rows))

    assert result.created == 2
    offer = Stream.objects.get(direction=Direction.OFFER)
    assert (offer.quantity, offer.ewc_code_id, offer.available_from) == (Decimal("12.5"), "15 01 03", date(2026, 3, 1))
    assert Stream.objects.get(direction=Direction.NEED).months == [4]


def test_xlsx_errors_give_the_spreadsheet_row_number(member, site):
    header = ["SIRET", "Sens", "Matière", "Description", "Quantité", "Unité"]
    rows = [
        [site.siret, "Offre", "Palettes", "A", 5, "t"],
        [None] * 6,
        [site.siret, "Offre", "Palettes", "B", -2, "t"],
    ]

    report = preview_of(member, xlsx_file(header, rows))

    assert [(error.row, error.column) for error in report.errors] == [(4, "Quantité")]


def test_xlsx_template_explains_every_column_and_imports_as_is(client, member, site):
    client.force_login(member)
    response = client.get(reverse("waste_flows:import_template", kwargs={"file_format": "xlsx"}))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:4] == ["Flux", "Aide", "Matières", "Unités"]
    assert [cell.value for cell in workbook["Flux"][1]] == [column.header for column in COLUMNS]
    assert {row[0].value for row in workbook["Aide"].iter_rows(min_row=2, max_row=len(COLUMNS) + 1)} == set(HEADER_OF.values())  # fmt: skip
    assert "wood.pallets" in {row[0].value for row in workbook["Matières"].iter_rows()}
    result = import_file(member, SimpleUploadedFile("modele.xlsx", response.content))
    assert result.created == 2


def test_csv_template_is_accepted_by_the_importer(client, member, site):
    client.force_login(member)
    response = client.get(reverse("waste_flows:import_template", kwargs={"file_format": "csv"}))

    assert import_file(member, SimpleUploadedFile("modele.csv", response.content)).created == 2


# --- Pages ------------------------------------------------------------------------------------------


def test_member_uploads_previews_and_confirms_an_import(client, member, site):
    client.force_login(member)

    response = client.post(reverse("waste_flows:import"), {"file": csv_file([an_offer(site), a_need(site)])})
    assert response.status_code == 302
    page = client.get(reverse("waste_flows:import_preview"))
    assert page.status_code == 200
    assert "Confirmer l'import" in page.content.decode()
    assert not Stream.objects.exists()

    response = client.post(reverse("waste_flows:import_preview"))
    assert response.url == reverse("waste_flows:my_streams")
    assert Stream.objects.count() == 2


def test_preview_of_a_bad_file_lists_errors_and_confirming_by_hand_saves_nothing(client, member, site):
    client.force_login(member)
    client.post(reverse("waste_flows:import"), {"file": csv_file([an_offer(site, quantity="0")])})

    page = client.get(reverse("waste_flows:import_preview")).content.decode()
    assert "supérieure à zéro" in page
    assert "Confirmer l'import" not in page
    client.post(reverse("waste_flows:import_preview"))
    assert not Stream.objects.exists()


def test_unreadable_file_is_refused_on_the_upload_form(client, member, site):
    client.force_login(member)

    response = client.post(
        reverse("waste_flows:import"), {"file": csv_file([an_offer(site)], encoding="latin-1", fields=LATIN1_FIELDS)}
    )

    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()


def test_services_refuse_an_import_by_someone_who_may_not_import(member_viewer, site):
    with pytest.raises(PermissionDenied):
        import_file(member_viewer, csv_file([an_offer(site)]))


IMPORT_PAGES = [
    ("waste_flows:import", {}),
    ("waste_flows:import_preview", {}),
    ("waste_flows:import_template", {"file_format": "xlsx"}),
    ("waste_flows:import_template", {"file_format": "csv"}),
]


@pytest.mark.parametrize(("page", "kwargs"), IMPORT_PAGES)
@pytest.mark.parametrize("role", ["member_viewer", "partner", "plain_user"])
def test_import_pages_are_forbidden_to_viewers_partners_and_users_without_member(client, request, site, role, page, kwargs):  # fmt: skip
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse(page, kwargs=kwargs)).status_code == 403
    assert client.post(reverse(page, kwargs=kwargs), {"file": csv_file([an_offer(site)])}).status_code == 403
    assert not Stream.objects.exists()


@pytest.mark.parametrize(("page", "kwargs"), IMPORT_PAGES)
def test_anonymous_visitors_are_sent_to_login_from_import_pages(client, db, page, kwargs):
    response = client.get(reverse(page, kwargs=kwargs))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_editor_of_the_member_may_import(client, member_org, site):
    from members.enums import MemberRole

    from ..members.factories import UserFactory

    editor = UserFactory(email="editrice@recyclerie.test", member=member_org, member_role=MemberRole.EDITOR)
    client.force_login(editor)

    assert client.get(reverse("waste_flows:import")).status_code == 200


def test_import_of_many_rows_costs_a_bounded_number_of_queries_to_preview(member, site, django_assert_max_num_queries):
    sites = [site, *SiteFactory.create_batch(3, member=site.member)]
    rows = [an_offer(sites[n % 4], reference=f"R{n}", description=f"Lot {n}") for n in range(200)]
    uploaded = csv_file(rows)
    parsed = parse_stream_file(uploaded_file=uploaded)

    # Reference data, sites and recorded streams are loaded once, whatever the number of rows.
    with django_assert_max_num_queries(12):
        report = stream_import_preview(actor=member, parsed=parsed)
    assert report.is_valid
    assert material("wood.pallets").streams.count() == 0
    assert unit("t")
