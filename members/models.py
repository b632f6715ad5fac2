from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Coordinators and partners get their role from a group; member users
    from the organisation they are attached to."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("accès à l'administration"), default=False, help_text=_("Peut se connecter au site d'administration.")
    )
    is_active = models.BooleanField(
        _("actif"), default=True, help_text=_("Décochez plutôt que de supprimer le compte.")
    )
    date_joined = models.DateTimeField(_("date d'inscription"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        permissions = [
            ("coordinate_pole", _("Peut coordonner le pôle")),
            ("read_as_partner", _("Peut lire les données ouvertes aux partenaires")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.has_perm("members.coordinate_pole")

    @property
    def is_partner(self) -> bool:
        return self.is_active and not self.is_coordinator and self.has_perm("members.read_as_partner")
