"""The numbers of the reports an organization issues (36-HD/VPTW: numbered
per year for each issuing body)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.models import Organization


class IssuedReport(models.Model):
    """A report given its issuing body's next number of the year. A period's
    report keeps its number: asked again, the same number is printed."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="issued_reports",
        verbose_name=_("issuing organization"),
    )
    period = models.CharField(_("period"), max_length=10)  # periods.Period.code
    year = models.PositiveSmallIntegerField(_("year of issue"))
    number = models.PositiveIntegerField(_("number"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="one_report_number_a_year"
            ),
            models.UniqueConstraint(
                fields=["organization", "period"], name="one_number_per_period_report"
            ),
        ]

    def __str__(self):
        return f"{self.number:02d}/{self.year} {self.organization} ({self.period})"
