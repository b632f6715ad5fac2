"""The coordinator's page of CO2e factors: the table behind every "CO2e avoided" figure, with its sources."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.views.helpers import call_service, require_coordinator

from .. import factor_services
from ..enums import Route
from ..forms_matches import EmissionFactorForm
from ..impact import DEFAULT_FAMILY, TRANSPORT_KG_CO2E_PER_TONNE_KM
from ..matches import EmissionFactor


def emission_factor_list(request):
    require_coordinator(request.user)
    family_names = dict(factor_services.family_choices())
    route_order = Case(
        *[When(route=value, then=Value(position)) for position, value in enumerate(Route.values)],
        output_field=IntegerField(),
    )
    factors = EmissionFactor.objects.annotate(
        is_default=Case(When(family=DEFAULT_FAMILY, then=Value(0)), default=Value(1), output_field=IntegerField()),
        route_position=route_order,
    ).order_by("is_default", "family", "route_position")
    rows = [
        {
            "factor": factor,
            "family_name": family_names.get(factor.family, factor.family),
            "route_name": Route(factor.route).label if factor.route in Route.values else factor.route,
        }
        for factor in factors
    ]
    return render(
        request,
        "waste_flows/matches/factor_list.html",
        {"rows": rows, "transport_factor": TRANSPORT_KG_CO2E_PER_TONNE_KM},
    )


def emission_factor_create(request):
    return _factor_form(request, factor=None)


def emission_factor_edit(request, pk):
    return _factor_form(request, factor=get_object_or_404(EmissionFactor, pk=pk))


def _factor_form(request, *, factor):
    require_coordinator(request.user)
    form = EmissionFactorForm(request.POST or None, family_choices=factor_services.family_choices(), factor=factor)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, factor_services.emission_factor_save, actor=request.user, factor=factor, **form.cleaned_data
        )
        if saved:
            messages.success(
                request,
                _(
                    "Le facteur est enregistré. Une recherche complète recalcule les impacts de toutes les mises en relation."
                ),
            )
            return redirect("waste_flows:emission_factor_list")
    title = _("Modifier un facteur d'émission") if factor else _("Nouveau facteur d'émission")
    return render(request, "waste_flows/matches/factor_form.html", {"form": form, "factor": factor, "title": title})


@require_POST
def emission_factor_delete(request, pk):
    require_coordinator(request.user)
    factor = get_object_or_404(EmissionFactor, pk=pk)
    try:
        factor_services.emission_factor_delete(actor=request.user, factor=factor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le facteur est supprimé ; la valeur par défaut s'applique désormais."))
    return redirect("waste_flows:emission_factor_list")
