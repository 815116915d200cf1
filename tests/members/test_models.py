"""The roll's querysets, dated records and names: members/models.py and members/selectors.py."""

import datetime

import pytest

from members.models import CommitteeSeat, Member, Position, TemporaryAttendance
from members.selectors import member_history, member_record
from tests.factories import (
    CellFactory,
    CommitteeSeatFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    return CellFactory(name="Chi bộ bản Lếch")


# Search: diacritics, đ and case do not matter ----------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Đặng Quốc", "dang quoc", "DANG QUOC", "đặng   quốc", "quoc hung", "Hưng"],
)
def test_search_ignores_diacritics_case_and_spaces(cell, query):
    wanted = MemberFactory(cell=cell, full_name="Đặng Quốc Hưng")
    MemberFactory(cell=cell, full_name="Lò Văn Thanh")

    assert list(Member.objects.search(query)) == [wanted]


def test_search_with_empty_text_keeps_everyone(cell):
    members = MemberFactory.create_batch(3, cell=cell)

    assert set(Member.objects.search("")) == set(members)


def test_search_name_follows_a_renamed_member(cell):
    member = MemberFactory(cell=cell, full_name="Lò Văn Thanh")
    member.full_name = "Lò Văn Thành Đạt"
    member.save()

    assert Member.objects.get(pk=member.pk).search_name == "lo van thanh dat"
    assert list(Member.objects.search("dat")) == [member]


def test_members_are_ordered_by_folded_name(cell):
    for name in ("Đinh Văn Bình", "Cầm Thị Lan", "Bạc Văn An", "Ân Thị Hà"):
        MemberFactory(cell=cell, full_name=name)

    names = list(Member.objects.values_list("full_name", flat=True))

    assert names == ["Ân Thị Hà", "Bạc Văn An", "Cầm Thị Lan", "Đinh Văn Bình"]


# Who is on the roll, who is expected at meetings -------------------------------------------


def test_on_roll_and_expected_at_meetings(cell):
    present = MemberFactory(cell=cell)
    away = MemberFactory(cell=cell, is_away_for_work=True)
    exempt = MemberFactory(cell=cell, exempt=True)
    left = MemberFactory(cell=cell, left_on=datetime.date(2024, 6, 1))

    assert set(Member.objects.on_roll()) == {present, away, exempt}
    # Away for work is still expected (absent with reason); exempted members are not.
    assert set(Member.objects.expected_at_meetings()) == {present, away}
    assert left not in Member.objects.expected_at_meetings()


def test_is_official_follows_the_status(cell):
    assert MemberFactory(cell=cell).is_official is True
    assert MemberFactory(cell=cell, probationary=True).is_official is False


def test_probationary_members_without_card_do_not_collide(cell):
    MemberFactory(cell=cell, probationary=True)
    MemberFactory(cell=cell, probationary=True)

    assert Member.objects.filter(party_card_number__isnull=True).count() == 2


# Dated records: from inclusive, until exclusive --------------------------------------------


@pytest.mark.parametrize(
    ("on", "current"),
    [
        (datetime.date(2024, 12, 31), False),  # the day before it starts
        (datetime.date(2025, 1, 1), True),  # its first day
        (datetime.date(2025, 12, 31), True),  # its last day
        (datetime.date(2026, 1, 1), False),  # the end date is the first day without
    ],
)
@pytest.mark.parametrize("factory", [PositionFactory, CommitteeSeatFactory])
def test_dated_records_are_current_from_start_until_end_exclusive(factory, on, current):
    record = factory(starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 1, 1))

    assert (record in type(record).objects.current(on)) is current


def test_open_ended_record_stays_current(cell):
    position = PositionFactory(member=MemberFactory(cell=cell), ends_on=None)

    assert list(Position.objects.current(datetime.date(2099, 1, 1))) == [position]


def test_temporary_attendance_is_current_while_it_lasts(cell):
    host = CellFactory(name="Chi bộ tổ dân phố 3")
    stay = TemporaryAttendance.objects.create(
        member=MemberFactory(cell=cell, full_name="Vì Văn Long"),
        host_cell=host,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 7, 1),
    )

    assert list(TemporaryAttendance.objects.current(datetime.date(2026, 6, 30))) == [stay]
    assert list(TemporaryAttendance.objects.current(datetime.date(2026, 7, 1))) == []
    assert str(stay) == "Vì Văn Long → Chi bộ tổ dân phố 3"


