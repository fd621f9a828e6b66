from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "ecogov.matters"
    label = "matters"
    verbose_name = _("交办事项")

    def ready(self):
        from ecogov.core.areas import register_synth
        from ecogov.matters import synth

        register_synth("matters", synth.generate)  # ecogov synth (core.synth)
        from ecogov.core.areas import register_figures
        from ecogov.matters import plug
        from ecogov.matters.figures import provider

        plug.plug_in()
        register_figures("matters", provider)
