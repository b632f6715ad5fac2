"""Bulk import of the member registry from a CSV or XLSX file.

One row is one site of a member; rows sharing a SIREN are the sites of one member (a row whose site
cells are all empty only carries member data). The import runs in three steps, so that nothing is
written unless the whole file is right:

1. `parse_registry_file` reads the file (size, encoding, separator, headers) into raw cells, or refuses it.
2. `registry_import_preview` converts the cells, matches them with the registry — members by SIREN, sites
   by SIRET, or by member and site name when there is no SIRET — and validates every instance with the
   model's own `full_clean()`. It only reads, and returns the plan with a row-by-row report.
3. `registry_import_apply` builds the plan again inside one transaction and writes it with bulk queries
   that also write the history, under the importing user.

Validation happens in memory so that 10,000 rows do not cost tens of thousands of queries: existing rows
are loaded in bulk, and `full_clean()` skips only the checks that would query the database once per row.
Those are done here against the loaded rows and the rest of the file: foreign keys (resolved from loaded
rows), SIREN and SIRET uniqueness (they are the matching keys), one main site per member, the joined/left
dates. If the registry changes between validation and writing, the database constraints still catch it
and the whole import is rolled back.

An empty cell never erases anything: it keeps the current value, or the default for a new row.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import naf
from .enums import IaeType, LegalForm, MemberKind, MembershipStatus
from .models import College, Member, Site, User
from .services import site_check_siret
from .validators import compact_identifier, validate_siren

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
EXTENSIONS = ("csv", "xlsx")
MEMBER, SITE = "member", "site"
# SQLite refuses more than a few thousand parameters in one query: `__in` lookups are chunked.
LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class Column:
    field: str  # English name, accepted as a header too
    header: str  # French header of the template: a file format, so it does not follow the UI language
    target: str  # MEMBER or SITE
    attribute: str  # model field
    kind: str  # how the cell is read: text, siren, siret, postcode, choice, bool, date, decimal, naf, url, college
    required: bool = False  # the column must be in the file
    choices: type | None = None
    help: str = ""


COLUMNS = (
    Column("siren", "SIREN", MEMBER, "siren", "siren", True, help=gettext_lazy("9 chiffres. Les lignes d'un même SIREN sont les sites d'un même membre.")),
    Column("name", "Raison sociale", MEMBER, "name", "text", True, help=gettext_lazy("Obligatoire pour un nouveau membre.")),
    Column("short_name", "Nom court", MEMBER, "short_name", "text"),
    Column("kind", "Type de structure", MEMBER, "kind", "choice", True, MemberKind),
    Column("legal_form", "Forme juridique", MEMBER, "legal_form", "choice", True, LegalForm),
    Column("is_ess", "Statut ESS", MEMBER, "is_ess", "bool"),
    Column("esus_approved", "Agrément ESUS", MEMBER, "esus_approved", "bool"),
    Column("iae_type", "Structure d'insertion", MEMBER, "iae_type", "choice", choices=IaeType),
    Column("naf_code", "Code NAF", MEMBER, "naf_code", "naf", help=gettext_lazy("Code NAF rév. 2, par exemple 38.11Z.")),
    Column("website", "Site web", MEMBER, "website", "url"),
    Column("status", "Statut d'adhésion", MEMBER, "status", "choice", choices=MembershipStatus, help=gettext_lazy("Prospect si vide pour un nouveau membre.")),
    Column("joined_on", "Adhérent depuis le", MEMBER, "joined_on", "date", help=gettext_lazy("Date du jour si vide pour un membre actif.")),
    Column("college", "Collège", MEMBER, "college", "college", help=gettext_lazy("Nom d'un collège existant.")),
    Column("siret", "SIRET", SITE, "siret", "siret", help=gettext_lazy("14 chiffres commençant par le SIREN. Sans SIRET, le site est reconnu par son nom.")),
    Column("site_name", "Nom du site", SITE, "name", "text", True),
    Column("address", "Adresse", SITE, "address", "text"),
    Column("postcode", "Code postal", SITE, "postcode", "postcode"),
    Column("commune", "Commune", SITE, "commune", "text", True),
    Column("latitude", "Latitude", SITE, "latitude", "decimal", True, help=gettext_lazy("En degrés décimaux, par exemple 49,3298.")),
    Column("longitude", "Longitude", SITE, "longitude", "decimal", True, help=gettext_lazy("En degrés décimaux, par exemple 6,0620.")),
    Column("is_main", "Site principal", SITE, "is_main", "bool", help=gettext_lazy("Le premier site d'un nouveau membre devient son site principal.")),
)  # fmt: skip
COLUMN_OF = {(column.target, column.attribute): column for column in COLUMNS}
MEMBER_FIELDS = [column.attribute for column in COLUMNS if column.target == MEMBER]
SITE_FIELDS = [column.attribute for column in COLUMNS if column.target == SITE]
LEFT_AFTER_JOINED = next(c for c in Member._meta.constraints if c.name == "member_left_after_joined")
TRUE_WORDS = frozenset({"oui", "o", "vrai", "true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"non", "n", "faux", "false", "no", "0"})
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


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


def _norm(text) -> str:
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
            lookup.setdefault(_norm(name), column)
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


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
    if missing := [column.header for column in COLUMNS if column.required and column not in positions]:
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


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportPreview:
    errors: list[RowError] = field(default_factory=list)
    members_to_create: list[Member] = field(default_factory=list)
    members_to_update: list[Member] = field(default_factory=list)
    sites_to_create: list[Site] = field(default_factory=list)
    sites_to_update: list[Site] = field(default_factory=list)
    row_count: int = 0
    changed_fields: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id(instance) -> fields to write

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add_error(self, row: int, column: Column | None, value, messages) -> None:
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            shown = "" if _is_empty(value) else str(value)
            self.errors.append(RowError(row, column.header if column else "", shown[:200], str(message)))


@dataclass
class _Row:
    number: int
    raw: dict[str, object]
    member: dict[str, object] = field(default_factory=dict)  # attribute -> converted value, given cells only
    site: dict[str, object] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # cells already reported: no "required" error on top


@dataclass
class _Group:
    """The rows of one SIREN, and the member they describe."""

    siren: str
    rows: list[_Row] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    source_rows: dict[str, _Row] = field(default_factory=dict)


class _Converter:
    """Turns a raw cell into a model value, or raises ValidationError with a French message."""

    def __init__(self, colleges):
        self.colleges = {_norm(college.name): college for college in colleges}
        self.choice_lookups = {}

    def __call__(self, column: Column, raw):
        return getattr(self, f"to_{column.kind}")(column, raw)

    def to_text(self, column, raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, datetime | date):
            return raw.strftime("%d/%m/%Y")
        return " ".join(str(raw).split())

    def _digits(self, raw, length):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return str(int(raw)).zfill(length)  # a spreadsheet drops the leading zeros of numbers
        return compact_identifier(str(raw))

    def to_siren(self, column, raw):
        return self._digits(raw, 9)

    def to_siret(self, column, raw):
        return self._digits(raw, 14)

    def to_postcode(self, column, raw):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return str(int(raw)).zfill(5)
        return re.sub(r"\s", "", str(raw))

    def to_choice(self, column, raw):
        if column.field not in self.choice_lookups:
            lookup = {}
            for code, label in column.choices.choices:
                with translation.override("fr"):
                    names = [code, str(label), str(label).split(" — ")[-1]]
                names.append(str(label))
                lookup.update({_norm(name): code for name in names})
            self.choice_lookups[column.field] = lookup
        if (code := self.choice_lookups[column.field].get(_norm(raw))) is None:
            labels = " ; ".join(str(label) for label in column.choices.labels)
            raise ValidationError(
                _("« %(value)s » n'est pas une valeur possible. Valeurs acceptées : %(labels)s."),
                params={"value": raw, "labels": labels},
            )
        return code

    def to_bool(self, column, raw):
        if isinstance(raw, bool):
            return raw
        word = _norm(raw)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValidationError(_("« %(value)s » n'est pas compris : écrivez oui ou non."), params={"value": raw})

    def to_date(self, column, raw):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        for date_format in DATE_FORMATS:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            raise ValidationError(
                _("« %(value)s » n'est pas une date : écrivez-la JJ/MM/AAAA (par exemple 15/01/2024)."),
                params={"value": raw},
            ) from None

    def to_decimal(self, column, raw):
        text = str(raw) if isinstance(raw, int | float) else re.sub(r"\s", "", str(raw)).replace(",", ".")
        try:
            # GPS tools give more decimals than the 6 stored (0.1 m): round instead of refusing the row.
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
            return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # not a number, NaN, infinity, or too large to ever be valid
            raise ValidationError(_("« %(value)s » n'est pas un nombre."), params={"value": raw}) from None

    def to_naf(self, column, raw):
        return naf.normalise(str(raw))

    def to_url(self, column, raw):
        text = str(raw).strip()
        return text if "://" in text else f"https://{text}"

    def to_college(self, column, raw):
        if (college := self.colleges.get(_norm(raw))) is None:
            known = " ; ".join(college.name for college in self.colleges.values()) or _("aucun")
            raise ValidationError(
                _("Le collège « %(value)s » n'existe pas. Collèges existants : %(known)s."),
                params={"value": raw, "known": known},
            )
        return college


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _chunked_filter(queryset, lookup: str, values) -> list:
    values, found = sorted(set(values)), []
    for start in range(0, len(values), LOOKUP_CHUNK):
        found.extend(queryset.filter(**{f"{lookup}__in": values[start : start + LOOKUP_CHUNK]}))
    return found


def registry_import_preview(*, parsed: ParsedFile) -> ImportPreview:
    """Everything the import would do, and every reason it cannot. Reads the database, writes nothing."""
    preview = ImportPreview(row_count=len(parsed.rows))
    convert = _Converter(College.objects.all())
    rows = [_convert_row(row, parsed.columns, convert, preview) for row in parsed.rows]
    groups, without_member = _group_by_siren(rows, preview)
    for row in without_member:
        _check_cells_alone(row, preview)
    members = {member.siren: member for member in _chunked_filter(Member.objects.all(), "siren", groups)}
    sites = _load_sites(members.values(), [row.site["siret"] for row in rows if row.site.get("siret")])
    seen_sites: dict[object, int] = {}
    for group in groups.values():
        member = _plan_member(group, members.get(group.siren), preview)
        _plan_sites(group, member, sites, seen_sites, preview)
    preview.errors.sort(key=lambda error: error.row)
    return preview


def _convert_row(row: ParsedRow, columns, convert: _Converter, preview: ImportPreview) -> _Row:
    converted = _Row(number=row.number, raw=row.cells)
    for column in columns:
        raw = row.cells[column.field]
        if _is_empty(raw):
            continue
        try:
            value = convert(column, raw)
        except ValidationError as error:
            preview.add_error(row.number, column, raw, _messages(error))
            converted.unreadable.add(column.field)
            continue
        (converted.member if column.target == MEMBER else converted.site)[column.attribute] = value
    return converted


def _group_by_siren(rows: list[_Row], preview: ImportPreview) -> tuple[dict[str, _Group], list[_Row]]:
    """Rows grouped by member, and the rows whose SIREN is missing or wrong."""
    groups: dict[str, _Group] = {}
    without_member = []
    siren_column = COLUMN_OF[MEMBER, "siren"]
    for row in rows:
        siren = row.member.pop("siren", "")
        try:
            if not siren:
                raise ValidationError(_("Le SIREN est obligatoire : il identifie le membre."))
            validate_siren(siren)
        except ValidationError as error:
            preview.add_error(row.number, siren_column, row.raw["siren"], _messages(error))
            without_member.append(row)
            continue
        group = groups.setdefault(siren, _Group(siren=siren))
        group.rows.append(row)
        for attribute, value in row.member.items():
            if attribute not in group.values:
                group.values[attribute], group.source_rows[attribute] = value, row
            elif group.values[attribute] != value:
                first = group.source_rows[attribute]
                column = COLUMN_OF[MEMBER, attribute]
                preview.add_error(
                    row.number, column, row.raw[column.field],
                    _("Cette valeur contredit la ligne %(row)s (« %(first)s ») pour le même SIREN.")
                    % {"row": first.number, "first": first.raw[column.field]},
                )  # fmt: skip
    return groups, without_member


def _check_cells_alone(row: _Row, preview: ImportPreview) -> None:
    """Report the other mistakes of a row whose member is unknown, so that one upload shows them all."""
    given = set(row.member)
    member = Member(**row.member)
    member_fields = [f.name for f in Member._meta.fields if f.name not in given or f.name == "college"]
    checks = [(member, MEMBER, member_fields)]
    if row.site:
        checks.append((Site(**{k: v for k, v in row.site.items() if k != "is_main"}), SITE, ["member"]))
    for instance, target, exclude in checks:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            _report_model_errors(error, preview, target, lambda attribute: row)


def _load_sites(members, sirets) -> dict:
    """Existing sites of the file's members, and sites whose SIRET is in the file (maybe of another member)."""
    by_pk = {site.pk: site for site in _chunked_filter(Site.objects.all(), "member", [m.pk for m in members])}
    for site in _chunked_filter(Site.objects.select_related("member"), "siret", sirets):
        by_pk.setdefault(site.pk, site)
    by_member = defaultdict(list)
    for site in by_pk.values():
        by_member[site.member_id].append(site)
    return {"by_siret": {site.siret: site for site in by_pk.values() if site.siret}, "by_member": by_member}


