"""Records that hold for a period: a position, a seat, a stay, an assignment.

The period is [starts_on, ends_on): the end day is the first day it no longer
holds, and no end means it still does.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatedQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Those that hold on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on))


class Dated(models.Model):
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date) -> bool:
        """Whether it holds on `on` (the same test as DatedQuerySet.current)."""
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)
