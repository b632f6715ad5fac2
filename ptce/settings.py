"""Settings of the PTCE platform, read from the environment (django-environ).

With no environment at all the platform runs embedded: SQLite file next to manage.py, Celery tasks
executed in-process, DEBUG on and a development secret key. Production is opted into with
DJANGO_ENV=production, which refuses to start without its secrets. Every variable is listed and
explained in .env.example.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is a convenience for local runs; the real environment always wins over it.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
IS_PRODUCTION = DJANGO_ENV == "production"

if IS_PRODUCTION:
    # No default for production secrets: a missing variable must stop the process, not weaken it.
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production.")
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = env.bool("DEBUG", default=False)
else:
    # An empty SECRET_KEY= line copied from .env.example also falls back to the development key.
    SECRET_KEY = env.str("SECRET_KEY", default="") or "django-insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
    DEBUG = env.bool("DEBUG", default=True)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the site, used in e-mails (invitations, password reset from a worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "members",
    "waste_flows",
    "projects",
    "ptce",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "members.api.formats.ApiConditionalGetMiddleware",  # ETag and Vary of API answers; above sessions
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ptce.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ptce.urls"
WSGI_APPLICATION = "ptce.wsgi.application"
ASGI_APPLICATION = "ptce.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ptce.context_processors.navigation",
                "ptce.context_processors.map_settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep connections between requests; health-check them so a restarted server is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's default cost of a random page (4, for spinning disks) makes it scan 100,000 streams rather
    # than probe an index a thousand times when the dashboards join matches to their streams; the data of a
    # pole is cached in memory or on SSD, where PostgreSQL's documentation suggests about 1.1.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=" + env.str(
        "DATABASE_RANDOM_PAGE_COST", default="1.1"
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24 * 3)

# --- Internationalisation: French is the source language, English the other one -------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Largest document a project accepts (funding applications, studies, photos), in bytes.
PROJECT_DOCUMENT_MAX_BYTES = env.int("PROJECT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs collectstatic; development and tests serve the source files directly.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Maps ---------------------------------------------------------------------------------------------
# Leaflet is served by the platform; tiles come from this server if set (e.g. OpenStreetMap's), else the
# maps show their markers on a plain background, which is what tests and offline machines get.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors")

# Geocoding of site addresses with the national address API; off unless asked for.
GEOCODING_ENABLED = env.bool("GEOCODING_ENABLED", default=False)
GEOCODING_URL = env.str("GEOCODING_URL", default="https://api-adresse.data.gouv.fr/search/")

# --- E-mail ---------------------------------------------------------------------------------------
# consolemail:// prints messages on the console; smtp+tls://user:password@host:587 sends them.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PTCE <no-reply@ptce.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
# Without a real broker, tasks run in-process so that the embedded default needs nothing else.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# A task is acknowledged once done, so a worker killed mid-task hands it back to the broker.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Uploaded import files that were previewed but never confirmed.
    "purge-stale-imports": {"task": "members.purge_stale_imports", "schedule": crontab(minute=17, hour=3)},
    # The full matching run; incremental runs follow each declaration change.
    "full-matching": {"task": "waste_flows.run_full_matching", "schedule": crontab(minute=30, hour=2)},
}

# --- REST API -------------------------------------------------------------------------------------
# Requests allowed per API key, and per user across its session and all its keys ("1000/hour"; empty: no
# limit). The counts live in the cache below, which the web processes must share (Redis) in production.
API_THROTTLE_KEY_RATE = env.str("API_THROTTLE_KEY_RATE", default="1000/hour") or None
API_THROTTLE_USER_RATE = env.str("API_THROTTLE_USER_RATE", default="2000/hour") or None
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "ptce.redis_cache.RedisCache"  # reuses its Redis clients (see there)
# Computed statistics and whole API answers are cached under a data version that every write replaces
# (members.stats_version). The version must be seen by every process: with the per-process memory cache, a
# write served by one gunicorn worker would leave the other worker's entries stale until they expire. So
# these caches are on by default only with a shared cache (CACHE_URL, Redis); the embedded default computes
# every figure (a single `runserver` process may turn them on: nothing else would go stale).
CACHE_IS_SHARED = "LocMemCache" not in CACHES["default"]["BACKEND"]
# Seconds an entry is kept: a safety net for writes that bypass the version. 0 turns the cache off.
STATS_CACHE_TIMEOUT = env.int("STATS_CACHE_TIMEOUT", default=300 if CACHE_IS_SHARED else 0)
API_CACHE_TIMEOUT = env.int("API_CACHE_TIMEOUT", default=300 if CACHE_IS_SHARED else 0)
# After each committed write, a Celery worker computes the coordinator dashboard for the new data
# (ptce.stats.warmup): useful only when the worker and the web processes share the cache.
STATS_WARMUP = env.bool("STATS_WARMUP", default=CACHE_IS_SHARED)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["members.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": API_THROTTLE_KEY_RATE, "api_user": API_THROTTLE_USER_RATE},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ptce.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ptce.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PTCE platform API",
    "DESCRIPTION": (
        "Member registry, waste and resource flows, matches and cooperation projects of a Pôle territorial "
        "de coopération économique. Read-only for partners."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Every operation's error answers (401, 403, 404, 429…), and public/full shapes as anyOf: ptce/api/schema_hooks.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ptce.api.schema_hooks.document_errors",
        "ptce.api.schema_hooks.nested_shapes_as_any_of",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a `kind` or a `status`: one named enum per choice set, instead of hashed names.
    "ENUM_NAME_OVERRIDES": {
        "DimensionEnum": "waste_flows.enums.Dimension",
        "StatsDimensionEnum": [("mass", "mass"), ("energy", "energy")],
        "MemberKindEnum": "members.enums.MemberKind",
        "MembershipStatusEnum": "members.enums.MembershipStatus",
        "MaterialKindEnum": "waste_flows.enums.MaterialKind",
        "StreamKindEnum": "waste_flows.enums.StreamKind",
        "StreamStatusEnum": "waste_flows.enums.StreamStatus",
        "ProjectKindEnum": "projects.enums.ProjectKind",
        "ProjectStatusEnum": "projects.enums.ProjectStatus",
        "IndicatorKindEnum": "projects.enums.IndicatorKind",
        "DocumentKindEnum": "projects.enums.DocumentKind",
    },
}

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default-safe.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers and the compose healthcheck probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
