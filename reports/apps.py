from django.apps import AppConfig
from django.utils.translation import gettext_noop

# The models' names as messages say them (see emissions/apps.py); translated where a message
# names a model (accounts.tenancy).
MODEL_NAMES = (
    gettext_noop("certificate"),
    gettext_noop("certificate sequence"),
    gettext_noop("rendered pdf"),
)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports 报告"
