"""The roll says one thing everywhere (issue 7, item 7): for any mix of
official, probationary, exempted (attending or not), absent and temporary
members, the meeting's page, the finalize check, the snapshot and the PDF's
text show the same figures. A seeded generator walks many combinations, so
a failure is reproducible from its seed."""

import datetime
import io
import random
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from meetings.models import Minutes
from meetings.pdf import render_minutes_pdf
from meetings.selectors.meeting_page import attendance_sheet, minutes_facts
from meetings.services.attendance import Entry, save_attendance
from meetings.snapshot import build_snapshot
from members.models import TemporaryAttendance
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SEED = 2026_07
COMBINATIONS = 30
MEETING_DAY = datetime.date(2026, 2, 5)  # the factories' meeting
FIGURES = [
    "total",
    "expected",
    "attending",
    "absent_excused",
    "absent_unexcused",
    "exempt",
    "exempt_present",
    "temporary_present",
    "voting_base",
    "voters_present",
]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def random_cell(rng: random.Random, commune, officers_cell, index: int):
    """A cell with a random roll and a random attendance, recorded through the service."""
    cell = CellFactory(parent=commune, name=f"Chi bộ bản Thử {index}")
    meeting = MeetingFactory(cell=cell, state="planned")
    entries = []
    people = (
        ["official"] * rng.randint(0, 7)
        + ["probationary"] * rng.randint(0, 3)
        # Official today but not yet on the meeting's day: probationary then.
        + ["official_later"] * rng.randint(0, 1)
        + ["exempt"] * rng.randint(0, 3)
        + ["exempt_probationary"] * rng.randint(0, 1)
    )
    rng.shuffle(people)
    for kind in people:
        if kind.startswith("exempt"):
            member = MemberFactory(cell=cell, exempt=True, probationary=kind.endswith("y"))
            if kind.endswith("y"):
                member.joined_on = datetime.date(2025, 8, 1)
                member.save()
            status = rng.choice(["exempt", "exempt", "present", "late"])
        else:
            fields = {
                "official": {},
                "probationary": {"probationary": True, "joined_on": datetime.date(2025, 8, 1)},
                "official_later": {"official_on": MEETING_DAY + datetime.timedelta(days=10)},
            }[kind]
            member = MemberFactory(cell=cell, **fields)
            status = rng.choice(
                ["present", "present", "late", "absent_excused", "absent_unexcused"]
            )
        entries.append(Entry(member.pk, status, "Đi làm ăn xa" if status != "present" else ""))
    visitors = []
    for _ in range(rng.randint(0, 2)):
        visitor = MemberFactory(cell=CellFactory(parent=commune))
        TemporaryAttendance.objects.create(
            member=visitor, host_cell=cell, starts_on=datetime.date(2026, 1, 1)
        )
        status = rng.choice(["present", "late", "absent_excused"])
        visitors.append(Entry(visitor.pk, status, "Ốm" if status != "present" else ""))
    save_attendance(meeting=meeting, members=entries, temporary=visitors, by=None)
    # The chair and the minute-taker are members of another cell here, so the
    # roll is exactly the random one.
    minutes = MinutesFactory(
        meeting=meeting,
        chair__cell=officers_cell,
        minute_taker__cell=officers_cell,
        resolution="Tiếp tục giúp đỡ các hộ nghèo trong bản.",
    )
    voters = attendance_sheet(meeting).official_present
    minutes.votes_for = rng.randint(0, voters)
    minutes.votes_against = voters - minutes.votes_for
    minutes.votes_abstain = 0
    minutes.save()
    return cell, meeting, minutes


def screen_figures(html: str) -> dict:
    def count(key: str) -> int:
        found = re.search(rf'data-count="{key}">(\d+)<', html)
        return int(found.group(1)) if found else 0

    return {
        "total": count("roll"),
        "expected": count("expected"),
        "attending": count("present") + count("late"),
        "absent_excused": count("absent_excused"),
        "absent_unexcused": count("absent_unexcused"),
        "exempt": count("exempt"),
        "exempt_present": count("exempt_present"),
        "temporary_present": count("temporary_present"),
        "voting_base": count("official_members"),
        "voters_present": count("official_present"),
        "adopted": '<span class="badge text-bg-success">adopted</span>' in html,
    }


