"""The rows seed_scale writes, stage by stage, caught by a writer that keeps
them in memory: the tree, the accounts, the members' offices, a cell's
meetings, minutes, tasks and feedback."""

import datetime
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password

from chibo.demo.scale import people, texts
from chibo.demo.scale.history import MinutesRow
from chibo.models import Organization, OrganizationVersion, Reorganization, Role
from feedback.models import AnsweringBody, FeedbackEvent, FeedbackItem, FeedbackState
from meetings import rules
from meetings.models import (
    Assignment,
    Attendance,
    CadreVisit,
    Meeting,
    Minutes,
    ResolutionTask,
    Speech,
    TaskStatus,
)
from meetings.selectors.attendance import AttendanceSheet
from meetings.snapshot import SCHEMA
from members.models import CommitteeSeat, Member, Position, PositionKind
from tests.chibo.scale_data import NOW, FakeWriter, at, item_at, player, province

User = get_user_model()


def written(w, model):
    return w.rows.get(model, [])


# The tree and the accounts -------------------------------------------------------------------


def test_the_tree_is_written_with_a_version_and_a_founding_each():
    built, w = province(cells=160, members=480), FakeWriter()
    people.write_tree(w, built)
    orgs = written(w, Organization)
    assert len(orgs) == len(built.nodes) == 169
    by_pk = {row["id"]: row for row in orgs}
    for n in built.nodes:
        row = by_pk[n.pk]
        assert (row["path"], row["depth"], row["numchild"]) == (n.path, n.depth, len(n.children))
        assert row["search_name"] == row["search_name"].lower()
        assert "đ" not in row["search_name"]
    versions = written(w, OrganizationVersion)
    assert [v["organization_id"] for v in versions] == [n.pk for n in built.nodes]
    assert versions[0]["parent_id"] is None
    assert all(v["valid_to"] is None for v in versions)
    events = written(w, Reorganization)
    assert Counter(e["kind"] for e in events) == Counter({"founded": 169})


def test_every_secretary_gets_an_account_and_the_benchmark_its_five():
    built, w = province(cells=80, members=1600), FakeWriter()
    accounts = people.write_accounts(w, built, password="pw-1", today=NOW.date())
    users = written(w, User)
    names = [u["username"] for u in users]
    assert len(users) == 80 + 4
    assert set(names) >= {"province-office", "commune-office", "cell-secretary", "scale-cadre"}
    assert "scale-answerer" in names
    assert len(set(names)) == len(names)
    assert sum(name.startswith("bt-") for name in names) == 79
    hashes = {u["password"] for u in users}
    assert len(hashes) == 1 and check_password("pw-1", hashes.pop())
    assert accounts.cell.path.startswith(accounts.commune.path)
    assert accounts.cell.user_id == accounts.cell_secretary
    assert accounts.cadre_member.user_id == accounts.cadre


def test_the_accounts_hold_the_roles_they_are_named_after():
    built, w = province(cells=80, members=1600), FakeWriter()
    accounts = people.write_accounts(w, built, password="pw", today=NOW.date())
    roles = Counter((r["user_id"], r["kind"]) for r in written(w, Role))
    assert roles[(accounts.province_office, "staff")] == 1
    assert roles[(accounts.commune_office, "staff")] == 1
    assert roles[(accounts.cell_secretary, "secretary")] == 1
    assert roles[(accounts.cadre, "cadre")] == 1
    assert roles[(accounts.answerer, "answerer")] == len(built.communes) + 1
    where = {(r["user_id"], r["kind"]): r["organization_id"] for r in written(w, Role)}
    assert where[(accounts.province_office, "staff")] == built.root.pk
    assert where[(accounts.commune_office, "staff")] == accounts.commune.pk
    assert where[(accounts.cadre, "cadre")] == accounts.commune.pk


def test_the_cadre_account_has_five_cells_of_its_commune():
    built, w = province(cells=80, members=1600), FakeWriter()
    accounts = people.write_accounts(w, built, password="pw", today=NOW.date())
    cells = [
        c for c in built.cells if any(a.holder is accounts.cadre_member for a in c.assignments)
    ]
    assert len(cells) == 5
    assert all(c.path.startswith(accounts.commune.path) for c in cells)


