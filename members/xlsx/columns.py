"""The columns of the member and organization spreadsheets.

The header row is Vietnamese, like the paper forms offices already keep;
behind each header is an English code name, and an import accepts either,
in any case and with or without diacritics. The values of choice columns
(Nam/Nữ, Chính thức/Dự bị, Có/Không) are part of the file format too.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from chibo.models import OrganizationKind
from chibo.text import fold

from ..models import Gender, MemberStatus

TEXT, DATE, BOOL, CHOICE, INT = "text", "date", "bool", "choice", "int"

YES, NO = "Có", "Không"
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
STATUS_LABELS = {MemberStatus.OFFICIAL: "Chính thức", MemberStatus.PROBATIONARY: "Dự bị"}
KIND_LABELS = {
    OrganizationKind.PROVINCE: "Đảng bộ tỉnh",
    OrganizationKind.DISTRICT: "Đảng bộ huyện",
    OrganizationKind.COMMUNE: "Đảng bộ xã",
    OrganizationKind.SUBCOMMITTEE: "Đảng bộ bộ phận",
    OrganizationKind.CELL: "Chi bộ",
}

# Headers a spreadsheet often carries that mean nothing to the import.
IGNORED_HEADERS = {"stt", "tt", "so tt", "#", "no", "no."}


@dataclass(frozen=True)
class Column:
    code: str
    header: str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    width: int = 16
    # Choice columns: value stored -> label written in the file.
    labels: dict | None = None
    help: str = ""

    @property
    def keys(self) -> set[str]:
        return {header_key(self.header), header_key(self.code)}


def header_key(text) -> str:
    """What a header is compared by: folded, underscores as spaces."""
    return fold(str(text).replace("_", " "))


def choice_keys(labels: dict) -> dict[str, str]:
    """Folded label or code name -> stored value."""
    keys = {}
    for value, label in labels.items():
        keys[header_key(label)] = value
        keys[header_key(value)] = value
    return keys


MEMBER_COLUMNS = (
    Column("full_name", "Họ và tên", required=True, max_length=120, width=28),
    Column("birth_date", "Ngày sinh", DATE, width=12),
    Column("gender", "Giới tính", CHOICE, labels=GENDER_LABELS, width=10),
    Column(
        "party_card_number",
        "Số thẻ đảng viên",
        max_length=20,
        help=_("Empty for probationary members. Rows are matched to the roll by it."),
    ),
    Column("joined_on", "Ngày vào Đảng", DATE, required=True, width=14),
    Column(
        "official_on",
        "Ngày chính thức",
        DATE,
        width=14,
        help=_("Required for official members; not before the admission date."),
    ),
    Column(
        "status",
        "Trạng thái",
        CHOICE,
        labels=STATUS_LABELS,
        width=12,
        help=_("Empty: official when the official date is filled in, else probationary."),
    ),
    Column(
        "cell_code",
        "Mã chi bộ",
        required=True,
        max_length=40,
        width=16,
        help=_("The code of a party cell you may edit."),
    ),
    Column("is_exempt", "Miễn sinh hoạt", BOOL, width=12),
    Column(
        "exempt_reason",
        "Lý do miễn",
        max_length=200,
        width=24,
        help=_("Required when the member is exempted from meetings."),
    ),
    Column("exempt_since", "Ngày miễn", DATE, width=12),
    Column("is_away_for_work", "Đi làm ăn xa", BOOL, width=12),
    Column("phone", "Điện thoại", max_length=20, width=14),
)

ORGANIZATION_COLUMNS = (
    Column(
        "code",
        "Mã",
        required=True,
        max_length=40,
        width=16,
        help=_("Letters without diacritics, digits, - and _. Rows are matched by it."),
    ),
    Column(
        "name",
        "Tên",
        max_length=200,
        width=32,
        help=_("Required for a new organization; cannot be changed by import."),
    ),
    Column(
        "kind",
        "Loại",
        CHOICE,
        labels=KIND_LABELS,
        width=16,
        help=_("Required for a new organization."),
    ),
    Column(
        "parent_code",
        "Mã cấp trên",
        max_length=40,
        width=16,
        help=_("An organization you may edit, or one in an earlier row of the file."),
    ),
    Column("place_name", "Địa danh", max_length=100, width=16),
    Column(
        "meeting_day",
        "Ngày sinh hoạt",
        INT,
        width=14,
        help=_("Day of the month of the regular meeting, 1 to 31."),
    ),
    Column("meeting_place", "Địa điểm sinh hoạt", max_length=200, width=24),
    Column("founded_on", "Ngày thành lập", DATE, width=14),
)
