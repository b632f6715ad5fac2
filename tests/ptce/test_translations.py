"""French is the source language; the English catalogue must translate every message."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PROJECT_DIR = Path(__file__).resolve().parents[2]
CATALOGUE = PROJECT_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["members", "waste_flows", "projects", "ptce", "templates"]


def _message_ids(path: Path) -> set[str]:
    with path.open("rb") as po_file:
        return {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(po_file) if message.id
        }


def test_every_english_message_is_translated_and_none_is_fuzzy():
    with CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file)

    untranslated = [m.id for m in catalogue if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]

    assert untranslated == []
    assert fuzzy == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext to extract messages")
def test_catalogue_holds_every_message_of_the_source_code(tmp_path):
    for name in SOURCE_DIRS:
        shutil.copytree(PROJECT_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locale").mkdir()

    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "en", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    extracted = _message_ids(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = extracted - _message_ids(CATALOGUE)
    assert missing == set(), "run `manage.py makemessages -l en` and translate: " + ", ".join(sorted(missing))
