import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import naf
from .enums import IaeType, LegalForm, MemberKind, MemberRole, MembershipStatus
from .managers import UserManager
from .querysets import MemberQuerySet, SiteQuerySet
from .validators import validate_logo_size, validate_naf_code, validate_siren, validate_siret


class College(models.Model):
    """A college of the pole's governance (ESS enterprises, local authorities…), edited by the coordinator."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    """An organisation belonging to the pole (or a prospect, or a former member)."""

    name = models.CharField(_("raison sociale"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    kind = models.CharField(_("type de structure"), max_length=32, choices=MemberKind.choices)
    legal_form = models.CharField(_("forme juridique"), max_length=32, choices=LegalForm.choices)
    is_ess = models.BooleanField(
        _("statut ESS"),
        default=False,
        help_text=_("Structure de l'économie sociale et solidaire (loi du 31 juillet 2014)."),
    )
    esus_approved = models.BooleanField(_("agrément ESUS"), default=False)
    iae_type = models.CharField(
        _("structure d'insertion ou employeur inclusif"), max_length=8, choices=IaeType.choices, blank=True
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[validate_siren], help_text=_("9 chiffres, sans espaces.")
    )
    naf_code = models.CharField(
        _("code NAF"), max_length=6, blank=True, validators=[validate_naf_code], help_text=_("Par exemple 38.11Z.")
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_logo_size],
        help_text=_("PNG, JPEG ou WebP, 2 Mo au plus."),
    )
    status = models.CharField(
        _("statut d'adhésion"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.PROSPECT
    )
    joined_on = models.DateField(_("adhérent depuis le"), null=True, blank=True)
    left_on = models.DateField(_("sorti le"), null=True, blank=True)
    college = models.ForeignKey(
        College, verbose_name=_("collège"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~Q(siren=""),
                name="member_siren_unique",
                violation_error_code="unique",
                violation_error_message=_("Un membre avec ce SIREN existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
                violation_error_message=_("La date de sortie ne peut pas précéder la date d'adhésion."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    @property
    def naf_label(self) -> str | None:
        return naf.label(self.naf_code) if self.naf_code else None

    @property
    def naf_section(self) -> str | None:
        return naf.section_of(self.naf_code) if self.naf_code else None

    @property
    def is_iae(self) -> bool:
        return bool(self.iae_type)

    @cached_property
    def main_site(self):
        return next((site for site in self.sites.all() if site.is_main), None)


class YearlyFigure(models.Model):
    """Jobs and turnover of a member for one year, kept to show trends."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="yearly_figures")
    year = models.PositiveSmallIntegerField(_("année"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    permanent_headcount = models.PositiveIntegerField(_("effectif permanent"), default=0)
    permanent_fte = models.DecimalField(
        _("ETP permanents"), max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    insertion_headcount = models.PositiveIntegerField(_("salariés en insertion"), default=0)
    insertion_fte = models.DecimalField(
        _("ETP en insertion"), max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    turnover = models.DecimalField(
        _("chiffre d'affaires (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chiffres annuels")
        verbose_name_plural = _("chiffres annuels")
        ordering = ["member", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="yearly_figure_one_per_year",
                violation_error_message=_("Les chiffres de cette année sont déjà saisis pour ce membre."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year}"


class Site(models.Model):
    """An establishment of a member. Coordinates are required: matching works on distances."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sites", verbose_name=_("membre"))
    name = models.CharField(_("nom du site"), max_length=200)
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validate_siret], help_text=_("14 chiffres, sans espaces.")
    )
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    is_main = models.BooleanField(_("site principal"), default=False)

    history = HistoricalRecords()
    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["member", "-is_main", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="site_siret_unique",
                violation_error_code="unique",
                violation_error_message=_("Un site avec ce SIRET existe déjà."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(is_main=True),
                name="site_one_main_per_member",
                violation_error_message=_("Ce membre a déjà un site principal."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune})"


class Contact(models.Model):
    """A person of a member organisation. Shown to other members only if they consented."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("membre"))
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100)
    job_title = models.CharField(_("fonction"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consents_to_contact = models.BooleanField(
        _("accepte d'être contacté·e"),
        default=False,
        help_text=_("Ses coordonnées sont alors visibles des autres membres du pôle."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["member", "last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class Fee(models.Model):
    """The yearly membership fee of a member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="fees", verbose_name=_("membre"))
    year = models.PositiveSmallIntegerField(_("année"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    amount_due = models.DecimalField(
        _("montant appelé (€)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_paid = models.DecimalField(
        _("montant payé (€)"), max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    paid_on = models.DateField(_("payé le"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cotisation")
        verbose_name_plural = _("cotisations")
        ordering = ["member", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="fee_one_per_year",
                violation_error_message=_("Une cotisation existe déjà pour ce membre et cette année."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.year}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, Decimal(0))

    @property
    def is_outstanding(self) -> bool:
        return self.outstanding > 0


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
    member = models.ForeignKey(
        Member,
        verbose_name=_("membre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    member_role = models.CharField(_("rôle dans la structure"), max_length=8, choices=MemberRole.choices, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
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
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True, member_role="") | (Q(member__isnull=False) & ~Q(member_role="")),
                name="user_member_has_role",
                violation_error_message=_("Un utilisateur rattaché à un membre doit avoir un rôle, et seulement lui."),
            )
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

    @property
    def is_member_user(self) -> bool:
        return self.is_active and self.member_id is not None

    def can_edit_member(self, member: Member) -> bool:
        """Coordinators edit every member; member admins and editors edit their own organisation."""
        if self.is_coordinator:
            return True
        return self.member_id == member.pk and self.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)

    def can_manage_users_of(self, member: Member) -> bool:
        if self.is_coordinator:
            return True
        return self.member_id == member.pk and self.member_role == MemberRole.ADMIN

    def can_see_private_data_of(self, member: Member) -> bool:
        return self.is_coordinator or self.member_id == member.pk


class Invitation(models.Model):
    """A one-time, expiring link that lets a person create the account attached to a member.

    Only a hash of the token is stored: a leaked database does not give working links.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("membre"))
    email = models.EmailField(_("adresse e-mail"))
    member_role = models.CharField(_("rôle dans la structure"), max_length=8, choices=MemberRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invité par")
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# API keys live in their own module; importing them here registers the model with the members app.
from .api_keys import ApiKey  # noqa: E402, F401
