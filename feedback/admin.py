from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chibo import figures

from .models import AnsweringBody, Category, FeedbackEvent, FeedbackItem
from .workflow import MOVES

# The timeline's steps that are not workflow moves, by their stored code.
OTHER_STEPS = {
    "record": _("recorded"),
    "edit": _("corrected"),
    "due_date": _("due date changed"),
    "link": _("linked"),
    "unlink": _("unlinked"),
    "overdue": _("reported overdue"),
}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "default_days", "order", "is_active"]
    list_editable = ["default_days", "order", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(AnsweringBody)
class AnsweringBodyAdmin(figures.AdminChanges, admin.ModelAdmin):
    # Who answers for a body changes what waits for them on the dashboard.
    figure_kinds = (figures.FEEDBACK,)

    list_display = ["name", "kind", "organization", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["answerers"]


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ["at", "step", "from_state", "to_state", "by", "note"]
    readonly_fields = fields

    @admin.display(description=_("action"))
    def step(self, event):
        """The step's name, not its stored code."""
        move = MOVES.get(event.action)
        return move.label if move else OTHER_STEPS.get(event.action, event.action)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    """Read only: items move through the workflow's services, never by hand."""

    list_display = ["number", "cell", "category", "state", "due_on", "raised_on"]
    list_filter = ["state", "category"]
    search_fields = ["search_text"]
    list_select_related = ["cell", "category"]
    inlines = [EventInline]

    @admin.display(description=_("number"), ordering="pk")
    def number(self, item):
        return f"#{item.pk}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
