"""Authentication by API key: `Authorization: Bearer <key>`.

The request then runs as the key's user (`request.user`) with the key itself in `request.auth`, and
only within the key's scopes (see KeyScopes). A rejected key answers 401 with a stable code and a
`WWW-Authenticate` challenge; a request without any key falls through to the session authentication.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ..api_key_services import api_key_record_use
from ..api_keys import ApiKey, hash_key
from . import speculation
from .key_cache import keep_key, load_key
from .permissions import KeyScopes

KEYWORD = "Bearer"


class InvalidKey(exceptions.AuthenticationFailed):
    default_code = "invalid_key"
    default_detail = _("Clé d'API inconnue ou mal formée.")


class ExpiredKey(exceptions.AuthenticationFailed):
    default_code = "expired_key"
    default_detail = _("Cette clé d'API a expiré.")


class RevokedKey(exceptions.AuthenticationFailed):
    default_code = "revoked_key"
    default_detail = _("Cette clé d'API a été révoquée.")


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            raise InvalidKey()
        try:
            plaintext = words[1].decode()
        except UnicodeDecodeError:
            raise InvalidKey() from None
        key, version = self._usable_key(request, plaintext)
        # The answers' cache reads the data version under which the key was loaded (one read fewer).
        request.api_data_version = version
        if api_key_record_use(key=key) and version:
            keep_key(key, version=version)  # else the kept key would look unused, and be stamped at each request
        # Checked here rather than by a permission class, so that it holds for every view (see KeyScopes).
        KeyScopes.check(key, request.parser_context.get("view"), request.method)
        return key.user, key

    def authenticate_header(self, request):
        # Only clients that sent a key are challenged (401); a browser without a session keeps the 403.
        words = get_authorization_header(request).split()
        if words and words[0].lower() == KEYWORD.lower().encode():
            return f'{KEYWORD} realm="api"'
        return None

    @staticmethod
    def _usable_key(request, plaintext: str) -> tuple[ApiKey, str]:
        secret_hash = hash_key(plaintext)
        windows, reads = speculation.reads_ahead(request, secret_hash)
        loaded = load_key(secret_hash, windows=windows, reads=reads)
        # Under the keys they were read under: the rate limits and the answers' cache take what they would read.
        request.counted_windows = dict(zip((window for window, _ in windows), loaded.counted, strict=True))
        request.cache_reads = dict(zip(reads, loaded.read, strict=True))
        refusal = _refusal(loaded.key)
        if refusal is not None:
            speculation.forget(secret_hash)
            raise refusal
        if loaded.version:
            speculation.remember(secret_hash, loaded.key, loaded.version)
        return loaded.key, loaded.version


def _refusal(key: ApiKey | None) -> exceptions.AuthenticationFailed | None:
    # A member key stops working when its user leaves the organisation that owns it.
    moved = key is not None and key.member_id is not None and key.user.member_id != key.member_id
    if key is None or moved or not key.user.is_active:
        return InvalidKey()
    if key.is_revoked:
        return RevokedKey()
    if key.is_expired:
        return ExpiredKey()
    return None


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the key in the OpenAPI schema, so that the docs offer to send one."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_requirement(self, auto_schema):
        # Operations closed to keys do not list the scheme. (OpenAPI 3.0 allows scope names for OAuth only,
        # so the scope a key needs is not written in the requirement.)
        if KeyScopes.required_scope(auto_schema.view, auto_schema.method) is None:
            return None
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API key issued in the browser (Clés d'API page), sent as `Authorization: Bearer <key>`. "
                "The request acts as the key's user, within the key's scopes."
            ),
        }
