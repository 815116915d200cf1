"""The demo tree as it stood before the 2025 reorganization.

Sơn La / Mai Sơn follows the Báo Sơn La article (bản Lếch in Cò Nòi, bản
Đông Sàn in Nà Bó, bản Cang Mường in Mường Chanh, meetings on the 24th);
Hà Tĩnh follows the Đức Thọ and Hương Khê articles (thôn Hoa Ích Lâm in Đức
Lâm; Hương Khê town with 19 residential-group cells among 25). Cells the
articles do not name are illustrative.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from chibo.models import Organization
from chibo.models import OrganizationKind as K
from chibo.tree import create_organization

from .base import Demo

# The demo's recorded history starts here; the real committees are older.
HISTORY_START = datetime.date(2010, 1, 1)
EVENING = datetime.time(19, 30)
AFTERNOON = datetime.time(14, 0)


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str
    parent: str | None
    place_name: str = ""
    meeting_day: int = 3
    meeting_time: datetime.time = EVENING
    meeting_place: str = ""


def _mai_son_cell(code, name, parent, place, meeting_place="", time=EVENING) -> Org:
    # "Chi bộ bản Cang Mường ... sinh hoạt vào ngày 24 hàng tháng": the demo's
    # Mai Sơn cells all keep that day.
    return Org(code, name, K.CELL, parent, place, 24, time, meeting_place)


SON_LA = [
    Org("tinh-son-la", "Đảng bộ tỉnh Sơn La", K.PROVINCE, None, "Sơn La"),
    Org("huyen-mai-son", "Đảng bộ huyện Mai Sơn", K.DISTRICT, "tinh-son-la", "Mai Sơn"),
    _mai_son_cell(
        "cb-vp-huyen-uy-mai-son",
        "Chi bộ Văn phòng Huyện ủy Mai Sơn",
        "huyen-mai-son",
        "Mai Sơn",
        "Phòng họp Văn phòng Huyện ủy",
        AFTERNOON,
    ),
    Org("xa-co-noi", "Đảng bộ xã Cò Nòi", K.COMMUNE, "huyen-mai-son", "Cò Nòi"),
    # Dissolved in 2019 like Na Hang's commune-agency cells (Kết luận 38-KL/TW).
    _mai_son_cell(
        "cb-co-quan-xa-co-noi",
        "Chi bộ Cơ quan xã Cò Nòi",
        "xa-co-noi",
        "Cò Nòi",
        "Hội trường UBND xã",
        AFTERNOON,
    ),
    _mai_son_cell("cb-ban-lech", "Chi bộ bản Lếch", "xa-co-noi", "Cò Nòi", "Nhà văn hóa bản Lếch"),
    # Illustrative: a second Cò Nòi cell so the 2019 transfers can spread out.
    _mai_son_cell(
        "cb-tieu-khu-co-noi",
        "Chi bộ tiểu khu Cò Nòi",
        "xa-co-noi",
        "Cò Nòi",
        "Nhà văn hóa tiểu khu",
    ),
    Org("xa-na-bo", "Đảng bộ xã Nà Bó", K.COMMUNE, "huyen-mai-son", "Nà Bó"),
    _mai_son_cell(
        "cb-ban-dong-san",
        "Chi bộ bản Đông Sàn",
        "xa-na-bo",
        "Nà Bó",
        "Nhà văn hóa bản Đông Sàn",
    ),
    Org("xa-muong-chanh", "Đảng bộ xã Mường Chanh", K.COMMUNE, "huyen-mai-son", "Mường Chanh"),
    _mai_son_cell(
        "cb-ban-cang-muong",
        "Chi bộ bản Cang Mường",
        "xa-muong-chanh",
        "Mường Chanh",
        "Nhà văn hóa bản Cang Mường",
    ),
]

HUONG_KHE_TOWN = "tt-huong-khe"
RESIDENTIAL_GROUPS = 19

HA_TINH = [
    Org("tinh-ha-tinh", "Đảng bộ tỉnh Hà Tĩnh", K.PROVINCE, None, "Hà Tĩnh"),
    Org("huyen-duc-tho", "Đảng bộ huyện Đức Thọ", K.DISTRICT, "tinh-ha-tinh", "Đức Thọ"),
    Org("xa-duc-lam", "Đảng bộ xã Đức Lâm", K.COMMUNE, "huyen-duc-tho", "Đức Lâm"),
    Org(
        "cb-thon-hoa-ich-lam",
        "Chi bộ thôn Hoa Ích Lâm",
        K.CELL,
        "xa-duc-lam",
        "Đức Lâm",
        meeting_place="Nhà văn hóa thôn Hoa Ích Lâm",
    ),
    Org("huyen-huong-khe", "Đảng bộ huyện Hương Khê", K.DISTRICT, "tinh-ha-tinh", "Hương Khê"),
    Org(HUONG_KHE_TOWN, "Đảng bộ thị trấn Hương Khê", K.COMMUNE, "huyen-huong-khe", "Hương Khê"),
    *[
        Org(
            f"cb-tdp-{n:02d}-huong-khe",
            f"Chi bộ tổ dân phố {n}",
            K.CELL,
            HUONG_KHE_TOWN,
            "Hương Khê",
            meeting_place=f"Nhà văn hóa tổ dân phố {n}",
        )
        for n in range(1, RESIDENTIAL_GROUPS + 1)
    ],
    # The article counts 25 cells; the 6 that are not residential groups are
    # illustrative: schools, police, militia and the health station.
    *[
        Org(code, name, K.CELL, HUONG_KHE_TOWN, "Hương Khê", meeting_time=AFTERNOON)
        for code, name in [
            ("cb-th-tt-huong-khe", "Chi bộ Trường Tiểu học thị trấn Hương Khê"),
            ("cb-thcs-tt-huong-khe", "Chi bộ Trường THCS thị trấn Hương Khê"),
            ("cb-mn-tt-huong-khe", "Chi bộ Trường Mầm non thị trấn Hương Khê"),
            ("cb-ca-tt-huong-khe", "Chi bộ Công an thị trấn Hương Khê"),
            ("cb-qs-tt-huong-khe", "Chi bộ Quân sự thị trấn Hương Khê"),
            ("cb-yt-tt-huong-khe", "Chi bộ Trạm Y tế thị trấn Hương Khê"),
        ]
    ],
]

ORGS = SON_LA + HA_TINH  # parents before children
ROOTS = ["tinh-son-la", "tinh-ha-tinh"]


def demo_organizations():
    """Everything under the demo provinces, dissolved nodes included."""
    roots = Q(pk__in=[])
    for path in Organization.objects.filter(code__in=ROOTS).values_list("path", flat=True):
        roots |= Q(path__startswith=path)
    return Organization.objects.filter(roots)


def build(demo: Demo) -> None:
    """Create the organizations whose code is not there yet."""
    existing = set(
        Organization.objects.filter(code__in=[o.code for o in ORGS]).values_list("code", flat=True)
    )
    for org in ORGS:
        if org.code in existing:
            continue
        create_organization(
            parent=demo.org(org.parent) if org.parent else None,
            founded_on=HISTORY_START,
            code=org.code,
            name=org.name,
            kind=org.kind,
            place_name=org.place_name,
            meeting_day=org.meeting_day,
            meeting_time=org.meeting_time,
            meeting_place=org.meeting_place,
        )
        demo.created["organizations"] += 1
