"""The pages: record, correct, forward, take up, return, answer; the list's
filters and counts, and its query count at 1 and 50 items."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.models import Attachment, FeedbackItem
from meetings.models import CadreVisit
from tests.factories import MemberFactory, feedback_category

from .conftest import routed_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def record_url(**source):
    key, value = next(iter(source.items()))
    return f"{reverse('feedback_create')}?{key}={value}"


def test_secretary_records_feedback_with_a_file(client, world):
    member = MemberFactory(cell=world.a1, full_name="Nguyễn Văn Thọ")
    client.force_login(world.secretary)
    response = client.post(
        record_url(meeting=world.meeting_a1.pk),
        {
            "raiser_kind": "member",
            "raiser_member": member.pk,
            "category": feedback_category("tai-nguyen-moi-truong").pk,
            "text": "Khai thác cát trái phép trên sông La gây sạt lở bờ.",
            "files": [SimpleUploadedFile("anh-sat-lo.pdf", PDF)],
        },
    )
    item = FeedbackItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback_detail", args=[item.pk])
    assert (item.cell, item.meeting, item.raiser_member, item.recorded_by, item.state) == (
        world.a1,
        world.meeting_a1,
        member,
        world.secretary,
        "new",
    )
    assert [a.original_name for a in item.attachments.all()] == ["anh-sat-lo.pdf"]


def test_record_refuses_a_disguised_file_and_keeps_nothing(client, world):
    client.force_login(world.secretary)
    response = client.post(
        record_url(meeting=world.meeting_a1.pk),
        {
            "raiser_kind": "citizens",
            "raiser_name": "Bà con xóm 1",
            "category": feedback_category("khac").pk,
            "text": "Đề nghị sửa đường",
            "files": [SimpleUploadedFile("don.pdf", b"<script>alert(1)</script>")],
        },
    )
    assert response.status_code == 200
    assert "is not the kind of file its name says" in response.content.decode()
    assert FeedbackItem.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_record_needs_who_raised_it(client, world):
    client.force_login(world.secretary)
    response = client.post(
        record_url(meeting=world.meeting_a1.pk),
        {"raiser_kind": "member", "category": feedback_category("khac").pk, "text": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "raiser_member": ["Choose the member who raised it."]
    }


def test_member_of_another_cell_is_not_a_choice(client, world):
    stranger = MemberFactory(cell=world.b1)
    client.force_login(world.secretary)
    response = client.post(
        record_url(meeting=world.meeting_a1.pk),
        {
            "raiser_kind": "member",
            "raiser_member": stranger.pk,
            "category": feedback_category("khac").pk,
            "text": "x",
        },
    )
    assert "raiser_member" in response.context["form"].errors
    assert FeedbackItem.objects.count() == 0


def test_cadre_records_from_a_visit(client, world):
    visit = CadreVisit.objects.create(meeting=world.meeting_a1, cadre=world.cadre)
    client.force_login(world.cadre_user)
    response = client.post(
        record_url(visit=visit.pk),
        {
            "raiser_kind": "citizens",
            "raiser_name": "Bà con thôn Hoa Ích Lâm",
            "category": feedback_category("giai-phong-mat-bang").pk,
            "text": "Đề nghị chi trả tiền bồi thường giải phóng mặt bằng đường tránh.",
        },
    )
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert (item.visit, item.meeting, item.recorded_by) == (
        visit,
        world.meeting_a1,
        world.cadre_user,
    )


@pytest.mark.parametrize(
    ("user", "query", "status"),
    [
        ("secretary_a2", "meeting", 404),
        ("staff_c", "meeting", 403),
        ("outsider", "meeting", 404),
        ("secretary", "nothing", 404),
    ],
)
def test_record_page_denied(client, world, user, query, status):
    client.force_login(getattr(world, user))
    url = (
        reverse("feedback_create")
        if query == "nothing"
        else record_url(meeting=world.meeting_a1.pk)
    )
    assert client.get(url).status_code == status


def test_correct_only_while_new_or_returned(client, world):
    item = routed_item(world, "returned")
    client.force_login(world.secretary)
    data = {
        "raiser_kind": "citizens",
        "raiser_name": "Bà con xóm 4",
        "category": feedback_category("dat-dai").pk,
        "text": "Thửa đất số 12, tờ bản đồ số 5.",
    }
    assert client.post(reverse("feedback_edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.raiser_name) == ("Thửa đất số 12, tờ bản đồ số 5.", "Bà con xóm 4")
    answered = routed_item(world, "answered")
    response = client.post(reverse("feedback_edit", args=[answered.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only a new item or one returned for clarification can be changed."
    ]


def test_forward_page_routes_to_a_body_with_a_due_date(client, world):
    item = routed_item(world, "new")
    client.force_login(world.cadre_user)
    url = reverse("feedback_forward", args=[item.pk])
    form = client.get(url).context["form"]
    assert [label for label, _ in form.fields["target"].choices] == ["Committees", "Other bodies"]
    assert [key for key, _ in form.fields["target"].choices[0][1]] == [
        f"org:{world.c.pk}",
        f"org:{world.d.pk}",
        f"org:{world.p.pk}",
    ]
    response = client.post(url, {"target": f"body:{world.body.pk}", "due_on": "2099-12-31"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.routed_body, item.due_on) == (
        "forwarded",
        world.body,
        datetime.date(2099, 12, 31),
    )


def test_forward_page_refuses_a_past_date_and_a_strange_target(client, world):
    item = routed_item(world, "new")
    client.force_login(world.cadre_user)
    url = reverse("feedback_forward", args=[item.pk])
    response = client.post(url, {"target": f"org:{world.e.pk}", "due_on": "2000-01-01"})
    assert set(response.context["form"].errors) == {"target", "due_on"}
    assert FeedbackItem.objects.get(pk=item.pk).state == "new"


def test_answering_body_takes_up_and_answers(client, world):
    item = routed_item(world, "forwarded", routed_organization=None, routed_body=world.body)
    client.force_login(world.body_user)
    client.post(reverse("feedback_move", args=[item.pk, "start"]))
    response = client.post(
        reverse("feedback_move", args=[item.pk, "answer"]), {"text": "UBND xã đã kiểm tra."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.answer, item.answered_by) == (
        "answered",
        "UBND xã đã kiểm tra.",
        world.body_user,
    )
    page = client.get(reverse("feedback_detail", args=[item.pk]))
    assert [e.action for e in page.context["events"]] == ["start", "answer"]


def test_illegal_move_through_the_page_shows_the_message(client, world):
    item = routed_item(world, "forwarded")
    client.force_login(world.answerer_c)
    response = client.post(reverse("feedback_move", args=[item.pk, "answer"]), {"text": "Xong."})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "An item that is “forwarded” cannot be moved by “Answer”."
    ]
    assert client.post(reverse("feedback_move", args=[item.pk, "close"])).status_code == 404


def test_return_needs_the_question(client, world):
    item = routed_item(world, "in_progress")
    client.force_login(world.answerer_c)
    response = client.post(reverse("feedback_move", args=[item.pk, "return"]), {"text": ""})
    assert response.context["form"].errors == {"text": ["This field is required."]}
    client.post(reverse("feedback_move", args=[item.pk, "return"]), {"text": "Thửa đất nào?"})
    assert FeedbackItem.objects.get(pk=item.pk).state == "returned"


def test_detail_offers_only_the_users_moves(client, world):
    item = routed_item(world, "forwarded")
    client.force_login(world.answerer_c)
    moves = client.get(reverse("feedback_detail", args=[item.pk])).context["moves"]
    assert [m.action for m in moves] == ["start", "return"]
    client.force_login(world.cadre_user)
    moves = client.get(reverse("feedback_detail", args=[item.pk])).context["moves"]
    assert [m.action for m in moves] == []


@pytest.fixture
def listed(world):
    land, env = feedback_category("dat-dai"), feedback_category("tai-nguyen-moi-truong")
    return {
        "sand": routed_item(world, "forwarded", category=env, text="Khai thác cát trái phép"),
        "land": routed_item(world, "new", category=land, text="Cấp giấy chứng nhận đất"),
        "body": routed_item(
            world,
            "answered",
            cell="a2",
            category=land,
            routed_organization=None,
            routed_body=world.body,
            text="Đo đạc lại thửa đất",
        ),
        "late": routed_item(
            world, "in_progress", category=env, due_on=datetime.date(2020, 1, 1), text="Ô nhiễm"
        ),
        "other": routed_item(
            world, "forwarded", cell="b1", routed_organization=world.e, answer_organization=world.e
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"sand", "land", "body", "late"}),
        ({"q": "khai thac CAT"}, {"sand"}),
        ({"state": "new"}, {"land"}),
        ({"category": "dat-dai"}, {"land", "body"}),
        ({"body": "body"}, {"body"}),
        ({"organization": "a2"}, {"body"}),
        ({"organization": "c"}, {"sand", "land", "body", "late"}),
        ({"overdue": "on"}, {"late"}),
        ({"todo": "forward"}, {"land"}),
        (
            {"raised_from": "2026-02-01", "raised_to": "2026-02-28"},
            {"sand", "land", "body", "late"},
        ),
        ({"raised_from": "2026-03-01"}, set()),
    ],
)
def test_list_filters_for_staff(client, world, listed, params, expected):
    lookups = {"body": world.body.pk, "a2": world.a2.pk, "c": world.c.pk}
    params = {k: lookups.get(v, v) for k, v in params.items()}
    if params.get("category"):
        params["category"] = feedback_category(params["category"]).pk
    client.force_login(world.staff_c)
    response = client.get(reverse("feedback_list"), params)
    shown = {row.pk for row in response.context["page_obj"]}
    assert shown == {listed[name].pk for name in expected}


def test_list_todo_for_answerer_and_secretary(client, world, listed):
    client.force_login(world.answerer_c)
    response = client.get(reverse("feedback_list"), {"todo": "answer"})
    assert {row.pk for row in response.context["page_obj"]} == {
        listed["sand"].pk,
        listed["late"].pk,
    }
    client.force_login(world.secretary_a2)
    response = client.get(reverse("feedback_list"), {"todo": "read_back"})
    assert [row.pk for row in response.context["page_obj"]] == [listed["body"].pk]


def test_list_counts_per_state_ignore_the_state_filter(client, world, listed):
    client.force_login(world.staff_c)
    response = client.get(reverse("feedback_list"), {"state": "new"})
    counts = {row["state"]: row["count"] for row in response.context["counts"]}
    assert counts == {
        "new": 1,
        "forwarded": 1,
        "in_progress": 1,
        "returned": 0,
        "answered": 1,
        "closed": 0,
        "reopened": 0,
    }


@pytest.mark.parametrize("n", [1, 50])
def test_list_queries_do_not_grow(client, world, django_assert_num_queries, n):
    for index in range(n):
        routed_item(
            world,
            ["new", "forwarded", "answered"][index % 3],
            cell=["a1", "a2"][index % 2],
            routed_organization=None if index % 4 else world.c,
            routed_body=world.body if index % 4 else None,
            raiser_kind="member" if index % 5 == 0 else "citizens",
            raiser_member=MemberFactory(cell=world.a1) if index % 5 == 0 else None,
        )
    client.force_login(world.staff_c)
    client.get(reverse("feedback_list"))  # warm the session
    # No query for the pickers' options (cells, bodies): they are searched.
    # One for the user's own bodies and visits (feedback.policies._own_ids);
    # the page's ids, then its rows (chibo.pagination.rows_by_ids).
    with django_assert_num_queries(9):
        response = client.get(reverse("feedback_list"), {"q": "dat"})
    assert response.context["page_obj"].paginator.count == n


@pytest.mark.parametrize("n", [1, 20])
def test_detail_queries_do_not_grow(client, world, django_assert_num_queries, n):
    from feedback import services

    main = routed_item(world, "forwarded")
    for _ in range(n):
        services.link_item(item=routed_item(world, "new", cell="a2"), main=main, by=world.admin_d)
    client.force_login(world.staff_c)
    client.get(reverse("feedback_detail", args=[main.pk]))
    with django_assert_num_queries(12):
        response = client.get(reverse("feedback_detail", args=[main.pk]))
    assert len(response.context["linked_items"]) == n


def test_visit_record_links_to_recording_feedback(client, world):
    visit = CadreVisit.objects.create(meeting=world.meeting_a1, cadre=world.cadre)
    client.force_login(world.cadre_user)
    response = client.get(reverse("visit_edit", args=[world.meeting_a1.pk]))
    assert response.status_code == 200
    assert f'href="{record_url(visit=visit.pk)}"' in response.content.decode()


def test_similar_search_only_on_the_record_page(client, world):
    item = routed_item(world, "new")
    client.force_login(world.secretary)
    create = client.get(record_url(meeting=world.meeting_a1.pk)).content.decode()
    assert f'hx-get="{reverse("feedback_similar")}"' in create
    edit = client.get(reverse("feedback_edit", args=[item.pk])).content.decode()
    assert "hx-get" not in edit


def test_dashboard_counts_what_waits_for_the_user(client, world, listed):
    client.force_login(world.answerer_c)

    response = client.get(reverse("dashboard"))

    counts = response.context["feedback_counts"]
    assert counts["answer"] == 2
    assert "2 items to answer" in response.content.decode()


def test_dashboard_has_no_feedback_card_when_nothing_waits(client, world):
    client.force_login(world.outsider)

    response = client.get(reverse("dashboard"))

    assert response.context["feedback_counts"] == {
        "forward": 0,
        "answer": 0,
        "read_back": 0,
        "overdue": 0,
    }
    assert "to answer" not in response.content.decode()
