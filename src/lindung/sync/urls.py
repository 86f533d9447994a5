from django.urls import path

from lindung.sync import views

app_name = "sync"
urlpatterns = [
    path("luring/", views.offline, name="offline"),
    path("konflik/", views.conflicts, name="conflicts"),
    path("konflik/<int:pk>/", views.conflict, name="conflict"),
    path("perangkat/", views.devices, name="devices"),
    path("perangkat/<int:pk>/cabut/", views.device_revoke, name="device-revoke"),
]
