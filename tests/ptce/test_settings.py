"""Settings are chosen from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "x7Kq2vLw9RtZ4mNp8sYb3cFh6jDg1aEu5oWi0lVx_QzTrYpMnBc"

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "debug": settings.DEBUG,
    "secret_is_dev": settings.SECRET_KEY.startswith("django-insecure"),
    "stats_cache": settings.STATS_CACHE_TIMEOUT,
    "api_cache": settings.API_CACHE_TIMEOUT,
    "warmup": settings.STATS_WARMUP,
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "random_page_cost": settings.DATABASES["default"].get("OPTIONS", {}).get("options", ""),
}))
"""


def _clean_environment(**overrides) -> dict:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    environment = {name: value for name, value in os.environ.items() if name in keep}
    environment["DJANGO_SETTINGS_MODULE"] = "ptce.settings"
    environment.update(overrides)
    return environment


def _run(args, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=_clean_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_with(**overrides) -> dict:
    result = _run(["-c", PRINT_SETTINGS], **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_environment_gives_the_embedded_default():
    chosen = _settings_with()

    assert chosen["engine"] == "django.db.backends.sqlite3"
    assert chosen["db_name"] == str(PROJECT_DIR / "db.sqlite3")
    assert chosen["broker"] == "memory://"
    assert chosen["eager"] is True
    assert chosen["debug"] is True
    assert chosen["secret_is_dev"] is True


def test_database_and_broker_urls_select_postgresql_and_a_real_redis_broker():
    chosen = _settings_with(
        DATABASE_URL="postgres://ptce:secret@db.internal:5432/ptce", CELERY_BROKER_URL="redis://cache.internal:6379/0"
    )

    assert chosen["engine"] == "django.db.backends.postgresql"
    assert chosen["db_name"] == "ptce"
    assert chosen["broker"] == "redis://cache.internal:6379/0"
    assert chosen["eager"] is False
    assert chosen["random_page_cost"] == "-c random_page_cost=1.1"


def test_cached_figures_and_answers_need_a_cache_every_process_shares():
    # Per-process memory: a write in one worker could not reach another worker's entries.
    alone = _settings_with()
    assert (alone["stats_cache"], alone["api_cache"], alone["warmup"]) == (0, 0, False)

    shared = _settings_with(CACHE_URL="redis://cache.internal:6379/2")
    assert (shared["stats_cache"], shared["api_cache"], shared["warmup"]) == (300, 300, True)
    assert shared["cache_backend"] == "ptce.redis_cache.RedisCache"  # one Redis client per pool, not per call


def test_postgresql_is_reached_through_psycopg_3():
    result = _run(["-c", "import django.db.backends.postgresql.base as b; print(b.psycopg_version())"])

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("(3,")


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], DJANGO_ENV="production", ALLOWED_HOSTS="ptce.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_ENV=production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run(["manage.py", "check"], DJANGO_ENV="production", SECRET_KEY=PRODUCTION_SECRET)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_turns_debug_off_and_passes_the_deployment_checklist_without_warning():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="ptce.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_collects_static_files_with_the_manifest(tmp_path):
    """The manifest storage refuses a file that names a missing one (a vendored library's source map, say)."""
    result = _run(
        ["manage.py", "collectstatic", "--no-input"],
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="ptce.example.org",
        STATIC_ROOT=str(tmp_path / "static"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
