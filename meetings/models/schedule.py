"""Meetings and the calendar they are planned on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.models import Organization, OrganizationKind


class Holiday(models.Model):
    """A public holiday (Tết included): data per year, not code."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("regular meeting")
    THEMATIC = "thematic", _("thematic meeting")
    EXTRAORDINARY = "extraordinary", _("extraordinary meeting")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(models.Model):
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind": OrganizationKind.CELL},
        verbose_name=_("cell"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    # First day of the month a regular meeting belongs to (it may be moved
    # into the next month by a holiday or a postponement; it stays that month's).
    period = models.DateField(_("month"))
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # A thematic part held in the same session after the regular one (120 min).
    has_thematic_part = models.BooleanField(_("with a thematic part"), default=False)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    state_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "period"],
                condition=Q(kind="regular"),
                name="one_regular_meeting_per_cell_and_month",
            ),
            models.CheckConstraint(
                condition=~Q(kind="thematic") | ~Q(topic=""), name="thematic_meeting_has_topic"
            ),
        ]
        indexes = [
            models.Index(fields=["cell", "scheduled_at"]),
            # The meeting list's order (newest first) for a wide scope.
            models.Index(fields=["scheduled_at", "id"], name="meetings_meeting_newest_idx"),
            # A report's month across a province: every meeting of a period, whatever the cell
            # (the unique (cell, period) index leads with the cell).
            models.Index(fields=["period", "cell"], name="meetings_meeting_period_idx"),
        ]

    def __str__(self):
        return f"{self.cell} – {self.get_kind_display()} {self.scheduled_at:%d/%m/%Y}"
