"""Write the tree, the members and their offices, and the accounts."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from chibo.models import Organization, OrganizationVersion, Reorganization, Role, RoleKind
from chibo.text import fold
from feedback.models import AnsweringBody, BodyKind
from meetings.models import Assignment
from members.models import CommitteeSeat, Member, Position, PositionKind

from .province import FOUNDED, Node, Province, holder

# The usernames the load benchmark signs in with.
PROVINCE_OFFICE = "province-office"
COMMUNE_OFFICE = "commune-office"
CELL_SECRETARY = "cell-secretary"
SCALE_CADRE = "scale-cadre"
SCALE_ANSWERER = "scale-answerer"


@dataclass
class Accounts:
    """Who signs in, and the users the history's rows name."""

    province_office: int
    commune_office: int
    cell_secretary: int
    cadre: int
    answerer: int
    commune: Node  # the commune of commune-office, cell-secretary and scale-cadre
    cell: Node  # cell-secretary's cell
    cadre_member: object
    bodies: dict  # commune pk -> AnsweringBody pk (its people's committee)
    body_names: dict  # AnsweringBody pk -> name


def write_tree(writer, province: Province) -> None:
    orgs = writer.sink(
        Organization,
        ["id", "path", "depth", "numchild", "code", "name", "kind", "search_name",
         "place_name", "founded_on", "dissolved_on", "meeting_day", "meeting_week",
         "meeting_weekday", "meeting_time", "meeting_place"],
    )  # fmt: skip
    versions = writer.sink(
        OrganizationVersion,
        ["id", "organization_id", "name", "kind", "parent_id", "valid_from", "valid_to"],
    )
    events = writer.sink(
        Reorganization,
        ["id", "kind", "date", "organization_id", "target_id", "old_name", "new_name",
         "decision", "recorded_by_id", "recorded_at"],
    )  # fmt: skip
    recorded = timezone.make_aware(datetime.datetime.combine(FOUNDED, datetime.time(8)))
    for node in province.nodes:
        parent_id = node.parent.pk if node.parent else None
        orgs.add(
            node.pk, node.path, node.depth, len(node.children), node.code, node.name, node.kind,
            _fold(node.name), node.place_name, FOUNDED, None, node.meeting_day,
            node.meeting_week, node.meeting_weekday, node.meeting_time, node.meeting_place,
        )  # fmt: skip
        versions.add(
            writer.next_id(OrganizationVersion), node.pk, node.name, node.kind, parent_id,
            FOUNDED, None,
        )  # fmt: skip
        events.add(
            writer.next_id(Reorganization), "founded", FOUNDED, node.pk, parent_id, "",
            node.name, "", None, recorded,
        )  # fmt: skip
    writer.flush()


def _fold(text: str) -> str:
    from chibo.text import fold

    return fold(text)


