"""The demo feedback's stories: the Đức Thọ topics (sand mining on the La
river, land-use certificates, land management, site clearance, new-rural-area
policy, social security, rural security) raised at cell meetings in Sơn La
and Hà Tĩnh, and what became of each. chibo/demo/feedback.py replays them
through the feedback services."""

from dataclasses import dataclass

from feedback.models import BodyKind

# key: (name, kind, organization code, answering username or "")
BODIES = {
    "ubnd-co-noi": (
        "Ủy ban nhân dân xã Cò Nòi",
        BodyKind.PEOPLES_COMMITTEE,
        "xa-co-noi",
        "ubnd-co-noi",
    ),
    "ubnd-muong-chanh": (
        "Ủy ban nhân dân xã Mường Chanh",
        BodyKind.PEOPLES_COMMITTEE,
        "xa-muong-chanh",
        "",
    ),
    "so-nnmt-son-la": (
        "Sở Nông nghiệp và Môi trường tỉnh Sơn La",
        BodyKind.DEPARTMENT,
        "tinh-son-la",
        "",
    ),
    "ubnd-duc-lam": ("Ủy ban nhân dân xã Đức Lâm", BodyKind.PEOPLES_COMMITTEE, "xa-duc-lam", ""),
    "ubnd-huong-khe": (
        "Ủy ban nhân dân thị trấn Hương Khê",
        BodyKind.PEOPLES_COMMITTEE,
        "tt-huong-khe",
        "",
    ),
    "so-nnmt-ha-tinh": (
        "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh",
        BodyKind.DEPARTMENT,
        "tinh-ha-tinh",
        "",
    ),
}
ANSWERER_NAME = ("Cầm Thị", "Hương")  # the Cò Nòi people's committee's clerk


@dataclass(frozen=True)
class Story:
    key: str
    cell: str
    category: str
    text: str
    raised: int  # days ago: raised at the cell's last meeting before then
    steps: tuple = ()
    raiser: str = ""  # citizens; empty: a member of the cell


