from django.urls import path

from lindung.selfpay import views

app_name = "selfpay"

urlpatterns = [
    path("", views.collections, name="collections"),
    path("kuitansi/<int:pk>/", views.receipt, name="receipt"),
    path("kuitansi/<int:pk>.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("setoran/", views.deposits, name="deposits"),
    path("rekening-koran/", views.statement_import, name="statement"),
    path("selisih/", views.differences, name="differences"),
    path("imbal-jasa/", views.fee_statements, name="fees"),
    path("imbal-jasa/<int:pk>/", views.fee_statement, name="fee-statement"),
    path("imbal-jasa/<int:pk>/setujui/", views.approve_statement, name="fee-approve"),
]
