from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from zhifa.core import lookups  # noqa: F401  (registers the `__under` lookup)
