"""Default CO2e factors per material family and avoided route (waste_flows/data/emission_factors.csv)."""

import csv
from pathlib import Path

from django.db import migrations

FACTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "emission_factors.csv"


def load_factors(apps, schema_editor):
    EmissionFactor = apps.get_model("waste_flows", "EmissionFactor")
    with FACTORS_FILE.open(encoding="utf-8", newline="") as factors:
        for row in csv.DictReader(factors):
            EmissionFactor.objects.get_or_create(
                family=row["family"],
                route=row["route"],
                defaults={"kg_co2e_per_tonne": float(row["kg_co2e_per_tonne"]), "source": row["source"]},
            )


class Migration(migrations.Migration):
    dependencies = [("waste_flows", "0004_matching")]

    operations = [migrations.RunPython(load_factors, migrations.RunPython.noop)]
