"""Where a demo meeting takes place and who is there: how the minutes name
the cell's surroundings, who holds a post in the cell, what a visiting
cadre's title is and what they report."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from chibo.models import Organization
from meetings import calendar, rules
from meetings.models import Meeting
from meetings.snapshot import SEAT_TITLES, committee_name
from members.models import CommitteeSeat, Member, Position

from .organizations import HUONG_KHE_TOWN
from .stories.meetings import FEES, RIVERS, ROADS, THEMES, Theme


@dataclass
class Place:
    """How the minutes name the cell's surroundings."""

    village: str  # "bản Lếch", "tổ dân phố 3", "Trường THCS thị trấn Hương Khê"
    commune: str  # "xã Cò Nòi"
    province: str  # "tỉnh Sơn La"
    region: str  # son_la | ha_tinh | unit
    road: str
    river: str
    fees: list
    people: str = "Đảng viên và nhân dân"
    town: bool = False

    @property
    def here(self) -> str:
        return "trong đơn vị" if self.region == "unit" else f"ở {self.village}"

    def fill(self, text: str, **more) -> str:
        return text.format(
            village=self.village,
            commune=self.commune,
            province=self.province,
            road=self.road,
            river=self.river,
            here=self.here,
            **more,
        )


def theme_of(topic: str) -> "Theme | None":
    return next((t for t in THEMES if t.topic == topic), None) if topic else None


def seat_of(cadre: Member, on: datetime.date) -> tuple[str, str]:
    """The cadre's title on that date and the place their committee answers for."""
    seat = (
        CommitteeSeat.objects.current(on)
        .filter(member=cadre, kind__in=list(SEAT_TITLES))
        .select_related("organization")
        .order_by("-kind", "-organization__depth")
        .first()
    )
    if seat is None:
        return "", ""
    name = seat.organization.name_on(on)
    committee = committee_name(name)
    return f"{SEAT_TITLES[seat.kind]} {committee}", name.removeprefix("Đảng bộ ")


def reported(cadre: Member, meeting: Meeting) -> str:
    on = timezone.localdate(meeting.scheduled_at)
    _title, area = seat_of(cadre, on)
    month = f"{meeting.period:%m/%Y}"
    following = f"{calendar.add_months(meeting.period, 1):%m/%Y}"
    return (
        f"Thông báo kết quả phát triển kinh tế - xã hội tháng {month} của {area}, nhiệm vụ "
        f"trọng tâm tháng {following}; thông tin thời sự nổi bật theo Bản tin sinh hoạt "
        "chi bộ; định hướng chi bộ lãnh đạo giảm nghèo, chuyển đổi cơ cấu cây trồng, vật nuôi."
    )


def place_of(cell: Organization) -> Place:
    parent = Organization.objects.get_parent(cell)
    province = Organization.objects.get_root(cell)
    village = cell.name.removeprefix("Chi bộ ")
    if parent.code == HUONG_KHE_TOWN and not cell.code.startswith("cb-tdp-"):
        region = "unit"
    else:
        region = "son_la" if province.code == "tinh-son-la" else "ha_tinh"
    town = parent.code == HUONG_KHE_TOWN
    return Place(
        village=village,
        commune=parent.name.removeprefix("Đảng bộ "),
        province=province.name.removeprefix("Đảng bộ "),
        region=region,
        road=ROADS.get(parent.code, "đường liên xã"),
        river=RIVERS.get(parent.code, "sông"),
        fees=FEES["town" if town else "village"],
        people="Đảng viên và người lao động" if region == "unit" else "Đảng viên và nhân dân",
        town=town,
    )


def position_holder(cell_id: int, on: datetime.date, kind: str) -> int | None:
    return (
        Position.objects.current(on)
        .filter(cell_id=cell_id, kind=kind)
        .order_by("id")
        .values_list("member_id", flat=True)
        .first()
    )


def roll_figures(sheet, statuses: dict) -> rules.RollCount:
    """The roll's figures with the statuses about to be recorded (rules.count_roll)."""
    rows = [
        SimpleNamespace(
            is_official=r.is_official, is_exempt=r.is_exempt, status=statuses[r.member.pk][0]
        )
        for r in sheet.members
    ]
    return rules.count_roll(rows)
