"""Who may write through the members API. Reading is scoped by the viewsets' querysets.

The rules themselves live on the User model (`can_edit_member`) and are checked again by the services;
checking them here too answers 403 before the request body is validated.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
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


# --- API keys ------------------------------------------------------------------------------------------

# Lets any valid key read a view whatever its scopes: reference data (waste codes, materials, units).
ANY_SCOPE = "*"


class InsufficientScope(PermissionDenied):
    default_code = "insufficient_scope"


class KeyScopes:
    """Which views a request made with an API key may reach.

    Every view declares the scope a key needs, as a class attribute:

        required_scopes = {"read": ApiScope.STREAMS_READ, "write": ApiScope.STREAMS_WRITE}

    "read" covers GET, HEAD and OPTIONS, "write" every other method (POST, PUT, PATCH, DELETE and the
    POST actions). A missing or None entry refuses keys for those methods, and a view with no declaration
    refuses keys altogether: a new endpoint is closed to keys until it says otherwise. `ANY_SCOPE` lets
    every valid key read (reference data). Session requests are not concerned.

    A scope only narrows what the key's user may do: the view's own permissions and its querysets scoped
    to the user still apply behind it.

    ApiKeyAuthentication checks this as soon as it recognises a key, rather than through
    DEFAULT_PERMISSION_CLASSES: a view that sets its own `permission_classes` (most do) replaces the
    defaults, and would then have been open to every key.
    """

    @staticmethod
    def required_scope(view, method: str) -> str | None:
        declared = getattr(view, "required_scopes", None) or {}
        return declared.get("read" if method in SAFE_METHODS else "write")

    @classmethod
    def check(cls, key, view, method: str) -> None:
        scope = cls.required_scope(view, method)
        if scope == ANY_SCOPE or (scope is not None and key.has_scope(scope)):
            return
        if scope is None:
            raise InsufficientScope(_("Ce point d'accès n'est pas ouvert aux clés d'API pour cette méthode."))
        raise InsufficientScope(
            _("Cette clé d'API n'a pas le droit « %(scope)s » que demande ce point d'accès.") % {"scope": scope}
        )
