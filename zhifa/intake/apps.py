from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "zhifa.intake"
    label = "intake"
    verbose_name = _("线索受理")

    def ready(self) -> None:
        # The capacity assessment counts the clues each township handled per item (APL Art. 24).
        from zhifa.intake.exercise import count_clues
        from zhifa.powers.exercise import CLUES, register_exercise_source

        register_exercise_source(CLUES, _("线索"), count_clues)
