from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "zhifa.powers"
    label = "powers"
    verbose_name = _("权责清单")

    def ready(self) -> None:
        # The item import is one of the imports listed on /org/import/ (the org app knows no powers).
        from zhifa.org.views.imports import register_kind
        from zhifa.powers.views.files import POWER_ITEMS_KIND

        register_kind(POWER_ITEMS_KIND)
