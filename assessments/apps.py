from django.apps import AppConfig
from django.utils.translation import gettext_noop

# The models' names as messages say them ("No inventory matches the request."): Django's
# verbose names stay plain English (changing them is a migration), so they are marked here
# for the catalogue and translated where a message names a model (accounts.tenancy).
MODEL_NAMES = (
    gettext_noop("rubric"),
    gettext_noop("assessment"),
    gettext_noop("answer"),
    gettext_noop("evaluation"),
    gettext_noop("historical answer"),
    gettext_noop("historical assessment"),
    gettext_noop("historical answer evidence"),
    gettext_noop("review"),
    gettext_noop("review decision"),
    gettext_noop("review event"),
    gettext_noop("historical review"),
    gettext_noop("historical review decision"),
)


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments 评价"
