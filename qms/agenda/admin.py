from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from qms.agenda.models import (
    AgendaSettings,
    CalendarFeed,
    InboxItem,
    Notification,
    NotificationPreference,
    Obligation,
    Reminder,
)


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    """Derived data (the source app rewrites it): shown for inspection, not edited."""

    list_display = ("title", "agency", "kind", "due_date", "state", "owner_unit", "owner_person")
    list_filter = ("state", "kind", "agency__province")
    search_fields = ("title", "source")
    date_hierarchy = "due_date"
    raw_id_fields = ("agency", "owner_unit", "owner_person")
    list_select_related = ("agency", "owner_unit", "owner_person")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AgendaSettings)
class AgendaSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "reminder_days", "reading_days")
    raw_id_fields = ("agency",)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("obligation", "step", "due_date", "sent_at")
    list_filter = ("step",)
    raw_id_fields = ("obligation",)
    list_select_related = ("obligation",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "agency", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "user__username", "user__full_name")
    raw_id_fields = ("user", "agency", "obligation")
    list_select_related = ("user", "agency")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)
    exclude = ("token",)


@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):
    """Derived data (the source app hands it out): shown for inspection, not edited."""

    list_display = ("title", "user", "agency", "kind", "assigned_at", "done_at")
    list_filter = ("kind",)
    search_fields = ("title", "source", "user__username", "user__full_name")
    raw_id_fields = ("agency", "user", "done_by")
    list_select_related = ("agency", "user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ("user", "email")
    list_filter = ("email",)
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)
