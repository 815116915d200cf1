"""Realistic Vietnamese names for demo members.

Sơn La's Mai Sơn cells are mostly Thái (Lò, Cầm, Quàng, ...), with Hmong
villages such as Đông Sàn (the source names its secretary "Mùa A Dia");
Hà Tĩnh is Kinh. The names are invented combinations, not the people in the
articles: real officials' names would carry made-up birth dates and cards.
"""

import random

# (surname, weight): weights roughly follow how common each name is locally.
KINH_SURNAMES = [
    ("Nguyễn", 30),
    ("Trần", 12),
    ("Lê", 10),
    ("Phan", 8),
    ("Võ", 7),
    ("Đặng", 5),
    ("Phạm", 4),
    ("Hoàng", 4),
    ("Bùi", 4),
    ("Đinh", 4),
    ("Hồ", 4),
    ("Dương", 3),
    ("Đậu", 2),
    ("Thái", 2),
    ("Trương", 2),
    ("Ngô", 2),
    ("Đoàn", 2),
    ("Lưu", 1),
]
KINH_MALE_MIDDLE = [
    "Văn",
    "Văn",
    "Văn",
    "Đình",
    "Xuân",
    "Hữu",
    "Công",
    "Quốc",
    "Minh",
    "Đức",
    "Trọng",
    "Ngọc",
    "Thanh",
    "Viết",
    "Huy",
    "Duy",
    "Quang",
    "Anh",
]
KINH_FEMALE_MIDDLE = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Thanh",
    "Ngọc",
    "Hồng",
    "Minh",
    "Thúy",
    "Mai",
    "Phương",
    "Kim",
]
KINH_MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Huấn",
    "Khánh",
    "Lâm",
    "Long",
    "Lợi",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Thọ",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Yên",
    "Hiếu",
    "Hòa",
    "Kiên",
    "Lộc",
    "Quý",
    "Sỹ",
    "Tình",
    "Tú",
    "Cảnh",
    "Châu",
    "Hoàn",
    "Hưng",
    "Kỳ",
    "Luận",
    "Nhân",
    "Phong",
    "Sáng",
    "Thái",
    "Thuận",
    "Chiến",
    "Dương",
]
KINH_FEMALE_GIVEN = [
    "Anh",
    "Châu",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Sâm",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
    "Lý",
    "Nhàn",
    "Huyền",
    "Lệ",
    "Ngân",
    "Tuyết",
    "Xuân",
    "Hảo",
    "Thơ",
    "Sen",
    "Duyên",
    "Hiên",
]

THAI_SURNAMES = [
    ("Lò", 8),
    ("Cầm", 6),
    ("Quàng", 6),
    ("Lường", 5),
    ("Tòng", 4),
    ("Vì", 4),
    ("Điêu", 3),
    ("Hà", 3),
    ("Lù", 2),
    ("Mè", 2),
    ("Sa", 2),
    ("Lèo", 2),
    ("Hoàng", 2),
]
THAI_MALE_GIVEN = [
    "Chung",
    "Thắng",
    "Sơn",
    "Hùng",
    "Xôm",
    "Ún",
    "Pánh",
    "Hoan",
    "Tiến",
    "Khoa",
    "Quý",
    "Phong",
    "Ban",
    "Dũng",
    "Hải",
    "Thoan",
    "Kiên",
    "Bình",
    "Cương",
    "Tuấn",
    "Doãn",
    "Muôn",
    "Ngọc",
    "Thanh",
    "Lả",
    "Minh",
    "Nghiêm",
    "Pọm",
    "Khiêm",
    "Thưởng",
    "Inh",
    "Hặc",
    "Biên",
    "Chiến",
    "Định",
    "Lợi",
    "Panh",
    "Xiêng",
    "Hom",
    "Quân",
]
THAI_FEMALE_GIVEN = [
    "Ín",
    "Xuân",
    "Hoa",
    "Lả",
    "Ơn",
    "Hiên",
    "Thu",
    "Bun",
    "Lún",
    "Chăm",
    "Hương",
    "Ngoan",
    "Nguyệt",
    "Phương",
    "Dung",
    "Mai",
    "Quyên",
    "Hà",
    "Liên",
    "Thoa",
    "Ánh",
    "Thương",
    "Tâm",
    "Hằng",
    "Ọn",
    "Pảng",
    "Xiêng",
    "Doan",
    "Êm",
    "Sinh",
]

