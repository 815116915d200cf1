"""Demo feedback: the stories of chibo/demo/stories/feedback.py, in every
state (some overdue, some linked under one item, some answered and read
back), replayed through the feedback services by the demo users who hold
the right, on the clock of each story.

The stories run beside the meetings: `prepare` puts a Replay on the demo,
the meetings step tells it the time before each meeting it plays and each
meeting while it is held (an answer is read back there, before its minutes
are final), and `build` plays what is left up to today. Regular meetings
the stories need that the meetings step does not make (older months in
Hương Khê town, next month) are made here, one per cell and month. A user
answers for each people's committee ("ubnd-co-noi" for Cò Nòi). Items are
keyed by cell and text: a second run records nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from chibo import access
from feedback import services
from feedback.models import (
    AnsweringBody,
    Category,
    FeedbackItem,
    FeedbackState,
    RaiserKind,
    ReadBack,
)
from feedback.workflow import ANSWER, FORWARD, READBACK
from meetings import calendar
from meetings.models import Meeting, MeetingKind, MeetingState
from meetings.selectors.schedule import local_midnight

from .base import PASSWORD, Demo
from .stories.feedback import ANSWERER_NAME, BODIES, STORIES, Story

__all__ = ["BODIES", "STORIES", "build", "prepare", "summary"]

# Who may make each kind of move, most local first: the first one access
# allows makes it (the administrator covers the cells no demo user serves).
ACTORS = {
    "record": ("secretary", "admin"),
    FORWARD: ("cadre", "staff", "admin"),
    ANSWER: ("ubnd-co-noi", "answerer", "admin"),
    READBACK: ("secretary", "admin"),
}
MEETING_MONTHS = range(-7, 2)  # the months whose regular meetings the stories use


def prepare(demo: Demo) -> None:
    """Before the meetings: the bodies, and the stories not yet recorded."""
    demo.companions.append(Replay(demo, _bodies(demo)))


def build(demo: Demo) -> None:
    """After the meetings: the rest of the stories, then the late answers marked."""
    now = _local(demo.today, datetime.time(6, 0))
    for replay in [c for c in demo.companions if isinstance(c, Replay)]:
        replay.until(now)
        demo.companions.remove(replay)
    demo.created["overdue feedback marked"] += services.mark_overdue(now=now)


@dataclass
class Run:
    """One story being replayed: its item (once recorded) and the next step."""

    story: Story
    item: FeedbackItem | None = None
    step: int = -1  # -1: not recorded yet
    answered_on: datetime.date | None = None

    def next_step(self):
        return self.story.steps[self.step] if 0 <= self.step < len(self.story.steps) else None


class Replay:
    """Plays each story's moves at their time, through the services."""

    def __init__(self, demo: Demo, bodies: dict[str, AnsweringBody]):
        self.demo, self.bodies = demo, bodies
        self.users = {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in={name for names in ACTORS.values() for name in names}
            )
        }
        self.categories = {c.code: c for c in Category.objects.all()}
        self.items: dict[str, FeedbackItem] = {}
        self.runs: list[Run] = []
        for story in STORIES:
            item = FeedbackItem.objects.filter(cell__code=story.cell, text=story.text).first()
            if item is None:
                self.runs.append(Run(story))
            else:
                self.items[story.key] = item
        self.own_meetings: list[Meeting] | None = None  # made on the first call

    # The clock, driven by the meetings step ----------------------------------------

    def until(self, at: datetime.datetime) -> None:
        """Make every move due before `at`, in date order across the stories."""
        if not self.runs:
            return
        if self.own_meetings is None:
            self.own_meetings = self._meetings()
        while True:
            due = [(self._when(run), 1, i) for i, run in enumerate(self.runs)]
            due += [(m.scheduled_at, 0, i) for i, m in enumerate(self.own_meetings)]
            due = [d for d in due if d[0] is not None and d[0] < at]
            if not due:
                return
            _when, kind, index = min(due)
            if kind == 0:
                self.during(self.own_meetings.pop(index))
            else:
                self._advance(self.runs[index])

    def during(self, meeting: Meeting) -> None:
        """Read answers back at `meeting` of their cell, held after the answer."""
        now = meeting.scheduled_at + datetime.timedelta(hours=1)
        for run in self.runs:
            step = run.next_step()
            if (
                step is None
                or step[0] != "read_back"
                or run.item.cell_id != meeting.cell_id
                or run.answered_on is None
                or timezone.localdate(meeting.scheduled_at) <= run.answered_on
            ):
                continue
            services.read_back_item(
                item=run.item,
                meeting=meeting,
                by=self._actor(READBACK, run.item),
                is_satisfied=step[1],
                note=step[2],
                now=now,
            )
            run.item.refresh_from_db()
            run.step += 1

    # One story ---------------------------------------------------------------------

    def _when(self, run: Run) -> datetime.datetime | None:
        if run.step == -1:
            # At the end of the day it was raised: that day's meeting is over.
            raised = self.demo.today - datetime.timedelta(days=run.story.raised)
            return _local(raised, datetime.time(23, 59))
        step = run.next_step()
        if step is None or step[0] == "read_back":
            return None  # done, or waiting for a meeting
        return self._at(step[1])

    def _advance(self, run: Run) -> None:
        if run.step == -1:
            run.item = self._record(run.story)
            self.items[run.story.key] = run.item
            self.demo.created["feedback items"] += 1
            run.step = 0
            return
        item, (kind, days, *rest) = run.item, run.next_step()
        now = self._at(days)
        if kind == "forward":
            prefix, key = rest[0].split(":")
            target = (
                {"body": self.bodies[key]}
                if prefix == "body"
                else {"organization": self.demo.org(key)}
            )
            services.forward_item(item=item, by=self._actor(FORWARD, item), now=now, **target)
        elif kind == "link":
            main = self.items[rest[0]]
            services.link_item(item=item, main=main, by=self._actor(FORWARD, item, main), now=now)
        elif kind == "start":
            services.start_item(item=item, by=self._actor(ANSWER, item), now=now)
        elif kind == "return":
            services.return_item(item=item, by=self._actor(ANSWER, item), note=rest[0], now=now)
        elif kind == "answer":
            services.answer_item(item=item, by=self._actor(ANSWER, item), answer=rest[0], now=now)
            run.answered_on = timezone.localdate(now)
        run.item = FeedbackItem.objects.get(pk=item.pk)
        self.items[run.story.key] = run.item
        run.step += 1

    def _record(self, story: Story) -> FeedbackItem:
        """At the cell's last meeting held on or before the day it was raised."""
        cell = self.demo.org(story.cell)
        raised = self.demo.today - datetime.timedelta(days=story.raised)
        meeting = (
            Meeting.objects.filter(
                cell=cell,
                kind=MeetingKind.REGULAR,
                state=MeetingState.HELD,
                scheduled_at__lt=local_midnight(raised + datetime.timedelta(days=1)),
            )
            .order_by("-scheduled_at")
            .first()
        )
        member = None if story.raiser else cell.members.on_roll().order_by("id").first()
        return services.record_item(
            meeting=meeting,
            by=self._actor("record", meeting),
            category=self.categories[story.category],
            text=story.text,
            raiser_kind=RaiserKind.MEMBER if member else RaiserKind.CITIZENS,
            raiser_member=member,
            raiser_name=story.raiser or ("" if member else "Bà con trong thôn"),
            now=meeting.scheduled_at + datetime.timedelta(hours=2),
        )

    def _actor(self, action: str, *objects):
        permission = access.EDIT if action == "record" else action
        for username in ACTORS[action]:
            user = self.users.get(username)
            if user and all(access.can(user, permission, obj) for obj in objects):
                return user
        raise access.PermissionDenied(f"No demo user may {action} {objects}.")

    def _at(self, days_ago: int) -> datetime.datetime:
        return _local(self.demo.today - datetime.timedelta(days=days_ago), datetime.time(9, 0))

    def _meetings(self) -> list[Meeting]:
        """The regular meetings the stories need and nobody has made: held
        when past (nothing recorded at them but the feedback), else planned.
        Returns the past ones, which the replay holds itself."""
        first = calendar.first_of_month(self.demo.today)
        held = []
        for code in sorted({run.story.cell for run in self.runs}):
            cell = self.demo.org(code)
            for months in MEETING_MONTHS:
                period = calendar.add_months(first, months)
                day = period.replace(day=min(cell.meeting_day, 28))
                past = day < self.demo.today
                meeting, created = Meeting.objects.get_or_create(
                    cell=cell,
                    kind=MeetingKind.REGULAR,
                    period=period,
                    defaults={
                        "scheduled_at": _local(day, cell.meeting_time),
                        "place": cell.meeting_place,
                        "state": MeetingState.HELD if past else MeetingState.PLANNED,
                    },
                )
                self.demo.created["meetings"] += created
                if created and past:
                    held.append(meeting)
        return held


