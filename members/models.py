"""Party members, their positions, committee seats and movements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.dated import Dated
from chibo.folding import FoldedCharField, FoldedSearch
from chibo.models import Organization, OrganizationKind, RecordedEvent


class MemberStatus(models.TextChoices):
    OFFICIAL = "official", _("official")
    PROBATIONARY = "probationary", _("probationary")


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class MemberQuerySet(FoldedSearch, models.QuerySet):
    def on_roll(self):
        """Members still in the party organization (not left or deceased)."""
        return self.filter(left_on__isnull=True)

    def expected_at_meetings(self):
        """On the roll and not exempted: those a meeting expects."""
        return self.on_roll().filter(is_exempt=False)


class Member(models.Model):
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = FoldedCharField(source=("full_name",), max_length=120, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Cards are issued when a member becomes official, so probationary ones have none.
    party_card_number = models.CharField(
        _("party card number"), max_length=20, unique=True, null=True, blank=True
    )
    joined_on = models.DateField(_("admitted on"))
    official_on = models.DateField(_("official on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.OFFICIAL
    )
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrganizationKind.CELL},
        verbose_name=_("home cell"),
    )
    is_exempt = models.BooleanField(_("exempted from meetings"), default=False)
    exempt_reason = models.CharField(_("exemption reason"), max_length=200, blank=True)
    exempt_since = models.DateField(_("exempted since"), null=True, blank=True)
    is_away_for_work = models.BooleanField(_("away for work"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    left_on = models.DateField(_("left the roll on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("user account"),
    )

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["search_name", "id"]
        indexes = [
            # The list's order with the cell (the scope's join): a page's ids
            # come from the index alone, so a search for the commonest family
            # name filters index entries, not 100,000 rows read from the table
            # (chibo.pagination.BoundedPaginator's ids_first). INCLUDE is
            # PostgreSQL's; elsewhere it is a plain index.
            models.Index(
                fields=["search_name", "id"], include=["cell"], name="member_list_order_idx"
            ),
        ]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        # No constraint asks for an official member's official date or an
        # exemption's reason: old records often lack them, and the rules can
        # live without (an official member with no date is official; see
        # meetings.rules.is_official_on). The import warns about them.

    def __str__(self):
        return self.full_name

    @property
    def is_official(self) -> bool:
        return self.status == MemberStatus.OFFICIAL


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY = "deputy", _("deputy secretary")
    COMMITTEE = "committee", _("cell committee member")


class Position(Dated):
    """A member's position in their cell, for a period (ends_on exclusive)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="positions", verbose_name=_("member")
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions", verbose_name=_("cell")
    )
    kind = models.CharField(_("position"), max_length=20, choices=PositionKind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "starts_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return f"{self.get_kind_display()} {self.cell}: {self.member}"


class SeatKind(models.TextChoices):
    STANDING = "standing", _("standing committee")
    EXECUTIVE = "executive", _("executive committee")


class CommitteeSeat(Dated):
    """A seat on an organization's standing or executive committee."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="seats", verbose_name=_("member")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="seats", verbose_name=_("organization")
    )
    kind = models.CharField(_("committee"), max_length=20, choices=SeatKind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "kind"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")

    def __str__(self):
        return f"{self.get_kind_display()} {self.organization}: {self.member}"


class TemporaryAttendance(Dated):
    """A member away for work attends a host cell; the home cell keeps them."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="temporary_stays", verbose_name=_("member")
    )
    host_cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="temporary_members",
        verbose_name=_("host cell"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("temporary attendance")
        verbose_name_plural = _("temporary attendances")

    def __str__(self):
        return f"{self.member} → {self.host_cell}"


class Transfer(RecordedEvent):
    """A member's move from one home cell to another (kept forever)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("member")
    )
    from_cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("from cell")
    )
    to_cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("to cell")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta(RecordedEvent.Meta):
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.member}: {self.from_cell} → {self.to_cell} ({self.date:%d/%m/%Y})"
