from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "ecogov.matters"
    label = "matters"
    verbose_name = _("交办事项")

    def ready(self):
        from ecogov.core.areas import register_area
        from ecogov.matters import plug, scheduled, synth
        from ecogov.matters.figures import provider

        plug.plug_in()
        register_area("matters", figures=provider, synth=synth.generate)
        scheduled.register()  # the daily reminders (ecogov scheduler)
