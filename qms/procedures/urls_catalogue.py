from django.urls import path

from qms.procedures import views_catalogue as views

A = "agencies/<int:agency_id>/procedures/"
C = f"{A}catalogue/"

urlpatterns = [
    # The province's catalogue: the agency id is its Sở KH&CN's.
    path(C, views.catalogue_list, name="catalogue"),
    path(f"{C}export/", views.catalogue_export, name="catalogue_export"),
    path(f"{C}import/", views.catalogue_import, name="catalogue_import"),
    path(f"{C}imports/<int:pk>/", views.catalogue_preview, name="catalogue_preview"),
    path(f"{C}imports/<int:pk>/apply/", views.catalogue_apply, name="catalogue_apply"),
    path(f"{C}imports/<int:pk>/discard/", views.catalogue_discard, name="catalogue_discard"),
    # The agency's subset and its coverage.
    path(A, views.handling_list, name="handlings"),
    path(f"{A}choices/", views.procedure_choices, name="choices"),
    path(f"{A}add/", views.handling_add, name="handling_add"),
    path(f"{A}add-field/", views.handling_add_field, name="handling_add_field"),
    path(f"{A}tthc/<int:pk>/edit/", views.handling_edit, name="handling_edit"),
    path(f"{A}tthc/<int:pk>/stop/", views.handling_stop, name="handling_stop"),
    path(f"{A}coverage/", views.coverage_page, name="coverage"),
]
