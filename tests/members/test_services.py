"""members.services: transfers, dissolving a cell into others, saving a record."""

import datetime

import pytest
from django.utils import translation

from chibo.models import Organization, Reorganization
from chibo.tree import TreeError
from members.models import Member, Transfer
from members.services import MemberError, dissolve_cell, save_member, transfer_member
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def lech(commune):
    return CellFactory(parent=commune, name="Chi bộ bản Lếch")


@pytest.fixture
def dong_san(commune):
    return CellFactory(parent=commune, name="Chi bộ bản Đông Sàn")


# transfer_member ------------------------------------------------------------------------


def test_transfer_member_moves_the_home_cell_and_keeps_the_transfer(lech, dong_san):
    member = MemberFactory(cell=lech)
    staff = UserFactory()

    moved = transfer_member(member=member, to_cell=dong_san, on=ON, by=staff, reason="Chuyển nhà")

    transfer = Transfer.objects.get()
    assert Member.objects.get(pk=member.pk).cell == dong_san
    assert moved.cell == dong_san
    assert (transfer.member, transfer.from_cell, transfer.to_cell) == (member, lech, dong_san)
    assert (transfer.date, transfer.reason, transfer.recorded_by) == (ON, "Chuyển nhà", staff)
    assert (
        str(transfer) == f"{member.full_name}: Chi bộ bản Lếch → Chi bộ bản Đông Sàn (01/03/2026)"
    )


def test_transfer_member_to_a_committee_is_refused(lech, commune):
    member = MemberFactory(cell=lech)

    with pytest.raises(MemberError) as error:
        transfer_member(member=member, to_cell=commune, on=ON)

    assert str(error.value) == "Đảng viên chỉ sinh hoạt ở chi bộ."
    assert Member.objects.get(pk=member.pk).cell == lech
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize(
    ("founded_on", "dissolved_on"),
    [
        (datetime.date(2026, 3, 2), None),  # founded the day after
        (datetime.date(2010, 1, 1), ON),  # dissolved that very day
    ],
)
def test_transfer_member_to_a_cell_not_active_that_day_is_refused(
    lech, commune, founded_on, dissolved_on
):
    member = MemberFactory(cell=lech)
    target = CellFactory(
        parent=commune, name="Chi bộ bản Mới", founded_on=founded_on, dissolved_on=dissolved_on
    )

    with pytest.raises(MemberError) as error:
        transfer_member(member=member, to_cell=target, on=ON)

    assert str(error.value) == "Chi bộ bản Mới không hoạt động vào ngày đó."
    assert Transfer.objects.count() == 0


def test_transfer_member_to_a_cell_founded_that_day_is_allowed(lech, commune):
    member = MemberFactory(cell=lech)
    target = CellFactory(parent=commune, founded_on=ON)

    transfer_member(member=member, to_cell=target, on=ON)

    assert Member.objects.get(pk=member.pk).cell == target


def test_transfer_member_to_the_same_cell_is_refused(lech):
    member = MemberFactory(cell=lech)

    with pytest.raises(MemberError) as error:
        transfer_member(member=member, to_cell=lech, on=ON)

    assert str(error.value) == "Đảng viên đã sinh hoạt ở Chi bộ bản Lếch."
    assert Transfer.objects.count() == 0


def test_transfer_member_is_in_the_member_history(lech, dong_san):
    member = MemberFactory(cell=lech)
    staff = UserFactory()

    transfer_member(member=member, to_cell=dong_san, on=ON, by=staff)

    latest = member.history.order_by("-history_date", "-history_id").first()
    assert (latest.cell_id, latest.history_type) == (dong_san.pk, "~")


# dissolve_cell -------------------------------------------------------------------------


def test_dissolve_cell_moves_every_member_then_closes_the_cell(commune, lech, dong_san):
    other = CellFactory(parent=commune, name="Chi bộ bản Cang Mường")
    first, second = MemberFactory(cell=lech), MemberFactory(cell=lech)
    staff = UserFactory()

    cell = dissolve_cell(
        cell=lech,
        destinations={first.pk: dong_san, second.pk: other},
        on=ON,
        by=staff,
        decision="Quyết định số 12-QĐ/ĐU",
    )

    moves = {t.member_id: (t.to_cell, t.reason) for t in Transfer.objects.all()}
    assert moves == {
        first.pk: (dong_san, "Quyết định số 12-QĐ/ĐU"),
        second.pk: (other, "Quyết định số 12-QĐ/ĐU"),
    }
    assert cell.dissolved_on == ON
    assert Organization.objects.get(pk=lech.pk).dissolved_on == ON
    event = Reorganization.objects.get(organization=lech, kind="dissolved")
    assert (event.kind, event.date, event.decision, event.recorded_by) == (
        "dissolved",
        ON,
        "Quyết định số 12-QĐ/ĐU",
        staff,
    )


