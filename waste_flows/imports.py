"""Bulk import of streams (offers and needs) from a CSV or XLSX file, all or nothing.

It works like the registry import (`members.imports`), whose file reading and cell parsing it reuses:

1. `parse_stream_file` reads the file (format, size, encoding, separator, headers) or refuses it.
2. `stream_import_preview` converts every cell, finds each row's site among those the importing user may
   edit, finds the stream the row updates, and runs on every row the checks the services run
   (`stream_validate` and the model's `full_clean()`). It writes nothing and returns the plan with a
   row-by-row report.
3. `stream_import_apply` builds the plan again inside one transaction and writes it through
   `stream_declare` / `stream_update`, so the history names the importing user as author.

Stream has no field for the member's own reference of a stream, so a re-import recognises a stream by its
natural key: site, direction, material, waste code and description (compared without case, accents or
punctuation). Changing one of these in the file declares a new stream; the "Référence" column is read and
shown in the report, and two rows with the same reference are refused, but it is not stored.

A member user imports for the sites of its own organisation, named by SIRET or by site name; the
coordinator imports for every member and names sites by SIRET. An empty cell never erases anything: it
keeps the recorded value, or the default for a new stream.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from members.enums import MemberRole
from members.exports import DATE_FORMAT, csv_bytes
from members.imports import (
    MAX_ROWS,
    RowError,
    _chunked_filter,
    _Converter,
    _is_empty,
    _messages,
    _norm,
    read_spreadsheet,
)
from members.models import Site, User

from .enums import (
    Confidentiality,
    Direction,
    MaterialKind,
    Period,
    PhysicalForm,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from .models import EwcCode, Material, Stream, Unit
from .search import material_entries, rank
from .services import rescoring_batched, stream_declare, stream_update, stream_validate


@dataclass(frozen=True)
class Column:
    field: str  # English name, accepted as a header too; the Stream field when there is one
    header: str  # French header of the template: a file format, so it does not follow the UI language
    kind: str  # how the cell is read: text, siret, choice, material, ewc, unit, quantity, money, integer, months...
    choices: type | None = None
    help: str = ""
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("siret", "SIRET", "siret", help=gettext_lazy("SIRET du site (14 chiffres). Obligatoire pour la coordination."), aliases=("siret du site",)),
    Column("site", "Site", "text", help=gettext_lazy("Nom du site, si vous ne donnez pas son SIRET (sites de votre structure seulement)."), aliases=("nom du site", "site name", "site_name")),
    Column("reference", "Référence", "text", help=gettext_lazy("Votre référence du flux : affichée dans l'aperçu, unique pour une même structure dans le fichier, non enregistrée."), aliases=("ref", "votre reference")),
    Column("direction", "Sens", "choice", Direction, gettext_lazy("Offre ou besoin. Obligatoire.")),
    Column("kind", "Nature", "choice", StreamKind, gettext_lazy("Si vide : déchet, surplus ou capacité pour une offre ; intrant ou service pour un besoin, selon la matière.")),
    Column("material", "Matière", "material", help=gettext_lazy("Code (wood.pallets) ou nom français (Palettes). Si vide, la matière du code déchet."), aliases=("matiere ou ressource", "code matiere")),
    Column("ewc_code", "Code déchet", "ewc", help=gettext_lazy("Code à 6 chiffres de la liste européenne des déchets, par exemple 15 01 03. Facultatif."), aliases=("code ewc", "ewc", "code ced", "ced", "ewc code")),
    Column("description", "Description", "text"),
    Column("quantity", "Quantité", "quantity", help=gettext_lazy("Nombre supérieur à zéro, par exemple 12,5. Obligatoire.")),
    Column("unit", "Unité", "unit", help=gettext_lazy("Code ou symbole : t, kg, m3, L, MWh, kWh, GJ, t_steam, m2, h, piece, pallet. Obligatoire.")),
    Column("period", "Période", "choice", Period, gettext_lazy("Par an si vide. Un débit en t/h s'écrit : quantité par heure.")),
    Column("regularity", "Régularité", "choice", Regularity, gettext_lazy("Continu si vide.")),
    Column("months", "Mois", "months", help=gettext_lazy("Pour un flux saisonnier : numéros des mois séparés par des points-virgules, par exemple 4;5;6, ou une plage 4-9.")),
    Column("available_from", "Disponible du", "date", aliases=("disponible a partir du",)),
    Column("available_until", "Disponible au", "date", aliases=("disponible jusqu au",)),
    Column("physical_form", "Forme physique", "choice", PhysicalForm),
    Column("quality_notes", "Qualité, conditionnement", "text", aliases=("qualite",)),
    Column("current_route", "Devenir actuel", "choice", Route, gettext_lazy("Pour les offres seulement.")),
    Column("current_route_cost", "Coût annuel (€)", "money", help=gettext_lazy("Ce que le devenir actuel coûte par an, en euros."), aliases=("cout annuel", "cout")),
    Column("max_distance_km", "Distance max (km)", "integer", help=gettext_lazy("Nombre entier de kilomètres, 1 000 au plus."), aliases=("distance max", "distance maximale")),
    Column("accepts_hazardous", "Accepte dangereux", "bool", help=gettext_lazy("Pour un besoin : le site est autorisé à recevoir des déchets dangereux."), aliases=("accepte les dechets dangereux",)),
    Column("confidentiality", "Confidentialité", "choice", Confidentiality, gettext_lazy("Membres du pôle si vide.")),
    Column("status", "Statut", "choice", StreamStatus, gettext_lazy("Active si vide.")),
)  # fmt: skip
COLUMN_OF = {column.field: column for column in COLUMNS}
STREAM_COLUMNS = tuple(column for column in COLUMNS if column.field not in ("siret", "site", "reference"))
REQUIRED = (("direction",), ("quantity",), ("unit",), ("siret", "site"), ("material", "ewc_code"))
# Model fields resolved from rows loaded once, so that full_clean() does not query each of them per row.
RESOLVED_FIELDS = ["site", "material", "unit", "ewc_code", "declared_by"]
CHOICE_ALIASES = {
    Direction: {"offre": Direction.OFFER, "besoin": Direction.NEED, "demande": Direction.NEED},
    StreamKind: {"dechet": StreamKind.WASTE, "capacite": StreamKind.CAPACITY},
    Period: {"an": Period.YEAR, "annee": Period.YEAR, "annuel": Period.YEAR, "mois": Period.MONTH,
             "mensuel": Period.MONTH, "semaine": Period.WEEK, "jour": Period.DAY, "heure": Period.HOUR,
             "h": Period.HOUR, "une fois": Period.ONE_OFF, "ponctuel": Period.ONE_OFF},
    Regularity: {"continu": Regularity.CONTINUOUS},
    PhysicalForm: {"solide": PhysicalForm.SOLID, "vrac": PhysicalForm.SOLID, "conditionne": PhysicalForm.PACKAGED,
                   "poudre": PhysicalForm.POWDER, "boue": PhysicalForm.SLUDGE, "gaz": PhysicalForm.GAS,
                   "vapeur": PhysicalForm.GAS, "energie": PhysicalForm.ENERGY, "immateriel": PhysicalForm.IMMATERIAL},
    Route: {"inconnu": Route.UNKNOWN, "decharge": Route.LANDFILL},
    Confidentiality: {"membres": Confidentiality.MEMBERS, "coordination": Confidentiality.COORDINATOR},
    StreamStatus: {"actif": StreamStatus.ACTIVE, "archive": StreamStatus.ARCHIVED},
}  # fmt: skip
MONTH_NAMES = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
               "novembre", "decembre")  # fmt: skip
THOUSANDTH, CENT = Decimal("0.001"), Decimal("0.01")
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def can_import_streams(user: User) -> bool:
    """The coordinator, and the administrators and editors of a member (for their own sites)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_coordinator or (
        user.member_id is not None and user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)
    )


