"""Writes on a project's plan: budget lines, fundings, milestones and indicators.

Part of the `projects.services` interface (import them from there). Totals and the funding gap are never
stored: `Project.objects.with_totals()` computes them from these rows.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import User

from . import permissions
from .enums import ActivityKind, FundingSource, IndicatorKind
from .models import BudgetLine, Funding, Indicator, Milestone, Project
from .service_helpers import check_belongs, euros, log_activity, require_manager, save_validated, take_fields

BUDGET_LINE_FIELDS = frozenset({"category", "label", "amount"})
FUNDING_FIELDS = frozenset(
    {"source", "funder_name", "amount_requested", "amount_granted", "amount_received", "requested_on", "granted_on",
     "received_on", "notes"}
)  # fmt: skip
MILESTONE_FIELDS = frozenset({"title", "due_date", "done_on", "owner"})
INDICATOR_FIELDS = frozenset({"kind", "label", "unit", "year", "target", "actual"})
INDICATOR_YEARS = range(2000, 2101)
# The unit each standard indicator is reported in; free indicators name theirs.
INDICATOR_UNITS = {
    IndicatorKind.JOBS: "ETP",
    IndicatorKind.INSERTION_JOBS: "ETP",
    IndicatorKind.TONNES: "t",
    IndicatorKind.CO2E: "t CO2e",
    IndicatorKind.EUROS: "€",
    IndicatorKind.MEMBERS: "",
}


def _assign(instance, data: dict, allowed: frozenset, what: str):
    for name, value in take_fields(data, allowed, what).items():
        setattr(instance, name, value)
    return instance


def _save_part(project: Project, row, data: dict, *, by: User, model, fields: frozenset, what: str, validate=None):
    """The common steps of saving a part of the plan: a manager, a row of this project (or a new one), only
    the part's own fields, validated and saved with its history. Returns (the row, whether it is new)."""
    require_manager(by)
    check_belongs(row, project)
    created = row is None
    row = _assign(row or model(project=project), data, fields, what)
    save_validated(row, by=by, validate=validate)
    return row, created


def _delete_part(row, *, by: User, kind: ActivityKind, message: str) -> None:
    """Delete a part of the plan, with its history, and say so in the project's activity."""
    require_manager(by)
    project = row.project
    row._history_user = by
    row.delete()
    log_activity(project, kind=kind, by=by, message=message)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# --- Budget lines -------------------------------------------------------------------------------------


@transaction.atomic
def budget_line_save(*, project: Project, by: User, line: BudgetLine | None = None, data: dict) -> BudgetLine:
    line, created = _save_part(
        project, line, data, by=by, model=BudgetLine, fields=BUDGET_LINE_FIELDS, what="budget line"
    )
    message = (
        _("Budget : ligne « %(label)s » ajoutée (%(amount)s).")
        if created
        else _("Budget : ligne « %(label)s » modifiée (%(amount)s).")
    )
    message %= {"label": line.label, "amount": euros(line.amount)}
    log_activity(project, kind=ActivityKind.FUNDING, by=by, message=message)
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, by: User) -> None:
    _delete_part(line, by=by, kind=ActivityKind.FUNDING, message=_("Budget : ligne « %s » supprimée.") % line.label)


# --- Fundings -----------------------------------------------------------------------------------------


