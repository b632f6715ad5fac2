"""Writes on the member registry. Every function is keyword-only, atomic and validates before saving.

`actor` is the person making the change: it is checked against what their role allows and recorded in
the history (django-simple-history), including when the change does not come from a web request.
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import MemberRole, MembershipStatus, RoleGroup
from .geocoding import geocode
from .models import College, Contact, Fee, Invitation, Member, Site, User, YearlyFigure
from .tasks import send_email
from .validators import compact_identifier

# Fields of its own profile a member user may change; status, college and dates stay with the coordinator.
MEMBER_SELF_SERVICE_FIELDS = frozenset(
    {"name", "short_name", "kind", "legal_form", "is_ess", "esus_approved", "iae_type", "siren", "naf_code",
     "website", "description", "logo"}
)  # fmt: skip
INVITATION_VALIDITY = timedelta(days=7)
COORDINATE_STEP = Decimal("0.000001")


def _save(instance, *, actor: User | None):
    if actor is not None:
        instance._history_user = actor
    instance.full_clean()
    instance.save()
    return instance


def _require_editor(*, actor: User, member: Member) -> None:
    if not actor.can_edit_member(member):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce membre."))


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle peut faire cette action."))


# --- Members ----------------------------------------------------------------------------------------


def _normalise_member_fields(fields: dict) -> dict:
    from . import naf

    if "siren" in fields:
        fields["siren"] = compact_identifier(fields["siren"])
    if "naf_code" in fields:
        fields["naf_code"] = naf.normalise(fields["naf_code"])
    return fields


@transaction.atomic
def member_create(*, actor: User, **fields) -> Member:
    _require_coordinator(actor)
    member = Member(**_normalise_member_fields(fields))
    if member.status == MembershipStatus.ACTIVE and member.joined_on is None:
        member.joined_on = timezone.localdate()
    return _save(member, actor=actor)


@transaction.atomic
def member_update(*, actor: User, member: Member, **fields) -> Member:
    _require_editor(actor=actor, member=member)
    if not actor.is_coordinator and (forbidden := set(fields) - MEMBER_SELF_SERVICE_FIELDS):
        raise PermissionDenied(
            _("Ces champs sont réservés à la coordination : %(fields)s") % {"fields": ", ".join(sorted(forbidden))}
        )
    for name, value in _normalise_member_fields(fields).items():
        setattr(member, name, value)
    if member.status == MembershipStatus.ACTIVE and member.joined_on is None:
        member.joined_on = timezone.localdate()
    return _save(member, actor=actor)


@transaction.atomic
def member_archive(*, actor: User, member: Member, left_on: date | None = None) -> Member:
    """ "Deleting" a member: it becomes a former member. Its sites, declarations and history stay, because
    matches, projects and reports of past years depend on them."""
    _require_coordinator(actor)
    member.status = MembershipStatus.FORMER
    member.left_on = left_on or timezone.localdate()
    if member.joined_on and member.left_on < member.joined_on:
        member.left_on = member.joined_on
    member = _save(member, actor=actor)
    for user in member.users.filter(is_active=True):
        user.is_active = False
        _save(user, actor=actor)
    return member


# --- Sites ------------------------------------------------------------------------------------------


def site_check_siret(site: Site) -> None:
    """A site's SIRET must start with its member's SIREN (the SIREN is the first 9 digits)."""
    siren = site.member.siren
    if site.siret and siren and not site.siret.startswith(siren):
        raise ValidationError(
            {
                "siret": _(
                    "Ce SIRET ne correspond pas au SIREN du membre (%(siren)s) : ses 9 premiers chiffres doivent être le SIREN."
                )
                % {"siren": siren}
            }
        )


def _coordinate(value):
    """Round to the 6 decimals stored (about 10 cm); clicks on a map and floats give more."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(COORDINATE_STEP)
    except InvalidOperation:
        return value  # full_clean reports it as not a number


def _make_only_main_site(site: Site, *, actor: User | None) -> None:
    for other in site.member.sites.filter(is_main=True).exclude(pk=site.pk):
        other.is_main = False
        _save(other, actor=actor)


@transaction.atomic
def site_save(*, actor: User | None, site: Site, **fields) -> Site:
    """Create or update a site. The first site of a member becomes its main site; marking a site as main
    moves the flag from the previous one."""
    if actor is not None:
        _require_editor(actor=actor, member=site.member)
    for name, value in fields.items():
        setattr(site, name, value)
    site.siret = compact_identifier(site.siret)
    site.latitude, site.longitude = _coordinate(site.latitude), _coordinate(site.longitude)
    if site.latitude is None and site.longitude is None:
        found = geocode(address=site.address, postcode=site.postcode, commune=site.commune)
        if found:
            site.latitude, site.longitude = found
    site_check_siret(site)
    if not site.member.sites.exclude(pk=site.pk).exists():
        site.is_main = True
    if site.is_main:
        _make_only_main_site(site, actor=actor)
    elif site.pk and not site.member.sites.filter(is_main=True).exclude(pk=site.pk).exists():
        raise ValidationError(
            {"is_main": _("Un membre doit garder un site principal : désignez-en un autre d'abord.")}
        )
    return _save(site, actor=actor)


