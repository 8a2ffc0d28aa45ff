from django.apps import AppConfig


class EmissionsConfig(AppConfig):
    name = "emissions"
    verbose_name = "Emissions 排放核算"
