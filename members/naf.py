"""The NAF rév. 2 nomenclature (INSEE), read once from members/data/naf_rev2.csv.

Codes are kept in INSEE's printed format ("62.01Z"). A member's NAF section (A–U) is derived from its
division, so nothing else has to be stored.
"""

import csv
import re
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

NAF_FILE = Path(__file__).resolve().parent / "data" / "naf_rev2.csv"
SUBCLASS_FORMAT = re.compile(r"^\d{2}\.\d{2}[A-Z]$")


@cache
def _rows() -> dict[str, dict[str, str]]:
    with NAF_FILE.open(encoding="utf-8", newline="") as naf_file:
        return {row["code"]: row for row in csv.DictReader(naf_file)}


def normalise(value: str) -> str:
    """Accept "6201Z", "62 01 Z" or "62.01z" as typed, and return "62.01Z"."""
    compact = re.sub(r"[\s.]", "", value or "").upper()
    if re.fullmatch(r"\d{4}[A-Z]", compact):
        return f"{compact[:2]}.{compact[2:]}"
    return (value or "").strip().upper()


def is_valid_format(code: str) -> bool:
    return bool(SUBCLASS_FORMAT.match(code or ""))


def label(code: str, language: str | None = None) -> str | None:
    row = _rows().get(code)
    if row is None or row["level"] != "subclass":
        return None
    if (language or get_language() or "fr").startswith("en") and row.get("label_en"):
        return row["label_en"]
    return row["label_fr"]


def section_of(code: str) -> str | None:
    """The section letter (A–U) of a sub-class, or None for an unknown code."""
    division = _rows().get((code or "")[:2])
    return division["parent"] if division else None


def sections() -> list[tuple[str, str]]:
    """(letter, label in the current language) of the 21 sections, for filters."""
    english = (get_language() or "fr").startswith("en")
    return [
        (code, f"{code} — {row['label_en'] if english and row.get('label_en') else row['label_fr']}")
        for code, row in _rows().items()
        if row["level"] == "section"
    ]


def divisions_of_section(letter: str) -> list[str]:
    return [code for code, row in _rows().items() if row["level"] == "division" and row["parent"] == letter]
