from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_noop

# The models' names as messages say them ("No inventory matches the request."): Django's
# verbose names stay plain English (changing them is a migration), so they are marked here
# for the catalogue and translated where a message names a model (tenancy).
MODEL_NAMES = (
    gettext_noop("organisation"),
    gettext_noop("membership"),
    gettext_noop("API key"),
    gettext_noop("API key factory"),
    gettext_noop("preferences"),
)


class AccountsConfig(AppConfig):
    name = "zerocarbon.accounts"
    label = "accounts"
    verbose_name = "Organisations and roles"

    def ready(self) -> None:
        # Every table's change trigger of the page cache's data generation, after each
        # migrate: a table added by a later migration gets it too (zerocarbon/page_cache.py).
        post_migrate.connect(_install_page_cache, sender=self, dispatch_uid="zc-page-cache")
        # The key's OpenAPI scheme is registered by zerocarbon.schema, which only the schema
        # needs: drf-spectacular would bring DRF's fields and test client into every process.
        from zerocarbon.accounts import preferences  # noqa: F401  (restores the language at login)


def _install_page_cache(using: str = "default", **_signal: Any) -> None:
    from zerocarbon import page_cache

    page_cache.install(using)
