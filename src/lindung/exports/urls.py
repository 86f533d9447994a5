from django.urls import path

from lindung.exports import views

app_name = "exports"
urlpatterns = [path("pekerja/", views.workers_export, name="workers")]
