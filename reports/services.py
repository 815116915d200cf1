"""Issuing a report: its number, given once per organization and period."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from chibo.models import Organization

from .models import IssuedReport
from .periods import Period

# Two clerks issuing at the same moment both read the same largest number;
# the unique constraint refuses the second, which takes the next one.
ATTEMPTS = 5


def issue(*, organization: Organization, period: Period, on: datetime.date, by) -> IssuedReport:
    """The report's number: the one it was given, else the issuing body's
    next number of the year `on` lies in."""
    for _attempt in range(ATTEMPTS):
        found = IssuedReport.objects.filter(organization=organization, period=period.code).first()
        if found is not None:
            return found
        largest = IssuedReport.objects.filter(organization=organization, year=on.year).aggregate(
            n=Max("number")
        )["n"]
        try:
            with transaction.atomic():
                return IssuedReport.objects.create(
                    organization=organization,
                    period=period.code,
                    year=on.year,
                    number=(largest or 0) + 1,
                    issued_by=by,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not give the report a number")  # pragma: no cover - contention


def issued(organization: Organization, period: Period) -> IssuedReport | None:
    return (
        IssuedReport.objects.filter(organization=organization, period=period.code)
        .select_related("issued_by")
        .first()
    )
