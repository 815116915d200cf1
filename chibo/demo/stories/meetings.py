"""The demo meetings' story: which cells meet, which months go wrong, who
visits, which topics the thematic meetings take, and how places are named.
chibo/demo/meetings.py plays it through the meetings services."""

from dataclasses import dataclass

from ..organizations import HUONG_KHE_TOWN

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
# Monthly party fees (đồng) of village members; town and agency members pay more.
FEES = {"village": [5_000, 10_000, 10_000, 15_000, 20_000, 30_000], "town": [30_000, 50_000]}
