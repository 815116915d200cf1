"""The demo cells' members and their positions (secretary, deputy, committee)."""

from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from chibo.models import Organization
from chibo.text import fold
from members.models import Member, MemberStatus, Position

from .base import Demo
from .organizations import ROOTS
from .roster import ROSTERS, Person


def demo_members():
    """Members anywhere under the demo provinces (transfers keep them there)."""
    roots = Q(pk__in=[])
    for path in Organization.objects.filter(code__in=ROOTS).values_list("path", flat=True):
        roots |= Q(cell__path__startswith=path)
    return Member.objects.filter(roots)


def member_ids(demo: Demo) -> dict:
    """Roster key (card, or name and birth date) -> Member id, for the demo's members."""
    ids = {}
    for pk, card, name, born in demo_members().values_list(
        "pk", "party_card_number", "full_name", "birth_date"
    ):
        ids[card or (name, born)] = pk
    return ids


def build(demo: Demo) -> None:
    people = demo.roster.people
    cells = dict(
        Organization.objects.filter(code__in={p.cell for p in people}).values_list("code", "pk")
    )
    known = member_ids(demo)
    new = [_member(p, cells[p.cell]) for p in people if p.key not in known]
    # bulk_create skips save(), so search_name is folded here.
    bulk_create_with_history(new, Member, batch_size=500)
    demo.created["members"] += len(new)
    _positions(demo, cells)


def _member(person: Person, cell_id: int) -> Member:
    return Member(
        full_name=person.full_name,
        search_name=fold(person.full_name),
        gender=person.gender,
        birth_date=person.birth_date,
        party_card_number=person.card,
        joined_on=person.joined_on,
        official_on=person.official_on,
        status=MemberStatus.OFFICIAL if person.card else MemberStatus.PROBATIONARY,
        cell_id=cell_id,
        is_exempt=person.is_exempt,
        exempt_reason=person.exempt_reason,
        exempt_since=person.exempt_since,
        is_away_for_work=person.is_away,
    )


def _positions(demo: Demo, cells: dict[str, int]) -> None:
    """Positions held in the first home cell; a dissolved cell's end with it."""
    ids = member_ids(demo)
    specs = {spec.code: spec for spec in ROSTERS}
    have = set(
        Position.objects.filter(cell_id__in=cells.values()).values_list(
            "member_id", "cell_id", "kind"
        )
    )
    new = []
    for person in demo.roster.people:
        spec = specs[person.cell]
        for kind in person.positions:
            row = (ids[person.key], cells[person.cell], kind)
            if row not in have:
                new.append(
                    Position(
                        member_id=row[0],
                        cell_id=row[1],
                        kind=kind,
                        starts_on=spec.term_start,
                        ends_on=spec.dissolved_on,
                    )
                )
    bulk_create_with_history(new, Position)
    demo.created["positions"] += len(new)
