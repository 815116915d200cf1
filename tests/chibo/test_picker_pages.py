"""The pages that choose a cell or an organization: their HTML does not grow
with the number of cells in scope, and a cell typed without JavaScript
filters the lists (one match), asks to choose (several) or says none does."""

import pytest
from django.urls import reverse

from chibo.models import OrganizationKind
from tests.factories import (
    CellFactory,
    CommitteeSeatFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The thematic report lists its cells by design (paginating it is another change).
PAGES = ["member_list", "meeting_list", "feedback_list", "assignment_bulk"]


@pytest.fixture
def commune():
    return OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Liên Khê")


@pytest.fixture
def staff(commune):
    user = UserFactory(username="van-phong")
    RoleFactory(user=user, organization=commune, kind="staff")
    return user


def add_cells(commune, start: int, stop: int):
    for n in range(start, stop):
        CellFactory(parent=commune, name=f"Chi bộ thôn {n:03}", code=f"thon-{n:03}")


def sizes(client) -> dict[str, int]:
    found = {}
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Chi bộ thôn 0" not in html, name  # no cell is listed to choose from
        found[name] = len(response.content)
    return found


def test_pages_do_not_grow_from_20_to_200_cells(client, commune, staff):
    add_cells(commune, 0, 20)
    cadre = MemberFactory(cell=CellFactory(parent=commune), full_name="Nguyễn Thị Cán")
    CommitteeSeatFactory(member=cadre, organization=commune)
    client.force_login(staff)
    small = sizes(client)

    add_cells(commune, 20, 200)
    large = sizes(client)

    # The same within a few bytes: the pages print some counts.
    assert {name: abs(large[name] - small[name]) <= 40 for name in PAGES} == dict.fromkeys(
        PAGES, True
    ), (small, large)


@pytest.fixture
def cells(commune):
    return [
        CellFactory(parent=commune, name=name)
        for name in ("Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ trường học")
    ]


def test_member_list_filters_by_a_cell_typed_without_js(client, staff, cells):
    MemberFactory(cell=cells[0], full_name="Lò Văn Đông")
    MemberFactory(cell=cells[1], full_name="Lò Văn Tây")
    client.force_login(staff)

    response = client.get(reverse("member_list"), {"cell_q": "thon dong"})

    assert [m.full_name for m in response.context["page_obj"]] == ["Lò Văn Đông"]
    html = response.content.decode()
    assert f'name="cell" value="{cells[0].pk}"' in html  # shown as chosen
    assert f"/members/export.xlsx?cell={cells[0].pk}" in html


def test_member_list_asks_to_choose_among_several(client, staff, cells):
    client.force_login(staff)

    response = client.get(reverse("member_list"), {"cell_q": "thôn"})

    html = response.content.decode()
    assert "Có 2 kết quả khớp với “thôn”: hãy chọn bên dưới, hoặc gõ thêm tên." in html
    assert html.count('type="radio" name="cell"') == 2
    assert "Chi bộ trường học" not in html


def test_member_list_says_when_nothing_matches(client, staff, cells):
    client.force_login(staff)

    response = client.get(reverse("member_list"), {"cell_q": "Bản Lếch"})

    assert "Không có kết quả nào khớp với “Bản Lếch”" in response.content.decode()


def test_member_list_out_of_scope_cell_is_refused_with_a_message(client, staff, cells):
    outsider = CellFactory(name="Chi bộ ngoài")
    MemberFactory(cell=outsider, full_name="Người Ngoài")
    client.force_login(staff)

    response = client.get(reverse("member_list"), {"cell": outsider.pk})

    html = response.content.decode()
    assert "Lựa chọn này không nằm trong phạm vi bạn được chọn; hãy tìm lại." in html
    assert "Người Ngoài" not in html and "Chi bộ ngoài" not in html


def test_meeting_list_by_typed_cell_and_refusals(client, staff, cells):
    client.force_login(staff)
    url = reverse("meeting_list")

    one = client.get(url, {"cell_q": "truong"})
    several = client.get(url, {"cell_q": "thon", "year": "2025"})

    assert one.status_code == 200
    assert f'name="cell" value="{cells[2].pk}"' in one.content.decode()
    assert several.status_code == 200
    assert several.context["year"] == 2025  # the other filters still apply
    assert client.get(url, {"cell": CellFactory().pk}).status_code == 404


def test_feedback_list_by_typed_organization(client, staff, commune, cells):
    client.force_login(staff)

    response = client.get(reverse("feedback_list"), {"organization_q": "Liên Khê"})

    assert response.status_code == 200
    assert f'name="organization" value="{commune.pk}"' in response.content.decode()


def test_thematic_report_shows_its_organization_as_chosen(client, staff, commune, cells):
    client.force_login(staff)

    for query in ({}, {"quarter": "2026-Q1"}):
        html = client.get(reverse("thematic_report"), query).content.decode()
        assert f'name="root" value="{commune.pk}" id="id_root_{commune.pk}" checked' in html
