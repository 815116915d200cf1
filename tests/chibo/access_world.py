"""The world the URL access matrix runs in: one of everything in every place.

    P (province) ─┬─ A (commune) ─┬─ A1 (cell)
                  │               ├─ A2 (cell)
                  │               └─ S (sub-committee) ── S1 (cell)
                  ├─ B (commune) ── B1 (cell)
                  └─ P1 (cell directly under the province)

Every cell has a member, an assignment, a held meeting with draft minutes
and a cadre visit, and a feedback item with an attached file, routed to the
cell's parent (A2's to the people's committee of A, an answering body kept as
data). Node roles (admin, staff, cadre, answerer) sit on A, cell roles
(secretary, deputy) on A1; the cadre is assigned to A1; the body user answers
for A's people's committee without holding any role, as the demo's
`ubnd-co-noi` does; the stranger is signed in with no role at all.

Nothing in the B subtree or in P1 is within anyone's reach: their names carry
LEAK, and no page shown to any of these users may contain it.
"""

import datetime
from types import SimpleNamespace

from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.models import ExportFile, ExportStatus, Notification
from feedback.models import Attachment
from meetings.models import CadreVisit
from members.models import Member
from members.xlsx.exporter import export_members
from tests.factories import (
    AnsweringBodyFactory,
    AssignmentFactory,
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

LEAK = "LEAK"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
CELLS = ("A1", "A2", "S1", "B1", "P1")
OUT_OF_REACH = ("B", "B1", "P1")

# Where each relation points, per kind of user: an organization for pages
# about organizations, a cell for records kept in cells (members, meetings,
# minutes, assignments, feedback). A cell has no child, and no records live in
# the organization above it, so cell roles have no "child" and, for records,
# no "parent".
ORGANIZATION_PLACES = {
    "node": {"own": "A", "child": "S", "sibling": "B", "parent": "P"},
    "cell": {"own": "A1", "sibling": "A2", "parent": "A"},
}
CELL_PLACES = {
    "node": {"own": "A1", "child": "S1", "sibling": "B1", "parent": "P1"},
    # the body's own items are those routed to it: A2's
    "body": {"own": "A2", "child": "S1", "sibling": "B1", "parent": "P1"},
    "cell": {"own": "A1", "sibling": "A2"},
}
USER_KIND = {
    "admin": "node",
    "staff": "node",
    "secretary": "cell",
    "deputy": "cell",
    "cadre": "node",
    "answerer": "node",
    "body": "body",
    "stranger": "node",
}
ROLES = tuple(USER_KIND)
RELATIONS = ("own", "child", "sibling", "parent")


def _name(place: str, text: str) -> str:
    return f"{text} {LEAK}" if place in OUT_OF_REACH else text


def build_world() -> SimpleNamespace:
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh P", code="tinh-p")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã A", code="xa-a")
    b = OrganizationFactory(parent=p, name=_name("B", "Đảng bộ xã B"), code="xa-b")
    s = OrganizationFactory(parent=a, kind="subcommittee", name="Đảng bộ bộ phận S", code="bp-s")
    parents = {"A1": a, "A2": a, "S1": s, "B1": b, "P1": p}
    orgs = {"P": p, "A": a, "B": b, "S": s}
    for place, parent in parents.items():
        orgs[place] = CellFactory(parent=parent, name=_name(place, f"Chi bộ {place}"))
    body = AnsweringBodyFactory(name="Ủy ban nhân dân xã A", organization=a)

    users = {role: UserFactory(username=f"matrix-{role}") for role in ROLES}
    for role in ("admin", "staff", "cadre", "answerer"):
        RoleFactory(user=users[role], organization=a, kind=role)
    for role in ("secretary", "deputy"):
        RoleFactory(user=users[role], organization=orgs["A1"], kind=role)
    body.answerers.add(users["body"])
    cadre = MemberFactory(cell=orgs["A2"], user=users["cadre"], full_name="Trần Đức Cán")

    members, assignments, meetings, minutes, visits, items, attachments = ({} for _ in range(7))
    for place in CELLS:
        cell = orgs[place]
        members[place] = MemberFactory(cell=cell, full_name=_name(place, f"Lò Văn {place}"))
        assignments[place] = AssignmentFactory(
            cadre=cadre if place == "A1" else MemberFactory(cell=cell),
            cell=cell,
            starts_on=datetime.date(2020, 1, 1),
        )
        meetings[place] = MeetingFactory(cell=cell, topic=_name(place, f"Họp {place}"))
        minutes[place] = MinutesFactory(meeting=meetings[place])
        visits[place] = CadreVisit.objects.create(
            meeting=meetings[place], cadre=assignments[place].cadre, attended=True
        )
        routed = {"routed_organization": parents[place], "routed_body": None}
        if place == "A2":
            routed = {"routed_organization": None, "routed_body": body}
        items[place] = FeedbackItemFactory(
            meeting=meetings[place],
            state="forwarded",
            answer_organization=parents[place],
            due_on=datetime.date(2099, 1, 1),
            text=_name(place, f"Kiến nghị của {place}"),
            **routed,
        )
        attachments[place] = Attachment(
            item=items[place], original_name="don.pdf", content_type="application/pdf", size=10
        )
        attachments[place].file.save("don.pdf", SimpleUploadedFile("don.pdf", PDF), save=True)
    return SimpleNamespace(
        export_file=_export_file(users["staff"], "dang-vien.xlsx"),
        outsiders_file=_export_file(UserFactory(is_superuser=True), f"{LEAK}.xlsx"),
        notification=_notification(users["staff"], "Kiến nghị"),
        outsiders_notification=_notification(UserFactory(is_superuser=True), LEAK),
        orgs=orgs,
        body=body,
        users=users,
        members=members,
        assignments=assignments,
        meetings=meetings,
        minutes=minutes,
        visits=visits,
        items=items,
        attachments=attachments,
    )


def _notification(recipient, text: str) -> Notification:
    """A notification of the staff user's, or an outsider's (never shown to another)."""
    params = {"pk": 1, "due": "01/01/2099", "cell": text, "target": text, "text": text}
    return Notification.objects.create(
        recipient=recipient,
        kind="feedback_forwarded",
        key=f"matrix:{recipient.pk}",
        params=params,
        link="/feedback/",
    )


def _export_file(owner, filename: str) -> ExportFile:
    """A finished background file: the staff user's own, or an outsider's."""
    export = ExportFile(
        owner=owner, kind="members", filename=filename, language="vi", status=ExportStatus.DONE
    )
    with export_members(Member.objects.none()) as output:
        export.file.save("export.xlsx", File(output), save=False)
    export.size = export.file.size
    export.save()
    return export
