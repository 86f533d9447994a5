from django.urls import path

from lindung.maps import views

app_name = "maps"
urlpatterns = [
    path("batas/", views.boundaries, name="boundaries"),
]
