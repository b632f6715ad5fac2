"""Spreadsheets the platform hands out: exports of lists (CSV and XLSX) and the registry import template.

Every text cell goes through `neutralise_formula`: a cell starting with `=`, `+`, `-` or `@` is run as a
formula by Excel or LibreOffice (`=HYPERLINK(...)` in a member's name would become a link to anywhere),
so it is prefixed with an apostrophe and stays text. CSV is written as French Excel opens it with a
double click: UTF-8 with a byte order mark, `;` between cells, decimal comma, dates as JJ/MM/AAAA.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .imports import COLUMNS, Column
from .models import College, Site

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
CENT = Decimal("0.01")


def neutralise_formula(value):
    """Return text that a spreadsheet will not run as a formula; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return neutralise_formula(str(value))


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in headers])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()


def _xlsx_cell(sheet, value, bold=False):
    if isinstance(value, bool):
        value = _yes_no(value)
    elif isinstance(value, str):
        value = neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """A workbook written row by row (openpyxl's write-only mode keeps memory flat on long lists)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_xlsx_cell(sheet, header, bold=True) for header in spec.headers])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Member list ------------------------------------------------------------------------------------


def member_export_queryset(queryset):
    """The members to export with everything a row needs, in two queries whatever their number.

    `queryset` must already carry `with_site_count()` and `with_outstanding_fees()` (the list's ordering
    may sort on them, so they are added before filtering)."""
    main_sites = Prefetch("sites", queryset=Site.objects.filter(is_main=True), to_attr="main_sites")
    return queryset.select_related("college").prefetch_related(main_sites)


def member_export_headers() -> list[str]:
    return [
        _("SIREN"), _("Raison sociale"), _("Nom court"), _("Type de structure"), _("Forme juridique"),
        _("Statut ESS"), _("Agrément ESUS"), _("Structure d'insertion"), _("Code NAF"), _("Libellé NAF"),
        _("Statut d'adhésion"), _("Adhérent depuis le"), _("Collège"), _("Commune du site principal"),
        _("Nombre de sites"), _("Cotisations dues (€)"), _("Site web"),
    ]  # fmt: skip


def member_export_rows(members) -> Iterable[list]:
    for member in members:
        main_site = member.main_sites[0] if member.main_sites else None
        yield [
            member.siren, member.name, member.short_name, member.get_kind_display(),
            member.get_legal_form_display(), member.is_ess, member.esus_approved, member.get_iae_type_display(),
            member.naf_code, member.naf_label or "", member.get_status_display(), member.joined_on,
            member.college.name if member.college else "", main_site.commune if main_site else "",
            member.site_count, Decimal(member.outstanding_fees).quantize(CENT), member.website,
        ]  # fmt: skip


def member_export_csv(*, queryset) -> bytes:
    return csv_bytes(headers=member_export_headers(), rows=member_export_rows(member_export_queryset(queryset)))


def member_export_xlsx(*, queryset) -> bytes:
    rows = member_export_rows(member_export_queryset(queryset))
    widths = (12, 36, 16, 24, 20, 10, 10, 24, 10, 40, 14, 14, 24, 24, 10, 12, 30)
    return xlsx_bytes(sheets=[Sheet(_("Membres"), member_export_headers(), rows, widths)])


# --- Import template --------------------------------------------------------------------------------

TEMPLATE_EXAMPLE = {
    "siren": "732829320", "name": "Ressourcerie des Deux Rives", "short_name": "R2R",
    "kind": "ess_enterprise", "legal_form": "association", "is_ess": True, "esus_approved": True,
    "iae_type": "aci", "naf_code": "38.32Z", "website": "https://ressourcerie.example", "status": "active",
    "joined_on": date(2024, 1, 15), "college": "", "siret": "73282932000074", "site_name": "Atelier principal",
    "address": "12 rue des Artisans", "postcode": "57700", "commune": "Hayange", "latitude": Decimal("49.3298"),
    "longitude": Decimal("6.062"), "is_main": True,
}  # fmt: skip
TEXT_KINDS = ("siren", "siret", "postcode")  # stored as text so that the spreadsheet keeps leading zeros


def _example_value(column: Column):
    value = TEMPLATE_EXAMPLE[column.field]
    if column.choices and value:
        with translation.override("fr"):
            return str(column.choices(value).label)
    return _yes_no(value) if isinstance(value, bool) else value


def _accepted_values(column: Column, colleges: list[str]) -> str:
    if column.choices:
        return " ; ".join(str(label) for label in column.choices.labels)
    return {
        "bool": _("oui ou non (aussi : vrai/faux, 1/0, x pour oui)"),
        "date": _("JJ/MM/AAAA ou AAAA-MM-JJ"),
        "decimal": _("nombre, avec une virgule ou un point"),
        "college": " ; ".join(colleges) or _("aucun collège n'est encore créé"),
    }.get(column.kind, "")


def registry_template_csv() -> bytes:
    return csv_bytes(
        headers=[column.header for column in COLUMNS], rows=[[_example_value(column) for column in COLUMNS]]
    )


def registry_template_xlsx() -> bytes:
    """The template: headers and an example row, drop-down lists on choice columns, and a help sheet."""
    colleges = list(College.objects.values_list("name", flat=True))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Membres et sites")
    sheet.append([column.header for column in COLUMNS])
    sheet.append([_example_value(column) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(_("Listes"))
    lists.sheet_state = "hidden"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.kind in TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = sheet[f"{letter}2"].number_format = "@"
        elif column.kind == "date":
            sheet[f"{letter}2"].number_format = DATE_FORMAT
        values = [str(label) for label in column.choices.labels] if column.choices else []
        values = values or (colleges if column.kind == "college" else [])
        values = values or ([_("oui"), _("non")] if column.kind == "bool" else [])
        if values:
            for row, value in enumerate(values, start=1):
                lists.cell(row=row, column=index, value=value)
            source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(validation)
    help_sheet = workbook.create_sheet(_("Aide"), 1)
    help_sheet.append([_("Colonne"), _("Obligatoire"), _("Description"), _("Valeurs acceptées")])
    for column in COLUMNS:
        required = _yes_no(column.required)
        help_sheet.append([column.header, required, str(column.help), _accepted_values(column, colleges)])
    help_sheet.append([])
    for note in (
        _("Une ligne par site. Les lignes d'un même SIREN décrivent les sites d'un même membre : les colonnes du membre peuvent n'être remplies que sur la première."),
        _("Un nouvel import du même fichier met à jour les membres (par SIREN) et les sites (par SIRET, ou par nom sans SIRET) au lieu de les dupliquer."),
        _("Une cellule vide ne supprime rien : la valeur enregistrée est conservée."),
        _("Supprimez la ligne d'exemple avant d'importer vos données."),
    ):  # fmt: skip
        help_sheet.append([note])
    help_sheet["A1"].font = help_sheet["B1"].font = help_sheet["C1"].font = help_sheet["D1"].font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 12, 70, 70), strict=True):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
