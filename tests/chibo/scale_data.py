"""What the seed_scale tests share: a fixed now, the sizes, one build per module."""

import datetime
import hashlib
import random
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from chibo.demo.scale import build_scale
from chibo.demo.scale.history import History, Item, MeetingRow
from chibo.demo.scale.province import Node, Person, build_province, settle
from chibo.models import Organization
from feedback.models import FeedbackEvent, FeedbackItem
from meetings.models import Attendance, Minutes
from members.models import Member, MemberStatus

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


# In memory: a province, its people and the player, without a database --------------

START = datetime.date(2023, 12, 1)
TODAY = NOW.date()


class FakeWriter:
    """Counts keys and keeps rows as dicts, per model: no database."""

    def __init__(self):
        self.ids: Counter = Counter()
        self.rows: dict = {}

    def next_id(self, model):
        self.ids[model] += 1
        return self.ids[model]

    def flush(self):
        pass

    def sink(self, model, columns):
        rows = self.rows.setdefault(model, [])
        return SimpleNamespace(
            columns=columns,
            add=lambda *values: rows.append(dict(zip(columns, values, strict=True))),
        )


def province(cells=20, members=400, seed=1):
    built = build_province(
        writer=FakeWriter(), rng=random.Random(seed), cells=cells, members=members, start=START
    )
    settle(built, TODAY)
    return built


def node(pk=1, name="Chi bộ thôn 1", kind="cell", path="00010001", parent=None):
    return Node(pk, f"code-{pk}", name, kind, path, parent=parent)


def person(pk, cell, **fields):
    values = {
        "full_name": f"Nguyễn Văn {pk}",
        "search_name": f"nguyen van {pk}",
        "gender": "male",
        "birth_date": datetime.date(1970, 1, 1),
        "joined_on": datetime.date(2000, 1, 1),
        "official_on": datetime.date(2001, 1, 1),
        "status": MemberStatus.OFFICIAL,
        **fields,
    }
    return Person(pk=pk, cell=cell, **values)


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


CATEGORY = SimpleNamespace(pk=1, code="dat-dai", name="Đất đai", default_days=30)


def player(seed="t", months=3, holidays=()):
    built = province(cells=20, members=400)
    accounts = SimpleNamespace(
        answerer=900,
        bodies={c.pk: 7 + n for n, c in enumerate(built.communes)},
        body_names={7 + n: f"Ủy ban nhân dân xã {n}" for n in range(len(built.communes))},
        cell=built.cells[0],
    )
    w = FakeWriter()
    play = History(
        writer=w, province=built, accounts=accounts, seed=1, now=NOW, months=months,
        holidays=set(holidays), categories=[CATEGORY],
    )  # fmt: skip
    play.cell_rng = random.Random(seed)
    return play, w, built


def item_at(play, built, raised: datetime.datetime, **fields) -> Item:
    cell = built.cells[0]
    meeting = MeetingRow(1, cell, "regular", raised.date().replace(day=1), "", False, raised)
    return Item(
        pk=play.w.next_id(FeedbackItem), cell=cell, meeting=meeting, category=CATEGORY,
        text="Đề nghị ...", raised_at=raised, recorded_by=cell.user_id or 1,
        state_changed_at=raised, **fields,
    )  # fmt: skip
