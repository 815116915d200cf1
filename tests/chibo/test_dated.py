import datetime

import pytest

from members.models import Position
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "current"),
    [
        (DAY, None, True),
        (DAY + datetime.timedelta(days=1), None, False),
        (DAY - datetime.timedelta(days=9), DAY, False),
        (DAY - datetime.timedelta(days=9), DAY + datetime.timedelta(days=1), True),
    ],
)
def test_is_current_agrees_with_the_current_queryset(starts_on, ends_on, current):
    member = MemberFactory()
    position = Position.objects.create(
        member=member, cell=member.cell, kind="secretary", starts_on=starts_on, ends_on=ends_on
    )

    assert position.is_current(DAY) is current
    assert list(Position.objects.current(DAY)) == ([position] if current else [])
