"""Demo meetings: a year of cell life in Sơn La and Hà Tĩnh.

The named cells (bản Lếch, tiểu khu Cò Nòi, bản Đông Sàn, bản Cang Mường,
thôn Hoa Ích Lâm) get their regular meetings for the twelve months up to
this one, on their schedule, and next month's planned. Past meetings are
mostly held: attendance taken, final minutes written in the order of a
regular meeting and finalized through the minutes service (numbered,
snapshot, archived PDF), last month's tasks assessed. A few meetings are
postponed or cancelled; bản Lếch, the demo secretary's cell, has exactly
one draft in progress. Thematic meetings come once a quarter, except in
tiểu khu Cò Nòi this quarter, so the staff dashboard shows a gap. Assigned
cadres visit some meetings (some meet their yearly quota, some are behind).

Hương Khê town's 25 cells are kept light for speed: the last three months,
held, attendance taken, minutes for some only ("minutes missing").

Everything goes through the meetings services, so the data obeys the rules
the pages enforce. Regular meetings are keyed by (cell, month), thematic
ones by (cell, date): a second run creates nothing. A meeting found without
attendance or minutes (an older feedback step made it) is completed when
its month's story says it was held; any other existing meeting, and
anything already recorded, is left as it is.
"""

import datetime
import random
import zlib
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from chibo.models import Organization
from meetings import calendar, rules
from meetings.models import (
    AttendanceStatus,
    CadreVisit,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
    ResolutionTask,
    TaskStatus,
)
from meetings.selectors.attendance import attendance_sheet
from meetings.selectors.minutes_facts import carried_over_tasks
from meetings.selectors.schedule import local_midnight, thematic_q
from meetings.services.attendance import Entry, save_attendance
from meetings.services.minutes import (
    Assessment,
    SpeechData,
    TaskData,
    archive_minutes_pdf,
    finalize_minutes,
    save_minutes,
    start_minutes,
)
from meetings.services.planning import (
    cancel_meeting,
    create_meeting,
    holidays_between,
    move_meeting,
    postpone_meeting,
    regular_meeting_at,
)
from meetings.services.visits import record_visit
from meetings.snapshot import SEAT_TITLES, committee_name
from members.models import CommitteeSeat, Member, Position, PositionKind

from .base import Demo
from .organizations import HUONG_KHE_TOWN, demo_organizations

MONTHS = 12  # this month and the eleven before it
TOWN_MONTHS = 3
CELLS = [
    "cb-ban-lech",
    "cb-tieu-khu-co-noi",
    "cb-ban-dong-san",
    "cb-ban-cang-muong",
    "cb-thon-hoa-ich-lam",
]
DRAFT_CELL = "cb-ban-lech"  # the demo secretary's
NO_THEMATIC_THIS_QUARTER = "cb-tieu-khu-co-noi"
# Hoa Ích Lâm holds its thematic meeting in the same session as the regular one.
THEMATIC_PART_CELLS = {"cb-thon-hoa-ich-lam"}
THEMATIC_DAY = 10

# (cell, months before this one, reason, held that many days later; None: not yet)
POSTPONED = [
    ("cb-ban-cang-muong", 4, "Mưa lũ kéo dài, đường vào bản bị sạt lở", 4),
    ("cb-tieu-khu-co-noi", 7, "Trùng lịch bầu cử trưởng tiểu khu", 2),
    ("cb-ban-dong-san", 0, "Trùng lịch bầu cử trưởng bản nhiệm kỳ mới", None),
]
CANCELLED = [
    (
        "cb-thon-hoa-ich-lam",
        2,
        "Mưa bão gây ngập úng, đảng viên tham gia ứng phó và khắc phục hậu quả; "
        "nội dung sinh hoạt ghép vào kỳ tháng sau",
    ),
]
# This month's, once held: no minutes yet (the staff dashboard's "minutes missing").
HELD_WITHOUT_MINUTES = [("cb-ban-cang-muong", 0)]

# (cadre's roster tag, cell, months before this one). With quotas of 2 a year
# (commune executive), ms-bch-1, ms-bch-2 and cn-bch-1 meet theirs, ms-bch-4
# and cn-bch-2 have one (behind the pace, not at risk), ms-bch-5 came only
# last year: behind (and ms-bch-3, on the province committee with no cell
# assigned, is at risk: no meeting left to attend).
VISITS = [
    ("ms-bch-1", "cb-ban-lech", 1),
    ("ms-bch-1", "cb-ban-dong-san", 5),
    ("ms-bch-1", "cb-ban-cang-muong", 8),
    ("ms-bch-1", "cb-ban-lech", 11),
    ("ms-bch-2", "cb-ban-dong-san", 2),
    ("ms-bch-2", "cb-ban-dong-san", 9),
    ("ms-bch-4", "cb-tieu-khu-co-noi", 6),
    ("ms-bch-5", "cb-ban-cang-muong", 11),
    ("cn-bch-1", "cb-tieu-khu-co-noi", 3),
    ("cn-bch-1", "cb-tieu-khu-co-noi", 10),
    ("cn-bch-2", "cb-ban-lech", 6),
]
# The demo cadre records the meetings she missed, except the recent ones:
# those stay on her page as "no visit record yet".
MISSED_RECORDED_AFTER_DAYS = 40

# Town cells whose minutes are written, by months before this one.
TOWN_MINUTES_SHARE = {2: 0.7, 1: 0.5, 0: 0.25}


# What the minutes say ------------------------------------------------------------

