"""Who is in each demo cell: a pure, seeded function of the cell list.

The same people come out on every run (one seeded generator, fixed order),
so members can be keyed by party card number, or by name and birth date for
probationary members, who have no card yet. Only probationary admission
dates follow today, so they stay within their 12-month probation.
"""

import datetime
import random
from dataclasses import dataclass, field, replace

from members.models import Gender, PositionKind

from .names import unique_name

# Ages and dates are anchored here, not on today, so reruns match.
AGE_YEAR = 2026
LAST_OFFICIAL_ADMISSION = datetime.date(2024, 6, 1)
LAST_EXEMPTION = datetime.date(2025, 12, 1)
TERM_START = datetime.date(2022, 6, 1)
EXEMPT_REASONS = ["Tuổi cao, sức yếu"] * 4 + ["Ốm đau dài ngày"]


@dataclass(frozen=True)
class CellRoster:
    code: str
    size: int
    names: str  # a style of chibo.demo.names
    profile: str = "village"  # village | agency | school | uniformed
    dissolved_on: datetime.date | None = None
    leaders: tuple[str, ...] = ()  # tags of committee members living in this cell

    @property
    def term_start(self) -> datetime.date:
        """When the current secretary and deputy took office."""
        return _add_years(self.dissolved_on, -2) if self.dissolved_on else TERM_START


COCNOI_AGENCY_END = datetime.date(2019, 5, 1)
MAI_SON_END = datetime.date(2025, 7, 1)
MAI_SON_CADRES = tuple(f"ms-bch-{n}" for n in range(1, 6))  # 1-3 also on the BTV
CO_NOI_COMMITTEE = ("cn-bch-1", "cn-bch-2")
# 19 residential groups with a little over 600 members in the 2019 article.
RESIDENTIAL_SIZES = [34, 38, 36, 41, 33, 37, 35, 40, 32, 36, 39, 34, 37, 42, 33, 35, 38, 31, 36]

ROSTERS = [
    CellRoster("cb-ban-lech", 15, "thai"),
    CellRoster("cb-tieu-khu-co-noi", 12, "son_la"),
    CellRoster("cb-ban-dong-san", 14, "hmong"),
    CellRoster("cb-ban-cang-muong", 17, "thai"),
    CellRoster("cb-co-quan-xa-co-noi", 7, "son_la", "agency", COCNOI_AGENCY_END, CO_NOI_COMMITTEE),
    CellRoster("cb-vp-huyen-uy-mai-son", 10, "son_la", "agency", MAI_SON_END, MAI_SON_CADRES),
    CellRoster("cb-thon-hoa-ich-lam", 22, "kinh"),
    *[
        CellRoster(f"cb-tdp-{n:02d}-huong-khe", size, "kinh")
        for n, size in enumerate(RESIDENTIAL_SIZES, start=1)
    ],
    CellRoster("cb-th-tt-huong-khe", 25, "kinh", "school"),
    CellRoster("cb-thcs-tt-huong-khe", 24, "kinh", "school"),
    CellRoster("cb-mn-tt-huong-khe", 20, "kinh", "school"),
    CellRoster("cb-ca-tt-huong-khe", 15, "kinh", "uniformed"),
    CellRoster("cb-qs-tt-huong-khe", 12, "kinh", "uniformed"),
    CellRoster("cb-yt-tt-huong-khe", 11, "kinh", "school"),
]

MALE_SHARE = {"village": 0.62, "agency": 0.6, "school": 0.25, "uniformed": 0.9}


@dataclass(frozen=True)
class Person:
    full_name: str
    gender: str
    birth_date: datetime.date
    card: str | None
    joined_on: datetime.date
    official_on: datetime.date | None
    cell: str  # code of the first home cell (transfers may move them later)
    is_exempt: bool = False
    exempt_reason: str = ""
    exempt_since: datetime.date | None = None
    is_away: bool = False
    positions: tuple[str, ...] = ()
    tag: str = ""

    @property
    def key(self):
        return self.card or (self.full_name, self.birth_date)


@dataclass
class Roster:
    people: list[Person] = field(default_factory=list)
    tagged: dict[str, Person] = field(default_factory=dict)


