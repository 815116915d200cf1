"""Meetings of party cells, and the cadres assigned to attend them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.models import Organization, OrganizationKind
from members.models import DatedQuerySet, Member


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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
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
