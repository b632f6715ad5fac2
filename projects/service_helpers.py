"""What every project service does the same way: check the coordinator, accept known fields only,
validate everything at once, save with the author in the history, write the activity log."""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from members.models import User

from .models import Project, ProjectActivity


def require_manager(by: User) -> None:
    from .permissions import can_manage

    if not can_manage(by):
        raise PermissionDenied(_("Seule la coordination du pôle gère les projets."))


def take_fields(data: dict, allowed: frozenset, what: str) -> dict:
    """The fields of `data`, all of them known: a typo in a caller fails loudly instead of being ignored."""
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")
    return dict(data)


def save_validated(instance: models.Model, *, by: User, validate: Callable | None = None) -> models.Model:
    """Run the service's own rules and the model's checks, report every problem at once, then save.

    Constraints are checked last and only when nothing else failed: the services state them in words
    (dates in order, one value per year) before the database's terse message could."""
    errors: dict = {}
    checks = [lambda: instance.full_clean(validate_constraints=False)]
    if validate is not None:
        checks.insert(0, lambda: validate(instance))
    for check in checks:
        try:
            check()
        except ValidationError as problem:
            problem.update_error_dict(errors)
    if not errors:
        try:
            instance.validate_constraints()
        except ValidationError as problem:
            problem.update_error_dict(errors)
    if errors:
        raise ValidationError(_without_repeats(errors))
    instance._history_user = by
    instance.save()
    return instance


def _without_repeats(errors: dict) -> dict:
    cleaned = {}
    for name, messages in errors.items():
        unique = list(dict.fromkeys(ValidationError(messages).messages))
        if unique:
            cleaned[name or NON_FIELD_ERRORS] = unique
    return cleaned


def log_activity(
    project: Project, *, kind: str, by: User | None, message: str, from_status: str = "", to_status: str = ""
) -> ProjectActivity:
    actor = by if by is not None and by.is_authenticated else None
    return ProjectActivity.objects.create(
        project=project, kind=kind, actor=actor, message=message, from_status=from_status, to_status=to_status
    )


def euros(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    # No-break spaces: "12 500 €" never wraps between its digits or before its sign.
    return f"{formats.number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)}\u00a0€"


def check_belongs(child: models.Model | None, project: Project) -> None:
    """A child row passed with a project must be one of that project's rows."""
    if child is not None and child.pk is not None and child.project_id != project.pk:
        raise ValueError(f"{child._meta.model_name} {child.pk} does not belong to project {project.pk}")