@transaction.atomic
def site_delete(*, actor: User, site: Site) -> None:
    _require_editor(actor=actor, member=site.member)
    if site.is_main:
        raise ValidationError(
            _("Le site principal ne peut pas être supprimé : désignez d'abord un autre site principal.")
        )
    site._history_user = actor
    site.delete()


# --- Contacts, fees, yearly figures, colleges ------------------------------------------------------


@transaction.atomic
def contact_save(*, actor: User, contact: Contact, **fields) -> Contact:
    _require_editor(actor=actor, member=contact.member)
    for name, value in fields.items():
        setattr(contact, name, value)
    return _save(contact, actor=actor)


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    _require_editor(actor=actor, member=contact.member)
    contact._history_user = actor
    contact.delete()


@transaction.atomic
def fee_save(*, actor: User, fee: Fee, **fields) -> Fee:
    _require_coordinator(actor)
    for name, value in fields.items():
        setattr(fee, name, value)
    if fee.amount_paid and fee.paid_on is None:
        fee.paid_on = timezone.localdate()
    return _save(fee, actor=actor)


@transaction.atomic
def yearly_figure_save(*, actor: User, figure: YearlyFigure, **fields) -> YearlyFigure:
    _require_editor(actor=actor, member=figure.member)
    for name, value in fields.items():
        setattr(figure, name, value)
    return _save(figure, actor=actor)


@transaction.atomic
def college_save(*, actor: User, college: College, **fields) -> College:
    _require_coordinator(actor)
    for name, value in fields.items():
        setattr(college, name, value)
    return _save(college, actor=actor)


@transaction.atomic
def college_delete(*, actor: User, college: College) -> None:
    _require_coordinator(actor)
    if college.members.exists():
        raise ValidationError(_("Ce collège compte encore des membres : rattachez-les à un autre collège d'abord."))
    college._history_user = actor
    college.delete()


# --- Users and invitations --------------------------------------------------------------------------


@transaction.atomic
def user_grant_role(*, user: User, role: RoleGroup) -> User:
    user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def coordinator_ensure(*, email: str, password: str, first_name: str = "", last_name: str = "") -> tuple[User, bool]:
    """Return the coordinator with this e-mail, creating it if needed (used by seed_demo).

    An existing account keeps its password: re-running the seed never resets what someone changed.
    """
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    user_grant_role(user=user, role=RoleGroup.COORDINATORS)
    return user, created


@transaction.atomic
def invitation_send(*, actor: User, member: Member, email: str, member_role: MemberRole) -> Invitation:
    """Invite someone to create an account attached to `member`; the link works once, for 7 days."""
    if not actor.can_manage_users_of(member):
        raise PermissionDenied(_("Vous ne pouvez pas inviter d'utilisateurs pour ce membre."))
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        member=member,
        email=email,
        member_role=member_role,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("members:invitation_accept", kwargs={"token": token}),
        "inviter": actor,
    }
    send_email.delay_on_commit(
        subject=render_to_string("members/email/invitation_subject.txt", context).strip(),
        body=render_to_string("members/email/invitation_body.txt", context),
        to=[email],
    )
    return invitation


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation this token opens, if it is still usable."""
    invitation = Invitation.objects.select_related("member").filter(token_hash=Invitation.hash_token(token)).first()
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, token: str, password: str, first_name: str, last_name: str) -> User:
    invitation = invitation_find(token=token)
    if invitation is None:
        raise ValidationError(_("Ce lien d'invitation n'est plus valable : il a déjà servi ou il a expiré."))
    # Locked so that two clicks on the same link cannot create two accounts.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Ce lien d'invitation n'est plus valable : il a déjà servi ou il a expiré."))
    user = User(
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        member=invitation.member,
        member_role=invitation.member_role,
    )
    user.set_password(password)
    user._history_user = invitation.invited_by
    user.full_clean()
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def member_user_update(
    *, actor: User, user: User, is_active: bool | None = None, member_role: str | None = None
) -> User:
    """Deactivate, reactivate or change the role of a user of a member organisation."""
    if user.member is None or not actor.can_manage_users_of(user.member):
        raise PermissionDenied(_("Vous ne pouvez pas gérer ce compte."))
    if user == actor and (is_active is False or (member_role and member_role != MemberRole.ADMIN)):
        raise ValidationError(_("Vous ne pouvez pas vous retirer vos propres droits d'administration."))
    if is_active is not None:
        user.is_active = is_active
    if member_role:
        user.member_role = member_role
    return _save(user, actor=actor)
