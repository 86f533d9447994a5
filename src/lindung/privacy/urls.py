from django.urls import path

from lindung.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("akses/", views.access_log, name="access-log"),
    path("subjek/", views.subject_search, name="subject"),
    path("subjek/<int:pk>/salinan/", views.subject_copy, name="subject-copy"),
    path("subjek/<int:pk>/perbaiki/", views.subject_correct, name="subject-correct"),
    path("subjek/<int:pk>/hapus/", views.subject_erase, name="subject-erase"),
    path(
        "riwayat/<str:kind>/<int:pk>/",
        views.record_history,
        name="history",
    ),
]
