from django.urls import path

from lindung.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.bill_list, name="list"),
    path("<int:pk>/", views.bill_detail, name="bill"),
    path("<int:pk>/bayar/", views.pay, name="pay"),
    path("<int:pk>/xlsx/", views.bill_xlsx, name="bill-xlsx"),
    path("<int:pk>/pdf/", views.bill_pdf, name="bill-pdf"),
    path("pembayaran/<int:pk>/bukti/", views.proof, name="proof"),
    path("program/<int:pk>/", views.program_billing, name="program"),
    path("program/<int:pk>/jalankan/", views.run, name="run"),
    path("program/<int:pk>/pratinjau/", views.run_preview, name="run-preview"),
    path("program/<int:pk>/realisasi/", views.realisation, name="realisation"),
    path("realisasi/", views.realisation_overview, name="realisations"),
    path("impor-pembayaran/", views.import_payments, name="import"),
    path("perencana/", views.planner_page, name="planner"),
    path("tarif/", views.rates_page, name="rates"),
]
