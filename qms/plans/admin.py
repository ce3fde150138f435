from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.plans.models import Coordination, Evidence, Plan, PlanEvent, PlanTask, ProgressNote


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    extra = 0
    fields = ("order", "content", "lead_kind", "lead_text", "status")


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "agency", "year", "status", "number")
    list_filter = ("status", "year", "agency__province")
    raw_id_fields = ("agency",)
    inlines = [PlanTaskInline]


class CoordinationInline(admin.TabularInline):
    model = Coordination
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(PlanTask)
class PlanTaskAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "status")
    list_filter = ("status",)
    raw_id_fields = ("plan", "lead_unit")
    inlines = [CoordinationInline]


admin.site.register(PlanEvent, SimpleHistoryAdmin)
admin.site.register(ProgressNote, SimpleHistoryAdmin)
admin.site.register(Evidence, SimpleHistoryAdmin)
