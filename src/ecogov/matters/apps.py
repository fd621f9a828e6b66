from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "ecogov.matters"
    label = "matters"
    verbose_name = _("交办事项")

    def ready(self):
        from ecogov.matters import plug

        plug.plug_in()
