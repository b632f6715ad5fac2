from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleGroup(models.TextChoices):
    """Groups that carry the platform-wide roles (member users get their role from their organisation)."""

    COORDINATORS = "coordinators", _("Coordination du pôle")
    PARTNERS = "partners", _("Partenaires")
