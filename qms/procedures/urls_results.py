"""Pages of dossier results: the figures, imports, late dossiers, satisfaction surveys."""

from django.urls import URLPattern, path

from qms.procedures import views_results as views

ROOT = "agencies/<int:agency_id>/procedures/results/"

urlpatterns: list[URLPattern] = [
    path(ROOT, views.results_page, name="results"),
    path(f"{ROOT}export/", views.results_export, name="results_export"),
    path(f"{ROOT}import/", views.results_import, name="results_import"),
    path(f"{ROOT}imports/<int:pk>/", views.results_import_detail, name="results_import_detail"),
    path(
        f"{ROOT}imports/<int:pk>/progress/",
        views.results_import_progress,
        name="results_import_progress",
    ),
    path(f"{ROOT}late/", views.results_late, name="results_late"),
    path(f"{ROOT}late/<int:pk>/apology/", views.results_apology, name="results_apology"),
    path(f"{ROOT}satisfaction/", views.results_satisfaction, name="results_satisfaction"),
    path(
        f"{ROOT}satisfaction/import/",
        views.results_satisfaction_import,
        name="results_satisfaction_import",
    ),
]