def _validate_funding(funding: Funding) -> None:
    """Granted may exceed requested (a funder sometimes tops up); received never exceeds granted, and the
    dates follow each other."""
    errors = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, message)

    granted, received = funding.amount_granted, funding.amount_received
    if received is not None and granted is None:
        add("amount_received", _("Un montant ne peut être perçu qu'une fois accordé : indiquez le montant accordé."))
    elif received is not None and received > granted:
        add(
            "amount_received",
            _("Le montant perçu (%(received)s) dépasse le montant accordé (%(granted)s).")
            % {"received": euros(received), "granted": euros(granted)},
        )
    if funding.granted_on and granted is None:
        add("amount_granted", _("Indiquez le montant accordé à cette date."))
    if funding.received_on and received is None:
        add("amount_received", _("Indiquez le montant perçu à cette date."))
    if funding.requested_on and funding.granted_on and funding.granted_on < funding.requested_on:
        add("granted_on", _("L'accord ne peut pas précéder la demande."))
    if funding.granted_on and funding.received_on and funding.received_on < funding.granted_on:
        add("received_on", _("Le versement ne peut pas précéder l'accord."))
    if funding.source == FundingSource.OTHER and not funding.funder_name.strip():
        add("funder_name", _("Nommez le financeur."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def funding_save(*, project: Project, by: User, funding: Funding | None = None, data: dict) -> Funding:
    funding, created = _save_part(
        project, funding, data, by=by, model=Funding, fields=FUNDING_FIELDS, what="funding", validate=_validate_funding
    )
    if created:
        message = _(
            "Financement « %(funder)s » ajouté : %(requested)s demandés, %(granted)s accordés, %(received)s perçus."
        )
    else:
        message = _(
            "Financement « %(funder)s » modifié : %(requested)s demandés, %(granted)s accordés, %(received)s perçus."
        )
    params = {
        "funder": funding,
        "requested": euros(funding.amount_requested),
        "granted": euros(funding.amount_granted),
        "received": euros(funding.amount_received),
    }
    log_activity(project, kind=ActivityKind.FUNDING, by=by, message=message % params)
    return funding


@transaction.atomic
def funding_delete(*, funding: Funding, by: User) -> None:
    _delete_part(funding, by=by, kind=ActivityKind.FUNDING, message=_("Financement « %s » supprimé.") % funding)


# --- Milestones ---------------------------------------------------------------------------------------


def _validate_milestone(milestone: Milestone) -> None:
    errors = {}
    if milestone.done_on and milestone.done_on > timezone.localdate():
        errors["done_on"] = _("Un jalon ne peut pas être réalisé à une date future.")
    if milestone.owner_id and milestone.owner_id not in permissions.involved_member_ids(milestone.project):
        errors["owner"] = _("Le responsable d'un jalon est le porteur ou un participant du projet.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def milestone_save(*, project: Project, by: User, milestone: Milestone | None = None, data: dict) -> Milestone:
    milestone, created = _save_part(
        project, milestone, data, by=by, model=Milestone, fields=MILESTONE_FIELDS, what="milestone",
        validate=_validate_milestone,
    )  # fmt: skip
    message = (
        _("Jalon « %(title)s » ajouté, échéance le %(due)s.")
        if created
        else _("Jalon « %(title)s » modifié, échéance le %(due)s.")
    )
    message %= {"title": milestone.title, "due": _date(milestone.due_date) if milestone.due_date else "—"}
    log_activity(project, kind=ActivityKind.MILESTONE, by=by, message=message)
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by: User, done_on=None) -> Milestone:
    """Mark a milestone done: the coordination, or the organisation responsible for it."""
    if not permissions.can_complete_milestone(by, milestone):
        raise PermissionDenied(_("Seuls la coordination et la structure responsable valident ce jalon."))
    if milestone.done_on is not None:
        raise ValidationError({"done_on": _("Ce jalon est déjà réalisé (le %s).") % _date(milestone.done_on)})
    milestone.done_on = done_on or timezone.localdate()
    save_validated(milestone, by=by, validate=_validate_milestone)
    message = _("Jalon « %(title)s » réalisé le %(done)s.") % {
        "title": milestone.title,
        "done": _date(milestone.done_on),
    }
    log_activity(milestone.project, kind=ActivityKind.MILESTONE, by=by, message=message)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    _delete_part(milestone, by=by, kind=ActivityKind.MILESTONE, message=_("Jalon « %s » supprimé.") % milestone.title)


# --- Indicators ---------------------------------------------------------------------------------------


def _validate_indicator(indicator: Indicator) -> None:
    errors = {}
    if indicator.kind == IndicatorKind.CUSTOM:
        indicator.label = indicator.label.strip()
        if not indicator.label:
            errors["label"] = _("Un indicateur libre a besoin d'un libellé.")
    else:
        indicator.label = ""
        indicator.unit = indicator.unit or INDICATOR_UNITS.get(indicator.kind, "")
        for name in ("target", "actual"):
            if getattr(indicator, name) is not None and getattr(indicator, name) < 0:
                errors[name] = _("Cet indicateur ne peut pas être négatif.")
    if indicator.year is not None and indicator.year not in INDICATOR_YEARS:
        errors["year"] = _("Indiquez une année entre 2000 et 2100.")
    elif indicator.year is not None and indicator.project_id and _taken(indicator):
        errors["year"] = _("« %(indicator)s » a déjà une valeur pour %(year)s : modifiez-la plutôt.") % {
            "indicator": indicator.display_label,
            "year": indicator.year,
        }
    if errors:
        raise ValidationError(errors)


def _taken(indicator: Indicator) -> bool:
    same = Indicator.objects.filter(
        project_id=indicator.project_id, kind=indicator.kind, label=indicator.label, year=indicator.year
    )
    return same.exclude(pk=indicator.pk).exists()


@transaction.atomic
def indicator_save(*, project: Project, by: User, indicator: Indicator | None = None, data: dict) -> Indicator:
    indicator, created = _save_part(
        project, indicator, data, by=by, model=Indicator, fields=INDICATOR_FIELDS, what="indicator",
        validate=_validate_indicator,
    )  # fmt: skip
    if created:
        message = _("Indicateur « %(indicator)s » %(year)s ajouté : cible %(target)s, réalisé %(actual)s.")
    else:
        message = _("Indicateur « %(indicator)s » %(year)s modifié : cible %(target)s, réalisé %(actual)s.")
    message %= {
        "indicator": indicator.display_label,
        "year": indicator.year,
        "target": _number(indicator.target),
        "actual": _number(indicator.actual),
    }
    log_activity(project, kind=ActivityKind.INDICATOR, by=by, message=message)
    return indicator


def _number(value) -> str:
    if value is None:
        return "—"
    # 1200.00 reads « 1 200 », 2.50 reads « 2,50 ».
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User) -> None:
    label = f"{indicator.display_label} {indicator.year}"
    _delete_part(indicator, by=by, kind=ActivityKind.INDICATOR, message=_("Indicateur « %s » supprimé.") % label)