def write_accounts(writer, province: Province, *, password: str, today) -> Accounts:
    """Every cell secretary gets an account (their cell's minutes are finalized
    by it), plus the benchmark's office, secretary, cadre and answerer."""
    User = get_user_model()
    users = writer.sink(
        User,
        ["id", "password", "last_login", "is_superuser", "username", "first_name",
         "last_name", "email", "is_staff", "is_active", "date_joined"],
    )  # fmt: skip
    roles = writer.sink(Role, ["id", "user_id", "organization_id", "kind"])
    hashed = make_password(password)  # one hash for all: hashing 10,000 would take minutes
    joined = timezone.make_aware(datetime.datetime.combine(today, datetime.time(7)))

    def user(username: str, full_name: str) -> int:
        pk = writer.next_id(User)
        family_middle, _, given = full_name.rpartition(" ")
        users.add(pk, hashed, None, False, username, family_middle, given, "", False, True, joined)
        return pk

    def role(user_id: int, node: Node, kind: str) -> None:
        roles.add(writer.next_id(Role), user_id, node.pk, kind)

    commune = province.communes[0]
    chosen_cell = next(c for c in province.cells if c.path.startswith(commune.path))
    for cell in province.cells:
        secretary = holder(cell, PositionKind.SECRETARY)
        username = CELL_SECRETARY if cell is chosen_cell else f"bt-{cell.code}"
        cell.user_id = user(username, secretary.full_name)
        secretary.user_id = cell.user_id
        role(cell.user_id, cell, RoleKind.SECRETARY)
    cadre = next(a.holder for a in chosen_cell.assignments if a.holder.seats[0].place is commune)
    cadre.user_id = user(SCALE_CADRE, cadre.full_name)
    role(cadre.user_id, commune, RoleKind.CADRE)
    accounts = Accounts(
        province_office=user(PROVINCE_OFFICE, "Nguyễn Thị Văn Phòng"),
        commune_office=user(COMMUNE_OFFICE, "Trần Văn Văn Phòng"),
        cell_secretary=chosen_cell.user_id,
        cadre=cadre.user_id,
        answerer=user(SCALE_ANSWERER, "Lê Văn Trả Lời"),
        commune=commune,
        cell=chosen_cell,
        cadre_member=cadre,
        bodies={},
        body_names={},
    )
    role(accounts.province_office, province.root, RoleKind.STAFF)
    role(accounts.commune_office, commune, RoleKind.STAFF)
    for node in [province.root, *province.communes]:
        role(accounts.answerer, node, RoleKind.ANSWERER)
    _bodies(writer, province, accounts)
    writer.flush()
    return accounts


def _bodies(writer, province: Province, accounts: Accounts) -> None:
    """Each commune's people's committee answers part of the feedback."""
    bodies = writer.sink(
        AnsweringBody, ["id", "name", "search_name", "kind", "organization_id", "is_active"]
    )
    through = AnsweringBody.answerers.through
    links = writer.sink(through, ["id", "answeringbody_id", "user_id"])
    for commune in province.communes:
        pk = writer.next_id(AnsweringBody)
        name = f"Ủy ban nhân dân {commune.name.removeprefix('Đảng bộ ')}"
        bodies.add(pk, name, fold(name), BodyKind.PEOPLES_COMMITTEE, commune.pk, True)
        links.add(writer.next_id(through), pk, accounts.answerer)
        accounts.bodies[commune.pk] = pk
        accounts.body_names[pk] = name


def write_members(writer, province: Province) -> None:
    members = writer.sink(
        Member,
        ["id", "full_name", "search_name", "gender", "birth_date", "party_card_number",
         "joined_on", "official_on", "status", "cell_id", "is_exempt", "exempt_reason",
         "exempt_since", "is_away_for_work", "phone", "left_on", "user_id"],
    )  # fmt: skip
    for p in province.members:
        members.add(
            p.pk, p.full_name, p.search_name, p.gender, p.birth_date, p.card, p.joined_on,
            p.official_on, p.status, p.cell.pk, p.is_exempt, p.exempt_reason, p.exempt_since,
            p.is_away_for_work, p.phone, p.left_on, p.user_id,
        )  # fmt: skip
    writer.flush()
    positions = writer.sink(
        Position, ["id", "starts_on", "ends_on", "member_id", "cell_id", "kind"]
    )
    seats = writer.sink(
        CommitteeSeat, ["id", "starts_on", "ends_on", "member_id", "organization_id", "kind"]
    )
    assignments = writer.sink(
        Assignment, ["id", "starts_on", "ends_on", "cadre_id", "cell_id", "assigned_by_id"]
    )
    for cell in province.cells:
        for o in cell.positions:
            positions.add(o.pk, o.starts_on, o.ends_on, o.holder.pk, cell.pk, o.kind)
        for o in cell.assignments:
            assignments.add(o.pk, o.starts_on, o.ends_on, o.holder.pk, cell.pk, None)
    for cadre in province.cadres:
        for o in cadre.seats:
            seats.add(o.pk, o.starts_on, o.ends_on, cadre.pk, o.place.pk, o.kind)
    writer.flush()
