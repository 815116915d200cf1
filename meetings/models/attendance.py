"""Who was at a meeting."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member

from .schedule import Meeting


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    LATE = "late", _("late")
    ABSENT_EXCUSED = "absent_excused", _("absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("absent without reason")
    # Exempted members are listed but not expected; they may still come.
    EXEMPT = "exempt", _("exempted, not expected")


class Attendance(models.Model):
    """A member's attendance at a meeting: the home cell's members and those
    of other cells in temporary attendance (is_temporary)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("member"),
        db_index=False,  # attendance_member_history_idx leads with the member
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_temporary = models.BooleanField(_("in temporary attendance"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]
        indexes = [
            # A member's attendance over time, read from the index alone (the report's
            # absences in a row: every status of the absent members' last months).
            models.Index(
                fields=["member", "meeting", "status"], name="attendance_member_history_idx"
            ),
            # Who was absent without reason from a month's meetings (the report's
            # three-in-a-row): a few rows per meeting among a province's millions.
            models.Index(
                fields=["meeting", "member"],
                condition=models.Q(status="absent_unexcused"),
                name="attendance_unexcused_idx",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class Guest(models.Model):
    """A guest who is not an assigned cadre (assigned cadres are CadreVisits)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position, organization"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self):
        return self.name