DOCUMENTS = [
    "Quán triệt Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "Quán triệt Nghị quyết số 68-NQ/TW của Bộ Chính trị về phát triển kinh tế tư nhân",
    "Quán triệt Quy định số 144-QĐ/TW của Bộ Chính trị về chuẩn mực đạo đức cách mạng "
    "của cán bộ, đảng viên trong giai đoạn mới",
    "Quán triệt Nghị quyết Đại hội đại biểu Đảng bộ {commune} nhiệm kỳ 2025 – 2030",
    "Triển khai Hướng dẫn số 42-HD/BTCTW của Ban Tổ chức Trung ương về nâng cao chất lượng "
    "sinh hoạt chi bộ",
    "Quán triệt Nghị quyết số 71-NQ/TW của Bộ Chính trị về đột phá phát triển giáo dục và đào tạo",
    "Quán triệt Nghị quyết Đại hội đại biểu Đảng bộ {province} nhiệm kỳ 2025 – 2030",
    "Quán triệt Nghị quyết số 72-NQ/TW của Bộ Chính trị về tăng cường bảo vệ, chăm sóc "
    "và nâng cao sức khỏe nhân dân",
    "Quán triệt Nghị quyết số 66-NQ/TW của Bộ Chính trị về đổi mới công tác xây dựng "
    "và thi hành pháp luật",
    "Quán triệt Nghị quyết số 59-NQ/TW của Bộ Chính trị về hội nhập quốc tế trong tình hình mới",
]
DOCUMENT_GIST = [
    "các đảng viên nắm vững mục tiêu, nhiệm vụ, liên hệ với việc thực hiện {here}",
    "chi ủy tóm tắt những nội dung cốt lõi, phân công đảng viên tuyên truyền đến các hộ "
    "được giao phụ trách",
    "đảng viên thảo luận, thống nhất những việc cụ thể làm ngay {here}",
]
SECURITY = [
    "Tình hình an ninh trật tự trên địa bàn {village} cơ bản ổn định, không xảy ra vụ việc "
    "phức tạp. Công an xã thông báo thủ đoạn lừa đảo qua điện thoại, mạng xã hội; đề nghị "
    "đảng viên nhắc bà con không cung cấp mã OTP, không chuyển tiền cho người lạ.",
    "Trong tháng xảy ra 01 vụ mất trộm gia cầm ở nhóm hộ cuối {village}, Công an xã đang "
    "xác minh; đề nghị các hộ quản lý chặt chẽ gia súc, gia cầm vào ban đêm.",
    "An ninh trật tự ổn định; không phát sinh người nghiện mới. Tổ an ninh trật tự cơ sở "
    "duy trì tuần tra vào ban đêm.",
    "Xảy ra 01 vụ va chạm giao thông nhỏ trên {road}, không có thiệt hại về người; nhắc "
    "nhở thanh niên không phóng nhanh, không sử dụng rượu bia khi điều khiển xe.",
    "Tình hình an ninh chính trị ổn định, không có hoạt động truyền đạo trái pháp luật; "
    "nhân dân yên tâm lao động sản xuất.",
    "Ổn định; ban hòa giải ở cơ sở đã hòa giải thành 01 vụ tranh chấp ranh giới đất vườn "
    "giữa hai hộ.",
]
# What a month's work is, as a verb phrase: "đảng viên và nhân dân đã <...>" in
# the assessment, "chi bộ lãnh đạo đảng viên và nhân dân <...>" in the resolution.
SEASON = {
    "son_la": {
        1: "thu hoạch cà phê, chăm sóc cây vụ đông, chuẩn bị đón Tết Nguyên đán",
        2: "đón Tết an toàn, tiết kiệm; ra quân sản xuất đầu xuân, trồng cây xanh",
        3: "làm đất, chuẩn bị giống ngô, sắn cho vụ mới; chăm sóc cây ăn quả",
        4: "gieo trồng ngô xuân hè; tuần tra phòng cháy, chữa cháy rừng",
        5: "thu hoạch mận hậu, chăm sóc ngô; khơi thông cống rãnh chuẩn bị mùa mưa",
        6: "thu hoạch xoài, chăm sóc ngô, lúa nương; gia cố chuồng trại phòng chống lũ",
        7: "thu hoạch nhãn, xoài; chủ động phòng chống lũ quét, sạt lở đất",
        8: "thu hoạch nhãn, chuẩn bị năm học mới cho con em; khắc phục sạt lở sau mưa",
        9: "đưa học sinh đến trường đầy đủ; chăm sóc lúa mùa, ngô thu đông",
        10: "thu hoạch lúa mùa, ngô; chuẩn bị thu hái cà phê",
        11: "thu hoạch cà phê, trồng cây vụ đông; tổ chức Ngày hội Đại đoàn kết toàn dân tộc "
        "ở khu dân cư",
        12: "thu hoạch cà phê, chăm sóc cây vụ đông; tổng kết công tác năm, kiểm điểm, đánh giá "
        "đảng viên",
    },
    "ha_tinh": {
        1: "gieo cấy lúa đông xuân đúng khung lịch thời vụ, chuẩn bị đón Tết Nguyên đán",
        2: "đón Tết an toàn, tiết kiệm; chăm sóc lúa đông xuân, trồng cây đầu xuân",
        3: "chăm sóc lúa đông xuân, phòng trừ sâu bệnh; ra quân vệ sinh môi trường",
        4: "chăm sóc lúa đông xuân; chỉnh trang vườn hộ theo tiêu chí nông thôn mới kiểu mẫu",
        5: "thu hoạch lúa đông xuân; chuẩn bị gieo cấy vụ hè thu",
        6: "gieo cấy lúa hè thu; chủ động phòng chống nắng nóng, hạn hán",
        7: "chăm sóc lúa hè thu; rà soát phương án phòng chống bão lũ",
        8: "thu hoạch lúa hè thu chạy lũ; chuẩn bị năm học mới cho con em",
        9: "đưa học sinh đến trường đầy đủ; gia cố nhà cửa, chủ động ứng phó mưa bão",
        10: "khắc phục hậu quả mưa lũ, vệ sinh môi trường, phòng dịch bệnh sau lũ",
        11: "sản xuất vụ đông; tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
        12: "chăm sóc cây vụ đông, chuẩn bị vụ đông xuân; kiểm điểm, đánh giá đảng viên cuối năm",
    },
}
UNIT_SEASON = "hoàn thành kế hoạch công tác chuyên môn; chấp hành tốt kỷ luật, kỷ cương hành chính"
UNIT_SECURITY = [
    "An ninh trật tự trong đơn vị ổn định; cán bộ, đảng viên chấp hành tốt quy định về bảo "
    "vệ bí mật nhà nước, an toàn thông tin trên mạng.",
    "Ổn định; đơn vị phối hợp Công an thị trấn tuyên truyền phòng chống lừa đảo qua mạng "
    "cho cán bộ, người lao động.",
]
UNIT_SOCIAL = [
    "Công đoàn thăm hỏi, động viên 02 đồng chí có người thân ốm đau",
    "Đơn vị thực hiện tốt quy chế dân chủ ở cơ sở, quy tắc ứng xử văn hóa công sở",
]
UNIT_SHORTCOMINGS = [
    "Một số đảng viên chưa chủ động nghiên cứu, vận dụng nghị quyết vào công tác chuyên môn",
    "Tỷ lệ đảng viên phát biểu ý kiến trong sinh hoạt chưa cao",
]
SOCIAL = [
    "100% trẻ em trong độ tuổi được tiêm chủng đầy đủ; các hộ thực hiện tốt hương ước, "
    "quy ước của {village}",
    "Mặt trận và các đoàn thể thăm hỏi, động viên 03 gia đình có người ốm đau, hoạn nạn",
    "Hội Phụ nữ duy trì mô hình tiết kiệm; Đoàn Thanh niên ra quân làm vệ sinh đường làng",
    "Đội văn nghệ của {village} duy trì luyện tập, tham gia giao lưu với các bản, thôn bạn",
    "Các gia đình chính sách, người có công được thăm hỏi, tặng quà đúng đối tượng",
]
SHORTCOMINGS = [
    "Một số đảng viên đi làm ăn xa nộp đảng phí còn chậm",
    "Việc vận động bà con tham gia bảo hiểm y tế còn chậm so với kế hoạch",
    "Vệ sinh môi trường ở một số hộ chưa bảo đảm, còn thả rông gia súc",
    "Tỷ lệ đảng viên phát biểu ý kiến trong sinh hoạt chưa cao",
    "Việc theo dõi, đôn đốc thực hiện nhiệm vụ được phân công có lúc chưa thường xuyên",
]
LATE_REASONS = [
    "Đi nương về muộn",
    "Đưa con đi khám bệnh về muộn",
    "Bận việc gia đình",
    "Đi họp ở xã về muộn",
]
TOWN_LATE_REASONS = ["Tan ca muộn", "Bận việc gia đình", "Đón con về muộn"]
ABSENT_REASONS = [
    "Ốm, đã báo chi ủy",
    "Đi viện chăm người nhà",
    "Gia đình có việc hiếu",
    "Đi dự đám cưới người thân ở xã bên",
    "Đi công tác",
]
AWAY_REASONS = [
    "Đi làm ăn xa",
    "Đi làm ăn xa, đã báo chi ủy",
    "Đi làm công nhân ở Bắc Ninh",
    "Đi làm ăn xa tại Bình Dương",
]
SPEECHES = {
    "common": [
        "Nhất trí với đánh giá của chi ủy. Đề nghị chi bộ phân công cụ thể hơn việc giúp đỡ "
        "các hộ nghèo, mỗi tháng báo cáo kết quả tại buổi sinh hoạt để theo dõi.",
        "Một số thanh niên trong {village} thường tụ tập uống rượu muộn, gây mất trật tự. Đề "
        "nghị Đoàn Thanh niên và tổ an ninh cơ sở nhắc nhở, phối hợp với gia đình quản lý "
        "con em.",
        "Giá phân bón tăng, nhiều hộ khó khăn về vốn. Đề nghị chi bộ kiến nghị Ngân hàng "
        "Chính sách xã hội xem xét cho các hộ vay vốn sản xuất.",
        "Việc thu nộp đảng phí của các đồng chí đi làm ăn xa còn chậm. Tôi đề nghị chi ủy "
        "lập nhóm Zalo của chi bộ để nhắc nhở và nhận đảng phí qua chuyển khoản.",
        "Một số đảng viên chưa gương mẫu vận động gia đình tham gia bảo hiểm y tế. Đề nghị "
        "mỗi đảng viên trước hết vận động người thân trong gia đình mình.",
        "Đề nghị chi bộ quan tâm công tác phát triển đảng viên trong đoàn viên thanh niên; "
        "hiện {village} có hai quần chúng ưu tú đã học lớp bồi dưỡng nhận thức về Đảng.",
        "Nhất trí với dự thảo nghị quyết. Tôi xin nhận giúp đỡ một hộ nghèo ở nhóm hộ gần nhà "
        "về giống và kỹ thuật chăm sóc.",
        "Việc cài đặt, sử dụng VNeID của người cao tuổi còn khó khăn. Đề nghị Đoàn Thanh niên "
        "hỗ trợ tại nhà văn hóa vào cuối tuần.",
        "Nhà văn hóa xuống cấp, mái tôn bị dột khi mưa to. Đề nghị chi bộ kiến nghị xã hỗ trợ "
        "kinh phí, bà con đóng góp ngày công sửa chữa.",
    ],
    "son_la": [
        "Vụ này nhiều hộ trồng cà phê, xoài được giá, thu nhập khá hơn năm trước. Đề nghị chi "
        "bộ vận động bà con chuyển diện tích ngô trên đất dốc sang trồng cây ăn quả theo hướng "
        "dẫn của xã.",
        "Mùa khô nguy cơ cháy rừng cao. Đề nghị chi bộ nhắc các hộ không đốt nương khi trời "
        "hanh, tổ bảo vệ rừng của {village} tăng cường tuần tra.",
        "Đề nghị chi bộ quan tâm giữ gìn bản sắc văn hóa dân tộc, duy trì đội văn nghệ của "
        "{village} để tham gia hội diễn của xã.",
        "Hệ thống nước sinh hoạt tự chảy hay bị tắc vào mùa khô. Đề nghị chi bộ kiến nghị xã "
        "kiểm tra, sửa chữa đường ống.",
        "Đường nội bản đoạn qua khe suối bị xói lở sau mưa, xe máy đi lại khó khăn. Đề nghị "
        "chi bộ chỉ đạo trưởng bản huy động ngày công tu sửa.",
    ],
    "ha_tinh": [
        "Đề nghị chi bộ chỉ đạo ra quân chỉnh trang hàng rào, đường ngõ, xây dựng khu dân cư "
        "nông thôn mới kiểu mẫu; đảng viên phải đi đầu.",
        "Mùa mưa bão sắp tới, đề nghị rà soát các hộ có nhà ở xuống cấp, người già neo đơn để "
        "có phương án di dời khi cần.",
        "Tình trạng khai thác cát trái phép trên {river} chưa chấm dứt hẳn. Đề nghị chi bộ tiếp "
        "tục kiến nghị cấp trên xử lý dứt điểm.",
        "Rác thải ở khu vực chợ và ven đường chưa được thu gom kịp thời. Đề nghị chi bộ kiến "
        "nghị tăng số lần thu gom trong tuần.",
    ],
    "unit": [
        "Nhất trí với báo cáo. Đề nghị chi bộ quan tâm bồi dưỡng chuyên môn cho đảng viên trẻ, "
        "phân công đảng viên có kinh nghiệm kèm cặp.",
        "Đề nghị chi bộ tiếp tục chỉ đạo thực hiện nghiêm giờ giấc làm việc, văn hóa công sở "
        "trong đơn vị.",
        "Đề nghị đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong công tác chuyên "
        "môn của đơn vị.",
    ],
}
CADRE_SPEECH = (
    "Ghi nhận các ý kiến, kiến nghị của đảng viên và nhân dân {village}; sẽ tổng hợp báo cáo "
    "Ban Thường vụ {committee} xem xét, trả lời. Đề nghị chi bộ tiếp tục đổi mới nội dung "
    "sinh hoạt, phân công nhiệm vụ cụ thể cho từng đảng viên."
)
HEARD = [
    "Bà con đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ sơ.",
    "Đảng viên đề nghị hỗ trợ giống cà phê tái canh cho các hộ có vườn già cỗi.",
    "Đề nghị sửa chữa hệ thống nước sinh hoạt tự chảy bị hư hỏng.",
    "Phản ánh lưới điện cuối bản yếu, điện áp thấp vào giờ cao điểm.",
    "Đề nghị hỗ trợ xi măng bê tông hóa đường nội bản theo chương trình nông thôn mới.",
    "Đề nghị lắp biển báo, gờ giảm tốc tại đoạn đường qua khu dân cư.",
]


