"""Importing the member roll from a spreadsheet: check every row, then write once.

A file with any error changes nothing. A fact missing that the party's rules
can live without (an official member's official date, an exemption's reason:
old records often lack them) is a warning, shown by row and column, and the
row is imported; only what would make a record wrong is an error.

Rows are matched to the roll by party card number; a row without a match
creates a member. A card-less member already on the roll (probationary) is
matched by name, birth date and cell when exactly one fits, so that
re-importing an export, or adding the card once it is issued, does not
create a second record.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo import access
from chibo.access import EDIT, visible
from chibo.models import Organization
from chibo.selectors import tree_changed
from chibo.text import fold

from ..models import Member, MemberStatus, Transfer
from .cells import CellError, parse
from .columns import MEMBER_COLUMNS, STATUS_LABELS
from .reader import RowError, RowWarning, Sheet, read_sheet

BATCH = 500
# A probationary member becomes official after twelve months (the party's charter).
PROBATION = datetime.timedelta(days=366)
CHANGE_REASON = "XLSX import"
# Field values a row sets; the cell is set through cell_code.
ROW_FIELDS = [
    "full_name",
    "birth_date",
    "gender",
    "party_card_number",
    "joined_on",
    "official_on",
    "status",
    "is_exempt",
    "exempt_reason",
    "exempt_since",
    "is_away_for_work",
    "phone",
]
_BY_CODE = {column.code: column for column in MEMBER_COLUMNS}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)


@dataclass
class MemberPlan:
    """What an import would write; only built into writes when errors is empty."""

    to_create: list[Member] = field(default_factory=list)
    to_update: list[Member] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    transfers: list[Transfer] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)


def member_import_cells(user):
    """The active party cells whose members `user` may edit, and so import into."""
    return access.cells(user, EDIT)


def import_members(*, file, user) -> ImportResult:
    """Check the whole file, then write it in one transaction, or nothing.

    Raises reader.ImportFileError when the file itself is unusable.
    """
    plan = plan_member_import(file=file, user=user)
    if plan.errors:
        return ImportResult(errors=plan.errors, warnings=plan.warnings)
    return apply_member_plan(plan=plan, user=user)


def plan_member_import(*, file, user) -> MemberPlan:
    sheet = read_sheet(file, MEMBER_COLUMNS)
    if sheet.errors:
        return MemberPlan(errors=sheet.errors)
    return _Planner(sheet, user).plan()


@transaction.atomic
def _write(plan: MemberPlan, user) -> None:
    if plan.to_create:
        bulk_create_with_history(
            plan.to_create,
            Member,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    if plan.to_update:
        bulk_update_with_history(
            plan.to_update,
            Member,
            fields=sorted(plan.update_fields),
            batch_size=BATCH,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    Transfer.objects.bulk_create(plan.transfers, batch_size=BATCH)
    tree_changed()


def apply_member_plan(*, plan: MemberPlan, user) -> ImportResult:
    # IntegrityError: someone saved a clashing card between the check and the write.
    return applied(
        plan,
        lambda: _write(plan, user),
        clashes=(IntegrityError,),
        clash_message=_(
            "The roll changed while the file was being imported. Nothing was saved; "
            "import the file again."
        ),
    )


def applied(plan, write, *, clashes: tuple[type[Exception], ...], clash_message: str):
    """Run `write()` for a checked plan (it writes all or nothing); a clash
    with what changed since the check becomes the file's one error."""
    try:
        write()
    except clashes:
        return ImportResult(errors=[RowError(None, _("File"), clash_message)])
    return ImportResult(
        created=len(plan.to_create),
        updated=len(plan.to_update),
        unchanged=plan.unchanged,
        warnings=plan.warnings,
    )


