from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, OrganizationVersion, Reorganization, Role


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """Names and places in the tree change only through dated reorganizations."""

    list_display = ["name", "kind", "code", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["name", "search_name", "code"]
    readonly_fields = ["name", "kind", "founded_on", "dissolved_on"]
    exclude = ["path", "depth", "numchild"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganizationVersion)
class OrganizationVersionAdmin(admin.ModelAdmin):
    list_display = ["organization", "name", "parent", "valid_from", "valid_to"]
    search_fields = ["name"]
    raw_id_fields = ["organization", "parent"]


@admin.register(Reorganization)
class ReorganizationAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "organization", "target", "decision", "recorded_by"]
    list_filter = ["kind"]
    raw_id_fields = ["organization", "target"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user", "organization"]
