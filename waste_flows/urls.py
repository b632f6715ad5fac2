from django.urls import path  # noqa: F401 - used by the blocks below

app_name = "waste_flows"

urlpatterns = []

# --- declarations, stream lists, autocomplete (waste_flows/views/declarations.py) ---
# --- end declarations ---

# --- inventory (waste_flows/views/inventory.py) ---
# --- end inventory ---

# --- import (waste_flows/views/imports.py) ---
# --- end import ---