def infer_kind(*, direction: str, material: Material) -> str:
    """The nature of a stream when none is given: what the material says it most likely is."""
    if direction == Direction.NEED:
        return StreamKind.SERVICE if material.kind == MaterialKind.SERVICE else StreamKind.INPUT
    if material.kind == MaterialKind.SERVICE:
        return StreamKind.CAPACITY
    return StreamKind.WASTE if material.kind == MaterialKind.MATERIAL else StreamKind.SURPLUS


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
            lookup.setdefault(_norm(name), column)
    return lookup


def parse_stream_file(*, uploaded_file) -> ParsedFile:
    """Read an uploaded CSV or XLSX file into raw cells, or raise ValidationError for a file that cannot be
    read at all (same rules and messages as the registry import)."""
    filename, records = read_spreadsheet(uploaded_file=uploaded_file)
    return _parsed_file(filename, records)


def _either(group: tuple[str, ...]) -> str:
    if len(group) == 1:
        return COLUMN_OF[group[0]].header
    return _("%(first)s ou %(second)s") % {"first": COLUMN_OF[group[0]].header, "second": COLUMN_OF[group[1]].header}


def _parsed_file(filename: str, records: list[list]) -> ParsedFile:
    if not records or all(_is_empty(cell) for cell in records[0]):
        raise ValidationError(
            _("La première ligne doit contenir les en-têtes de colonnes du modèle."), code="no_header"
        )
    lookup, positions, ignored = _header_lookup(), {}, []
    for index, header in enumerate(records[0]):
        if _is_empty(header):
            continue
        column = lookup.get(_norm(header))
        if column is None:
            ignored.append(str(header).strip())
        elif column in positions:
            raise ValidationError(_("La colonne « %(header)s » apparaît deux fois."), params={"header": column.header})
        else:
            positions[column] = index
    given = {column.field for column in positions}
    if missing := [_either(group) for group in REQUIRED if not given & set(group)]:
        raise ValidationError(
            _("Colonnes obligatoires absentes : %(columns)s. Partez du modèle téléchargeable pour avoir les bons en-têtes."),
            code="missing_columns", params={"columns": ", ".join(missing)},
        )  # fmt: skip
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = {column.field: record[i] if i < len(record) else None for column, i in positions.items()}
        if not all(_is_empty(cell) for cell in cells.values()):
            rows.append(ParsedRow(number=number, cells=cells))
    if not rows:
        raise ValidationError(_("Le fichier ne contient aucune ligne de données sous les en-têtes."), code="no_rows")
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Le fichier compte plus de %(max)s lignes : découpez-le."), params={"max": MAX_ROWS})
    ordered = tuple(sorted(positions, key=COLUMNS.index))
    return ParsedFile(filename=filename, columns=ordered, rows=tuple(rows), ignored_headers=tuple(ignored))


