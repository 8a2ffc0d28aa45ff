from django.apps import AppConfig
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
        # The key's OpenAPI scheme is registered by zerocarbon.schema, which only the schema
        # needs: drf-spectacular would bring DRF's fields and test client into every process.
        from zerocarbon.accounts import preferences  # noqa: F401  (restores the language at login)
