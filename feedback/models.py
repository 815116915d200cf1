"""Feedback items raised at cell meetings, routed up, answered and read back.

Who answers (decided here, used by feedback/policies.py):
- an item routed to an organization X is answered by the users holding
  `Role(kind="answerer", organization=X)`;
- an item routed to an AnsweringBody B (a people's committee, a department)
  is answered by the users listed in `B.answerers`. B.organization places the
  body in the tree: it scopes the body and decides who sees it escalated.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.folding import FoldedCharField, FoldedSearch, FoldedTextField
from chibo.models import Organization, OrganizationKind
from meetings.models import CadreVisit, Meeting
from members.models import Member


class FeedbackState(models.TextChoices):
    NEW = "new", _("new")
    FORWARDED = "forwarded", _("forwarded")
    IN_PROGRESS = "in_progress", _("in progress")
    RETURNED = "returned", _("returned for clarification")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


# States in which the answering body owes an answer: the due date runs.
AWAITING_ANSWER = (FeedbackState.FORWARDED, FeedbackState.IN_PROGRESS, FeedbackState.REOPENED)
# Not closed and not answered: what a new item may be linked to.
OPEN_STATES = (
    FeedbackState.NEW,
    FeedbackState.FORWARDED,
    FeedbackState.IN_PROGRESS,
    FeedbackState.RETURNED,
    FeedbackState.REOPENED,
)


def overdue_q(today=None, prefix: str = "") -> Q:
    """Awaiting an answer past its due date (FeedbackItem.is_overdue, in SQL)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}state__in": AWAITING_ANSWER, f"{prefix}due_on__lt": today})


