from django.urls import path

from qms.organization import agency_views, chooser_views, views

app_name = "organization"

urlpatterns = [
    path("province/", views.province_home, name="province_home"),
    path("switch/", views.switch_agency, name="switch_agency"),
    path("administration/", agency_views.agency_admin, name="agency_admin"),
    path("administration/provinces/new/", agency_views.province_edit, name="province_create"),
    path("administration/provinces/<int:pk>/", agency_views.province_edit, name="province_edit"),
    path("administration/agencies/new/", agency_views.agency_edit, name="agency_create"),
    path("administration/agencies/<int:pk>/", agency_views.agency_edit, name="agency_edit"),
    path(
        "administration/agencies/<int:pk>/dissolve/",
        agency_views.agency_dissolve,
        name="agency_dissolve",
    ),
    path(
        "administration/agencies/<int:pk>/reopen/",
        agency_views.agency_reopen,
        name="agency_reopen",
    ),
    path("agencies/<int:agency_id>/", views.dashboard, name="dashboard"),
    path("agencies/<int:agency_id>/units/", views.unit_list, name="unit_list"),
    path("agencies/<int:agency_id>/units/new/", views.unit_edit, name="unit_create"),
    path("agencies/<int:agency_id>/units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("agencies/<int:agency_id>/people/", views.person_list, name="person_list"),
    path(
        "agencies/<int:agency_id>/people/choose/<str:purpose>/",
        chooser_views.people_choices,
        name="people_choices",
    ),
    path("agencies/<int:agency_id>/people/new/", views.person_create, name="person_create"),
    path(
        "agencies/<int:agency_id>/people/add-existing/", views.person_attach, name="person_attach"
    ),
    path("agencies/<int:agency_id>/people/<int:pk>/", views.person_edit, name="person_edit"),
    path(
        "agencies/<int:agency_id>/people/<int:pk>/invite/",
        views.person_invite,
        name="person_invite",
    ),
    path(
        "agencies/<int:agency_id>/delegations/new/",
        views.delegation_create,
        name="delegation_create",
    ),
    path(
        "agencies/<int:agency_id>/delegations/<int:pk>/end/",
        views.delegation_end,
        name="delegation_end",
    ),
    path("agencies/<int:agency_id>/committee/", views.committee, name="committee"),
    path(
        "agencies/<int:agency_id>/committee/decisions/new/",
        views.decision_create,
        name="decision_create",
    ),
    path(
        "agencies/<int:agency_id>/committee/decisions/<int:pk>/",
        views.decision_detail,
        name="decision_detail",
    ),
    path(
        "agencies/<int:agency_id>/committee/decisions/<int:pk>/edit/",
        views.decision_edit,
        name="decision_edit",
    ),
    path(
        "agencies/<int:agency_id>/committee/decisions/<int:pk>/<str:fmt>/",
        views.decision_document,
        name="decision_document",
    ),
    path(
        "agencies/<int:agency_id>/history/<str:kind>/<int:pk>/", views.history_page, name="history"
    ),
]