# --- Step 2: converting, matching and validating ------------------------------------------------------


@dataclass
class PlannedStream:
    row: int
    reference: str
    stream: Stream
    action: str  # CREATE, UPDATE or UNCHANGED
    fields: dict[str, object]  # what the service receives: every given value, or the changed ones


@dataclass
class StreamImportPreview:
    errors: list[RowError] = field(default_factory=list)
    planned: list[PlannedStream] = field(default_factory=list)
    row_count: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for plan in self.planned if plan.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    def add_error(self, row: int, column: Column | None, value, messages) -> None:
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            shown = "" if _is_empty(value) else str(value)
            error = RowError(row, column.header if column else "", shown[:200], str(message))
            if error not in self.errors:  # the services and the model may say the same thing twice
                self.errors.append(error)


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:
        for language in ("fr", "en"):
            with translation.override(language):
                text = str(label)
            lookup.update({_norm(name): code for name in (code, text, text.split(" (")[0])})
    lookup.update({_norm(alias): code for alias, code in CHOICE_ALIASES.get(choices, {}).items()})
    return lookup


class _StreamConverter(_Converter):
    """The registry import's cell reader (text, choices, yes/no, dates, numbers), plus the reference data of
    streams: materials, waste codes, units, months."""

    def __init__(self):
        super().__init__(())
        self.choice_lookups = {column.field: _choice_lookup(column.choices) for column in COLUMNS if column.choices}
        self.materials = {material.pk: material for material in Material.objects.all()}
        self.ewc_codes = {ewc.code: ewc for ewc in EwcCode.objects.all()}
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.material_lookup, synonyms = {}, {}
        for material in self.materials.values():
            for name in (material.code, material.name_fr, material.name_en):
                self.material_lookup.setdefault(_norm(name), material)
            for synonym in f"{material.synonyms_fr}|{material.synonyms_en}".split("|"):
                synonyms.setdefault(_norm(synonym), set()).add(material.pk)
        for synonym, pks in synonyms.items():
            if synonym and len(pks) == 1:  # an ambiguous synonym names no material
                self.material_lookup.setdefault(synonym, self.materials[next(iter(pks))])
        self.unit_lookup = {}
        for unit in self.units.values():
            for name in (unit.code, unit.symbol, unit.name_fr, unit.name_en, unit.name_fr + "s", unit.name_en + "s"):
                self.unit_lookup.setdefault(_norm(name), unit)

    def to_material(self, column, raw):
        if material := self.material_lookup.get(_norm(raw)):
            return material
        by_code = {material.code: material for material in self.materials.values()}
        suggestions = [f"{by_code[code].name_fr} ({code})" for code in rank(str(raw), material_entries(), limit=3)]
        message = _(
            "La matière « %(value)s » n'existe pas : indiquez son code ou son nom exact (voir l'onglet Matières du modèle)."
        )
        if suggestions:
            message += " " + _("Vouliez-vous dire : %(suggestions)s ?")
        raise ValidationError(message, params={"value": raw, "suggestions": " ; ".join(suggestions)})

    def to_ewc(self, column, raw):
        text = f"{int(raw):06d}" if isinstance(raw, int | float) and not isinstance(raw, bool) else str(raw)
        digits = re.sub(r"\D", "", text)
        code = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
        if len(digits) not in (2, 4, 6) or (ewc := self.ewc_codes.get(code)) is None:
            raise ValidationError(
                _("Le code déchet « %(value)s » n'existe pas dans la liste européenne des déchets (6 chiffres, par exemple 15 01 03)."),
                params={"value": raw},
            )  # fmt: skip
        return ewc

    def to_unit(self, column, raw):
        if unit := self.unit_lookup.get(_norm(raw)):
            return unit
        known = ", ".join(unit.symbol for unit in self.units.values())
        raise ValidationError(
            _("L'unité « %(value)s » est inconnue. Unités possibles : %(known)s."),
            params={"value": raw, "known": known},
        )

    def to_quantity(self, column, raw):
        return self.to_decimal(column, raw).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)

    def to_money(self, column, raw):
        return self.to_decimal(column, str(raw).replace("€", "")).quantize(CENT, rounding=ROUND_HALF_UP)

    def to_integer(self, column, raw):
        value = self.to_decimal(column, raw)
        if value != value.to_integral_value():
            raise ValidationError(_("« %(value)s » n'est pas un nombre entier."), params={"value": raw})
        return int(value)

    def to_months(self, column, raw):
        months = set()
        text = re.sub(r"\s*-\s*", "-", str(int(raw) if isinstance(raw, float) else raw).strip())
        for part in re.split(r"[;,/\s]+", text):
            bounds = [self._month(bound, raw) for bound in part.split("-")] if part else []
            if len(bounds) == 1:
                months.add(bounds[0])
            elif len(bounds) == 2:  # a range, which may go over the new year: 11-2
                first, last = bounds
                months.update(range(first, last + 1) if first <= last else [*range(first, 13), *range(1, last + 1)])
            elif bounds:
                raise self._month_error(raw)
        return sorted(months)

    def _month(self, text: str, raw) -> int:
        word = _norm(text)
        if word.isdigit() and 1 <= int(word) <= 12:
            return int(word)
        for number, name in enumerate(MONTH_NAMES, start=1):
            if len(word) >= 3 and name.startswith(word):
                return number
        raise self._month_error(raw)

    def _month_error(self, raw) -> ValidationError:
        return ValidationError(
            _("« %(value)s » : indiquez les mois par leur numéro (1 = janvier), séparés par des points-virgules, par exemple 4;5;6."),
            params={"value": raw},
        )  # fmt: skip


