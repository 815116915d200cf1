"""The pieces of seed_scale on their own: the writer, the province in memory,
the snapshot lookups and the feedback player, without building a province
in the database (except for the writer, which is the database part)."""

import datetime
import random
from collections import Counter

import pytest

from chibo.demo.scale import history as history_module
from chibo.demo.scale import snapshots, texts, writer
from chibo.demo.scale.history import History, MeetingRow, MinutesRow, Visit
from chibo.demo.scale.province import (
    Office,
    _commune_count,
    _commune_names,
    _path,
    _split,
    holder,
)
from chibo.models import Organization
from feedback.models import FeedbackEvent, FeedbackState, ReadBack
from feedback.workflow import TRANSITIONS
from meetings import rules
from meetings.models import Attendance, AttendanceStatus
from meetings.snapshot import POSITION_TITLES, SEAT_TITLES
from members.models import Member, PositionKind, SeatKind
from tests.chibo.scale_data import (
    NOW,
    START,
    TODAY,
    at,
    item_at,
    node,
    person,
    player,
    province,
)
from tests.factories import OrganizationFactory

# The writer (the one part that needs the database) ------------------------------------


def test_next_id_starts_after_the_rows_already_there(db):
    existing = OrganizationFactory()
    w = writer.Writer()
    assert [w.next_id(Organization), w.next_id(Organization)] == [existing.pk + 1, existing.pk + 2]
    assert w.next_id(Member) == 1  # each table its own counter


def _org_row(w, pk, code, name):
    return (pk, f"{pk:04d}", 1, 0, code, name, "province", name.lower(), "", None, None, 3)


ORG_COLUMNS = ["id", "path", "depth", "numchild", "code", "name", "kind", "search_name"]
ORG_COLUMNS += ["place_name", "founded_on", "dissolved_on", "meeting_day"]
ORG_COLUMNS_REST = ["meeting_week", "meeting_weekday", "meeting_time", "meeting_place"]


def test_rows_are_written_with_their_keys_and_counted(db):
    w = writer.Writer()
    sink = w.sink(Organization, ORG_COLUMNS + ORG_COLUMNS_REST)
    for pk in (5, 6):
        sink.add(*_org_row(w, pk, f"t{pk}", f"Tỉnh {pk}"), None, None, datetime.time(19, 30), "")
    w.flush()
    assert list(Organization.objects.order_by("pk").values_list("pk", "name", "path")) == [
        (5, "Tỉnh 5", "0005"),
        (6, "Tỉnh 6", "0006"),
    ]
    assert w.counts == Counter({"chibo_organization": 2})
    assert sink.rows == []
    w.flush()  # nothing left: nothing written, counts unchanged
    assert w.counts == Counter({"chibo_organization": 2})


def test_finish_moves_the_sequence_past_the_keys_written(db):
    w = writer.Writer()
    sink = w.sink(Organization, ORG_COLUMNS + ORG_COLUMNS_REST)
    sink.add(*_org_row(w, 40, "t40", "Tỉnh 40"), None, None, datetime.time(19, 30), "")
    w.finish()
    assert OrganizationFactory().pk == 41


def test_maybe_flush_waits_for_a_full_batch(db, monkeypatch):
    monkeypatch.setattr(writer, "BATCH", 2)
    w = writer.Writer()
    sink = w.sink(Organization, ORG_COLUMNS + ORG_COLUMNS_REST)
    sink.add(*_org_row(w, 1, "a", "A"), None, None, datetime.time(8), "")
    w.maybe_flush()
    assert Organization.objects.count() == 0 and len(sink.rows) == 1
    sink.add(*_org_row(w, 2, "b", "B"), None, None, datetime.time(8), "")
    w.maybe_flush()
    assert Organization.objects.count() == 2 and sink.rows == []


