from django.db import models
from django.db.models import Q

from members.enums import MembershipStatus

from .enums import Confidentiality, Direction, StreamStatus

DIRECTORY_STATUSES = [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED]


class MaterialQuerySet(models.QuerySet):
    def families(self):
        return self.filter(parent__isnull=True)

    def descendants_of(self, code: str, *, include_self: bool = True):
        below = Q(code__startswith=f"{code}.")
        return self.filter(below | Q(code=code)) if include_self else self.filter(below)


class StreamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=StreamStatus.ACTIVE)

    def offers(self):
        return self.filter(direction=Direction.OFFER)

    def needs(self):
        return self.filter(direction=Direction.NEED)

    def of_member(self, member_id: int):
        return self.filter(site__member_id=member_id)

    def visible_to(self, user):
        """What each role may read.

        - coordinators: everything;
        - member users: every stream of their own organisation, and the active streams of current members
          that are public or open to members;
        - partners and anyone else: active public streams of current members only.
        """
        if user.is_coordinator:
            return self
        shared_levels = [Confidentiality.PUBLIC]
        if user.member_id:
            shared_levels.append(Confidentiality.MEMBERS)
        shared = Q(
            status=StreamStatus.ACTIVE,
            confidentiality__in=shared_levels,
            site__member__status__in=DIRECTORY_STATUSES,
        )
        own = Q(site__member_id=user.member_id) if user.member_id else Q(pk__in=[])
        return self.filter(shared | own)

    def editable_by(self, user):
        if user.is_coordinator:
            return self
        if user.member_id and user.member_role in ("admin", "editor"):
            return self.filter(site__member_id=user.member_id)
        return self.none()
