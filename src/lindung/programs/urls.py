from django.urls import path

from lindung.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("baru/", views.program_create, name="create"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/ubah/", views.program_edit, name="edit"),
    path("<int:pk>/kuota/", views.set_quota, name="set-quota"),
    path("<int:pk>/dasar-hukum/", views.add_legal, name="add-legal"),
    path("<int:pk>/dasar-hukum/<int:doc>/pdf/", views.legal_pdf, name="legal-pdf"),
    path("<int:pk>/usulan/", views.propose, name="propose"),
    path("<int:pk>/usulan/penghitung/", views.quota_counter, name="quota-counter"),
    path("<int:pk>/verifikasi/", views.verification_queue, name="verify"),
    path("<int:pk>/peserta/", views.enrollment_list, name="enrollments"),
    path("kepesertaan/<int:pk>/", views.enrollment_detail, name="enrollment"),
]
