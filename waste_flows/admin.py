"""Administration of reference data, streams and the matching (superuser and staff).

History-aware admins (django-simple-history) so that every correction made here is recorded too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .matches import Channel, EmissionFactor, Match, MatchRun
from .models import EwcCode, Material, MaterialUse, Stream, Unit


@admin.register(EmissionFactor)
class EmissionFactorAdmin(SimpleHistoryAdmin):
    list_display = ["family", "route", "kg_co2e_per_tonne", "source"]
    list_editable = ["kg_co2e_per_tonne"]
    list_filter = ["route"]
    search_fields = ["family", "source"]


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_annual_quantity", "max_annual_quantity", "radius_km", "is_active"]
    filter_horizontal = ["materials"]
    raw_id_fields = ["site"]


@admin.register(Match)
class MatchAdmin(SimpleHistoryAdmin):
    list_display = ["key", "kind", "status", "score", "tonnes_per_year", "co2e_avoided_t", "euros_saved"]
    list_filter = ["kind", "status", "near_miss"]
    search_fields = ["key"]
    raw_id_fields = ["offer", "need", "channel", "hub_site", "material", "first_run", "last_run"]
    readonly_fields = ["key", "explanation", "streams"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "scope", "trigger", "status", "progress", "matches_created", "created_at"]
    list_filter = ["scope", "status", "trigger"]


@admin.register(Stream)
class StreamAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "direction", "material", "site", "annual_quantity", "status", "confidentiality"]
    list_filter = ["direction", "status", "confidentiality"]
    raw_id_fields = ["site", "material", "ewc_code", "declared_by"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "kind", "dimension"]
    search_fields = ["code", "name_fr", "name_en", "synonyms_fr"]


admin.site.register([EwcCode, MaterialUse, Unit])
