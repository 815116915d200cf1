"""BoundedPaginator and the lists that use it: an exact count below the
bound, "Page n of N+" above it, the last page for a page past the end.
The pages answer in Vietnamese, the default language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo import pagination
from chibo.models import Organization
from chibo.pagination import BoundedPaginator
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def rows(n: int):
    parent = OrganizationFactory()
    for _ in range(n):
        CellFactory(parent=parent)
    return Organization.objects.filter(path__startswith=parent.path).cells().order_by("path")


def test_below_the_bound_the_count_is_exact():
    paginator = BoundedPaginator(rows(4), 2, bound_pages=2)

    page = paginator.get_page(1)

    assert (paginator.count, paginator.exact, paginator.num_pages) == (4, True, 2)
    assert (paginator.shown_pages, page.has_next()) == (2, True)
    assert paginator.get_page(2).has_next() is False


def test_above_the_bound_the_count_stops_and_says_so():
    paginator = BoundedPaginator(rows(7), 2, bound_pages=2)

    page = paginator.get_page("1")

    assert (paginator.count, paginator.exact, paginator.lower_bound) == (5, False, 4)
    assert (paginator.shown_pages, paginator.num_pages) == (2, 3)
    assert page.has_next() is True
    assert [o.pk for o in page] == [o.pk for o in rows_of(paginator)[:2]]


def rows_of(paginator):
    return list(paginator.object_list)


def test_a_page_past_the_bound_counts_up_to_the_next_page():
    paginator = BoundedPaginator(rows(20), 2, bound_pages=2)

    page = paginator.get_page(5)

    # Pages up to 6 are known full, and one row more exists.
    assert (paginator.count, paginator.exact, paginator.shown_pages) == (13, False, 6)
    assert (page.number, page.has_previous(), page.has_next()) == (5, True, True)
    assert page.start_index() == 9


def test_a_page_past_the_end_answers_the_last_page():
    paginator = BoundedPaginator(rows(3), 2, bound_pages=2)

    page = paginator.get_page(99)

    assert (page.number, paginator.exact, paginator.count, page.has_next()) == (2, True, 3, False)


@pytest.mark.parametrize("number", ["abc", "", None, "-3", "1e400", str(10**30)])
def test_a_bad_page_number_answers_a_page(number):
    paginator = BoundedPaginator(rows(3), 2, bound_pages=2)

    page = paginator.get_page(number)

    assert page.number in (1, 2)
    assert paginator.count == 3


def test_the_count_is_one_query_with_a_limit():
    queryset = rows(9)
    paginator = BoundedPaginator(queryset, 2, bound_pages=2)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5

    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "LIMIT 5" in sql and "ORDER BY" not in sql


def test_ids_first_gives_the_same_rows_in_the_same_order(django_assert_num_queries):
    from members.models import Member

    cell = CellFactory()
    for name in ["Vũ Thị Hà", "Nguyễn Văn An", "Lê Văn Bình", "Nguyễn Văn An", "Đỗ Thị Lan"]:
        MemberFactory(cell=cell, full_name=name)
    members = Member.objects.filter(cell=cell).select_related("cell")
    plain = list(BoundedPaginator(members, 2).get_page(2))
    paginator = BoundedPaginator(members, 2, ids_first=True)

    with django_assert_num_queries(3):  # the count, the page's ids, then its rows and cells
        page = paginator.get_page(2)
        shown = [(member, member.cell.name) for member in page]

    assert [member for member, _cell in shown] == plain
    assert page.start_index() == 3 and page.has_next()


def test_a_list_is_counted_exactly():
    paginator = BoundedPaginator(list(range(30)), 2, bound_pages=2)

    assert (paginator.count, paginator.exact, paginator.num_pages) == (30, True, 15)


def test_the_default_bound_is_forty_pages():
    assert BoundedPaginator([], 25).lower_bound == 1000


# --- the lists -------------------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 and a bound of 2 pages, so a few rows pass the bound."""
    monkeypatch.setattr(pagination, "BOUND_PAGES", 2)
    monkeypatch.setattr("members.views.roll.PAGE_SIZE", 2)
    monkeypatch.setattr("meetings.views.schedule.PAGE_SIZE", 2)


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def staff(client, commune):
    user = UserFactory()
    RoleFactory(user=user, organization=commune, kind="staff")
    client.force_login(user)
    return user