def test_parents_and_children_go_in_one_flush_in_the_order_opened(db):
    w = writer.Writer()
    orgs = w.sink(Organization, ORG_COLUMNS + ORG_COLUMNS_REST)
    members = w.sink(
        Member, ["id", "full_name", "search_name", "joined_on", "status", "cell_id", "is_exempt",
                 "exempt_reason", "is_away_for_work", "phone", "gender"],
    )  # fmt: skip
    # the child is added first: the flush still writes the parent's table first
    members.add(1, "Lò Văn A", "lo van a", datetime.date(2000, 1, 1), "official", 9, False, "",
                False, "", "male")  # fmt: skip
    orgs.add(*_org_row(w, 9, "c9", "Chi bộ 9"), None, None, datetime.time(8), "")
    w.flush()
    assert Member.objects.get(pk=1).cell_id == 9
    assert w.counts == Counter({"chibo_organization": 1, "members_member": 1})


def test_a_json_column_round_trips(db):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    w = writer.Writer()
    from meetings.models import Minutes

    sink = w.sink(Minutes, ["id", "meeting_id", "state", "version", "party_fee_status",
                            "programme", "news", "assessment", "criticism", "summary",
                            "resolution", "read_back_adopted", "term", "snapshot", "pdf",
                            "pdf_sha256", "updated_at", "posted_digests",
                            "shown_version"])  # fmt: skip
    value = {"header": {"cell": "CHI BỘ BẢN LẾCH"}, "list": [1, None, True], "text": "a\tb\\c\n"}
    sink.add(3, meeting.pk, "draft", 1, "", "", "", "", "", "", "", False, "", value, "", "", NOW,
             {}, 0)  # fmt: skip
    w.flush()
    assert Minutes.objects.get(pk=3).snapshot == value


# The province in memory -----------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 35, 36, 1295])
def test_paths_are_treebeards(step):
    root = node(path="0001")
    assert _path(None, step) == Organization._get_path("", 1, step)
    assert _path(root, step) == Organization._get_path("0001", 2, step)
    assert len(_path(root, step)) == 8


def test_paths_spell_base_36():
    root = node(path="0001")
    assert [_path(root, s)[4:] for s in (1, 10, 36, 1295)] == ["0001", "000A", "0010", "00ZZ"]


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [(10, 3, [4, 3, 3]), (40, 4, [10, 10, 10, 10]), (5, 5, [1] * 5), (7, 1, [7])],
)
def test_split_is_as_even_as_can_be(total, parts, expected):
    assert _split(total, parts) == expected


@pytest.mark.parametrize(
    ("cells", "communes"), [(1, 1), (19, 1), (20, 2), (100, 2), (120, 3), (10_000, 250)]
)
def test_communes_of_about_forty_cells(cells, communes):
    assert _commune_count(cells) == communes


def test_commune_names_are_unique_even_past_the_syllable_pairs():
    assert len(set(_commune_names(random.Random(1), 250))) == 250
    many = _commune_names(random.Random(1), 700)
    assert len(set(many)) == 700
    assert many[600].endswith(" 2")


@pytest.mark.parametrize(("cells", "members"), [(20, 400), (37, 111), (50, 1234)])
def test_members_are_exactly_as_many_as_asked(cells, members):
    built = province(cells=cells, members=members)
    assert len(built.members) == members
    assert len(built.cells) == cells
    assert sum(len(c.members) for c in built.cells) == members
    assert min(len(c.members) for c in built.cells) >= 3
    assert len({p.pk for p in built.members}) == members


def test_the_tree_is_ordered_as_treebeard_orders_it():
    built = province(cells=160, members=480)
    assert built.root.path == "0001" and built.root.kind == "province"
    for parent in built.nodes:
        children = sorted(parent.children, key=lambda c: c.path)
        assert [c.name for c in children] == sorted(c.name for c in children)
        assert all(c.path.startswith(parent.path) and c.depth == parent.depth + 1 for c in children)
    kinds = Counter(n.kind for n in built.nodes)
    assert kinds == Counter({"cell": 160, "commune": 4, "subcommittee": 4, "province": 1})
    assert [n.depth for n in built.cells[-40:]] == [4] * 40  # under the sub-committees


