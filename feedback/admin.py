from django.contrib import admin

from .models import AnsweringBody, Category, FeedbackEvent, FeedbackItem


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "default_days", "order", "is_active"]
    list_editable = ["default_days", "order", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(AnsweringBody)
class AnsweringBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["answerers"]


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    """Read only: items move through the workflow's services, never by hand."""

    list_display = ["pk", "cell", "category", "state", "due_on", "raised_on"]
    list_filter = ["state", "category"]
    search_fields = ["search_text"]
    list_select_related = ["cell", "category"]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