@dataclass(frozen=True)
class Job:
    """A task a resolution can set, with what the next month says of it."""

    title: str
    done: str
    late: str = "Hoàn thành nhưng chậm so với thời hạn do bà con bận mùa vụ"
    months: tuple[int, ...] = ()  # months whose meeting may set it (empty: any)
    regions: tuple[str, ...] = ("son_la", "ha_tinh")
    due_quarter_end: bool = False


JOBS = [
    Job(
        "Mỗi đảng viên giúp đỡ một hộ nghèo, hộ cận nghèo về giống, kỹ thuật sản xuất",
        "Các đảng viên đã nhận giúp đỡ {n} hộ; hỗ trợ giống ngô, gà giống cho {k} hộ",
    ),
    Job(
        "Vận động nhân dân tu sửa đường nội bản, phát quang hai bên đường",
        "Huy động {n}0 ngày công, tu sửa xong {k} tuyến đường nội bản",
        "Hoàn thành chậm do mưa kéo dài, đất sạt xuống mặt đường",
        regions=("son_la",),
    ),
    Job(
        "Vận động nhân dân tu sửa đường thôn, khơi thông rãnh thoát nước",
        "Huy động {n}0 ngày công, nạo vét {k}00 m rãnh thoát nước",
        regions=("ha_tinh",),
    ),
    Job(
        "Hoàn thành thu nộp đảng phí quý {quarter}",
        "100% đảng viên đã nộp đảng phí quý {quarter}, nộp lên Đảng ủy đúng hạn",
        "Hoàn thành chậm do {k} đồng chí đi làm ăn xa chuyển khoản muộn",
        months=(2, 5, 8, 11),
        regions=("son_la", "ha_tinh", "unit"),
        due_quarter_end=True,
    ),
    Job(
        "Vận động 100% hộ gia đình tham gia bảo hiểm y tế năm {next_year}",
        "Đã có {n}0 hộ đăng ký tham gia bảo hiểm y tế, đạt 9{k}%",
        months=(10, 11, 12),
    ),
    Job(
        "Tuyên truyền nhân dân không đốt nương, phòng chống cháy rừng mùa khô",
        "Tuyên truyền đến 100% hộ; không xảy ra cháy rừng trong tháng",
        months=(12, 1, 2, 3),
        regions=("son_la",),
    ),
    Job(
        "Hướng dẫn người dân kích hoạt tài khoản định danh điện tử VNeID mức 2",
        "Đã hướng dẫn kích hoạt thêm {n}{k} tài khoản",
        "Hoàn thành chậm do nhiều người cao tuổi chưa có điện thoại thông minh",
    ),
    Job(
        "Vận động các hộ vệ sinh chuồng trại, tiêm phòng cho đàn gia súc, gia cầm",
        "Tiêm phòng đạt {n}{k}% tổng đàn; không có dịch bệnh",
    ),
    Job(
        "Vận động bà con thu hái cà phê đúng độ chín, không hái xanh",
        "Các hộ thu hái đúng độ chín, giá bán cao hơn năm trước",
        months=(10, 11, 12),
        regions=("son_la",),
    ),
    Job(
        "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
        "Ngày hội tổ chức chu đáo, {n}0 hộ tham gia, khen thưởng {k} gia đình tiêu biểu",
        months=(10,),
    ),
    Job(
        "Chuẩn bị kiểm điểm, đánh giá, xếp loại chất lượng đảng viên năm {year}",
        "100% đảng viên hoàn thành bản kiểm điểm, chi bộ đã đánh giá, xếp loại",
        months=(11,),
        regions=("son_la", "ha_tinh", "unit"),
    ),
    Job(
        "Rà soát, bồi dưỡng quần chúng ưu tú, giới thiệu cho Đảng xem xét kết nạp",
        "Đã giới thiệu {k} quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng",
        "Hoàn thành chậm, hồ sơ quần chúng bổ sung chưa kịp",
        regions=("son_la", "ha_tinh", "unit"),
    ),
    Job(
        "Vận động nhân dân khơi thông cống rãnh, phòng chống sạt lở mùa mưa",
        "Khơi thông {k} km cống rãnh, di dời tạm {k} hộ ở vùng nguy cơ sạt lở",
        months=(4, 5, 6, 7, 8),
    ),
    Job(
        "Tổ chức cho nhân dân đón Tết vui tươi, lành mạnh, an toàn, tiết kiệm",
        "Nhân dân đón Tết an toàn; thăm hỏi, tặng quà {n} hộ khó khăn",
        months=(12, 1),
        regions=("son_la", "ha_tinh", "unit"),
    ),
    Job(
        "Vận động các hộ chỉnh trang vườn, hàng rào theo tiêu chí khu dân cư nông thôn mới "
        "kiểu mẫu",
        "{n}{k} hộ đã chỉnh trang vườn, trồng hàng rào xanh",
        regions=("ha_tinh",),
    ),
    Job(
        "Rà soát các hộ có nhà ở xuống cấp, xây dựng phương án di dời khi có bão lũ",
        "Đã rà soát, lập danh sách {k} hộ cần di dời khi có bão lũ",
        months=(6, 7, 8, 9),
        regions=("ha_tinh",),
    ),
    Job(
        "Vận động học sinh trong độ tuổi đến trường đầy đủ, không để học sinh bỏ học",
        "100% học sinh trong độ tuổi đến trường",
        months=(7, 8),
    ),
    Job(
        "Tổ chức ra quân vệ sinh môi trường, thu gom rác thải khu dân cư",
        "Ra quân {k} đợt, thu gom rác thải toàn khu dân cư",
    ),
    Job(
        "Lãnh đạo đơn vị hoàn thành kế hoạch công tác chuyên môn tháng {next_month}",
        "Đơn vị hoàn thành kế hoạch công tác chuyên môn tháng {next_month}",
        regions=("unit",),
    ),
    Job(
        "Tổ chức cho đảng viên học tập chuyên đề năm {year} về học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh",
        "100% đảng viên tham gia học tập, viết bản đăng ký làm theo",
        regions=("unit",),
    ),
]
DROPPED_NOTE = "Chi bộ thống nhất không tiếp tục, lồng ghép vào nhiệm vụ tháng sau"


