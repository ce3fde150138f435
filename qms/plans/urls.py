from django.urls import path

from qms.plans import event_views, views

app_name = "plans"

P = "agencies/<int:agency_id>/plans/"

urlpatterns = [
    path(P, views.plan_list, name="list"),
    path(f"{P}new/", views.plan_create, name="create"),
    path(f"{P}<int:pk>/", views.plan_detail, name="detail"),
    path(f"{P}<int:pk>/edit/", views.plan_edit, name="edit"),
    path(f"{P}<int:pk>/copy/", views.plan_copy, name="copy"),
    path(f"{P}<int:pk>/events/", views.event_record, name="event"),
    path(f"{P}<int:pk>/timeline/", views.timeline, name="timeline"),
    path(f"{P}<int:pk>/versions/<int:amendment>/", views.version_detail, name="version"),
    path(f"{P}<int:pk>/export/<str:what>/", views.plan_export, name="export"),
    path(f"{P}<int:pk>/do/<str:action>/", views.plan_action, name="action"),
    path(f"{P}<int:plan_pk>/tasks/new/", views.task_edit, name="task_create"),
    path(f"{P}<int:plan_pk>/tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("agencies/<int:agency_id>/tasks/<int:pk>/", views.task_detail, name="task"),
    path(
        "agencies/<int:agency_id>/tasks/<int:pk>/<str:what>/",
        views.task_progress,
        name="task_progress",
    ),
    path("agencies/<int:agency_id>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("agencies/<int:agency_id>/plan-events/", event_views.event_list, name="events"),
    path(
        "agencies/<int:agency_id>/plan-events/<int:pk>/", event_views.event_list, name="event_edit"
    ),
]
