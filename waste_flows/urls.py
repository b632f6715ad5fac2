from django.urls import path  # noqa: F401 - used by the blocks below

app_name = "waste_flows"

urlpatterns = []

# --- declarations, stream lists, autocomplete (waste_flows/views/declarations.py) ---
from .views import declarations  # noqa: E402

urlpatterns += [
    path("streams/", declarations.stream_list, name="stream_list"),
    path("streams/mine/", declarations.my_streams, name="my_streams"),
    path("streams/exchange/", declarations.exchange, name="exchange"),
    path("streams/new/", declarations.stream_create, name="stream_create"),
    path("streams/<int:pk>/", declarations.stream_detail, name="stream_detail"),
    path("streams/<int:pk>/edit/", declarations.stream_edit, name="stream_edit"),
    path("streams/<int:pk>/duplicate/", declarations.stream_duplicate, name="stream_duplicate"),
    path("streams/<int:pk>/archive/", declarations.stream_archive, name="stream_archive"),
    path("streams/export.csv", declarations.stream_export, {"file_format": "csv"}, name="stream_export"),
    path("streams/export.xlsx", declarations.stream_export, {"file_format": "xlsx"}, name="stream_export"),
    path("streams/search/materials/", declarations.material_search, name="material_search"),
    path("streams/search/ewc/", declarations.ewc_search, name="ewc_search"),
    path("streams/suggest/ewc/", declarations.suggest_ewc_codes, name="suggest_ewc_codes"),
    path("streams/suggest/material/", declarations.suggest_material, name="suggest_material"),
    path("streams/suggest/units/", declarations.unit_options, name="unit_options"),
    path("streams/suggest/sites/", declarations.site_options, name="site_options"),
]
# --- end declarations ---

# --- inventory (waste_flows/views/inventory.py) ---
from .views import inventory as inventory_views  # noqa: E402

urlpatterns += [
    path("inventory/", inventory_views.inventory, name="inventory"),
]
# --- end inventory ---

# --- import (waste_flows/views/imports.py) ---
from .views import imports as import_views  # noqa: E402

urlpatterns += [
    path("streams/import/", import_views.upload, name="import"),
    path("streams/import/preview/", import_views.preview, name="import_preview"),
    path("streams/import/template.xlsx", import_views.template, {"file_format": "xlsx"}, name="import_template"),
    path("streams/import/template.csv", import_views.template, {"file_format": "csv"}, name="import_template"),
]
# --- end import ---

# --- matches (waste_flows/views/matches.py) ---
from .views import matches as match_views  # noqa: E402

urlpatterns += [
    path("matches/", match_views.match_board, name="match_board"),
    path("matches/mine/", match_views.my_opportunities, name="my_opportunities"),
    path("matches/mine/badge.json", match_views.my_opportunities_badge, name="my_opportunities_badge"),
    path("matches/<int:pk>/", match_views.match_detail, name="match_detail"),
    path("matches/<int:pk>/transition/", match_views.match_transition, name="match_transition"),
    path("matches/<int:pk>/answer/", match_views.match_answer, name="match_answer"),
    path("matches/<int:pk>/notes/", match_views.match_note, name="match_note"),
    path("matches/runs/", match_views.run_list, name="match_run_list"),
    path("matches/runs/start/", match_views.run_start, name="match_run_start"),
    path("matches/runs/<int:pk>/", match_views.run_detail, name="match_run_detail"),
    path("matches/runs/<int:pk>/progress/", match_views.run_progress, name="match_run_progress"),
    path("matches/channels/", match_views.channel_list, name="channel_list"),
    path("matches/channels/new/", match_views.channel_create, name="channel_create"),
    path("matches/channels/<int:pk>/edit/", match_views.channel_edit, name="channel_edit"),
]
# --- end matches ---

# --- CO2e factors (waste_flows/views/factors.py) ---
from .views import factors as factor_views  # noqa: E402

urlpatterns += [
    path("matches/co2e-factors/", factor_views.emission_factor_list, name="emission_factor_list"),
    path("matches/co2e-factors/new/", factor_views.emission_factor_create, name="emission_factor_create"),
    path("matches/co2e-factors/<int:pk>/", factor_views.emission_factor_edit, name="emission_factor_edit"),
    path("matches/co2e-factors/<int:pk>/delete/", factor_views.emission_factor_delete, name="emission_factor_delete"),
]
# --- end CO2e factors ---