def _report_model_errors(error: ValidationError, preview: ImportPreview, target: str, row_of) -> None:
    for attribute, messages in error.message_dict.items():
        column = COLUMN_OF.get((target, attribute))
        row = row_of(attribute)
        if column and column.field in row.unreadable:
            continue
        preview.add_error(row.number, column, row.raw.get(column.field) if column else "", messages)


def _snapshot(instance, attributes) -> dict:
    # attname: compare college_id, not the college, which would cost a query per member.
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in attributes}


def _record_update(preview: ImportPreview, updates: list, instance, before: dict, attributes) -> None:
    after = _snapshot(instance, attributes)
    if changed := tuple(name for name in attributes if after[name] != before[name]):
        updates.append(instance)
        preview.changed_fields[id(instance)] = changed


def _plan_member(group: _Group, member: Member | None, preview: ImportPreview) -> Member:
    is_new = member is None
    member = member or Member(siren=group.siren)
    before = _snapshot(member, MEMBER_FIELDS)
    for attribute, value in group.values.items():
        setattr(member, attribute, value)
    # Same rule as member_create / member_update.
    if member.status == MembershipStatus.ACTIVE and member.joined_on is None:
        member.joined_on = timezone.localdate()
    try:
        # The college is resolved from loaded rows; uniqueness and constraints are checked below and by
        # matching on SIREN, without one query per member.
        member.full_clean(exclude=["college"], validate_unique=False, validate_constraints=False)
        if member.left_on and member.joined_on and member.left_on < member.joined_on:
            raise ValidationError({"joined_on": LEFT_AFTER_JOINED.get_violation_error_message()})
    except ValidationError as error:
        _report_model_errors(error, preview, MEMBER, lambda attr: group.source_rows.get(attr, group.rows[0]))
    if is_new:
        preview.members_to_create.append(member)
    else:
        _record_update(preview, preview.members_to_update, member, before, MEMBER_FIELDS)
    return member


