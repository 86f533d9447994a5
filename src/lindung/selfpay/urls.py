from django.urls import path

from lindung.selfpay import views

app_name = "selfpay"

urlpatterns = [
    path("", views.collections, name="collections"),
    path("kuitansi/<int:pk>/", views.receipt, name="receipt"),
    path("kuitansi/<int:pk>.pdf", views.receipt_pdf, name="receipt-pdf"),
]