def test_some_cells_keep_a_day_or_an_hour_of_their_own():
    built = province(cells=200, members=600)
    days = Counter(c.meeting_day for c in built.cells)
    assert days[3] > 140
    assert set(days) <= {3, 5, 10, 15, 20, 24}
    assert any(c.meeting_week for c in built.cells)
    assert {c.meeting_time for c in built.cells} == {
        datetime.time(19, 30),
        datetime.time(14, 0),
        datetime.time(8, 0),
    }


def test_every_cell_has_a_secretary_and_big_ones_a_committee():
    built = province(cells=40, members=800)
    for cell in built.cells:
        kinds = [o.kind for o in cell.positions]
        assert kinds.count(PositionKind.SECRETARY) == 1
        if len(cell.members) >= 9:
            assert kinds == ["secretary", "deputy", "committee", "committee"]
        for office in cell.positions:
            assert office.holder.cell is cell
            assert office.holder.left_on is None and not office.holder.is_exempt
            assert office.starts_on == START - datetime.timedelta(days=365)


def test_holder_finds_a_cells_position():
    built = province()
    cell = built.cells[0]
    assert holder(cell, PositionKind.SECRETARY) is cell.positions[0].holder
    assert holder(node(), PositionKind.DEPUTY) is None


def test_commune_standing_members_take_five_cells_each():
    built = province(cells=40, members=800)
    commune = built.communes[0]
    load = Counter()
    for cell in built.cells:
        for office in cell.assignments:
            load[office.holder.pk] += 1
    standing = [
        c for c in built.cadres if any(s.kind == "standing" and s.place is commune for s in c.seats)
    ]
    assert len(standing) == 3
    assert [load[c.pk] for c in standing] == [5, 5, 5]
    for cadre in standing:
        assert sorted(s.kind for s in cadre.seats) == [SeatKind.EXECUTIVE, SeatKind.STANDING]


def test_cadres_hold_no_post_in_a_cell_and_serve_their_committees_area():
    built = province(cells=120, members=2400)
    secretaries = {o.holder.pk for c in built.cells for o in c.positions}
    for cadre in built.cadres:
        assert cadre.pk not in secretaries
        assert len({s.place.pk for s in cadre.seats}) == 1  # one committee per cadre
    for cell in built.cells:
        assert cell.assignments
        assert len({o.holder.pk for o in cell.assignments}) == len(cell.assignments)
        for office in cell.assignments:
            assert any(cell.path.startswith(s.place.path) for s in office.holder.seats)
    province_seats = [s for c in built.cadres for s in c.seats if s.place is built.root]
    assert Counter(s.kind for s in province_seats) == Counter({"executive": 8, "standing": 2})


def test_settle_makes_recent_members_probationary_without_a_card():
    built = province(cells=50, members=1000)
    recent = [p for p in built.members if p.joined_on > TODAY - datetime.timedelta(days=365)]
    assert recent
    for p in built.members:
        if p in recent:
            assert (p.status, p.official_on, p.card) == ("probationary", None, None)
        else:
            assert p.status == "official" and p.card == f"NS{p.pk:08d}"
            assert p.official_on == p.joined_on + datetime.timedelta(days=365)


def test_members_are_a_mix_of_exempted_away_and_gone():
    built = province(cells=100, members=5000)
    assert sum(p.is_exempt for p in built.members) > 10
    assert sum(p.is_away_for_work for p in built.members) > 200
    assert sum(p.left_on is not None for p in built.members) > 20
    assert all(p.exempt_reason for p in built.members if p.is_exempt)
    assert {p.gender for p in built.members} == {"male", "female"}


def test_the_same_seed_gives_the_same_province_in_memory():
    names = [p.full_name for p in province(seed=7).members]
    assert names == [p.full_name for p in province(seed=7).members]
    assert names != [p.full_name for p in province(seed=8).members]


def test_lineage_runs_from_the_cell_to_the_province():
    built = province(cells=160, members=480)
    cell = built.cells[-1]
    assert [n.kind for n in cell.lineage()] == ["cell", "subcommittee", "commune", "province"]
    chain = snapshots.lineage(cell)
    assert [link["name"] for link in chain] == [n.name for n in cell.lineage()]
    assert chain[0]["organization"] is cell


