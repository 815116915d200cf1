"""The organization tree, its dated history, and users' roles in it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .folding import FoldedCharField, FoldedSearch


class Weekday(models.IntegerChoices):
    """Python's numbering (0 = Monday), shown by name."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first week")
    SECOND = 2, _("second week")
    THIRD = 3, _("third week")
    FOURTH = 4, _("fourth week")
    LAST = 5, _("last week")


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", _("provincial party committee")
    DISTRICT = "district", _("district party committee")
    COMMUNE = "commune", _("commune party committee")
    SUBCOMMITTEE = "subcommittee", _("party sub-committee")
    CELL = "cell", _("party cell")


def active_q(on: datetime.date | None = None, prefix: str = "") -> models.Q:
    """Organizations (through `prefix`) founded and not dissolved on `on` (today)."""
    on = on or datetime.date.today()
    return (
        models.Q(**{f"{prefix}dissolved_on__isnull": True})
        | models.Q(**{f"{prefix}dissolved_on__gt": on})
    ) & (
        models.Q(**{f"{prefix}founded_on__isnull": True})
        | models.Q(**{f"{prefix}founded_on__lte": on})
    )


class OrganizationQuerySet(FoldedSearch, MP_NodeQuerySet):
    def active(self, on: datetime.date | None = None):
        return self.filter(active_q(on))

    def cells(self):
        return self.filter(kind=OrganizationKind.CELL)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A node of the party's tree: province, (district), commune, ..., cell.

    The tree shape is the current one; earlier names and parents live in
    OrganizationVersion, so records show the names valid on their date.
    Nodes are never deleted: a dissolved one keeps its place and its date.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    search_name = FoldedCharField(source=("name",), max_length=200, db_index=True)
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_("Used in the date line of documents, e.g. 'Cò Nòi'."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # A cell's regular meeting: day of month (3rd by default, national guidance
    # of 2025), or the nth weekday when both week fields are set.
    meeting_day = models.PositiveSmallIntegerField(_("meeting day of month"), default=3)
    meeting_week = models.PositiveSmallIntegerField(
        _("week of the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    meeting_time = models.TimeField(_("meeting time"), default=datetime.time(19, 30))
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)

    node_order_by = ["name"]
    objects = OrganizationManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "search_name"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_day__gte=1, meeting_day__lte=31),
                name="organization_meeting_day_in_month",
            ),
        ]
        # The lazy tree's reads on PostgreSQL, where `path LIKE 'x%'` needs a
        # pattern opclass (the unique path's own `_like` index serves the
        # subtrees): a node's children (depth, then the path prefix), and the
        # inner nodes of a subtree (few: the cells are its leaves).
        indexes = [
            models.Index(
                fields=["depth", "path"],
                name="organization_depth_path",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["path"],
                name="organization_inner_path",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(numchild__gt=0),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind == OrganizationKind.CELL

    def is_active_on(self, on: datetime.date) -> bool:
        return (self.founded_on is None or self.founded_on <= on) and (
            self.dissolved_on is None or self.dissolved_on > on
        )

    def subtree(self):
        """This node and everything below it, in one query."""
        return Organization.objects.filter(path__startswith=self.path)

    def name_on(self, on: datetime.date) -> str:
        version = self.version_on(on)
        return version.name if version else self.name

    def version_on(self, on: datetime.date) -> "OrganizationVersion | None":
        return (
            self.versions.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on))
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on))
            .select_related("parent")
            .first()
        )


class OrganizationVersion(models.Model):
    """What an organization was called and where it stood, for a period.

    valid_to is exclusive; the current version has valid_to = NULL.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent organization"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "valid_from"]
        verbose_name = _("dated name and parent")
        verbose_name_plural = _("dated names and parents")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(valid_to__isnull=True),
                name="one_current_version_per_organization",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class ReorganizationKind(models.TextChoices):
    FOUNDED = "founded", _("founded")
    RENAMED = "renamed", _("renamed")
    MOVED = "moved", _("moved")
    MERGED = "merged", _("merged into another")
    DISSOLVED = "dissolved", _("dissolved")


class RecordedEvent(models.Model):
    """A dated entry of a register kept forever (a reorganization, a
    transfer): when it took effect, who wrote it down and when."""

    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]


class Reorganization(RecordedEvent):
    """A dated event of the tree: the journal behind OrganizationVersion."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReorganizationKind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="reorganizations",
        verbose_name=_("organization"),
    )
    target = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("New parent (move) or the organization absorbing it (merge)."),
        verbose_name=_("new parent or absorbing organization"),
    )
    old_name = models.CharField(max_length=200, blank=True, verbose_name=_("old name"))
    new_name = models.CharField(max_length=200, blank=True, verbose_name=_("new name"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    class Meta(RecordedEvent.Meta):
        verbose_name = _("reorganization")
        verbose_name_plural = _("reorganizations")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.organization}"


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", _("cell secretary")
    DEPUTY = "deputy", _("deputy secretary")
    CADRE = "cadre", _("assigned cadre")
    STAFF = "staff", _("committee office staff")
    ANSWERER = "answerer", _("answering body")
    ADMIN = "admin", _("administrator")


class Role(models.Model):
    """What a user may do, and where: the only input of chibo.access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chibo_roles",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organization")
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"], name="unique_role_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} – {self.organization}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ExportFailure(models.TextChoices):
    """Why a file was not built. The code is stored and the label shown, so the
    owner reads it in their own language whatever the worker's was."""

    ERROR = (
        "error",
        _("The file could not be built. Try again; if it fails again, tell the administrator."),
    )
    STOPPED = "stopped", _("The server stopped before the file was finished. Try again.")
    TOO_LONG = (
        "too_long",
        _("Building the file took too long and was stopped. Try a smaller scope."),
    )
    OUT_OF_SCOPE = "out_of_scope", _("You can no longer see what this file would hold.")


class ExportFile(models.Model):
    """A file built in the background for its owner (chibo.exports), with
    its progress. Only the owner ever sees or downloads it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_files",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What to build, as the request decided it (a cell's id, a month); the
    # builder checks it again with the owner's grants when it runs.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    filename = models.CharField(_("file name"), max_length=200)
    # The version of the data the file was asked on (Builder.version): asked
    # again with the same parameters and version, the stored file is served.
    version = models.CharField(_("data version"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    failure = models.CharField(
        _("failure"), max_length=20, choices=ExportFailure.choices, blank=True
    )
    # For the operators (the exception), never shown to the owner.
    failure_detail = models.TextField(_("failure detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Moved by every progress write: a running file whose worker died stops moving.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background file")
        verbose_name_plural = _("background files")
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_recent"),
            models.Index(fields=["status", "updated_at"], name="export_status_updated"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


class EmailState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NONE = "none", _("not by e-mail")  # no address: the inbox holds it


class Notification(models.Model):
    """One message to one user, written in the transaction of the event that
    causes it (an outbox, chibo.notifications): the inbox shows it at once and
    a worker sends the e-mail later, so a broker or a mail server that is down
    loses nothing. `key` names the event (kind, object, moment, recipient):
    writing the same event twice keeps one row, so a retried task or a second
    beat never sends twice. The text is drawn from `kind` and `params` when
    shown, in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200, unique=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    # After a refusal the next try waits (chibo.notifications.relay's backoff).
    email_not_before = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The bell's count and the relay's queue read only these few rows.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(email_state="pending"),
                name="notification_email_pending",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"
