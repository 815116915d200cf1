"""The pickers (chibo/pickers.py): the endpoint answers each role's scope only,
the fields refuse ids out of scope, typed text resolves without JavaScript,
and the widget renders the chosen objects, never the whole queryset."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo import access, pickers
from chibo.models import OrganizationKind
from chibo.orgs.forms import ReorganizeForm
from chibo.pickers import LIMIT, PickerField, PickerMultipleField, PickerWidget
from feedback.filters import FeedbackFilter
from feedback.models import FeedbackItem
from meetings.forms_cadres import AssignmentBulkForm, AssignmentForm
from meetings.forms_schedule import MeetingCreateForm, MeetingFilterForm, ThematicReportForm
from meetings.models import Assignment
from members.filters import MemberFilter
from members.forms import MemberForm
from members.models import Member
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def tree():
    """Province P: commune A (cells Đông and Tây) and commune B (its own Đông)."""
    p = OrganizationFactory(kind=OrganizationKind.PROVINCE, name="Đảng bộ tỉnh P")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã An Khê")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Bình Lư")
    return {
        "P": p,
        "A": a,
        "B": b,
        "A1": CellFactory(parent=a, name="Chi bộ thôn Đông"),
        "A2": CellFactory(parent=a, name="Chi bộ thôn Tây"),
        "B1": CellFactory(parent=b, name="Chi bộ thôn Đông"),
    }


@pytest.fixture
def users(tree):
    made = {role: UserFactory(username=f"picker-{role}") for role in ROLES}
    RoleFactory(user=made["admin"], organization=tree["A"], kind="admin")
    RoleFactory(user=made["staff"], organization=tree["A"], kind="staff")
    RoleFactory(user=made["secretary"], organization=tree["A1"], kind="secretary")
    RoleFactory(user=made["cadre"], organization=tree["A"], kind="cadre")
    cadre = MemberFactory(cell=tree["A1"], user=made["cadre"], full_name="Trần Đức Cán")
    AssignmentFactory(cadre=cadre, cell=tree["A2"])
    made["superuser"] = UserFactory(username="picker-root", is_superuser=True)
    return made


ROLES = ("admin", "staff", "secretary", "cadre", "stranger")


def ask(client, user, name="cells", q=""):
    client.force_login(user)
    response = client.get(reverse("picker", kwargs={"name": name}), {"q": q})
    assert response.status_code == 200
    return response.json()


def labels(answer) -> list[tuple[str, str]]:
    return [(r["label"], r["detail"]) for r in answer["results"]]


# --- the endpoint: each role's scope, and no one else's ---------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "admin",
            [("Chi bộ thôn Đông", "Đảng bộ xã An Khê"), ("Chi bộ thôn Tây", "Đảng bộ xã An Khê")],
        ),
        (
            "staff",
            [("Chi bộ thôn Đông", "Đảng bộ xã An Khê"), ("Chi bộ thôn Tây", "Đảng bộ xã An Khê")],
        ),
        ("secretary", [("Chi bộ thôn Đông", "Đảng bộ xã An Khê")]),
        ("cadre", [("Chi bộ thôn Tây", "Đảng bộ xã An Khê")]),
        ("stranger", []),
    ],
)
def test_cells_answer_only_the_roles_scope(client, users, role, expected):
    answer = ask(client, users[role])

    assert labels(answer) == expected
    assert answer["more"] is False
    assert "Đảng bộ xã Bình Lư" not in str(answer)


def test_outsiders_namesake_never_appears_but_a_superuser_tells_them_apart(client, tree, users):
    assert labels(ask(client, users["staff"], q="dong")) == [
        ("Chi bộ thôn Đông", "Đảng bộ xã An Khê")
    ]
    assert labels(ask(client, users["superuser"], q="DÔNG")) == [
        ("Chi bộ thôn Đông", "Đảng bộ xã An Khê"),
        ("Chi bộ thôn Đông", "Đảng bộ xã Bình Lư"),
    ]


def test_answers_carry_the_ids_to_post(client, tree, users):
    answer = ask(client, users["staff"], q="tay")

    assert answer == {
        "results": [
            {"value": tree["A2"].pk, "label": "Chi bộ thôn Tây", "detail": "Đảng bộ xã An Khê"}
        ],
        "more": False,
    }


def test_names_that_start_with_the_text_come_first(client, tree, users):
    CellFactory(parent=tree["A"], name="Đông Sơn")
    CellFactory(parent=tree["A"], name="Chi bộ Đông Hưng")

    answer = ask(client, users["staff"], q="đông")

    assert [r["label"] for r in answer["results"]] == [
        "Đông Sơn",
        "Chi bộ Đông Hưng",
        "Chi bộ thôn Đông",
    ]


def test_organizations_answer_the_visible_tree_only(client, tree, users):
    names = [r["label"] for r in ask(client, users["staff"], "organizations")["results"]]

    assert names == ["Chi bộ thôn Đông", "Chi bộ thôn Tây", "Đảng bộ xã An Khê"]
    assert ask(client, users["stranger"], "organizations") == {"results": [], "more": False}


def test_offices_and_parents_are_the_organizations_above_cells_the_user_runs(client, tree, users):
    for name in ("offices", "parents"):
        assert [r["label"] for r in ask(client, users["staff"], name)["results"]] == [
            "Đảng bộ xã An Khê"
        ]
        assert ask(client, users["secretary"], name)["results"] == []


def test_cadres_are_those_the_staff_may_assign(client, tree, users):
    seated = MemberFactory(cell=tree["A2"], full_name="Lê Thị Ủy Viên")
    CommitteeSeatFactory(member=seated, organization=tree["A"])
    outsider = MemberFactory(cell=tree["B1"], full_name="Lê Thị Ngoài")
    CommitteeSeatFactory(member=outsider, organization=tree["B"])

    assert labels(ask(client, users["staff"], "cadres", q="le thi")) == [
        ("Lê Thị Ủy Viên", "Chi bộ thôn Tây")
    ]
    assert labels(ask(client, users["secretary"], "cadres")) == []


def test_at_most_limit_matches_and_a_flag_for_more(client, tree, users):
    for n in range(LIMIT + 5):
        CellFactory(parent=tree["A"], name=f"Chi bộ tổ {n:02}")

    answer = ask(client, users["staff"], q="to")

    assert len(answer["results"]) == LIMIT
    assert answer["more"] is True
    assert answer["results"][0]["label"] == "Chi bộ tổ 00"
    assert ask(client, users["staff"], q="tổ 24")["results"][0]["label"] == "Chi bộ tổ 24"


def test_query_count_does_not_grow_with_the_matches(client, tree, users, django_assert_num_queries):
    client.force_login(users["staff"])
    url = reverse("picker", kwargs={"name": "cells"})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "chi"})
    for n in range(30):
        CellFactory(parent=tree["A"], name=f"Chi bộ xóm {n}")

    with django_assert_num_queries(len(few)):
        response = client.get(url, {"q": "chi"})

    assert len(response.json()["results"]) == LIMIT


def test_unknown_source_is_404_anonymous_signs_in_post_is_405(client, users):
    url = reverse("picker", kwargs={"name": "cells"})
    assert client.get(url).status_code == 302
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(users["staff"])
    assert client.get(reverse("picker", kwargs={"name": "nothing"})).status_code == 404
    assert client.post(url).status_code == 405


def test_long_text_is_cut_not_refused(client, users):
    assert ask(client, users["staff"], q="x" * 5000) == {"results": [], "more": False}


# --- every form's picker searches the scope its field validates against -----


def test_sources_match_the_querysets_of_the_forms(tree, users):
    staff, secretary = users["staff"], users["secretary"]
    organization = tree["A"]
    fields = [
        (MemberFilter(QueryDict(), queryset=Member.objects.all(), user=staff).form, "cell"),
        (
            FeedbackFilter(QueryDict(), queryset=FeedbackItem.objects.all(), user=staff).form,
            "organization",
        ),
        (MemberForm(user=secretary), "cell"),
        (MeetingFilterForm(user=staff), "cell"),
        (MeetingCreateForm(user=secretary), "cell"),
        (ThematicReportForm(user=staff, today=TODAY), "root"),
        (AssignmentForm(user=staff), "cadre"),
        (AssignmentForm(user=staff), "cell"),
        (AssignmentBulkForm(user=staff), "cadres"),
        (AssignmentBulkForm(user=staff), "cells"),
        (AssignmentBulkForm(user=staff), "organization"),
    ]
    for form, name in fields:
        field = form.fields[name]
        user = secretary if isinstance(form, MemberForm | MeetingCreateForm) else staff
        scope = pickers.source(field.source).scope(user)
        assert set(field.queryset) == set(scope), (type(form).__name__, name)
    # Moving A: the parents it may take are the source's, less its own subtree.
    form = ReorganizeForm(user=users["admin"], organization=tree["A1"])
    assert set(form.fields["new_parent"].queryset) <= set(
        pickers.source("parents").scope(users["admin"])
    )
    assert organization in form.fields["new_parent"].queryset


# --- the field: ids out of scope refused, typed text resolved ---------------


def cells_field(user, **kwargs) -> PickerField:
    field = PickerField("cells", queryset=access.cells(user), **kwargs)
    return field


def posted(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def clean(field, data: dict, name="cell"):
    return field.clean(field.widget.value_from_datadict(posted(data), {}, name))


def errors_of(field, data, name="cell") -> list[str]:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        clean(field, data, name)
    return caught.value.messages


def test_an_id_out_of_scope_is_refused_with_a_message(tree, users, english):
    field = cells_field(users["staff"])

    assert errors_of(field, {"cell": str(tree["B1"].pk)}) == [
        "That choice is not among those you may make; search again."
    ]
    assert errors_of(field, {"cell": "not-a-number"}) == [
        "That choice is not among those you may make; search again."
    ]
    assert clean(field, {"cell": str(tree["A1"].pk)}) == tree["A1"]


def test_typed_text_naming_one_cell_chooses_it(tree, users):
    assert clean(cells_field(users["staff"]), {"cell_q": "  thon   DONG "}) == tree["A1"]


def test_typed_text_wins_over_a_ticked_chip(tree, users):
    field = cells_field(users["staff"])

    assert clean(field, {"cell": str(tree["A1"].pk), "cell_q": "tay"}) == tree["A2"]


def test_typed_text_naming_several_asks_to_choose(tree, users, english):
    field = cells_field(users["staff"])

    assert errors_of(field, {"cell_q": "thon"}) == [
        "2 match “thon”: choose below, or type more of the name."
    ]


def test_typed_text_naming_none_says_so(tree, users, english):
    assert errors_of(cells_field(users["staff"]), {"cell_q": "Bình Lư"}) == [
        "Nothing matches “Bình Lư”: try another spelling or part of the name."
    ]


def test_typed_text_naming_too_many_asks_for_more_of_the_name(tree, users, english):
    for n in range(LIMIT + 1):
        CellFactory(parent=tree["A"], name=f"Chi bộ xóm {n}")

    assert errors_of(cells_field(users["staff"]), {"cell_q": "xom"}) == [
        f"More than {LIMIT} match “xom”: the first {LIMIT} are below; type more of the name."
    ]


def test_nothing_typed_is_empty_or_required(tree, users, english):
    assert clean(cells_field(users["staff"], required=False), {}) is None
    assert clean(cells_field(users["staff"], required=False), {"cell": "", "cell_q": " "}) is None
    assert errors_of(cells_field(users["staff"]), {}) == ["This field is required."]


def test_vietnamese_messages(tree, users):
    assert errors_of(cells_field(users["staff"]), {"cell_q": "thon"}) == [
        "Có 2 kết quả khớp với “thon”: hãy chọn bên dưới, hoặc gõ thêm tên."
    ]
    assert errors_of(cells_field(users["staff"]), {"cell": str(tree["B1"].pk)}) == [
        "Lựa chọn này không nằm trong phạm vi bạn được chọn; hãy tìm lại."
    ]


def test_multiple_picker_keeps_the_ticked_and_adds_the_typed(tree, users):
    field = PickerMultipleField("cells", queryset=access.cells(users["staff"]))

    chosen = clean(field, {"cells": [str(tree["A1"].pk)], "cells_q": "tay"}, "cells")

    assert sorted(c.name for c in chosen) == ["Chi bộ thôn Tây", "Chi bộ thôn Đông"]
    assert list(clean(field, {"cells": [str(tree["A2"].pk)]}, "cells")) == [tree["A2"]]


def test_multiple_picker_refuses_an_id_out_of_scope(tree, users, english):
    field = PickerMultipleField("cells", queryset=access.cells(users["staff"]))

    assert errors_of(field, {"cells": [str(tree["A1"].pk), str(tree["B1"].pk)]}, "cells") == [
        "That choice is not among those you may make; search again."
    ]


# --- the widget: the chosen only, never the whole list ------------------------


def widget(user, *, multiple=False) -> PickerWidget:
    made = PickerWidget("cells", multiple=multiple)
    made.queryset = access.cells(user)
    list(made.queryset[:1])  # the user's grants are read once, before
    return made


def render(user, value, *, multiple=False):
    return widget(user, multiple=multiple).render("cell", value, {"id": "id_cell"})


def test_widget_renders_no_option_and_asks_nothing_when_empty(tree, users):
    empty = widget(users["staff"])
    with CaptureQueriesContext(connection) as queries:
        html = empty.render("cell", None, {"id": "id_cell"})

    assert len(queries) == 0
    assert "Chi bộ" not in html
    assert "<option" not in html
    assert 'data-url="/pick/cells/"' in html
    assert 'role="combobox"' in html and 'aria-controls="id_cell_listbox"' in html


def test_widget_shows_the_chosen_cell_in_one_query(tree, users):
    chosen = widget(users["staff"])
    with CaptureQueriesContext(connection) as queries:
        html = chosen.render("cell", tree["A1"].pk, {"id": "id_cell"})

    assert len(queries) == 1
    assert (
        f'<input class="form-check-input" type="checkbox" name="cell" value="{tree["A1"].pk}"'
        f' id="id_cell_{tree["A1"].pk}" checked>'
    ) in html
    assert "Chi bộ thôn Đông" in html and "Đảng bộ xã An Khê" in html
    assert "Chi bộ thôn Tây" not in html


def test_widget_never_shows_a_chosen_id_out_of_scope(tree, users):
    html = render(users["staff"], tree["B1"].pk)

    assert "Bình Lư" not in html
    assert f'value="{tree["B1"].pk}"' not in html


def test_widget_offers_several_matches_as_radios(tree, users):
    from chibo.pickers import Search

    html = render(users["staff"], Search("thon"))

    assert html.count('type="radio" name="cell"') == 2
    assert 'name="cell_q" id="id_cell" value=""' in html  # the search starts afresh


def test_widget_keeps_text_that_matched_nothing(tree, users):
    from chibo.pickers import Search

    html = render(users["staff"], Search("xyz"))

    assert 'name="cell_q" id="id_cell" value="xyz"' in html
    assert "form-check" not in html


def test_widget_size_does_not_grow_with_the_scope(tree, users):
    small = render(users["staff"], tree["A1"].pk)
    CellFactory.create_batch(200, parent=tree["A"])

    assert len(render(users["staff"], tree["A1"].pk)) == len(small)


# --- forms: a reload shows the choice, untouched changes nothing ----------------


def test_member_form_shows_the_members_cell_and_untouched_changes_nothing(tree, users):
    member = MemberFactory(cell=tree["A1"])
    form = MemberForm(instance=member, user=users["staff"])
    html = str(form["cell"])

    assert f'name="cell" value="{tree["A1"].pk}"' in html and "checked" in html
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    bound = MemberForm(data, instance=member, user=users["staff"])
    assert not bound.has_changed(), bound.changed_data


def test_reorganize_refuses_moving_under_its_own_subtree_with_a_message(tree, users, english):
    inner = OrganizationFactory(parent=tree["A"], kind="subcommittee", name="Bộ phận")
    data = {"action": "move", "date": "2026-03-10", "new_parent": str(inner.pk)}

    form = ReorganizeForm(data, user=users["admin"], organization=tree["A"])

    assert form.errors["new_parent"] == [
        "Choose an active organization you run, outside the one being moved."
    ]


def test_reorganize_resolves_the_typed_parent(tree, users):
    CellFactory(parent=tree["A"], name="Chi bộ mới")
    data = {"action": "move", "date": "2026-03-10", "new_parent_q": "an khe"}

    form = ReorganizeForm(data, user=users["admin"], organization=tree["A2"])

    assert form.is_valid(), form.errors
    assert form.cleaned_data["new_parent"] == tree["A"]


# --- the bulk assignment: an organization brings its cells ------------------


@pytest.fixture
def cadre(tree):
    member = MemberFactory(cell=tree["A1"], full_name="Nguyễn Thị Cán Bộ")
    CommitteeSeatFactory(member=member, organization=tree["A"])
    return member


def test_bulk_form_takes_the_active_cells_of_an_organization_and_single_ones(tree, users, cadre):
    extra = CellFactory(parent=tree["A"], name="Chi bộ đã giải thể", dissolved_on=TODAY)
    data = {
        "cadres": [str(cadre.pk)],
        "organization_q": "An Khê",
        "cells": [str(tree["A2"].pk)],
        "starts_on": "2026-03-10",
    }

    form = AssignmentBulkForm(data, user=users["staff"])

    assert form.is_valid(), form.errors
    assert [c.name for c in form.cleaned_data["cells"]] == ["Chi bộ thôn Tây", "Chi bộ thôn Đông"]
    assert extra not in form.cleaned_data["cells"]


def test_bulk_form_needs_cells_or_an_organization(tree, users, cadre, english):
    form = AssignmentBulkForm(
        {"cadres": [str(cadre.pk)], "starts_on": "2026-03-10"}, user=users["staff"]
    )

    assert form.errors == {"cells": ["Choose cells, or an organization whose cells to assign."]}


def test_bulk_form_refuses_an_outsiders_organization(tree, users, cadre, english):
    data = {"cadres": [str(cadre.pk)], "organization": str(tree["B"].pk), "starts_on": "2026-03-10"}

    form = AssignmentBulkForm(data, user=users["staff"])

    assert form.errors == {
        "organization": ["That choice is not among those you may make; search again."]
    }


def test_bulk_view_assigns_every_cell_of_the_organization(client, tree, users, cadre):
    client.force_login(users["staff"])
    data = {"cadres": [str(cadre.pk)], "organization": str(tree["A"].pk), "starts_on": "2026-03-10"}

    response = client.post(reverse("assignment_bulk"), data)

    assert response.status_code == 302
    assert set(Assignment.objects.filter(cadre=cadre).values_list("cell__name", flat=True)) == {
        "Chi bộ thôn Đông",
        "Chi bộ thôn Tây",
    }


def test_a_required_pickers_search_input_is_not_required_by_the_browser(tree, users):
    # The browser would block the form while the search is empty after a choice.
    html = str(AssignmentForm(user=users["staff"])["cell"])

    assert "required" not in html
    assert 'aria-controls="id_cell_listbox"' in html


def test_an_invalid_picker_shows_its_message(tree, users):
    form = MeetingFilterForm({"cell_q": "thon"}, user=users["staff"])
    form.is_valid()

    assert '<div class="picker is-invalid" data-picker' in str(
        form["cell"].as_widget(attrs={"class": "is-invalid"})
    )


def test_a_secretarys_only_cell_is_chosen_on_a_new_meeting(tree, users):
    html = str(MeetingCreateForm(user=users["secretary"])["cell"])

    assert f'name="cell" value="{tree["A1"].pk}" id="id_cell_{tree["A1"].pk}" checked' in html


def test_multiple_picker_offers_several_matches_as_checkboxes_beside_the_ticked(tree, users):
    from chibo.pickers import Search

    html = render(users["staff"], Search("thon", chosen=(str(tree["A1"].pk),)), multiple=True)

    assert html.count('type="checkbox" name="cell"') == 2  # the ticked one and the other match
    assert f'value="{tree["A1"].pk}" id="id_cell_{tree["A1"].pk}" checked' in html
    assert (
        f'type="checkbox" name="cell" value="{tree["A2"].pk}" id="id_cell_o{tree["A2"].pk}">'
        in html
    )
    assert "data-multiple" in html


def test_bulk_form_shown_again_keeps_the_chosen_cadres(tree, users, cadre):
    form = AssignmentBulkForm(
        {"cadres": [str(cadre.pk)], "starts_on": "2026-03-10", "ends_on": "2026-01-01"},
        user=users["staff"],
    )

    assert not form.is_valid()
    assert f'name="cadres" value="{cadre.pk}"' in str(form["cadres"])


def test_thematic_report_root_typed_without_diacritics_is_found(tree, users):
    staff = UserFactory(username="picker-province-staff")
    RoleFactory(user=staff, organization=tree["P"], kind="staff")
    form = ThematicReportForm(posted({"root_q": "binh lu"}), user=staff, today=TODAY)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["root"] == tree["B"]
