"""Every move from every state: the legal ones happen and leave an event,
the illegal ones are refused with a message and change nothing."""

import datetime

import pytest
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackEvent, FeedbackItem, FeedbackState
from feedback.workflow import MOVES, TRANSITIONS, WorkflowError, check, moves_from
from tests.factories import MeetingFactory

from .conftest import routed_item

pytestmark = pytest.mark.django_db

S = FeedbackState
USER_ACTIONS = ["forward", "start", "return", "answer", "close", "reopen"]
LEGAL = {
    (S.NEW, "forward"): S.FORWARDED,
    (S.FORWARDED, "start"): S.IN_PROGRESS,
    (S.FORWARDED, "return"): S.RETURNED,
    (S.IN_PROGRESS, "return"): S.RETURNED,
    (S.IN_PROGRESS, "answer"): S.ANSWERED,
    (S.RETURNED, "forward"): S.FORWARDED,
    (S.ANSWERED, "close"): S.CLOSED,
    (S.ANSWERED, "reopen"): S.REOPENED,
    (S.REOPENED, "start"): S.IN_PROGRESS,
    (S.REOPENED, "forward"): S.FORWARDED,
}


def perform(world, item, action):
    by = world.admin_d
    if action == "forward":
        return services.forward_item(item=item, by=by, organization=world.c)
    if action == "start":
        return services.start_item(item=item, by=by)
    if action == "return":
        return services.return_item(item=item, by=by, note="Ở thửa đất nào?")
    if action == "answer":
        return services.answer_item(item=item, by=by, answer="Huyện đã kiểm tra, xử lý.")
    meeting = MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="planned")
    return services.read_back_item(
        item=item, meeting=meeting, by=by, is_satisfied=action == "close"
    )


def test_transition_table_is_exactly_the_legal_moves():
    table = {(s, m.action): m.target for m in MOVES.values() for s in m.sources}
    table = {key: target for key, target in table.items() if key[1] != "answer_linked"}
    assert table == LEGAL
    assert (S.CLOSED, S.ANSWERED) not in TRANSITIONS
    assert {target for source, target in TRANSITIONS if source == S.CLOSED} == set()


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", USER_ACTIONS)
def test_move_from_every_state(world, state, action):
    item = routed_item(world, state)
    events_before = FeedbackEvent.objects.filter(item=item).count()
    if (state, action) in LEGAL:
        perform(world, item, action)
        item.refresh_from_db()
        assert item.state == LEGAL[(state, action)]
        event = FeedbackEvent.objects.filter(item=item).latest("id")
        assert (event.from_state, event.to_state, event.action, event.by) == (
            state,
            LEGAL[(state, action)],
            action,
            world.admin_d,
        )
    else:
        with pytest.raises(WorkflowError) as error:
            perform(world, item, action)
        assert "cannot be moved by" in str(error.value)
        item.refresh_from_db()
        assert item.state == state
        assert FeedbackEvent.objects.filter(item=item).count() == events_before


def test_check_names_state_and_action_in_the_message():
    with pytest.raises(WorkflowError) as error:
        check(S.CLOSED, "answer")
    assert str(error.value) == "An item that is “closed” cannot be moved by “Answer”."


def test_check_unknown_action_refused():
    with pytest.raises(WorkflowError) as error:
        check(S.NEW, "delete")
    assert str(error.value) == "Unknown action “delete”."


def test_moves_from_leaves_out_the_automatic_move():
    assert [m.action for m in moves_from(S.FORWARDED)] == ["start", "return"]
    assert [m.action for m in moves_from(S.CLOSED)] == []


def test_record_starts_new_with_a_record_event(world):
    item = services.record_item(
        meeting=world.meeting_a1,
        by=world.secretary,
        category=routed_item(world, "new").category,
        text="  Đề nghị xử lý khai thác cát trái phép  ",
        raiser_kind="citizens",
        raiser_name="Bà con xóm 2",
    )
    assert (item.state, item.text, item.cell, item.raised_on) == (
        S.NEW,
        "Đề nghị xử lý khai thác cát trái phép",
        world.a1,
        datetime.date(2026, 2, 5),
    )
    assert list(item.events.values_list("action", "from_state", "to_state")) == [
        ("record", "", "new")
    ]


def test_return_needs_a_question(world):
    item = routed_item(world, "forwarded")
    with pytest.raises(WorkflowError) as error:
        services.return_item(item=item, by=world.admin_d, note="  ")
    assert str(error.value) == "Say what needs clarifying."
    assert FeedbackItem.objects.get(pk=item.pk).state == S.FORWARDED


def test_answer_needs_text_and_records_who_and_when(world):
    item = routed_item(world, "in_progress")
    with pytest.raises(WorkflowError):
        services.answer_item(item=item, by=world.answerer_c, answer="")
    services.answer_item(item=item, by=world.answerer_c, answer="Đã cấp giấy chứng nhận.")
    item.refresh_from_db()
    assert (item.state, item.answer, item.answered_by) == (
        S.ANSWERED,
        "Đã cấp giấy chứng nhận.",
        world.answerer_c,
    )
    assert item.answered_at is not None


