"""Exports of the project list: the filtered list as CSV or XLSX, with totals and formulas neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects.enums import ProjectKind, ProjectStatus

from .factories import BudgetLineFactory, FundingFactory, ProjectFactory


def export_url(file_format: str) -> str:
    return reverse("projects:project_export", kwargs={"file_format": file_format})


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def funded_projects():
    heating = ProjectFactory(title="Chaufferie", kind=ProjectKind.ENERGY, status=ProjectStatus.FUNDING)
    BudgetLineFactory(project=heating, amount=Decimal("30000"))
    FundingFactory(project=heating, amount_requested=Decimal("20000"), amount_granted=Decimal("12000"))
    premises = ProjectFactory(title="Locaux", kind=ProjectKind.PREMISES)
    BudgetLineFactory(project=premises, amount=Decimal("5000.50"))
    return heating, premises


def test_csv_export_has_a_row_per_project_and_a_totals_row(client, coordinator, funded_projects):
    client.force_login(coordinator)

    response = client.get(export_url("csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="projets-')
    header, *rows, totals = csv_rows(response)
    assert header[:3] == ["Intitulé", "Type de projet", "Statut"]
    assert header[8:13] == ["Budget (€)", "Financement demandé (€)", "Financement accordé (€)",
                            "Financement perçu (€)", "Reste à financer (€)"]  # fmt: skip
    by_title = {row[0]: row for row in rows}
    assert by_title["Chaufferie"][8:13] == ["30000,00", "20000,00", "12000,00", "0,00", "18000,00"]
    assert by_title["Locaux"][1:3] == ["Mutualisation de locaux", "Idée"]
    assert totals[0] == "Total"
    assert totals[8:13] == ["35000,50", "20000,00", "12000,00", "0,00", "23000,50"]


def test_export_follows_the_list_filters(client, coordinator, funded_projects):
    client.force_login(coordinator)

    response = client.get(export_url("csv"), {"kind": ProjectKind.ENERGY})

    assert [row[0] for row in csv_rows(response)[1:]] == ["Chaufferie", "Total"]


def test_xlsx_export_has_the_same_rows_with_numbers(client, coordinator, funded_projects):
    client.force_login(coordinator)

    response = client.get(export_url("xlsx"), {"ordering": "title"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Projets"
    assert [row[0] for row in rows[1:]] == ["Chaufferie", "Locaux", "Total"]
    assert rows[1][8] == 30000 and rows[1][12] == 18000
    assert rows[-1][8] == pytest.approx(35000.5)


def test_exports_neutralise_formulas_in_text_cells(client, coordinator):
    ProjectFactory(title='=HYPERLINK("http://evil.test","clic")')
    client.force_login(coordinator)

    csv_title = csv_rows(client.get(export_url("csv")))[1][0]
    xlsx_title = load_workbook(io.BytesIO(client.get(export_url("xlsx")).content)).active["A2"].value

    assert csv_title == xlsx_title == '\'=HYPERLINK("http://evil.test","clic")'


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_only_the_coordinator_exports_the_project_list(client, member, partner, file_format):
    for user in (member, partner):
        client.force_login(user)
        assert client.get(export_url(file_format)).status_code == 403