def _bodies(demo: Demo) -> dict[str, AnsweringBody]:
    found = {}
    for key, (name, kind, code, username) in BODIES.items():
        body, created = AnsweringBody.objects.get_or_create(
            name=name, defaults={"kind": kind, "organization": demo.org(code)}
        )
        demo.created["answering bodies"] += created
        if username:
            user, new_user = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": ANSWERER_NAME[0], "last_name": ANSWERER_NAME[1]},
            )
            if new_user:
                user.set_password(PASSWORD)
                user.save()
                demo.created["answering body users"] += 1
            body.answerers.add(user)
        found[key] = body
    return found


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def summary() -> dict[str, int]:
    """Demo feedback now in the database (for seed_demo's output; no key says
    "new", which the command keeps for what a run created)."""
    items = FeedbackItem.objects.filter(text__in=[s.text for s in STORIES])
    counts = dict(
        items.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    labels = {
        FeedbackState.NEW: "not yet forwarded",
        FeedbackState.FORWARDED: "forwarded",
        FeedbackState.IN_PROGRESS: "in progress",
        FeedbackState.RETURNED: "returned for clarification",
        FeedbackState.ANSWERED: "answered, to read back",
        FeedbackState.CLOSED: "closed",
        FeedbackState.REOPENED: "reopened",
    }
    return {
        "answering bodies": AnsweringBody.objects.filter(
            name__in=[b[0] for b in BODIES.values()]
        ).count(),
        "feedback items": sum(counts.values()),
        **{f"feedback {label}": counts.get(state, 0) for state, label in labels.items()},
        "feedback overdue": items.overdue().count(),
        "feedback linked under another": items.filter(main_item__isnull=False).count(),
        "feedback answers read back": ReadBack.objects.filter(item__in=items).count(),
    }
