from django.urls import path

from qms.paperwork import views

app_name = "paperwork"

urlpatterns = [
    path("agencies/<int:agency_id>/paperwork/", views.register, name="register"),
    path("agencies/<int:agency_id>/paperwork/<int:pk>/edit/", views.edit, name="edit"),
    path("agencies/<int:agency_id>/paperwork/<int:pk>/issue/", views.issue, name="issue"),
    path("agencies/<int:agency_id>/paperwork/<int:pk>/do/<str:name>/", views.step, name="step"),
    path("agencies/<int:agency_id>/paperwork/<int:pk>/signed-copy/", views.attach, name="attach"),
    path(
        "agencies/<int:agency_id>/paperwork/<int:pk>/signed-copy/download/",
        views.signed_copy,
        name="signed_copy",
    ),
]