def test_each_commune_has_a_peoples_committee_that_answers():
    built, w = province(cells=80, members=1600), FakeWriter()
    accounts = people.write_accounts(w, built, password="pw", today=NOW.date())
    bodies = written(w, AnsweringBody)
    assert [b["organization_id"] for b in bodies] == [c.pk for c in built.communes]
    assert all(b["name"].startswith("Ủy ban nhân dân ") for b in bodies)
    assert accounts.body_names == {b["id"]: b["name"] for b in bodies}
    links = written(w, AnsweringBody.answerers.through)
    assert {row["user_id"] for row in links} == {accounts.answerer}


def test_members_and_their_offices_are_written_once_each():
    built, w = province(cells=40, members=800), FakeWriter()
    people.write_accounts(w, built, password="pw", today=NOW.date())
    people.write_members(w, built)
    members = written(w, Member)
    assert len(members) == 800 and len({m["id"] for m in members}) == 800
    with_user = [m for m in members if m["user_id"]]
    assert len(with_user) == 40 + 1  # the secretaries and scale-cadre
    positions = written(w, Position)
    assert len(positions) == sum(len(c.positions) for c in built.cells)
    assert Counter(p["kind"] for p in positions)[PositionKind.SECRETARY] == 40
    assert len(written(w, CommitteeSeat)) == sum(len(c.seats) for c in built.cadres)
    assignments = written(w, Assignment)
    assert len(assignments) == sum(len(c.assignments) for c in built.cells)
    assert all(a["ends_on"] is None for a in assignments)


# A meeting, its attendance and minutes ------------------------------------------------------


def test_a_meeting_falls_on_the_cells_day_moved_past_holidays():
    play, _w, built = player(holidays=[datetime.date(2026, 9, 2), datetime.date(2026, 9, 3)])
    cell = built.cells[0]
    cell.meeting_day, cell.meeting_week, cell.meeting_weekday = 3, None, None
    meeting = play._meeting(cell, datetime.date(2026, 9, 1))
    assert meeting.scheduled_at == at(datetime.date(2026, 9, 4), cell.meeting_time.hour).replace(
        minute=cell.meeting_time.minute
    )
    assert meeting.has_thematic_part and meeting.topic in texts.TOPICS
    october = play._meeting(cell, datetime.date(2026, 10, 1))
    assert (october.has_thematic_part, october.topic) == (False, "")


def test_minutes_are_adoptable_and_finalized_before_now():
    play, _w, built = player()
    cell = built.cells[0]
    for month in (5, 6, 7, 8):
        meeting = play._meeting(cell, datetime.date(2026, month, 1))
        start = meeting.scheduled_at
        sheet, _visits = play._attendance(meeting, start)
        minutes = play._minutes(meeting, sheet, start, True)
        figures = sheet.figures
        assert rules.resolution_adopted(
            votes_for=minutes.votes_for, official_members=figures.voting_base
        )
        total = minutes.votes_for + minutes.votes_against + minutes.votes_abstain
        assert total == figures.voters_present
        assert minutes.ended_at < minutes.finalized_at <= NOW
        assert minutes.chair is not None and minutes.minute_taker is not None
        assert minutes.chair is not minutes.minute_taker
        assert minutes.finalized_by == cell.user_id
        assert str(figures.total) in minutes.party_fee_status


def test_a_few_meetings_are_too_short_and_say_so():
    play, _w, built = player(seed="short")
    cell = built.cells[0]
    lengths = []
    for n in range(150):
        meeting = play._meeting(cell, datetime.date(2026, 1 + n % 10, 1))
        sheet = AttendanceSheet(meeting=meeting, on=meeting.scheduled_at.date())
        minutes = play._minutes(meeting, sheet, meeting.scheduled_at, True)
        lengths.append(rules.duration_minutes(minutes.started_at, minutes.ended_at))
    assert min(lengths) < rules.MINIMUM_MINUTES
    assert min(lengths) >= rules.MINIMUM_MINUTES - 15
    assert sum(length < rules.MINIMUM_MINUTES for length in lengths) < 20


