from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, Organization, OrganizationVersion, Reorganization, Role
from .notifications import relay


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The operators' view of the outbox: failed e-mails with their error,
    and an action that queues them again."""

    list_display = ["created_at", "kind", "recipient", "email_state", "email_attempts", "read_at"]
    list_filter = ["email_state", "kind"]
    search_fields = ["recipient__username", "recipient__email", "key"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    @admin.action(description=_("Send the failed e-mails again"))
    def send_again(self, request, queryset):
        count = relay.resend(queryset)
        message = ngettext("%(n)s e-mail queued again.", "%(n)s e-mails queued again.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False
