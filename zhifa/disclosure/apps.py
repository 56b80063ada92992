from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = _("执法公示")

    def ready(self) -> None:
        # The publication settings the law leaves to local rules (LAW.md, last table) join the cases
        # app's per-agency settings, so one settings page and one lookup serve both.
        from zhifa.disclosure.rules import register_settings

        register_settings()
