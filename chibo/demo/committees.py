"""Committee seats and cadre assignments, before and after 1 July 2025.

Mai Sơn's district executive (BCH) has five demo members, three of them on
the standing committee (BTV). When the district level ends their seats end
too, and each gets a seat on a commune or the province committee, so the
assignments they hold to village cells (from 2025-01-01) still make sense.
"""

import datetime

from meetings.models import Assignment
from members.models import CommitteeSeat
from members.models import SeatKind as S

from .base import Demo
from .roster import MAI_SON_END

DISTRICT_TERM = datetime.date(2020, 7, 15)  # Mai Sơn's 2020-2025 congress
COMMUNE_TERM = datetime.date(2020, 6, 1)
ASSIGNED_FROM = datetime.date(2025, 1, 1)

DISTRICT = ("huyen-mai-son", DISTRICT_TERM, MAI_SON_END)

# (roster tag, organization code, committee, from, until)
SEATS = [
    *[(f"ms-bch-{n}", DISTRICT[0], S.EXECUTIVE, *DISTRICT[1:]) for n in range(1, 6)],
    *[(f"ms-bch-{n}", DISTRICT[0], S.STANDING, *DISTRICT[1:]) for n in range(1, 4)],
    ("ms-bch-1", "xa-co-noi", S.EXECUTIVE, MAI_SON_END, None),
    ("ms-bch-1", "xa-co-noi", S.STANDING, MAI_SON_END, None),
    ("ms-bch-2", "xa-muong-chanh", S.EXECUTIVE, MAI_SON_END, None),
    ("ms-bch-2", "xa-muong-chanh", S.STANDING, MAI_SON_END, None),
    ("ms-bch-3", "tinh-son-la", S.EXECUTIVE, MAI_SON_END, None),
    ("ms-bch-4", "xa-muong-chanh", S.EXECUTIVE, MAI_SON_END, None),
    ("ms-bch-5", "xa-co-noi", S.EXECUTIVE, MAI_SON_END, None),
    ("cn-bch-1", "xa-co-noi", S.EXECUTIVE, COMMUNE_TERM, None),
    ("cn-bch-2", "xa-co-noi", S.EXECUTIVE, COMMUNE_TERM, None),
]

# (roster tag, cell code): never a cadre's own home cell (see reorganizations).
ASSIGNMENTS = [
    ("ms-bch-1", "cb-ban-lech"),
    ("ms-bch-1", "cb-ban-dong-san"),
    ("ms-bch-1", "cb-ban-cang-muong"),
    ("ms-bch-2", "cb-ban-dong-san"),
    ("ms-bch-4", "cb-tieu-khu-co-noi"),
    ("ms-bch-5", "cb-ban-cang-muong"),
    ("cn-bch-1", "cb-tieu-khu-co-noi"),
    ("cn-bch-2", "cb-ban-lech"),
]

CADRE_TAG = "ms-bch-1"  # the demo "cadre" account


def build(demo: Demo) -> None:
    members = {tag: demo.member(tag) for tag in {row[0] for row in SEATS + ASSIGNMENTS}}
    for tag, code, kind, starts_on, ends_on in SEATS:
        _, created = CommitteeSeat.objects.get_or_create(
            member=members[tag],
            organization=demo.org(code),
            kind=kind,
            starts_on=starts_on,
            defaults={"ends_on": ends_on},
        )
        demo.created["committee seats"] += created
    for tag, code in ASSIGNMENTS:
        _, created = Assignment.objects.get_or_create(
            cadre=members[tag], cell=demo.org(code), starts_on=ASSIGNED_FROM
        )
        demo.created["assignments"] += created
