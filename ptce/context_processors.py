from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Main navigation entries the current user may open. Areas are added here as they land."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = [(_("Accueil"), reverse("home"))]
    if user.is_coordinator:
        entries.append((_("Membres"), reverse("members:member_list")))
        entries.append((_("Flux déclarés"), reverse("waste_flows:stream_list")))
        entries.append((_("Inventaire"), reverse("waste_flows:inventory")))
        entries.append((_("Mises en relation"), reverse("waste_flows:match_board")))
    if user.member_id:
        entries.append((_("Ma structure"), reverse("members:my_organisation")))
        entries.append((_("Mes flux"), reverse("waste_flows:my_streams")))
        entries.append((_("Bourse des flux"), reverse("waste_flows:exchange")))
        entries.append((_("Mes opportunités"), reverse("waste_flows:my_opportunities")))
    entries.append((_("Annuaire"), reverse("members:directory")))
    entries.append((_("API"), reverse("api:docs")))
    if user.is_superuser:
        entries.append((_("Administration"), reverse("admin:index")))
    current = request.path
    return {
        "navigation": [
            {"label": label, "url": url, "current": url == current or (url != "/" and current.startswith(url))}
            for label, url in entries
        ]
    }


def map_settings(request):
    """Tile server of the maps; empty means markers on a plain background (offline, tests)."""
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}
