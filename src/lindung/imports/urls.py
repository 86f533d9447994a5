from django.urls import path

from lindung.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("templat.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/kemajuan/", views.job_progress, name="progress"),
    path("<int:pk>/batal/", views.job_cancel, name="cancel"),
    path("<int:pk>/lanjutkan/", views.job_resume, name="resume"),
    path("<int:pk>/laporan.<str:fmt>", views.job_report, name="report"),
    path("pembaruan/", views.update_index, name="updates"),
    path("pembaruan/<int:pk>/", views.update_detail, name="update"),
]
