from django.urls import path

from qms.training import views_courses, views_sessions

app_name = "training"

A = "agencies/<int:agency_id>/training/"
C = A + "courses/<int:pk>/"
S = A + "sessions/<int:pk>/"
N = S + "nominees/<int:nominee_pk>/"

urlpatterns = [
    # Sessions (entry page, ?year=…&kind=…).
    path(A, views_sessions.session_list, name="sessions"),
    path(A + "sessions/new/", views_sessions.session_form, name="session_new"),
    path(S, views_sessions.session_detail, name="session"),
    path(S + "edit/", views_sessions.session_form, name="session_edit"),
    path(S + "steps/<str:name>/", views_sessions.step, name="step"),
    path(S + "units/<int:unit_pk>/nominate/", views_sessions.nominate, name="nominate"),
    path(S + "units/<int:unit_pk>/confirm/", views_sessions.confirm, name="confirm"),
    path(S + "attendance/", views_sessions.attendance, name="attendance"),
    path(S + "attendance.xlsx", views_sessions.export, name="export"),
    path(N + "withdraw/", views_sessions.withdraw, name="withdraw"),
    path(N + "certificates/", views_sessions.certificate_add, name="certificate_add"),
    path(N + "certificates/<int:file_pk>/", views_sessions.certificate_file, name="certificate"),
    # Courses (?kind=…) and a person's competence.
    path(A + "courses/", views_courses.course_list, name="courses"),
    path(A + "courses/new/", views_courses.course_form, name="course_new"),
    path(C, views_courses.course_detail, name="course"),
    path(C + "edit/", views_courses.course_form, name="course_edit"),
    path(A + "people/<int:user_id>/", views_courses.person, name="person"),
]
