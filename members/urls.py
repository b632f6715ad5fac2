from django.urls import path

from .views import registry

app_name = "members"

urlpatterns = [
    # Registry (coordinator) and own organisation (member users)
    path("members/", registry.member_list, name="member_list"),
    # --- import / export (members/views/imports.py, members/views/exports.py) ---
    # --- end import / export ---
]
