"""Forms of the case pages: one per transition input (`Transition.form` in zhifa.cases.procedure), the
form that opens a case, and the case list's filters.

The forms only parse the input into the payload the engine's guards and effects read
(zhifa.cases.guards, zhifa.cases.effects); every rule (amounts within the item's range, the hearing
right, the review tier never lowered, ...) is the engine's, answered in its words. Every action form
carries the case's `version` as the page showed it: of two officers acting at once, one wins and the
other is told the case moved on (CONFLICT).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import TIER_ORDER, Case, CaseSource, Procedure, ReviewTier
from zhifa.cases.settings_defaults import settings_for
from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import Agency, Person, PersonStatus

TEXT_MAX = 2000
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


def _text(label: Any, *, required: bool = False, rows: int = 3, message: Any = None) -> forms.CharField:
    errors = {"required": message} if message else {}
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=errors,
    )


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **MONEY,
    )


def _types_field(label: Any) -> forms.MultipleChoiceField:
    # Choices come from the case's item (`_penalty_choices`); the engine says what is missing.
    return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple)


def _penalty_choices(case: Case) -> list[tuple[str, str]]:
    """The penalty types the item's basis allows (APL Art. 9)."""
    return [(t, t) for t in (case.item.penalty_types or [])]


class ActionForm(StyledForm):
    """The base of every transition form: the case's version, and the payload for the engine."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, transition: Any, **kwargs: Any) -> None:
        self.case = case
        self.transition = transition
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", case.version)
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        """Fill choices and initial values from the case (overridden by the forms that need it)."""

    def payload(self) -> dict[str, Any]:
        """The cleaned input as the engine's guards and effects read it (without the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ConfirmForm(ActionForm):
    """A step that needs no input (the reviewer's recorded opinion or the case file speaks for it)."""


class NoteForm(ActionForm):
    note = _text(_("说明"), rows=2)


class ReasonForm(ActionForm):
    reason = _text(_("理由"), required=True, message=_("请填写理由。"))


class RectificationForm(ActionForm):
    """责令改正 (APL Art. 28): what to correct and by when."""

    requirement = _text(_("整改要求"), required=True, message=_("请填写整改要求。"))
    rectify_by = forms.DateField(label=_("整改期限"), widget=DateInput())
    note = _text(_("说明"), rows=2)


class ReminderForm(ActionForm):
    content = _text(_("提示内容"), required=True, rows=4, message=_("请填写提示内容。"))


class NoticeForm(ActionForm):
    """事先告知 (APL Art. 44): the intended penalty with the facts; the hearing right (Art. 63) is
    offered by the engine whenever the intended penalty qualifies."""

    intended_types = _types_field(_("拟处罚种类"))
    intended_fine = _money(_("拟罚款金额（元）"))
    intended_confiscation = _money(_("拟没收金额（元）"))
    facts = _text(_("违法事实"), rows=4)
    # Below the item's floor only with a stated ground (APL Art. 30-32).
    mitigation_ground = _text(_("减轻处罚的理由"), rows=2)

    def setup(self) -> None:
        self.fields["intended_types"].choices = _penalty_choices(self.case)
        item = self.case.item
        if item.fine_min is not None or item.fine_max is not None:
            self.fields["intended_fine"].help_text = _("该事项罚款幅度：%(low)s 至 %(high)s 元") % {
                "low": item.fine_min if item.fine_min is not None else "—",
                "high": item.fine_max if item.fine_max is not None else "—",
            }
        # APL Art. 63: "large" fines are set locally; shown with their value and source.
        settings = settings_for(self.case.agency)
        person, organisation = settings["hearing_fine_person"], settings["hearing_fine_organisation"]
        self.fields["intended_types"].help_text = _(
            "拟罚款达到较大数额（自然人%(person)s元、法人或其他组织%(org)s元，%(source)s）或拟作出其他"
            "应当听证的处罚的，系统将在告知书中告知听证权利（《行政处罚法》第六十三条）。"
        ) % {"person": person.value, "org": organisation.value, "source": person.source}
        self.fields["mitigation_ground"].help_text = _(
            "低于罚款下限须写明减轻处罚的法定情形（《行政处罚法》第三十条至第三十二条）。"
        )
        self.initial.setdefault("facts", self.case.facts)
        if self.case.intended_types:
            self.initial.setdefault("intended_types", list(self.case.intended_types))