@dataclass
class _Row:
    number: int
    raw: dict[str, object]
    values: dict[str, object] = field(default_factory=dict)  # Column.field -> converted value, given cells only
    unreadable: set[str] = field(default_factory=set)  # cells already reported: no other error on them


def stream_import_preview(*, actor: User, parsed: ParsedFile) -> StreamImportPreview:
    """Everything the import would do, and every reason it cannot. Reads the database, writes nothing."""
    if not can_import_streams(actor):
        raise PermissionDenied(_("Vous ne pouvez pas importer de flux."))
    preview = StreamImportPreview(row_count=len(parsed.rows))
    convert = _StreamConverter()
    rows = [_convert_row(row, parsed.columns, convert, preview) for row in parsed.rows]
    sites = _load_sites(actor, rows)
    existing = _load_streams(sites["usable"], convert)
    seen_keys, seen_references = {}, {}
    for row in rows:
        site = _find_site(actor, row, sites, preview)
        material = _material_of(row, preview)
        _check_required(row, preview)
        _check_reference(row, site, seen_references, preview)
        if site is None or material is None:
            continue
        if (stream := _recorded_stream(row, site, material, existing, seen_keys, preview)) is not False:
            _plan(row, site, material, stream, preview)
    preview.errors.sort(key=lambda error: error.row)
    return preview


