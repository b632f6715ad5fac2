"""Ranked search of materials and waste codes, for the autocomplete of the declaration form.

The reference data is small (about 130 materials, 842 EWC entries) and changes only through
migrations, so it is held in memory once per process and searched in Python: a keystroke costs no
query. Ranking, best first: exact code, code prefix, name starting with the words, every word starting
a word of the name, a synonym, then any word found inside the text. Accents and case are ignored.
"""

from dataclasses import dataclass
from functools import cache

from .text import fold

EXACT_CODE, CODE_PREFIX, NAME_PREFIX, NAME_WORDS, SYNONYM, ANYWHERE = range(6)


@dataclass(frozen=True)
class Entry:
    key: str  # material code or EWC code
    code: str  # folded code, for code searches ("150103", "wood pallets")
    names: tuple[str, ...]  # folded name in each language
    synonyms: str  # folded synonyms
    text: str  # everything, folded


def rank(query: str, entries: list[Entry], *, limit: int = 20) -> list[str]:
    """Keys of the entries matching `query`, best first (ties keep the entries' order)."""
    words = fold(query).split()
    if not words:
        return []
    compact = "".join(words)
    scored = []
    for position, entry in enumerate(entries):
        score = _score(entry, words, compact)
        if score is not None:
            scored.append((score, position, entry.key))
    scored.sort()
    return [key for _, _, key in scored[:limit]]


def _score(entry: Entry, words: list[str], compact: str) -> int | None:
    if compact == entry.code:
        return EXACT_CODE
    if entry.code.startswith(compact) and len(compact) >= 2:
        return CODE_PREFIX
    phrase = " ".join(words)
    if any(name.startswith(phrase) for name in entry.names):
        return NAME_PREFIX
    if any(all(any(part.startswith(word) for part in name.split()) for word in words) for name in entry.names):
        return NAME_WORDS
    synonym_words = entry.synonyms.split()
    if all(any(synonym.startswith(word) for synonym in synonym_words) for word in words):
        return SYNONYM
    if all(word in entry.text for word in words):
        return ANYWHERE
    return None


@cache
def material_entries() -> list[Entry]:
    from .models import Material

    rows = Material.objects.order_by("code").values_list("code", "name_fr", "name_en", "synonyms_fr", "synonyms_en")
    return [
        Entry(
            key=code,
            code=fold(code).replace(" ", ""),
            names=(fold(name_fr), fold(name_en)),
            synonyms=fold(f"{synonyms_fr} {synonyms_en}".replace("|", " ")),
            text=fold(f"{code} {name_fr} {name_en} {synonyms_fr} {synonyms_en}"),
        )
        for code, name_fr, name_en, synonyms_fr, synonyms_en in rows
    ]


@cache
def ewc_entries() -> list[Entry]:
    from .models import EwcCode

    rows = (
        EwcCode.objects.filter(level="entry").order_by("code").values_list("code", "description_fr", "description_en")
    )
    return [
        Entry(
            key=code,
            code=code.replace(" ", ""),
            names=(fold(description_fr), fold(description_en)),
            synonyms="",
            text=fold(f"{code} {description_fr} {description_en}"),
        )
        for code, description_fr, description_en in rows
    ]


def forget_reference_data() -> None:
    """Drop the in-memory copies (tests that change reference rows call this)."""
    material_entries.cache_clear()
    ewc_entries.cache_clear()
