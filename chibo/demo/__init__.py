"""Demo data drawn from the seed articles: `python manage.py seed_demo`.

build_demo() runs STEPS in order inside one transaction. Each step takes the
shared Demo and creates only what is missing (keyed by organization code,
party card number, username...), so running it again changes nothing. To add
demo meetings or feedback, write a module here with a `build(demo)` and
append it to STEPS: it can use demo.org(code), demo.member(tag) and
demo.today, and should count what it creates in demo.created.
"""

from django.db import transaction
from django.utils import timezone

from chibo import figures

from . import accounts, committees, feedback, meetings, members, organizations, reorganizations
from .base import PASSWORD, Demo

__all__ = ["PASSWORD", "STEPS", "Demo", "build_demo", "summary"]

STEPS = [
    organizations.build,
    members.build,
    committees.build,
    reorganizations.build,  # after members: dissolving a cell moves its members
    accounts.build,
    feedback.prepare,  # after accounts: the demo users record, forward, answer, read back
    meetings.build,  # after accounts (the secretary and cadre write); plays the feedback beside
    feedback.build,  # the rest of the feedback stories, up to today
]


@transaction.atomic
def build_demo(*, today=None) -> Demo:
    demo = Demo(today=today or timezone.localdate())
    for step in STEPS:
        step(demo)
    # The steps write past the services: every cached figure is stale.
    figures.changed(*figures.KINDS)
    return demo


def summary(demo: Demo) -> dict[str, int]:
    """How many demo rows exist now, by kind (for the command's output)."""
    from django.contrib.auth import get_user_model

    from chibo.models import Reorganization, ReorganizationKind, Role
    from meetings.models import Assignment
    from members.models import CommitteeSeat, Position

    orgs = organizations.demo_organizations()
    people = members.demo_members()
    usernames = [account.username for account in accounts.ACCOUNTS]
    return {
        "organizations": orgs.count(),
        "active cells": orgs.cells().active(demo.today).count(),
        "members": people.count(),
        "positions": Position.objects.filter(member__in=people).count(),
        "committee seats": CommitteeSeat.objects.filter(member__in=people).count(),
        "assignments": Assignment.objects.filter(cadre__in=people).count(),
        "reorganizations": Reorganization.objects.filter(organization__in=orgs)
        .exclude(kind=ReorganizationKind.FOUNDED)
        .count(),
        "users": get_user_model().objects.filter(username__in=usernames).count(),
        "roles": Role.objects.filter(user__username__in=usernames).count(),
        **meetings.summary(),
        **feedback.summary(),
    }
