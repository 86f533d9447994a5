from django.urls import path

from lindung.programs import agreed_views, funnel_views, views

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
    path("<int:pk>/corong/", funnel_views.funnel_page, name="funnel"),
    path("<int:pk>/corong/xlsx/", funnel_views.funnel_xlsx, name="funnel-xlsx"),
    path("<int:pk>/corong/pdf/", funnel_views.funnel_pdf, name="funnel-pdf"),
    path("<int:pk>/musdes/", agreed_views.agreed_lists, name="agreed-lists"),
    path("<int:pk>/musdes/<int:list_id>/", agreed_views.agreed_list, name="agreed-list"),
    path(
        "<int:pk>/musdes/<int:list_id>/berita-acara/<int:version_id>/",
        agreed_views.agreed_minutes,
        name="agreed-minutes",
    ),
    path(
        "<int:pk>/musdes/<int:list_id>/usulkan/",
        agreed_views.agreed_propose,
        name="agreed-propose",
    ),
    path(
        "<int:pk>/musdes/<int:list_id>/periksa/",
        agreed_views.agreed_recheck,
        name="agreed-recheck",
    ),
]
