from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zerocarbon.accounts"
    label = "accounts"
    verbose_name = "Organisations and roles"
