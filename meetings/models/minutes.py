"""The minutes of a meeting, its resolution and the resolution's tasks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.models import Organization
from members.models import Member

from .schedule import Meeting


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")


class Minutes(models.Model):
    """Minutes in the order of a regular meeting (DOMAIN.md).

    Draft minutes are edited with optimistic locking on `version`. Final ones
    never change: `snapshot` holds what was printed (names of the day
    included), `pdf` the archived file and `pdf_sha256` its hash. A correction
    is a new Minutes row with `amends` pointing at the one it corrects.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
    amends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        verbose_name=_("corrects"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    # Opening
    chair = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    minute_taker = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minute-taker"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    party_fee_status = models.TextField(_("party fees"), blank=True)
    programme = models.TextField(_("programme adopted"), blank=True)
    # Proceedings
    news = models.TextField(_("news and new documents disseminated"), blank=True)
    assessment = models.TextField(_("assessment of last month"), blank=True)
    criticism = models.TextField(_("self-criticism and criticism"), blank=True)
    # Closing
    summary = models.TextField(_("the chair's summary"), blank=True)
    resolution = models.TextField(_("resolution for next month"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    read_back_adopted = models.BooleanField(_("minutes read back and adopted"), default=False)
    # Final
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=20, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finalized at"))
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalized by"),
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False, verbose_name=_("snapshot"))
    pdf = models.FileField(
        upload_to="minutes/%Y/%m/", blank=True, editable=False, verbose_name=_("PDF file")
    )
    pdf_sha256 = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("SHA-256 of the PDF")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    # Bookkeeping of the autosave (services.minutes), not part of the minutes:
    # the latest version an editor page was given (its history row is kept
    # as the base of a later merge), and a digest of each part of the post
    # that saved this version (an autosave compares against them).
    shown_version = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("version shown to an editor")
    )
    posted_digests = models.JSONField(
        default=dict, blank=True, editable=False, verbose_name=_("digests of the last saved post")
    )

    history = HistoricalRecords(
        excluded_fields=["snapshot", "pdf", "shown_version", "posted_digests"]
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(amends__isnull=True),
                name="one_original_minutes_per_meeting",
            ),
        ]
        indexes = [
            # "Took place, minutes unfinished" asks which meetings have a
            # draft: a few thousand among a province's 360,000 minutes.
            models.Index(
                fields=["meeting"], condition=Q(state="draft"), name="minutes_draft_meeting_idx"
            ),
        ]

    def __str__(self):
        return f"{_('Minutes')} {self.meeting}"

    @property
    def is_final(self) -> bool:
        return self.state == MinutesState.FINAL


class Speech(models.Model):
    """One speaker's opinion in the discussion."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="speeches", verbose_name=_("minutes")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    speaker_name = models.CharField(_("speaker"), max_length=120, blank=True)
    text = models.TextField(_("opinion"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    # Chosen by the editor when the row is added, so that a row keeps its
    # identity across autosaves, lost replies and two editors' merges.
    key = models.CharField(_("row key"), max_length=36, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self):
        return self.speaker

    @property
    def speaker(self) -> str:
        """The one place that names a speaker: a name typed by hand (a guest,
        who has no member record) wins, else the member's name."""
        if self.speaker_name:
            return self.speaker_name
        return self.member.full_name if self.member_id else ""

    @property
    def is_member_speaking(self) -> bool:
        return not self.speaker_name and self.member_id is not None


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    LATE = "late", _("done late")
    DROPPED = "dropped", _("dropped")


class ResolutionTask(models.Model):
    """A task of a resolution, carried to the next meetings until assessed."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("minutes")
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    title = models.TextField(_("task"))
    # Chosen by the editor when the row is added, so that a row keeps its
    # identity across autosaves, lost replies and two editors' merges.
    key = models.CharField(_("row key"), max_length=36, blank=True, editable=False)
    assignee = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    assignee_text = models.CharField(_("assignee (others)"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("result"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result_note = models.CharField(_("result note"), max_length=300, blank=True)
    assessed_in = models.ForeignKey(
        Minutes,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessed_tasks",
        verbose_name=_("assessed in the minutes of"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("resolution task")
        verbose_name_plural = _("resolution tasks")
        indexes = [models.Index(fields=["cell", "status"])]

    def __str__(self):
        return self.title[:60]

    @property
    def assignee_name(self) -> str:
        """Who carries the task out: a member, others typed by hand, or nobody."""
        return self.assignee.full_name if self.assignee_id else self.assignee_text
