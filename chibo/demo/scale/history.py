"""Each cell's months, one after the other: meetings, attendance, cadre
visits, minutes with their snapshot, tasks and feedback.

A cell is played from its first month to today: past months are held and
their minutes final (a few are cancelled; last month a few are still
draft or missing), the current month is planned (some with draft minutes).
Feedback raised at a meeting is forwarded, taken up, answered (late ones
reported overdue as the daily task would), read back at the cell's next
meeting (which puts it in that meeting's snapshot) and closed or reopened,
as far as today allows, so every state of feedback/workflow.py occurs.
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext, override

from feedback.models import FeedbackEvent, FeedbackItem, ReadBack
from feedback.models import FeedbackState as S
from meetings import calendar, rules
from meetings.models import (
    Attendance,
    CadreVisit,
    Meeting,
    Minutes,
    ResolutionTask,
    Speech,
    TaskStatus,
)
from meetings.models import AttendanceStatus as A
from meetings.selectors.attendance import AttendanceRow, AttendanceSheet, CadreRow
from members.models import PositionKind

from . import snapshots, texts
from .province import Node, Person, Province, holder
from .snapshots import Text

DAY = datetime.timedelta(days=1)
AWAITING = (S.FORWARDED, S.IN_PROGRESS, S.REOPENED)


@dataclass(eq=False, slots=True)
class MeetingRow:
    pk: int
    cell: Node
    kind: str
    period: datetime.date
    topic: str
    has_thematic_part: bool
    scheduled_at: datetime.datetime
    place: str = ""
    state: str = "planned"
    state_reason: str = ""


@dataclass(eq=False, slots=True)
class MinutesRow:
    """Final or draft minutes, with the attributes the snapshot's pieces read."""

    pk: int
    meeting: MeetingRow
    chair: Person | None
    minute_taker: Person | None
    state: str = "final"
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    party_fee_status: str = ""
    programme: str = ""
    news: str = ""
    assessment: str = ""
    criticism: str = ""
    summary: str = ""
    resolution: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    read_back_adopted: bool = False
    number: int | None = None
    term: str = ""
    finalized_at: datetime.datetime | None = None
    finalized_by: int | None = None
    amends_id: None = None

    @property
    def chair_id(self):
        return self.chair.pk if self.chair else None

    @property
    def minute_taker_id(self):
        return self.minute_taker.pk if self.minute_taker else None


@dataclass(eq=False, slots=True)
class Mark:
    status: str
    reason: str = ""


@dataclass(eq=False, slots=True)
class Visit:
    pk: int
    cadre: Person
    attended: bool

    @property
    def cadre_id(self) -> int:
        return self.cadre.pk


@dataclass(eq=False, slots=True)
class Item:
    """A feedback item while the cell's months are played."""

    pk: int
    cell: Node
    meeting: MeetingRow
    category: object
    text: str
    raised_at: datetime.datetime
    recorded_by: int
    raiser_member: Person | None = None
    raiser_name: str = ""
    visit: Visit | None = None
    state: str = S.NEW
    state_changed_at: datetime.datetime | None = None
    routed_organization: Node | None = None
    routed_body: int | None = None
    answer_organization: Node | None = None
    forwarded_at: datetime.datetime | None = None
    due_on: datetime.date | None = None
    escalated_at: datetime.datetime | None = None
    answer: str = ""
    answered_by: int | None = None
    answered_at: datetime.datetime | None = None
    # the next move the cell or the answering body makes, and when
    plan: list = field(default_factory=list)


