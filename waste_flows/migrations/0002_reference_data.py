"""Load the European List of Waste, the material tree, material uses and units (waste_flows/data)."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from waste_flows.reference_sync import sync_reference_data

    sync_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("waste_flows", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
