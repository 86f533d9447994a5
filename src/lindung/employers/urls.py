from django.urls import path

from lindung.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.create, name="create"),
    path("daftar-kerja/", views.work_list, name="work-list"),
    path("impor/", views.import_file, name="import"),
    path("impor/contoh.xlsx", views.import_template, name="import-template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/tindakan/", views.action, name="action"),
    path("<int:pk>/tindakan/<int:action>/berkas/", views.action_document, name="action-document"),
    path("<int:pk>/pekerja/", views.link_worker, name="link-worker"),
    path("<int:pk>/pekerja/<int:worker>/lepas/", views.unlink_worker, name="unlink-worker"),
    path("sosialisasi/", views.events, name="events"),
    path("sosialisasi/baru/", views.event_create, name="event-create"),
    path("sosialisasi/<int:pk>/", views.event, name="event"),
]