class NoPenaltyForm(ActionForm):
    """不予处罚 (APL Art. 33): the ground."""

    reason = _text(_("不予处罚的理由"), required=True, rows=4, message=_("请填写不予处罚的理由。"))


class HearingForm(ActionForm):
    """组织听证 (APL Art. 64): time, place and a chair who did not investigate the case."""

    scheduled_at = forms.DateTimeField(
        label=_("听证时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("听证通知须在举行七个工作日前送达（《行政处罚法》第六十四条）。"),
    )
    place = forms.CharField(label=_("听证地点"), max_length=200)
    chair_id = forms.TypedChoiceField(label=_("听证主持人"), coerce=int)
    public = forms.BooleanField(label=_("公开举行"), required=False, initial=True)

    def setup(self) -> None:
        officers = self.case.officers.filter(withdrawn_on__isnull=True).values_list("person_id", flat=True)
        people = (
            Person.objects.filter(agency_id=self.case.agency_id, status=PersonStatus.ACTIVE)
            .exclude(pk__in=list(officers))
            .order_by("name", "pk")
        )
        self.fields["chair_id"].choices = [("", _("请选择"))] + [(p.pk, p.name) for p in people]
        self.fields["chair_id"].help_text = _("由非本案调查人员主持（《行政处罚法》第六十四条第（四）项）。")


class ReviewForm(ActionForm):
    """提交法制审核 (APL Art. 58; seed 000): the tier, proposed from the case, may be raised only."""

    tier = forms.ChoiceField(label=_("审核层级"))
    note = _text(_("说明"), rows=2)

    def setup(self) -> None:
        from zhifa.cases.review_rules import required_tier

        needed = required_tier(self.case)
        self.fields["tier"].choices = [
            (t.value, t.label) for t in ReviewTier if TIER_ORDER[t] >= TIER_ORDER[needed]
        ]
        self.initial.setdefault("tier", needed.value)
        self.fields["tier"].help_text = _("系统建议“%(tier)s”，可以提高，不能降低。") % {"tier": needed.label}


class DiscussionForm(ActionForm):
    """集体讨论 (APL Art. 57 para 2): the heads present and their conclusion."""

    chair = forms.CharField(label=_("主持人"), max_length=50)
    attendees = forms.CharField(
        label=_("参加人员"), max_length=500, help_text=_("三名以上负责人，用逗号分隔。")
    )
    conclusion = _text(_("讨论结论"), required=True, rows=4, message=_("请填写讨论结论。"))
    agreed = forms.TypedChoiceField(
        label=_("讨论意见"),
        choices=[("1", _("同意作出决定")), ("0", _("不同意，退回调查"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    def setup(self) -> None:
        self.fields["agreed"].widget.attrs["class"] = "form-check-input"


class DecisionForm(ActionForm):
    """作出处罚决定 (APL Art. 57, 59): no heavier than the notice (Art. 45)."""

    penalty_types = _types_field(_("处罚种类"))
    fine_amount = _money(_("罚款金额（元）"))
    confiscation_amount = _money(_("没收金额（元）"))
    mitigation_ground = _text(_("减轻处罚的理由"), rows=2)

    def setup(self) -> None:
        case = self.case
        self.fields["penalty_types"].choices = _penalty_choices(case)
        self.initial.setdefault("penalty_types", list(case.intended_types or []))
        self.initial.setdefault("fine_amount", case.intended_fine)
        self.initial.setdefault("confiscation_amount", case.intended_confiscation)
        if case.intended_fine is not None:
            self.fields["fine_amount"].help_text = _(
                "事先告知的罚款为%(fine)s元，不得因陈述申辩而加重（《行政处罚法》第四十五条）。"
            ) % {"fine": case.intended_fine}


class OnTheSpotForm(ActionForm):
    """当场处罚 (APL Art. 51-52): a warning, or a fine within the simplified limits, handed over."""

    penalty_types = _types_field(_("处罚种类"))
    fine_amount = _money(
        _("罚款金额（元）"), _("公民200元以下、法人或其他组织3000元以下（《行政处罚法》第五十一条）。")
    )
    recipient = forms.CharField(label=_("签收人"), max_length=50, required=False)
    refused_note = forms.CharField(label=_("拒绝签收情况"), max_length=300, required=False)

    def setup(self) -> None:
        self.fields["penalty_types"].choices = _penalty_choices(self.case)


class TransferForm(ActionForm):
    """移交其他机关 (APL Art. 22-25): an agency of the county."""

    to_agency_id = forms.TypedChoiceField(label=_("移交机关"), coerce=int)
    reason = _text(_("移交理由"), required=True, message=_("请填写移交理由。"))

    def setup(self) -> None:
        county = self.case.agency.region.adcode[:6]
        agencies = (
            Agency.objects.filter(region__adcode__startswith=county, is_active=True)
            .exclude(pk=self.case.agency_id)
            .order_by("kind", "name")
        )
        self.fields["to_agency_id"].choices = [("", _("请选择"))] + [(a.pk, a.name) for a in agencies]


class JudiciaryForm(ActionForm):
    """移送司法机关 (APL Art. 27)."""

    to_judiciary = forms.CharField(label=_("接收的司法机关"), max_length=100)
    reason = _text(_("移送理由"), required=True, message=_("请填写移送理由。"))


class ExecutionForm(ActionForm):
    """强制执行完毕: when it was carried out (ACL Art. 43: not at night or on holidays unless urgent)."""

    executed_at = forms.DateTimeField(
        label=_("执行时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = _text(_("执行情况"), required=True, message=_("请填写执行情况。"))
    emergency = forms.BooleanField(label=_("情况紧急"), required=False)
    emergency_reason = _text(_("紧急情形"), rows=2)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "": ConfirmForm,
    "note": NoteForm,
    "reason": ReasonForm,
    "rectification": RectificationForm,
    "reminder": ReminderForm,
    "notice": NoticeForm,
    "no_penalty": NoPenaltyForm,
    "hearing": HearingForm,
    "review": ReviewForm,
    "discussion": DiscussionForm,
    "decision": DecisionForm,
    "on_the_spot": OnTheSpotForm,
    "transfer": TransferForm,
    "judiciary": JudiciaryForm,
    "execution": ExecutionForm,
}


def action_form(transition: Any, case: Case, data: Any = None) -> ActionForm:
    """The form of `transition` for `case`, unbound (with the case's version) or bound to a POST."""
    form_class = ACTION_FORMS[transition.form]
    return form_class(data, case=case, transition=transition, prefix="act")


# --- opening a case ----------------------------------------------------------------------------------


class CaseOpenForm(StyledForm):
    """案源登记: the fields of services.cases.CaseInput (the agency is the officer's own)."""

    agency = forms.TypedChoiceField(label=_("执法主体"), coerce=int)
    item = forms.TypedChoiceField(label=_("执法事项"), coerce=int)
    region = forms.TypedChoiceField(label=_("违法行为发生地"), coerce=int)
    title = forms.CharField(label=_("案由"), max_length=200, error_messages={"required": _("请填写案由。")})
    procedure = forms.ChoiceField(label=_("程序"), choices=Procedure.choices, initial=Procedure.GENERAL)
    source = forms.ChoiceField(
        label=_("案件来源"),
        choices=[
            (v, label) for v, label in CaseSource.choices if v not in (CaseSource.CLUE, CaseSource.TRANSFER)
        ],
        initial=CaseSource.SELF,
    )
    source_note = forms.CharField(label=_("来源说明"), max_length=300, required=False)
    act_on = forms.DateField(label=_("违法行为发生日期"), widget=DateInput())
    act_continuing_until = forms.DateField(
        label=_("连续或继续状态终了日期"),
        required=False,
        widget=DateInput(),
        help_text=_("追责时效自行为终了之日起计算（《行政处罚法》第三十六条）。"),
    )
    discovered_on = forms.DateField(label=_("发现日期"), widget=DateInput())
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    facts = _text(_("违法事实"), rows=4)
    art36_harm = forms.BooleanField(
        label=_("涉及公民生命健康安全、金融安全且有危害后果（时效五年）"), required=False
    )
    complex_case = forms.BooleanField(label=_("重大、复杂或疑难案件"), required=False)

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        items: list[tuple[Any, list[tuple[int, str]]]],
        regions: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        self.fields["item"].choices = [("", _("请选择")), *items]
        self.fields["region"].choices = [("", _("请选择")), *regions]
        if len(agencies) == 1:
            self.fields["agency"].widget = forms.HiddenInput()
            self.initial.setdefault("agency", agencies[0].pk)