class Category(models.Model):
    """An editable list: name, order, and the default number of days to answer."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    default_days = models.PositiveSmallIntegerField(_("days to answer"), default=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")

    def __str__(self):
        return self.name


class BodyKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("party committee")
    PEOPLES_COMMITTEE = "peoples_committee", _("people's committee")
    DEPARTMENT = "department", _("department or office")
    MASS_ORGANIZATION = "mass_organization", _("mass organization")
    OTHER = "other", _("other")


class AnsweringBodyQuerySet(FoldedSearch, models.QuerySet):
    pass


class AnsweringBody(models.Model):
    """A body outside the party tree that answers feedback (data, not code)."""

    name = models.CharField(_("name"), max_length=200)
    # A province has hundreds of bodies: the filter searches them (a picker).
    search_name = FoldedCharField(source=("name",), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="answering_bodies",
        verbose_name=_("organization"),
        help_text=_("The committee whose area the body serves: items reach it from below."),
    )
    answerers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="answering_bodies",
        verbose_name=_("users who answer for it"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = AnsweringBodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("answering body")
        verbose_name_plural = _("answering bodies")

    def __str__(self):
        return self.name


class RaiserKind(models.TextChoices):
    MEMBER = "member", _("a party member")
    CITIZENS = "citizens", _("citizens of the village")


class FeedbackItemQuerySet(FoldedSearch, models.QuerySet):
    folded_field = "search_text"

    def overdue(self, today=None):
        return self.filter(overdue_q(today))


class FeedbackItem(models.Model):
    """One concern, wish or proposal raised at a cell meeting.

    The state only changes through feedback.services (feedback/workflow.py
    holds the legal moves); each move leaves a FeedbackEvent. A linked item
    (`main_item` set) is answered by answering its main item.
    """

    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        limit_choices_to={"kind": OrganizationKind.CELL},
        verbose_name=_("cell"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="feedback_items", verbose_name=_("meeting")
    )
    visit = models.ForeignKey(
        CadreVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("cadre visit"),
    )
    raiser_kind = models.CharField(
        _("raised by"), max_length=10, choices=RaiserKind.choices, default=RaiserKind.MEMBER
    )
    raiser_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("member"),
    )
    raiser_name = models.CharField(
        _("who (citizens)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'households of hamlet 3'."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    text = models.TextField(_("feedback"))
    raised_on = models.DateField(_("raised on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    state = models.CharField(
        _("state"), max_length=20, choices=FeedbackState.choices, default=FeedbackState.NEW
    )
    state_changed_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("state changed at")
    )

    # Routing: exactly one of routed_organization / routed_body once forwarded.
    routed_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_routed",
        verbose_name=_("committee that answers"),
    )
    routed_body = models.ForeignKey(
        AnsweringBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("body that answers"),
    )
    # The organization in the tree where the answer is owed (routed_organization
    # or routed_body.organization), kept for scoping and escalation.
    answer_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answering organization"),
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("forwarded at"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_is_manual = models.BooleanField(default=False, verbose_name=_("due date set by hand"))
    # Set once by the overdue task, cleared when the due date moves.
    escalated_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("reported overdue at")
    )

    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    main_item = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_items",
        verbose_name=_("linked to"),
    )
    search_text = FoldedTextField(
        source=("text", "raiser_name"),
        default="",
        verbose_name=_("text without accents"),
    )

    objects = FeedbackItemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        indexes = [
            models.Index(fields=["cell", "state"]),
            models.Index(fields=["answer_organization", "state"]),
            models.Index(fields=["state", "due_on"]),
            # The list's order: a wide scope reads its first page off this
            # index instead of sorting every item it may see.
            models.Index(fields=["raised_on", "id"], name="feedback_item_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(routed_organization__isnull=True) | Q(routed_body__isnull=True),
                name="feedback_routed_to_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(raiser_kind="member") | Q(raiser_member__isnull=False),
                name="feedback_member_raiser_named",
            ),
            models.CheckConstraint(
                condition=Q(main_item__isnull=True) | ~Q(main_item=models.F("pk")),
                name="feedback_not_linked_to_itself",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.text[:60]}"

    @property
    def raiser(self) -> str:
        if self.raiser_kind == RaiserKind.MEMBER and self.raiser_member_id:
            return self.raiser_member.full_name
        return self.raiser_name or str(RaiserKind.CITIZENS.label)

    @property
    def answering_party(self):
        """Whoever must answer: the body or the organization (None before routing)."""
        return self.routed_body or self.routed_organization

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state in AWAITING_ANSWER and self.due_on is not None and self.due_on < today


class FeedbackEvent(models.Model):
    """One step of an item's timeline: a move, a routing, a link, an escalation."""

    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("feedback item"),
    )
    action = models.CharField(max_length=30, verbose_name=_("action"))
    from_state = models.CharField(
        max_length=20, choices=FeedbackState.choices, blank=True, verbose_name=_("from state")
    )
    to_state = models.CharField(
        max_length=20, choices=FeedbackState.choices, verbose_name=_("to state")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self):
        return f"{self.item_id}: {self.from_state} → {self.to_state}"


class ReadBack(models.Model):
    """An answer read back to the cell at a meeting, and whether it satisfied them."""

    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.CASCADE,
        related_name="read_backs",
        verbose_name=_("feedback item"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="feedback_read_backs",
        verbose_name=_("meeting"),
    )
    answer = models.TextField(_("answer read back"))
    is_satisfied = models.BooleanField(_("the cell is satisfied"))
    note = models.TextField(_("the cell's comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("answer read back")
        verbose_name_plural = _("answers read back")
        constraints = [
            models.UniqueConstraint(fields=["item", "meeting"], name="one_read_back_per_meeting")
        ]

    def __str__(self):
        return f"{self.item_id} @ {self.meeting_id}"


def attachment_path(instance, filename: str) -> str:
    # A random name: the user's file name is kept only as data, never as a path.
    suffix = PurePath(filename).suffix.lower()
    today = timezone.localdate()
    return f"feedback/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to an item, served only through the access-checked view."""

    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("feedback item"),
    )
    file = models.FileField(upload_to=attachment_path, max_length=200, verbose_name=_("file"))
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
