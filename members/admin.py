from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chibo import figures

from .models import CommitteeSeat, Member, Position, TemporaryAttendance, Transfer


@admin.register(Member)
class MemberAdmin(figures.AdminChanges, SimpleHistoryAdmin):
    # A cell or a leaving date changed here changes the tree's counts.
    figure_kinds = (figures.TREE,)

    list_display = ["full_name", "cell", "status", "party_card_number", "is_exempt"]
    list_filter = ["status", "is_exempt", "is_away_for_work"]
    search_fields = ["full_name", "search_name", "party_card_number"]
    raw_id_fields = ["cell", "user"]


@admin.register(Position, CommitteeSeat, TemporaryAttendance)
class DatedAdmin(figures.AdminChanges, SimpleHistoryAdmin):
    # Seats decide the cadres and their quotas.
    figure_kinds = (figures.TREE,)

    raw_id_fields = ["member"]
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["member", "from_cell", "to_cell", "date", "recorded_by"]
    raw_id_fields = ["member", "from_cell", "to_cell"]