# Snapshot lookups --------------------------------------------------------------------------


def test_position_titles_take_the_highest_post_held_that_day():
    cell = node()
    a, b = person(1, cell), person(2, cell)
    day = datetime.date(2026, 3, 3)
    cell.positions = [
        Office(1, a, cell, PositionKind.COMMITTEE, datetime.date(2020, 1, 1)),
        Office(2, a, cell, PositionKind.SECRETARY, datetime.date(2025, 1, 1)),
        Office(3, b, cell, PositionKind.DEPUTY, datetime.date(2020, 1, 1), day),  # ended that day
    ]
    assert snapshots.position_titles(cell, day) == {1: POSITION_TITLES["secretary"]}
    before = snapshots.position_titles(cell, datetime.date(2024, 6, 1))
    assert before == {1: "Chi ủy viên", 2: "Phó Bí thư chi bộ"}


def test_cadre_titles_name_the_standing_seat_first_and_skip_the_absent():
    commune = node(5, "Đảng bộ xã Cò Nòi", "commune", "00010001")
    cell = node(6, path="000100010001", parent=commune)
    a, b, c = person(1, cell), person(2, cell), person(3, cell)
    day = datetime.date(2026, 3, 3)
    a.seats = [
        Office(1, a, commune, SeatKind.EXECUTIVE, datetime.date(2020, 1, 1)),
        Office(2, a, commune, SeatKind.STANDING, datetime.date(2020, 1, 1)),
    ]
    b.seats = [Office(3, b, commune, SeatKind.STANDING, datetime.date(2027, 1, 1))]  # not yet
    visits = [Visit(9, a, True), Visit(4, b, True), Visit(5, c, False)]
    assert snapshots.cadre_titles(visits, day) == [
        {"name": b.full_name, "title": ""},
        {"name": a.full_name, "title": f"{SEAT_TITLES['standing']} Đảng ủy xã Cò Nòi"},
    ]


# The feedback player ---------------------------------------------------------------------


def events(w, item) -> list[tuple]:
    return [(e["action"], e["from_state"], e["to_state"]) for e in w.rows.get(FeedbackEvent, [])
            if e["item_id"] == item.pk]  # fmt: skip


def test_a_forwarded_item_owes_its_answer_by_the_categorys_days():
    play, w, built = player()
    item = item_at(play, built, at(datetime.date(2026, 5, 3)))
    play._forward(item, at(datetime.date(2026, 5, 5)))
    assert item.state == FeedbackState.FORWARDED
    assert item.due_on == datetime.date(2026, 6, 4)
    assert item.answer_organization is not None
    assert built.cells[0].path.startswith(item.answer_organization.path)
    assert (item.routed_organization is None) != (item.routed_body is None)
    note = w.rows[FeedbackEvent][-1]["note"]
    assert note.endswith("04/06/2026.") and play._answering(item) in note


def test_a_late_answer_is_reported_overdue_once_before_it():
    play, w, built = player()
    item = item_at(play, built, at(datetime.date(2026, 1, 3)))
    item.plan = [("forward", at(datetime.date(2026, 1, 4)))]
    play._advance([item], at(datetime.date(2026, 1, 5)))
    item.plan = [("start", at(datetime.date(2026, 1, 6)))]
    play._advance([item], at(datetime.date(2026, 1, 7)))
    item.plan = [("answer", at(datetime.date(2026, 4, 1)))]
    play._advance([item], at(datetime.date(2026, 5, 1)))
    assert events(w, item) == [
        ("forward", "new", "forwarded"),
        ("start", "forwarded", "in_progress"),
        ("overdue", "in_progress", "in_progress"),
        ("answer", "in_progress", "answered"),
    ]
    overdue = [e for e in w.rows[FeedbackEvent] if e["action"] == "overdue"][0]
    assert overdue["at"] == at(item.due_on + datetime.timedelta(days=1), 7)
    assert item.escalated_at == overdue["at"]
    assert item.state == FeedbackState.ANSWERED and item.answered_by == 900
    assert item.plan == [("readback", at(datetime.date(2026, 4, 1)))]


