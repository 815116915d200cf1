"""The province's tree and its people, built in memory with fixed keys.

One province committee, communes of about 40 cells (every fourth commune
groups its cells under party sub-committees of about 10), from 4,800 cells on
also the provincial agencies' committee with 480 cells under twelve
sub-committees (the 480-cell level the report benchmark measures), the cells, their
members, the cells' secretaries, deputies and committee members, the
province's and communes' standing and executive committees, and each cell's
assigned cadres. Everything is drawn from one `random.Random(seed)`, in a
fixed order, so a seed always gives the same province.
"""

import datetime
import random
from dataclasses import dataclass, field

from chibo.models import OrganizationKind as K
from chibo.text import fold
from members.models import MemberStatus, PositionKind, SeatKind

from .. import names

CELLS_PER_COMMUNE = 40
CELLS_PER_SUBCOMMITTEE = 10
# The provincial agencies' committee (Đảng bộ Khối): one large unit under the province.
BLOC_CODE, BLOC_CELLS, BLOC_SUBCOMMITTEES = "scale-khoi", 480, 12
FOUNDED = datetime.date(2010, 1, 1)
SYLLABLES = [
    "An", "Bình", "Cẩm", "Đông", "Hà", "Hòa", "Hưng", "Khánh", "Lâm", "Long",
    "Minh", "Mỹ", "Nam", "Phú", "Phước", "Quang", "Sơn", "Tân", "Thạnh", "Thịnh",
    "Thuận", "Tiến", "Trung", "Vĩnh", "Xuân",
]  # fmt: skip
VILLAGE_WORDS = ["thôn", "bản", "xóm", "tổ dân phố"]
EXEMPT_REASONS = ["Tuổi cao, sức khỏe yếu", "Ốm đau dài ngày", "Trên 80 tuổi"]


