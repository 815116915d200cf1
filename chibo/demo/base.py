"""What the demo steps share while they run."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from chibo.models import Organization

PASSWORD = "chibo-demo"


@dataclass
class Demo:
    """Passed to every step: today's date, lookups by demo key, counts of new rows."""

    today: datetime.date
    created: Counter = field(default_factory=Counter)
    # What happens beside the meetings (feedback.Replay): the meetings step
    # tells them the time before each meeting it plays, and each meeting
    # while it is held.
    companions: list = field(default_factory=list)

    def until(self, at: datetime.datetime) -> None:
        for companion in self.companions:
            companion.until(at)

    def during(self, meeting) -> None:
        for companion in self.companions:
            companion.during(meeting)

    def org(self, code: str) -> Organization:
        # Always fresh: moves rewrite materialized paths under cached instances.
        return Organization.objects.get(code=code)

    @cached_property
    def roster(self):
        from .roster import build_roster

        return build_roster(today=self.today)

    def member(self, tag: str):
        """The Member behind a roster tag, e.g. "ms-btv-1" or "cb-ban-lech:secretary"."""
        from members.models import Member

        person = self.roster.tagged[tag]
        if person.card:
            return Member.objects.get(party_card_number=person.card)
        return Member.objects.get(full_name=person.full_name, birth_date=person.birth_date)
