"""Demo feedback: the Đức Thọ topics (sand mining on the La river, land-use
certificates, land management, site clearance, new-rural-area policy, social
security, rural security) raised at cell meetings in Sơn La and Hà Tĩnh,
in every state: some overdue, some linked under one item, some answered and
read back.

Each story is walked through feedback/workflow.py's table (`check`), with the
dates of the story rather than today's, so the data obeys the same rules as
the pages. The regular meetings the items were raised at are created when
missing (the same rows a meetings demo step would make: one per cell and
month). A user answers for each people's committee ("ubnd-co-noi" for Cò Nòi).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from chibo.models import Organization
from feedback.models import (
    AnsweringBody,
    BodyKind,
    Category,
    FeedbackEvent,
    FeedbackItem,
    FeedbackState,
    RaiserKind,
    ReadBack,
)
from feedback.services import mark_overdue
from feedback.workflow import check
from meetings.models import Meeting, MeetingKind, MeetingState

from .base import PASSWORD, Demo

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
# satisfied, comment) at the cell's first held meeting after the answer,
# ("link", days_ago, main key).
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


def build(demo: Demo) -> None:
    bodies = _bodies(demo)
    users = _users()
    meetings = _meetings(demo, {story.cell for story in STORIES})
    categories = {c.code: c for c in Category.objects.all()}
    items = {}
    for story in STORIES:  # main items come before the items linked under them
        cell = demo.org(story.cell)
        item = FeedbackItem.objects.filter(cell=cell, text=story.text).first()
        if item is None:
            item = _raise(demo, story, cell, meetings[cell.pk], categories[story.category])
            _walk(demo, item, story, items, bodies, meetings[cell.pk], users)
            demo.created["feedback items"] += 1
        items[story.key] = item
    demo.created["overdue feedback marked"] += mark_overdue()


def _bodies(demo: Demo) -> dict[str, AnsweringBody]:
    found = {}
    for key, (name, kind, code, username) in BODIES.items():
        body, created = AnsweringBody.objects.get_or_create(
            name=name, defaults={"kind": kind, "organization": demo.org(code)}
        )
        demo.created["answering bodies"] += created
        if username:
            user, new_user = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": ANSWERER_NAME[0], "last_name": ANSWERER_NAME[1]},
            )
            if new_user:
                user.set_password(PASSWORD)
                user.save()
                demo.created["answering body users"] += 1
            body.answerers.add(user)
        found[key] = body
    return found


def _users() -> dict:
    names = ["admin", "cadre", "staff", "secretary", "answerer", "ubnd-co-noi"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _meetings(demo: Demo, codes: set[str]) -> dict[int, list[Meeting]]:
    """Regular meetings of these cells from seven months back to next month."""
    first = demo.today.replace(day=1)
    months = [_add_months(first, n) for n in range(-7, 2)]
    found = {}
    for code in sorted(codes):
        cell = demo.org(code)
        found[cell.pk] = []
        for period in months:
            day = period.replace(day=min(cell.meeting_day, 28))
            meeting, created = Meeting.objects.get_or_create(
                cell=cell,
                kind=MeetingKind.REGULAR,
                period=period,
                defaults={
                    "scheduled_at": _local(day, cell.meeting_time),
                    "place": cell.meeting_place,
                    "state": MeetingState.HELD if day < demo.today else MeetingState.PLANNED,
                },
            )
            demo.created["meetings"] += created
            found[cell.pk].append(meeting)
    return found


def _raise(demo, story: Story, cell: Organization, meetings, category) -> FeedbackItem:
    before = demo.today - datetime.timedelta(days=story.raised)
    held = [m for m in meetings if m.state == MeetingState.HELD and _day(m) <= before]
    meeting = held[-1] if held else meetings[0]
    member = None if story.raiser else cell.members.on_roll().order_by("id").first()
    item = FeedbackItem.objects.create(
        cell=cell,
        meeting=meeting,
        category=category,
        text=story.text,
        raiser_kind=RaiserKind.CITIZENS if story.raiser or member is None else RaiserKind.MEMBER,
        raiser_member=member,
        raiser_name=story.raiser or ("" if member else "Bà con trong thôn"),
        raised_on=_day(meeting),
        state_changed_at=meeting.scheduled_at,
    )
    FeedbackEvent.objects.create(
        item=item, action="record", to_state=item.state, at=meeting.scheduled_at
    )
    return item


def _actors(item, bodies, users) -> dict:
    """Who makes each move in the story: the demo accounts where they hold the
    right (Cò Nòi and the cadre's cells), the administrator elsewhere."""
    admin = users.get("admin")
    cadre_cells = set(
        item.cell.assignments.filter(cadre__user__username="cadre").values_list(
            "cell_id", flat=True
        )
    )
    answerer = admin
    if item.routed_body_id and item.routed_body_id == bodies["ubnd-co-noi"].pk:
        answerer = users.get("ubnd-co-noi")
    elif item.routed_organization and item.routed_organization.code == "xa-co-noi":
        answerer = users.get("answerer")
    return {
        "forward": users.get("cadre") if item.cell_id in cadre_cells else admin,
        "answer": answerer,
        "read_back": users.get("secretary") if item.cell.code == "cb-ban-lech" else admin,
    }


def _walk(demo, item, story, items, bodies, meetings, users) -> None:
    """Make the story's moves, each checked against the workflow table."""
    answered_on = None
    for step in story.steps:
        kind = step[0]
        if kind == "read_back":
            held = [m for m in meetings if m.state == MeetingState.HELD and _day(m) > answered_on]
            meeting = held[0]
            by = _actors(item, bodies, users)["read_back"]
            _move(item, "close" if step[1] else "reopen", by, meeting.scheduled_at, step[2])
            ReadBack.objects.create(
                item=item,
                meeting=meeting,
                answer=item.answer,
                is_satisfied=step[1],
                note=step[2],
                by=by,
                at=meeting.scheduled_at,
            )
            if not step[1]:
                item.due_on = _day(meeting) + datetime.timedelta(days=item.category.default_days)
            continue
        at = _local(demo.today - datetime.timedelta(days=step[1]), datetime.time(9, 0))
        if kind == "forward":
            _route(item, step[2], bodies, demo, at)
            by = _actors(item, bodies, users)["forward"]
            _move(item, "forward", by, at, f"→ {item.answering_party}")
        elif kind == "link":
            main = items[step[2]]
            item.main_item = main
            item.routed_organization, item.routed_body = main.routed_organization, main.routed_body
            item.answer_organization, item.due_on, item.forwarded_at = (
                main.answer_organization,
                main.due_on,
                at,
            )
            _move(item, "forward", _actors(item, bodies, users)["forward"], at, f"#{main.pk}")
            if main.answered_at:  # the main item's answer came after: it reaches this one
                item.save()
                item.answer, item.answered_at, item.answered_by = (
                    main.answer,
                    main.answered_at,
                    main.answered_by,
                )
                _move(item, "answer_linked", None, main.answered_at, f"#{main.pk}")
        elif kind == "start":
            _move(item, "start", _actors(item, bodies, users)["answer"], at)
        elif kind == "return":
            _move(item, "return", _actors(item, bodies, users)["answer"], at, step[2])
        elif kind == "answer":
            answered_on = at.date()
            item.answer, item.answered_at = step[2], at
            item.answered_by = _actors(item, bodies, users)["answer"]
            _move(item, "answer", item.answered_by, at, step[2])
            for child in item.linked_items.all():
                child.answer, child.answered_at, child.answered_by = (
                    item.answer,
                    at,
                    item.answered_by,
                )
                _move(child, "answer_linked", None, at, f"#{item.pk}")
                child.save()
        item.save()
    item.save()


def _route(item, target: str, bodies, demo, at) -> None:
    prefix, key = target.split(":")
    if prefix == "body":
        body = bodies[key]
        item.routed_organization, item.routed_body, item.answer_organization = (
            None,
            body,
            body.organization,
        )
    else:
        org = demo.org(key)
        item.routed_organization, item.routed_body, item.answer_organization = org, None, org
    item.forwarded_at = at
    item.due_on = at.date() + datetime.timedelta(days=item.category.default_days)
    item.escalated_at = None


def _move(item, action, by, at, note="") -> None:
    move = check(item.state, action)
    FeedbackEvent.objects.create(
        item=item,
        action=action,
        from_state=item.state,
        to_state=move.target,
        by=by,
        at=at,
        note=note,
    )
    item.state, item.state_changed_at = move.target, at


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _day(meeting: Meeting) -> datetime.date:
    return timezone.localdate(meeting.scheduled_at)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def summary() -> dict[str, int]:
    """Demo feedback now in the database (for seed_demo's output; no key says
    "new", which the command keeps for what a run created)."""
    from django.db.models import Count

    items = FeedbackItem.objects.filter(text__in=[s.text for s in STORIES])
    counts = dict(
        items.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    labels = {
        FeedbackState.NEW: "not yet forwarded",
        FeedbackState.FORWARDED: "forwarded",
        FeedbackState.IN_PROGRESS: "in progress",
        FeedbackState.RETURNED: "returned for clarification",
        FeedbackState.ANSWERED: "answered, to read back",
        FeedbackState.CLOSED: "closed",
        FeedbackState.REOPENED: "reopened",
    }
    return {
        "answering bodies": AnsweringBody.objects.filter(
            name__in=[b[0] for b in BODIES.values()]
        ).count(),
        "feedback items": sum(counts.values()),
        **{f"feedback {label}": counts.get(state, 0) for state, label in labels.items()},
        "feedback overdue": items.overdue().count(),
        "feedback linked under another": items.filter(main_item__isnull=False).count(),
        "feedback answers read back": ReadBack.objects.filter(item__in=items).count(),
    }