@dataclass(frozen=True)
class Theme:
    topic: str
    body: str  # the report presented
    local: str  # how it applies here
    conclusion: str
    regions: tuple[str, ...] = ("son_la", "ha_tinh")
    reporter: str = ""  # a guest presents it: "police"


THEMES = [
    Theme(
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về nêu gương của "
        "đảng viên ở khu dân cư",
        "những nội dung cơ bản của tư tưởng Hồ Chí Minh về đạo đức cách mạng, trách nhiệm "
        "nêu gương của người đảng viên nơi cư trú, các tấm gương điển hình trong xã",
        "đa số đảng viên gương mẫu trong lao động sản xuất, tham gia các phong trào của "
        "{village}; một số đồng chí chưa thường xuyên gần gũi, nắm tình hình các hộ được "
        "phân công phụ trách",
        "mỗi đảng viên đăng ký ít nhất một việc làm cụ thể để làm theo Bác, gắn với giúp "
        "đỡ hộ nghèo và giữ gìn vệ sinh môi trường; chi ủy theo dõi, đánh giá hằng quý",
    ),
    Theme(
        "Chuyển đổi số trong thôn bản: hướng dẫn người dân sử dụng VNeID và dịch vụ công "
        "trực tuyến",
        "lợi ích của định danh điện tử, cách kích hoạt tài khoản VNeID mức 2, nộp hồ sơ "
        "dịch vụ công trực tuyến và thanh toán không dùng tiền mặt",
        "{village} còn nhiều người cao tuổi chưa có điện thoại thông minh, sóng điện thoại "
        "ở nhóm hộ cuối còn yếu",
        "thành lập tổ công nghệ số cộng đồng do Đoàn Thanh niên làm nòng cốt; mỗi đảng "
        "viên hướng dẫn ít nhất ba hộ sử dụng dịch vụ công trực tuyến",
    ),
    Theme(
        "Phòng chống ma túy và tệ nạn xã hội trong thanh thiếu niên",
        "tình hình tội phạm ma túy trên địa bàn, thủ đoạn lôi kéo thanh thiếu niên sử dụng "
        "ma túy tổng hợp, trách nhiệm của gia đình và khu dân cư",
        "{village} không có người nghiện mới, nhưng đã có đối tượng lạ vào rủ rê thanh niên; "
        "một số gia đình chưa quan tâm quản lý con em",
        "mỗi đảng viên nắm chắc tình hình thanh niên ở các hộ phụ trách, phát hiện và báo "
        "ngay cho Công an xã khi có người lạ, biểu hiện nghi vấn",
        reporter="police",
    ),
    Theme(
        "Phòng cháy, chữa cháy rừng và bảo vệ rừng đầu nguồn",
        "quy định về bảo vệ và phát triển rừng, phương án phòng cháy chữa cháy rừng mùa khô, "
        "chính sách chi trả dịch vụ môi trường rừng",
        "{village} được giao bảo vệ rừng phòng hộ đầu nguồn; còn hộ đốt nương gần rừng khi "
        "trời hanh khô",
        "duy trì tổ bảo vệ rừng trực trong mùa khô; đảng viên vận động các hộ ký cam kết "
        "không đốt nương trái phép",
        regions=("son_la",),
    ),
    Theme(
        "Giữ gìn và phát huy bản sắc văn hóa dân tộc trong xây dựng nông thôn mới",
        "chủ trương của Đảng về xây dựng và phát triển văn hóa, con người Việt Nam; giữ gìn "
        "tiếng nói, trang phục, lễ hội truyền thống",
        "{village} duy trì đội văn nghệ và lớp dạy chữ dân tộc cho thiếu nhi; một số hủ tục "
        "trong việc cưới, việc tang đã được bà con tự nguyện bỏ",
        "duy trì đội văn nghệ, xây dựng quy ước về việc cưới, việc tang văn minh, tiết kiệm",
        regions=("son_la",),
    ),
    Theme(
        "Xây dựng khu dân cư nông thôn mới kiểu mẫu",
        "bộ tiêu chí khu dân cư nông thôn mới kiểu mẫu của tỉnh, kinh nghiệm của các thôn "
        "đã đạt chuẩn trong huyện",
        "{village} đã đạt phần lớn tiêu chí; còn tiêu chí vườn mẫu, hàng rào xanh và thu gom "
        "rác thải chưa đạt",
        "phấn đấu đạt chuẩn khu dân cư nông thôn mới kiểu mẫu trong năm; đảng viên đi đầu "
        "chỉnh trang vườn hộ, hàng rào",
        regions=("ha_tinh",),
    ),
    Theme(
        "Phòng chống thiên tai, chủ động ứng phó bão lũ",
        "phương châm bốn tại chỗ, kế hoạch phòng chống thiên tai của xã, kinh nghiệm ứng phó "
        "các trận lũ năm trước",
        "{village} có khu vực trũng thường bị ngập, một số hộ người già neo đơn cần hỗ trợ di dời",
        "rà soát, cập nhật danh sách hộ cần di dời; chuẩn bị lương thực, thuốc men, phương "
        "tiện tại chỗ trước mùa mưa bão",
        regions=("ha_tinh",),
    ),
    Theme(
        "Phòng chống lừa đảo chiếm đoạt tài sản trên không gian mạng",
        "các thủ đoạn lừa đảo qua điện thoại, mạng xã hội, giả danh cơ quan nhà nước; cách "
        "nhận biết và xử lý",
        "trong năm ở {village} có hai trường hợp suýt bị lừa chuyển tiền, được người thân "
        "phát hiện kịp thời",
        "mỗi đảng viên tuyên truyền đến các hộ phụ trách, nhắc bà con không cung cấp mã OTP, "
        "không chuyển tiền khi chưa xác minh",
        reporter="police",
    ),
]
POLICE_GUESTS = {
    "son_la": ("Quàng Văn Tuấn", "Cán bộ Công an {commune}"),
    "ha_tinh": ("Nguyễn Văn Phú", "Cán bộ Công an {commune}"),
}
ROADS = {
    "xa-co-noi": "quốc lộ 6",
    "xa-muong-chanh": "đường liên bản",
    "xa-duc-lam": "đường liên xã",
    HUONG_KHE_TOWN: "quốc lộ 15",
}
RIVERS = {"xa-duc-lam": "sông La", HUONG_KHE_TOWN: "sông Ngàn Sâu"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Monthly party fees (đồng) of village members; town and agency members pay more.
FEES = {"village": [5_000, 10_000, 10_000, 15_000, 20_000, 30_000], "town": [30_000, 50_000]}


# The plan of each meeting ---------------------------------------------------------


@dataclass
class Plan:
    """What happened at one meeting, decided before any of it is written."""

    outcome: str  # final | draft | held (no minutes yet) | planned | postponed | cancelled
    reason: str = ""
    moved_days: int | None = None  # postponed, then held so many days later
    visits: list = field(default_factory=list)  # cadre Members who attended
    away: dict = field(default_factory=dict)  # member id -> reason: at another cell tonight
    light: bool = False  # a town cell: shorter minutes


@dataclass
class Place:
    """How the minutes name the cell's surroundings."""

    village: str  # "bản Lếch", "tổ dân phố 3", "Trường THCS thị trấn Hương Khê"
    commune: str  # "xã Cò Nòi"
    province: str  # "tỉnh Sơn La"
    region: str  # son_la | ha_tinh | unit
    road: str
    river: str
    fees: list
    people: str = "Đảng viên và nhân dân"
    town: bool = False

    @property
    def here(self) -> str:
        return "trong đơn vị" if self.region == "unit" else f"ở {self.village}"

    def fill(self, text: str, **more) -> str:
        return text.format(
            village=self.village,
            commune=self.commune,
            province=self.province,
            road=self.road,
            river=self.river,
            here=self.here,
            **more,
        )


@dataclass
class Context:
    demo: Demo
    holidays: set
    by_cell: dict  # cell code -> the user who writes its records (or None)
    cadre_users: dict  # cadre member id -> user
    last_resolution: dict = field(default_factory=dict)  # cell id -> period of last final minutes

    @property
    def today(self) -> datetime.date:
        return self.demo.today


def build(demo: Demo) -> None:
    today = demo.today
    first = calendar.add_months(calendar.first_of_month(today), -(MONTHS - 1))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["secretary"])}
    cadre_users = {
        m.pk: m.user
        for m in Member.objects.filter(user__isnull=False).select_related("user")
        if m.user.username == "cadre"
    }
    ctx = Context(
        demo=demo,
        holidays=holidays_between(first, calendar.add_months(today, 3)),
        by_cell={DRAFT_CELL: users.get("secretary")},
        cadre_users=cadre_users,
    )
    visits, away = _visit_plan(ctx)
    for index, code in enumerate(CELLS):
        _cell_year(ctx, demo.org(code), index, visits, away)
    _missed_visits(ctx)
    town = demo.org(HUONG_KHE_TOWN)
    cells = Organization.objects.get_children(town).cells().active(today).order_by("code")
    for cell in cells:
        _town_months(ctx, cell)


