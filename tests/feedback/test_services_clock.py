"""The feedback services on the clock they are given (`now=`): due dates on
the boundaries of Vietnam's day, the states in which a due date may move,
what travels with linked items, and what recording refuses."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback import services
from feedback.models import FeedbackEvent, FeedbackItem
from feedback.workflow import WorkflowError
from meetings.models import CadreVisit
from tests.factories import MeetingFactory, MemberFactory, feedback_category

from .conftest import routed_item

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.UTC
D = datetime.date


def at(*args, tz=VN):
    return datetime.datetime(*args, tzinfo=tz)


# --- due dates around midnight in Vietnam -------------------------------------------------


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (at(2026, 3, 1, 16, 59, 59, tz=UTC), True),  # 23:59:59 on 1 March in Vietnam
        (at(2026, 3, 1, 17, 0, 0, tz=UTC), False),  # 00:00 on 2 March in Vietnam
    ],
)
def test_a_due_date_of_today_is_accepted_until_local_midnight(world, now, accepted):
    item = routed_item(world, "new")

    if accepted:
        services.forward_item(
            item=item, by=world.staff_c, organization=world.c, due_on=D(2026, 3, 1), now=now
        )
        row = FeedbackItem.objects.get(pk=item.pk)
        assert (row.due_on, row.due_is_manual, row.forwarded_at) == (D(2026, 3, 1), True, now)
    else:
        with pytest.raises(WorkflowError) as error:
            services.forward_item(
                item=item, by=world.staff_c, organization=world.c, due_on=D(2026, 3, 1), now=now
            )
        assert str(error.value) == "The due date cannot be in the past."
        assert FeedbackItem.objects.get(pk=item.pk).state == "new"


def test_the_default_due_date_counts_from_the_local_day_of_now(world):
    category = feedback_category("khac")
    category.default_days = 10
    category.save()
    late_evening, past_midnight = (
        routed_item(world, "new", category=category),
        routed_item(world, "new", category=category),
    )

    services.forward_item(
        item=late_evening,
        by=world.staff_c,
        organization=world.c,
        now=at(2026, 3, 1, 16, 59, tz=UTC),
    )
    services.forward_item(
        item=past_midnight,
        by=world.staff_c,
        organization=world.c,
        now=at(2026, 3, 1, 17, 0, tz=UTC),
    )

    assert FeedbackItem.objects.get(pk=late_evening.pk).due_on == D(2026, 3, 11)
    assert FeedbackItem.objects.get(pk=past_midnight.pk).due_on == D(2026, 3, 12)


def test_the_forward_note_names_the_target_and_the_due_date(world):
    item = routed_item(world, "new")

    services.forward_item(
        item=item,
        by=world.staff_c,
        body=world.body,
        due_on=D(2026, 4, 30),
        note="  Khẩn  ",
        now=at(2026, 3, 1, 9),
    )

    event = FeedbackItem.objects.get(pk=item.pk).events.latest("id")
    assert event.note == "To Ủy ban nhân dân xã Đức Lâm, due 30/04/2026. Khẩn"
    row = FeedbackItem.objects.get(pk=item.pk)
    assert (row.routed_body, row.routed_organization, row.answer_organization) == (
        world.body,
        None,
        world.c,
    )


@pytest.mark.parametrize(
    ("due_on", "now", "overdue"),
    [
        (D(2026, 3, 1), at(2026, 3, 1, 16, 59, tz=UTC), False),
        (D(2026, 3, 1), at(2026, 3, 1, 17, 0, tz=UTC), True),
        (D(2026, 3, 1), at(2026, 3, 1, 23, 59), False),
        (D(2026, 3, 1), at(2026, 3, 2, 0, 0), True),
    ],
)
def test_mark_overdue_on_the_boundary_of_the_due_day(world, due_on, now, overdue):
    item = routed_item(world, "forwarded", due_on=due_on)

    assert services.mark_overdue(now=now) == int(overdue)

    row = FeedbackItem.objects.get(pk=item.pk)
    assert row.escalated_at == (now if overdue else None)


def test_mark_overdue_skips_what_no_longer_waits_for_an_answer(world):
    for state in ("new", "returned", "answered", "closed"):
        routed_item(world, state, due_on=D(2020, 1, 1))
    waiting = {
        state: routed_item(world, state, due_on=D(2020, 1, 1))
        for state in ("forwarded", "in_progress", "reopened")
    }

    assert services.mark_overdue(now=at(2026, 3, 1, 9)) == 3

    marked = set(FeedbackEvent.objects.filter(action="overdue").values_list("item_id", flat=True))
    assert marked == {item.pk for item in waiting.values()}


# --- moving the due date by hand ------------------------------------------------------------


@pytest.mark.parametrize("state", ["new", "answered", "closed"])
def test_the_due_date_only_moves_while_an_answer_is_owed(world, state):
    item = routed_item(world, state, due_on=D(2026, 4, 1))

    with pytest.raises(WorkflowError) as error:
        services.set_due_date(item=item, by=world.staff_c, due_on=D(2026, 5, 1))

    assert str(error.value) == "The due date only matters while an answer is owed."
    assert FeedbackItem.objects.get(pk=item.pk).due_on == D(2026, 4, 1)
    assert not FeedbackItem.objects.get(pk=item.pk).events.filter(action="due_date").exists()


@pytest.mark.parametrize("state", ["forwarded", "in_progress", "returned", "reopened"])
def test_the_due_date_moves_in_every_state_that_owes_an_answer(world, state):
    item = routed_item(world, state, due_on=D(2026, 4, 1))

    services.set_due_date(
        item=item,
        by=world.staff_c,
        due_on=D(2026, 5, 1),
        note=" Chờ đo đạc ",
        now=at(2026, 3, 1, 9),
    )

    row = FeedbackItem.objects.get(pk=item.pk)
    assert (row.state, row.due_on, row.due_is_manual) == (state, D(2026, 5, 1), True)
    assert row.events.latest("id").note == (
        "Due date changed from 01/04/2026 to 01/05/2026. Chờ đo đạc"
    )


def test_a_due_date_set_for_the_first_time_says_from_nothing(world):
    item = routed_item(world, "returned", due_on=None)

    services.set_due_date(item=item, by=world.staff_c, due_on=D(2026, 5, 1), now=at(2026, 3, 1, 9))

    assert FeedbackItem.objects.get(pk=item.pk).events.latest("id").note == (
        "Due date changed from — to 01/05/2026."
    )


def test_a_past_due_date_by_hand_is_refused_on_the_clock_given(world):
    item = routed_item(world, "forwarded", due_on=D(2026, 4, 1))

    with pytest.raises(WorkflowError):
        services.set_due_date(
            item=item, by=world.staff_c, due_on=D(2026, 3, 1), now=at(2026, 3, 2, 0, 0)
        )
    services.set_due_date(
        item=item, by=world.staff_c, due_on=D(2026, 3, 1), now=at(2026, 3, 1, 23, 59)
    )

    assert FeedbackItem.objects.get(pk=item.pk).due_on == D(2026, 3, 1)


def test_a_linked_items_due_date_follows_its_main_item_only(world):
    main = routed_item(world, "forwarded", due_on=D(2026, 4, 1))
    child = routed_item(world, "forwarded", cell="a2", main_item=main, due_on=D(2026, 4, 1))

    with pytest.raises(WorkflowError) as error:
        services.set_due_date(item=child, by=world.staff_c, due_on=D(2026, 5, 1))
    assert (
        str(error.value) == f"This item is linked under #{main.pk}: it is handled with that item."
    )

    services.set_due_date(item=main, by=world.staff_c, due_on=D(2026, 6, 1), now=at(2026, 3, 1, 9))
    assert FeedbackItem.objects.get(pk=child.pk).due_on == D(2026, 6, 1)


# --- linked items ---------------------------------------------------------------------------


def test_forwarding_a_main_item_again_reroutes_its_linked_items(world):
    main = routed_item(world, "returned", due_on=D(2026, 4, 1))
    child = routed_item(world, "returned", cell="a2", main_item=main, due_on=D(2026, 4, 1))
    FeedbackItem.objects.filter(pk=child.pk).update(escalated_at=at(2026, 4, 2, 9))

    services.forward_item(
        item=main, by=world.staff_c, body=world.body, due_on=D(2026, 5, 1), now=at(2026, 4, 3, 9)
    )

    row = FeedbackItem.objects.get(pk=child.pk)
    assert (row.routed_body, row.routed_organization, row.due_on, row.escalated_at) == (
        world.body,
        None,
        D(2026, 5, 1),
        None,
    )


@pytest.mark.parametrize(
    "move",
    [
        lambda w, item: services.forward_item(item=item, by=w.staff_c, organization=w.c),
        lambda w, item: services.start_item(item=item, by=w.admin_d),
        lambda w, item: services.return_item(item=item, by=w.admin_d, note="?"),
        lambda w, item: services.answer_item(item=item, by=w.admin_d, answer="x"),
    ],
)
def test_a_linked_item_is_never_moved_on_its_own(world, move):
    main = routed_item(world, "forwarded")
    child = routed_item(world, "returned", cell="a2", main_item=main)

    with pytest.raises(WorkflowError):
        move(world, child)

    assert FeedbackItem.objects.get(pk=child.pk).state == "returned"


def test_answering_leaves_linked_items_already_closed_alone(world):
    main = routed_item(world, "in_progress")
    closed = routed_item(world, "closed", cell="a2", main_item=main, answer="Cũ")
    open_child = routed_item(world, "returned", cell="a2", main_item=main)
    now = at(2026, 3, 5, 10)

    services.answer_item(item=main, by=world.answerer_c, answer="  Đã xử lý.  ", now=now)

    closed_row, open_row = (FeedbackItem.objects.get(pk=i.pk) for i in (closed, open_child))
    assert (closed_row.state, closed_row.answer) == ("closed", "Cũ")
    assert (open_row.state, open_row.answer, open_row.answered_at, open_row.answered_by) == (
        "answered",
        "Đã xử lý.",
        now,
        world.answerer_c,
    )


def test_not_satisfied_detaches_a_linked_item_with_a_new_due_date(world):
    main = routed_item(world, "answered")
    child = routed_item(world, "answered", main_item=main, due_on=D(2026, 1, 1))
    FeedbackItem.objects.filter(pk=child.pk).update(escalated_at=at(2026, 1, 2, 9))
    held = MeetingFactory(cell=world.a1, period=D(2026, 3, 1), state="held")

    read_back = services.read_back_item(
        item=child,
        meeting=held,
        by=world.secretary,
        is_satisfied=False,
        note=" Chưa rõ ",
        now=at(2026, 3, 10, 20),
    )

    row = FeedbackItem.objects.get(pk=child.pk)
    days = row.category.default_days
    assert (row.state, row.main_item, row.escalated_at, row.due_is_manual) == (
        "reopened",
        None,
        None,
        False,
    )
    assert row.due_on == D(2026, 3, 10) + datetime.timedelta(days=days)
    assert (read_back.is_satisfied, read_back.note, read_back.answer) == (
        False,
        "Chưa rõ",
        row.answer,
    )
    # The main item is not reopened with it.
    assert FeedbackItem.objects.get(pk=main.pk).state == "answered"


# --- recording -------------------------------------------------------------------------------


def record(world, **fields):
    values = {
        "meeting": world.meeting_a1,
        "by": world.secretary,
        "category": feedback_category("khac"),
        "text": "Đề nghị lắp đèn đường",
        "raiser_kind": "citizens",
        "raiser_name": "Bà con xóm 1",
        **fields,
    }
    return services.record_item(**values)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  \n "}, "Write the feedback."),
        ({"raiser_kind": "member"}, "Choose the member who raised it."),
    ],
)
def test_recording_refuses_what_is_missing(world, fields, message):
    with pytest.raises(WorkflowError) as error:
        record(world, **fields)
    assert str(error.value) == message
    assert FeedbackItem.objects.count() == 0


@pytest.mark.parametrize("state", ["cancelled", "postponed"])
def test_nothing_is_recorded_at_a_meeting_that_does_not_take_place(world, state):
    meeting = MeetingFactory(cell=world.a1, period=D(2026, 3, 1), state=state)

    with pytest.raises(WorkflowError) as error:
        record(world, meeting=meeting)

    assert str(error.value) == "Feedback is recorded at a meeting that takes place."


def test_a_member_of_another_cell_raises_only_if_at_the_meeting(world):
    guest = MemberFactory(cell=world.b1, full_name="Lê Văn Khách")

    with pytest.raises(WorkflowError) as error:
        record(world, raiser_kind="member", raiser_member=guest)
    assert str(error.value) == "That member is not of this cell."

    from tests.factories import AttendanceFactory

    AttendanceFactory(meeting=world.meeting_a1, member=guest)
    item = record(world, raiser_kind="member", raiser_member=guest, raiser_name="bỏ qua")
    assert (item.raiser_member, item.raiser_name) == (guest, "")


def test_a_visit_to_another_meeting_is_refused(world):
    visit = CadreVisit.objects.create(meeting=world.meeting_a2, cadre=world.cadre, attended=True)

    with pytest.raises(WorkflowError) as error:
        record(world, by=world.cadre_user, visit=visit)

    assert str(error.value) == "That visit was to another meeting."


def test_a_cadre_records_from_their_own_visit_on_the_clock_given(world):
    visit = CadreVisit.objects.create(meeting=world.meeting_a1, cadre=world.cadre, attended=True)
    now = at(2026, 2, 5, 21, 15)

    item = record(world, by=world.cadre_user, visit=visit, raiser_name="  Bà con  ", now=now)

    assert (item.visit, item.recorded_by, item.raiser_name, item.state_changed_at) == (
        visit,
        world.cadre_user,
        "Bà con",
        now,
    )
    assert item.events.get().at == now
