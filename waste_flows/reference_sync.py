"""Write the reference CSV files (waste_flows/data) into the database; called by data migrations.

Upserts by code, so a later migration can call it again after the files change: new rows are added,
changed labels updated, and nothing that streams refer to is deleted.
"""

from . import reference
from .text import fold


def sync_reference_data(apps) -> None:
    _sync_units(apps)
    materials = _sync_materials(apps)
    _sync_ewc_codes(apps, materials)
    _sync_material_uses(apps, materials)


def _sync_units(apps) -> None:
    Unit = apps.get_model("waste_flows", "Unit")
    for row in reference.load_units():
        Unit.objects.update_or_create(
            code=row.code,
            defaults={
                "name_fr": row.name_fr,
                "name_en": row.name_en,
                "symbol": row.symbol,
                "dimension": row.dimension,
                "factor_to_base": row.factor_to_base,
                "note": row.note,
            },
        )


def _sync_materials(apps) -> dict:
    Material = apps.get_model("waste_flows", "Material")
    by_code = {}
    # Parents before children: a code's depth is its number of dots.
    for row in sorted(reference.load_materials(), key=lambda row: (row.code.count("."), row.code)):
        by_code[row.code], _ = Material.objects.update_or_create(
            code=row.code,
            defaults={
                "parent": by_code.get(row.parent) if row.parent else None,
                "name_fr": row.name_fr,
                "name_en": row.name_en,
                "synonyms_fr": "|".join(row.synonyms_fr),
                "synonyms_en": "|".join(row.synonyms_en),
                "kind": row.kind,
                "dimension": row.dimension,
                "density_kg_per_m3": row.density_kg_per_m3,
                "can_be_hazardous": row.can_be_hazardous,
                "search_text": fold(
                    " ".join([row.code, row.name_fr, row.name_en, *row.synonyms_fr, *row.synonyms_en])
                ),
            },
        )
    return by_code


def _sync_ewc_codes(apps, materials: dict) -> None:
    EwcCode = apps.get_model("waste_flows", "EwcCode")
    material_of = {row.ewc_code: row.material_code for row in reference.load_ewc_materials()}
    existing = set(EwcCode.objects.values_list("code", flat=True))
    rows = sorted(reference.load_ewc_codes(), key=lambda row: row.digits)
    fields = ["level", "parent_id", "hazardous", "description_fr", "description_en", "entry_type_en", "material_id"]
    new, changed = [], []
    for row in rows:
        material = materials.get(material_of.get(row.code))
        values = {
            "level": row.level,
            "parent_id": row.parent,
            "hazardous": row.hazardous,
            "description_fr": row.description_fr,
            "description_en": row.description_en,
            "entry_type_en": row.entry_type_en or "",
            "material_id": material.pk if material else None,
        }
        (changed if row.code in existing else new).append(EwcCode(code=row.code, **values))
    # Chapters, then sub-chapters, then entries, so that every parent exists when its children arrive.
    for digits in (2, 4, 6):
        EwcCode.objects.bulk_create([code for code in new if len(code.code.replace(" ", "")) == digits])
    EwcCode.objects.bulk_update(changed, fields, batch_size=500)


def _sync_material_uses(apps, materials: dict) -> None:
    MaterialUse = apps.get_model("waste_flows", "MaterialUse")
    for row in reference.load_material_uses():
        MaterialUse.objects.update_or_create(
            material=materials[row.material_code],
            use_material=materials[row.use_material_code],
            defaults={"note_fr": row.note_fr, "note_en": row.note_en, "source": row.source},
        )
