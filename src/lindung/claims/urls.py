from django.urls import path

from lindung.claims import views

app_name = "claims"

urlpatterns = [
    path("perkiraan-manfaat/", views.estimate, name="estimate"),
]
