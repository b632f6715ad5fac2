"""Step 1 of the stream import: reading the file into raw cells, or refusing it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from members.imports import (
    MAX_ROWS,
    is_empty_cell,
    normalise,
    read_spreadsheet,
)

from ..models import Stream
from .columns import COLUMN_OF, COLUMNS, REQUIRED, STREAM_COLUMNS, Column

# --- Step 1: reading the file -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    number: int  # as shown by the spreadsheet: the header is row 1
    cells: dict[str, object]  # Column.field -> raw cell


@dataclass(frozen=True)
class ParsedFile:
    filename: str
    columns: tuple[Column, ...]
    rows: tuple[ParsedRow, ...]
    ignored_headers: tuple[str, ...] = ()


def _header_lookup() -> dict[str, Column]:
    lookup = {}
    for column in COLUMNS:
        names = [column.header, column.field, *column.aliases]
        if column in STREAM_COLUMNS:
            verbose_name = Stream._meta.get_field(column.field).verbose_name
            with translation.override("fr"):
                names.append(str(verbose_name))
            names.append(str(verbose_name))
        for name in names:
            lookup.setdefault(normalise(name), column)
    return lookup


def parse_stream_file(*, uploaded_file) -> ParsedFile:
    """Read an uploaded CSV or XLSX file into raw cells, or raise ValidationError for a file that cannot be
    read at all (same rules and messages as the registry import)."""
    filename, records = read_spreadsheet(uploaded_file=uploaded_file)
    return _parsed_file(filename, records)


def either_of(group: tuple[str, ...]) -> str:
    if len(group) == 1:
        return COLUMN_OF[group[0]].header
    return _("%(first)s ou %(second)s") % {"first": COLUMN_OF[group[0]].header, "second": COLUMN_OF[group[1]].header}


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
    given = {column.field for column in positions}
    if missing := [either_of(group) for group in REQUIRED if not given & set(group)]:
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
