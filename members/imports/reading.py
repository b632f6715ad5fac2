"""Step 1 of the registry import: reading the file (size, encoding, separator, headers) into raw cells."""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..models import Member, Site
from .columns import COLUMNS, EXTENSIONS, MAX_FILE_BYTES, MAX_ROWS, MEMBER, Column

# --- Step 1: reading the file -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    number: int  # as shown by the spreadsheet: the header is row 1
    cells: dict[str, object]  # Column.field -> raw cell (text for CSV, typed for XLSX)


@dataclass(frozen=True)
class ParsedFile:
    filename: str
    columns: tuple[Column, ...]
    rows: tuple[ParsedRow, ...]
    ignored_headers: tuple[str, ...] = ()


def normalise(text) -> str:
    """ "Statut d'adhésion", "statut_d_adhesion" and "STATUT D'ADHESION " compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _model_of(column: Column):
    return Member if column.target == MEMBER else Site


def _header_lookup() -> dict[str, Column]:
    lookup = {}
    for column in COLUMNS:
        verbose_name = _model_of(column)._meta.get_field(column.attribute).verbose_name
        with translation.override("fr"):
            french_verbose_name = str(verbose_name)
        for name in (column.header, column.field, french_verbose_name, str(verbose_name)):
            lookup.setdefault(normalise(name), column)
    return lookup


def parse_registry_file(*, uploaded_file) -> ParsedFile:
    """Read an uploaded CSV or XLSX file into raw cells. Raises ValidationError for a file that cannot
    be read at all; the cells themselves are checked by `registry_import_preview`."""
    filename, records = read_spreadsheet(uploaded_file=uploaded_file)
    return _parsed_file(filename, records)


def read_spreadsheet(*, uploaded_file) -> tuple[str, list[list]]:
    """The file name and raw rows of an uploaded CSV or XLSX file, for every bulk import. Raises a
    ValidationError in plain French for a file that cannot be read at all (format, size, encoding)."""
    filename = PurePath(uploaded_file.name or "").name
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("Format non pris en charge (« %(name)s ») : déposez un fichier .csv ou .xlsx."), code="extension",
            params={"name": filename},
        )  # fmt: skip
    if uploaded_file.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s Mo ; la limite est de 10 Mo."), code="too_large",
            params={"size": f"{uploaded_file.size / 1024 / 1024:.1f}".replace(".", ",")},
        )  # fmt: skip
    uploaded_file.seek(0)
    content = uploaded_file.read()
    if not content.strip():
        raise ValidationError(_("Le fichier est vide."), code="empty")
    return filename, _csv_records(content) if extension == "csv" else _xlsx_records(content)


def _csv_records(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Le fichier n'est pas encodé en UTF-8 (accents illisibles). Dans Excel, enregistrez-le au format « CSV UTF-8 (délimité par des virgules) », ou déposez un fichier .xlsx."),
            code="encoding",
        ) from None  # fmt: skip
    header_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ValidationError(_("Le fichier CSV est mal formé : %(error)s"), params={"error": error}) from None


def _xlsx_records(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError):
        raise ValidationError(
            _("Ce fichier n'est pas un classeur Excel .xlsx valide. Ouvrez-le dans votre tableur et enregistrez-le au format .xlsx ou CSV UTF-8."),
            code="invalid_xlsx",
        ) from None  # fmt: skip
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def is_empty_cell(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parsed_file(filename: str, records: list[list]) -> ParsedFile:
    if not records or all(is_empty_cell(cell) for cell in records[0]):
        raise ValidationError(
            _("La première ligne doit contenir les en-têtes de colonnes du modèle."), code="no_header"
        )
    lookup, positions, ignored = _header_lookup(), {}, []
    for index, header in enumerate(records[0]):
        if is_empty_cell(header):
            continue
        column = lookup.get(normalise(header))
        if column is None:
            ignored.append(str(header).strip())
        elif column in positions:
            raise ValidationError(_("La colonne « %(header)s » apparaît deux fois."), params={"header": column.header})
        else:
            positions[column] = index
    if missing := [column.header for column in COLUMNS if column.required and column not in positions]:
        raise ValidationError(
            _("Colonnes obligatoires absentes : %(columns)s. Partez du modèle téléchargeable pour avoir les bons en-têtes."),
            code="missing_columns", params={"columns": ", ".join(missing)},
        )  # fmt: skip
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = {column.field: record[i] if i < len(record) else None for column, i in positions.items()}
        if not all(is_empty_cell(cell) for cell in cells.values()):
            rows.append(ParsedRow(number=number, cells=cells))
    if not rows:
        raise ValidationError(_("Le fichier ne contient aucune ligne de données sous les en-têtes."), code="no_rows")
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Le fichier compte plus de %(max)s lignes : découpez-le."), params={"max": MAX_ROWS})
    ordered = tuple(sorted(positions, key=COLUMNS.index))
    return ParsedFile(filename=filename, columns=ordered, rows=tuple(rows), ignored_headers=tuple(ignored))