def _recorded_stream(row: _Row, site: Site, material: Material, existing: dict, seen: dict, preview):
    """The stream the row updates, None for a new one, or False when the row cannot be matched."""
    key = (site.pk, row.values.get("direction"), material.pk, _ewc_pk(row), _norm(row.values.get("description", "")))
    column, value = COLUMN_OF["description"], row.raw.get("description")
    if key in seen:
        message = _(
            "Ce flux figure déjà ligne %(row)s du fichier (même site, sens, matière, code déchet et description)."
        )
        preview.add_error(row.number, column, value, message % {"row": seen[key]})
        return False
    seen[key] = row.number
    matches = existing.get(key, [])
    if len(matches) > 1:
        message = _(
            "Plusieurs flux de ce site ont déjà ce sens, cette matière, ce code déchet et cette description : précisez la description ou modifiez-les depuis la liste des flux."
        )
        preview.add_error(row.number, column, value, message)
        return False
    return matches[0] if matches else None


def _convert_row(row: ParsedRow, columns, convert: _StreamConverter, preview: StreamImportPreview) -> _Row:
    converted = _Row(number=row.number, raw=row.cells)
    for column in columns:
        raw = row.cells[column.field]
        if _is_empty(raw):
            continue
        try:
            converted.values[column.field] = convert(column, raw)
        except ValidationError as error:
            preview.add_error(row.number, column, raw, _messages(error))
            converted.unreadable.add(column.field)
    return converted


def _load_sites(actor: User, rows: list[_Row]) -> dict:
    """Sites named in the file by SIRET (of any member, to say why one is refused) and the importer's own."""
    by_siret = {
        site.siret: site
        for site in _chunked_filter(Site.objects.select_related("member"), "siret", {r.values["siret"] for r in rows if r.values.get("siret")})
    }  # fmt: skip
    own = list(Site.objects.select_related("member").filter(member_id=actor.member_id)) if actor.member_id else []
    usable = {site.pk: site for site in [*by_siret.values(), *own] if actor.can_edit_member(site.member)}
    return {"by_siret": by_siret, "own": own, "usable": usable}