def test_an_item_still_awaiting_today_is_reported_overdue():
    play, w, built = player()
    item = item_at(play, built, at(datetime.date(2026, 1, 3)))
    play._forward(item, at(datetime.date(2026, 1, 4)))
    item.plan = []
    play._advance([item], NOW)
    assert [e[0] for e in events(w, item)] == ["forward", "overdue"]
    play._advance([item], NOW)  # once per due date
    assert [e[0] for e in events(w, item)] == ["forward", "overdue"]


def test_the_player_stops_at_the_read_back_and_at_today():
    play, w, built = player()
    item = item_at(play, built, at(datetime.date(2026, 11, 3)))
    item.plan = [("forward", at(datetime.date(2026, 12, 20)))]  # after NOW
    play._advance([item], NOW)
    assert item.state == FeedbackState.NEW and events(w, item) == []
    item.plan = [("readback", at(datetime.date(2026, 1, 1)))]
    play._advance([item], NOW)
    assert item.plan == [("readback", at(datetime.date(2026, 1, 1)))]


def test_a_returned_item_is_forwarded_again_or_stays_returned():
    outcomes = set()
    for seed in range(12):
        play, w, built = player(seed=f"r{seed}")
        item = item_at(play, built, at(datetime.date(2026, 3, 3)))
        play._forward(item, at(datetime.date(2026, 3, 4)))
        play._return(item, at(datetime.date(2026, 3, 6)))
        assert item.state == FeedbackState.RETURNED
        outcomes.add(bool(item.plan))
        if item.plan:
            assert item.plan[0][0] == "forward"
    assert outcomes == {True, False}


def read_back_meeting(play, built, day):
    cell = built.cells[0]
    start = at(day, 19)
    meeting = MeetingRow(50, cell, "regular", day.replace(day=1), "", False, start)
    minutes = MinutesRow(60, meeting, None, None, started_at=start)
    return meeting, minutes


def test_answers_given_before_a_meeting_are_read_back_at_it():
    play, w, built = player()
    answered = item_at(play, built, at(datetime.date(2026, 1, 3)))
    play._forward(answered, at(datetime.date(2026, 1, 4)))
    play._start(answered, at(datetime.date(2026, 1, 5)))
    play._answer(answered, at(datetime.date(2026, 1, 20)))
    later = item_at(play, built, at(datetime.date(2026, 1, 3)))
    play._forward(later, at(datetime.date(2026, 1, 4)))
    play._start(later, at(datetime.date(2026, 1, 5)))
    play._answer(later, at(datetime.date(2026, 2, 10)))
    meeting, minutes = read_back_meeting(play, built, datetime.date(2026, 2, 3))
    answers = play._read_back([answered, later], meeting, minutes)
    assert [a["item"] for a in answers] == [answered.pk]
    assert later.state == FeedbackState.ANSWERED
    assert answered.state in (FeedbackState.CLOSED, FeedbackState.REOPENED)
    # the keys feedback.selectors.answers_read_back gives the snapshot
    assert set(answers[0]) == {"item", "text", "category", "body", "answer", "satisfied",
                               "note", "question", "answered_by"}  # fmt: skip
    row = w.rows[ReadBack][0]
    assert (row["item_id"], row["meeting_id"], row["is_satisfied"]) == (
        answered.pk,
        50,
        answers[0]["satisfied"],
    )
    assert row["at"] == minutes.started_at + datetime.timedelta(minutes=30)


def test_a_reopened_item_owes_a_new_answer_from_the_read_back():
    for seed in range(40):
        play, w, built = player(seed=f"o{seed}")
        item = item_at(play, built, at(datetime.date(2026, 1, 3)))
        play._forward(item, at(datetime.date(2026, 1, 4)))
        play._start(item, at(datetime.date(2026, 1, 5)))
        item.escalated_at = at(datetime.date(2026, 2, 4))
        play._answer(item, at(datetime.date(2026, 1, 20)))
        meeting, minutes = read_back_meeting(play, built, datetime.date(2026, 2, 3))
        play._read_back([item], meeting, minutes)
        if item.state == FeedbackState.REOPENED:
            break
    else:
        pytest.fail("no seed reopened the item")
    assert item.due_on == datetime.date(2026, 3, 5)  # 30 days from the read back
    assert item.escalated_at is None
    assert item.plan[0][0] == "start"
    assert w.rows[ReadBack][0]["note"] == texts.UNSATISFIED


