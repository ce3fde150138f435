from django.urls import path

from qms.objectives import views_objective, views_policy, views_year

app_name = "objectives"

A = "agencies/<int:agency_id>/"
urlpatterns = [
    path(f"{A}objectives/", views_year.year_page, name="year"),
    path(f"{A}objectives/decisions/<int:pk>/docx/", views_year.year_docx, name="year_docx"),
    path(f"{A}objectives/<int:year>/copy/", views_year.copy_year, name="copy"),
    path(f"{A}objectives/<int:year>/report/", views_year.report_draft, name="report_draft"),
    path(f"{A}objectives/reports/<int:pk>/", views_year.report_page, name="report"),
    path(f"{A}objectives/reports/<int:pk>/docx/", views_year.report_docx, name="report_docx"),
    path(f"{A}objectives/new/", views_objective.new_objective, name="new"),
    path(f"{A}objectives/<int:pk>/view/", views_objective.detail, name="detail"),
    path(f"{A}objectives/<int:pk>/edit/", views_objective.edit_objective, name="edit"),
    path(f"{A}objectives/<int:pk>/do/<str:name>/", views_objective.take_step, name="action"),
    path(f"{A}objectives/<int:pk>/measure/", views_objective.measure, name="measure"),
    path(f"{A}objectives/<int:pk>/actions/", views_objective.add_action, name="add_action"),
    path(f"{A}objectives/actions/<int:pk>/done/", views_objective.action_done, name="action_done"),
    path(
        f"{A}objectives/measurements/<int:pk>/evidence/",
        views_objective.evidence,
        name="evidence",
    ),
    path(
        f"{A}objectives/measurements/<int:pk>/follow-up/",
        views_objective.follow_up,
        name="follow_up",
    ),
    path(f"{A}quality-policy/", views_policy.policy_page, name="policy"),
    path(f"{A}quality-policy/<int:pk>/", views_policy.policy_detail, name="policy_detail"),
    path(f"{A}quality-policy/<int:pk>/docx/", views_policy.policy_docx, name="policy_docx"),
]
