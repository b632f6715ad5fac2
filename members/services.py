"""Writes on members and users. Every function is keyword-only, atomic, and validates before saving."""

from django.contrib.auth.models import Group
from django.db import transaction

from .enums import RoleGroup
from .models import User


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
