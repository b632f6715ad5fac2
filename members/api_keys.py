"""API keys: how partners' tools and members' own systems call the API without a browser session.

A key acts as one user (the partner it was issued to, or the member user it was issued for) and only
within its scopes: a request made with a key may do what its user may do, intersected with the key's
scopes. The plaintext is shown once, when the key is issued; only its hash is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import ApiScope, MemberRole

# Marks the string as ours, so that secret scanners and people recognise a leaked key.
KEY_MARKER = "ptce_"
PREFIX_LENGTH = 8
# Writing the last use on every request would turn each read into a write; a minute is precise enough.
LAST_USE_PRECISION = timedelta(minutes=1)


def hash_key(plaintext: str) -> str:
    """A plain SHA-256 is enough here, unlike for passwords: a key holds 256 random bits, so nothing can
    be guessed from its hash, and a fast, deterministic hash lets each request find its key by an index."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        """Neither revoked nor expired."""
        not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        return self.filter(not_expired, revoked_at__isnull=True)

    def managed_by(self, user):
        """Every key for the coordination; the keys of its own organisation for a member admin."""
        if user.is_coordinator:
            return self
        if user.is_active and user.member_id and user.member_role == MemberRole.ADMIN:
            return self.filter(member_id=user.member_id)
        return self.none()


class ApiKey(models.Model):
    name = models.CharField(
        _("nom de la clé"), max_length=100, help_text=_("Pour la reconnaître : l'outil ou le système qui l'utilise.")
    )
    prefix = models.CharField(_("début de la clé"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("agit en tant que"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("structure"),
        help_text=_("La structure propriétaire d'une clé de membre ; vide pour une clé de partenaire."),
    )
    scopes = models.JSONField(_("droits"), default=list)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("délivrée par"),
    )
    created_at = models.DateTimeField(_("délivrée le"), auto_now_add=True)

    # The last use changes all the time and is written with update(), outside the history; the hash is
    # kept out of the history tables so that it lives in one place only.
    history = HistoricalRecords(excluded_fields=["secret_hash", "last_used_at"])
    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.display_prefix})"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """A new key: (plaintext, prefix shown in lists, hash stored)."""
        random_part = secrets.token_urlsafe(32)
        plaintext = KEY_MARKER + random_part
        return plaintext, random_part[:PREFIX_LENGTH], hash_key(plaintext)

    def clean(self):
        super().clean()
        if not isinstance(self.scopes, list) or not self.scopes:
            raise ValidationError({"scopes": _("Choisissez au moins un droit.")})
        unknown = [scope for scope in self.scopes if scope not in ApiScope.values]
        if unknown:
            raise ValidationError(
                {"scopes": _("Droits inconnus : %(scopes)s.") % {"scopes": ", ".join(map(str, unknown))}}
            )
        self.scopes = sorted(set(self.scopes))

    @property
    def display_prefix(self) -> str:
        return f"{KEY_MARKER}{self.prefix}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def status_label(self) -> str:
        if self.is_revoked:
            return _("Révoquée")
        if self.is_expired:
            return _("Expirée")
        return _("Active")

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(ApiScope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def needs_last_use_update(self, now) -> bool:
        return self.last_used_at is None or now - self.last_used_at >= LAST_USE_PRECISION
