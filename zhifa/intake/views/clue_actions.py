"""The actions of the clue page: which form each takes, who may use it (intake.policies), in which
status it is offered, and the service it calls (services.dispatch / services.loop).

Concurrency (issue 4, "Bad input and reliability"): every form carries the clue's `version` as the page
showed it. A form whose version is no longer the clue's is answered with the services' CONFLICT message
("已被他人办理…") before anything is called; the service's conditional UPDATE catches the remaining
race between that check and the write, so exactly one of two simultaneous actions wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake import forms_command as f
from zhifa.intake.models import Clue, ClueStatus, JointMeeting
from zhifa.intake.policies import can_command, can_handle, can_verify
from zhifa.intake.selectors.clues import clue_detail
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.common import moved_on
from zhifa.intake.services.photos import PhotoUpload
from zhifa.org.models import Agency, Team


@dataclass(frozen=True)
class ClueAction:
    """One action of the clue page."""

    form: type[forms.Form]
    allowed: Callable[[Any, Clue], bool]
    statuses: tuple[str, ...]
    call: Callable[[Any, Clue, dict[str, Any]], Clue]
    label: Any


def _photos(files: list) -> list[PhotoUpload]:
    return [PhotoUpload(upload.name[:100], upload.read()) for upload in files]


def _merge(user: Any, clue: Clue, data: dict[str, Any]) -> Clue:
    try:
        into = clue_detail(user, data["into"])
    except Http404:
        raise ServiceError(ErrorCode.NOT_FOUND, _("所选线索不存在。"), field="into") from None
    return dispatch.clue_merge(actor=user, clue=clue, into=into, version=data["version"])


ACTIONS: dict[str, ClueAction] = {
    "classify": ClueAction(
        f.ClassifyForm,
        can_command,
        (ClueStatus.REPORTED,),
        lambda user, clue, d: dispatch.clue_classify(
            actor=user, clue=clue, items=list(d["items"]), version=d["version"]
        ),
        gettext_lazy("定性"),
    ),
    "dispatch": ClueAction(
        f.DispatchForm,
        can_command,
        (ClueStatus.REPORTED,),
        lambda user, clue, d: dispatch.clue_dispatch(
            actor=user, clue=clue, team=d["team"], note=d["note"], version=d["version"]
        ),
        gettext_lazy("派遣"),
    ),
    "joint": ClueAction(
        f.JointDecisionForm,
        can_command,
        (ClueStatus.JOINT,),
        lambda user, clue, d: dispatch.joint_meeting_decide(
            actor=user,
            clue=clue,
            lead_agency=d["lead_agency"],
            decision=d["decision"],
            team=d["team"],
            version=d["version"],
        ),
        gettext_lazy("联席会商决定"),
    ),
    "merge": ClueAction(f.MergeForm, can_command, (ClueStatus.REPORTED,), _merge, gettext_lazy("合并")),
    "dismiss": ClueAction(
        f.ReasonForm,
        can_command,
        (ClueStatus.REPORTED,),
        lambda user, clue, d: dispatch.clue_dismiss(
            actor=user, clue=clue, reason=d["reason"], version=d["version"]
        ),
        gettext_lazy("不予受理"),
    ),
    "close": ClueAction(
        f.NoteForm,
        can_command,
        (ClueStatus.VERIFIED,),
        lambda user, clue, d: loop.clue_close(actor=user, clue=clue, note=d["note"], version=d["version"]),
        gettext_lazy("结案"),
    ),
    "accept": ClueAction(
        f.VersionForm,
        can_handle,
        (ClueStatus.DISPATCHED,),
        lambda user, clue, d: loop.clue_accept(actor=user, clue=clue, version=d["version"]),
        gettext_lazy("签收"),
    ),
    "send_back": ClueAction(
        f.ReasonForm,
        can_handle,
        (ClueStatus.DISPATCHED,),
        lambda user, clue, d: loop.clue_send_back(
            actor=user, clue=clue, reason=d["reason"], version=d["version"]
        ),
        gettext_lazy("退回"),
    ),
    "handle": ClueAction(
        f.HandleForm,
        can_handle,
        (ClueStatus.HANDLING,),
        lambda user, clue, d: loop.clue_handle(
            actor=user,
            clue=clue,
            result=d["result"],
            note=d["note"],
            photos=_photos(d["photos"]),
            version=d["version"],
        ),
        gettext_lazy("处置"),
    ),
    "feedback": ClueAction(
        f.NoteForm,
        can_handle,
        (ClueStatus.HANDLED,),
        lambda user, clue, d: loop.clue_feedback(actor=user, clue=clue, note=d["note"], version=d["version"]),
        gettext_lazy("反馈"),
    ),
    "verify": ClueAction(
        f.VerifyForm,
        can_verify,
        (ClueStatus.FED_BACK,),
        lambda user, clue, d: loop.clue_verify(
            actor=user, clue=clue, passed=d["passed"], note=d["note"], version=d["version"]
        ),
        gettext_lazy("核查"),
    ),
}


def meeting_agencies(clue: Clue) -> Any:
    meeting = JointMeeting.objects.filter(clue=clue).first()
    return meeting.agencies.all() if meeting is not None else Agency.objects.none()


def build_form(name: str, clue: Clue, data: Any = None, files: Any = None, teams: Any = None) -> forms.Form:
    """The form of action `name` for `clue`, unbound (with the clue's version) or bound to a POST."""
    kwargs: dict[str, Any] = {"prefix": name}
    if name == "dispatch":
        kwargs["teams"] = teams if teams is not None else Team.objects.all()
    elif name == "joint":
        kwargs["agencies"] = meeting_agencies(clue)
    if data is None:
        return ACTIONS[name].form(initial={"version": clue.version}, **kwargs)
    return ACTIONS[name].form(data, files, **kwargs)


def available(user: Any, clue: Clue) -> list[str]:
    """The actions `user` may take on `clue` now (policy and status), in the page's order."""
    checks: dict[Callable[[Any, Clue], bool], bool] = {}
    names = []
    for name, action in ACTIONS.items():
        if clue.status not in action.statuses:
            continue
        if action.allowed not in checks:
            checks[action.allowed] = action.allowed(user, clue)
        if checks[action.allowed]:
            names.append(name)
    return names


@dataclass
class Outcome:
    """What became of a posted action: the clue after it, or the bound form with its errors."""

    form: forms.Form
    clue: Clue | None = None
    status: int = 200


def perform(name: str, user: Any, clue: Clue, data: Any, files: Any) -> Outcome:
    """Validate the posted form of `name` and call its service; errors land on the form's fields."""
    action = ACTIONS[name]
    form = build_form(name, clue, data, files)
    if not form.is_valid():
        return Outcome(form, status=400)
    if form.cleaned_data["version"] != clue.version:
        form.add_service_error(moved_on(clue))
        return Outcome(form, status=409)
    try:
        done = action.call(user, clue, form.cleaned_data)
    except ServiceError as exc:
        form.add_service_error(exc)
        status = {ErrorCode.CONFLICT: 409, ErrorCode.NOT_ALLOWED: 403}.get(exc.code, 400)
        return Outcome(form, status=status)
    return Outcome(form, clue=done)
