"""Cadres assigned to cells, their yearly quotas and their visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.models import Organization, OrganizationKind
from members.models import DatedQuerySet, Member, SeatKind

from .schedule import Meeting


class Assignment(models.Model):
    """A cadre assigned to attend a cell's meetings for a period (ends_on exclusive)."""

    cadre = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("cadre")
    )
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"kind": OrganizationKind.CELL},
        verbose_name=_("cell"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("assigned by"),
    )

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cell", "starts_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.cadre} → {self.cell}"


class QuotaRule(models.Model):
    """Visits a year owed by a cadre with a seat of `seat_kind` on a committee
    of `organization_kind` (or of one organization, when set). Editable data:
    Mai Sơn set standing ≥ 2, executive ≥ 3, commune executive ≥ 2."""

    organization_kind = models.CharField(
        _("committee level"), max_length=20, choices=OrganizationKind.choices
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only for this committee; empty for every committee of that level."),
        verbose_name=_("organization"),
    )
    seat_kind = models.CharField(_("committee"), max_length=20, choices=SeatKind.choices)
    visits_per_year = models.PositiveSmallIntegerField(_("visits a year"))

    class Meta:
        verbose_name = _("quota rule")
        verbose_name_plural = _("quota rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_kind", "organization", "seat_kind"], name="one_quota_rule"
            )
        ]

    def __str__(self):
        level, seat = self.get_organization_kind_display(), self.get_seat_kind_display()
        return f"{level} {seat}: {self.visits_per_year}"


class CadreVisit(models.Model):
    """An assigned cadre at a meeting. The secretary's attendance screen and
    the cadre's own record edit this same row, so they always agree."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="cadre_visits", verbose_name=_("meeting")
    )
    cadre = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cadre")
    )
    attended = models.BooleanField(_("attended"), default=True)
    reported = models.TextField(_("what the cadre reported"), blank=True)
    heard = models.TextField(_("what the cadre heard"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadre visit")
        verbose_name_plural = _("cadre visits")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "cadre"], name="one_visit_per_cadre_and_meeting"
            )
        ]

    def __str__(self):
        return f"{self.cadre} @ {self.meeting}"