def _find_site(row: _Row, member: Member, sites: dict, preview: ImportPreview) -> Site | None:
    siret, name = row.site.get("siret"), _norm(row.site.get("name", ""))
    own_sites = sites["by_member"].get(member.pk, []) if member.pk else []
    if siret and (site := sites["by_siret"].get(siret)):
        if site.member_id != member.pk:
            column = COLUMN_OF[SITE, "siret"]
            message = _("Ce SIRET est déjà celui du site « %(site)s » d'un autre membre (%(member)s).")
            preview.add_error(row.number, column, siret, message % {"site": site.name, "member": site.member})
            return None
        return site
    # Without a SIRET match, a site is its member's site of the same name (that has no SIRET yet if the row has one).
    same_name = [site for site in own_sites if _norm(site.name) == name and not (siret and site.siret)]
    if len(same_name) > 1:
        column = COLUMN_OF[SITE, "name"]
        preview.add_error(row.number, column, row.raw[column.field], _("Ce membre a plusieurs sites de ce nom : indiquez le SIRET."))  # fmt: skip
        return None
    return same_name[0] if same_name else Site(member=member)


def _plan_sites(group: _Group, member: Member, sites: dict, seen: dict, preview: ImportPreview) -> None:
    """Match, update and validate the sites of one member, then decide which one is its main site."""
    existing = sites["by_member"].get(member.pk, []) if member.pk else []
    for site in existing:
        site.member = member  # the loaded member, not one query per site
    before = {id(site): _snapshot(site, SITE_FIELDS) for site in existing}
    imported, matched = [], {}  # imported: (row, site, is_main as written in the file, or None)
    for row in group.rows:
        if not row.site:
            continue
        key = row.site.get("siret") or (group.siren, _norm(row.site.get("name", "")))
        first, site = seen.get(key), None
        if first is None:
            seen[key] = row.number
            site = _find_site(row, member, sites, preview)
            first = matched.get(id(site)) if site is not None else None
        if first is not None:
            column = COLUMN_OF[SITE, "siret" if row.site.get("siret") else "name"]
            message = _("Ce site figure déjà ligne %(row)s du fichier.") % {"row": first}
            preview.add_error(row.number, column, row.raw[column.field], message)
            continue
        if site is None:
            continue
        matched[id(site)] = row.number
        for attribute, value in row.site.items():
            if attribute != "is_main":
                setattr(site, attribute, value)
        if errors := _site_errors(site):
            _report_model_errors(ValidationError(errors), preview, SITE, lambda attribute: row)  # noqa: B023
        imported.append((row, site, row.site.get("is_main")))
    main = _choose_main_site(imported, existing, preview)
    new_sites = [site for _row, site, _is_main in imported if site.pk is None]
    for site in [*existing, *new_sites]:
        site.is_main = site is main
    preview.sites_to_create.extend(new_sites)
    for site in existing:
        _record_update(preview, preview.sites_to_update, site, before[id(site)], SITE_FIELDS)


