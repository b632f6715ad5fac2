"""The territory inventory: what the pole's members throw away, where it goes today, and what is neither
supplied nor used on the territory. For the coordination only; the figures come from
`waste_flows.selectors.territory_inventory`, shared with the API."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..enums import Route
from ..inventory import UNVALORISED_ROUTES, territory_inventory


def inventory(request):
    if not request.user.is_coordinator:
        raise PermissionDenied
    figures = territory_inventory(user=request.user)
    route_tables = [
        {
            "id": "mass",
            "title": _("Matières : tonnages déclarés par famille et par devenir actuel"),
            "caption": _("Offres actives de matières mesurées en masse, en tonnes par an"),
            "unit": "t",
            "rows": figures.families.mass,
            "totals": figures.families.mass_by_route,
            "total": figures.families.mass_total,
        },
        {
            "id": "energy",
            "title": _("Énergie : quantités déclarées par famille et par devenir actuel"),
            "caption": _("Offres actives d'énergie, en mégawattheures par an"),
            "unit": "MWh",
            "rows": figures.families.energy,
        },
    ]
    context = {
        "inventory": figures,
        "routes": Route.choices,
        "route_tables": route_tables,
        "unvalorised_routes": [str(route) for route in UNVALORISED_ROUTES],
    }
    return render(request, "waste_flows/inventory.html", context)
