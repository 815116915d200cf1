"""factory_boy factories: plain, valid objects with no surprises."""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from chibo.models import Organization, OrganizationKind, Role
from chibo.tree import create_organization
from meetings.models import Assignment
from members.models import CommitteeSeat, Member, MemberStatus, Position

GIVEN = ["Nguyễn Văn", "Trần Thị", "Lê Đức", "Phạm Minh", "Hoàng Thị", "Đặng Quốc", "Lò Văn"]
NAMES = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Thọ", "Yến", "Đức"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("chibo-test")


class OrganizationFactory(factory.Factory):
    """Builds through chibo.tree.create_organization, as the product does."""

    class Meta:
        model = Organization

    parent = None
    kind = OrganizationKind.COMMUNE
    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Đảng bộ xã Số {n}")
    founded_on = datetime.date(2010, 1, 1)

    @classmethod
    def _create(cls, model_class, parent=None, **kwargs):
        return create_organization(parent=parent, **kwargs)

    @classmethod
    def _build(cls, model_class, parent=None, **kwargs):
        return model_class(**kwargs)


class CellFactory(OrganizationFactory):
    kind = OrganizationKind.CELL
    name = factory.Sequence(lambda n: f"Chi bộ bản Số {n}")
    parent = factory.SubFactory(OrganizationFactory)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"{GIVEN[n % len(GIVEN)]} {NAMES[n % len(NAMES)]} {n}")
    birth_date = datetime.date(1975, 5, 19)
    party_card_number = factory.Sequence(lambda n: f"{10000000 + n}")
    joined_on = datetime.date(2005, 3, 3)
    official_on = datetime.date(2006, 3, 3)
    status = MemberStatus.OFFICIAL
    cell = factory.SubFactory(CellFactory)

    class Params:
        probationary = factory.Trait(
            status=MemberStatus.PROBATIONARY,
            official_on=None,
            party_card_number=None,
            joined_on=datetime.date(2026, 2, 3),
        )
        exempt = factory.Trait(
            is_exempt=True,
            exempt_reason="Tuổi cao, sức yếu",
            exempt_since=datetime.date(2024, 1, 1),
        )


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = "staff"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    member = factory.SubFactory(MemberFactory)
    cell = factory.SelfAttribute("member.cell")
    kind = "secretary"
    starts_on = datetime.date(2025, 1, 1)


class CommitteeSeatFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeSeat

    member = factory.SubFactory(MemberFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = "standing"
    starts_on = datetime.date(2025, 1, 1)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    cadre = factory.SubFactory(MemberFactory)
    cell = factory.SubFactory(CellFactory)
    starts_on = datetime.date(2025, 1, 1)


# Meetings and minutes -------------------------------------------------------------------


class MeetingFactory(DjangoModelFactory):
    """A regular meeting of February 2026, held on the 5th at 19:30 (Vietnam time)."""

    class Meta:
        model = "meetings.Meeting"

    cell = factory.SubFactory(CellFactory)
    kind = "regular"
    period = datetime.date(2026, 2, 1)
    scheduled_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.period.replace(day=5),
            datetime.time(19, 30),
            tzinfo=datetime.timezone(datetime.timedelta(hours=7)),
        )
    )
    place = "Nhà văn hóa bản"
    state = "held"


class MinutesFactory(DjangoModelFactory):
    """Draft minutes of a meeting; chair and minute-taker from its cell."""

    class Meta:
        model = "meetings.Minutes"

    meeting = factory.SubFactory(MeetingFactory)
    chair = factory.SubFactory(MemberFactory, cell=factory.SelfAttribute("..meeting.cell"))
    minute_taker = factory.SubFactory(MemberFactory, cell=factory.SelfAttribute("..meeting.cell"))
    started_at = factory.SelfAttribute("meeting.scheduled_at")
    ended_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=105))


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory, cell=factory.SelfAttribute("..meeting.cell"))
    status = "present"


class SpeechFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.Speech"

    minutes = factory.SubFactory(MinutesFactory)
    member = factory.SubFactory(MemberFactory, cell=factory.SelfAttribute("..minutes.meeting.cell"))
    text = "Nhất trí với báo cáo của chi ủy."
    order = factory.Sequence(lambda n: n)


class ResolutionTaskFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.ResolutionTask"

    minutes = factory.SubFactory(MinutesFactory)
    cell = factory.SelfAttribute("minutes.meeting.cell")
    title = "Giúp đỡ hộ nghèo trong bản"
    assignee = factory.SubFactory(
        MemberFactory, cell=factory.SelfAttribute("..minutes.meeting.cell")
    )
    due_on = datetime.date(2026, 3, 3)


# Feedback --------------------------------------------------------------------------------


def feedback_category(code: str):
    """One of the eight categories the data migration seeds (seeded again here
    when a transactional test has flushed the tables)."""
    from importlib import import_module

    from feedback.models import Category

    seeded = import_module("feedback.migrations.0002_categories").CATEGORIES
    for order, (key, name, days) in enumerate(seeded, start=1):
        if key == code:
            return Category.objects.get_or_create(
                code=code, defaults={"name": name, "default_days": days, "order": order}
            )[0]
    raise LookupError(code)


class AnsweringBodyFactory(DjangoModelFactory):
    class Meta:
        model = "feedback.AnsweringBody"

    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã Số {n}")
    kind = "peoples_committee"
    organization = factory.SubFactory(OrganizationFactory)


class FeedbackItemFactory(DjangoModelFactory):
    """A new item raised by the village's citizens at a held meeting, category "Đất đai"."""

    class Meta:
        model = "feedback.FeedbackItem"

    meeting = factory.SubFactory(MeetingFactory)
    cell = factory.SelfAttribute("meeting.cell")
    raiser_kind = "citizens"
    raiser_name = "Bà con xóm 3"
    category = factory.LazyFunction(lambda: feedback_category("dat-dai"))
    text = factory.Sequence(
        lambda n: f"Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho hộ số {n}"
    )
    raised_on = factory.LazyAttribute(lambda o: o.meeting.scheduled_at.date())
