from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.plans import services
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

    def save_model(self, request: Any, obj: PlanTask, form: Any, change: bool) -> None:
        """A timing changed here: what the plan's totals count is derived again."""
        super().save_model(request, obj, form, change)
        services.store_due([services.task_row(obj)])


@admin.register(PlanEvent)
class PlanEventAdmin(SimpleHistoryAdmin):
    """An event corrected or removed here dates the tasks waiting for it again."""

    def save_model(self, request: Any, obj: PlanEvent, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.sync_agenda(obj.plan, services.rederive(obj.plan))

    def delete_model(self, request: Any, obj: PlanEvent) -> None:
        plan = obj.plan
        super().delete_model(request, obj)
        services.sync_agenda(plan, services.rederive(plan))

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        plans = list(Plan.objects.filter(events__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for plan in plans:
            services.sync_agenda(plan, services.rederive(plan))


admin.site.register(ProgressNote, SimpleHistoryAdmin)
admin.site.register(Evidence, SimpleHistoryAdmin)