def _load_streams(sites: dict[int, Site], convert: _StreamConverter) -> dict[tuple, list[Stream]]:
    """The recorded streams of the file's sites, by natural key, with their related rows taken from memory."""
    existing: dict[tuple, list[Stream]] = {}
    for stream in _chunked_filter(Stream.objects.all(), "site", sites):
        stream.site, stream.material = sites[stream.site_id], convert.materials[stream.material_id]
        stream.unit = convert.units[stream.unit_id]
        stream.ewc_code = convert.ewc_codes[stream.ewc_code_id] if stream.ewc_code_id else None
        key = (stream.site_id, stream.direction, stream.material_id, stream.ewc_code_id, _norm(stream.description))
        existing.setdefault(key, []).append(stream)
    return existing


def _find_site(actor: User, row: _Row, sites: dict, preview: StreamImportPreview) -> Site | None:
    siret, name = row.values.get("siret"), row.values.get("site")
    if "siret" in row.unreadable:
        return None
    if siret:
        site = sites["by_siret"].get(siret)
        if site is not None and site.pk in sites["usable"]:
            return site
        if site is not None:
            message = _(
                "Ce SIRET est celui d'un site d'une autre structure : vous ne pouvez importer des flux que pour les sites de votre structure."
            )
        else:
            message = _("Aucun site du registre n'a ce SIRET.")
        preview.add_error(row.number, COLUMN_OF["siret"], row.raw.get("siret"), message)
        return None
    if not name:
        preview.add_error(row.number, COLUMN_OF["siret"], "", _("Indiquez le SIRET du site (ou son nom pour les sites de votre structure)."))  # fmt: skip
        return None
    if not sites["own"]:
        preview.add_error(row.number, COLUMN_OF["site"], name, _("La coordination désigne les sites par leur SIRET : indiquez-le."))  # fmt: skip
        return None
    same_name = [site for site in sites["own"] if _norm(site.name) == _norm(name)]
    if len(same_name) == 1:
        return same_name[0]
    if same_name:
        message = _("Votre structure a plusieurs sites de ce nom : indiquez le SIRET.")
    else:
        known = " ; ".join(site.name for site in sites["own"])
        message = _("Votre structure n'a pas de site de ce nom. Sites connus : %(known)s.") % {"known": known}
    preview.add_error(row.number, COLUMN_OF["site"], name, message)
    return None


def _material_of(row: _Row, preview: StreamImportPreview) -> Material | None:
    if material := row.values.get("material"):
        return material
    ewc = row.values.get("ewc_code")
    if ewc is not None and ewc.material_id:
        row.values["material"] = ewc.material
        return ewc.material
    if "material" not in row.unreadable and "ewc_code" not in row.unreadable:
        message = _("Indiquez la matière (code ou nom) ou un code déchet.")
        preview.add_error(row.number, COLUMN_OF["material"], "", message)
    return None


def _check_required(row: _Row, preview: StreamImportPreview) -> None:
    for name in ("direction", "quantity", "unit"):
        if name not in row.values and name not in row.unreadable:
            column = COLUMN_OF[name]
            preview.add_error(row.number, column, "", _("La colonne « %(header)s » doit être remplie.") % {"header": column.header})  # fmt: skip
            row.unreadable.add(name)  # reported once: the model's "required" error is not added on top


def _check_reference(row: _Row, site: Site | None, seen: dict, preview: StreamImportPreview) -> None:
    """A reference is the member's own: unique among the rows of one member."""
    if (reference := row.values.get("reference")) and site is not None:
        key = (site.member_id, _norm(reference))
        if key in seen:
            message = _("Cette référence figure déjà ligne %(row)s du fichier.") % {"row": seen[key]}
            preview.add_error(row.number, COLUMN_OF["reference"], reference, message)
        seen.setdefault(key, row.number)