def test_dissolve_cell_without_decision_gives_the_transfers_a_reason(lech, dong_san):
    member = MemberFactory(cell=lech)

    dissolve_cell(cell=lech, destinations={member.pk: dong_san}, on=ON)

    assert Transfer.objects.get().reason == "Chi bộ giải thể"


def test_dissolve_cell_needs_a_destination_for_every_member(lech, dong_san):
    kept = MemberFactory(cell=lech, full_name="Lò Văn An")
    MemberFactory(cell=lech, full_name="Cầm Thị Bình")
    MemberFactory(cell=lech, full_name="Quàng Văn Cường")

    with pytest.raises(MemberError) as error:
        dissolve_cell(cell=lech, destinations={kept.pk: dong_san}, on=ON)

    assert str(error.value) == "Hãy chọn chi bộ mới cho: Cầm Thị Bình, Quàng Văn Cường."
    assert Transfer.objects.count() == 0
    assert Organization.objects.get(pk=lech.pk).dissolved_on is None


def test_dissolve_cell_leaves_former_members_where_they_were(lech, dong_san):
    staying = MemberFactory(cell=lech)
    former = MemberFactory(cell=lech, left_on=datetime.date(2020, 1, 1))

    dissolve_cell(cell=lech, destinations={staying.pk: dong_san}, on=ON)

    assert Member.objects.get(pk=staying.pk).cell == dong_san
    assert Member.objects.get(pk=former.pk).cell == lech


def test_dissolve_cell_refuses_a_committee(commune):
    with pytest.raises(TreeError) as error:
        dissolve_cell(cell=commune, destinations={}, on=ON)

    assert (
        str(error.value) == "Chỉ chi bộ mới có thể giải thể và chuyển đảng viên sang chi bộ khác."
    )
    assert Organization.objects.get(pk=commune.pk).dissolved_on is None


def test_dissolve_cell_into_a_closed_cell_undoes_every_move(commune, lech, dong_san):
    closed = CellFactory(
        parent=commune, name="Chi bộ bản Cũ", dissolved_on=datetime.date(2025, 7, 1)
    )
    # Moved in name order: the first move succeeds before the second is refused.
    first = MemberFactory(cell=lech, full_name="Lò Văn An")
    second = MemberFactory(cell=lech, full_name="Lò Văn Yến")

    with pytest.raises(MemberError):
        dissolve_cell(cell=lech, destinations={first.pk: dong_san, second.pk: closed}, on=ON)

    # One atomic block: the first member's move is rolled back with the refusal.
    assert set(Member.objects.values_list("cell_id", flat=True)) == {lech.pk}
    assert Transfer.objects.count() == 0


# save_member -----------------------------------------------------------------------------


def test_save_member_creates_a_new_member_without_transfer(lech):
    member = MemberFactory.build(cell=lech, full_name="Lường  Văn Thoan")

    saved = save_member(member=member)

    assert saved.pk is not None
    assert saved.search_name == "luong van thoan"
    assert Transfer.objects.count() == 0


def test_save_member_in_the_same_cell_records_no_transfer(lech):
    member = MemberFactory(cell=lech)
    member.phone = "0912345678"

    save_member(member=member)

    assert Member.objects.get(pk=member.pk).phone == "0912345678"
    assert Transfer.objects.count() == 0


def test_save_member_in_another_cell_becomes_a_transfer_dated_today(lech, dong_san):
    member = MemberFactory(cell=lech)
    staff = UserFactory()
    member.cell, member.phone = dong_san, "0987654321"

    save_member(member=member, by=staff)

    transfer = Transfer.objects.get()
    saved = Member.objects.get(pk=member.pk)
    assert (saved.cell, saved.phone) == (dong_san, "0987654321")
    assert (transfer.from_cell, transfer.to_cell, transfer.recorded_by) == (lech, dong_san, staff)
    assert transfer.date == datetime.date.today()
    assert transfer.reason == "Thay đổi trên hồ sơ đảng viên"


def test_save_member_takes_the_date_of_the_move(lech, dong_san):
    member = MemberFactory(cell=lech)
    member.cell = dong_san

    save_member(member=member, on=ON)

    assert Transfer.objects.get().date == ON


def test_save_member_into_a_dissolved_cell_saves_nothing(commune, lech):
    closed = CellFactory(parent=commune, dissolved_on=datetime.date(2025, 7, 1))
    member = MemberFactory(cell=lech, phone="")
    member.cell, member.phone = closed, "0900000000"

    with pytest.raises(MemberError):
        save_member(member=member)

    saved = Member.objects.get(pk=member.pk)
    assert (saved.cell, saved.phone) == (lech, "")
    assert Transfer.objects.count() == 0
