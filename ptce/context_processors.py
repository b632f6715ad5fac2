from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.enums import MemberRole


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
        entries.append((_("Projets"), reverse("projects:project_list")))
        entries.append((_("Rapport annuel"), reverse("yearly_report_choose")))
    if user.member_id:
        entries.append((_("Ma structure"), reverse("members:my_organisation")))
        entries.append((_("Mes flux"), reverse("waste_flows:my_streams")))
        entries.append((_("Bourse des flux"), reverse("waste_flows:exchange")))
        entries.append((_("Mes opportunités"), reverse("waste_flows:my_opportunities")))
        entries.append((_("Mes projets"), reverse("projects:my_projects")))
        entries.append((_("Projets du pôle"), reverse("projects:project_list")))
    elif user.is_partner:
        entries.append((_("Projets du pôle"), reverse("projects:project_list")))
    entries.append((_("Annuaire"), reverse("members:directory")))
    entries.append((_("API"), reverse("api:docs")))
    if user.is_coordinator or (user.member_id and user.member_role == MemberRole.ADMIN):
        entries.append((_("Clés d'API"), reverse("members:api_key_list")))
    if user.is_superuser:
        entries.append((_("Administration"), reverse("admin:index")))
    # Counters are fetched by the page after it loads (static/js/nav-badges.js): a page costs no extra query.
    badges = {}
    if user.member_id:
        badges[reverse("waste_flows:my_opportunities")] = reverse("waste_flows:my_opportunities_badge")
    current = request.path
    return {
        "navigation": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
                "badge_url": badges.get(url, ""),
            }
            for label, url in entries
        ]
    }


def map_settings(request):
    """Tile server of the maps; empty means markers on a plain background (offline, tests)."""
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}
