from django.urls import path

from lindung.targets import views

app_name = "targets"
urlpatterns = [
    path("contoh/<str:kind>.xlsx", views.figures_template, name="template"),
    path("bagi/<int:pk>/", views.target_split, name="split"),
    path("hapus/<str:kind>/<int:pk>/", views.figure_delete, name="delete"),
    path("<str:code>/", views.figures, name="figures"),
    path("<str:code>/unggah/", views.figures_upload, name="upload"),
]
