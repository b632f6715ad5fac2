from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteFlowsConfig(AppConfig):
    name = "waste_flows"
    verbose_name = _("Flux de matières")
