"""Words for the matches: each criterion of a match's explanation said as a French sentence.

The engine's criteria are {"name", "passed", "score", "detail"}; the detail keys read here are the ones
documented in waste_flows.matching (any missing key only shortens the sentence, never breaks the page)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..enums import Route

register = template.Library()

MATERIAL_FITS = {
    "same": lambda d: _("Même matière"),
    "descendant": lambda d: _("Sous-catégorie du besoin"),
    "use": lambda d: (
        _("Usage connu : %(offer)s → %(need)s") % {"offer": d["offer"], "need": d["need"]}
        if d.get("offer") and d.get("need")
        else _("Usage connu de cette matière pour ce besoin")
    ),
}


def _number(value, decimals: int = 1) -> str:
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _percent(value) -> str:
    return f"{number_format(round(float(value) * 100), use_l10n=True)} %"


def _tonnes(kilograms) -> str:
    return f"{number_format(round(float(kilograms) / 1000), use_l10n=True, force_grouping=True)} t/an"


def _material(detail: dict, passed: bool) -> str:
    fit = detail.get("fit") or detail.get("material_fit")
    if fit in MATERIAL_FITS:
        return MATERIAL_FITS[fit](detail)
    return _("Matière compatible") if passed else _("Matière incompatible")


def _distance(detail: dict, passed: bool) -> str:
    km, limit = detail.get("km", detail.get("distance_km")), detail.get("limit_km", detail.get("max_km"))
    if km is None and "radius_km" in detail:  # a group of shared needs
        return _("Sites à moins de %(radius)s km du centre du groupe (limite %(limit)s km)") % {
            "radius": _number(detail["radius_km"]),
            "limit": _number(limit or 0, 0),
        }
    if km is None:
        return _("Distance inconnue (site sans coordonnées)")
    if limit is None:
        return _("%(km)s km par la route") % {"km": _number(km)}
    if passed:
        return _("%(km)s km par la route, sous la limite de %(limit)s km") % {
            "km": _number(km),
            "limit": _number(limit, 0),
        }
    return _("%(km)s km par la route, au-delà de la limite de %(limit)s km") % {
        "km": _number(km),
        "limit": _number(limit, 0),
    }


def _quantity(detail: dict, passed: bool) -> str:
    coverage = detail.get("coverage")
    if coverage is None and "needs" in detail:  # a group of shared needs
        return _("%(needs)s besoins réunis") % {"needs": detail["needs"]}
    if coverage is None:
        return _("Quantités compatibles") if passed else _("Quantités peu compatibles")
    return _("L'offre couvre %(share)s du besoin") % {"share": _percent(min(float(coverage), 1.0))}


def _route_gain(detail: dict, passed: bool) -> str:
    route = detail.get("route") or detail.get("current_route")
    if route in Route.values and route not in (Route.UNKNOWN, ""):
        label = Route(route).label.lower()
        return _("L'offre part aujourd'hui en %(route)s") % {"route": label}
    return _("Devenir actuel de l'offre inconnu")


def _availability(detail: dict, passed: bool) -> str:
    months = detail.get("overlap_months")
    if passed and months is not None:
        return _("Disponible aux mêmes périodes (%(months)s mois en commun)") % {"months": months}
    return _("Disponible aux mêmes périodes") if passed else _("Périodes de disponibilité sans recouvrement")


def _hazardous(detail: dict, passed: bool) -> str:
    if not detail.get("hazardous", False) and passed:
        return _("Déchet non dangereux")
    return _("Déchet dangereux, accepté par le receveur") if passed else _("Déchet dangereux, refusé par le receveur")


def _threshold(detail: dict, passed: bool) -> str:
    share, threshold = detail.get("share"), detail.get("threshold")
    if share is None or threshold is None:
        return _("Seuil atteint") if passed else _("Seuil non atteint")
    sentence = _("Atteint %(share)s du seuil de %(threshold)s") % {
        "share": _percent(share),
        "threshold": _tonnes(threshold),
    }
    gap = detail.get("gap")
    if gap:
        sentence += _(" ; il manque %(gap)s") % {"gap": _tonnes(gap)}
    return sentence


def _contributors(detail: dict, passed: bool) -> str:
    return _("%(count)s offres réunies") % {"count": len(detail.get("ids", []))}


def _candidates(detail: dict, passed: bool) -> str:
    return _("%(count)s offres compatibles examinées dans le rayon") % {"count": detail.get("count", 0)}


def _hub(detail: dict, passed: bool) -> str:
    return _("Trajet moyen jusqu'au site de regroupement : %(km)s km (%(tkm)s t·km par an)") % {
        "km": _number(detail.get("average_haul_km", 0)),
        "tkm": _number(detail.get("tonne_km", 0), 0),
    }


def _members(detail: dict, passed: bool) -> str:
    return _("%(count)s membres ont ce besoin") % {"count": detail.get("count", 0)}


SENTENCES = {
    "contributors": _contributors,
    "candidates": _candidates,
    "hub": _hub,
    "members": _members,
    "material": _material,
    "distance": _distance,
    "quantity": _quantity,
    "route_gain": _route_gain,
    "availability": _availability,
    "hazardous": _hazardous,
    "threshold": _threshold,
}
NAMES = {
    "contributors": gettext_lazy("Contributeurs"),
    "candidates": gettext_lazy("Offres examinées"),
    "hub": gettext_lazy("Regroupement"),
    "members": gettext_lazy("Membres"),
    "material": gettext_lazy("Matière"),
    "distance": gettext_lazy("Distance"),
    "quantity": gettext_lazy("Quantité"),
    "route_gain": gettext_lazy("Gain sur le devenir actuel"),
    "availability": gettext_lazy("Disponibilité"),
    "hazardous": gettext_lazy("Dangerosité"),
    "threshold": gettext_lazy("Seuil"),
}


@register.filter
def explain(criterion: dict) -> str:
    """One criterion of `Match.explanation` as a sentence."""
    name, passed, detail = criterion.get("name", ""), bool(criterion.get("passed")), criterion.get("detail") or {}
    sentence = SENTENCES.get(name)
    if sentence is None:
        return _("Critère « %(name)s » : %(result)s") % {
            "name": name,
            "result": _("rempli") if passed else _("non rempli"),
        }
    return sentence(detail, passed)


@register.filter
def criterion_name(criterion: dict) -> str:
    name = criterion.get("name", "")
    return str(NAMES.get(name, name))


@register.filter
def tonnes(kilograms) -> str:
    return "—" if kilograms is None else _tonnes(kilograms)
