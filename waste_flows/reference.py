"""Reference data of the waste_flows app: CSV files in ``waste_flows/data`` and their loaders.

The CSV files are the source of truth. They are reviewed as text in git, and they are read by plain Python,
with no Django import, so that the data migration that fills the database, the pure matching package and the
tests all share one reading of them. ``validate_reference_data()`` lists every inconsistency in plain words:
a bad edit then fails a fast test instead of a data migration.

- ``ewc_codes.csv``: the European List of Waste (Decision 2000/532/EC as amended by 2014/955/EU), with
  20 chapters, 111 sub-chapters and 842 entries. It is a byte-for-byte copy of the shared reference file.
- ``materials.csv``: a tree of resource categories (materials, energy, water, gases, services). A code's
  dotted prefix is its parent: ``wood.pallets`` sits under ``wood``. Roots are the families.
- ``ewc_materials.csv``: maps each of the 842 EWC entries to exactly one material.
- ``material_uses.csv``: "this offered material can feed a need for that material", with a legal or
  technical source. Matching uses these edges on top of "same material or a descendant".
- ``units.csv``: units with their dimension and their factor to the dimension's base unit.

Quantities of steam are energy: ``t_steam`` is worth 750 kWh by convention (see its note in
``units.csv``). A flow in t/h is a quantity per period, so no unit of power is needed. ``power`` stays a
known dimension, but validation rejects a material whose dimension has no unit.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

EWC_LEVELS = ("chapter", "subchapter", "entry")
KINDS = ("material", "energy", "water", "gas", "service")
DIMENSIONS = ("mass", "volume", "energy", "power", "count", "area", "time")
BASE_UNITS = {"mass": "kg", "volume": "m3", "energy": "kWh", "area": "m2", "time": "h", "count": "piece"}

_MATERIAL_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@dataclass(frozen=True)
class EwcRow:
    code: str
    hazardous: bool | None
    level: str
    digits: int
    parent: str | None
    code_display: str
    description_fr: str
    description_en: str
    entry_type_en: str

    @property
    def is_entry(self) -> bool:
        return self.level == "entry"


@dataclass(frozen=True)
class MaterialRow:
    code: str
    parent: str | None
    name_fr: str
    name_en: str
    synonyms_fr: tuple[str, ...]
    synonyms_en: tuple[str, ...]
    kind: str
    dimension: str
    density_kg_per_m3: Decimal | None
    can_be_hazardous: bool

    @property
    def root_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class EwcMaterialRow:
    ewc_code: str
    material_code: str


@dataclass(frozen=True)
class MaterialUseRow:
    material_code: str
    use_material_code: str
    note_fr: str
    note_en: str
    source: str


@dataclass(frozen=True)
class UnitRow:
    code: str
    name_fr: str
    name_en: str
    symbol: str
    dimension: str
    factor_to_base: Decimal
    note: str

    @property
    def is_base(self) -> bool:
        return BASE_UNITS.get(self.dimension) == self.code


# Reading


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path.name}: expected columns {', '.join(columns)}, got {reader.fieldnames}")
        return list(reader)


def _parse_bool(value: str, *, where: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError(f"{where}: expected true or false, got {value!r}")
    return value == "true"


def _parse_decimal(value: str, *, where: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{where}: expected a number, got {value!r}") from None


def _split_synonyms(value: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in value.split("|") if word.strip())


def load_ewc_codes(path: Path | None = None) -> list[EwcRow]:
    path = path or DATA_DIR / "ewc_codes.csv"
    columns = ("code", "hazardous", "level", "digits", "parent", "code_display")
    columns += ("description_fr", "description_en", "entry_type_en")
    return [
        EwcRow(
            code=row["code"],
            hazardous=_parse_bool(row["hazardous"], where=f"EWC {row['code']}") if row["hazardous"] else None,
            level=row["level"],
            digits=int(row["digits"]),
            parent=row["parent"] or None,
            code_display=row["code_display"],
            description_fr=row["description_fr"],
            description_en=row["description_en"],
            entry_type_en=row["entry_type_en"],
        )
        for row in _read_rows(path, columns)
    ]


def load_materials(path: Path | None = None) -> list[MaterialRow]:
    path = path or DATA_DIR / "materials.csv"
    columns = ("code", "parent", "name_fr", "name_en", "synonyms_fr", "synonyms_en", "kind", "dimension")
    columns += ("density_kg_per_m3", "can_be_hazardous")
    return [
        MaterialRow(
            code=row["code"],
            parent=row["parent"] or None,
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            synonyms_fr=_split_synonyms(row["synonyms_fr"]),
            synonyms_en=_split_synonyms(row["synonyms_en"]),
            kind=row["kind"],
            dimension=row["dimension"],
            density_kg_per_m3=(
                _parse_decimal(row["density_kg_per_m3"], where=f"material {row['code']}")
                if row["density_kg_per_m3"]
                else None
            ),
            can_be_hazardous=_parse_bool(row["can_be_hazardous"], where=f"material {row['code']}"),
        )
        for row in _read_rows(path, columns)
    ]


def load_ewc_materials(path: Path | None = None) -> list[EwcMaterialRow]:
    path = path or DATA_DIR / "ewc_materials.csv"
    rows = _read_rows(path, ("ewc_code", "material_code"))
    return [EwcMaterialRow(ewc_code=row["ewc_code"], material_code=row["material_code"]) for row in rows]


def load_material_uses(path: Path | None = None) -> list[MaterialUseRow]:
    path = path or DATA_DIR / "material_uses.csv"
    rows = _read_rows(path, ("material_code", "use_material_code", "note_fr", "note_en", "source"))
    return [MaterialUseRow(**row) for row in rows]


def load_units(path: Path | None = None) -> list[UnitRow]:
    path = path or DATA_DIR / "units.csv"
    rows = _read_rows(path, ("code", "name_fr", "name_en", "symbol", "dimension", "factor_to_base", "note"))
    return [
        UnitRow(**{**row, "factor_to_base": _parse_decimal(row["factor_to_base"], where=f"unit {row['code']}")})
        for row in rows
    ]


def convert(quantity: Decimal, *, from_unit: str, to_unit: str, units: Mapping[str, UnitRow] | None = None) -> Decimal:
    """Convert a quantity between two units of the same dimension (t to kg, GJ to kWh, L to m3...)."""
    units = units if units is not None else {unit.code: unit for unit in load_units()}
    source, target = units[from_unit], units[to_unit]
    if source.dimension != target.dimension:
        raise ValueError(f"cannot convert {source.dimension} ({from_unit}) to {target.dimension} ({to_unit})")
    return quantity * source.factor_to_base / target.factor_to_base


# Validation


def validate_reference_data(data_dir: Path | None = None) -> list[str]:
    """Return human-readable problems in the reference data; an empty list means it is consistent."""
    data_dir = data_dir or DATA_DIR
    ewc = load_ewc_codes(data_dir / "ewc_codes.csv")
    materials = load_materials(data_dir / "materials.csv")
    mapping = load_ewc_materials(data_dir / "ewc_materials.csv")
    uses = load_material_uses(data_dir / "material_uses.csv")
    units = load_units(data_dir / "units.csv")
    return [
        *_check_ewc_codes(ewc),
        *_check_materials(materials),
        *_check_ewc_materials(mapping, ewc, materials),
        *_check_material_uses(uses, materials),
        *_check_units(units, materials),
    ]


def _duplicates(codes: Iterable[str], what: str) -> list[str]:
    return [f"duplicate {what} {code}" for code, count in Counter(codes).items() if count > 1]


def _check_ewc_codes(ewc: list[EwcRow]) -> list[str]:
    problems = _duplicates((row.code for row in ewc), "EWC code")
    by_code = {row.code: row for row in ewc}
    for row in ewc:
        if row.level not in EWC_LEVELS:
            problems.append(f"EWC {row.code}: unknown level {row.level}")
            continue
        depth = EWC_LEVELS.index(row.level)
        if row.digits != 2 * (depth + 1) or len(row.code.replace(" ", "")) != row.digits:
            problems.append(f"EWC {row.code}: {row.digits} digits do not fit level {row.level}")
        expected_parent = row.code[: 3 * depth - 1] if depth else None
        if row.parent != expected_parent or (row.parent and row.parent not in by_code):
            problems.append(f"EWC {row.code}: parent {row.parent} is unknown or not its prefix")
        if (row.hazardous is not None) != row.is_entry:
            problems.append(f"EWC {row.code}: only entries carry a hazardous flag")
        if row.code_display != row.code + ("*" if row.hazardous else ""):
            problems.append(f"EWC {row.code}: display {row.code_display} does not match its hazardous flag")
    return problems


def _check_materials(materials: list[MaterialRow]) -> list[str]:
    problems = _duplicates((row.code for row in materials), "material code")
    by_code = {row.code: row for row in materials}
    for row in materials:
        if not _MATERIAL_CODE.match(row.code):
            problems.append(f"material {row.code}: code is not a dotted lowercase slug")
        if row.parent is not None and row.parent not in by_code:
            problems.append(f"material {row.code}: unknown parent {row.parent}")
        elif row.parent != (row.code.rpartition(".")[0] or None):
            problems.append(f"material {row.code}: parent {row.parent} is not its dotted prefix")
        if row.kind not in KINDS:
            problems.append(f"material {row.code}: unknown kind {row.kind}")
        if row.dimension not in DIMENSIONS:
            problems.append(f"material {row.code}: unknown dimension {row.dimension}")
        if row.density_kg_per_m3 is not None and row.density_kg_per_m3 <= 0:
            problems.append(f"material {row.code}: density must be positive")
        if not (row.name_fr and row.name_en):
            problems.append(f"material {row.code}: a French and an English name are required")
    return problems + _material_cycles(by_code)


def _material_cycles(by_code: Mapping[str, MaterialRow]) -> list[str]:
    problems = []
    for code in by_code:
        seen, current = {code}, by_code[code].parent
        while current in by_code:
            if current in seen:
                problems.append(f"material {code}: its ancestry loops through {current}")
                break
            seen.add(current)
            current = by_code[current].parent
    return problems


def _check_ewc_materials(mapping: list[EwcMaterialRow], ewc: list[EwcRow], materials: list[MaterialRow]) -> list[str]:
    problems = _duplicates((row.ewc_code for row in mapping), "mapping for EWC entry")
    ewc_by_code = {row.code: row for row in ewc}
    materials_by_code = {row.code: row for row in materials}
    for row in mapping:
        entry, material = ewc_by_code.get(row.ewc_code), materials_by_code.get(row.material_code)
        if entry is None or not entry.is_entry:
            problems.append(f"mapping {row.ewc_code}: not an EWC entry")
        if material is None:
            problems.append(f"mapping {row.ewc_code}: unknown material {row.material_code}")
        elif entry is not None and entry.hazardous and not material.can_be_hazardous:
            problems.append(f"mapping {row.ewc_code}*: hazardous entry mapped to {row.material_code}, not hazardous")
    mapped = {row.ewc_code for row in mapping}
    problems += [f"EWC entry {row.code} has no material" for row in ewc if row.is_entry and row.code not in mapped]
    return problems


def _check_material_uses(uses: list[MaterialUseRow], materials: list[MaterialRow]) -> list[str]:
    pairs = [f"{row.material_code} -> {row.use_material_code}" for row in uses]
    problems = _duplicates(pairs, "material use")
    codes = {row.code for row in materials}
    for row, pair in zip(uses, pairs, strict=True):
        unknown = [code for code in (row.material_code, row.use_material_code) if code not in codes]
        problems += [f"material use {pair}: unknown material {code}" for code in unknown]
        if row.material_code == row.use_material_code:
            problems.append(f"material use {pair}: a material cannot be its own use")
        if not (row.note_fr and row.note_en and row.source):
            problems.append(f"material use {pair}: notes in both languages and a source are required")
    offered_roots = {row.material_code.split(".", 1)[0] for row in uses}
    roots = [row.code for row in materials if row.parent is None]
    problems += [f"root family {root} has no use" for root in roots if root not in offered_roots]
    return problems


def _check_units(units: list[UnitRow], materials: list[MaterialRow]) -> list[str]:
    problems = _duplicates((unit.code for unit in units), "unit code")
    for unit in units:
        if unit.dimension not in DIMENSIONS:
            problems.append(f"unit {unit.code}: unknown dimension {unit.dimension}")
        if unit.factor_to_base <= 0:
            problems.append(f"unit {unit.code}: factor to base must be positive")
        if unit.is_base and unit.factor_to_base != 1:
            problems.append(f"unit {unit.code}: a base unit has a factor of 1")
    codes = {unit.code for unit in units}
    used = {unit.dimension for unit in units}
    problems += [f"base unit {code} of {dim} is missing" for dim, code in BASE_UNITS.items() if code not in codes]
    problems += [
        f"material {row.code}: no unit measures its dimension {row.dimension}"
        for row in materials
        if row.dimension in DIMENSIONS and row.dimension not in used
    ]
    return problems
