from django.urls import path

from .views import accounts, api_keys, directory, registry
from .views import exports as export_views
from .views import imports as import_views

app_name = "members"

urlpatterns = [
    path("members/", registry.member_list, name="member_list"),
    path("members/new/", registry.member_create, name="member_create"),
    path("members/<int:pk>/", registry.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", registry.member_edit, name="member_edit"),
    path("members/<int:pk>/archive/", registry.member_archive, name="member_archive"),
    path("members/<int:pk>/history/", registry.member_history_view, name="member_history"),
    path("members/<int:member_pk>/sites/new/", registry.site_create, name="site_create"),
    path("members/<int:member_pk>/sites/<int:pk>/", registry.site_edit, name="site_edit"),
    path("members/<int:member_pk>/sites/<int:pk>/delete/", registry.site_delete, name="site_delete"),
    path("members/<int:member_pk>/contacts/new/", registry.contact_create, name="contact_create"),
    path("members/<int:member_pk>/contacts/<int:pk>/", registry.contact_edit, name="contact_edit"),
    path("members/<int:member_pk>/contacts/<int:pk>/delete/", registry.contact_delete, name="contact_delete"),
    path("members/<int:member_pk>/figures/new/", registry.figure_create, name="figure_create"),
    path("members/<int:member_pk>/figures/<int:pk>/", registry.figure_edit, name="figure_edit"),
    path("members/<int:member_pk>/fees/new/", registry.fee_create, name="fee_create"),
    path("members/<int:member_pk>/fees/<int:pk>/", registry.fee_edit, name="fee_edit"),
    path("members/<int:member_pk>/users/invite/", accounts.invitation_create, name="invitation_create"),
    path("members/<int:member_pk>/users/<int:pk>/", accounts.member_user_update, name="member_user_update"),
    path("invitation/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("my-organisation/", registry.my_organisation, name="my_organisation"),
    path("directory/", directory.directory, name="directory"),
    path("colleges/", directory.college_list, name="college_list"),
    path("colleges/new/", directory.college_edit, name="college_create"),
    path("colleges/<int:pk>/", directory.college_edit, name="college_edit"),
    # --- import / export (members/views/imports.py, members/views/exports.py) ---
    path("members/import/", import_views.upload, name="import"),
    path("members/import/preview/", import_views.preview, name="import_preview"),
    path("members/import/template.xlsx", import_views.template, {"file_format": "xlsx"}, name="import_template"),
    path("members/import/template.csv", import_views.template, {"file_format": "csv"}, name="import_template"),
    path("members/export.csv", export_views.member_export, {"file_format": "csv"}, name="export"),
    path("members/export.xlsx", export_views.member_export, {"file_format": "xlsx"}, name="export"),
    # --- end import / export ---
    # --- API keys (members/views/api_keys.py) ---
    path("api-keys/", api_keys.api_key_list, name="api_key_list"),
    path("api-keys/new/", api_keys.api_key_create, name="api_key_create"),
    path("api-keys/<int:pk>/revoke/", api_keys.api_key_revoke, name="api_key_revoke"),
    # --- end API keys ---
]
