"""Similar open items, compared without diacritics (the SQLite fallback here)."""

import pytest
from django.urls import reverse

from chibo import access
from feedback.models import FeedbackItem
from feedback.selectors import similar_items, trigram_similarity

from .conftest import routed_item

pytestmark = pytest.mark.django_db


def test_trigram_similarity_matches_pg_trgm():
    # The PostgreSQL documentation: similarity('word', 'two words') = 0.36363637
    assert round(trigram_similarity("word", "two words"), 6) == 0.363636
    assert trigram_similarity("", "x") == 0.0
    assert trigram_similarity("khai thac cat", "khai thac cat") == 1.0


def test_similar_open_items_ignore_diacritics(world):
    sand = routed_item(world, "forwarded", text="Tình trạng khai thác cát trái phép trên sông La")
    routed_item(world, "closed", text="Khai thác cát trái phép trên sông La")
    routed_item(world, "forwarded", text="Đề nghị hỗ trợ hộ nghèo làm nhà ở")
    found = similar_items(
        text="khai thac cat trai phep song La", queryset=FeedbackItem.objects.all()
    )
    assert [item.pk for item in found] == [sand.pk]
    assert found[0].similarity >= 0.3


def test_similar_leaves_out_linked_and_the_item_itself(world):
    main = routed_item(world, "forwarded", text="Khai thác cát trái phép trên sông La")
    routed_item(world, "forwarded", text="Khai thác cát trái phép trên sông La", main_item=main)
    assert (
        similar_items(text=main.text, queryset=FeedbackItem.objects.all(), exclude_pk=main.pk) == []
    )


def test_similar_fragment_only_from_visible_items(client, world):
    routed_item(world, "forwarded", cell="b1", text="Khai thác cát trái phép trên sông La")
    mine = routed_item(world, "new", text="Khai thác cát trái phép ở bến sông La")
    client.force_login(world.secretary)
    response = client.get(reverse("feedback_similar"), {"text": "khai thác cát trái phép sông La"})
    assert [item.pk for item in response.context["similar"]] == [mine.pk]
    assert response.content.decode().count("similar-item") == 1


def test_detail_suggests_similar_items_to_those_who_link(client, world):
    main = routed_item(world, "forwarded", cell="a2", text="Khai thác cát trái phép trên sông La")
    item = routed_item(world, "new", text="Khai thác cát trái phép trên sông La, xóm 2")
    client.force_login(world.staff_c)
    assert [
        i.pk for i in client.get(reverse("feedback_detail", args=[item.pk])).context["similar"]
    ] == [main.pk]
    client.force_login(world.secretary)
    assert client.get(reverse("feedback_detail", args=[item.pk])).context["similar"] == []
    assert access.visible(world.secretary, FeedbackItem).filter(pk=main.pk).exists() is False
