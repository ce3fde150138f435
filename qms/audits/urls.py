from django.urls import path

from qms.audits import views_audit, views_finding, views_programme

app_name = "audits"

A = "agencies/<int:agency_id>/audits/"
D = A + "<int:pk>/"
F = A + "findings/<int:pk>/"

urlpatterns = [
    # The audits (?year=…&status=…&unit=…), the year's programme (?year=…), the findings XLSX.
    path(A, views_audit.audit_list, name="list"),
    path(A + "programme/", views_programme.programme_page, name="programme"),
    path(
        A + "programme/<int:year>/create/",
        views_programme.programme_create,
        name="programme_create",
    ),
    path(A + "programmes/<int:pk>/rows/", views_programme.row_add, name="row_add"),
    path(A + "programmes/rows/<int:pk>/remove/", views_programme.row_remove, name="row_remove"),
    path(A + "programmes/<int:pk>/docx/", views_programme.programme_docx, name="programme_docx"),
    path(A + "programmes/<int:pk>/new/", views_audit.audit_new, name="new"),
    path(A + "findings/<int:year>/xlsx/", views_audit.export, name="export"),
    # Auditors and question banks.
    path(A + "auditors/", views_programme.auditors, name="auditors"),
    path(A + "auditors/<int:pk>/file/", views_programme.auditor_file, name="auditor_file"),
    path(A + "banks/", views_programme.banks, name="banks"),
    path(A + "banks/<int:pk>/", views_programme.bank, name="bank"),
    path(
        A + "banks/questions/<int:pk>/toggle/",
        views_programme.question_toggle,
        name="question_toggle",
    ),
    # One audit.
    path(D, views_audit.detail, name="detail"),
    path(D + "edit/", views_audit.audit_edit, name="edit"),
    path(D + "team/", views_audit.team_add, name="team_add"),
    path(D + "team/<int:member_pk>/remove/", views_audit.team_remove, name="team_remove"),
    path(D + "plan/", views_audit.plan_draft, name="plan_draft"),
    path(D + "plan/docx/", views_audit.plan_docx, name="plan_docx"),
    path(D + "steps/<str:name>/", views_audit.step, name="step"),
    path(D + "checklist/", views_audit.checklist_build, name="checklist_build"),
    path(D + "checklist/<int:item_pk>/", views_audit.answer, name="answer"),
    path(D + "findings/new/", views_finding.finding_new, name="finding_new"),
    path(D + "report/", views_audit.report_draft, name="report_draft"),
    path(D + "report/conclusion/", views_audit.report_conclusion, name="report_conclusion"),
    path(D + "report/docx/", views_audit.report_docx, name="report_docx"),
    # One finding.
    path(F, views_finding.finding_detail, name="finding"),
    path(F + "edit/", views_finding.finding_edit, name="finding_edit"),
    path(F + "files/", views_finding.file_add, name="file_add"),
    path(A + "findings/files/<int:pk>/", views_finding.file_download, name="file"),
]