def build_roster(*, today: datetime.date) -> Roster:
    rng = random.Random("chibo-demo-roster")
    roster, names, cards = Roster(), set(), set()
    for spec in ROSTERS:
        people = _cell_people(spec, rng, names, cards, today)
        for person in people:
            roster.people.append(person)
            if person.tag:
                roster.tagged[person.tag] = person
            for kind in person.positions:
                if kind != PositionKind.COMMITTEE:
                    roster.tagged[f"{spec.code}:{kind}"] = person
    return roster


def _cell_people(spec, rng, names, cards, today) -> list[Person]:
    village = spec.profile == "village"
    still_open = spec.dissolved_on is None
    n_probationary = max(1, round(spec.size * 0.07)) if village else int(spec.size >= 10)
    n_probationary *= still_open  # a cell closed years ago has no one on probation now
    n_exempt = round(spec.size * 0.08) if village else 0
    n_away = round(spec.size * 0.1) if village else 0
    kinds = (
        ["leader"] * len(spec.leaders)
        + ["probationary"] * n_probationary
        + ["exempt"] * n_exempt
        + ["away"] * n_away
    )
    kinds += ["regular"] * (spec.size - len(kinds))
    # Admitted at least two years before the cell closed (or before mid-2024).
    cap = _add_years(spec.dissolved_on, -2) if spec.dissolved_on else LAST_OFFICIAL_ADMISSION
    people = []
    leaders = iter(spec.leaders)
    for kind in kinds:
        male = rng.random() < (0.8 if kind == "leader" else MALE_SHARE[spec.profile])
        age = _age(rng, kind, village)
        birth = datetime.date(AGE_YEAR - age, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        name = unique_name(rng, spec.names, male, names)
        gender = Gender.MALE if male else Gender.FEMALE
        days_ago = rng.randint(40, 330)
        if kind == "probationary":
            joined = today - datetime.timedelta(days=days_ago)
            people.append(Person(name, gender, birth, None, joined, None, spec.code))
            continue
        earliest = _add_years(birth, 18)
        span = min((cap - earliest).days, 22 * 365)
        joined = earliest + datetime.timedelta(days=rng.randint(0, max(span, 0)))
        official = joined + datetime.timedelta(days=365 + rng.randint(0, 45))
        extra = {}
        if kind == "exempt":
            since = max(official, _add_years(birth, 70))
            since += datetime.timedelta(days=rng.randint(0, max((LAST_EXEMPTION - since).days, 0)))
            extra = {
                "is_exempt": True,
                "exempt_reason": rng.choice(EXEMPT_REASONS),
                "exempt_since": since,
            }
        elif kind == "away":
            extra = {"is_away": True}
        elif kind == "leader":
            extra = {"tag": next(leaders)}
        card = _card(rng, cards)
        people.append(Person(name, gender, birth, card, joined, official, spec.code, **extra))
    return _with_positions(people, rng, spec.term_start)


def _age(rng: random.Random, kind: str, village: bool) -> int:
    if kind == "leader":
        return rng.randint(42, 57)
    if kind == "probationary":
        return rng.randint(19, 33)
    if kind == "exempt":
        return rng.randint(72, 91)
    if kind == "away":
        return rng.randint(24, 42)
    return round(rng.triangular(25, 84, 58)) if village else rng.randint(30, 58)


def _card(rng: random.Random, cards: set[str]) -> str:
    # 8 digits, clear of the 10000000+n range the test factories use.
    while True:
        card = str(rng.randrange(20_000_000, 100_000_000))
        if card not in cards:
            cards.add(card)
            return card


def _with_positions(people: list[Person], rng: random.Random, term_start) -> list[Person]:
    """A secretary; with 9+ official members a deputy and a cell committee too."""
    officials = [p for p in people if p.card]
    seasoned = _add_years(term_start, -3)
    fit = [
        p
        for p in officials
        if not (p.is_exempt or p.is_away or p.tag)
        and 30 <= AGE_YEAR - p.birth_date.year <= 68
        and p.joined_on <= seasoned
    ]
    kinds = [PositionKind.SECRETARY]
    if len(officials) >= 9:
        kinds.append(PositionKind.DEPUTY)
        kinds += [PositionKind.COMMITTEE] * (1 if len(officials) < 20 else 3)
    chosen = dict(zip(rng.sample(range(len(fit)), len(kinds)), kinds, strict=True))
    holders = {id(fit[i]): kind for i, kind in chosen.items()}
    return [replace(p, positions=(holders[id(p)],)) if id(p) in holders else p for p in people]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
