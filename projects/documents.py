"""Checks on a project document before it is stored: size, extension, and a content that matches it.

The extension alone proves nothing: a file named `devis.pdf` must start like a PDF, a picture must open as
one, an office document must be the zip (OpenDocument, OOXML) or OLE container its extension announces.
Errors say what was wrong and what is accepted, in plain French, on the `file` field.
"""

import mimetypes
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import DOCUMENT_EXTENSIONS

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OPENDOCUMENT = {"odt", "ods", "odp"}
OOXML = {"docx", "xlsx", "pptx"}
OLE = {"doc", "xls", "ppt"}
TEXT = {"csv", "txt"}
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}
TEXT_SAMPLE_BYTES = 64 * 1024


def max_bytes() -> int:
    return getattr(settings, "PROJECT_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def accepted_types_label() -> str:
    return ", ".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)


def validate_document(uploaded_file) -> str:
    """Raise ValidationError({"file": …}) unless the file may be stored; return its content type."""
    name = uploaded_file.name or ""
    extension = extension_of(name)
    if extension not in DOCUMENT_EXTENSIONS:
        raise _error(
            _("Les fichiers « %(extension)s » ne sont pas acceptés. Types acceptés : %(types)s."),
            code="extension",
            extension=f".{extension}" if extension else name,
            types=accepted_types_label(),
        )
    size = uploaded_file.size or 0
    if size == 0:
        raise _error(_("Le fichier « %(name)s » est vide."), code="empty", name=name)
    if size > max_bytes():
        raise _error(
            _("Le fichier « %(name)s » pèse %(size)s ; la limite est de %(limit)s par document."),
            code="too_large",
            name=name,
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes()),
        )
    if not _content_matches(uploaded_file, extension):
        raise _error(
            _(
                "Le contenu de « %(name)s » ne correspond pas à un fichier « .%(extension)s » : "
                "vérifiez qu'il n'a pas été renommé, ou enregistrez-le à nouveau dans ce format."
            ),
            code="content_mismatch",
            name=name,
            extension=extension,
        )
    return mimetypes.guess_type(f"file.{extension}")[0] or "application/octet-stream"


def _error(message: str, *, code: str, **params) -> ValidationError:
    return ValidationError({"file": ValidationError(message % params, code=code)})


def _content_matches(uploaded_file, extension: str) -> bool:
    uploaded_file.seek(0)
    try:
        head = uploaded_file.read(8)
        uploaded_file.seek(0)
        if extension == "pdf":
            return uploaded_file.read(1024).lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-")
        if extension in IMAGE_FORMATS:
            return _is_image(uploaded_file, IMAGE_FORMATS[extension])
        if extension in OLE:
            return head == OLE_MAGIC
        if extension in OPENDOCUMENT | OOXML:
            return head.startswith(ZIP_MAGIC) and _zip_is(uploaded_file, extension)
        if extension in TEXT:
            return _is_text(uploaded_file.read(TEXT_SAMPLE_BYTES))
        return False
    finally:
        uploaded_file.seek(0)


def _is_image(uploaded_file, expected_format: str) -> bool:
    try:
        with Image.open(uploaded_file) as image:
            image.verify()
            return image.format == expected_format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def _zip_is(uploaded_file, extension: str) -> bool:
    """OpenDocument files name their type in a `mimetype` entry; OOXML ones carry `[Content_Types].xml`."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if extension in OOXML:
                return "[Content_Types].xml" in names
            return "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _is_text(sample: bytes) -> bool:
    """Plain text in UTF-8 or Windows-1252 (what spreadsheets export): no NUL byte, no control characters."""
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:  # a character cut by the end of the sample
            text = sample[: error.start].decode("utf-8")
        else:
            text = sample.decode("cp1252", errors="replace")
    controls = sum(1 for character in text if ord(character) < 32 and character not in "\r\n\t\f")
    return controls == 0
