"""MemberForm: each rule's message in Vietnamese, old records' gaps, the scoped cell choice."""

import datetime

import pytest
from django.utils import translation

from members.forms import DateInput, MemberForm
from tests.factories import CellFactory, MemberFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cell():
    return CellFactory(name="Chi bộ bản Lếch")


@pytest.fixture
def secretary(cell):
    user = UserFactory()
    RoleFactory(user=user, organization=cell, kind="secretary")
    return user


def data(cell, **changes):
    fields = {
        "full_name": "Lò Văn Thanh",
        "gender": "male",
        "birth_date": "1980-05-02",
        "cell": cell.pk,
        "status": "official",
        "party_card_number": "12345678",
        "joined_on": "2005-03-03",
        "official_on": "2006-03-03",
    }
    return {**fields, **changes}


def errors(form) -> dict:
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"official_on": ""},
            {"official_on": ["Đảng viên chính thức cần có ngày trở thành đảng viên chính thức."]},
        ),
        (
            {"status": "probationary", "party_card_number": ""},
            {"official_on": ["Đảng viên dự bị chưa có ngày chính thức."]},
        ),
        (
            {"official_on": "2005-03-02"},
            {"official_on": ["Ngày chính thức không thể trước ngày vào Đảng."]},
        ),
        (
            {"birth_date": "2099-01-01"},
            {
                "birth_date": ["Ngày này ở trong tương lai."],
                "joined_on": ["Đảng viên được kết nạp từ 18 tuổi trở lên."],
            },
        ),
        (
            {"birth_date": "1988-01-01"},
            {"joined_on": ["Đảng viên được kết nạp từ 18 tuổi trở lên."]},
        ),
        ({"is_exempt": "on"}, {"exempt_reason": ["Hãy nhập lý do miễn sinh hoạt."]}),
        (
            {"is_exempt": "on", "exempt_reason": "Tuổi cao", "exempt_since": "2099-01-01"},
            {"exempt_since": ["Ngày này ở trong tương lai."]},
        ),
        (
            {"status": "dang-vien"},
            {
                "status": [
                    "Hãy chọn một lựa chọn hợp lệ. "
                    "dang-vien không phải là một trong các lựa chọn khả thi."
                ]
            },
        ),
    ],
)
def test_member_form_messages_in_vietnamese(secretary, cell, changes, expected):
    form = MemberForm(data(cell, **changes), user=secretary)

    assert errors(form) == expected


def test_member_form_future_admission_reports_both_dates(secretary, cell):
    form = MemberForm(data(cell, joined_on="2099-01-01", official_on="2099-06-01"), user=secretary)

    assert errors(form) == {
        "joined_on": ["Ngày này ở trong tương lai."],
        "official_on": ["Ngày này ở trong tương lai."],
    }


def test_member_form_admitted_the_year_of_their_18th_birthday_is_accepted(secretary, cell):
    form = MemberForm(data(cell, birth_date="1987-12-31", joined_on="2005-01-01"), user=secretary)

    assert errors(form) == {}


def test_member_form_accepts_today(secretary, cell):
    today = datetime.date.today().isoformat()
    form = MemberForm(
        data(cell, is_exempt="on", exempt_reason="Ốm đau", exempt_since=today), user=secretary
    )

    assert errors(form) == {}


def test_member_form_collapses_spaces_in_the_name(secretary, cell):
    form = MemberForm(data(cell, full_name="  Lò   Văn\tThanh "), user=secretary)

    assert form.is_valid()
    assert form.cleaned_data["full_name"] == "Lò Văn Thanh"


def test_member_form_empty_card_is_stored_as_none(secretary, cell):
    MemberFactory(cell=cell, probationary=True)
    form = MemberForm(
        data(cell, status="probationary", party_card_number="", official_on=""), user=secretary
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["party_card_number"] is None


def test_member_form_not_exempt_drops_the_exemption_fields(secretary, cell):
    form = MemberForm(
        data(cell, exempt_reason="Tuổi cao", exempt_since="2024-01-01"), user=secretary
    )

    assert form.is_valid()
    assert (form.cleaned_data["exempt_reason"], form.cleaned_data["exempt_since"]) == ("", None)


def test_member_form_keeps_own_card_number_on_edit(secretary, cell):
    member = MemberFactory(cell=cell, party_card_number="12345678")

    form = MemberForm(data(cell), instance=member, user=secretary)

    assert errors(form) == {}


def test_member_form_edit_of_old_record_does_not_demand_what_it_lacked(secretary, cell):
    """An imported record without official date or exemption reason can be edited."""
    member = MemberFactory(
        cell=cell, official_on=None, is_exempt=True, exempt_reason="", exempt_since=None
    )

    form = MemberForm(
        data(cell, official_on="", is_exempt="on", party_card_number=member.party_card_number),
        instance=member,
        user=secretary,
    )

    assert errors(form) == {}


def test_member_form_new_record_must_be_complete_even_if_old_ones_are_not(secretary, cell):
    MemberFactory(cell=cell, official_on=None)

    form = MemberForm(data(cell, official_on=""), user=secretary)

    assert list(errors(form)) == ["official_on"]


def test_member_form_offers_only_the_cells_the_user_keeps(cell):
    other = CellFactory(name="Chi bộ bản Đông Sàn")
    deputy, secretary = UserFactory(), UserFactory()
    RoleFactory(user=deputy, organization=cell, kind="deputy")
    RoleFactory(user=secretary, organization=cell, kind="secretary")

    assert list(MemberForm(user=secretary).fields["cell"].queryset) == [cell]
    assert list(MemberForm(user=deputy).fields["cell"].queryset) == []
    assert errors(MemberForm(data(other), user=secretary)) == {
        "cell": ["Lựa chọn này không nằm trong phạm vi bạn được chọn; hãy tìm lại."]
    }


def test_member_form_helps_with_the_card_number(secretary):
    form = MemberForm(user=secretary)

    assert form.fields["party_card_number"].help_text == "Để trống với đảng viên dự bị."


def test_date_input_is_a_native_picker_in_iso_format():
    html = DateInput().render("joined_on", datetime.date(2005, 3, 3))

    assert html == '<input type="date" name="joined_on" value="2005-03-03">'