def _site_errors(site: Site) -> dict:
    errors = {}
    try:
        # The member is resolved from loaded rows; uniqueness is that of the SIRET, the matching key.
        site.full_clean(exclude=["member"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "siret" not in errors:
        try:
            site_check_siret(site)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors


def _choose_main_site(imported, existing: list[Site], preview: ImportPreview) -> Site | None:
    """Same rules as site_save: the first site of a member becomes its main site, a site marked as main
    takes the flag from the previous one, and a member cannot be left without its main site."""
    column = COLUMN_OF[SITE, "is_main"]
    wanted = [(row, site) for row, site, is_main in imported if is_main]
    for row, _site in wanted[1:]:
        message = _("Un seul site principal par membre : la ligne %(row)s en désigne déjà un.")
        preview.add_error(row.number, column, row.raw[column.field], message % {"row": wanted[0][0].number})
    if wanted:
        return wanted[0][1]
    current = next((site for site in existing if site.is_main), None)
    refused = {id(site): row for row, site, is_main in imported if is_main is False}
    if current is not None and id(current) in refused:
        row = refused[id(current)]
        message = _("Un membre doit garder un site principal : désignez-en un autre d'abord.")
        preview.add_error(row.number, column, row.raw[column.field], message)
        return current
    if current is not None:
        return current
    candidates = [site for _row, site, is_main in imported if not existing or is_main is not False]
    return candidates[0] if candidates else None


# --- Step 3: writing ----------------------------------------------------------------------------------


@transaction.atomic
def registry_import_apply(*, actor: User, parsed: ParsedFile) -> ImportPreview:
    """Validate the file again and, if every row is right, write it all in one transaction."""
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle peut faire cette action."))
    preview = registry_import_preview(parsed=parsed)
    if not preview.is_valid:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été enregistré."), code="invalid_rows")
    history = {"default_user": actor, "default_date": timezone.now()}
    history["default_change_reason"] = (_("Import du fichier %(name)s") % {"name": parsed.filename})[:100]
    try:
        with transaction.atomic():
            _write(preview, history)
    except IntegrityError:
        raise ValidationError(
            _("Le registre a été modifié pendant l'import (un SIREN ou un SIRET vient d'être saisi) : rien n'a été enregistré. Relancez l'import."),
            code="conflict",
        ) from None  # fmt: skip
    return preview


def _write(preview: ImportPreview, history: dict) -> None:
    bulk_create_with_history(preview.members_to_create, Member, **history)
    for member in preview.members_to_update:
        member.updated_at = history["default_date"]  # bulk_update does not run auto_now
    _bulk_update(preview, preview.members_to_update, Member, history, also=("updated_at",))
    # Sites losing their main flag go first: the database allows one main site per member at any time.
    _bulk_update(preview, [site for site in preview.sites_to_update if not site.is_main], Site, history)
    _bulk_update(preview, [site for site in preview.sites_to_update if site.is_main], Site, history)
    for site in preview.sites_to_create:
        site.member = site.member  # picks up the id of a member created just above
    bulk_create_with_history(preview.sites_to_create, Site, **history)


def _bulk_update(preview: ImportPreview, instances: list, model, history: dict, also=()) -> None:
    """Write the fields that changed, one `UPDATE … WHERE id = %s` sent for all rows with executemany.

    Django's bulk_update builds a CASE expression per field and row: 10,000 changed sites took over 30 s
    in Python alone. The values were validated by full_clean and are prepared by their own model field;
    rows are grouped by the set of fields they change, and the history is written for each of them."""
    batches = defaultdict(list)
    for instance in instances:
        batches[preview.changed_fields[id(instance)]].append(instance)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    for names, batch in batches.items():
        fields = [model._meta.get_field(name) for name in [*names, *also]]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
        rows = [
            [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
            for obj in batch
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        bulk_update_with_history(batch, model, fields=[], **history)  # no fields: history rows only