def snapshot_figures(snapshot: dict) -> dict:
    a = snapshot["attendance"]
    return {
        "total": a["total"],
        "official": a["official"],
        "probationary": a["probationary"],
        "expected": a["expected"],
        "attending": a["present"],
        "absent_excused": len(a["absent_excused"]),
        "absent_unexcused": len(a["absent_unexcused"]),
        "exempt": a["exempt"],
        "exempt_present": a["exempt_present"],
        "temporary_present": len(a["temporary"]),
        "voting_base": a["official_voters"],
        "voters_present": a["official_present"],
        "adopted": snapshot["vote"]["passed"],
    }


def pdf_figures(data: bytes) -> dict:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())

    def number(pattern: str, default=None) -> int:
        found = re.search(pattern, text)
        if found is None:
            assert default is not None, f"{pattern!r} not in {text}"
            return default
        return int(found.group(1))

    return {
        "total": number(r"Tổng số đảng viên của chi bộ: (\d+) đồng chí"),
        "official": number(r"\(chính thức: (\d+);"),
        "probationary": number(r"; dự bị: (\d+)\)"),
        "expected": number(r"Đảng viên phải dự: (\d+) đồng chí"),
        "attending": number(r"; có mặt: (\d+) đồng chí(?: \(kể cả| \(đến muộn|\.)"),
        "absent_excused": number(r"Vắng có lý do: (\d+) đồng chí"),
        "absent_unexcused": number(r"Vắng không lý do: (\d+) đồng chí"),
        "exempt": number(r"Miễn sinh hoạt: (\d+) đồng chí"),
        "exempt_present": number(r"\(kể cả (\d+) đồng chí miễn sinh hoạt\)", 0),
        "temporary_present": number(r"sinh hoạt tạm thời dự họp: (\d+) đồng chí", 0),
        "voting_base": number(r"có quyền biểu quyết: (\d+) đồng chí"),
        "voters_present": number(r"có quyền biểu quyết: \d+ đồng chí; có mặt: (\d+) đồng chí"),
        "adopted": "Nghị quyết được thông qua" in text,
    }


def test_roll_figures_agree_on_the_page_in_the_check_the_snapshot_and_the_pdf(client):
    rng = random.Random(SEED)
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi")
    staff = UserFactory(username="vanphong")
    RoleFactory(user=staff, organization=commune, kind="staff")
    client.force_login(staff)
    officers_cell = CellFactory(parent=commune, name="Chi bộ cơ quan")
    seen = set()
    for index in range(COMBINATIONS):
        cell, meeting, minutes = random_cell(rng, commune, officers_cell, index)
        sheet = attendance_sheet(meeting)
        figures = sheet.figures
        expected = {name: getattr(figures, name) for name in FIGURES}
        facts = minutes_facts(Minutes.objects.get(pk=minutes.pk), sheet)
        case = f"seed {SEED}, combination {index}: {expected}"

        html = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
        screen = screen_figures(html)
        minutes = Minutes.objects.select_related("meeting__cell").get(pk=minutes.pk)
        snapshot = snapshot_figures(build_snapshot(minutes))
        pdf = pdf_figures(render_minutes_pdf(minutes))

        assert {k: screen[k] for k in FIGURES} == expected, case
        assert {k: snapshot[k] for k in FIGURES} == expected, case
        assert {k: pdf[k] for k in FIGURES} == expected, case
        assert (facts.roll, facts.official_members, facts.official_present) == (
            figures.total,
            figures.voting_base,
            figures.voters_present,
        ), case
        assert (snapshot["official"], snapshot["probationary"]) == (
            pdf["official"],
            pdf["probationary"],
        ), case
        # The page's badge, the snapshot and the PDF agree on the outcome.
        assert screen["adopted"] == snapshot["adopted"] == pdf["adopted"], case
        seen.add((figures.exempt_present > 0, figures.temporary_present > 0))
    # The walk met exempted members who came and visitors from other cells.
    assert seen == {(False, False), (False, True), (True, False), (True, True)}