def test_draft_minutes_are_not_numbered_nor_finalized():
    play, w, built = player()
    cell = built.cells[0]
    meeting = play._meeting(cell, datetime.date(2026, 11, 1))
    sheet, _visits = play._attendance(meeting, meeting.scheduled_at)
    minutes = play._minutes(meeting, sheet, meeting.scheduled_at, False)
    assert (minutes.state, minutes.finalized_at, minutes.finalized_by) == ("draft", None, None)
    play._write_minutes(minutes, None)
    row = written(w, Minutes)[0]
    assert (row["version"], row["number"], row["snapshot"], row["term"]) == (1, None, None, "")


def test_each_minutes_row_has_its_history_row():
    play, w, built = player()
    cell = built.cells[0]
    meeting = play._meeting(cell, datetime.date(2026, 10, 1))
    sheet, _visits = play._attendance(meeting, meeting.scheduled_at)
    minutes = play._minutes(meeting, sheet, meeting.scheduled_at, True)
    minutes.number, minutes.term = 4, "2025-2030"
    play._write_minutes(minutes, {"schema": SCHEMA})
    row, history = written(w, Minutes)[0], written(w, Minutes.history.model)[0]
    assert (row["version"], row["number"], row["snapshot"]) == (2, 4, {"schema": SCHEMA})
    assert "snapshot" not in history and "pdf" not in history
    assert (history["id"], history["history_type"], history["state"]) == (row["id"], "+", "final")
    assert history["history_date"] == row["updated_at"] == minutes.finalized_at
    assert history["history_user_id"] == cell.user_id == row["updated_by_id"]


def test_tasks_fall_due_at_the_end_of_next_month():
    play, _w, built = player()
    cell = built.cells[0]
    minutes = MinutesRow(1, None, None, None)
    tasks = play._tasks(minutes, cell, datetime.date(2026, 1, 1))
    assert 1 <= len(tasks) <= 3
    assert {t.due_on for t in tasks} == {datetime.date(2026, 2, 28)}
    members = {p.pk for p in cell.members}
    for task in tasks:
        assert task.status == TaskStatus.OPEN and task.title in texts.TASKS
        if task.assignee_id:
            assert task.assignee_id in members
        else:
            assert task.assignee_name == "Toàn thể đảng viên"


def test_tasks_are_written_once_when_assessed_and_the_rest_stay_open():
    play, w, built = player(seed="assess")
    cell = built.cells[0]
    earlier, later = MinutesRow(1, None, None, None), MinutesRow(2, None, None, None)
    later.meeting = play._meeting(cell, datetime.date(2026, 2, 1))
    open_tasks = []
    for _ in range(30):
        open_tasks += [(t, 1) for t in play._tasks(earlier, cell, datetime.date(2026, 1, 1))]
    count = len(open_tasks)
    assessed = play._assess(open_tasks, later)
    rows = written(w, ResolutionTask)
    assert len(rows) == len(assessed) and len(assessed) + len(open_tasks) == count
    assert open_tasks and all(t.status == TaskStatus.OPEN for t, _pk in open_tasks)
    assert {r["assessed_in_id"] for r in rows} == {2}
    assert {r["status"] for r in rows} <= {"done", "late", "dropped"}
    assert all(r["result_note"] in texts.RESULT_NOTES for r in rows)


def test_speeches_are_by_members_at_the_meeting():
    play, w, built = player()
    cell = built.cells[0]
    meeting = play._meeting(cell, datetime.date(2026, 10, 1))
    sheet, _visits = play._attendance(meeting, meeting.scheduled_at)
    minutes = play._minutes(meeting, sheet, meeting.scheduled_at, True)
    speeches = play._speeches(minutes, sheet)
    rows = written(w, Speech)
    present = {r.member.pk for r in sheet.members if rules.is_attending(r.status)}
    assert 1 <= len(rows) <= 2 and [r["order"] for r in rows] == list(range(len(rows)))
    assert all(r["member_id"] in present and len(r["key"]) == 36 for r in rows)
    assert [s.text for s in speeches] == [r["text"] for r in rows]
    assert all(s.is_member_speaking for s in speeches)


