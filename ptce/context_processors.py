from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Main navigation entries the current user may open. Areas are added here as they land."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = [(_("Accueil"), reverse("home"))]
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
