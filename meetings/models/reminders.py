"""The delivery log that makes reminders idempotent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .schedule import Meeting


class ReminderLog(models.Model):
    """One row per message sent: (kind, user, meeting, day) is unique, so a
    retried or re-run task never sends the same reminder twice. `day` is the
    meeting's date the reminder announced: a meeting moved to another day is
    announced again."""

    kind = models.CharField(max_length=40, verbose_name=_("kind"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("meeting")
    )
    day = models.DateField(verbose_name=_("day"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "meeting", "day"], name="one_reminder_per_key"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.user} {self.meeting_id} {self.day:%d/%m/%Y}"