def test_forward_refuses_a_committee_off_the_cells_line(world):
    item = routed_item(world, "new")
    with pytest.raises(WorkflowError) as error:
        services.forward_item(item=item, by=world.admin_d, organization=world.e)
    assert str(error.value) == "Forward to a committee above the cell."
    with pytest.raises(WorkflowError) as error:
        services.forward_item(item=item, by=world.admin_d)
    assert str(error.value) == "Choose one organization or one body to answer."
    with pytest.raises(WorkflowError):
        services.forward_item(item=item, by=world.admin_d, organization=world.c, body=world.body)
    assert FeedbackItem.objects.get(pk=item.pk).state == S.NEW


def test_forward_to_a_body_scopes_it_to_the_bodys_organization(world):
    item = routed_item(world, "new")
    services.forward_item(item=item, by=world.cadre_user, body=world.body, note="Gấp")
    item.refresh_from_db()
    assert (item.state, item.routed_body, item.routed_organization, item.answer_organization) == (
        S.FORWARDED,
        world.body,
        None,
        world.c,
    )
    assert item.events.latest("id").note.startswith("To Ủy ban nhân dân xã Đức Lâm, due ")
    assert item.events.latest("id").note.endswith(" Gấp")


def test_forward_refuses_a_body_of_another_area(world):
    from tests.factories import AnsweringBodyFactory

    other = AnsweringBodyFactory(organization=world.e)
    item = routed_item(world, "new")
    with pytest.raises(WorkflowError) as error:
        services.forward_item(item=item, by=world.admin_d, body=other)
    assert str(error.value) == "That body does not serve this cell's area."


@pytest.mark.parametrize(
    ("user", "action"),
    [
        ("secretary", "forward"),
        ("answerer_c", "forward"),
        ("cadre_user", "start"),
        ("staff_c", "answer"),
        ("secretary", "answer"),
        ("answerer_c", "close"),
        ("cadre_user", "reopen"),
    ],
)
def test_move_by_the_wrong_role_is_refused(world, user, action):
    from django.core.exceptions import PermissionDenied

    state = {"forward": "new", "start": "forwarded", "answer": "in_progress"}.get(
        action, "answered"
    )
    item = routed_item(world, state)
    by = getattr(world, user)
    with pytest.raises(PermissionDenied):
        if action == "forward":
            services.forward_item(item=item, by=by, organization=world.c)
        elif action == "start":
            services.start_item(item=item, by=by)
        elif action == "answer":
            services.answer_item(item=item, by=by, answer="x")
        else:
            services.read_back_item(
                item=item, meeting=world.meeting_a1, by=by, is_satisfied=action == "close"
            )
    assert FeedbackItem.objects.get(pk=item.pk).state == state


def test_services_record_a_past_story_on_the_clock_they_are_given(world):
    def at(day, hour=9):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    category = routed_item(world, "new").category
    raised = at(datetime.date(2026, 2, 5), 20)
    item = services.record_item(
        meeting=world.meeting_a1,
        by=world.secretary,
        category=category,
        text="Đường nội thôn xuống cấp",
        raiser_kind="citizens",
        raiser_name="Bà con xóm 2",
        now=raised,
    )
    forwarded = at(datetime.date(2026, 2, 9))
    services.forward_item(item=item, by=world.admin_d, organization=world.c, now=forwarded)
    services.start_item(item=item, by=world.answerer_c, now=at(datetime.date(2026, 2, 11)))
    answered = at(datetime.date(2026, 2, 20))
    services.answer_item(item=item, by=world.answerer_c, answer="Xã đã sửa.", now=answered)
    meeting = MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="planned")
    read = meeting.scheduled_at + datetime.timedelta(hours=1)
    services.read_back_item(
        item=item, meeting=meeting, by=world.secretary, is_satisfied=False, now=read
    )

    item.refresh_from_db()
    assert (item.forwarded_at, item.answered_at, item.state_changed_at) == (
        forwarded,
        answered,
        read,
    )
    assert item.due_on == timezone.localdate(read) + datetime.timedelta(days=category.default_days)
    assert list(item.events.order_by("at").values_list("action", "at")) == [
        ("record", raised),
        ("forward", forwarded),
        ("start", at(datetime.date(2026, 2, 11))),
        ("answer", answered),
        ("reopen", read),
    ]
    assert item.read_backs.get().at == read


def test_read_back_judges_the_meeting_day_on_the_clock_it_is_given(world):
    item = routed_item(world, "answered")
    meeting = MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="planned")
    day_before = meeting.scheduled_at - datetime.timedelta(days=1)

    with pytest.raises(WorkflowError):
        services.read_back_item(
            item=item, meeting=meeting, by=world.secretary, is_satisfied=True, now=day_before
        )

    assert FeedbackItem.objects.get(pk=item.pk).state == S.ANSWERED
