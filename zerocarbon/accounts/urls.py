from django.contrib.auth import views as auth_views
from django.urls import path

from zerocarbon.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set-language"),
    path("api-keys/", views.api_keys, name="api-keys"),
    path("api-keys/<slug:prefix>/revoke/", views.api_key_revoke, name="api-key-revoke"),
]
