"""Folding Vietnamese for search: đ/Đ, combining marks, NFC and NFD input,
and the folded fields that keep a copy of it on every save."""

import unicodedata

import pytest
from django.db import models

from chibo.folding import FoldedCharField, FoldedSearch, FoldedTextField
from chibo.models import Organization
from chibo.text import fold, strip_bidi_controls
from members.models import Member
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

NFC = "Nguyễn Thị Ánh Tuyết"
NFD = unicodedata.normalize("NFD", NFC)


def test_the_two_spellings_differ_but_fold_alike():
    assert NFC != NFD
    assert len(NFD) > len(NFC)
    assert fold(NFC) == fold(NFD) == "nguyen thi anh tuyet"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("đ", "d"),
        ("Đ", "d"),
        ("ĐĐđđ", "dddd"),
        ("Đặng Đình Đức", "dang dinh duc"),
        ("Ơn Ưng", "on ung"),
        ("ă â ê ô ơ ư", "a a e o o u"),
        ("ÀÁẢÃẠ", "aaaaa"),
        ("Lò Thị Ỷ", "lo thi y"),
        ("Khuất Thị Hường", "khuat thi huong"),
        ("Nghiêm Xuân Yêm", "nghiem xuan yem"),
    ],
)
def test_every_vietnamese_letter_folds_to_ascii(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_loose_combining_marks_are_dropped():
    # A d followed by a combining acute, a tilde typed on its own.
    assert fold("d\u0301a\u0303") == "da"
    assert fold("\u0300\u0301") == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("\tNguyễn\n\nVăn\u00a0An  ", "nguyen van an"),
        ("A\x00n", "an"),
        ("\x00", ""),
        ("   ", ""),
        ("Số 05-BB/CB", "so 05-bb/cb"),
    ],
)
def test_spaces_and_nul_are_normalized(text, folded):
    assert fold(text) == folded


def test_folding_is_idempotent():
    once = fold("  ĐẢNG BỘ  xã Cò Nòi ")
    assert fold(once) == once == "dang bo xa co noi"


def test_bidi_controls_are_stripped_and_nothing_else():
    hostile = "Nguyễn\u202eVăn\u2066An\u200f\u061c\u202a"
    assert strip_bidi_controls(hostile) == "NguyễnVănAn"
    assert strip_bidi_controls("Cò Nòi\n05/02/2026") == "Cò Nòi\n05/02/2026"


# --- the fields -------------------------------------------------------------------


def test_folded_fields_deconstruct_as_plain_fields():
    char = FoldedCharField(source=("name",), max_length=200, db_index=True)
    text = FoldedTextField(source=("a", "b"))

    name, path, args, kwargs = char.deconstruct()
    assert path == "django.db.models.CharField"
    assert kwargs["max_length"] == 200 and kwargs["editable"] is False
    assert "source" not in kwargs
    assert text.deconstruct()[1] == "django.db.models.TextField"


def test_a_clone_keeps_its_sources():
    field = FoldedTextField(source=("first", "second"))
    assert field.clone().source == ("first", "second")


def test_the_folded_field_is_not_a_form_field():
    assert Organization._meta.get_field("search_name").editable is False
    assert str(Organization._meta.get_field("search_name").verbose_name) in (
        "name without accents",
        "tên không dấu",
    )


def test_pre_save_joins_several_sources_and_skips_empty_ones():
    class Holder:
        first, second = "Lò Văn", None

    field = FoldedTextField(source=("first", "second"))
    field.attname = "folded"
    holder = Holder()

    assert field.pre_save(holder, add=True) == "lo van"
    assert holder.folded == "lo van"


@pytest.mark.django_db
def test_saving_again_after_a_rename_refolds():
    org = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    org.name = "Đảng bộ xã Mường Chanh"
    org.save()

    assert Organization.objects.get(pk=org.pk).search_name == "dang bo xa muong chanh"


@pytest.mark.django_db
def test_an_update_that_bypasses_save_leaves_the_copy_stale():
    # Why every rename goes through chibo.tree (which saves): update() skips pre_save.
    org = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    Organization.objects.filter(pk=org.pk).update(name="Đảng bộ xã Mường Chanh")

    assert Organization.objects.get(pk=org.pk).search_name == "dang bo xa co noi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [NFC, NFD, "nguyen thi anh", "ÁNH TUYẾT", "anh  tuyet", "\x00tuyet"]
)
def test_search_finds_nfc_and_nfd_spellings_alike(query):
    cell = CellFactory()
    stored_nfd = MemberFactory(cell=cell, full_name=NFD)
    stored_nfc = MemberFactory(cell=cell, full_name="Nguyễn Thị Ánh Tuyết Nhỏ")
    MemberFactory(cell=cell, full_name="Lò Văn Pấng")

    found = set(Member.objects.search(query))

    assert found == {stored_nfd, stored_nfc}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", None, "   ", "\x00"])
def test_an_empty_search_filters_nothing(query):
    cell = CellFactory()
    MemberFactory.create_batch(3, cell=cell)

    assert Member.objects.search(query).count() == 3


@pytest.mark.django_db
def test_search_is_a_substring_match_across_words():
    OrganizationFactory(name="Đảng bộ xã Đức Lâm")
    OrganizationFactory(name="Đảng bộ xã Đức Đồng")

    assert [o.name for o in Organization.objects.search("DUC D")] == ["Đảng bộ xã Đức Đồng"]
    assert Organization.objects.search("lam duc").count() == 0


def test_the_search_mixin_reads_its_field_name():
    class ByTitle(FoldedSearch, models.QuerySet):
        folded_field = "search_title"

    queries = []

    class Spy(ByTitle):
        def filter(self, **kwargs):
            queries.append(kwargs)
            return self

    Spy(model=Organization).search("Đức")
    assert queries == [{"search_title__contains": "duc"}]
