from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .api_keys import ApiKey
from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    """Keys are issued and revoked in the browser pages, which show the plaintext once; here they are
    only looked at (the hash is never shown)."""

    list_display = ["name", "key_start", "user", "member", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "member"]
    search_fields = ["name", "prefix", "user__email", "member__name"]
    fields = ["name", "key_start", "user", "member", "scopes", "expires_at", "revoked_at", "last_used_at",
              "created_by", "created_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("début de la clé"))
    def key_start(self, key):
        return key.display_prefix

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
