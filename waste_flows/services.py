"""Writes on streams (offers and needs). Keyword-only, atomic, validated, with the author in the history."""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Site, User

from .enums import NEED_KINDS, OFFER_KINDS, Direction, Regularity, Route, StreamStatus
from .models import Stream
from .quantities import DimensionMismatch, UnitFactor, annual_quantity

STREAM_FIELDS = frozenset(
    {"site", "direction", "kind", "material", "ewc_code", "description", "quantity", "unit", "period", "regularity",
     "months", "available_from", "available_until", "physical_form", "quality_notes", "current_route",
     "current_route_cost", "max_distance_km", "accepts_hazardous", "confidentiality", "status"}
)  # fmt: skip


THOUSANDTH = Decimal("0.001")


def _require_stream_editor(*, actor: User, site: Site) -> None:
    if not actor.can_edit_member(site.member):
        raise PermissionDenied(_("Vous ne pouvez déclarer des flux que pour les sites de votre structure."))


def stream_validate(stream: Stream) -> None:
    """Rules beyond the model fields: consistent direction, kind, unit, waste code and season.

    Raises one ValidationError with every problem found, field by field, in plain French."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if stream.quantity is not None and stream.quantity <= 0:
        add("quantity", _("La quantité doit être supérieure à zéro."))
    if stream.direction == Direction.OFFER and stream.kind and stream.kind not in OFFER_KINDS:
        add("kind", _("Une offre est un déchet, un sous-produit, un surplus ou une capacité disponible."))
    if stream.direction == Direction.NEED and stream.kind and stream.kind not in NEED_KINDS:
        add("kind", _("Un besoin est un intrant ou un service."))
    material = stream.material if stream.material_id else None
    unit = stream.unit if stream.unit_id else None
    if material and unit:
        try:
            stream.annual_quantity = _annual_quantity(stream)
        except DimensionMismatch:
            add(
                "unit",
                _("L'unité « %(unit)s » mesure une %(unit_dimension)s ; « %(material)s » se mesure en %(dimension)s.")
                % {
                    "unit": unit.symbol,
                    "unit_dimension": unit.get_dimension_display(),
                    "material": material.name,
                    "dimension": material.get_dimension_display(),
                },
            )
    if stream.ewc_code_id:
        ewc = stream.ewc_code
        if ewc.level != "entry":
            add("ewc_code", _("Choisissez un code déchet complet à 6 chiffres, pas un chapitre."))
        if stream.direction == Direction.NEED and not stream.accepts_hazardous and ewc.hazardous:
            add("ewc_code", _("Un besoin qui reçoit un déchet dangereux doit être déclaré apte à le recevoir."))
    if stream.direction == Direction.NEED and stream.current_route:
        add("current_route", _("Le devenir actuel ne concerne que les offres."))
    if stream.direction == Direction.OFFER and not stream.current_route:
        # Not saying is information too: the inventory counts these offers as "route unknown".
        stream.current_route = Route.UNKNOWN
    if stream.regularity == Regularity.SEASONAL:
        months = stream.months or []
        if not months or any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            add("months", _("Indiquez les mois de disponibilité (de 1 à 12) d'un flux saisonnier."))
    elif stream.months:
        stream.months = []
    if errors:
        raise ValidationError(errors)


def _annual_quantity(stream: Stream):
    material = stream.material
    return annual_quantity(
        quantity=stream.quantity,
        unit=UnitFactor(dimension=stream.unit.dimension, factor_to_base=stream.unit.factor_to_base),
        period=stream.period,
        material_dimension=material.dimension,
        density_kg_per_m3=material.density_kg_per_m3,
        seasonal_months=len(stream.months) if stream.regularity == Regularity.SEASONAL else None,
    ).quantize(THOUSANDTH)


def _save(stream: Stream, *, actor: User) -> Stream:
    # Both sets of checks run so that the person sees every problem at once.
    errors: dict = {}
    for check in (lambda: stream_validate(stream), lambda: stream.full_clean(exclude=_not_computed(stream))):
        try:
            check()
        except ValidationError as problem:
            problem.update_error_dict(errors)
    if errors:
        raise ValidationError(_without_repeats(errors))
    stream._history_user = actor
    stream.save()
    _rescore_after_commit(stream.pk)
    return stream


# Bulk writes (imports, the demo) collect the streams they change here instead of enqueuing one
# incremental matching run per stream.
_batched_changes: ContextVar[set | None] = ContextVar("batched_stream_changes", default=None)


@contextmanager
def rescoring_batched(*, then_full_run: bool = True):
    """Within this block, stream changes enqueue no incremental run; one full run follows if any changed."""
    changed: set[int] = set()
    token = _batched_changes.set(changed)
    try:
        yield changed
    finally:
        _batched_changes.reset(token)
    if changed and then_full_run:
        from .tasks import run_full_matching

        run_full_matching.delay_on_commit()


def _rescore_after_commit(stream_id: int) -> None:
    batch = _batched_changes.get()
    if batch is not None:
        batch.add(stream_id)
        return
    from .tasks import rescore_stream

    rescore_stream.delay_on_commit(stream_id=stream_id)


def _without_repeats(errors: dict) -> dict:
    """Each message once; a model constraint repeating a field's message (quantity > 0) is dropped."""
    flat = {field: ValidationError(messages).messages for field, messages in errors.items()}
    on_fields = {message for field, messages in flat.items() if field != NON_FIELD_ERRORS for message in messages}
    cleaned = {}
    for field, messages in flat.items():
        unique = list(dict.fromkeys(messages))
        if field == NON_FIELD_ERRORS:
            unique = [message for message in unique if message not in on_fields]
        if unique:
            cleaned[field] = unique
    return cleaned


def _not_computed(stream: Stream) -> list[str]:
    # Without a valid material and unit there is no annual quantity; the cause is reported instead.
    return ["annual_quantity"] if stream.annual_quantity is None else []


@transaction.atomic
def stream_declare(*, actor: User, **fields) -> Stream:
    unknown = set(fields) - STREAM_FIELDS
    if unknown:
        raise TypeError(f"unknown stream fields: {sorted(unknown)}")
    stream = Stream(**fields, declared_by=actor)
    _require_stream_editor(actor=actor, site=stream.site)
    return _save(stream, actor=actor)


@transaction.atomic
def stream_update(*, actor: User, stream: Stream, **fields) -> Stream:
    """Edit a declaration; a coordinator may correct any of them (the history shows it)."""
    _require_stream_editor(actor=actor, site=stream.site)
    if "site" in fields:
        _require_stream_editor(actor=actor, site=fields["site"])
    for name, value in fields.items():
        if name not in STREAM_FIELDS:
            raise TypeError(f"unknown stream field: {name}")
        setattr(stream, name, value)
    return _save(stream, actor=actor)


@transaction.atomic
def stream_duplicate(*, actor: User, stream: Stream) -> Stream:
    """A copy as a draft, to declare a similar stream quickly (another site, another material)."""
    _require_stream_editor(actor=actor, site=stream.site)
    values = {name: getattr(stream, name) for name in STREAM_FIELDS}
    values["status"] = StreamStatus.DRAFT
    return stream_declare(actor=actor, **values)


@transaction.atomic
def stream_archive(*, actor: User, stream: Stream) -> Stream:
    """Streams are archived, never deleted: matches and the inventory's past figures refer to them."""
    return stream_update(actor=actor, stream=stream, status=StreamStatus.ARCHIVED)
