from django.apps import AppConfig


class PtceConfig(AppConfig):
    """The composition root: holds cross-app pages, templates tags and management commands."""

    name = "ptce"
    verbose_name = "PTCE"

    def ready(self):
        # Cached statistics are invalidated by model signals (ptce/stats/cache.py): connected here so that
        # workers and management commands, which never load the URLconf, bump the version too.
        # The warm-up after writes listens to the version's commits (ptce/stats/warmup.py).
        from .stats import cache, warmup  # noqa: F401
