from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chibo import figures

from .models import Assignment, CadreVisit, Holiday, Meeting, QuotaRule


@admin.register(Assignment)
class AssignmentAdmin(figures.AdminChanges, SimpleHistoryAdmin):
    figure_kinds = (
        figures.TREE,
        figures.VISITS,
    )
    list_display = ["cadre", "cell", "starts_on", "ends_on"]
    raw_id_fields = ["cadre", "cell"]


@admin.register(Holiday)
class HolidayAdmin(figures.AdminChanges, admin.ModelAdmin):
    figure_kinds = (figures.VISITS,)
    """Public holidays are data per year: add next year's Tết here."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(QuotaRule)
class QuotaRuleAdmin(figures.AdminChanges, admin.ModelAdmin):
    figure_kinds = (figures.VISITS,)
    list_display = ["organization_kind", "organization", "seat_kind", "visits_per_year"]
    list_editable = ["visits_per_year"]
    list_filter = ["organization_kind", "seat_kind"]
    raw_id_fields = ["organization"]


@admin.register(Meeting)
class MeetingAdmin(figures.AdminChanges, SimpleHistoryAdmin):
    figure_kinds = (figures.MEETINGS,)
    list_display = ["cell", "kind", "period", "scheduled_at", "state"]
    list_filter = ["kind", "state", "period"]
    date_hierarchy = "scheduled_at"
    search_fields = ["cell__name", "cell__code", "topic"]
    raw_id_fields = ["cell", "created_by"]
    list_select_related = ["cell"]


@admin.register(CadreVisit)
class CadreVisitAdmin(figures.AdminChanges, SimpleHistoryAdmin):
    figure_kinds = (figures.VISITS,)
    list_display = ["cadre", "meeting", "attended", "updated_at"]
    list_filter = ["attended"]
    search_fields = ["cadre__full_name", "meeting__cell__name"]
    raw_id_fields = ["meeting", "cadre", "updated_by"]
    list_select_related = ["cadre", "meeting__cell"]
