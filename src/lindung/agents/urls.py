from django.urls import path

from lindung.agents import views

app_name = "agents"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.agent_create, name="agent-create"),
    path("<int:pk>/", views.agent_detail, name="agent"),
    path("<int:pk>/ubah/", views.agent_edit, name="agent-edit"),
    path("<int:pk>/status/", views.agent_status, name="agent-status"),
    path("<int:pk>/tugaskan/", views.agent_assign, name="agent-assign"),
    path("wadah/baru/", views.organisation_create, name="organisation-create"),
    path("wadah/<int:pk>/", views.organisation_detail, name="organisation"),
    path("wadah/<int:pk>/ubah/", views.organisation_edit, name="organisation-edit"),
    path("wadah/<int:pk>/perjanjian/", views.organisation_agreement, name="agreement-add"),
    path(
        "wadah/<int:pk>/perjanjian/<int:agreement>/berkas/",
        views.agreement_document,
        name="agreement-document",
    ),
    path("wadah/<int:pk>/desa/", views.organisation_villages, name="organisation-villages"),
    path("wadah/<int:pk>/status/", views.organisation_status, name="organisation-status"),
    path("daftar-kerja/", views.work_list, name="work-list"),
    path("daftar-kerja/<int:pk>/kontak/", views.contact, name="contact"),
]
