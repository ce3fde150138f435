from django.urls import path

from qms.corrective import views

app_name = "corrective"

A = "agencies/<int:agency_id>/nonconformities/"
N = A + "<int:pk>/"
T = N + "actions/<int:action_pk>/"

urlpatterns = [
    # The register (?year=…&status=…&unit=…&origin=…&overdue=1), its XLSX, a new report.
    path(A, views.register, name="register"),
    path(A + "export.xlsx", views.export, name="export"),
    path(A + "new/", views.new, name="new"),
    path(A + "from-follow-up/<int:pk>/", views.from_follow_up, name="from_follow_up"),
    path(A + "from-finding/<int:pk>/", views.from_finding, name="from_finding"),
    path(N, views.detail, name="detail"),
    path(N + "edit/", views.edit, name="edit"),
    path(N + "analysis/", views.analysis, name="analysis"),
    path(N + "evidence/", views.evidence_add, name="evidence_add"),
    path(N + "evidence/<int:file_pk>/", views.evidence_file, name="evidence_file"),
    path(N + "steps/<str:name>/", views.step, name="step"),
    path(N + "request-form.docx", views.request_form, name="request_form"),
    path(N + "actions/new/", views.action_form, name="action_new"),
    path(T, views.action_form, name="action_edit"),
    path(T + "done/", views.action_done, name="action_done"),
]
