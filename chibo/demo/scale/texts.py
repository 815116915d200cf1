"""The words of the scale data: short, plausible, filled per cell and month."""

TOPICS = [
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Xây dựng nông thôn mới nâng cao",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững",
    "Giữ gìn an ninh trật tự ở khu dân cư",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyển đổi số ở cơ sở",
]
NEWS = "Quán triệt các văn bản mới của cấp trên; thông tin thời sự {month}."
ASSESSMENT = (
    "Chi bộ lãnh đạo thực hiện cơ bản các nhiệm vụ đề ra trong nghị quyết tháng trước; "
    "đảng viên gương mẫu tham gia các phong trào ở {village}."
)
CRITICISM = "Đảng viên tự phê bình và phê bình; một số đồng chí còn chậm đóng đảng phí."
SUMMARY = "Đồng chí chủ trì tổng hợp ý kiến, kết luận các nội dung thảo luận."
RESOLUTION = "Nghị quyết {month}: tiếp tục thực hiện các nhiệm vụ trọng tâm ở {village}."
PROGRAMME = "Chi bộ thống nhất chương trình sinh hoạt gồm ba phần: mở đầu, nội dung, kết thúc."
FEES = "Đã thu đảng phí {month}: {paid}/{total} đồng chí."
SPEECHES = [
    "Đề nghị chi bộ quan tâm hơn đến việc vệ sinh môi trường khu dân cư.",
    "Thống nhất với dự thảo nghị quyết, bổ sung nhiệm vụ vận động nhân dân hiến đất làm đường.",
    "Cần phân công cụ thể đảng viên giúp đỡ các hộ nghèo còn lại.",
    "Đề nghị tăng cường tuyên truyền phòng chống ma túy trong thanh niên.",
    "Báo cáo kết quả giúp đỡ hộ nghèo được phân công tháng trước.",
]
TASKS = [
    "Vận động các hộ dân hoàn thành nộp quỹ xây dựng đường giao thông nội thôn",
    "Giúp đỡ hộ nghèo phát triển chăn nuôi",
    "Tuyên truyền nhân dân thực hiện nếp sống văn minh trong việc cưới, việc tang",
    "Kiểm tra, đôn đốc việc thu nộp đảng phí",
    "Phối hợp tổ an ninh xóm tuần tra dịp lễ",
]
RESULT_NOTES = ["Đã thực hiện xong", "Hoàn thành, còn một hộ chưa nộp", "Chuyển sang tháng sau"]
ABSENT_REASONS = ["Đi làm ăn xa", "Ốm", "Việc gia đình", "Đi công tác"]
REPORTED = "Thông tin kết quả thực hiện nhiệm vụ chính trị {month} của địa phương."
HEARD = "Ý kiến của đảng viên về đường giao thông nội thôn và chính sách an sinh."
CANCELLED = "Bão lũ, chi bộ dời sinh hoạt sang kỳ sau."
# Feedback items by category code (feedback/migrations/0002_categories.py).
FEEDBACK = {
    "dat-dai": "Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho các hộ ở {village}.",
    "tai-nguyen-moi-truong": "Phản ánh tình trạng khai thác cát trái phép trên sông gần {village}.",
    "giai-phong-mat-bang": "Đề nghị sớm chi trả tiền bồi thường giải phóng mặt bằng đường tỉnh.",
    "nong-thon-moi": "Đề nghị hỗ trợ xi măng làm đường bê tông nội đồng {village}.",
    "an-sinh-xa-hoi": "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi ở {village}.",
    "an-ninh-trat-tu": "Phản ánh tình trạng xe quá tải chạy qua {village} ban đêm.",
    "xay-dung-dang": "Đề nghị cấp trên sớm cấp phát tài liệu sinh hoạt chi bộ.",
    "khac": "Đề nghị sửa chữa nhà văn hóa {village} bị dột.",
}
ANSWER = "Cấp ủy đã giao cơ quan chuyên môn kiểm tra; kết quả: {result}"
RESULTS = ["đã giải quyết xong.", "đưa vào kế hoạch năm sau.", "đã hướng dẫn các hộ làm thủ tục."]
RETURN_NOTE = "Đề nghị chi bộ làm rõ vị trí và số hộ liên quan."
CLARIFIED = "Chi bộ đã bổ sung thông tin."
UNSATISFIED = "Chi bộ chưa đồng tình, đề nghị xem xét lại."
CITIZENS = "Các hộ dân {village}"
