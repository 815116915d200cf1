from django.urls import path

from .views import items, moves, readback

urlpatterns: list = [
    path("", items.feedback_list, name="feedback_list"),
    path("new/", items.feedback_create, name="feedback_create"),
    path("similar/", items.feedback_similar, name="feedback_similar"),
    path("<int:pk>/", items.feedback_detail, name="feedback_detail"),
    path("<int:pk>/edit/", items.feedback_edit, name="feedback_edit"),
    path("<int:pk>/forward/", moves.feedback_forward, name="feedback_forward"),
    path("<int:pk>/due-date/", moves.feedback_due_date, name="feedback_due_date"),
    path("<int:pk>/link/", moves.feedback_link, name="feedback_link"),
    path("<int:pk>/unlink/", moves.feedback_unlink, name="feedback_unlink"),
    path("<int:pk>/<slug:action>/", moves.feedback_move, name="feedback_move"),
    path("files/<int:pk>/", items.attachment_download, name="feedback_attachment"),
    path("meeting/<int:pk>/read-back/", readback.feedback_readback, name="feedback_readback"),
]
