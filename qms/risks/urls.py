from django.urls import path

from qms.risks import views_context, views_plan, views_register, views_risk

app_name = "risks"

A = "agencies/<int:agency_id>/risks/"
R = A + "<int:pk>/"
T = R + "treatments/<int:treatment_pk>/"

urlpatterns = [
    # The register (entry page, ?year=…&unit=…&kind=…&band=…&status=…).
    path(A, views_register.register, name="register"),
    path(A + "heat-map/", views_register.heat_map, name="heat_map"),
    path(A + "scale/", views_register.scale_page, name="scale"),
    path(A + "<int:year>/copy/", views_register.copy_year, name="copy_year"),
    path(A + "<int:year>/export/<str:what>", views_register.export, name="export"),
    path(A + "<int:year>/new/", views_risk.risk_new, name="new"),
    # The year's treatment plan, issued through the register of outgoing documents.
    path(A + "<int:year>/plan/", views_plan.plan_draft, name="plan_draft"),
    path(A + "plans/<int:pk>/", views_plan.plan_page, name="plan"),
    path(A + "plans/<int:pk>/docx/", views_plan.plan_docx, name="plan_docx"),
    path(R, views_risk.detail, name="detail"),
    path(R + "edit/", views_risk.risk_edit, name="edit"),
    path(R + "reassess/", views_risk.reassess, name="reassess"),
    path(R + "steps/<str:name>/", views_risk.step, name="step"),
    path(R + "treatments/new/", views_risk.treatment_form, name="treatment_new"),
    path(T, views_risk.treatment_form, name="treatment_edit"),
    path(T + "done/", views_risk.treatment_done, name="treatment_done"),
    path(T + "check/", views_risk.treatment_check, name="treatment_check"),
    # The context of the organisation and its interested parties (?year=…).
    path(A + "context/", views_context.context_page, name="context"),
    path(A + "context/<int:year>/issues/new/", views_context.issue_form, name="issue_new"),
    path(A + "context/issues/<int:pk>/", views_context.issue_form, name="issue_edit"),
    path(A + "context/<int:year>/parties/new/", views_context.party_form, name="party_new"),
    path(A + "context/parties/<int:pk>/", views_context.party_form, name="party_edit"),
    path(A + "context/<int:year>/review/", views_context.review, name="review"),
    path(A + "context/<str:what>/<int:pk>/withdraw/", views_context.withdraw, name="withdraw"),
    path(A + "context/<str:what>/<int:pk>/restore/", views_context.restore, name="restore"),
]