@dataclass(eq=False, slots=True)
class Node:
    """An organization of the province, as the tables will hold it."""

    pk: int
    code: str
    name: str
    kind: str
    path: str
    parent: "Node | None" = None
    place_name: str = ""
    meeting_day: int = 3
    meeting_week: int | None = None
    meeting_weekday: int | None = None
    meeting_time: datetime.time = datetime.time(19, 30)
    meeting_place: str = ""
    children: list = field(default_factory=list)
    members: list = field(default_factory=list)
    positions: list = field(default_factory=list)  # Office rows of the cell
    assignments: list = field(default_factory=list)  # Office rows, holder = cadre
    user_id: int | None = None  # the cell's secretary account

    @property
    def depth(self) -> int:
        return len(self.path) // 4

    @property
    def is_cell(self) -> bool:
        return self.kind == K.CELL

    def lineage(self) -> list["Node"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


@dataclass(eq=False, slots=True)
class Person:
    """A party member; `rules` and the snapshot read these same attributes."""

    pk: int
    full_name: str
    search_name: str
    gender: str
    birth_date: datetime.date
    joined_on: datetime.date
    official_on: datetime.date | None
    status: str
    cell: Node
    card: str | None = None
    is_exempt: bool = False
    exempt_reason: str = ""
    exempt_since: datetime.date | None = None
    is_away_for_work: bool = False
    phone: str = ""
    left_on: datetime.date | None = None
    user_id: int | None = None
    seats: list = field(default_factory=list)  # Office rows, place = organization


@dataclass(eq=False, slots=True)
class Office:
    """A dated position, seat or assignment: who, where, what, from when."""

    pk: int
    holder: Person
    place: Node
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None

    def is_current(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


@dataclass
class Province:
    root: Node
    communes: list[Node]
    cells: list[Node]
    members: list[Person]
    cadres: list[Person] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)  # parents before children


def _path(parent: Node | None, step: int) -> str:
    """treebeard's own path for the `step`-th child (siblings in name order)."""
    from chibo.models import Organization

    base = parent.path if parent else ""
    return Organization._get_path(base, len(base) // Organization.steplen + 1, step)


def build_province(*, writer, rng: random.Random, cells: int, members: int, start) -> Province:
    """The tree and the people. `start` is the first month of the meetings."""
    from chibo.models import Organization

    next_org = lambda: writer.next_id(Organization)  # noqa: E731
    root = Node(next_org(), "scale-tinh", "Đảng bộ tỉnh Nam Sơn", K.PROVINCE, _path(None, 1))
    root.place_name = "Nam Sơn"
    nodes = [root]
    bloc = BLOC_CELLS if cells >= 10 * BLOC_CELLS else 0
    sizes = _split(cells - bloc, _commune_count(cells - bloc))
    commune_names = _commune_names(rng, len(sizes))
    communes, all_cells = [], []
    for index, place in enumerate(commune_names):
        word = "phường" if index % 5 == 0 else "xã"
        commune = Node(0, f"scale-x{index + 1:03d}", f"Đảng bộ {word} {place}", K.COMMUNE, "")
        commune.parent, commune.place_name = root, place
        communes.append(commune)
    if bloc:
        agencies = Node(0, BLOC_CODE, "Đảng bộ Khối các cơ quan tỉnh", K.COMMUNE, "")
        agencies.parent, agencies.place_name = root, root.place_name
        communes.append(agencies)
        sizes.append(bloc)
    _place_children(root, communes, next_org, nodes)
    for index, commune in enumerate(communes):
        parents = [commune]
        if commune.code == BLOC_CODE:
            parents = _subcommittees(commune, BLOC_SUBCOMMITTEES, "dbcs", "Đảng bộ cơ quan {:02d}")
            _place_children(commune, parents, next_org, nodes)
        elif index % 4 == 3 and sizes[index] >= 2 * CELLS_PER_SUBCOMMITTEE // 2:
            count = max(2, round(sizes[index] / CELLS_PER_SUBCOMMITTEE))
            parents = _subcommittees(commune, count, "bp", "Đảng bộ bộ phận khu {}")
            _place_children(commune, parents, next_org, nodes)
        word = "cơ quan" if commune.code == BLOC_CODE else None
        commune_cells = [
            _cell(rng, commune, n, word=word or ("tổ dân phố" if index % 5 == 0 else None))
            for n in range(sizes[index])
        ]
        groups = _split(len(commune_cells), len(parents))
        at = 0
        for parent, count in zip(parents, groups, strict=True):
            _place_children(parent, commune_cells[at : at + count], next_org, nodes)
            at += count
        all_cells += sorted(commune_cells, key=lambda c: c.path)
    people = _members(writer, rng, all_cells, members, start)
    province = Province(root=root, communes=communes, cells=all_cells, members=people, nodes=nodes)
    _positions(writer, rng, province, start)
    _committees(writer, rng, province, start)
    return province


def _subcommittees(commune: Node, count: int, code: str, name: str) -> list[Node]:
    """`count` party sub-committees of `commune`, numbered from 1 in code and name."""
    return [
        Node(0, f"{commune.code}-{code}{n}", name.format(n), K.SUBCOMMITTEE, "")
        for n in range(1, count + 1)
    ]


def _commune_count(cells: int) -> int:
    # Small sets still get two communes (one with sub-committees) to measure on.
    return max(1, round(cells / CELLS_PER_COMMUNE), 2 if cells >= 20 else 1)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _commune_names(rng: random.Random, count: int) -> list[str]:
    pairs = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(pairs)
    picked = pairs[:count]
    while len(picked) < count:  # more communes than pairs: number them
        picked.append(f"{pairs[len(picked) % len(pairs)]} {len(picked) // len(pairs) + 1}")
    return picked


def _cell(rng: random.Random, commune: Node, n: int, word: str | None) -> Node:
    word = word or rng.choice(VILLAGE_WORDS[:3])
    village = (
        f"{word} {n + 1}"
        if word in ("tổ dân phố", "cơ quan")
        else f"{word} {rng.choice(SYLLABLES)} {n + 1}"
    )
    cell = Node(0, f"{commune.code}-cb{n + 1:03d}", f"Chi bộ {village}", K.CELL, "")
    cell.meeting_place = f"Nhà văn hóa {village}"
    roll = rng.random()
    if roll < 0.12:  # some cells keep a day of their own (the 24th in Mai Sơn)
        cell.meeting_day = rng.choice([5, 10, 15, 20, 24])
    elif roll < 0.16:
        cell.meeting_week, cell.meeting_weekday = rng.choice([(1, 6), (2, 5), (5, 4)])
    if rng.random() < 0.2:
        cell.meeting_time = rng.choice([datetime.time(14, 0), datetime.time(8, 0)])
    return cell


def _place_children(parent: Node, children: list[Node], next_id, nodes: list[Node]) -> None:
    for step, child in enumerate(sorted(children, key=lambda c: c.name), start=1):
        child.pk, child.parent, child.path = next_id(), parent, _path(parent, step)
        parent.children.append(child)
        nodes.append(child)


def _members(writer, rng, cells: list[Node], total: int, start: datetime.date) -> list[Person]:
    from members.models import Member

    weights = [rng.uniform(0.4, 1.6) for _ in cells]
    scale = total / sum(weights)
    sizes = [max(3, int(w * scale)) for w in weights]
    while sum(sizes) > total and any(s > 3 for s in sizes):  # trim to the exact total
        i = max(range(len(sizes)), key=lambda k: sizes[k])
        sizes[i] -= 1
    for i in range(total - sum(sizes)):
        sizes[i % len(sizes)] += 1
    people = []
    for cell, size in zip(cells, sizes, strict=True):
        style = names.thai if rng.random() < 0.4 else names.kinh
        for _ in range(size):
            person = _person(rng, writer.next_id(Member), cell, style, start)
            cell.members.append(person)
            people.append(person)
    return people


def _person(rng: random.Random, pk: int, cell: Node, style, start: datetime.date) -> Person:
    male = rng.random() < 0.62
    full_name = style(rng, male)
    birth = datetime.date(rng.randint(1940, 2001), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.07:  # admitted while the meetings run
        joined = start + datetime.timedelta(days=rng.randint(0, 1000))
    else:
        joined = datetime.date(max(birth.year + 20, 1965) + rng.randint(0, 12), 1, 1)
        joined = min(joined, start - datetime.timedelta(days=400)) + datetime.timedelta(
            days=rng.randint(0, 300)
        )
    person = Person(
        pk=pk,
        full_name=full_name,
        search_name=fold(full_name),
        gender="male" if male else "female",
        birth_date=birth,
        joined_on=joined,
        official_on=joined + datetime.timedelta(days=365),
        status=MemberStatus.OFFICIAL,
        cell=cell,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
    )
    roll = rng.random()
    if roll < 0.03 and birth.year < 1960:
        person.is_exempt = True
        person.exempt_reason = rng.choice(EXEMPT_REASONS)
        person.exempt_since = start + datetime.timedelta(days=rng.randint(-800, 700))
    elif roll < 0.09:
        person.is_away_for_work = True
    elif roll < 0.10:
        person.left_on = start + datetime.timedelta(days=rng.randint(30, 1000))
    return person


def settle(province: Province, today: datetime.date) -> None:
    """Status and cards as of today: probationary for a year after admission."""
    for person in province.members:
        if person.joined_on > today - datetime.timedelta(days=365):
            person.status, person.official_on = MemberStatus.PROBATIONARY, None
        else:
            person.card = f"NS{person.pk:08d}"


def _steady(person: Person, start: datetime.date) -> bool:
    """On the roll, official and expected for the whole period: fit for a post."""
    before = start - datetime.timedelta(days=366)
    return person.joined_on <= before and person.left_on is None and not person.is_exempt


def _positions(writer, rng: random.Random, province: Province, start: datetime.date) -> None:
    from members.models import Position

    since = start - datetime.timedelta(days=365)
    for cell in province.cells:
        steady = [p for p in cell.members if _steady(p, start) and not p.is_away_for_work]
        if len(steady) < 3:  # tiny cell: whoever is there
            steady = [p for p in cell.members if _steady(p, start)] or cell.members[:1]
        kinds = [PositionKind.SECRETARY]
        if len(cell.members) >= 9:
            kinds += [PositionKind.DEPUTY, PositionKind.COMMITTEE, PositionKind.COMMITTEE]
        elif rng.random() < 0.5:
            kinds.append(PositionKind.DEPUTY)
        for person, kind in zip(steady, kinds, strict=False):
            cell.positions.append(Office(writer.next_id(Position), person, cell, kind, since))


def holder(cell: Node, kind: str) -> Person | None:
    return next((o.holder for o in cell.positions if o.kind == kind), None)


def _committees(writer, rng: random.Random, province: Province, start: datetime.date) -> None:
    """Seats and assignments: each commune's standing members take 5 cells
    each (Liên Khê), its executive members share the rest; province cadres
    take two cells each across the province."""
    from meetings.models import Assignment
    from members.models import CommitteeSeat

    since = start - datetime.timedelta(days=180)
    taken = {o.holder.pk for cell in province.cells for o in cell.positions}

    def seat(person: Person, organization: Node, kind: str) -> None:
        office = Office(writer.next_id(CommitteeSeat), person, organization, kind, since)
        person.seats.append(office)

    def assign(cadre: Person, cell: Node) -> None:
        cell.assignments.append(Office(writer.next_id(Assignment), cadre, cell, "", since))

    for commune in province.communes:
        cells = [c for c in province.cells if c.path.startswith(commune.path)]
        pool = [p for c in cells for p in c.members if _steady(p, start) and p.pk not in taken]
        standing_n = max(1, min(3, len(cells) // 5))
        cadres = pool[: standing_n + max(1, min(9, len(cells) // 4))]
        for n, cadre in enumerate(cadres):
            taken.add(cadre.pk)
            if n < standing_n:
                seat(cadre, commune, SeatKind.STANDING)
            seat(cadre, commune, SeatKind.EXECUTIVE)
            province.cadres.append(cadre)
        standing, executive = cadres[:standing_n], cadres[standing_n:] or cadres
        for index, cell in enumerate(cells):
            if index < 5 * len(standing):
                assign(standing[index // 5], cell)
            else:
                assign(executive[(index - 5 * len(standing)) % len(executive)], cell)
    pool = [p for p in province.members if _steady(p, start) and p.pk not in taken]
    standing_n = max(2, min(15, len(province.communes) // 16))
    chosen = rng.sample(pool, min(len(pool), standing_n * 4))
    stride = max(1, len(province.cells) // max(1, 2 * len(chosen)))
    for n, cadre in enumerate(chosen):
        if n < standing_n:
            seat(cadre, province.root, SeatKind.STANDING)
        seat(cadre, province.root, SeatKind.EXECUTIVE)
        province.cadres.append(cadre)
        for k in (2 * n, 2 * n + 1):
            assign(cadre, province.cells[(k * stride) % len(province.cells)])
    for cell in province.cells:  # one cadre per cell and assignment, whatever the stride
        seen, unique = set(), []
        for office in cell.assignments:
            if office.holder.pk not in seen:
                seen.add(office.holder.pk)
                unique.append(office)
        cell.assignments = unique
