"""Who may write through the members API. Reading is scoped by the viewsets' querysets.

The rules themselves live on the User model (`can_edit_member`) and are checked again by the services;
checking them here too answers 403 before the request body is validated.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsCoordinator(BasePermission):
    message = _("Seule la coordination du pôle peut faire cette action.")

    def has_permission(self, request, view):
        return request.user.is_coordinator


class CanSeePrivateData(BasePermission):
    """The coordination and the member's own users."""

    message = _("Seuls la coordination et les utilisateurs de ce membre peuvent consulter ces informations.")

    def has_object_permission(self, request, view, obj):
        return request.user.can_see_private_data_of(obj)


class CanEditMemberOrReadOnly(BasePermission):
    """Coordinators edit every member; a member's admins and editors edit their own organisation."""

    message = _("Vous ne pouvez pas modifier ce membre.")

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or request.user.can_edit_member(obj)


class CanEditSiteOrReadOnly(BasePermission):
    """Sites follow their member. Creating one needs the right to edit at least one's own organisation."""

    message = _("Vous ne pouvez pas modifier ce membre.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or request.user.is_coordinator:
            return True
        return request.user.member is not None and request.user.can_edit_member(request.user.member)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or request.user.can_edit_member(obj.member)
