"""Step 2 of the registry import: converting the cells, matching them with the registry and validating every
instance, without writing anything."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import naf
from ..enums import MembershipStatus
from ..models import College, Member, Site
from ..services import site_check_siret
from ..validators import compact_identifier, validate_siren
from .columns import (
    COLUMN_OF,
    DATE_FORMATS,
    FALSE_WORDS,
    LEFT_AFTER_JOINED,
    LOOKUP_CHUNK,
    MEMBER,
    MEMBER_FIELDS,
    SITE,
    SITE_FIELDS,
    TRUE_WORDS,
    Column,
)
from .reading import ParsedFile, ParsedRow, is_empty_cell, normalise

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
            shown = "" if is_empty_cell(value) else str(value)
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


class CellConverter:
    """Turns a raw cell into a model value, or raises ValidationError with a French message."""

    def __init__(self, colleges):
        self.colleges = {normalise(college.name): college for college in colleges}
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
                lookup.update({normalise(name): code for name in names})
            self.choice_lookups[column.field] = lookup
        if (code := self.choice_lookups[column.field].get(normalise(raw))) is None:
            labels = " ; ".join(str(label) for label in column.choices.labels)
            raise ValidationError(
                _("« %(value)s » n'est pas une valeur possible. Valeurs acceptées : %(labels)s."),
                params={"value": raw, "labels": labels},
            )
        return code

    def to_bool(self, column, raw):
        if isinstance(raw, bool):
            return raw
        word = normalise(raw)
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
        if (college := self.colleges.get(normalise(raw))) is None:
            known = " ; ".join(college.name for college in self.colleges.values()) or _("aucun")
            raise ValidationError(
                _("Le collège « %(value)s » n'existe pas. Collèges existants : %(known)s."),
                params={"value": raw, "known": known},
            )
        return college


def error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def chunked_filter(queryset, lookup: str, values) -> list:
    values, found = sorted(set(values)), []
    for start in range(0, len(values), LOOKUP_CHUNK):
        found.extend(queryset.filter(**{f"{lookup}__in": values[start : start + LOOKUP_CHUNK]}))
    return found


def registry_import_preview(*, parsed: ParsedFile) -> ImportPreview:
    """Everything the import would do, and every reason it cannot. Reads the database, writes nothing."""
    preview = ImportPreview(row_count=len(parsed.rows))
    convert = CellConverter(College.objects.all())
    rows = [_convert_row(row, parsed.columns, convert, preview) for row in parsed.rows]
    groups, without_member = _group_by_siren(rows, preview)
    for row in without_member:
        _check_cells_alone(row, preview)
    members = {member.siren: member for member in chunked_filter(Member.objects.all(), "siren", groups)}
    sites = _load_sites(members.values(), [row.site["siret"] for row in rows if row.site.get("siret")])
    seen_sites: dict[object, int] = {}
    for group in groups.values():
        member = _plan_member(group, members.get(group.siren), preview)
        _plan_sites(group, member, sites, seen_sites, preview)
    preview.errors.sort(key=lambda error: error.row)
    return preview


def _convert_row(row: ParsedRow, columns, convert: CellConverter, preview: ImportPreview) -> _Row:
    converted = _Row(number=row.number, raw=row.cells)
    for column in columns:
        raw = row.cells[column.field]
        if is_empty_cell(raw):
            continue
        try:
            value = convert(column, raw)
        except ValidationError as error:
            preview.add_error(row.number, column, raw, error_messages(error))
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
            preview.add_error(row.number, siren_column, row.raw["siren"], error_messages(error))
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
    by_pk = {site.pk: site for site in chunked_filter(Site.objects.all(), "member", [m.pk for m in members])}
    for site in chunked_filter(Site.objects.select_related("member"), "siret", sirets):
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
    siret, name = row.site.get("siret"), normalise(row.site.get("name", ""))
    own_sites = sites["by_member"].get(member.pk, []) if member.pk else []
    if siret and (site := sites["by_siret"].get(siret)):
        if site.member_id != member.pk:
            column = COLUMN_OF[SITE, "siret"]
            message = _("Ce SIRET est déjà celui du site « %(site)s » d'un autre membre (%(member)s).")
            preview.add_error(row.number, column, siret, message % {"site": site.name, "member": site.member})
            return None
        return site
    # Without a SIRET match, a site is its member's site of the same name (that has no SIRET yet if the row has one).
    same_name = [site for site in own_sites if normalise(site.name) == name and not (siret and site.siret)]
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
        key = row.site.get("siret") or (group.siren, normalise(row.site.get("name", "")))
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
