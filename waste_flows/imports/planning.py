"""Step 2 of the stream import: converting the cells, matching them with the declared streams and validating
every stream, without writing anything."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from members.imports import (
    CellConverter,
    RowError,
    chunked_filter,
    error_messages,
    is_empty_cell,
    normalise,
)
from members.models import Site, User

from ..models import EwcCode, Material, Stream, Unit
from ..search import material_entries, rank
from ..services import stream_validate
from .columns import (
    CENT,
    CHOICE_ALIASES,
    COLUMN_OF,
    COLUMNS,
    CREATE,
    MONTH_NAMES,
    RESOLVED_FIELDS,
    STREAM_COLUMNS,
    THOUSANDTH,
    UNCHANGED,
    UPDATE,
    Column,
    can_import_streams,
    infer_kind,
)
from .reading import ParsedFile, ParsedRow

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
            shown = "" if is_empty_cell(value) else str(value)
            error = RowError(row, column.header if column else "", shown[:200], str(message))
            if error not in self.errors:  # the services and the model may say the same thing twice
                self.errors.append(error)


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for code, label in choices.choices:
        for language in ("fr", "en"):
            with translation.override(language):
                text = str(label)
            lookup.update({normalise(name): code for name in (code, text, text.split(" (")[0])})
    lookup.update({normalise(alias): code for alias, code in CHOICE_ALIASES.get(choices, {}).items()})
    return lookup


class _StreamConverter(CellConverter):
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
                self.material_lookup.setdefault(normalise(name), material)
            for synonym in f"{material.synonyms_fr}|{material.synonyms_en}".split("|"):
                synonyms.setdefault(normalise(synonym), set()).add(material.pk)
        for synonym, pks in synonyms.items():
            if synonym and len(pks) == 1:  # an ambiguous synonym names no material
                self.material_lookup.setdefault(synonym, self.materials[next(iter(pks))])
        self.unit_lookup = {}
        for unit in self.units.values():
            for name in (unit.code, unit.symbol, unit.name_fr, unit.name_en, unit.name_fr + "s", unit.name_en + "s"):
                self.unit_lookup.setdefault(normalise(name), unit)

    def to_material(self, column, raw):
        if material := self.material_lookup.get(normalise(raw)):
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
        if unit := self.unit_lookup.get(normalise(raw)):
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
        word = normalise(text)
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
    key = (
        site.pk,
        row.values.get("direction"),
        material.pk,
        _ewc_pk(row),
        normalise(row.values.get("description", "")),
    )
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
        if is_empty_cell(raw):
            continue
        try:
            converted.values[column.field] = convert(column, raw)
        except ValidationError as error:
            preview.add_error(row.number, column, raw, error_messages(error))
            converted.unreadable.add(column.field)
    return converted


def _load_sites(actor: User, rows: list[_Row]) -> dict:
    """Sites named in the file by SIRET (of any member, to say why one is refused) and the importer's own."""
    by_siret = {
        site.siret: site
        for site in chunked_filter(Site.objects.select_related("member"), "siret", {r.values["siret"] for r in rows if r.values.get("siret")})
    }  # fmt: skip
    own = list(Site.objects.select_related("member").filter(member_id=actor.member_id)) if actor.member_id else []
    usable = {site.pk: site for site in [*by_siret.values(), *own] if actor.can_edit_member(site.member)}
    return {"by_siret": by_siret, "own": own, "usable": usable}


def _load_streams(sites: dict[int, Site], convert: _StreamConverter) -> dict[tuple, list[Stream]]:
    """The recorded streams of the file's sites, by natural key, with their related rows taken from memory."""
    existing: dict[tuple, list[Stream]] = {}
    for stream in chunked_filter(Stream.objects.all(), "site", sites):
        stream.site, stream.material = sites[stream.site_id], convert.materials[stream.material_id]
        stream.unit = convert.units[stream.unit_id]
        stream.ewc_code = convert.ewc_codes[stream.ewc_code_id] if stream.ewc_code_id else None
        key = (stream.site_id, stream.direction, stream.material_id, stream.ewc_code_id, normalise(stream.description))
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
    same_name = [site for site in sites["own"] if normalise(site.name) == normalise(name)]
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
        key = (site.member_id, normalise(reference))
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
        if column is not None and column.field == "material" and is_empty_cell(value):
            column, value = COLUMN_OF["ewc_code"], row.raw.get("ewc_code", "")
        preview.add_error(row.number, column, value, error_messages(ValidationError(messages)))
