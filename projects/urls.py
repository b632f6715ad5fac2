from django.urls import path

from .views import board, detail, documents, exports, history, lists, parts

app_name = "projects"

urlpatterns = [
    path("projects/", lists.project_list, name="project_list"),
    path("projects/mine/", lists.my_projects, name="my_projects"),
    path("projects/board/", board.project_board, name="project_board"),
    path("projects/new/", detail.project_create, name="project_create"),
    path("projects/from-match/<int:match_pk>/", detail.project_from_match, name="project_from_match"),
    path("projects/export.csv", exports.project_export, {"file_format": "csv"}, name="project_export"),
    path("projects/export.xlsx", exports.project_export, {"file_format": "xlsx"}, name="project_export"),
    path("projects/<int:pk>/", detail.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", detail.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", board.project_status, name="project_status"),
    path("projects/<int:pk>/print/", detail.project_print, name="project_print"),
    path("projects/<int:pk>/history/", history.project_history, name="project_history"),
    path("projects/<int:pk>/comments/", detail.comment_add, name="comment_add"),
    path("projects/<int:pk>/matches/link/", detail.match_link, name="match_link"),
    path("projects/<int:pk>/matches/<int:match_pk>/unlink/", detail.match_unlink, name="match_unlink"),
    # --- parts (projects/views/parts.py) ---
    path("projects/<int:pk>/participants/new/", parts.participant_form, name="participant_create"),
    path("projects/<int:pk>/participants/<int:participant_pk>/", parts.participant_form, name="participant_edit"),
    path(
        "projects/<int:pk>/participants/<int:participant_pk>/delete/",
        parts.participant_delete,
        name="participant_delete",
    ),
    path(
        "projects/<int:pk>/participants/<int:participant_pk>/commitment/",
        parts.commitment_edit,
        name="commitment_edit",
    ),
    path("projects/<int:pk>/budget/new/", parts.budget_line_form, name="budget_line_create"),
    path("projects/<int:pk>/budget/<int:line_pk>/", parts.budget_line_form, name="budget_line_edit"),
    path("projects/<int:pk>/budget/<int:line_pk>/delete/", parts.budget_line_delete, name="budget_line_delete"),
    path("projects/<int:pk>/fundings/new/", parts.funding_form, name="funding_create"),
    path("projects/<int:pk>/fundings/<int:funding_pk>/", parts.funding_form, name="funding_edit"),
    path("projects/<int:pk>/fundings/<int:funding_pk>/delete/", parts.funding_delete, name="funding_delete"),
    path("projects/<int:pk>/milestones/new/", parts.milestone_form, name="milestone_create"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/", parts.milestone_form, name="milestone_edit"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/delete/", parts.milestone_delete, name="milestone_delete"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/done/", parts.milestone_complete, name="milestone_complete"),
    path("projects/<int:pk>/indicators/new/", parts.indicator_form, name="indicator_create"),
    path("projects/<int:pk>/indicators/<int:indicator_pk>/", parts.indicator_form, name="indicator_edit"),
    path("projects/<int:pk>/indicators/<int:indicator_pk>/delete/", parts.indicator_delete, name="indicator_delete"),
    # --- documents (projects/views/documents.py) ---
    path("projects/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path("projects/<int:pk>/documents/<int:document_pk>/", documents.document_download, name="document_download"),
    path("projects/<int:pk>/documents/<int:document_pk>/delete/", documents.document_delete, name="document_delete"),
]