def chunked(values, size: int = BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Planner:
    def __init__(self, sheet: Sheet, user):
        self.sheet, self.user = sheet, user
        self.plan_ = MemberPlan()
        self.today = timezone.localdate()

    def error(self, row: int, code: str, message: str) -> None:
        self.plan_.errors.append(RowError(row, self.sheet.header(code), message))

    def warn(self, row: int, code: str, message: str) -> None:
        self.plan_.warnings.append(RowWarning(row, self.sheet.header(code), message))

    def plan(self) -> MemberPlan:
        rows = [(number, self.parse_row(number, raw)) for number, raw in self.sheet.rows]
        self.load(values for _number, values in rows if values is not None)
        card_rows: dict[str, int] = {}
        matched_rows: dict[int, int] = {}
        for number, values in rows:
            if values is not None:
                self.plan_row(number, values, card_rows, matched_rows)
        # Row by row, whichever check found it.
        self.plan_.errors.sort(key=lambda error: error.row or 0)
        self.plan_.warnings.sort(key=lambda warning: warning.row or 0)
        return self.plan_

    def parse_row(self, number: int, raw: dict) -> dict | None:
        values, ok = {}, True
        for code, value in raw.items():
            column = _BY_CODE[code]
            try:
                values[code] = parse(column, value)
            except CellError as exc:
                self.error(number, code, str(exc))
                ok = False
                continue
            if column.required and values[code] in ("", None):
                self.error(number, code, _("Required: fill this in."))
                ok = False
        return values if ok else None

    def load(self, rows) -> None:
        """Everything the rows refer to, in a few queries."""
        rows = list(rows)
        codes = {values["cell_code"] for values in rows}
        cards = {values.get("party_card_number") for values in rows} - {"", None}
        self.cells = {}
        for chunk in chunked(codes):
            for cell in member_import_cells(self.user).filter(code__in=chunk):
                self.cells[cell.code] = cell
        editable = visible(self.user, Member, EDIT)
        self.by_card, self.taken = {}, set()
        for chunk in chunked(cards):
            self.by_card.update(
                (m.party_card_number, m) for m in editable.filter(party_card_number__in=chunk)
            )
            self.taken.update(
                Member.objects.filter(party_card_number__in=chunk).values_list(
                    "party_card_number", flat=True
                )
            )
        self.cardless: dict[tuple, list[Member]] = {}
        cell_ids = [cell.pk for cell in self.cells.values()]
        for chunk in chunked(cell_ids):
            for member in editable.filter(
                Q(party_card_number__isnull=True) | Q(party_card_number=""), cell_id__in=chunk
            ):
                key = (member.search_name, member.birth_date, member.cell_id)
                self.cardless.setdefault(key, []).append(member)

    def plan_row(self, number: int, values: dict, card_rows: dict, matched_rows: dict) -> None:
        errors_before = len(self.plan_.errors)
        cell = self.check_cell(number, values["cell_code"])
        card = values.get("party_card_number") or None
        if card:
            if card in card_rows:
                self.error(
                    number,
                    "party_card_number",
                    _("This party card number is also in row %(row)s.") % {"row": card_rows[card]},
                )
            elif card in self.taken and card not in self.by_card:
                # Say nothing of where the card is: only that this row cannot have it.
                self.error(number, "party_card_number", _("This party card number cannot be used."))
            card_rows.setdefault(card, number)
        member = self.match(values, card, cell)
        if member is not None and member.pk in matched_rows:
            self.error(
                number,
                "full_name",
                _("This is the same member as row %(row)s.") % {"row": matched_rows[member.pk]},
            )
        elif member is not None:
            matched_rows[member.pk] = number
        if cell is None or len(self.plan_.errors) > errors_before:
            return
        fields = self.merged(values, member, cell)
        # merged() infers the status when the row leaves it blank.
        inferred = not values.get("status") and (member is None or "status" in values)
        if self.check_rules(number, fields, status_inferred=inferred):
            self.stage(member, fields)

    def check_cell(self, number: int, code: str) -> Organization | None:
        # Unknown, dissolved and out-of-scope codes read alike: nothing leaks.
        cell = self.cells.get(code)
        if cell is None:
            self.error(
                number, "cell_code", _("No active party cell with this code exists in your scope.")
            )
        return cell

    def match(self, values: dict, card: str | None, cell) -> Member | None:
        if card and card in self.by_card:
            return self.by_card[card]
        if (card and card in self.taken) or cell is None:
            return None
        key = (fold(values["full_name"]), values.get("birth_date"), cell.pk)
        candidates = self.cardless.get(key, [])
        return candidates[0] if len(candidates) == 1 else None

    def merged(self, values: dict, member: Member | None, cell) -> dict:
        """The member's fields after the row: the row's columns over what is kept."""
        if member is None:
            fields = {
                "gender": "",
                "birth_date": None,
                "party_card_number": None,
                "official_on": None,
                "status": "",
                "is_exempt": False,
                "exempt_reason": "",
                "exempt_since": None,
                "is_away_for_work": False,
                "phone": "",
            }
        else:
            fields = {name: getattr(member, name) for name in ROW_FIELDS}
            if "status" in values and not values["status"]:
                fields["status"] = ""
        fields.update((name, values[name]) for name in ROW_FIELDS if name in values)
        fields["party_card_number"] = fields["party_card_number"] or None
        if not fields["status"]:
            fields["status"] = (
                MemberStatus.OFFICIAL if fields["official_on"] else MemberStatus.PROBATIONARY
            )
        fields["cell_id"] = cell.pk
        fields["search_name"] = fold(fields["full_name"])
        return fields

    def check_rules(self, number: int, fields: dict, *, status_inferred: bool) -> bool:
        """The model's rules, placed on the column that most likely needs fixing.

        Errors make the record wrong; warnings name what is missing but allowed.
        """
        before = len(self.plan_.errors)
        joined, official = fields["joined_on"], fields["official_on"]
        if fields["status"] == MemberStatus.OFFICIAL and official is None:
            self.warn(
                number,
                "official_on",
                _("The official date is not recorded; the member is imported as official."),
            )
        if fields["status"] == MemberStatus.PROBATIONARY and official is not None:
            self.error(
                number,
                "official_on",
                _(
                    "A probationary member has no official date yet; clear it or set the "
                    "status to “%(official)s”."
                )
                % {"official": STATUS_LABELS[MemberStatus.OFFICIAL]},
            )
        if (
            status_inferred
            and fields["status"] == MemberStatus.PROBATIONARY
            and joined < self.today - PROBATION
        ):
            self.warn(
                number,
                "status",
                _(
                    "Imported as probationary because neither the status nor the official "
                    "date is given, though the member was admitted over a year ago."
                ),
            )
        if official is not None and official < joined:
            self.error(number, "official_on", _("The official date is before the admission date."))
        if fields["birth_date"] is not None and fields["birth_date"] >= joined:
            self.error(number, "joined_on", _("The admission date is not after the birth date."))
        if fields["is_exempt"] and not fields["exempt_reason"]:
            self.warn(
                number,
                "exempt_reason",
                _("The reason for the exemption is not recorded; the exemption is imported."),
            )
        return len(self.plan_.errors) == before

    def stage(self, member: Member | None, fields: dict) -> None:
        if member is None:
            self.plan_.to_create.append(Member(**fields))
            return
        changed = [name for name, value in fields.items() if getattr(member, name) != value]
        if not changed:
            self.plan_.unchanged += 1
            return
        if "cell_id" in changed:
            self.plan_.transfers.append(
                Transfer(
                    member=member,
                    from_cell_id=member.cell_id,
                    to_cell_id=fields["cell_id"],
                    date=self.today,
                    reason=_("Imported from a spreadsheet"),
                    recorded_by=self.user,
                )
            )
        for name in changed:
            setattr(member, name, fields[name])
        self.plan_.to_update.append(member)
        # bulk_update takes field names, not the "_id" attribute names.
        self.plan_.update_fields.update("cell" if name == "cell_id" else name for name in changed)