# Steps: ("forward", days_ago, "org:<code>" | "body:<key>"), ("start", days_ago),
# ("return", days_ago, question), ("answer", days_ago, text), ("read_back",
# satisfied, comment) at the cell's first meeting held after the answer,
# ("link", days_ago, main key). Main items come before the items linked
# under them.
SAND = "Khai thác cát trái phép trên sông La"
STORIES = [
    # The sand of the La river: three Hà Tĩnh cells, one answer from the province.
    Story(
        "cat-hoa-ich-lam",
        "cb-thon-hoa-ich-lam",
        "tai-nguyen-moi-truong",
        f"{SAND} đoạn qua thôn Hoa Ích Lâm: thuyền hút cát hoạt động ban đêm, bờ sông sạt lở.",
        150,
        (
            ("forward", 145, "body:so-nnmt-ha-tinh"),
            ("start", 140),
            (
                "answer",
                100,
                "Sở đã phối hợp Công an tỉnh bắt giữ 2 thuyền hút cát, xử phạt "
                "120 triệu đồng; giao UBND xã tuần tra bến bãi hằng tuần.",
            ),
            ("read_back", True, "Chi bộ ghi nhận, đề nghị duy trì tuần tra."),
        ),
        raiser="Bà con xóm Bến",
    ),
    Story(
        "cat-tdp-03",
        "cb-tdp-03-huong-khe",
        "tai-nguyen-moi-truong",
        f"Tình trạng {SAND[0].lower()}{SAND[1:]} gây sạt lở bờ, ảnh hưởng đất sản xuất.",
        150,
        (("link", 144, "cat-hoa-ich-lam"),),
    ),
    Story(
        "cat-tdp-07",
        "cb-tdp-07-huong-khe",
        "tai-nguyen-moi-truong",
        f"Đề nghị xử lý dứt điểm {SAND[0].lower()}{SAND[1:]}, thuyền hút cát gây tiếng ồn ban đêm.",
        120,
        (("link", 118, "cat-hoa-ich-lam"),),
    ),
    # Land-use certificates in Cò Nòi: two cells, one item in progress.
    Story(
        "gcn-ban-lech",
        "cb-ban-lech",
        "dat-dai",
        "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho 14 hộ bản Lếch "
        "đã nộp hồ sơ từ năm 2024.",
        40,
        (("forward", 36, "body:ubnd-co-noi"), ("start", 30)),
    ),
    Story(
        "gcn-tieu-khu",
        "cb-tieu-khu-co-noi",
        "dat-dai",
        "Chậm cấp giấy chứng nhận quyền sử dụng đất cho các hộ tiểu khu Cò Nòi đã nộp hồ sơ.",
        40,
        (("link", 35, "gcn-ban-lech"),),
    ),
    # Cò Nòi: every state, for the demo secretary, cadre and answerer.
    Story(
        "lan-chiem-ban-lech",
        "cb-ban-lech",
        "dat-dai",
        "Một số hộ lấn chiếm đất hành lang đường tỉnh lộ 110 để dựng quán.",
        130,
        (
            ("forward", 126, "org:xa-co-noi"),
            ("start", 120),
            (
                "answer",
                95,
                "Đảng ủy xã đã chỉ đạo UBND xã lập biên bản, yêu cầu 5 hộ tháo dỡ "
                "công trình trước ngày 30; đã tháo dỡ 3 hộ.",
            ),
            ("read_back", False, "Còn 2 hộ chưa tháo dỡ, đề nghị xử lý tiếp."),
        ),
    ),
    Story(
        "ho-ngheo-ban-lech",
        "cb-ban-lech",
        "an-sinh-xa-hoi",
        "Đề nghị rà soát lại danh sách hộ cận nghèo năm nay, có hộ khó khăn chưa được đưa vào.",
        70,
        (
            ("forward", 66, "body:ubnd-co-noi"),
            ("start", 60),
            (
                "answer",
                20,
                "UBND xã đã rà soát, bổ sung 2 hộ vào danh sách hộ cận nghèo, "
                "cấp thẻ bảo hiểm y tế từ tháng sau.",
            ),
        ),
    ),
    Story(
        "duong-ban-lech",
        "cb-ban-lech",
        "nong-thon-moi",
        "Đề nghị hỗ trợ xi măng bê tông hóa 1,2 km đường nội bản theo chương trình nông thôn mới.",
        70,
        (
            ("forward", 65, "org:xa-co-noi"),
            ("start", 58),
            (
                "answer",
                15,
                "Xã bố trí 80 tấn xi măng trong kế hoạch quý tới; bản huy động "
                "ngày công và vật liệu cát sỏi.",
            ),
        ),
    ),
    Story(
        "trom-cap-ban-lech",
        "cb-ban-lech",
        "an-ninh-trat-tu",
        "Tình trạng trộm cắp vặt gia súc, gia cầm tăng vào ban đêm.",
        10,
    ),
    Story(
        "dien-ban-lech",
        "cb-ban-lech",
        "khac",
        "Lưới điện cuối bản yếu, điện áp thấp vào giờ cao điểm.",
        45,
        (
            ("forward", 40, "org:xa-co-noi"),
            ("return", 33, "Đề nghị chi bộ nêu rõ các hộ, vị trí cột điện bị ảnh hưởng."),
        ),
    ),
    Story(
        "dang-vien-tre",
        "cb-tieu-khu-co-noi",
        "xay-dung-dang",
        "Đề nghị mở lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú trong tiểu khu.",
        100,
        (
            ("forward", 96, "org:xa-co-noi"),
            ("start", 90),
            ("answer", 70, "Đảng ủy xã mở lớp bồi dưỡng vào tháng tới, tiểu khu cử 4 quần chúng."),
            ("read_back", True, ""),
        ),
    ),
    Story(
        "tieu-khu-nuoc",
        "cb-tieu-khu-co-noi",
        "nong-thon-moi",
        "Hệ thống nước sinh hoạt tập trung của tiểu khu hư hỏng, nhiều hộ thiếu nước mùa khô.",
        90,
        (("forward", 85, "body:ubnd-co-noi"),),
    ),
    Story(
        "tieu-khu-tai-nan",
        "cb-tieu-khu-co-noi",
        "an-ninh-trat-tu",
        "Đề nghị lắp biển báo, gờ giảm tốc tại ngã ba tiểu khu, nơi thường xảy ra tai nạn.",
        75,
        (("forward", 70, "org:xa-co-noi"), ("start", 66)),
    ),
    Story(
        "tieu-khu-moi",
        "cb-tieu-khu-co-noi",
        "an-sinh-xa-hoi",
        "Đề nghị sớm chi trả trợ cấp cho người cao tuổi từ 75 tuổi theo quy định mới.",
        5,
        raiser="Chi hội người cao tuổi tiểu khu",
    ),
    # Mường Chanh (the demo cadre's other cells).
    Story(
        "dong-san-gpmb",
        "cb-ban-dong-san",
        "giai-phong-mat-bang",
        "Người dân chưa nhận tiền bồi thường giải phóng mặt bằng dự án đường nối quốc lộ 4G.",
        110,
        (
            ("forward", 104, "body:ubnd-muong-chanh"),
            ("start", 98),
            (
                "answer",
                60,
                "Đã chi trả cho 17/21 hộ; 4 hộ còn lại chi trả sau khi hoàn tất "
                "xác minh nguồn gốc đất.",
            ),
            ("read_back", True, "Chi bộ nhất trí."),
        ),
    ),
    Story(
        "dong-san-ca-phe",
        "cb-ban-dong-san",
        "nong-thon-moi",
        "Đề nghị hỗ trợ giống cà phê chè tái canh cho các hộ trồng cà phê già cỗi.",
        15,
        (("forward", 12, "org:xa-muong-chanh"), ("start", 8)),
    ),
    Story(
        "dong-san-nghien",
        "cb-ban-dong-san",
        "an-ninh-trat-tu",
        "Có đối tượng lạ vào bản rủ rê thanh niên sử dụng ma túy.",
        12,
        (("forward", 9, "org:xa-muong-chanh"),),
    ),
    Story(
        "cang-muong-dat",
        "cb-ban-cang-muong",
        "dat-dai",
        "Tranh chấp ranh giới đất nương giữa hai hộ kéo dài, đề nghị xã đo đạc, giải quyết.",
        140,
        (
            ("forward", 136, "org:xa-muong-chanh"),
            ("start", 130),
            ("answer", 105, "Xã đã hòa giải, đo đạc lại ranh giới, hai hộ ký biên bản thống nhất."),
            ("read_back", True, ""),
        ),
    ),
    Story(
        "cang-muong-bhyt",
        "cb-ban-cang-muong",
        "an-sinh-xa-hoi",
        "Thẻ bảo hiểm y tế của người dân tộc thiểu số vùng khó khăn cấp chậm.",
        80,
        (
            ("forward", 75, "body:ubnd-muong-chanh"),
            ("start", 70),
            ("answer", 45, "Bảo hiểm xã hội huyện đã cấp bổ sung 38 thẻ."),
            ("read_back", False, "Vẫn còn hộ chưa nhận thẻ."),
        ),
    ),
    Story(
        "cang-muong-moi",
        "cb-ban-cang-muong",
        "xay-dung-dang",
        "Đề nghị cấp ủy cấp trên hướng dẫn nội dung sinh hoạt chuyên đề quý này.",
        8,
    ),
    Story(
        "son-la-rung",
        "cb-ban-cang-muong",
        "tai-nguyen-moi-truong",
        "Phát hiện khai thác gỗ trái phép ở rừng phòng hộ đầu nguồn.",
        95,
        (("forward", 92, "body:so-nnmt-son-la"), ("start", 85)),
    ),
    # Hà Tĩnh: Đức Lâm and Hương Khê town.
    Story(
        "hoa-ich-lam-gcn",
        "cb-thon-hoa-ich-lam",
        "dat-dai",
        "Đề nghị cấp đổi giấy chứng nhận quyền sử dụng đất sau dồn điền đổi thửa.",
        160,
        (
            ("forward", 155, "body:ubnd-duc-lam"),
            ("start", 150),
            ("answer", 120, "UBND xã đã hoàn thiện hồ sơ 96 hộ, trình huyện cấp đổi trong năm."),
            ("read_back", True, "Chi bộ nhất trí với lộ trình."),
        ),
    ),
    Story(
        "hoa-ich-lam-ntm",
        "cb-thon-hoa-ich-lam",
        "nong-thon-moi",
        "Đề nghị hướng dẫn tiêu chí khu dân cư nông thôn mới kiểu mẫu cho thôn.",
        20,
        (("forward", 17, "org:xa-duc-lam"), ("start", 14)),
    ),
    Story(
        "hoa-ich-lam-gpmb",
        "cb-thon-hoa-ich-lam",
        "giai-phong-mat-bang",
        "Hộ dân có đất thu hồi làm đường cao tốc Bắc – Nam đề nghị được giao đất tái định cư sớm.",
        125,
        (("forward", 120, "org:tinh-ha-tinh"), ("start", 110)),
    ),
    Story(
        "hoa-ich-lam-moi",
        "cb-thon-hoa-ich-lam",
        "an-ninh-trat-tu",
        "Xe tải chở vật liệu chạy quá tốc độ qua thôn, đề nghị kiểm tra.",
        3,
        raiser="Bà con xóm Đồng",
    ),
    Story(
        "tdp-01-rac",
        "cb-tdp-01-huong-khe",
        "tai-nguyen-moi-truong",
        "Điểm tập kết rác thải gần khu dân cư gây ô nhiễm, đề nghị di dời.",
        115,
        (
            ("forward", 112, "body:ubnd-huong-khe"),
            ("start", 108),
            ("answer", 80, "Thị trấn đã di dời điểm tập kết, thu gom rác hằng ngày."),
            ("read_back", True, ""),
        ),
    ),
    Story(
        "tdp-02-chieu-sang",
        "cb-tdp-02-huong-khe",
        "nong-thon-moi",
        "Đề nghị lắp đèn chiếu sáng tuyến đường ngõ 5 tổ dân phố 2.",
        55,
        (
            ("forward", 52, "body:ubnd-huong-khe"),
            ("start", 48),
            ("answer", 18, "Đã đưa vào kế hoạch lắp đặt quý tới."),
        ),
    ),
    Story(
        "tdp-04-tra-loi-lai",
        "cb-tdp-04-huong-khe",
        "an-sinh-xa-hoi",
        "Chế độ trợ cấp cho người có công chưa được điều chỉnh theo mức mới.",
        140,
        (
            ("forward", 135, "org:tt-huong-khe"),
            ("start", 130),
            ("answer", 110, "Đã chuyển phòng Lao động – Thương binh và Xã hội xem xét."),
            ("read_back", False, "Câu trả lời chưa cụ thể."),
            ("forward", 60, "org:tinh-ha-tinh"),
        ),
    ),
    Story(
        "tdp-05-dat-cong",
        "cb-tdp-05-huong-khe",
        "dat-dai",
        "Phần đất công sau nhà văn hóa bị sử dụng sai mục đích.",
        30,
        (
            ("forward", 27, "org:tt-huong-khe"),
            ("return", 20, "Đề nghị nêu rõ diện tích, hộ sử dụng."),
        ),
    ),
    Story(
        "tdp-06-sinh-hoat",
        "cb-tdp-06-huong-khe",
        "xay-dung-dang",
        "Đề nghị bố trí kinh phí sửa chữa nhà văn hóa, nơi chi bộ sinh hoạt.",
        65,
        (
            ("forward", 62, "org:tt-huong-khe"),
            ("start", 58),
            ("answer", 40, "Thị trấn hỗ trợ 30 triệu đồng, tổ dân phố vận động thêm."),
            ("read_back", True, "Chi bộ cảm ơn."),
        ),
    ),
    Story(
        "tdp-08-trat-tu",
        "cb-tdp-08-huong-khe",
        "an-ninh-trat-tu",
        "Tụ tập đua xe trái phép trên tuyến đường tránh vào tối cuối tuần.",
        85,
        (("forward", 82, "org:tt-huong-khe"),),
    ),
    Story(
        "tdp-09-ho-ngheo",
        "cb-tdp-09-huong-khe",
        "an-sinh-xa-hoi",
        "Đề nghị hỗ trợ làm nhà cho 2 hộ nghèo có nhà ở xuống cấp.",
        8,
        (("forward", 5, "body:ubnd-huong-khe"),),
    ),
    Story(
        "tdp-10-moi",
        "cb-tdp-10-huong-khe",
        "khac",
        "Đề nghị niêm yết công khai lịch tiếp công dân của thị trấn.",
        4,
    ),
]
