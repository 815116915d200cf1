from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chibo.selectors import tree_changed

from .models import CommitteeSeat, Member, Position, TemporaryAttendance, Transfer


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "cell", "status", "party_card_number", "is_exempt"]
    list_filter = ["status", "is_exempt", "is_away_for_work"]
    search_fields = ["full_name", "search_name", "party_card_number"]
    raw_id_fields = ["cell", "user"]

    # A cell or a leaving date changed here changes the tree's counts.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tree_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        tree_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        tree_changed()


@admin.register(Position, CommitteeSeat, TemporaryAttendance)
class DatedAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["member"]
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["member", "from_cell", "to_cell", "date", "recorded_by"]
    raw_id_fields = ["member", "from_cell", "to_cell"]
