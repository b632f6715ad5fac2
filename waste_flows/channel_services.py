"""Writes of the channels (valorisation outlets with a threshold): the coordinator's only."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Site, User

from .matches import Channel

CHANNEL_FIELDS = (
    "name",
    "description",
    "min_annual_quantity",
    "max_annual_quantity",
    "site",
    "radius_km",
    "is_active",
)


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle définit les débouchés."))


@transaction.atomic
def channel_create(*, actor: User, name: str, materials, min_annual_quantity: Decimal, description: str = "",
                   max_annual_quantity: Decimal | None = None, site: Site | None = None, radius_km: int = 30,
                   is_active: bool = True) -> Channel:  # fmt: skip
    _require_coordinator(actor)
    channel = Channel(
        name=name,
        description=description,
        min_annual_quantity=min_annual_quantity,
        max_annual_quantity=max_annual_quantity,
        site=site,
        radius_km=radius_km,
        is_active=is_active,
    )
    channel.full_clean()
    channel._history_user = actor
    channel.save()
    channel.materials.set(materials)
    return channel


@transaction.atomic
def channel_update(*, actor: User, channel: Channel, materials=None, **fields) -> Channel:
    _require_coordinator(actor)
    for name, value in fields.items():
        if name not in CHANNEL_FIELDS:
            raise TypeError(f"unknown channel field {name}")
        setattr(channel, name, value)
    channel.full_clean()
    channel._history_user = actor
    channel.save()
    if materials is not None:
        channel.materials.set(materials)
    return channel


@transaction.atomic
def channel_delete(*, actor: User, channel: Channel) -> None:
    """Channels that matches point to are deactivated rather than deleted (their history stays)."""
    _require_coordinator(actor)
    if channel.matches.exists():
        channel.is_active = False
        channel._history_user = actor
        channel.save(update_fields=["is_active"])
    else:
        channel.delete()