def members(commune, n):
    cell = CellFactory(parent=commune)
    MemberFactory.create_batch(n, cell=cell)


def test_member_list_above_the_bound(client, staff, commune, small_pages):
    members(commune, 7)

    html = client.get(reverse("member_list")).content.decode()

    assert "Trang 1 / hơn 2<" in html
    assert "Hơn 4 đảng viên" in html
    assert "page=2" in html


def test_member_list_below_the_bound_is_exact(client, staff, commune, small_pages):
    members(commune, 3)

    html = client.get(reverse("member_list")).content.decode()

    assert "Trang 1 / 2<" in html
    assert "3 đảng viên" in html and "Hơn" not in html


def test_member_list_last_page_and_past_the_end(client, staff, commune, small_pages):
    members(commune, 7)

    last = client.get(reverse("member_list"), {"page": 4})
    past = client.get(reverse("member_list"), {"page": 40})

    for response in (last, past):
        html = response.content.decode()
        assert response.context["page_obj"].number == 4
        assert "Trang 4 / 4<" in html and "7 đảng viên" in html
        assert "page=3" in html and "page=5" not in html
    assert len(last.context["page_obj"]) == 1


def test_member_list_bad_page_answers_the_first(client, staff, commune, small_pages):
    members(commune, 7)

    response = client.get(reverse("member_list"), {"page": "x"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_meeting_list_above_the_bound(client, staff, commune, small_pages):
    cell = CellFactory(parent=commune)
    for month in range(1, 8):
        MeetingFactory(
            cell=cell, period=MeetingFactory._meta.declarations["period"].replace(month=month)
        )

    response = client.get(reverse("meeting_list"), {"year": 2026})
    html = response.content.decode()

    assert "Trang 1 / hơn 2<" in html and "Hơn 4 buổi sinh hoạt" in html
    page3 = client.get(reverse("meeting_list"), {"year": 2026, "page": 3}).content.decode()
    assert "Trang 3 / 4<" in page3 and "7 buổi sinh hoạt" in page3


@pytest.mark.parametrize("n", [3, 30])
def test_member_list_query_count_is_constant(client, staff, commune, n, django_assert_num_queries):
    members(commune, n)

    with django_assert_num_queries(9) as captured:  # the page's ids, then its rows
        client.get(reverse("member_list"))

    assert any("LIMIT 1001" in q["sql"] for q in captured.captured_queries)


def test_member_list_html_does_not_grow_with_the_scope(client, staff, commune):
    members(commune, 30)
    small = len(client.get(reverse("member_list")).content)
    members(commune, 270)
    large = len(client.get(reverse("member_list")).content)

    assert abs(large - small) < 200


def test_a_slice_keeps_the_page_shown_and_the_length_only():
    from chibo.pagination import Slice

    rows = list(range(1, 61))  # 60 rows, 25 a page

    second = Slice.of(rows, 25, "2")
    last = Slice.of(rows, 25, "99")  # past the end: the last page, as Paginator.get_page
    bad = Slice.of(rows, 25, "x")

    assert (second.rows, second.number, second.count) == (list(range(26, 51)), 2, 60)
    assert (last.number, last.rows) == (3, list(range(51, 61)))
    assert bad.number == 1
    page = second.page(25)
    assert list(page) == list(range(26, 51))
    assert (page.paginator.num_pages, page.has_next(), page.previous_page_number()) == (3, True, 1)
    assert page.paginator.count == 60
