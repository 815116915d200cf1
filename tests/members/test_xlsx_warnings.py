"""Missing facts the rules can live without are warnings; only wrong records block an import."""

import datetime

import pytest
from django.urls import reverse

from meetings import rules
from members.forms import MemberForm
from members.models import Member, MemberStatus
from members.xlsx.importer import import_members
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, RoleFactory
from tests.members.test_xlsx import row, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def commune():
    return OrganizationFactory(code="co-noi", name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def cell(commune):
    return CellFactory(parent=commune, code="ban-lech", name="Chi bộ bản Lếch")


@pytest.fixture
def staff(commune):
    return RoleFactory(organization=commune, kind="staff").user


def real_list():
    """Like a town's real roll: 835 members, 823 without an official date, 75
    exempted without a recorded reason."""
    rows = []
    for n in range(835):
        exempt = 700 <= n < 775
        rows.append(
            row(
                full_name=f"Đảng viên Số {n}",
                party_card_number=f"{93100000 + n}",
                official_on="" if n < 823 else "03/03/2006",
                status="Chính thức",
                is_exempt="Có" if exempt else "Không",
            )
        )
    return xlsx(rows)


def test_import_members_real_list_imports_with_warnings_counted(cell, staff):
    result = import_members(file=real_list(), user=staff)

    assert (result.created, result.updated, result.errors) == (835, 0, [])
    columns = [w.column for w in result.warnings]
    assert (len(columns), columns.count("Ngày chính thức"), columns.count("Lý do miễn")) == (
        898,
        823,
        75,
    )
    first = result.warnings[0]
    assert (first.row, first.column, first.message) == (
        2,
        "Ngày chính thức",
        "The official date is not recorded; the member is imported as official.",
    )
    members = Member.objects.filter(cell=cell)
    assert members.filter(status=MemberStatus.OFFICIAL, official_on__isnull=True).count() == 823
    assert members.filter(is_exempt=True, exempt_reason="").count() == 75


def test_import_members_error_still_blocks_the_whole_file_beside_warnings(cell, staff):
    file = xlsx(
        [
            row(party_card_number="93000001", official_on=""),
            row(party_card_number="93000002", official_on="01/01/2004"),  # before joining
        ]
    )

    result = import_members(file=file, user=staff)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Ngày chính thức", "The official date is before the admission date.")
    ]
    assert [(w.row, w.column) for w in result.warnings] == [(2, "Ngày chính thức")]
    assert Member.objects.count() == 0


def test_import_members_warns_when_an_old_member_would_become_probationary(cell, staff):
    file = xlsx(
        [
            row(party_card_number="", status="", official_on="", joined_on="03/03/2005"),
            row(
                full_name="Cầm Thị Yến",
                party_card_number="",
                status="",
                official_on="",
                joined_on=f"{datetime.date.today() - datetime.timedelta(days=30):%d/%m/%Y}",
            ),
        ]
    )

    result = import_members(file=file, user=staff)

    assert (result.created, result.errors) == (2, [])
    assert [(w.row, w.column) for w in result.warnings] == [(2, "Trạng thái")]
    assert set(Member.objects.values_list("status", flat=True)) == {MemberStatus.PROBATIONARY}


def test_member_import_page_shows_warnings_after_import(client, cell, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)

    response = client.post(reverse("member_import"), {"file": real_list()})

    assert response.status_code == 200
    assert Member.objects.count() == 835
    assert [str(m) for m in response.context["messages"]] == ["835 created, 0 updated."]
    assert (response.context["warning_count"], len(response.context["warnings"])) == (898, 500)
    page = response.content.decode()
    assert 'id="import-warnings"' in page
    assert "The file was imported with 898 warnings" in page
    assert "The first 500 are listed." in page
    assert page.count("The official date is not recorded") == 500
    assert reverse("member_list") in page


def test_member_import_page_lists_warnings_beside_errors(client, cell, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    file = xlsx([row(official_on=""), row(party_card_number="1", official_on="01/01/2004")])

    response = client.post(reverse("member_import"), {"file": file})

    page = response.content.decode()
    assert (response.context["error_count"], response.context["warning_count"]) == (1, 1)
    assert "The file also has 1 warning, which would not stop the import." in page
    assert Member.objects.count() == 0


def test_official_member_without_official_date_is_official_and_votes():
    member = Member(status=MemberStatus.OFFICIAL, official_on=None)

    assert rules.is_official_on(member, datetime.date(2026, 2, 5)) is True


def form_data(member, **changes):
    data = {
        "full_name": member.full_name,
        "gender": "male",
        "cell": member.cell_id,
        "status": member.status,
        "party_card_number": member.party_card_number or "",
        "joined_on": f"{member.joined_on:%Y-%m-%d}",
        "official_on": f"{member.official_on:%Y-%m-%d}" if member.official_on else "",
        "is_exempt": "on" if member.is_exempt else "",
        "exempt_reason": member.exempt_reason,
        "phone": "0912345678",
    }
    return {**data, **changes}


def test_member_form_edits_an_imported_record_without_demanding_missing_facts(cell, staff):
    member = MemberFactory(cell=cell, official_on=None, is_exempt=True, exempt_reason="")

    form = MemberForm(form_data(member), instance=member, user=staff)

    assert form.is_valid(), form.errors
    form.save()
    member.refresh_from_db()
    assert (member.phone, member.official_on, member.exempt_reason) == ("0912345678", None, "")


def test_member_form_still_asks_a_new_or_promoted_member_for_the_facts(cell, staff):
    new = Member(cell=cell, full_name="Lò Văn Mới", joined_on=datetime.date(2005, 3, 3))
    promoted = MemberFactory(cell=cell, probationary=True, joined_on=datetime.date(2024, 1, 1))

    new_form = MemberForm(
        form_data(new, status="official", is_exempt="on"), instance=new, user=staff
    )
    promoted_form = MemberForm(
        form_data(promoted, status="official"), instance=promoted, user=staff
    )

    assert set(new_form.errors) == {"official_on", "exempt_reason"}
    assert set(promoted_form.errors) == {"official_on"}


def test_member_import_page_shows_warnings_in_vietnamese(client, cell, staff):
    client.force_login(staff)
    file = xlsx([row(official_on="", is_exempt="Có")])

    response = client.post(reverse("member_import"), {"file": file})

    page = response.content.decode()
    assert "Tệp đã được nhập, có 2 cảnh báo" in page
    assert "Chưa ghi ngày chính thức; đảng viên vẫn được nhập là đảng viên chính thức." in page
    assert "Chưa ghi lý do miễn sinh hoạt; việc miễn sinh hoạt vẫn được nhập." in page
    assert Member.objects.count() == 1