def _period(ctx: Context, back: int) -> datetime.date:
    return calendar.add_months(calendar.first_of_month(ctx.today), -back)


def _visit_plan(ctx: Context) -> tuple[dict, dict]:
    """Who visits which meeting, and who is therefore away from their own
    cell's meeting that evening (Mai Sơn's cells all meet on the 24th)."""
    visits: dict[tuple, list] = {}
    away: dict[tuple, dict] = {}
    cells = {code: ctx.demo.org(code) for code in CELLS}
    for tag, code, back in VISITS:
        cadre = ctx.demo.member(tag)
        period = _period(ctx, back)
        cell = cells[code]
        visits.setdefault((cell.pk, period), []).append(cadre)
        home = cadre.cell
        if home.pk != cell.pk and home.is_cell:
            there = regular_meeting_at(cell, period, ctx.holidays)
            if regular_meeting_at(home, period, ctx.holidays) == there:
                reason = f"Dự sinh hoạt với {cell.name} theo phân công của cấp ủy"
                away.setdefault((home.pk, period), {})[cadre.pk] = reason
    return visits, away


# The named cells: a year -------------------------------------------------------------


def _cell_year(ctx: Context, cell: Organization, index: int, visits: dict, away: dict) -> None:
    place = _place(cell)
    postponed = {(c, b): (r, d) for c, b, r, d in POSTPONED}
    cancelled = {(c, b): r for c, b, r in CANCELLED}
    draft_back = _draft_back(ctx, cell) if cell.code == DRAFT_CELL else None
    thematic = _thematic_plan(ctx, cell, index, cancelled)
    events = []
    for back in range(MONTHS - 1, -2, -1):  # next month too, planned
        period = _period(ctx, back)
        topic = thematic.get(period, "") if cell.code in THEMATIC_PART_CELLS else ""
        meeting, new = _regular(ctx, cell, period, topic)
        day = timezone.localdate(meeting.scheduled_at)
        plan = Plan(outcome="final")
        if (cell.code, back) in cancelled:
            plan = Plan(outcome="cancelled", reason=cancelled[cell.code, back])
        elif (cell.code, back) in postponed:
            reason, moved = postponed[cell.code, back]
            plan = Plan(outcome="postponed", reason=reason, moved_days=moved)
        elif day >= ctx.today:
            plan = Plan(outcome="planned")
        elif back == draft_back:
            plan.outcome = "draft"
        elif (cell.code, back) in HELD_WITHOUT_MINUTES:
            plan.outcome = "held"
        if plan.outcome in ("final", "draft", "held", "postponed"):
            plan.visits = visits.get((cell.pk, period), [])
            plan.away = away.get((cell.pk, period), {})
        events.append((meeting.scheduled_at, meeting, plan, new, place))
    if cell.code not in THEMATIC_PART_CELLS:
        for period, topic in thematic.items():
            events.append(_thematic_meeting(ctx, cell, period, topic, place))
    for _at, meeting, plan, new, place in sorted(events, key=lambda e: e[0]):
        _play(ctx, meeting, plan, new, place)


def _draft_back(ctx: Context, cell: Organization) -> int:
    """This month's meeting when it has taken place, else last month's."""
    this_month = regular_meeting_at(cell, _period(ctx, 0), ctx.holidays)
    return 0 if timezone.localdate(this_month) < ctx.today else 1


def _regular(ctx: Context, cell, period, topic: str) -> tuple[Meeting, bool]:
    meeting = Meeting.objects.filter(cell=cell, kind=MeetingKind.REGULAR, period=period).first()
    if meeting is not None:
        return meeting, False
    # The planning service's calendar rule (holidays move the day); created
    # one by one rather than by plan_month, which plans every cell at once.
    meeting = Meeting.objects.create(
        cell=cell,
        kind=MeetingKind.REGULAR,
        period=period,
        scheduled_at=regular_meeting_at(cell, period, ctx.holidays),
        place=cell.meeting_place,
        topic=topic,
        has_thematic_part=bool(topic),
    )
    ctx.demo.created["meetings"] += 1
    return meeting, True


def _thematic_plan(ctx: Context, cell: Organization, index: int, cancelled: dict) -> dict:
    """Month -> topic: one thematic meeting per quarter of the year shown,
    none this quarter in NO_THEMATIC_THIS_QUARTER."""
    region = _place(cell).region
    themes = [t for t in THEMES if region in t.regions]
    quarters: dict[tuple, list] = {}
    for back in range(MONTHS - 1, -1, -1):
        period = _period(ctx, back)
        if (cell.code, back) not in cancelled:
            quarters.setdefault(calendar.quarter_of(period), []).append(period)
    plan = {}
    current = calendar.quarter_of(ctx.today)
    for number, (quarter, months) in enumerate(sorted(quarters.items())):
        if quarter == current and cell.code == NO_THEMATIC_THIS_QUARTER:
            continue
        period = months[(index + number) % len(months)]
        plan[period] = themes[(index + 2 * number) % len(themes)].topic
    return plan


def _thematic_meeting(ctx: Context, cell, period, topic: str, place: Place) -> tuple:
    day = calendar.meeting_day(period, day=THEMATIC_DAY, holidays=ctx.holidays)
    at = timezone.make_aware(datetime.datetime.combine(day, cell.meeting_time))
    meeting = Meeting.objects.filter(
        cell=cell,
        kind=MeetingKind.THEMATIC,
        scheduled_at__gte=local_midnight(day),
        scheduled_at__lt=local_midnight(day + datetime.timedelta(days=1)),
    ).first()
    new = meeting is None
    if new:
        meeting = create_meeting(
            cell=cell, kind=MeetingKind.THEMATIC, scheduled_at=at, topic=topic, by=None
        )
        ctx.demo.created["meetings"] += 1
    plan = Plan(outcome="final" if day < ctx.today else "planned")
    return (meeting.scheduled_at, meeting, plan, new, place)


def _play(ctx: Context, meeting: Meeting, plan: Plan, new: bool, place: Place) -> None:
    """Walk one meeting through its story, through the services."""
    if not new:
        # Complete only a meeting nobody has recorded anything for (the
        # feedback step, or an older run of this one, made it).
        untouched = (
            meeting.state in (MeetingState.PLANNED, MeetingState.HELD)
            and not meeting.minutes.exists()
            and not meeting.attendances.exists()
        )
        if not untouched or plan.outcome not in ("final", "draft", "held"):
            return
    if plan.outcome == "planned":
        return
    if plan.outcome == "cancelled":
        cancel_meeting(meeting=meeting, reason=plan.reason, by=None)
        return
    if plan.outcome == "postponed":
        meeting = postpone_meeting(meeting=meeting, reason=plan.reason, by=None)
        if plan.moved_days is None:
            return
        moved = meeting.scheduled_at + datetime.timedelta(days=plan.moved_days)
        if timezone.localdate(moved) >= ctx.today:
            return
        meeting = move_meeting(
            meeting=meeting,
            scheduled_at=moved,
            reason=f"Tổ chức lại sau khi hoãn: {plan.reason[0].lower()}{plan.reason[1:]}",
            by=None,
        )
        plan.outcome = "final"
    by = ctx.by_cell.get(meeting.cell.code)
    # Seeded by what the meeting is, not by its id: the same story on any database.
    day = timezone.localdate(meeting.scheduled_at)
    rng = random.Random(f"chibo-demo-meeting:{meeting.cell.code}:{meeting.kind}:{day}")
    sheet, statuses = _take_attendance(ctx, meeting, plan, place, rng, by)
    if plan.outcome == "held":
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
        return
    minutes = start_minutes(meeting=meeting, by=by)
    writer = Writer(ctx, meeting, minutes, sheet, statuses, plan, place, rng)
    content, speeches, tasks, assessments = writer.write(final=plan.outcome == "final")
    minutes = save_minutes(
        minutes=minutes,
        version=minutes.version,
        content=content,
        speeches=speeches,
        tasks=tasks,
        assessments=assessments,
        by=by,
    )
    ctx.demo.created["resolution tasks"] += len(tasks)
    if plan.outcome == "final":
        finalize_minutes(minutes=minutes, by=by)
        # The demo is built in one transaction: archive now rather than on commit.
        archive_minutes_pdf(minutes_id=minutes.pk)
        ctx.demo.created["final minutes"] += 1
        if meeting.kind == MeetingKind.REGULAR:
            ctx.last_resolution[meeting.cell_id] = meeting.period
    else:
        ctx.demo.created["draft minutes"] += 1


# Attendance and visits -----------------------------------------------------------------


