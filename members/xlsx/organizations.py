"""Importing organizations from a spreadsheet: check every row, then write once.

A new code creates an organization through chibo.tree.create_organization
(its first version and founding event included); its parent may be a row
earlier in the same file. An existing code may only change the place and
meeting fields: a new name or parent is a reorganization, done on its page.
Rows are matched by code only; a new organization whose name is already used
under the same parent (by an active organization or an earlier row) gets a
warning, since after a merger two cells of one commune may share a name.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from chibo.access import EDIT, visible
from chibo.models import Organization, OrganizationKind
from chibo.tree import TreeError, create_organization

from .cells import CellError, parse
from .columns import ORGANIZATION_COLUMNS
from .importer import BATCH, CHANGE_REASON, ImportResult, applied, chunked
from .reader import RowError, RowWarning, Sheet, read_sheet

_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
_BY_CODE = {column.code: column for column in ORGANIZATION_COLUMNS}
UPDATABLE = ["place_name", "meeting_day", "meeting_place"]
# Fields that identify an organization in the tree; changing them is a reorganization.
FIXED = ["name", "kind", "parent_code", "founded_on"]


@dataclass
class NewOrganization:
    row: int
    fields: dict
    parent: Organization | None = None
    parent_code_in_file: str | None = None


@dataclass
class OrganizationPlan:
    to_create: list[NewOrganization] = field(default_factory=list)
    to_update: list[Organization] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)


def import_organizations(*, file, user) -> ImportResult:
    """Check the whole file, then write it in one transaction, or nothing.

    Raises reader.ImportFileError when the file itself is unusable.
    """
    sheet = read_sheet(file, ORGANIZATION_COLUMNS)
    plan = OrganizationPlan(errors=sheet.errors) if sheet.errors else _Planner(sheet, user).plan()
    if plan.errors:
        return ImportResult(errors=plan.errors, warnings=plan.warnings)
    return applied(
        plan,
        lambda: _write(plan, user),
        clashes=(IntegrityError, TreeError),
        clash_message=_(
            "The organizations changed while the file was being imported. Nothing was "
            "saved; import the file again."
        ),
    )


@transaction.atomic
def _write(plan: OrganizationPlan, user) -> None:
    created: dict[str, Organization] = {}
    for new in plan.to_create:
        parent = created[new.parent_code_in_file] if new.parent_code_in_file else new.parent
        created[new.fields["code"]] = create_organization(parent=parent, by=user, **new.fields)
    if plan.to_update:
        bulk_update_with_history(
            plan.to_update,
            Organization,
            fields=UPDATABLE,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )


def name_key(name: str) -> str:
    """Names compared as a reader would: case and spacing aside, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class _Planner:
    def __init__(self, sheet: Sheet, user):
        self.sheet, self.user = sheet, user
        self.plan_ = OrganizationPlan()
        self.today = timezone.localdate()
        # code -> (row, kind) of the new organizations planned so far
        self.new: dict[str, tuple[int, str]] = {}
        self.seen: dict[str, int] = {}

    def error(self, row: int, code: str, message: str) -> None:
        self.plan_.errors.append(RowError(row, self.sheet.header(code), message))

    def warn(self, row: int, code: str, message: str) -> None:
        self.plan_.warnings.append(RowWarning(row, self.sheet.header(code), message))

    def plan(self) -> OrganizationPlan:
        rows = [(number, self.parse_row(number, raw)) for number, raw in self.sheet.rows]
        codes = {v[k] for _n, v in rows if v for k in ("code", "parent_code") if v.get(k)}
        self.existing, self.editable = {}, set()
        for chunk in chunked(codes):
            self.existing.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
            self.editable.update(
                visible(self.user, Organization, EDIT)
                .filter(code__in=chunk)
                .values_list("code", flat=True)
            )
        self.later = {v["code"]: n for n, v in rows if v}
        self.load_names(self.existing[c] for c in self.editable if c in self.existing)
        for number, values in rows:
            if values is None:
                continue
            code = values["code"]
            if code in self.seen:
                self.error(
                    number,
                    "code",
                    _("This code is also in row %(row)s.") % {"row": self.seen[code]},
                )
                continue
            self.seen[code] = number
            if code in self.existing:
                self.plan_update(number, values, self.existing[code])
            else:
                self.plan_create(number, values)
        # Row by row, whichever check found it.
        self.plan_.errors.sort(key=lambda error: error.row or 0)
        self.plan_.warnings.sort(key=lambda warning: warning.row or 0)
        return self.plan_

    def load_names(self, parents) -> None:
        """(parent path, name key) -> code of the active children of `parents`."""
        self.names: dict[tuple[str, str], str] = {}
        steplen = Organization.steplen
        for chunk in chunked(list(parents), 100):
            children = Q()
            for parent in chunk:
                children |= Q(path__startswith=parent.path, depth=parent.depth + 1)
            for path, name, code in (
                Organization.objects.active(self.today)
                .filter(children)
                .values_list("path", "name", "code")
            ):
                self.names.setdefault((path[:-steplen], name_key(name)), code)

    def check_name(self, number: int, new: NewOrganization) -> None:
        # The parent is an existing organization (by path) or an earlier row (by code).
        parent = new.parent.path if new.parent else f"row:{new.parent_code_in_file}"
        key = (parent, name_key(new.fields["name"]))
        taken = self.names.get(key)
        if taken is None:
            self.names[key] = f"row:{number}"
        elif taken.startswith("row:"):
            self.warn(
                number,
                "name",
                _("Row %(row)s creates an organization of the same name under the same parent.")
                % {"row": taken.removeprefix("row:")},
            )
        else:
            self.warn(
                number,
                "name",
                _(
                    "An organization of this name already exists under the same parent, with "
                    "the code %(code)s. If it is the same one, write its code to update it "
                    "instead of creating another."
                )
                % {"code": taken},
            )

    def parse_row(self, number: int, raw: dict) -> dict | None:
        values, ok = {}, True
        for code, value in raw.items():
            try:
                values[code] = parse(_BY_CODE[code], value)
            except CellError as exc:
                self.error(number, code, str(exc))
                ok = False
        if not ok:
            return None
        if not values["code"]:
            self.error(number, "code", _("Required: fill this in."))
        elif not _CODE.match(values["code"]):
            self.error(
                number,
                "code",
                _("A code may hold only letters without diacritics, digits, - and _."),
            )
        day = values.get("meeting_day")
        if day is not None and not 1 <= day <= 31:
            self.error(number, "meeting_day", _("The meeting day must be from 1 to 31."))
        return values if values["code"] and _CODE.match(values["code"]) else None

    def plan_update(self, number: int, values: dict, organization: Organization) -> None:
        if organization.code not in self.editable:
            # Nothing about the organization that holds it.
            self.error(number, "code", _("This code cannot be used."))
            return
        current = {
            "name": organization.name,
            "kind": organization.kind,
            "founded_on": organization.founded_on,
            "parent_code": getattr(Organization.objects.get_parent(organization), "code", None),
        }
        for name in FIXED:
            if values.get(name) not in ("", None) and values[name] != current[name]:
                self.error(
                    number,
                    name,
                    _(
                        "An existing organization's name, kind, parent and founding date cannot "
                        "be changed by import: that is a reorganization, made on its page."
                    ),
                )
        changes = {n: values[n] for n in UPDATABLE if n in values and values[n] is not None}
        changed = {n: v for n, v in changes.items() if getattr(organization, n) != v}
        if not changed:
            self.plan_.unchanged += 1
            return
        for name, value in changed.items():
            setattr(organization, name, value)
        self.plan_.to_update.append(organization)

    def plan_create(self, number: int, values: dict) -> None:
        before = len(self.plan_.errors)
        for name in ("name", "kind"):
            if not values.get(name):
                self.error(number, name, _("Required for a new organization."))
        new = NewOrganization(
            row=number,
            fields={
                "code": values["code"],
                "name": values.get("name", ""),
                "kind": values.get("kind", ""),
                "founded_on": values.get("founded_on"),
                "place_name": values.get("place_name", ""),
                "meeting_place": values.get("meeting_place", ""),
            },
        )
        if values.get("meeting_day") is not None:
            new.fields["meeting_day"] = values["meeting_day"]
        self.resolve_parent(number, values.get("parent_code") or "", new)
        if len(self.plan_.errors) == before:
            self.new[new.fields["code"]] = (number, new.fields["kind"])
            self.plan_.to_create.append(new)
            if new.parent or new.parent_code_in_file:
                self.check_name(number, new)

    def resolve_parent(self, number: int, code: str, new: NewOrganization) -> None:
        if not code:
            if not self.user.is_superuser:
                self.error(number, "parent_code", _("Required for a new organization."))
            return
        if code in self.new:
            new.parent_code_in_file, kind = code, self.new[code][1]
        elif code in self.editable:
            new.parent = self.existing[code]
            kind = new.parent.kind
            dissolved = new.parent.dissolved_on
            if dissolved is not None and dissolved <= self.today:
                self.error(
                    number,
                    "parent_code",
                    _("This organization was dissolved on %(date)s.")
                    % {"date": f"{dissolved:%d/%m/%Y}"},
                )
        elif code in self.seen and code not in self.existing:
            self.error(
                number,
                "parent_code",
                _("The parent's row (%(row)s) has errors.") % {"row": self.seen[code]},
            )
            return
        elif self.later.get(code, 0) > number and code not in self.existing:
            self.error(
                number,
                "parent_code",
                _("The parent must come in an earlier row than its children."),
            )
            return
        else:
            self.error(
                number, "parent_code", _("No organization with this code exists in your scope.")
            )
            return
        if kind == OrganizationKind.CELL:
            self.error(number, "parent_code", _("A party cell cannot contain other organizations."))