def test_every_move_the_player_makes_is_in_the_workflow():
    play, w, built = player()
    items = [item_at(play, built, at(datetime.date(2025, 1, 3))) for _ in range(60)]
    for item in items:
        item.plan = [("forward", at(datetime.date(2025, 1, 5)))]
    for month in range(2, 12):
        day = datetime.date(2025, month, 3)
        play._advance(items, at(day, 19))
        meeting, minutes = read_back_meeting(play, built, day)
        play._read_back(items, meeting, minutes)
    play._advance(items, NOW)
    for event in w.rows[FeedbackEvent]:
        if event["from_state"] != event["to_state"]:
            assert (event["from_state"], event["to_state"]) in TRANSITIONS
    assert {i.state for i in items} >= {FeedbackState.CLOSED}


# Attendance --------------------------------------------------------------------------------


def test_statuses_follow_the_members_situation():
    rng = random.Random(3)
    cell = node()
    exempt, away, usual = person(1, cell), person(2, cell, is_away_for_work=True), person(3, cell)
    seen = {"exempt": set(), "away": set(), "usual": set()}
    for _ in range(400):
        seen["exempt"].add(History._status(rng, exempt, True))
        seen["away"].add(History._status(rng, away, False))
        seen["usual"].add(History._status(rng, usual, False))
    assert seen["exempt"] == {AttendanceStatus.PRESENT, AttendanceStatus.EXEMPT}
    assert seen["away"] == {AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED}
    assert seen["usual"] == {"present", "late", "absent_excused", "absent_unexcused"}


def test_a_cell_short_of_a_majority_calls_its_absent_members_in(monkeypatch):
    play, w, built = player()
    cell = built.cells[0]
    monkeypatch.setattr(History, "_status", staticmethod(lambda rng, p, exempt: "absent_excused"))
    day = datetime.date(2026, 3, 3)
    meeting = MeetingRow(70, cell, "regular", day.replace(day=1), "", False, at(day, 19))
    sheet, _visits = play._attendance(meeting, at(day, 19))
    figures = sheet.figures
    assert figures.voters_present == rules.majority_needed(figures.voting_base)
    rows = [r for r in w.rows[Attendance] if r["meeting_id"] == 70]
    assert len(rows) == figures.total == len(sheet.members)
    assert {r["status"] for r in rows} == {"present", "absent_excused"}
    assert all(r["reason"] == "" for r in rows if r["status"] == "present")


def test_members_off_the_roll_get_no_attendance():
    play, w, built = player()
    cell = built.cells[0]
    gone = cell.members[-1]
    gone.left_on = datetime.date(2026, 1, 1)
    day = datetime.date(2026, 3, 3)
    meeting = MeetingRow(71, cell, "regular", day.replace(day=1), "", False, at(day, 19))
    play._attendance(meeting, at(day, 19))
    members = {r["member_id"] for r in w.rows[Attendance]}
    assert gone.pk not in members
    assert members == {p.pk for p in cell.members if rules.is_on_roll_on(p, day)}


def test_texts_cover_every_category_of_the_migrations():
    from importlib import import_module

    categories = import_module("feedback.migrations.0002_categories").CATEGORIES
    assert {code for code, _name, _days in categories} == set(texts.FEEDBACK)
    assert all("{village}" in text or "cấp trên" in text or "bồi thường" in text
               for text in texts.FEEDBACK.values())  # fmt: skip


def test_months_are_spelled_as_the_minutes_spell_them():
    assert history_module.calendar_month(datetime.date(2026, 3, 1)) == "tháng 03 năm 2026"
