"""The dated events of the demo tree, applied once each, oldest first.

- 01/05/2019: like Na Hang's (done "by the end of April 2019"), Cò Nòi's
  commune-agency cell is dissolved and its members go to village cells.
- 01/07/2025: the district level ends. Mai Sơn's office cell is dissolved the
  same way, its communes (and Hà Tĩnh's) move under the province, and Nà Bó
  merges into Mường Chanh (illustrative: the real 2025 commune mergers are
  not modelled).

Everything goes through chibo.tree and members.services, as the product does.
"""

import itertools

from chibo.models import Reorganization, ReorganizationKind
from chibo.tree import merge_organizations
from members.models import Member
from members.services import dissolve_cell

from .base import Demo
from .members import member_ids
from .roster import COCNOI_AGENCY_END, MAI_SON_END

NO_DISTRICTS = "Quy định 294-QĐ/TW"

# Where the members of a dissolved cell go: named people first, the rest in turn.
CO_NOI_HOMES = {
    "tagged": {"cn-bch-1": "cb-ban-lech", "cn-bch-2": "cb-tieu-khu-co-noi"},
    "others": ["cb-ban-lech", "cb-tieu-khu-co-noi"],
}
MAI_SON_HOMES = {
    "tagged": {
        "ms-bch-1": "cb-tieu-khu-co-noi",
        "ms-bch-2": "cb-ban-cang-muong",
        "ms-bch-3": "cb-ban-lech",
        "ms-bch-4": "cb-ban-dong-san",
        "ms-bch-5": "cb-ban-lech",
    },
    "others": ["cb-tieu-khu-co-noi", "cb-ban-dong-san", "cb-ban-cang-muong", "cb-ban-lech"],
}


def build(demo: Demo) -> None:
    before = Reorganization.objects.count()
    _dissolve_into_villages(
        demo,
        "cb-co-quan-xa-co-noi",
        COCNOI_AGENCY_END,
        CO_NOI_HOMES,
        "Kết luận 38-KL/TW ngày 13/11/2018",
    )
    _dissolve_into_villages(
        demo, "cb-vp-huyen-uy-mai-son", MAI_SON_END, MAI_SON_HOMES, NO_DISTRICTS
    )
    if _merge(demo, "xa-na-bo", "xa-muong-chanh", "Sáp nhập xã (minh họa)"):
        # Documents of Đông Sàn are dated from its new commune from now on.
        cell = demo.org("cb-ban-dong-san")
        cell.place_name = "Mường Chanh"
        cell.save()
    _merge(demo, "huyen-mai-son", "tinh-son-la", NO_DISTRICTS)
    _merge(demo, "huyen-duc-tho", "tinh-ha-tinh", NO_DISTRICTS)
    _merge(demo, "huyen-huong-khe", "tinh-ha-tinh", NO_DISTRICTS)
    demo.created["reorganizations"] += Reorganization.objects.count() - before


def _closed(organization) -> bool:
    return Reorganization.objects.filter(
        organization=organization,
        kind__in=[ReorganizationKind.MERGED, ReorganizationKind.DISSOLVED],
    ).exists()


def _dissolve_into_villages(demo: Demo, code: str, on, homes: dict, decision: str) -> None:
    cell = demo.org(code)
    if _closed(cell):
        return
    ids = member_ids(demo)
    others = itertools.cycle(homes["others"])
    home_of = {}  # member id -> cell code
    for person in demo.roster.people:
        if person.cell == code:
            home_of[ids[person.key]] = homes["tagged"].get(person.tag) or next(others)
    targets = {c: demo.org(c) for c in set(home_of.values())}
    on_roll = Member.objects.on_roll().filter(cell=cell).values_list("pk", flat=True)
    destinations = {pk: targets[home_of[pk]] for pk in on_roll if pk in home_of}
    dissolve_cell(cell=cell, destinations=destinations, on=on, decision=decision)


def _merge(demo: Demo, source: str, into: str, decision: str) -> bool:
    organization = demo.org(source)
    if _closed(organization):
        return False
    merge_organizations(source=organization, into=demo.org(into), on=MAI_SON_END, decision=decision)
    return True
