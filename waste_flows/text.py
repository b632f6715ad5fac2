"""Text normalisation shared by the search and by the data that feeds it (pure Python)."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9*]+")


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation turned into single spaces: « Mâchefers d'UIOM » → "machefers d uiom"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", without_accents.lower()).strip()