def _take_attendance(ctx, meeting: Meeting, plan: Plan, place: Place, rng, by):
    """Most present, a few late, members away for work absent with reason,
    exempted members exempt; at least more than half of the official,
    non-exempted members there to vote."""
    sheet = attendance_sheet(meeting)
    on = sheet.on
    secretary = _position_holder(meeting.cell_id, on, PositionKind.SECRETARY)
    month = meeting.period.month
    statuses: dict[int, tuple[str, str]] = {}
    for row in sorted(sheet.members, key=lambda r: (r.member.search_name, r.member.birth_date)):
        member = row.member
        roll = rng.random()
        if member.pk in plan.away:
            statuses[member.pk] = (AttendanceStatus.ABSENT_EXCUSED, plan.away[member.pk])
        elif row.is_exempt:
            # Exempted members are not expected; now and then one still comes.
            if roll < 0.04:
                statuses[member.pk] = (AttendanceStatus.PRESENT, "")
            else:
                statuses[member.pk] = (AttendanceStatus.EXEMPT, member.exempt_reason)
        elif member.pk == secretary:
            statuses[member.pk] = (AttendanceStatus.PRESENT, "")
        elif member.is_away_for_work:
            home_for_tet = month in (1, 2) and roll < 0.7
            statuses[member.pk] = (
                (AttendanceStatus.PRESENT, "")
                if home_for_tet
                else (AttendanceStatus.ABSENT_EXCUSED, rng.choice(AWAY_REASONS))
            )
        elif roll < 0.84:
            statuses[member.pk] = (AttendanceStatus.PRESENT, "")
        elif roll < 0.91:
            reasons = TOWN_LATE_REASONS if place.town else LATE_REASONS
            statuses[member.pk] = (AttendanceStatus.LATE, rng.choice(reasons))
        elif roll < 0.985:
            statuses[member.pk] = (AttendanceStatus.ABSENT_EXCUSED, rng.choice(ABSENT_REASONS))
        else:
            statuses[member.pk] = (AttendanceStatus.ABSENT_UNEXCUSED, "")
    _ensure_majority(sheet, statuses, plan)
    save_attendance(
        meeting=meeting,
        members=[Entry(pk, status, reason) for pk, (status, reason) in statuses.items()],
        cadres={cadre.pk: True for cadre in plan.visits},
        guests=_guests(meeting, place),
        by=by,
    )
    for cadre in plan.visits:
        record_visit(
            meeting=meeting,
            cadre=cadre,
            attended=True,
            reported=_reported(cadre, meeting),
            heard=rng.choice(HEARD),
            by=ctx.cadre_users.get(cadre.pk),
        )
        ctx.demo.created["cadre visits"] += 1
    return sheet, statuses


def _figures(sheet, statuses: dict) -> rules.RollCount:
    """The roll's figures with the statuses about to be recorded (rules.count_roll)."""
    rows = [
        SimpleNamespace(
            is_official=r.is_official, is_exempt=r.is_exempt, status=statuses[r.member.pk][0]
        )
        for r in sheet.members
    ]
    return rules.count_roll(rows)


def _ensure_majority(sheet, statuses: dict, plan: Plan) -> None:
    for row in sheet.members:
        figures = _figures(sheet, statuses)
        # One over the bare majority, so that an abstention still lets it pass.
        if 2 * figures.voters_present > figures.voting_base + 1:
            return
        status = statuses[row.member.pk][0]
        if (
            row.is_official
            and not row.is_exempt
            and not rules.is_attending(status)
            and row.member.pk not in plan.away
        ):
            statuses[row.member.pk] = (AttendanceStatus.PRESENT, "")


def _guests(meeting: Meeting, place: Place) -> list[tuple[str, str]]:
    theme = _theme(meeting.topic)
    if theme is None or theme.reporter != "police":
        return []
    name, title = POLICE_GUESTS["son_la" if place.region == "son_la" else "ha_tinh"]
    return [(name, place.fill(title))]


def _theme(topic: str) -> "Theme | None":
    return next((t for t in THEMES if t.topic == topic), None) if topic else None


def _seat(cadre: Member, on: datetime.date) -> tuple[str, str]:
    """The cadre's title on that date and the place their committee answers for."""
    seat = (
        CommitteeSeat.objects.current(on)
        .filter(member=cadre, kind__in=list(SEAT_TITLES))
        .select_related("organization")
        .order_by("-kind", "-organization__depth")
        .first()
    )
    if seat is None:
        return "", ""
    name = seat.organization.name_on(on)
    committee = committee_name(name)
    return f"{SEAT_TITLES[seat.kind]} {committee}", name.removeprefix("Đảng bộ ")


def _reported(cadre: Member, meeting: Meeting) -> str:
    on = timezone.localdate(meeting.scheduled_at)
    _title, area = _seat(cadre, on)
    month = f"{meeting.period:%m/%Y}"
    following = f"{calendar.add_months(meeting.period, 1):%m/%Y}"
    return (
        f"Thông báo kết quả phát triển kinh tế - xã hội tháng {month} của {area}, nhiệm vụ "
        f"trọng tâm tháng {following}; thông tin thời sự nổi bật theo Bản tin sinh hoạt "
        "chi bộ; định hướng chi bộ lãnh đạo giảm nghèo, chuyển đổi cơ cấu cây trồng, vật nuôi."
    )


def _missed_visits(ctx: Context) -> None:
    """The demo cadre records that she did not attend the older meetings of
    her cells she missed; recent ones wait on her page."""
    for cadre_id, user in ctx.cadre_users.items():
        cadre = Member.objects.get(pk=cadre_id)
        cutoff = local_midnight(ctx.today - datetime.timedelta(days=MISSED_RECORDED_AFTER_DAYS))
        start = local_midnight(_period(ctx, MONTHS - 1))
        cells = cadre.assignments.values_list("cell_id", flat=True)
        missed = (
            Meeting.objects.filter(
                cell_id__in=cells,
                state=MeetingState.HELD,
                scheduled_at__gte=start,
                scheduled_at__lt=cutoff,
            )
            .exclude(cadre_visits__cadre=cadre)
            .order_by("scheduled_at")
        )
        for meeting in missed:
            record_visit(
                meeting=meeting, cadre=cadre, attended=False, reported="", heard="", by=user
            )


# Hương Khê town: light ----------------------------------------------------------------


def _town_months(ctx: Context, cell: Organization) -> None:
    place = _place(cell)
    for back in range(TOWN_MONTHS - 1, -1, -1):
        period = _period(ctx, back)
        meeting, new = _regular(ctx, cell, period, "")
        if timezone.localdate(meeting.scheduled_at) >= ctx.today:
            continue
        written = random.Random(f"chibo-demo-town:{cell.code}:{period}").random()
        outcome = "final" if written < TOWN_MINUTES_SHARE[back] else "held"
        _play(ctx, meeting, Plan(outcome=outcome, light=True), new, place)


# Writing the minutes -----------------------------------------------------------------