class History:
    def __init__(
        self, *, writer, province: Province, accounts, seed, now, months, holidays, categories
    ):
        self.w, self.province, self.accounts, self.seed = writer, province, accounts, seed
        self.now = now
        self.today = timezone.localdate(now)
        current = calendar.first_of_month(self.today)
        self.current = current
        self.periods = [calendar.add_months(current, -n) for n in range(months, 0, -1)]
        self.holidays = holidays
        self.categories = categories
        self.counts = {"feedback states": {}}
        w = writer
        self.meetings = w.sink(
            Meeting,
            ["id", "cell_id", "kind", "period", "topic", "has_thematic_part", "scheduled_at",
             "place", "state", "state_reason", "created_by_id", "created_at"],
        )  # fmt: skip
        self.visits = w.sink(
            CadreVisit,
            ["id", "meeting_id", "cadre_id", "attended", "reported", "heard", "updated_at",
             "updated_by_id"],
        )  # fmt: skip
        self.attendance = w.sink(
            Attendance, ["id", "meeting_id", "member_id", "status", "reason", "is_temporary"]
        )
        minutes_fields = [f.attname for f in Minutes._meta.concrete_fields]
        self.minutes = w.sink(Minutes, minutes_fields)
        historical = Minutes.history.model
        self.minutes_history = w.sink(
            historical, [f.attname for f in historical._meta.concrete_fields]
        )
        self.speeches = w.sink(
            Speech, ["id", "minutes_id", "member_id", "speaker_name", "text", "order", "key"]
        )
        self.tasks = w.sink(
            ResolutionTask,
            ["id", "minutes_id", "cell_id", "title", "key", "assignee_id", "assignee_text",
             "due_on", "status", "result_note", "assessed_in_id"],
        )  # fmt: skip
        self.items = w.sink(FeedbackItem, [f.attname for f in FeedbackItem._meta.concrete_fields])
        self.events = w.sink(
            FeedbackEvent,
            ["id", "item_id", "action", "from_state", "to_state", "by_id", "at", "note"],
        )
        self.read_backs = w.sink(
            ReadBack,
            ["id", "item_id", "meeting_id", "answer", "is_satisfied", "note", "by_id", "at"],
        )

    # The months of one cell ----------------------------------------------------------

    def play(self, cell: Node) -> None:
        rng = random.Random(f"{self.seed}-{cell.code}")
        self.cell_rng = rng
        open_tasks: list[tuple[Text, int]] = []  # (task, minutes pk) still open
        items: list[Item] = []
        numbers: dict[str, int] = {}
        last = self.periods[-1] if self.periods else None
        for period in self.periods:
            meeting = self._meeting(cell, period)
            fate = rng.random()
            if period != last and fate < 0.005:
                meeting.state, meeting.state_reason = "cancelled", texts.CANCELLED
                self._write_meeting(meeting)
                continue
            if period == last and fate < 0.03:  # not held yet, or its minutes not begun
                self._write_meeting(meeting)
                continue
            final = not (period == last and fate < 0.10)
            meeting.state = "held" if final else "planned"
            self._write_meeting(meeting)
            start = meeting.scheduled_at + datetime.timedelta(minutes=rng.choice([0, 0, 5, 10]))
            self._advance(items, start)
            sheet, visits = self._attendance(meeting, start)
            minutes = self._minutes(meeting, sheet, start, final)
            answers = self._read_back(items, meeting, minutes)
            speeches, tasks, assessed = [], [], []
            if final:
                term = rules.term_of(timezone.localdate(meeting.scheduled_at))
                numbers[term] = numbers.get(term, 0) + 1
                minutes.number, minutes.term = numbers[term], term
                speeches = self._speeches(minutes, sheet)
                assessed = self._assess(open_tasks, minutes)
                tasks = self._tasks(minutes, cell, period)
                snapshot = snapshots.build(
                    minutes,
                    sheet,
                    speeches=speeches,
                    tasks=tasks,
                    assessed=assessed,
                    answers=answers,
                )
                open_tasks += [(t, minutes.pk) for t in tasks]
            else:
                snapshot = None
            self._write_minutes(minutes, snapshot)
            items += self._raise(meeting, minutes, sheet, visits)
        self._current_month(cell)
        self._advance(items, self.now)
        for item in items:
            self._write_item(item)
        for task, minutes_pk in open_tasks:
            self._task_row(task, minutes_pk, cell, None)

    # Meetings -------------------------------------------------------------------------

    def _meeting(self, cell: Node, period: datetime.date, *, kind="regular") -> MeetingRow:
        day = calendar.meeting_day(
            period,
            day=cell.meeting_day,
            week=cell.meeting_week,
            weekday=cell.meeting_weekday,
            holidays=self.holidays,
        )
        at = timezone.make_aware(datetime.datetime.combine(day, cell.meeting_time))
        thematic = period.month % 3 == 0  # a thematic part every quarter
        topic = (
            texts.TOPICS[(period.month // 3 + period.year) % len(texts.TOPICS)] if thematic else ""
        )
        return MeetingRow(self.w.next_id(Meeting), cell, kind, period, topic, thematic, at)

    def _write_meeting(self, m: MeetingRow) -> None:
        created = m.scheduled_at - datetime.timedelta(days=20)
        self.meetings.add(
            m.pk, m.cell.pk, m.kind, m.period, m.topic, m.has_thematic_part, m.scheduled_at,
            m.place, m.state, m.state_reason, m.cell.user_id, created,
        )  # fmt: skip

    def _attendance(self, meeting: MeetingRow, start) -> tuple[AttendanceSheet, list[Visit]]:
        rng = self.cell_rng
        on = timezone.localdate(meeting.scheduled_at)
        sheet = AttendanceSheet(meeting=meeting, on=on)
        for person in meeting.cell.members:
            if not rules.is_on_roll_on(person, on):
                continue
            exempt = rules.is_exempt_on(person, on)
            mark = Mark(self._status(rng, person, exempt))
            if mark.status == A.ABSENT_EXCUSED:
                away = person.is_away_for_work
                mark.reason = "Đi làm ăn xa" if away else rng.choice(texts.ABSENT_REASONS)
            elif mark.status == A.LATE:
                mark.reason = "Đến muộn 15 phút"
            official = rules.is_official_on(person, on)
            sheet.members.append(AttendanceRow(person, mark, official, exempt))
        # The resolution needs more than half of the official members: a cell
        # that would miss it calls its absent members in (the seed's minutes
        # are all adoptable, as the product's finalize requires).
        figures = sheet.figures
        missing = rules.majority_needed(figures.voting_base) - figures.voters_present
        for row in sheet.members:
            if missing <= 0:
                break
            if row.is_official and not row.is_exempt and not rules.is_attending(row.status):
                row.attendance.status, row.attendance.reason = A.PRESENT, ""
                missing -= 1
        for row in sheet.members:
            mark = row.attendance
            self.attendance.add(
                self.w.next_id(Attendance),
                meeting.pk,
                row.member.pk,
                mark.status,
                mark.reason,
                False,
            )
        visits = []
        for office in meeting.cell.assignments:
            if not office.is_current(on):
                continue
            cadre, visit = office.holder, None
            chance = 0.06 if cadre.pk % 5 == 0 else 0.3  # some cadres fall short of the quota
            if rng.random() < chance:
                visit = Visit(self.w.next_id(CadreVisit), cadre, rng.random() > 0.04)
                reported = texts.REPORTED.format(month=calendar_month(meeting.period))
                self.visits.add(
                    visit.pk, meeting.pk, cadre.pk, visit.attended,
                    reported if visit.attended else "", texts.HEARD if visit.attended else "",
                    start + DAY, cadre.user_id or meeting.cell.user_id,
                )  # fmt: skip
                visits.append(visit)
            sheet.cadres.append(CadreRow(cadre=cadre, visit=visit))
        return sheet, visits

    @staticmethod
    def _status(rng: random.Random, person: Person, exempt: bool) -> str:
        roll = rng.random()
        if exempt:
            return A.PRESENT if roll < 0.15 else A.EXEMPT
        if person.is_away_for_work:
            return A.ABSENT_EXCUSED if roll < 0.7 else A.PRESENT
        if roll < 0.86:
            return A.PRESENT
        if roll < 0.90:
            return A.LATE
        return A.ABSENT_EXCUSED if roll < 0.98 else A.ABSENT_UNEXCUSED

    # Minutes --------------------------------------------------------------------------

    def _minutes(self, meeting: MeetingRow, sheet, start, final: bool) -> MinutesRow:
        rng, cell = self.cell_rng, meeting.cell
        figures = sheet.figures
        secretary = holder(cell, PositionKind.SECRETARY)
        taker = holder(cell, PositionKind.DEPUTY) or holder(cell, PositionKind.COMMITTEE)
        if taker is None:
            taker = next((r.member for r in sheet.members if r.member is not secretary), secretary)
        minimum = rules.minimum_minutes(has_thematic_part=meeting.has_thematic_part)
        length = (
            rng.randint(minimum - 15, minimum - 1)
            if rng.random() < 0.03
            else rng.randint(minimum, minimum + 40)
        )
        month = calendar_month(meeting.period)
        village = cell.name.removeprefix("Chi bộ ")
        voters, present = figures.voting_base, figures.voters_present
        votes_for = max(present - rng.choice([0, 0, 0, 1]), voters // 2 + 1)
        votes_for = min(votes_for, present)
        ended = start + datetime.timedelta(minutes=length)
        minutes = MinutesRow(
            pk=self.w.next_id(Minutes),
            meeting=meeting,
            chair=secretary,
            minute_taker=taker,
            state="final" if final else "draft",
            started_at=start,
            ended_at=ended,
            party_fee_status=texts.FEES.format(
                month=month, paid=figures.attending, total=figures.total
            ),
            programme=texts.PROGRAMME,
            news=texts.NEWS.format(month=month),
            assessment=texts.ASSESSMENT.format(village=village),
            criticism=texts.CRITICISM,
            summary=texts.SUMMARY,
            resolution=texts.RESOLUTION.format(month=month, village=village),
            votes_for=votes_for,
            votes_against=0,
            votes_abstain=present - votes_for,
            read_back_adopted=final or rng.random() < 0.5,
        )
        if final:
            finalized = min(ended + datetime.timedelta(hours=rng.randint(1, 60)), self.now)
            minutes.finalized_at, minutes.finalized_by = finalized, cell.user_id
        return minutes

    def _write_minutes(self, m: MinutesRow, snapshot: dict | None) -> None:
        updated = m.finalized_at or m.ended_at or (m.meeting.scheduled_at - 2 * DAY)
        updated = min(updated, self.now)
        version = 2 if m.state == "final" else 1
        row = {
            "id": m.pk, "meeting_id": m.meeting.pk, "amends_id": None, "state": m.state,
            "version": version, "chair_id": m.chair_id, "minute_taker_id": m.minute_taker_id,
            "started_at": m.started_at, "ended_at": m.ended_at,
            "party_fee_status": m.party_fee_status, "programme": m.programme, "news": m.news,
            "assessment": m.assessment, "criticism": m.criticism, "summary": m.summary,
            "resolution": m.resolution, "votes_for": m.votes_for,
            "votes_against": m.votes_against, "votes_abstain": m.votes_abstain,
            "read_back_adopted": m.read_back_adopted, "number": m.number, "term": m.term,
            "finalized_at": m.finalized_at, "finalized_by_id": m.finalized_by,
            "snapshot": snapshot, "pdf": "", "pdf_sha256": "", "updated_at": updated,
            "updated_by_id": m.meeting.cell.user_id,
            # The autosave's bookkeeping: no editor has opened these yet.
            "posted_digests": {}, "shown_version": 0,
        }  # fmt: skip
        self.minutes.add(*(row[c] for c in self.minutes.columns))
        # One history row, as the minutes stand: the history page and the
        # autosave's merge read it (speeches' and tasks' history is not kept).
        history = {
            **row,
            "history_id": self.w.next_id(Minutes.history.model),
            "history_date": updated,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": m.meeting.cell.user_id,
        }
        self.minutes_history.add(*(history[c] for c in self.minutes_history.columns))

    def _speeches(self, minutes: MinutesRow, sheet) -> list[Text]:
        rng = self.cell_rng
        present = [r.member for r in sheet.members if rules.is_attending(r.status)]
        rows = []
        for order in range(rng.randint(1, 2) if present else 0):
            member = rng.choice(present)
            text = rng.choice(texts.SPEECHES)
            pk = self.w.next_id(Speech)
            self.speeches.add(pk, minutes.pk, member.pk, "", text, order, self._key(rng))
            rows.append(Text(pk=pk, speaker=member.full_name, is_member_speaking=True, text=text))
        return rows

    def _tasks(self, minutes: MinutesRow, cell: Node, period) -> list[Text]:
        rng = self.cell_rng
        due = calendar.last_of_month(calendar.add_months(period, 1))
        candidates = [p for p in cell.members if rules.is_on_roll_on(p, due) and not p.is_exempt]
        rows = []
        for _ in range(rng.randint(1, 3)):
            assignee = rng.choice(candidates) if candidates and rng.random() < 0.7 else None
            title = rng.choice(texts.TASKS)
            pk = self.w.next_id(ResolutionTask)
            task = Text(
                pk=pk,
                title=title,
                assignee_name=assignee.full_name if assignee else "Toàn thể đảng viên",
                due_on=due,
                status=TaskStatus.OPEN,
                assignee_id=assignee.pk if assignee else None,
            )
            rows.append(task)
        return rows

    def _assess(self, open_tasks: list, minutes: MinutesRow) -> list[Text]:
        """The cell assesses last month's open tasks; a few stay open."""
        rng, assessed, still_open = self.cell_rng, [], []
        for task, minutes_pk in open_tasks:
            roll = rng.random()
            if roll < 0.07:
                still_open.append((task, minutes_pk))
                continue
            task.status = (
                TaskStatus.DONE
                if roll < 0.85
                else TaskStatus.LATE
                if roll < 0.96
                else TaskStatus.DROPPED
            )
            task.result_note = rng.choice(texts.RESULT_NOTES)
            assessed.append(task)
            self._task_row(task, minutes_pk, minutes.meeting.cell, minutes.pk)
        open_tasks[:] = still_open
        return assessed

    def _task_row(self, task: Text, minutes_pk: int, cell: Node, assessed_in: int | None) -> None:
        """Written once its fate is known (open tasks wait for the next meeting)."""
        assignee = task.assignee_id
        self.tasks.add(
            task.pk, minutes_pk, cell.pk, task.title, self._key(self.cell_rng), assignee,
            "" if assignee else task.assignee_name, task.due_on, task.status,
            task.result_note if assessed_in else "", assessed_in,
        )  # fmt: skip

    @staticmethod
    def _key(rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def _current_month(self, cell: Node) -> None:
        """This month's meeting is planned; some secretaries have begun the minutes."""
        meeting = self._meeting(cell, self.current)
        self._write_meeting(meeting)
        if cell is self.accounts.cell or self.cell_rng.random() < 0.3:
            secretary = holder(cell, PositionKind.SECRETARY)
            draft = MinutesRow(
                pk=self.w.next_id(Minutes),
                meeting=meeting,
                chair=secretary,
                minute_taker=holder(cell, PositionKind.DEPUTY) or secretary,
                state="draft",
                programme=texts.PROGRAMME,
                news=texts.NEWS.format(month=calendar_month(meeting.period)),
            )
            self._write_minutes(draft, None)

    # Feedback -------------------------------------------------------------------------

    def _raise(self, meeting: MeetingRow, minutes: MinutesRow, sheet, visits) -> list[Item]:
        rng, cell = self.cell_rng, meeting.cell
        count = 1 if rng.random() < 0.14 else 0
        count += 1 if rng.random() < 0.02 else 0
        present = [r.member for r in sheet.members if rules.is_attending(r.status)]
        village = cell.name.removeprefix("Chi bộ ")
        items = []
        for _ in range(count):
            category = rng.choice(self.categories)
            raised = minutes.ended_at - datetime.timedelta(minutes=20)
            item = Item(
                pk=self.w.next_id(FeedbackItem),
                cell=cell,
                meeting=meeting,
                category=category,
                text=texts.FEEDBACK.get(category.code, texts.FEEDBACK["khac"]).format(
                    village=village
                ),
                raised_at=raised,
                recorded_by=cell.user_id,
                state_changed_at=raised,
            )
            if present and rng.random() < 0.7:
                item.raiser_member = rng.choice(present)
            else:
                item.raiser_name = texts.CITIZENS.format(village=village)
            attended = [v for v in visits if v.attended]
            if attended and rng.random() < 0.4:
                item.visit = attended[0]
            self._event(item, "record", "", S.NEW, cell.user_id, raised)
            slow = rng.random() < 0.1  # some wait long before the cell forwards them
            item.plan = [
                ("forward", raised + DAY * (rng.randint(15, 60) if slow else rng.randint(1, 3)))
            ]
            items.append(item)
        return items

    def _event(self, item: Item, action: str, source: str, target: str, by, at, note="") -> None:
        self.events.add(
            self.w.next_id(FeedbackEvent), item.pk, action, source, target, by, at, note
        )

    def _advance(self, items: list[Item], until: datetime.datetime) -> None:
        """Make every planned move due before `until` (reading back waits for a meeting)."""
        for item in items:
            while item.plan and item.plan[0][0] != "readback" and item.plan[0][1] <= until:
                action, at = item.plan.pop(0)
                self._overdue(item, at)
                getattr(self, f"_{action}")(item, at)
            if item.state in AWAITING:
                self._overdue(item, until)

    def _overdue(self, item: Item, before: datetime.datetime) -> None:
        """What mark_overdue does each morning: once per due date."""
        if item.state not in AWAITING or item.escalated_at or item.due_on is None:
            return
        at = timezone.make_aware(datetime.datetime.combine(item.due_on + DAY, datetime.time(7)))
        if at > before:
            return
        item.escalated_at = at
        with override("vi"):
            note = gettext("Not answered by %(due)s: shown to the committee above.") % {
                "due": f"{item.due_on:%d/%m/%Y}"
            }
        self._event(item, "overdue", item.state, item.state, None, at, note)

    def _move(self, item: Item, action: str, target: str, by, at, note="") -> None:
        self._event(item, action, item.state, target, by, at, note)
        item.state, item.state_changed_at = target, at

    def _forward(self, item: Item, at) -> None:
        rng = self.cell_rng
        commune = next(n for n in item.cell.lineage() if n.kind == "commune")
        item.routed_organization = item.routed_body = None
        roll = rng.random()
        if roll < 0.1:
            item.routed_organization = self.province.root
        elif roll < 0.5:
            item.routed_body = self.accounts.bodies[commune.pk]
        else:
            item.routed_organization = commune
        item.answer_organization = item.routed_organization or commune
        item.due_on = timezone.localdate(at) + datetime.timedelta(days=item.category.default_days)
        item.forwarded_at, item.escalated_at = at, None
        target = self._answering(item)
        with override("vi"):
            note = gettext("To %(target)s, due %(due)s.") % {
                "target": target,
                "due": f"{item.due_on:%d/%m/%Y}",
            }
        self._move(item, "forward", S.FORWARDED, item.recorded_by, at, note)
        if rng.random() < 0.06:
            item.plan = [("return", at + DAY * rng.randint(2, 5))]
        else:
            # Most bodies take an item up within days; some let it wait for weeks.
            item.plan = [("start", at + DAY * rng.choice([1, 2, 3, 5, 12, 30]))]

    def _answering(self, item: Item) -> str:
        """str(item.answering_party): the body's name or the organization's."""
        if item.routed_organization:
            return item.routed_organization.name
        return self.accounts.body_names[item.routed_body]

    def _return(self, item: Item, at) -> None:
        self._move(item, "return", S.RETURNED, self.accounts.answerer, at, texts.RETURN_NOTE)
        item.plan = []  # most cells clarify and forward again; some never do
        if self.cell_rng.random() < 0.7:
            item.plan = [("forward", at + DAY * self.cell_rng.randint(3, 7))]

    def _start(self, item: Item, at) -> None:
        self._move(item, "start", S.IN_PROGRESS, self.accounts.answerer, at)
        days = self.cell_rng.randint(3, item.category.default_days + 15)
        item.plan = [("answer", at + DAY * days)]

    def _answer(self, item: Item, at) -> None:
        answer = texts.ANSWER.format(result=self.cell_rng.choice(texts.RESULTS))
        self._move(item, "answer", S.ANSWERED, self.accounts.answerer, at, answer)
        item.answer, item.answered_by, item.answered_at = answer, self.accounts.answerer, at
        item.plan = [("readback", at)]

    def _read_back(self, items: list[Item], meeting: MeetingRow, minutes: MinutesRow) -> list[dict]:
        """Answers given before the meeting are read to the cell at it."""
        rng, answers = self.cell_rng, []
        at = minutes.started_at + datetime.timedelta(minutes=30)
        for item in items:
            if item.state != S.ANSWERED or item.answered_at >= minutes.started_at:
                continue
            satisfied = rng.random() < 0.8
            note = "" if satisfied else texts.UNSATISFIED
            pk = self.w.next_id(ReadBack)
            action = "close" if satisfied else "reopen"
            target = S.CLOSED if satisfied else S.REOPENED
            self._move(item, action, target, meeting.cell.user_id, at, note)
            self.read_backs.add(
                pk, item.pk, meeting.pk, item.answer, satisfied, note, meeting.cell.user_id, at
            )
            body = self._answering(item)
            answers.append(
                {
                    "item": item.pk, "text": item.text, "category": item.category.name,
                    "body": body, "answer": item.answer, "satisfied": satisfied, "note": note,
                    "question": item.text, "answered_by": body,
                }
            )  # fmt: skip
            item.plan = []
            if not satisfied:
                item.due_on = timezone.localdate(at) + datetime.timedelta(
                    days=item.category.default_days
                )
                item.escalated_at = None
                # The body takes a reopened item up again within days, or weeks.
                item.plan = [("start", at + DAY * rng.choice([3, 10, 30, 60]))]
            at += datetime.timedelta(minutes=1)
        return answers

    def _write_item(self, item: Item) -> None:
        from chibo.text import fold

        row = {
            "id": item.pk, "cell_id": item.cell.pk, "meeting_id": item.meeting.pk,
            "visit_id": item.visit.pk if item.visit else None,
            "raiser_kind": "member" if item.raiser_member else "citizens",
            "raiser_member_id": item.raiser_member.pk if item.raiser_member else None,
            "raiser_name": item.raiser_name, "category_id": item.category.pk, "text": item.text,
            "raised_on": timezone.localdate(item.meeting.scheduled_at),
            "recorded_by_id": item.recorded_by, "created_at": item.raised_at,
            "state": item.state, "state_changed_at": item.state_changed_at,
            "routed_organization_id": _pk(item.routed_organization),
            "routed_body_id": item.routed_body,
            "answer_organization_id": _pk(item.answer_organization),
            "forwarded_at": item.forwarded_at, "due_on": item.due_on, "due_is_manual": False,
            "escalated_at": item.escalated_at, "answer": item.answer,
            "answered_by_id": item.answered_by, "answered_at": item.answered_at,
            "main_item_id": None, "search_text": fold(f"{item.text} {item.raiser_name}"),
        }  # fmt: skip
        self.items.add(*(row[c] for c in self.items.columns))
        states = self.counts["feedback states"]
        states[item.state] = states.get(item.state, 0) + 1


def _pk(node: Node | None) -> int | None:
    return node.pk if node else None


def calendar_month(period: datetime.date) -> str:
    return f"tháng {period:%m} năm {period:%Y}"