def test_position_and_seat_names_read_in_vietnamese(cell):
    member = MemberFactory(cell=cell, full_name="Lò Văn Thanh")
    commune = OrganizationFactory(name="Đảng bộ xã Cò Nòi")

    position = PositionFactory(member=member, kind="deputy")
    seat = CommitteeSeatFactory(member=member, organization=commune, kind="executive")

    assert str(position) == "phó bí thư Chi bộ bản Lếch: Lò Văn Thanh"
    assert str(seat) == "Ban Chấp hành Đảng bộ xã Cò Nòi: Lò Văn Thanh"


# member_record and member_history ----------------------------------------------------------


def test_member_record_orders_positions_and_seats_newest_first(cell):
    member = MemberFactory(cell=cell)
    old = PositionFactory(member=member, kind="committee", starts_on=datetime.date(2015, 1, 1))
    new = PositionFactory(member=member, kind="secretary", starts_on=datetime.date(2020, 1, 1))
    seat_old = CommitteeSeatFactory(member=member, starts_on=datetime.date(2015, 1, 1))
    seat_new = CommitteeSeatFactory(member=member, starts_on=datetime.date(2020, 1, 1))
    PositionFactory()  # someone else's

    record = member_record(member)

    assert record["member"] == member
    assert list(record["positions"]) == [new, old]
    assert list(record["seats"]) == [seat_new, seat_old]
    assert record["today"] == datetime.date.today()


def test_member_record_holds_transfers_and_temporary_stays(cell):
    from members.services import transfer_member

    member = MemberFactory(cell=cell)
    target = CellFactory(name="Chi bộ bản Đông Sàn")
    transfer_member(member=member, to_cell=target, on=datetime.date(2026, 1, 5))
    stay = TemporaryAttendance.objects.create(
        member=member, host_cell=cell, starts_on=datetime.date(2026, 2, 1)
    )

    record = member_record(member)

    assert [(t.from_cell, t.to_cell) for t in record["transfers"]] == [(cell, target)]
    assert list(record["temporary_stays"]) == [stay]


@pytest.mark.parametrize("n", [1, 4])
def test_member_record_costs_one_query_per_list(cell, n, django_assert_num_queries):
    member = MemberFactory(cell=cell)
    for year in range(n):
        PositionFactory(member=member, starts_on=datetime.date(2015 + year, 1, 1))
        CommitteeSeatFactory(member=member, starts_on=datetime.date(2015 + year, 1, 1))
        TemporaryAttendance.objects.create(
            member=member, host_cell=cell, starts_on=datetime.date(2015 + year, 1, 1)
        )
    record = member_record(member)

    with django_assert_num_queries(4):
        names = [str(p.cell) for p in record["positions"]]
        names += [str(s.organization) for s in record["seats"]]
        names += [str(t.to_cell) for t in record["transfers"]]
        names += [str(t.host_cell) for t in record["temporary_stays"]]

    assert len(names) == 3 * n


def test_member_history_is_newest_first_with_its_author(cell):
    secretary = UserFactory(username="bithu")
    member = MemberFactory(cell=cell)
    for phone in ("0911111111", "0922222222"):
        member.phone = phone
        member._history_user = secretary
        member.save()

    history = list(member_history(member))

    assert [h.phone for h in history] == ["0922222222", "0911111111", ""]
    assert [h.history_type for h in history] == ["~", "~", "+"]
    assert history[0].history_user == secretary


def test_member_history_is_limited(cell):
    member = MemberFactory(cell=cell)
    for n in range(5):
        member.phone = f"09{n:08d}"
        member.save()

    assert len(member_history(member, limit=3)) == 3
    assert member_history(member, limit=3)[0].phone == "0900000004"


def test_committee_seat_ordering_is_by_organization_then_kind():
    commune = OrganizationFactory(name="Đảng bộ xã Hát Lót")
    member = MemberFactory()
    executive = CommitteeSeatFactory(member=member, organization=commune, kind="executive")
    standing = CommitteeSeatFactory(member=member, organization=commune, kind="standing")

    assert list(CommitteeSeat.objects.filter(member=member)) == [executive, standing]
