from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    Membership,
    Province,
    RoleGrant,
    Unit,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")


@admin.register(Province)
class ProvinceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "province", "kind", "abbreviation", "valid_from", "valid_to")
    list_filter = ("province", "kind", "is_dost")
    search_fields = ("name", "abbreviation")
    autocomplete_fields = ("parent", "successor")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "agency", "kind", "is_active")
    list_filter = ("agency__province", "kind", "is_active")
    search_fields = ("name",)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "position", "unit", "is_active", "expires_on")
    list_filter = ("agency__province", "is_active")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user", "agency", "unit")
    inlines = [RoleGrantInline]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "agency", "kind", "effective_on")
    list_filter = ("paper__status", "agency__province")
    raw_id_fields = ("agency", "replaces", "paper")
    inlines = [CommitteeMemberInline]
