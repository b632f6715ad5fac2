"""Project documents: the size limit, the accepted types and a content that matches the extension, each
refusal said in plain French on the `file` field; who may add and remove them."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.enums import MemberRole
from projects import services
from projects.enums import ActivityKind, DocumentKind
from projects.models import ProjectDocument

from ..members.factories import UserFactory
from .factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


def upload(project, by, name: str, content: bytes, kind=DocumentKind.STUDY, title="Étude de gisement"):
    return services.document_upload(
        project=project, by=by, uploaded_file=SimpleUploadedFile(name, content), title=title, kind=kind
    )


def refusal(project, by, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        upload(project, by, name, content)
    (message,) = raised.value.message_dict["file"]
    assert not ProjectDocument.objects.exists()
    return message.replace("\xa0", " ")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("etude.pdf", PDF, "application/pdf"),
        ("photo-chaufferie.PNG", png_bytes(), "image/png"),
        ("convention.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("compte-rendu.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("tonnages.csv", "commune;tonnes\nSerémange-Erzange;12\n".encode("cp1252"), "text/csv"),
        ("notes.txt", "Réunion du comité de pilotage\n".encode(), "text/plain"),
    ],
)
def test_accepted_documents_are_stored_with_their_size_and_type(
    coordinator, media_in_tmp, name, content, content_type
):
    project = ProjectFactory()

    document = upload(project, coordinator, name, content)

    assert (document.size, document.content_type, document.uploaded_by) == (len(content), content_type, coordinator)
    assert document.file.name.startswith(f"projects/{project.pk}/")
    assert (media_in_tmp / document.file.name).read_bytes() == content
    (row,) = project.activities.filter(kind=ActivityKind.DOCUMENT)
    assert row.message == "Document ajouté : « Étude de gisement » (Étude)."


def test_a_document_larger_than_the_limit_is_refused_with_the_limit(coordinator, settings):
    settings.PROJECT_DOCUMENT_MAX_BYTES = 1024

    message = refusal(ProjectFactory(), coordinator, "etude.pdf", PDF + b" " * 2048)

    assert message == "Le fichier « etude.pdf » pèse 2,1 Kio ; la limite est de 1,0 Kio par document."


def test_the_default_limit_is_ten_megabytes(settings):
    from projects.documents import max_bytes

    del settings.PROJECT_DOCUMENT_MAX_BYTES
    assert max_bytes() == 10 * 1024 * 1024


@pytest.mark.parametrize("name", ["outil.exe", "macro.sh", "page.html", "LISEZMOI"])
def test_other_types_are_refused_with_the_accepted_ones(coordinator, name):
    message = refusal(ProjectFactory(), coordinator, name, b"MZ\x90\x00binary")

    assert message.startswith("Les fichiers « ")
    assert "ne sont pas acceptés. Types acceptés : .pdf, .odt, .ods" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("devis.pdf", png_bytes()),
        ("photo.png", PDF),
        ("photo.jpg", png_bytes()),
        ("budget.xlsx", b"poste;montant\nchaudiere;120000\n"),
        ("convention.docx", ODT),
        ("compte-rendu.odt", DOCX),
        ("tableau.xls", DOCX),
        ("notes.txt", b"\x00\x01\x02binary\x00"),
    ],
)
def test_an_extension_lying_about_the_content_is_refused(coordinator, name, content):
    message = refusal(ProjectFactory(), coordinator, name, content)

    extension = name.rsplit(".", 1)[1]
    assert message == (
        f"Le contenu de « {name} » ne correspond pas à un fichier « .{extension} » : vérifiez qu'il n'a pas été "
        "renommé, ou enregistrez-le à nouveau dans ce format."
    )


def test_an_empty_file_is_refused(coordinator):
    assert refusal(ProjectFactory(), coordinator, "vide.pdf", b"") == "Le fichier « vide.pdf » est vide."


def test_without_a_title_the_document_is_named_after_its_file(coordinator):
    document = upload(ProjectFactory(), coordinator, "Plan de financement 2026.pdf", PDF, title="  ")

    assert document.title == "Plan de financement 2026"


def test_participants_admins_and_editors_upload_but_not_viewers_outsiders_or_partners(
    member, member_viewer, other_member, partner, member_org
):
    project = ProjectFactory(lead_member=member_org)
    editor = UserFactory(member=member_org, member_role=MemberRole.EDITOR)

    upload(project, member, "etude.pdf", PDF)
    upload(project, editor, "etude.pdf", PDF)
    for refused in (member_viewer, other_member, partner):
        with pytest.raises(PermissionDenied):
            upload(project, refused, "etude.pdf", PDF)
    assert project.documents.count() == 2


def test_the_uploader_removes_a_document_and_its_file_goes_after_commit(
    member, other_member, member_org, media_in_tmp, django_capture_on_commit_callbacks
):
    project = ProjectFactory(lead_member=member_org)
    document = upload(project, member, "etude.pdf", PDF)
    stored = media_in_tmp / document.file.name

    with pytest.raises(PermissionDenied):
        services.document_delete(document=document, by=other_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, by=member)

    assert not project.documents.exists()
    assert not stored.exists()
    assert project.activities.filter(kind=ActivityKind.DOCUMENT).first().message == (
        "Document retiré : « Étude de gisement »."
    )