HMONG_SURNAMES = [
    ("Mùa", 4),
    ("Sùng", 4),
    ("Giàng", 4),
    ("Thào", 3),
    ("Vàng", 3),
    ("Lầu", 2),
    ("Hờ", 2),
    ("Lý", 2),
]
HMONG_MALE_GIVEN = [
    "Dia",
    "Sử",
    "Chang",
    "Lử",
    "Dơ",
    "Tủa",
    "Phổng",
    "Lồng",
    "Dế",
    "Páo",
    "Chính",
    "Vừ",
    "Sình",
    "Nhìa",
    "Cở",
    "Chứ",
    "Pó",
    "Giống",
    "Mang",
    "Khua",
]
HMONG_FEMALE_GIVEN = [
    "Dua",
    "Mỷ",
    "Xá",
    "Chư",
    "Dế",
    "Mai",
    "Pà",
    "Sua",
    "Ly",
    "Chá",
    "Mỉ",
    "Say",
    "Súa",
    "Dợ",
    "Vá",
    "Pằng",
]


def _surname(rng: random.Random, table) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights=weights)[0]


def kinh(rng: random.Random, male: bool) -> str:
    if male:
        middle, given = rng.choice(KINH_MALE_MIDDLE), rng.choice(KINH_MALE_GIVEN)
    else:
        middle, given = rng.choice(KINH_FEMALE_MIDDLE), rng.choice(KINH_FEMALE_GIVEN)
    return f"{_surname(rng, KINH_SURNAMES)} {middle} {given}"


def thai(rng: random.Random, male: bool) -> str:
    given = rng.choice(THAI_MALE_GIVEN if male else THAI_FEMALE_GIVEN)
    return f"{_surname(rng, THAI_SURNAMES)} {'Văn' if male else 'Thị'} {given}"


def hmong(rng: random.Random, male: bool) -> str:
    given = rng.choice(HMONG_MALE_GIVEN if male else HMONG_FEMALE_GIVEN)
    return f"{_surname(rng, HMONG_SURNAMES)} {'A' if male else 'Thị'} {given}"


def son_la(rng: random.Random, male: bool) -> str:
    """Offices and town areas in Mai Sơn: Thái and Kinh side by side."""
    return thai(rng, male) if rng.random() < 0.55 else kinh(rng, male)


def hmong_village(rng: random.Random, male: bool) -> str:
    """A Hmong village with a few Thái households."""
    return hmong(rng, male) if rng.random() < 0.8 else thai(rng, male)


STYLES = {
    "kinh": kinh,
    "thai": thai,
    "hmong": hmong_village,
    "son_la": son_la,
}


# People named in the seed articles: the generator never reuses their names.
SOURCE_NAMES = {
    "Cầm Văn Chung",
    "Mùa A Dia",
    "Trần Văn Yên",
    "Võ Công Hàm",
    "Nguyễn Thị Tâm",
    "Nguyễn Việt Cường",
    "Phạm Thị Sâm",
    "La Văn Đường",
    "Nguyễn Thế Đồi",
    "Hoàng Văn Hoan",
    "Hoàng Văn Tài",
    "Nguyễn Tiến Tập",
    "Nguyễn Yến",
    "Lê Ngọc Huấn",
    "Ngô Đình Long",
}


def unique_name(rng: random.Random, style: str, male: bool, taken: set[str]) -> str:
    """A name of `style` not yet in `taken` (which it then joins)."""
    make = STYLES[style]
    for _attempt in range(200):
        name = make(rng, male)
        if name not in taken and name not in SOURCE_NAMES:
            taken.add(name)
            return name
    raise RuntimeError(f"Ran out of {style} names")
