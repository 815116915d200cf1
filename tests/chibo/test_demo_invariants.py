"""Invariants the whole demo must keep, whatever story a module adds: the
dated history of every organization is a clean sequence, nobody is on the
roll of a dissolved cell, the folded search copies match their names, and
the periods of positions and seats do not overlap.

Seeded once for the module, like tests/chibo/test_seed_demo.py.
"""

import datetime
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chibo.models import Organization, OrganizationVersion, Reorganization, ReorganizationKind
from chibo.text import fold
from chibo.tree import tree_on
from feedback.models import FeedbackItem
from members.models import CommitteeSeat, Member, MemberStatus, Position

FAR_PAST = datetime.date(1900, 1, 1)
# NULL (valid since always) first, on SQLite and PostgreSQL alike.
OLDEST_FIRST = F("valid_from").asc(nulls_first=True)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def today():
    return timezone.localdate()


def versions_by_organization():
    found = defaultdict(list)
    for version in OrganizationVersion.objects.order_by(OLDEST_FIRST, "id"):
        found[version.organization_id].append(version)
    return found


def test_every_organization_has_versions_that_follow_each_other(seeded, db):
    found = versions_by_organization()
    problems = []
    for org in Organization.objects.all():
        versions = found[org.pk]
        if not versions:
            problems.append((org.code, "no version"))
            continue
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.valid_to != later.valid_from:
                problems.append((org.code, earlier.valid_to, later.valid_from))
        for version in versions:
            if version.valid_from and version.valid_to and version.valid_to <= version.valid_from:
                problems.append((org.code, "empty", version.valid_from, version.valid_to))
    assert problems == []


def test_a_live_organization_has_one_open_version_a_dissolved_one_none(seeded, db):
    found = versions_by_organization()
    for org in Organization.objects.all():
        last = found[org.pk][-1]
        if org.dissolved_on is None:
            assert last.valid_to is None, org.code
            assert (last.name, last.kind) == (org.name, org.kind), org.code
        else:
            assert last.valid_to == org.dissolved_on, org.code
        assert sum(v.valid_to is None for v in found[org.pk]) == (org.dissolved_on is None)


def test_the_open_versions_parent_is_the_trees_parent(seeded, db):
    for version in OrganizationVersion.objects.filter(valid_to__isnull=True):
        org = Organization.objects.get(pk=version.organization_id)
        assert version.parent == Organization.objects.get_parent(org), org.code


def test_every_closing_event_matches_the_dissolution_date(seeded, db):
    closing = Reorganization.objects.filter(
        kind__in=[ReorganizationKind.MERGED, ReorganizationKind.DISSOLVED]
    ).select_related("organization", "target")
    assert closing.exists()
    for event in closing:
        assert event.date == event.organization.dissolved_on, event.organization.code
        if event.kind == ReorganizationKind.MERGED:
            assert event.target.is_active_on(event.date), event.target.code
    dissolved = Organization.objects.filter(dissolved_on__isnull=False)
    assert dissolved.count() == closing.count()


def test_every_move_changes_the_parent_on_its_date(seeded, db):
    for event in Reorganization.objects.filter(kind=ReorganizationKind.MOVED):
        org = event.organization
        assert org.version_on(event.date).parent == event.target, org.code
        before = org.version_on(event.date - datetime.timedelta(days=1))
        assert before.parent != event.target, org.code


def test_each_organization_appears_once_in_the_tree_of_any_date(seeded, db, today):
    def codes(nodes):
        for node in nodes:
            yield node.organization.code
            yield from codes(node.children)

    for day in (datetime.date(2018, 1, 1), datetime.date(2025, 6, 30), today):
        seen = list(codes(tree_on(day)))
        assert len(seen) == len(set(seen)), day
        live = set(Organization.objects.active(day).values_list("code", flat=True))
        assert set(seen) == live, day


def test_nobody_is_on_the_roll_of_a_dissolved_cell(seeded, db):
    stranded = Member.objects.on_roll().filter(cell__dissolved_on__isnull=False)
    assert list(stranded.values_list("full_name", "cell__code")) == []


def test_every_active_cell_has_at_least_three_official_members(seeded, db, today):
    small = [
        cell.code
        for cell in Organization.objects.cells().active(today)
        if cell.members.on_roll().filter(status=MemberStatus.OFFICIAL).count() < 3
    ]
    assert small == []


def test_party_card_numbers_are_unique(seeded, db):
    numbers = list(
        Member.objects.exclude(party_card_number__isnull=True)
        .exclude(party_card_number="")
        .values_list("party_card_number", flat=True)
    )
    assert len(numbers) > 500
    assert len(numbers) == len(set(numbers))


def test_the_folded_copies_match_the_names(seeded, db):
    # The demo creates members in bulk: the fields fill themselves there too.
    wrong_orgs = [o.code for o in Organization.objects.all() if o.search_name != fold(o.name)]
    wrong_members = [m.pk for m in Member.objects.all() if m.search_name != fold(m.full_name)]
    assert (wrong_orgs, wrong_members) == ([], [])
    assert FeedbackItem.objects.exists()
    assert not FeedbackItem.objects.filter(search_text="").exists()


def overlaps(rows):
    """Pairs of periods of the same key that overlap ([starts_on, ends_on))."""
    by_key = defaultdict(list)
    for key, starts_on, ends_on in rows:
        by_key[key].append((starts_on, ends_on or datetime.date.max))
    clashes = []
    for key, periods in by_key.items():
        periods.sort()
        for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
            if start < end:
                clashes.append(key)
    return clashes


def test_a_cell_never_has_two_secretaries_at_once(seeded, db):
    rows = Position.objects.filter(kind="secretary").values_list("cell_id", "starts_on", "ends_on")
    assert overlaps(rows) == []


def test_a_member_never_holds_one_seat_twice_at_once(seeded, db):
    rows = [
        ((member, org, kind), starts_on, ends_on)
        for member, org, kind, starts_on, ends_on in CommitteeSeat.objects.values_list(
            "member_id", "organization_id", "kind", "starts_on", "ends_on"
        )
    ]
    assert overlaps(rows) == []


def test_current_positions_are_held_by_members_on_the_cells_roll(seeded, db, today):
    misplaced = [
        (p.member.full_name, p.cell.code)
        for p in Position.objects.current(today).select_related("member", "cell")
        if p.member.cell_id != p.cell_id or p.member.left_on is not None
    ]
    assert misplaced == []


def test_periods_end_after_they_start(seeded, db):
    for model in (Position, CommitteeSeat):
        bad = model.objects.filter(ends_on__isnull=False, ends_on__lte=F("starts_on"))
        assert list(bad) == [], model.__name__


def test_the_demo_has_nothing_dated_in_the_far_future(seeded, db, today):
    horizon = today + datetime.timedelta(days=400)
    assert not Reorganization.objects.filter(date__gt=horizon).exists()
    assert not Organization.objects.filter(founded_on__gt=today).exists()
    assert not OrganizationVersion.objects.filter(valid_from__lt=FAR_PAST).exists()
