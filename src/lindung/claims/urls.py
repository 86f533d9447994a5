from django.urls import path

from lindung.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("baru/", views.claim_create, name="create"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/foto/", views.claim_photo, name="photo"),
    path("perkiraan-manfaat/", views.estimate, name="estimate"),
]
