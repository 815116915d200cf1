"""What the demo minutes say: the documents read, the news, the season's
work, the speeches, the tasks a resolution sets and what the next month
says of them. chibo/demo/minutes_writer.py composes them into minutes."""

from dataclasses import dataclass

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
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