def test_visits_are_by_the_cadres_assigned_that_day():
    play, w, built = player(seed="visits")
    cell = built.cells[0]
    for month in range(1, 12):
        meeting = play._meeting(cell, datetime.date(2026, month, 1))
        play._attendance(meeting, meeting.scheduled_at)
    visits = written(w, CadreVisit)
    assert visits
    cadres = {o.holder.pk for o in cell.assignments}
    assert {v["cadre_id"] for v in visits} <= cadres
    for visit in visits:
        assert bool(visit["reported"]) == visit["attended"]


def test_the_current_month_is_planned_and_the_secretarys_cell_has_a_draft():
    play, w, built = player()
    cell = built.cells[0]
    play.cell_rng = random.Random(0)
    play._current_month(cell)
    meeting = written(w, Meeting)[0]
    assert (meeting["period"], meeting["state"]) == (datetime.date(2026, 12, 1), "planned")
    draft = written(w, Minutes)[0]
    assert (draft["state"], draft["started_at"], draft["meeting_id"]) == (
        "draft",
        None,
        meeting["id"],
    )
    assert draft["chair_id"] is not None
    assert not written(w, Attendance)


# A whole cell ------------------------------------------------------------------------------


def test_a_cell_plays_every_month_and_numbers_its_minutes():
    play, w, built = player(months=14)
    cell = built.cells[0]
    play.play(cell)
    meetings = written(w, Meeting)
    assert len(meetings) == 15
    assert len({m["period"] for m in meetings}) == 15
    finals = [m for m in written(w, Minutes) if m["state"] == "final"]
    assert len(finals) >= 12
    numbers = {}
    for row in finals:
        numbers.setdefault(row["term"], []).append(row["number"])
        assert row["snapshot"]["minutes_id"] == row["id"]
        assert row["snapshot"]["header"]["number"] == row["number"]
    for values in numbers.values():
        assert values == list(range(1, len(values) + 1))
    task_ids = [t["id"] for t in written(w, ResolutionTask)]
    assert len(task_ids) == len(set(task_ids))
    assert len(task_ids) == w.ids[ResolutionTask]  # every task written, once


def test_a_cells_feedback_is_written_once_with_its_whole_timeline():
    play, w, built = player(months=24, seed="fb")
    cell = built.cells[0]
    play.play(cell)
    items = written(w, FeedbackItem)
    assert len(items) == w.ids[FeedbackItem] > 0
    for row in items:
        timeline = [e for e in written(w, FeedbackEvent) if e["item_id"] == row["id"]]
        assert timeline[0]["action"] == "record"
        moves = [e for e in timeline if e["action"] != "overdue"]
        assert moves[-1]["to_state"] == row["state"]
        assert row["search_text"] == row["search_text"].lower()
        if row["state"] != FeedbackState.NEW:
            assert row["answer_organization_id"] and row["due_on"]
    states = play.counts["feedback states"]
    assert sum(states.values()) == len(items)


def test_raised_items_name_a_member_present_or_the_citizens():
    play, w, built = player(seed="raise")
    cell = built.cells[0]
    members = {p.pk for p in cell.members}
    raised = []
    for month in range(1, 13):
        meeting = play._meeting(cell, datetime.date(2025, month, 1))
        sheet, visits = play._attendance(meeting, meeting.scheduled_at)
        minutes = play._minutes(meeting, sheet, meeting.scheduled_at, True)
        raised += play._raise(meeting, minutes, sheet, visits)
    assert raised
    for item in raised:
        assert (item.raiser_member is None) != (item.raiser_name == "")
        if item.raiser_member:
            assert item.raiser_member.pk in members
        if item.visit:
            assert item.visit.attended
        assert item.plan[0][0] == "forward"


def test_an_item_answered_by_a_body_names_the_body():
    play, _w, built = player()
    item = item_at(play, built, at(datetime.date(2026, 3, 3)))
    item.routed_body = 7
    assert play._answering(item) == "Ủy ban nhân dân xã 0"
    item.routed_body, item.routed_organization = None, built.root
    assert play._answering(item) == built.root.name
