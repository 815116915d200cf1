"""A province to measure on: `python manage.py seed_scale`.

build_scale() writes a deterministic province (tree, members, offices,
accounts, then each cell's months) with writer.Writer: COPY on PostgreSQL,
batched INSERTs on SQLite, no per-row ORM save. It refuses a database that
already holds organizations unless `reset=True`, which first empties the
product's tables (the reference data that migrations seed, holidays,
quota rules and feedback categories, is kept).

History (django-simple-history) is written only where the product reads
it back: one row per minutes, which the minutes' history page and the
autosave's merge read. Members, attendance, meetings and the rest get
none, as rows imported in bulk would not.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from chibo import figures

from .people import (
    CELL_SECRETARY,
    COMMUNE_OFFICE,
    PROVINCE_OFFICE,
    SCALE_ANSWERER,
    SCALE_CADRE,
    write_accounts,
    write_members,
    write_tree,
)
from .province import build_province, settle
from .writer import Writer

USERNAMES = [PROVINCE_OFFICE, COMMUNE_OFFICE, CELL_SECRETARY, SCALE_CADRE, SCALE_ANSWERER]
PRODUCT_APPS = ["chibo", "members", "meetings", "feedback", "reports"]
KEPT = {"meetings.holiday", "meetings.quotarule", "feedback.category"}


class Refused(Exception):
    """The database holds data that seed_scale would mix with its own."""


@dataclass
class Result:
    counts: dict[str, int]
    stages: list[tuple[str, float]] = field(default_factory=list)
    feedback_states: dict[str, int] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(seconds for _stage, seconds in self.stages)


def build_scale(
    *,
    cells: int,
    members: int,
    months: int,
    seed: int = 1,
    password: str = "chibo-scale",
    reset: bool = False,
    now: datetime.datetime | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> Result:
    if cells < 1 or months < 1 or members < 3 * cells:
        raise ValueError("Need at least one cell, one month and three members per cell.")
    now = now or timezone.now()
    result = Result(counts={})
    writer = Writer()

    def stage(name: str, work: Callable):
        started = time.monotonic()
        value = work()
        result.stages.append((name, time.monotonic() - started))
        log(f"{name}: {result.stages[-1][1]:.1f} s")
        return value

    stage("check", lambda: _check(reset))
    if reset:
        stage("reset", empty_product_tables)
    today = timezone.localdate(now)
    first = _first_month(today, months)
    rng = random.Random(seed)
    province = stage(
        "tree and members (memory)",
        lambda: build_province(writer=writer, rng=rng, cells=cells, members=members, start=first),
    )
    settle(province, today)
    stage("organizations", lambda: write_tree(writer, province))
    accounts = stage(
        "accounts", lambda: write_accounts(writer, province, password=password, today=today)
    )
    stage("members, positions, seats, assignments", lambda: write_members(writer, province))
    history = stage("meetings", lambda: _play(writer, province, accounts, seed, now, months))
    stage("sequences", writer.finish)
    stage("analyze", _analyze)
    # Written in bulk past the services: every cached figure is stale.
    figures.changed(*figures.KINDS)
    result.counts = dict(sorted(writer.counts.items()))
    result.feedback_states = dict(sorted(history.counts["feedback states"].items()))
    return result


def _first_month(today: datetime.date, months: int) -> datetime.date:
    from meetings import calendar

    return calendar.add_months(calendar.first_of_month(today), -months)


def _check(reset: bool) -> None:
    from chibo.models import Organization

    if reset:
        return
    count = Organization.objects.count()
    if count:
        raise Refused(
            f"The database already holds {count} organizations: seed_scale writes a whole "
            "province of its own. Pass --reset to empty the product's tables first."
        )
    taken = get_user_model().objects.filter(username__in=USERNAMES)
    if taken.exists():
        names = ", ".join(taken.values_list("username", flat=True))
        raise Refused(f"Accounts {names} exist already. Pass --reset to empty the tables first.")


def _tables() -> list:
    """The product's models (their history and many-to-many tables too) and the users."""
    models = [
        m
        for label in PRODUCT_APPS
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models = [m for m in models if m._meta.label_lower not in KEPT]
    User = get_user_model()
    models += [User, User.groups.through, User.user_permissions.through]
    models += [apps.get_model("sessions", "Session"), apps.get_model("admin", "LogEntry")]
    return models


def empty_product_tables() -> None:
    """Empty every product table but the reference data the migrations seed."""
    from meetings.models import QuotaRule

    # A quota rule for one organization goes with the organizations; the general ones stay.
    kept_rules = list(QuotaRule.objects.filter(organization__isnull=True).values())
    models = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            # Checks still deferred in an enclosing transaction would forbid TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # CASCADE reaches quota_rule (it points at organizations): restored below.
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            QuotaRule.objects.bulk_create([QuotaRule(**row) for row in kept_rules])
        else:
            QuotaRule.objects.filter(organization__isnull=False).delete()
            for model in models:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _play(writer, province, accounts, seed, now, months):
    from feedback.models import Category
    from meetings.models import Holiday

    from .history import History

    history = History(
        writer=writer,
        province=province,
        accounts=accounts,
        seed=seed,
        now=now,
        months=months,
        holidays=set(Holiday.objects.values_list("date", flat=True)),
        categories=list(Category.objects.filter(is_active=True).order_by("order", "pk")),
    )
    for cell in province.cells:
        history.play(cell)
        writer.maybe_flush()
    writer.flush()
    return history


def _analyze() -> None:
    # Fresh statistics, so the first pages measured get the planner's real choices.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
