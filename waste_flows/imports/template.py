"""The stream file template (CSV, and XLSX with drop-down lists and help sheets) members start from."""

import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from members.exports import DATE_FORMAT, csv_bytes
from members.models import Site, User

from ..enums import (
    Confidentiality,
    Direction,
    Period,
    PhysicalForm,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from ..models import Material, Unit
from .columns import COLUMNS, REQUIRED, Column
from .reading import either_of

# --- Template -----------------------------------------------------------------------------------------


def _example_rows(user: User) -> list[dict[str, object]]:
    site = Site.objects.filter(member_id=user.member_id).order_by("-is_main", "pk").first() if user.member_id else None
    siret, site_name = (site.siret, site.name) if site else ("73282932000074", "Atelier principal")
    with translation.override("fr"):
        return [
            {"siret": siret, "site": site_name, "reference": "PAL-01", "direction": str(Direction.OFFER.label),
             "kind": str(StreamKind.WASTE.label), "material": "Palettes", "ewc_code": "15 01 03",
             "description": "Palettes cassées du quai d'expédition", "quantity": Decimal("24"), "unit": "t",
             "period": str(Period.YEAR.label), "regularity": str(Regularity.CONTINUOUS.label),
             "physical_form": str(PhysicalForm.PACKAGED.label), "current_route": str(Route.LANDFILL.label),
             "current_route_cost": Decimal("3100"), "max_distance_km": 30, "accepts_hazardous": "non",
             "confidentiality": str(Confidentiality.MEMBERS.label), "status": str(StreamStatus.ACTIVE.label)},
            {"siret": siret, "site": site_name, "reference": "BES-01", "direction": str(Direction.NEED.label),
             "kind": str(StreamKind.INPUT.label), "material": "biowaste.soil_improver",
             "description": "Compost pour les espaces verts", "quantity": Decimal("4"), "unit": "t",
             "period": str(Period.MONTH.label), "regularity": str(Regularity.SEASONAL.label), "months": "3;4;5",
             "physical_form": str(PhysicalForm.SOLID.label), "max_distance_km": 20, "accepts_hazardous": "non",
             "confidentiality": str(Confidentiality.PUBLIC.label), "status": str(StreamStatus.DRAFT.label)},
        ]  # fmt: skip


def stream_template_csv(*, user: User) -> bytes:
    rows = [[example.get(column.field, "") for column in COLUMNS] for example in _example_rows(user)]
    return csv_bytes(headers=[column.header for column in COLUMNS], rows=rows)


def _accepted_values(column: Column) -> str:
    if column.choices:
        return " ; ".join(str(label) for label in column.choices.labels)
    return {
        "bool": _("oui ou non (aussi : vrai/faux, 1/0, x pour oui)"),
        "date": _("JJ/MM/AAAA ou AAAA-MM-JJ"),
        "quantity": _("nombre, avec une virgule ou un point"),
        "money": _("nombre, avec une virgule ou un point"),
        "integer": _("nombre entier"),
        "material": _("voir l'onglet Matières"),
        "unit": _("voir l'onglet Unités"),
        "months": _("1 à 12, séparés par des points-virgules"),
    }.get(column.kind, "")


def stream_template_xlsx(*, user: User) -> bytes:
    """The template: headers, two example rows, drop-down lists, and sheets explaining columns, materials
    and units."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Flux")
    sheet.append([column.header for column in COLUMNS])
    for example in _example_rows(user):
        sheet.append([example.get(column.field) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(_("Listes"))
    lists.sheet_state = "hidden"
    materials = list(Material.objects.order_by("code"))
    units = list(Unit.objects.all())
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.kind == "siret":
            sheet.column_dimensions[letter].number_format = "@"
            for row in (2, 3):
                sheet[f"{letter}{row}"].number_format = "@"
        elif column.kind == "date":
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        _add_drop_down(sheet, lists, index, _drop_down_values(column, materials, units))
    _add_help_sheets(workbook, materials, units)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _drop_down_values(column: Column, materials, units) -> list[str]:
    if column.choices:
        return [str(label) for label in column.choices.labels]
    if column.kind == "material":
        return [material.name_fr for material in materials]
    if column.kind == "unit":
        return [unit.code for unit in units]
    return [_("oui"), _("non")] if column.kind == "bool" else []


def _add_drop_down(sheet, lists, index: int, values: list[str]) -> None:
    if not values:
        return
    letter = get_column_letter(index)
    for row, value in enumerate(values, start=1):
        lists.cell(row=row, column=index, value=value)
    source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
    validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
    validation.add(f"{letter}2:{letter}10000")
    sheet.add_data_validation(validation)


def _add_help_sheets(workbook: Workbook, materials, units) -> None:
    help_sheet = workbook.create_sheet(_("Aide"), 1)
    help_sheet.append([_("Colonne"), _("Obligatoire"), _("Description"), _("Valeurs acceptées")])
    required = {name for group in REQUIRED for name in group}
    for column in COLUMNS:
        is_required = _("oui") if column.field in required and len(_group_of(column)) == 1 else _("non")
        if len(_group_of(column)) > 1:
            is_required = _("l'une des deux : %(columns)s") % {"columns": either_of(_group_of(column))}
        help_sheet.append([column.header, is_required, str(column.help), _accepted_values(column)])
    help_sheet.append([])
    for note in (
        _("Une ligne par flux : une offre (ce que le site produit ou met à disposition) ou un besoin (ce qu'il consomme ou recherche)."),
        _("Un membre importe pour les sites de sa structure, désignés par leur SIRET ou leur nom ; la coordination désigne les sites par leur SIRET."),
        _("Un nouvel import met à jour au lieu de dupliquer : un flux est reconnu par son site, son sens, sa matière, son code déchet et sa description (sans tenir compte des majuscules, des accents ni de la ponctuation). Modifier l'un d'eux déclare un nouveau flux."),
        _("La colonne Référence sert à vous repérer dans l'aperçu ; elle doit être unique dans le fichier mais n'est pas enregistrée et ne sert pas à reconnaître le flux."),
        _("Une cellule vide ne supprime rien : la valeur enregistrée est conservée."),
        _("Rien n'est enregistré si une seule ligne est en erreur. Supprimez les lignes d'exemple avant d'importer vos données."),
    ):  # fmt: skip
        help_sheet.append([note])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 20, 70, 70), strict=True):
        help_sheet.column_dimensions[letter].width = width
    material_sheet = workbook.create_sheet(_("Matières"), 2)
    material_sheet.append([_("Code"), _("Nom"), _("Se mesure en"), _("Masse volumique (kg/m³)")])
    for material in materials:
        density = float(material.density_kg_per_m3) if material.density_kg_per_m3 else None
        material_sheet.append([material.code, material.name_fr, material.get_dimension_display(), density])
    unit_sheet = workbook.create_sheet(_("Unités"), 3)
    unit_sheet.append([_("Code"), _("Symbole"), _("Nom"), _("Mesure")])
    for unit in units:
        unit_sheet.append([unit.code, unit.symbol, unit.name_fr, unit.get_dimension_display()])
    for extra in (material_sheet, unit_sheet):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 32, 50


def _group_of(column: Column) -> tuple[str, ...]:
    return next((group for group in REQUIRED if column.field in group), ())
