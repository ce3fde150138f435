from django.urls import path, re_path

from qms.agenda import views

app_name = "agenda"

urlpatterns = [
    path("agencies/<int:agency_id>/agenda/", views.mine, name="mine"),
    path("agencies/<int:agency_id>/agenda/unit/<int:unit_id>/", views.unit, name="unit"),
    path("agencies/<int:agency_id>/agenda/all/", views.agency, name="agency"),
    path("agencies/<int:agency_id>/agenda/settings/", views.agenda_settings, name="settings"),
    path("agencies/<int:agency_id>/calendar/", views.month, name="calendar"),
    path("calendar/feed/", views.feed, name="feed"),
    path("calendar/feed/renew/", views.feed_renew, name="feed_renew"),
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.calendar_ics, name="ics"),
    path("inbox/", views.inbox_list, name="inbox"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
