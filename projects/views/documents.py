"""Project documents: uploaded by the coordination or by the admins and editors of an organisation taking
part, read by the coordination and the organisations taking part.

Files are served by this view after the permission check, never from a public media address: a funding
application or an agreement is not for everyone who can guess a URL."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.views.helpers import call_service

from .. import services
from ..documents import max_bytes
from ..forms import DocumentForm
from ..models import Project, ProjectDocument
from ..permissions import can_delete_document, can_see_documents, can_upload
from ..selectors import project_detail
from .detail import render_detail
from .helpers import run_service, section_url


@require_POST
def document_upload(request, pk):
    project = project_detail(user=request.user, pk=pk)
    if not can_upload(request.user, project):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, max_bytes=max_bytes())
    if form.is_valid():
        data = form.cleaned_data
        document = call_service(
            form,
            services.document_upload,
            project=project,
            by=request.user,
            uploaded_file=data["file"],
            title=data["title"],
            kind=data["kind"],
        )
        if document:
            messages.success(request, _("Le document « %(title)s » est déposé.") % {"title": document.title})
            return redirect(section_url(project, "documents"))
    return render_detail(request, project, status=400, document_form=form)


def document_download(request, pk, document_pk):
    project = _readable_project(request, pk)
    if not can_see_documents(request.user, project):
        raise PermissionDenied
    document = get_object_or_404(ProjectDocument, pk=document_pk, project=project)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    # Always an attachment: the browser saves the file instead of running it inside the platform's origin.
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))
    if document.content_type:
        response["Content-Type"] = document.content_type
    return response


@require_POST
def document_delete(request, pk, document_pk):
    project = _readable_project(request, pk)
    document = get_object_or_404(ProjectDocument.objects.select_related("project"), pk=document_pk, project=project)
    if not can_delete_document(request.user, document):
        raise PermissionDenied
    run_service(
        request,
        services.document_delete,
        document=document,
        by=request.user,
        done=_("Le document « %(title)s » est supprimé.") % {"title": document.title},
    )
    return redirect(section_url(project, "documents"))


def _readable_project(request, pk) -> Project:
    queryset = Project.objects.visible_to(request.user).prefetch_related("participants")
    return get_object_or_404(queryset, pk=pk)
