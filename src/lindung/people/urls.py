from django.urls import path

from lindung.people import review, views

app_name = "people"
urlpatterns = [
    path("", views.worker_list, name="list"),
    path("baru/", views.worker_create, name="create"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/ubah/", views.worker_edit, name="edit"),
    path("<int:pk>/hapus/", views.worker_delete, name="delete"),
    path("ganda/", review.duplicate_list, name="duplicates"),
    path("ganda/<int:pk>/", review.duplicate_detail, name="duplicate"),
]
