"""The thematic report summarised by sub-organization, with its drill-down.

Tree:  P ─┬─ A (commune) ─┬─ A1, A2 (cells)
          │               └─ S (subcommittee) ── S1 (cell)
          └─ B (commune) ── B1 (cell)
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.selectors.schedule import (
    ThematicTally,
    annotate_thematic,
    report_cells,
    tallies,
    thematic_cells,
    thematic_report,
)
from tests.factories import (
    CellFactory,
    MeetingFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Q1 = {"quarter": "2026-Q1"}


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def user_with(kind, organization):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


def thematic(cell, state="held", day=(2026, 2, 20)):
    return MeetingFactory(
        cell=cell, kind="thematic", topic="Chuyển đổi số", state=state, scheduled_at=local(*day, 19)
    )


@pytest.fixture
def tree():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    s = OrganizationFactory(parent=a, kind="subcommittee", name="Chi bộ cơ sở Trường")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Chiềng Mai")
    nodes = {"P": p, "A": a, "S": s, "B": b}
    nodes["A1"] = CellFactory(parent=a, name="Chi bộ bản Lếch")
    nodes["A2"] = CellFactory(parent=a, name="Chi bộ bản Nà Sản")
    nodes["S1"] = CellFactory(parent=s, name="Chi bộ lớp 12")
    nodes["B1"] = CellFactory(parent=b, name="Chi bộ bản Mé")
    thematic(nodes["A1"])
    thematic(nodes["A2"], state="planned", day=(2026, 3, 25))
    MeetingFactory(cell=nodes["S1"], has_thematic_part=True)
    thematic(nodes["S1"], state="planned", day=(2026, 3, 26))
    # Outside the quarter, or cancelled: neither counts.
    thematic(nodes["B1"], day=(2026, 4, 2))
    thematic(nodes["B1"], state="cancelled", day=(2026, 3, 2))
    return nodes


@pytest.fixture
def province_staff(tree):
    return user_with("staff", tree["P"])


def rows(response):
    return [(row.name, tally) for row, tally in response.context["rows"]]


def test_the_province_sees_one_row_per_commune(client, tree, province_staff):
    client.force_login(province_staff)

    response = client.get(reverse("thematic_report"), Q1)

    assert response.status_code == 200
    assert response.context["root"] == tree["P"]
    assert response.context["report"].total == ThematicTally(cells=4, held=2, planned=1)
    assert rows(response) == [
        ("Đảng bộ xã Chiềng Mai", ThematicTally(cells=1, held=0, planned=0)),
        ("Đảng bộ xã Cò Nòi", ThematicTally(cells=3, held=2, planned=1)),
    ]
    html = response.content.decode()
    assert f'href="?root={tree["A"].pk}&amp;quarter=2026-Q1"' in html
    assert f'href="?root={tree["B"].pk}&amp;quarter=2026-Q1&amp;show=none"' in html


def test_the_drill_down_shows_sub_organizations_then_cells(client, tree, province_staff):
    client.force_login(province_staff)

    response = client.get(reverse("thematic_report"), {**Q1, "root": tree["A"].pk})

    assert response.context["report"].total == ThematicTally(cells=3, held=2, planned=1)
    assert rows(response) == [
        ("Chi bộ cơ sở Trường", ThematicTally(cells=1, held=1, planned=0)),
        ("Chi bộ bản Lếch", None),
        ("Chi bộ bản Nà Sản", None),
    ]
    cells = [(r.name, r.thematic_held, r.thematic_planned) for r, _ in response.context["rows"][1:]]
    assert cells == [("Chi bộ bản Lếch", True, False), ("Chi bộ bản Nà Sản", False, True)]
    assert f'href="/meetings/?cell={tree["A1"].pk}&amp;year=2026"' in response.content.decode()


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("held", ["Chi bộ cơ sở Trường", "Chi bộ bản Lếch"]),
        ("planned", ["Chi bộ cơ sở Trường", "Chi bộ bản Nà Sản"]),
        ("none", ["Chi bộ cơ sở Trường"]),
        ("nonsense", ["Chi bộ cơ sở Trường", "Chi bộ bản Lếch", "Chi bộ bản Nà Sản"]),
    ],
)
def test_show_keeps_the_cells_in_that_state(client, tree, province_staff, show, expected):
    client.force_login(province_staff)

    response = client.get(reverse("thematic_report"), {**Q1, "root": tree["A"].pk, "show": show})

    assert [name for name, _ in rows(response)] == expected
    assert response.context["report"].show == (None if show == "nonsense" else show)


def test_the_summary_equals_the_cells_figures(tree, province_staff):
    """The grouped SQL and the per-cell annotation follow one rule."""
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)
    figures = tallies(province_staff, [tree["A"], tree["B"], tree["S"]], year=2026, quarter=1)

    for name in ("A", "B", "S"):
        cells = annotate_thematic(
            report_cells(province_staff, start, end).filter(path__startswith=tree[name].path),
            start,
            end,
        )
        held = sum(1 for c in cells if c.thematic_held)
        planned = sum(1 for c in cells if c.thematic_planned)
        assert figures[tree[name].pk] == ThematicTally(cells=len(cells), held=held, planned=planned)
        for show, count in (
            ("held", held),
            ("planned", planned),
            ("none", len(cells) - held - planned),
        ):
            listed = thematic_cells(
                province_staff, root=tree[name], year=2026, quarter=1, show=show
            )
            assert listed.count() == count, (name, show)
    report = thematic_report(province_staff, root=tree["P"], year=2026, quarter=1)
    assert report.total == ThematicTally(
        cells=sum(figures[tree[n].pk].cells for n in "AB"),
        held=sum(figures[tree[n].pk].held for n in "AB"),
        planned=sum(figures[tree[n].pk].planned for n in "AB"),
    )


def test_tallies_of_cells_alone_are_empty(tree, province_staff):
    assert tallies(province_staff, [tree["A1"]], year=2026, quarter=1) == {}
    assert tallies(province_staff, [], year=2026, quarter=1) == {}


def test_a_dissolved_cell_is_left_out(client, tree, province_staff):
    gone = CellFactory(parent=tree["B"], name="Chi bộ bản Cũ")
    gone.dissolved_on = datetime.date(2025, 12, 31)
    gone.save()
    client.force_login(province_staff)

    response = client.get(reverse("thematic_report"), {**Q1, "root": tree["B"].pk})

    assert [name for name, _ in rows(response)] == ["Chi bộ bản Mé"]
    assert response.context["report"].total == ThematicTally(cells=1, held=0, planned=0)


def test_the_drill_down_outside_the_scope_is_404(client, tree):
    client.force_login(user_with("staff", tree["B"]))

    assert client.get(reverse("thematic_report"), {"root": tree["A"].pk}).status_code == 404
    assert client.get(reverse("thematic_report"), {"root": tree["S"].pk}).status_code == 404
    assert client.get(reverse("thematic_report"), {"root": tree["P"].pk}).status_code == 404


def test_the_drill_down_into_a_cell_is_404(client, tree, province_staff):
    client.force_login(province_staff)

    assert client.get(reverse("thematic_report"), {"root": tree["A1"].pk}).status_code == 404


def test_a_secretary_has_no_report(client, tree):
    client.force_login(user_with("secretary", tree["A1"]))

    assert client.get(reverse("thematic_report"), {"root": tree["A"].pk}).status_code == 403


@pytest.mark.parametrize("communes", [2, 6])
def test_query_count_is_constant(client, tree, province_staff, django_assert_num_queries, communes):
    for _ in range(communes):
        CellFactory(parent=OrganizationFactory(parent=tree["P"]))
    client.force_login(province_staff)

    # Session, user, roles, member, the picker's check, root, totals (2),
    # the bounded count, rows, the rows' figures (2), and the picker's choice.
    with django_assert_num_queries(14):
        response = client.get(reverse("thematic_report"), Q1)

    assert len(response.context["rows"]) == communes + 2


def test_rows_are_paginated(client, tree, province_staff):
    for _ in range(30):
        CellFactory(parent=tree["B"])
    client.force_login(province_staff)

    first = client.get(reverse("thematic_report"), {**Q1, "root": tree["B"].pk})
    second = client.get(reverse("thematic_report"), {**Q1, "root": tree["B"].pk, "page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 6
    assert first.context["report"].total.cells == 31
    assert "page=2" in first.content.decode()


def size(client, query) -> int:
    response = client.get(reverse("thematic_report"), query)
    assert response.status_code == 200
    return len(response.content)


def test_html_does_not_grow_with_the_cells(client, tree, province_staff):
    client.force_login(province_staff)
    communes = [OrganizationFactory(parent=tree["P"]) for _ in range(5)]
    for commune in communes:
        for _ in range(4):
            CellFactory(parent=commune)
    small = (size(client, Q1), size(client, {**Q1, "root": communes[0].pk}))
    for commune in communes:
        for _ in range(36):
            CellFactory(parent=commune)
    large = (size(client, Q1), size(client, {**Q1, "root": communes[0].pk}))

    # 20 cells against 200: the province's page has the same rows, the
    # commune's page one page of cells (4 against 25 rows) plus pagination.
    assert abs(large[0] - small[0]) < 100
    one_cell_row = 400
    assert large[1] - small[1] < 22 * one_cell_row


def test_a_dissolved_commune_is_left_out(client, tree, province_staff):
    gone = OrganizationFactory(parent=tree["P"], name="Đảng bộ xã Cũ")
    gone.dissolved_on = datetime.date(2025, 7, 1)
    gone.save()
    client.force_login(province_staff)

    response = client.get(reverse("thematic_report"), Q1)

    assert [name for name, _ in rows(response)] == ["Đảng bộ xã Chiềng Mai", "Đảng bộ xã Cò Nòi"]
