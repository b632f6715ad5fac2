"""Writes on API keys: issue, revoke, and record a use.

Who issues what: the coordination issues keys to partners (read-only, for their own tools); a member's
administrators issue keys for their organisation's systems, acting as one of its users. A key never gives
more than its user has: the scopes only narrow it down.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .api_keys import ApiKey
from .enums import ApiScope, MemberRole
from .models import Member, User

# Scopes that change data; partners are read-only, and so are member users without the right to declare.
WRITE_SCOPES = frozenset({ApiScope.STREAMS_WRITE})


@transaction.atomic
def api_key_issue(
    *, issued_by: User, user: User, name: str, scopes: list[str], expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """Issue a key acting as `user`. Returns the key and its plaintext, which is not kept anywhere: the
    caller shows it once."""
    member = _owner_of_new_key(issued_by=issued_by, user=user)
    _check_scopes(user=user, member=member, scopes=scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("La date d'expiration doit être dans le futur.")})
    plaintext, prefix, secret_hash = ApiKey.generate()
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=secret_hash,
        user=user,
        member=member,
        scopes=list(scopes),
        expires_at=expires_at,
        created_by=issued_by,
    )
    key._history_user = issued_by
    key.full_clean()
    key.save()
    return key, plaintext


def _owner_of_new_key(*, issued_by: User, user: User) -> Member | None:
    """The organisation that will own the key (None for a partner's key), once `issued_by` may issue it."""
    if not user.is_active:
        raise ValidationError({"user": _("Ce compte est désactivé.")})
    if issued_by.is_coordinator:
        if not user.is_partner:
            raise ValidationError(
                {"user": _("La coordination délivre des clés aux partenaires ; un membre délivre les siennes.")}
            )
        return None
    if issued_by.is_active and issued_by.member_id and issued_by.member_role == MemberRole.ADMIN:
        if user.member_id != issued_by.member_id:
            raise PermissionDenied(_("Vous ne pouvez délivrer de clé que pour les comptes de votre structure."))
        return issued_by.member
    raise PermissionDenied(_("Seuls la coordination et les administrateurs d'un membre délivrent des clés d'API."))


def _check_scopes(*, user: User, member: Member | None, scopes: list[str]) -> None:
    asked_writes = WRITE_SCOPES.intersection(scopes)
    if not asked_writes:
        return
    if member is None:
        raise ValidationError({"scopes": _("Une clé de partenaire est en lecture seule.")})
    if user.member_role not in (MemberRole.ADMIN, MemberRole.EDITOR):
        raise ValidationError(
            {"scopes": _("Ce compte ne peut pas déclarer de flux : la clé ne peut pas en avoir le droit.")}
        )


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User) -> ApiKey:
    """Revoke a key for good. The coordination revokes any key, a member admin its organisation's keys,
    and everyone their own keys."""
    may_revoke = key.user_id == by.pk or ApiKey.objects.managed_by(by).filter(pk=key.pk).exists()
    if not by.is_active or not may_revoke:
        raise PermissionDenied(_("Vous ne pouvez pas révoquer cette clé."))
    if key.is_revoked:
        raise ValidationError(_("Cette clé est déjà révoquée."))
    key.revoked_at = timezone.now()
    key._history_user = by
    key.full_clean()
    key.save()
    return key


def api_key_record_use(*, key: ApiKey) -> bool:
    """Note that the key was just used, at most once a minute, without a history record. True if it was
    noted now."""
    now = timezone.now()
    if not key.needs_last_use_update(now):
        return False
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
    return True
