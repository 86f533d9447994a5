from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lindung.accounts.picker import region_picker
from lindung.api import api
from lindung.operations.metrics import metrics
from lindung.sync import views as sync
from lindung.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # The installable app: the service worker must come from the root to serve every page.
    path("sw.js", sync.service_worker, name="service-worker"),
    path("manifest.webmanifest", sync.manifest, name="manifest"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("pekerja/", include("lindung.people.urls")),
    path("impor/", include("lindung.imports.urls")),
    path("ekspor/", include("lindung.exports.urls")),
    path("pengguna/", include("lindung.accounts.urls")),
    path("program/", include("lindung.programs.urls")),
    path("bpjs/", include("lindung.bpjs.urls")),
    path("tagihan/", include("lindung.billing.urls")),
    path("dasbor/", include("lindung.dashboards.urls")),
    path("peta/", include("lindung.maps.urls")),
    path("target/", include("lindung.targets.urls")),
    path("agen/", include("lindung.agents.urls")),
    path("privasi/", include("lindung.privacy.urls")),
    path("mandiri/", include("lindung.selfpay.urls")),
    path("pemberi-kerja/", include("lindung.employers.urls")),
    path("sinkron/", include("lindung.sync.urls")),
    path("klaim/", include("lindung.claims.urls")),
    path("laporan/", include("lindung.reports.urls")),
    path("wilayah/pilih/", region_picker, name="region-picker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "lindung.web.views.bad_request"
handler403 = "lindung.web.views.permission_denied"
handler404 = "lindung.web.views.not_found"
handler500 = "lindung.web.views.server_error"
