from django.urls import path

from lindung.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("agen/<int:pk>/retensi/", views.agent_retention, name="agent-retention"),
    path("<str:slug>/", views.dashboard, name="dashboard"),
    path("<str:slug>/desa/", views.dashboard_villages, name="villages"),
    path("<str:slug>/corong/", views.dashboard_funnels, name="funnels"),
    path("<str:slug>/xlsx/", views.dashboard_xlsx, name="xlsx"),
    path("<str:slug>/laporan.pdf", views.dashboard_pdf, name="pdf"),
]
