from django.urls import path

from lindung.targets import views

app_name = "targets"
urlpatterns = [
    path("dasbor/", views.dashboard_home, name="home"),
    path("dasbor/<str:slug>/", views.dashboard, name="dashboard"),
    path("dasbor/<str:slug>/desa/", views.dashboard_villages, name="villages"),
    path("dasbor/<str:slug>/xlsx/", views.dashboard_xlsx, name="xlsx"),
    path("dasbor/<str:slug>/laporan.pdf", views.dashboard_pdf, name="pdf"),
    path("target/contoh/<str:kind>.xlsx", views.figures_template, name="template"),
    path("target/bagi/<int:pk>/", views.target_split, name="split"),
    path("target/hapus/<str:kind>/<int:pk>/", views.figure_delete, name="delete"),
    path("target/<str:code>/", views.figures, name="figures"),
    path("target/<str:code>/unggah/", views.figures_upload, name="upload"),
]
