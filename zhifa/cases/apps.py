from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = _("处罚案件")

    def ready(self) -> None:
        # The capacity assessment counts the cases each township filed per item (APL Art. 24).
        from zhifa.cases.exercise import count_cases
        from zhifa.powers.exercise import CASES, register_exercise_source

        register_exercise_source(CASES, _("案件"), count_cases)
