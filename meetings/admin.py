from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["cadre", "cell", "starts_on", "ends_on"]
    raw_id_fields = ["cadre", "cell"]
