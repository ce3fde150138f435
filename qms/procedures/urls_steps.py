from django.urls import path

from qms.procedures import views_steps as views

urlpatterns = [
    path(
        "agencies/<int:agency_id>/procedures/<int:pk>/steps/",
        views.steps_page,
        name="steps",
    ),
    path(
        "agencies/<int:agency_id>/procedures/<int:pk>/steps/docx/",
        views.steps_download,
        name="steps_docx",
    ),
    # The calendar is the country's, not an agency's: no agency in its address.
    path("procedures/calendar/", views.calendar_now, name="calendar_now"),
    path("procedures/calendar/<int:year>/", views.calendar_page, name="calendar"),
    path(
        "procedures/calendar/changes/<int:pk>/",
        views.calendar_change,
        name="calendar_change",
    ),
    path(
        "procedures/calendar/changes/<int:pk>/remove/",
        views.calendar_change_remove,
        name="calendar_change_remove",
    ),
]
