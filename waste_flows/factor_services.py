"""Writes of the CO2e factor table: the coordinator adapts the defaults to the pole's own knowledge.

Impacts are stored on each match when a run scores it, so a changed factor starts a full run once the
change is committed: the board and the dashboards then show figures computed with the new table."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User

from .enums import Route
from .impact import DEFAULT_FAMILY
from .match_services import match_run_start
from .matches import EmissionFactor, MatchRun
from .models import Material

# Beyond 20 t CO2e per tonne no material of the reference table goes (aluminium is ~9 t): a typo, not a factor.
MAX_KG_CO2E_PER_TONNE = 20_000


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle modifie les facteurs d'émission."))


def family_choices() -> list[tuple[str, str]]:
    """The default row ("*") then each top-level material family, by name."""
    families = Material.objects.filter(parent__isnull=True).order_by("code")
    return [(DEFAULT_FAMILY, _("Toutes familles (valeur par défaut)"))] + [(m.code, m.name) for m in families]


@transaction.atomic
def emission_factor_save(
    *,
    actor: User,
    family: str,
    route: str,
    kg_co2e_per_tonne: float,
    source: str,
    factor: EmissionFactor | None = None,
) -> tuple[EmissionFactor, MatchRun]:
    """Create or change one factor, then re-score every match with the new table."""
    _require_coordinator(actor)
    if family not in dict(family_choices()):
        raise ValidationError({"family": _("Famille de matières inconnue.")})
    if route not in Route.values or route == Route.LOCAL_VALORISATION:
        raise ValidationError({"route": _("Choisissez un devenir actuel que la valorisation locale remplacerait.")})
    if not 0 <= kg_co2e_per_tonne <= MAX_KG_CO2E_PER_TONNE:
        raise ValidationError(
            {
                "kg_co2e_per_tonne": _("Indiquez une valeur entre 0 et %(max)s kg CO2e par tonne.")
                % {"max": MAX_KG_CO2E_PER_TONNE}
            }
        )
    if not source.strip():
        raise ValidationError({"source": _("Citez la source du facteur : d'autres devront pouvoir la vérifier.")})
    duplicate = EmissionFactor.objects.filter(family=family, route=route).exclude(pk=getattr(factor, "pk", None))
    if duplicate.exists():
        raise ValidationError({"route": _("Un facteur existe déjà pour cette famille et ce devenir : modifiez-le.")})
    factor = factor or EmissionFactor()
    factor.family, factor.route = family, route
    factor.kg_co2e_per_tonne, factor.source = kg_co2e_per_tonne, source.strip()
    factor._change_reason = _("Modifié par la coordination")
    factor.full_clean()
    factor.save()
    return factor, match_run_start(actor=actor)


@transaction.atomic
def emission_factor_delete(*, actor: User, factor: EmissionFactor) -> MatchRun:
    """Family rows can go (the default row then applies); default rows stay, or impacts would fall to zero."""
    _require_coordinator(actor)
    if factor.family == DEFAULT_FAMILY:
        raise ValidationError(_("Les valeurs par défaut ne se suppriment pas : modifiez-les."))
    factor.delete()
    return match_run_start(actor=actor)
