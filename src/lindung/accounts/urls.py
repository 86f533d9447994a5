from django.urls import path

from lindung.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("baru/", views.user_edit, name="create"),
    path("<int:pk>/", views.user_edit, name="edit"),
    path("token/", views.tokens, name="tokens"),
    path("2fa/", views.second_factor_setup, name="2fa-setup"),
    path("2fa/masuk/", views.second_factor_verify, name="2fa-verify"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token-revoke"),
]