def _ewc_pk(row: _Row):
    ewc = row.values.get("ewc_code")
    return ewc.pk if ewc is not None else None


STREAM_FIELD_NAMES = [column.field for column in STREAM_COLUMNS]


def _plan(row: _Row, site: Site, material: Material, stream: Stream | None, preview: StreamImportPreview) -> None:
    given = {name: row.values[name] for name in STREAM_FIELD_NAMES if name in row.values}
    given["material"] = material
    if stream is None:
        given["site"] = site
        given.setdefault("kind", infer_kind(direction=given.get("direction"), material=material))
        stream, action, fields = Stream(**given), CREATE, given
    else:
        before = _snapshot(stream)
        for name, value in given.items():
            setattr(stream, name, value)
        fields = {name: value for name, value in given.items() if _value(value) != before[name]}
        action = UPDATE if fields else UNCHANGED
    if errors := _validation_errors(stream):
        _report(errors, row, preview)
    preview.planned.append(PlannedStream(row.number, str(row.values.get("reference", "")), stream, action, fields))


def _value(value):
    return value.pk if hasattr(value, "pk") else value


def _snapshot(stream: Stream) -> dict:
    return {name: _value(getattr(stream, name)) for name in STREAM_FIELD_NAMES}


def _validation_errors(stream: Stream) -> dict:
    """The checks of the services (`stream_validate`, then `full_clean()`), without the queries that
    `full_clean()` makes for every row: related rows come from loaded rows, and the check constraints are
    evaluated in memory (the services run them all again when the import is applied)."""
    errors: dict = {}
    try:
        stream_validate(stream)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude = RESOLVED_FIELDS + (["annual_quantity"] if stream.annual_quantity is None else [])
    try:
        stream.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # stream_quantity_positive is stream_validate's first rule; the other constraint is checked here.
    if stream.available_from and stream.available_until and stream.available_until < stream.available_from:
        constraint = next(c for c in Stream._meta.constraints if c.name == "stream_available_until_after_from")
        errors.setdefault("available_until", []).append(constraint.get_violation_error_message())
    return errors


def _report(errors: dict, row: _Row, preview: StreamImportPreview) -> None:
    for name, messages in errors.items():
        column = COLUMN_OF.get("quantity" if name == "annual_quantity" else name)
        if column is not None and column.field in row.unreadable:
            continue
        value = row.raw.get(column.field, "") if column else ""
        if column is not None and column.field == "material" and _is_empty(value):
            column, value = COLUMN_OF["ewc_code"], row.raw.get("ewc_code", "")
        preview.add_error(row.number, column, value, _messages(ValidationError(messages)))


# --- Step 3: writing ----------------------------------------------------------------------------------


@transaction.atomic
def stream_import_apply(*, actor: User, parsed: ParsedFile) -> StreamImportPreview:
    """Validate the file again and, if every row is right, write it all in one transaction through the
    services (which check the rights and the data once more, and record the importing user as author)."""
    preview = stream_import_preview(actor=actor, parsed=parsed)
    if not preview.is_valid:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été enregistré."), code="invalid_rows")
    # One full matching run after the import rather than one incremental run per row.
    with rescoring_batched():
        _apply_plans(actor=actor, preview=preview)
    return preview


def _apply_plans(*, actor: User, preview) -> None:
    for plan in preview.planned:
        try:
            if plan.action == CREATE:
                plan.stream = stream_declare(actor=actor, **plan.fields)
            elif plan.action == UPDATE:
                stream_update(actor=actor, stream=plan.stream, **plan.fields)
        except ValidationError as error:  # the data changed since the preview
            raise ValidationError(
                _("Ligne %(row)s : %(errors)s Rien n'a été enregistré."),
                params={"row": plan.row, "errors": " ".join(error.messages)}, code="conflict",
            ) from None  # fmt: skip


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
            is_required = _("l'une des deux : %(columns)s") % {"columns": _either(_group_of(column))}
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
