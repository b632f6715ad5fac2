"""Project documents in the browser: who uploads, what is refused and why, who downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.enums import MemberRole
from projects import services
from projects.enums import ActivityKind, DocumentKind, ProjectVisibility
from projects.models import ProjectDocument

from ..members.factories import MemberFactory, UserFactory
from .factories import ParticipantFactory, ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROJECT_DOCUMENT_MAX_BYTES = 2048


def url(name: str, *args) -> str:
    return reverse(f"projects:{name}", args=args)


def pdf_file(name="devis.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def editor(member_org):
    return UserFactory(email="editrice@recyclerie.test", member=member_org, member_role=MemberRole.EDITOR)


@pytest.fixture
def project(member_org, other_member_org):
    """Led by the other organisation; `member_org` takes part."""
    project = ProjectFactory(title="Chaufferie partagée", lead_member=other_member_org)
    ParticipantFactory(project=project, member=member_org)
    return project


def test_an_editor_of_a_participant_uploads_a_pdf_which_is_logged(client, editor, project):
    client.force_login(editor)

    response = client.post(url("document_upload", project.pk), {"title": "Devis chaudière", "kind": DocumentKind.STUDY,
                                                                "file": pdf_file()})  # fmt: skip

    assert response.url == project.get_absolute_url() + "#documents"
    document = ProjectDocument.objects.get()
    assert (document.title, document.uploaded_by, document.size) == ("Devis chaudière", editor, len(PDF))
    assert project.activities.filter(kind=ActivityKind.DOCUMENT, actor=editor).exists()


def test_a_viewer_has_no_upload_form_and_is_refused(client, member_viewer, project):
    client.force_login(member_viewer)

    response = client.get(project.get_absolute_url())
    assert not response.context["can_upload"]
    assert url("document_upload", project.pk) not in response.content.decode()

    refused = client.post(url("document_upload", project.pk), {"title": "X", "kind": "other", "file": pdf_file()})
    assert refused.status_code == 403
    assert not ProjectDocument.objects.exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (
            SimpleUploadedFile("outil.exe", b"MZ\x90\x00"),
            "Les fichiers « .exe » ne sont pas acceptés. Types acceptés : .pdf",
        ),
        (SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * 4096), "la limite est de 2,0\xa0Kio par document"),
        (SimpleUploadedFile("faux.pdf", b"<html>pas un pdf</html>"), "ne correspond pas à un fichier « .pdf »"),
    ],
    ids=["type", "size", "content"],
)
def test_a_refused_upload_says_why_next_to_the_file_field(client, coordinator, project, upload, expected):
    client.force_login(coordinator)

    response = client.post(url("document_upload", project.pk), {"title": "Pièce", "kind": "other", "file": upload})

    assert response.status_code == 400
    [error] = response.context["document_form"].errors["file"]
    assert expected in error
    assert 'id="id_file_error"' in response.content.decode()
    assert not ProjectDocument.objects.exists()


def test_an_image_upload_is_checked_by_opening_it(client, coordinator, project):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    client.force_login(coordinator)

    client.post(url("document_upload", project.pk), {"title": "Photo du site", "kind": DocumentKind.PHOTO,
                                                     "file": SimpleUploadedFile("site.png", buffer.getvalue())})  # fmt: skip

    assert ProjectDocument.objects.get().content_type == "image/png"


@pytest.fixture
def document(coordinator, project):
    return services.document_upload(
        project=project, by=coordinator, uploaded_file=pdf_file(), title="Devis", kind="other"
    )


def test_participants_download_documents_through_the_platform(client, member_viewer, project, document):
    client.force_login(member_viewer)

    response = client.get(url("document_download", project.pk, document.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="devis')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_documents_are_refused_to_readers_who_do_not_take_part_and_never_served_as_media(
    client, partner, project, document
):
    project.visibility = ProjectVisibility.PUBLIC
    project.save()
    outsider = UserFactory(member=MemberFactory(), member_role=MemberRole.ADMIN)
    for reader in (partner, outsider):
        client.force_login(reader)
        assert client.get(url("document_download", project.pk, document.pk)).status_code == 403
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_the_coordinator_deletes_a_document(client, coordinator, project, document):
    client.force_login(coordinator)

    client.post(url("document_delete", project.pk, document.pk))

    assert not ProjectDocument.objects.exists()