class Writer:
    """The minutes of one meeting in the order of a regular meeting (or of
    a thematic one), from its attendance and the cell's open tasks."""

    def __init__(self, ctx, meeting, minutes, sheet, statuses, plan, place, rng):
        self.ctx, self.meeting, self.minutes, self.sheet = ctx, meeting, minutes, sheet
        self.statuses, self.plan, self.place, self.rng = statuses, plan, place, rng
        self.on = sheet.on
        self.rows = {r.member.pk: r for r in sheet.members}
        attending = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
        self.present = [pk for pk, (s, _r) in statuses.items() if s in attending]
        self.names = {pk: r.member.full_name for pk, r in self.rows.items()}
        self.chair = minutes.chair_id or _position_holder(
            meeting.cell_id, self.on, PositionKind.SECRETARY
        )
        self.taker = self._minute_taker()
        self.theme = _theme(meeting.topic)

    def _minute_taker(self) -> int:
        for kind in (PositionKind.DEPUTY, PositionKind.COMMITTEE):
            holder = _position_holder(self.meeting.cell_id, self.on, kind)
            if holder in self.present and holder != self.chair:
                return holder
        officials = [pk for pk in self.present if pk != self.chair and self.rows[pk].is_official]
        return self.rng.choice(officials)

    # --- the whole ---

    def write(self, *, final: bool):
        if self.meeting.kind == MeetingKind.THEMATIC:
            return self._thematic()
        shortest, longest = (125, 165) if self.meeting.has_thematic_part else (95, 150)
        started = self.meeting.scheduled_at + datetime.timedelta(minutes=self.rng.randint(0, 10))
        ended = started + datetime.timedelta(minutes=self.rng.randint(shortest, longest))
        assessments = self._assessments()
        tasks = self._tasks() if final else self._tasks()[:1]
        content = {
            "chair_id": self.chair,
            "minute_taker_id": self.taker,
            "started_at": started,
            "party_fee_status": self._fees(),
            "programme": self._programme(),
            "news": self._news(),
            "assessment": self._assessment(assessments),
            "criticism": self._criticism() if final else "",
        }
        speeches = self._speeches()
        if final:
            content.update(
                ended_at=ended,
                summary=self._summary(),
                resolution=self._resolution(),
                read_back_adopted=True,
                **self._vote(),
            )
        else:
            speeches = speeches[: max(1, len(speeches) - 1)]
            assessments = assessments[: (len(assessments) + 1) // 2]
        return content, speeches, tasks, assessments

    def _vote(self) -> dict:
        """Official members present vote; more than half of the official,
        non-exempted members must be for. An abstention now and then, never
        one that would sink the resolution."""
        figures = _figures(self.sheet, self.statuses)
        voters, base = figures.voters_present, figures.voting_base
        abstain = 1 if 2 * (voters - 1) > base and self.rng.random() < 0.2 else 0
        return {"votes_for": voters - abstain, "votes_against": 0, "votes_abstain": abstain}

    def _pick(self, village: list, unit: list) -> str:
        """One line of the pool that fits the cell: a village's or a unit's."""
        pool = unit if self.place.region == "unit" else village
        return self.place.fill(self.rng.choice(pool))

    # --- opening ---

    def _fees(self) -> str:
        members = list(self.sheet.members)
        unpaid = [
            r
            for r in members
            if self.statuses[r.member.pk][0] == AttendanceStatus.ABSENT_EXCUSED
            and r.member.is_away_for_work
        ]
        paid = [r for r in members if r not in unpaid]
        total = sum(self._fee(r.member) for r in paid)
        text = (
            f"Thu đảng phí tháng {self.meeting.period:%m/%Y}: {len(paid)}/{len(members)} đồng "
            f"chí đã nộp, tổng số {_money(total)}."
        )
        if unpaid:
            text += (
                f" {len(unpaid)} đồng chí đi làm ăn xa chưa nộp, chi ủy liên hệ để thu bù vào "
                "tháng sau."
            )
        return text

    def _fee(self, member: Member) -> int:
        rng = random.Random(f"chibo-demo-fee:{member.full_name}:{member.birth_date}")
        return rng.choice(self.place.fees)

    def _programme(self) -> str:
        previous = self._previous_resolution()
        following = calendar.add_months(self.meeting.period, 1)
        parts = [
            "thông tin thời sự, quán triệt văn bản mới",
            f"đánh giá kết quả thực hiện nghị quyết tháng {previous:%m/%Y}",
            "thảo luận, tự phê bình và phê bình",
            f"thông qua nghị quyết tháng {following:%m/%Y}",
        ]
        if self.meeting.has_thematic_part:
            parts.append(f"sinh hoạt chuyên đề “{self.meeting.topic}”")
        return "Chi bộ biểu quyết thông qua chương trình sinh hoạt: " + "; ".join(parts) + "."

    def _previous_resolution(self) -> datetime.date:
        return self.ctx.last_resolution.get(
            self.meeting.cell_id, calendar.add_months(self.meeting.period, -1)
        )

    # --- proceedings ---

    def _news(self) -> str:
        # Each month the next document, each cell starting elsewhere in the list.
        index = self.meeting.period.year * 12 + self.meeting.period.month
        index += zlib.crc32(self.meeting.cell.code.encode())
        document = self.place.fill(DOCUMENTS[index % len(DOCUMENTS)])
        gist = self.place.fill(self.rng.choice(DOCUMENT_GIST))
        lines = [
            "1. Thông tin thời sự trong nước, quốc tế nổi bật trong tháng theo Bản tin sinh "
            "hoạt chi bộ.",
            f"2. {document}: {gist}.",
            f"3. Tình hình an ninh trật tự: {self._pick(SECURITY, UNIT_SECURITY)}",
        ]
        for cadre in self.plan.visits:
            title, _area = _seat(cadre, self.on)
            lines.append(
                f"{len(lines) + 1}. Đồng chí {cadre.full_name}, {title}, dự sinh hoạt: "
                f"{_reported(cadre, self.meeting)}"
            )
        if self.meeting.has_thematic_part and self.theme:
            lines.append(
                f"{len(lines) + 1}. Sinh hoạt chuyên đề “{self.theme.topic}”: đồng chí "
                f"{self.names[self.chair]} trình bày {self.theme.body}. Liên hệ thực tế: "
                f"{self.place.fill(self.theme.local)}."
            )
        return "\n".join(lines)

    def _assessment(self, assessments: list[Assessment]) -> str:
        previous = self._previous_resolution()
        if self.place.region == "unit":
            economy = UNIT_SEASON
        else:
            economy = SEASON[self.place.region][previous.month]
        counts = {s: sum(1 for a in assessments if a.status == s) for s in TaskStatus.values}
        assessed = len(assessments) - counts[TaskStatus.OPEN]
        tasks_line = "Về xây dựng Đảng: chi bộ duy trì sinh hoạt đúng định kỳ"
        if assessed:
            tasks_line += (
                f"; {assessed} nhiệm vụ đến hạn, hoàn thành {counts[TaskStatus.DONE]}, "
                f"hoàn thành chậm {counts[TaskStatus.LATE]}"
            )
            if counts[TaskStatus.DROPPED]:
                tasks_line += f", không tiếp tục {counts[TaskStatus.DROPPED]}"
        if counts[TaskStatus.OPEN]:
            tasks_line += f"; {counts[TaskStatus.OPEN]} nhiệm vụ tiếp tục thực hiện"
        return "\n".join(
            [
                f"Kết quả thực hiện nghị quyết tháng {previous:%m/%Y}:",
                f"- Về nhiệm vụ chính trị: {_sentence(f'{self.place.people} đã {economy}')}",
                f"- Về văn hóa - xã hội: {_sentence(self._pick(SOCIAL, UNIT_SOCIAL))}",
                f"- {tasks_line}.",
                f"Tồn tại: {_sentence(self._pick(SHORTCOMINGS, UNIT_SHORTCOMINGS))}",
            ]
        )

    def _speakers(self, count: int) -> list[int]:
        others = [pk for pk in self.present if pk not in (self.chair, self.taker)]
        return self.rng.sample(others, min(count, len(others)))

    def _speeches(self) -> list[SpeechData]:
        pool = SPEECHES["common"] + SPEECHES[self.place.region]
        if self.place.region == "unit":
            pool = SPEECHES["unit"] + SPEECHES["common"][3:4]
        count = 2 if self.plan.light else self.rng.randint(2, 4)
        texts = self.rng.sample(pool, min(count, len(pool)))
        speeches = [
            SpeechData(text=self.place.fill(text), member_id=pk)
            for pk, text in zip(self._speakers(count), texts, strict=False)
        ]
        for cadre in self.plan.visits:
            # By name: the editor's speaker list holds the cell's members only.
            title, _area = _seat(cadre, self.on)
            committee = title.removeprefix("Ủy viên Ban Thường vụ ").removeprefix(
                "Ủy viên Ban Chấp hành "
            )
            text = self.place.fill(CADRE_SPEECH, committee=committee or "cấp ủy cấp trên")
            name = f"Đồng chí {cadre.full_name}, {title}" if title else cadre.full_name
            speeches.append(SpeechData(text=text, speaker_name=name))
        return speeches

    def _criticism(self) -> str:
        lines = [
            "Các đồng chí đảng viên thẳng thắn tự phê bình và phê bình, liên hệ việc thực "
            "hiện nhiệm vụ được phân công trong tháng."
        ]
        unexcused = [pk for pk, (s, _r) in self.statuses.items() if s == "absent_unexcused"]
        late = [pk for pk, (s, _r) in self.statuses.items() if s == AttendanceStatus.LATE]
        if unexcused:
            who = ", ".join(self.names[pk] for pk in unexcused)
            lines.append(
                f"Đồng chí {who} vắng sinh hoạt không có lý do; chi bộ nhắc nhở, đề nghị "
                "nghiêm túc rút kinh nghiệm."
            )
        if late:
            lines.append(
                f"Đồng chí {self.names[late[0]]} đến muộn, đã nhận khuyết điểm trước chi bộ."
            )
        lines.append(
            "Trong tháng không có đảng viên vi phạm tư cách, vi phạm những điều đảng viên "
            "không được làm."
        )
        return "\n".join(lines)

    # --- closing ---

    def _focus(self) -> str:
        following = calendar.add_months(self.meeting.period, 1)
        if self.place.region == "unit":
            return UNIT_SEASON
        return SEASON[self.place.region][following.month]

    def _summary(self) -> str:
        heard = " và ý kiến của đồng chí cấp ủy viên dự sinh hoạt" if self.plan.visits else ""
        return (
            f"Đồng chí {self.names[self.chair]} thay mặt chi ủy kết luận: buổi sinh hoạt bảo "
            "đảm đúng nguyên tắc, đủ nội dung; các ý kiến phát biểu thẳng thắn, sát thực tế. "
            f"Chi bộ tiếp thu các kiến nghị của đảng viên{heard}. "
            f"Tháng tới chi bộ tập trung lãnh đạo {self.place.people.lower()} {self._focus()}."
        )

    def _resolution(self) -> str:
        following = calendar.add_months(self.meeting.period, 1)
        return (
            f"Nghị quyết tháng {following:%m/%Y}: chi bộ lãnh đạo {self.place.people.lower()} "
            f"{self._focus()}; giữ vững an ninh trật tự {self.place.here}; phấn đấu 100% "
            "đảng viên hoàn thành nhiệm vụ được giao. Các nhiệm vụ cụ thể phân công cho từng "
            "đồng chí theo danh sách dưới đây."
        )

    def _tasks(self) -> list[TaskData]:
        if hasattr(self, "_task_list"):
            return self._task_list
        period = self.meeting.period
        following = calendar.add_months(period, 1)
        quarter = calendar.quarter_of(period)[1]
        open_titles = set(
            ResolutionTask.objects.filter(
                cell_id=self.meeting.cell_id, status=TaskStatus.OPEN
            ).values_list("title", flat=True)
        )
        values = {
            "quarter": ROMAN[quarter],
            "year": period.year,
            "next_year": period.year + 1,
            "next_month": f"{following:%m/%Y}",
        }
        jobs = [
            j
            for j in JOBS
            if self.place.region in j.regions
            and (not j.months or period.month in j.months)
            and j.title.format(**values) not in open_titles
        ]
        fee_job = [j for j in jobs if j.due_quarter_end]
        others = [j for j in jobs if not j.due_quarter_end]
        count = 2 if self.plan.light else self.rng.randint(2, 3)
        chosen = fee_job + self.rng.sample(others, min(count - len(fee_job), len(others)))
        assignees = [pk for pk in self.present if self.rows[pk].is_official]
        tasks = []
        for job in chosen:
            if job.due_quarter_end:
                _start, end = calendar.quarter_bounds(*calendar.quarter_of(period))
                due = end - datetime.timedelta(days=1)
            else:
                due = following.replace(day=self.rng.choice([15, 20, 22]))
            tasks.append(
                TaskData(
                    title=job.title.format(**values),
                    assignee_id=self.chair if job.due_quarter_end else self.rng.choice(assignees),
                    due_on=due,
                )
            )
        self._task_list = tasks
        return tasks

    def _assessments(self) -> list[Assessment]:
        """Tasks carried over: those due before tonight get a result; one
        that is barely late may stay open another month."""
        results = []
        for task in carried_over_tasks(self.minutes):
            if task.status != TaskStatus.OPEN:
                continue
            if task.due_on and task.due_on >= self.on:
                results.append(Assessment(task.pk, TaskStatus.OPEN))
                continue
            job = _job_of(task.title)
            roll = self.rng.random()
            age = _months_between(task.minutes.meeting.period, self.meeting.period)
            numbers = {"n": self.rng.randint(3, 9), "k": self.rng.randint(2, 5)}
            values = {**numbers, **_title_values(task)}
            if roll < 0.72:
                note = job.done.format(**values) if job else "Hoàn thành"
                results.append(Assessment(task.pk, TaskStatus.DONE, note))
            elif roll < 0.87 or (roll >= 0.94 and age > 1):
                note = job.late.format(**values) if job else "Hoàn thành chậm"
                results.append(Assessment(task.pk, TaskStatus.LATE, note))
            elif roll < 0.94:
                results.append(Assessment(task.pk, TaskStatus.DROPPED, DROPPED_NOTE))
            else:
                results.append(
                    Assessment(task.pk, TaskStatus.OPEN, "Đang thực hiện, chuyển sang tháng sau")
                )
        return results

    # --- a thematic meeting ---

    def _thematic(self):
        theme = self.theme
        started = self.meeting.scheduled_at + datetime.timedelta(minutes=self.rng.randint(0, 10))
        ended = started + datetime.timedelta(minutes=self.rng.randint(100, 140))
        guest = self.meeting.guests.order_by("id").first()
        reporter = f"{guest.name}, {guest.title}," if guest else self.names[self.chair]
        speeches = [
            SpeechData(text=self.place.fill(text), member_id=pk)
            for pk, text in zip(
                self._speakers(3),
                [
                    "Nhất trí với nội dung chuyên đề; bản thân tôi đăng ký thực hiện ngay tại "
                    "gia đình và các hộ được phân công phụ trách.",
                    "Đề nghị chi bộ có hình thức tuyên truyền phù hợp với người cao tuổi và "
                    "đồng bào không biết chữ, như qua loa truyền thanh, họp nhóm hộ.",
                    "Tôi đề nghị chi ủy định kỳ kiểm tra việc thực hiện, biểu dương những "
                    "đảng viên làm tốt tại buổi sinh hoạt thường kỳ.",
                ],
                strict=False,
            )
        ]
        content = {
            "chair_id": self.chair,
            "minute_taker_id": self.taker,
            "started_at": started,
            "ended_at": ended,
            "programme": (
                f"Sinh hoạt chuyên đề “{theme.topic}”: nghe báo cáo chuyên đề; liên hệ thực "
                f"tế tại {self.place.village}; thảo luận; kết luận."
            ),
            "news": f"Đồng chí {reporter} trình bày chuyên đề: {theme.body}.",
            "assessment": f"Liên hệ thực tế: {_sentence(self.place.fill(theme.local))}",
            "criticism": (
                "Các đồng chí đảng viên liên hệ bản thân, tự nhận những việc đã làm được và "
                "chưa làm được theo nội dung chuyên đề."
            ),
            "summary": (
                f"Đồng chí {self.names[self.chair]} kết luận: chi bộ thống nhất "
                f"{self.place.fill(theme.conclusion)}."
            ),
            # Cells often adopt a short thematic resolution (nghị quyết chuyên đề).
            "resolution": (
                f"Nghị quyết chuyên đề “{theme.topic}”: {self.place.fill(theme.conclusion)}; "
                "chi ủy đưa việc thực hiện vào đánh giá tại các kỳ sinh hoạt thường kỳ."
            ),
            **self._vote(),
            "read_back_adopted": True,
        }
        return content, speeches, [], []


# Helpers ------------------------------------------------------------------------------


def _place(cell: Organization) -> Place:
    parent = Organization.objects.get_parent(cell)
    province = Organization.objects.get_root(cell)
    village = cell.name.removeprefix("Chi bộ ")
    if parent.code == HUONG_KHE_TOWN and not cell.code.startswith("cb-tdp-"):
        region = "unit"
    else:
        region = "son_la" if province.code == "tinh-son-la" else "ha_tinh"
    town = parent.code == HUONG_KHE_TOWN
    return Place(
        village=village,
        commune=parent.name.removeprefix("Đảng bộ "),
        province=province.name.removeprefix("Đảng bộ "),
        region=region,
        road=ROADS.get(parent.code, "đường liên xã"),
        river=RIVERS.get(parent.code, "sông"),
        fees=FEES["town" if town else "village"],
        people="Đảng viên và người lao động" if region == "unit" else "Đảng viên và nhân dân",
        town=town,
    )


def _position_holder(cell_id: int, on: datetime.date, kind: str) -> int | None:
    return (
        Position.objects.current(on)
        .filter(cell_id=cell_id, kind=kind)
        .order_by("id")
        .values_list("member_id", flat=True)
        .first()
    )


def _job_of(title: str) -> "Job | None":
    for job in JOBS:
        head = job.title.split("{")[0]
        if title.startswith(head):
            return job
    return None


def _title_values(task) -> dict:
    period = task.minutes.meeting.period
    following = calendar.add_months(period, 1)
    return {
        "quarter": ROMAN[calendar.quarter_of(period)[1]],
        "year": period.year,
        "next_year": period.year + 1,
        "next_month": f"{following:%m/%Y}",
    }


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def summary() -> dict[str, int]:
    """Demo meetings now in the database (for seed_demo's output)."""
    meetings = Meeting.objects.filter(cell__in=demo_organizations().cells())
    states = dict(
        meetings.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    minutes = Minutes.objects.filter(meeting__in=meetings)
    return {
        "meetings": sum(states.values()),
        "meetings held": states.get(MeetingState.HELD, 0),
        "meetings postponed": states.get(MeetingState.POSTPONED, 0),
        "meetings cancelled": states.get(MeetingState.CANCELLED, 0),
        "thematic meetings": meetings.filter(thematic_q()).count(),
        "final minutes": minutes.filter(state=MinutesState.FINAL).count(),
        "draft minutes": minutes.filter(state=MinutesState.DRAFT).count(),
        "resolution tasks": ResolutionTask.objects.filter(minutes__in=minutes).count(),
        "cadre visits": CadreVisit.objects.filter(Q(meeting__in=meetings), attended=True).count(),
    }
