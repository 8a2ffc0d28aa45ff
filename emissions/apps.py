from django.apps import AppConfig
from django.utils.translation import gettext_noop

# The models' names as messages say them ("No inventory matches the request."): Django's
# verbose names stay plain English (changing them is a migration), so they are marked here
# for the catalogue and translated where a message names a model (accounts.tenancy).
MODEL_NAMES = (
    gettext_noop("factory"),
    gettext_noop("factor set"),
    gettext_noop("factor set fuel"),
    gettext_noop("factor set grid factor"),
    gettext_noop("factor set gwp"),
    gettext_noop("factor set gas alias"),
    gettext_noop("factor set blend component"),
    gettext_noop("inventory"),
    gettext_noop("energy record"),
    gettext_noop("process emission"),
    gettext_noop("refrigerant record"),
    gettext_noop("scope3 entry"),
    gettext_noop("reduction measure"),
    gettext_noop("evidence document"),
    gettext_noop("green electricity instrument"),
    gettext_noop("carbon credit"),
    gettext_noop("serial claim"),
    gettext_noop("meter"),
    gettext_noop("reading"),
    gettext_noop("reading correction"),
    gettext_noop("meter month"),
    gettext_noop("meter year quality"),
    gettext_noop("registry"),
    gettext_noop("registry alias"),
    gettext_noop("import job"),
    gettext_noop("historical factory"),
    gettext_noop("historical inventory"),
    gettext_noop("historical energy record"),
    gettext_noop("historical process emission"),
    gettext_noop("historical refrigerant record"),
    gettext_noop("historical scope3 entry"),
    gettext_noop("historical reduction measure"),
    gettext_noop("historical evidence document"),
    gettext_noop("historical green electricity instrument"),
    gettext_noop("historical carbon credit"),
)


class EmissionsConfig(AppConfig):
    name = "emissions"
    verbose_name = "Emissions 排放核算"

    def ready(self) -> None:
        # The kernels cannot import Django: their messages go through this hook, so that they
        # speak the language of the request (or of the command) like every other message.
        from django.utils.translation import get_language, gettext

        from emissions.accounting import translation

        translation.install(gettext)
        translation.install_language(get_language)
