"""What the seed_scale tests share: a fixed now, the sizes, one build per module."""

import datetime
import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from chibo.demo.scale import build_scale
from chibo.models import Organization
from feedback.models import FeedbackEvent, FeedbackItem
from meetings.models import Attendance, Minutes
from members.models import Member

# A fixed "now": the same seed then gives the same rows, whatever the day the tests run.
NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
SMALL = {"cells": 20, "members": 400, "months": 3}


def seed(**options):
    return build_scale(now=NOW, **{**SMALL, **options})


def module_province(**options):
    """A module-scoped fixture: the province built once, rolled back after the module."""

    @pytest.fixture(scope="module")
    def province(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield seed(**options)
            transaction.set_rollback(True)

    return province


def fingerprint() -> str:
    """A hash of the rows that matter, keys included."""
    parts = [
        list(Organization.objects.order_by("pk").values_list("pk", "path", "name", "kind")),
        list(Member.objects.order_by("pk").values_list("pk", "full_name", "cell_id", "status")),
        list(Attendance.objects.order_by("pk").values_list("meeting_id", "member_id", "status")),
        list(Minutes.objects.order_by("pk").values_list("pk", "state", "number", "snapshot")),
        list(FeedbackItem.objects.order_by("pk").values_list("pk", "state", "due_on")),
        list(FeedbackEvent.objects.order_by("pk").values_list("item_id", "action", "at")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
