from django.apps import AppConfig


class PtceConfig(AppConfig):
    """The composition root: holds cross-app pages, templates tags and management commands."""

    name = "ptce"
    verbose_name = "PTCE"
