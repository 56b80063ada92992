"""Navigation per role: the menu each role sees on every page (a template context processor).

Items name the action they need (org.policies.Action) and, where the action is too wide, the roles
that use the page; an item whose page does not exist yet (its URL name does not resolve) is left out,
so the menu only ever links to real pages. An `own_township` item links to the user's own township's
page (its URL takes the township code) and is left out for users who do not work in a township.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import RoleCode
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import has_role, person_of, role_codes


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Promise
    url_name: str
    icon: str
    action: Action = Action.VIEW
    section: Promise | None = None
    staff_only: bool = False
    roles: tuple[str, ...] = ()  # when set, only these roles (and superusers) see the item
    own_township: bool = False  # the URL takes the user's own township's code


CLUE_REPORTERS = (
    RoleCode.GRID_WORKER,
    RoleCode.DISPATCHER,
    RoleCode.OFFICER,
    RoleCode.TEAM_LEADER,
    RoleCode.ADMIN,
)

# Who plans, does or supervises inspections (inspections.policies.SEE_ROLES, without dispatchers).
INSPECTION_STAFF = (
    RoleCode.OFFICER,
    RoleCode.TEAM_LEADER,
    RoleCode.ZONE_LEADER,
    RoleCode.JUSTICE_BUREAU,
    RoleCode.ADMIN,
)

NAV: tuple[NavItem, ...] = (
    NavItem("home", _("工作台"), "home", "bi-house"),
    # Those who report clues (intake.policies.REPORTER_ROLES), grid workers first.
    NavItem(
        "clue-report", _("上报线索"), "intake-report", "bi-camera", section=_("线索"), roles=CLUE_REPORTERS
    ),
    NavItem("clue-mine", _("我的线索"), "intake-mine", "bi-card-checklist", roles=CLUE_REPORTERS),
    # The command centre (dispatchers, administrators) and the team's assigned clues (intake.policies).
    NavItem(
        "intake-command",
        _("指挥调度"),
        "intake-command",
        "bi-broadcast",
        section=_("线索"),
        roles=(RoleCode.DISPATCHER, RoleCode.ADMIN),
    ),
    NavItem(
        "intake-team",
        _("待办线索"),
        "intake-team",
        "bi-inboxes",
        section=_("线索"),
        roles=(RoleCode.OFFICER, RoleCode.TEAM_LEADER),
    ),
    # Cases (issue 5): those who run, approve and review them; the review queue once it exists.
    NavItem(
        "cases",
        _("案件办理"),
        "case-list",
        "bi-folder2-open",
        section=_("案件"),
        roles=(RoleCode.OFFICER, RoleCode.TEAM_LEADER, RoleCode.LEGAL_REVIEWER, RoleCode.JUSTICE_BUREAU),
    ),
    NavItem(
        "case-review-queue",
        _("法制审核"),
        "case-review-queue",
        "bi-clipboard2-check",
        section=_("案件"),
        roles=(RoleCode.LEGAL_REVIEWER, RoleCode.JUSTICE_BUREAU),
    ),
    # The collecting bank's confirmations (APL Art. 67: the agency never collects the fine itself).
    NavItem(
        "payment-import",
        _("缴款导入"),
        "payment-import",
        "bi-bank",
        section=_("案件"),
        roles=(RoleCode.TEAM_LEADER, RoleCode.ADMIN),
    ),
    # Inspections (issue 7): the overview, the visits of the inspectors, and what planners keep.
    NavItem(
        "inspections",
        _("检查概览"),
        "inspections-home",
        "bi-clipboard2-pulse",
        section=_("检查"),
        roles=INSPECTION_STAFF,
    ),
    NavItem(
        "inspection-visits",
        _("检查任务"),
        "inspections-visit-list",
        "bi-person-walking",
        section=_("检查"),
        roles=(RoleCode.OFFICER, RoleCode.TEAM_LEADER),
    ),
    NavItem(
        "inspection-subjects", _("检查对象"), "inspections-subject-list", "bi-shop", roles=INSPECTION_STAFF
    ),
    NavItem("inspection-items", _("检查事项"), "inspections-item-list", "bi-list-ol", roles=INSPECTION_STAFF),
    NavItem(
        "inspection-scenarios",
        _("检查场景"),
        "inspections-scenario-list",
        "bi-collection",
        roles=INSPECTION_STAFF,
    ),
    NavItem(
        "inspection-draws",
        _("双随机抽查"),
        "inspections-draw-list",
        "bi-shuffle",
        roles=(RoleCode.TEAM_LEADER, RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU),
    ),
    NavItem(
        "inspection-plans",
        _("联合检查计划"),
        "inspections-plan-list",
        "bi-calendar2-week",
        roles=(RoleCode.ZONE_LEADER, RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU),
    ),
    # Disclosure (issue 6): the publication queue of those who publish, follow or supervise it.
    NavItem(
        "disclosure-queue",
        _("执法公示"),
        "disclosure-queue",
        "bi-megaphone",
        section=_("公示与监督"),
        roles=(
            RoleCode.OFFICER,
            RoleCode.TEAM_LEADER,
            RoleCode.LEGAL_REVIEWER,
            RoleCode.JUSTICE_BUREAU,
            RoleCode.ADMIN,
        ),
    ),
    # The full-process record of a case or clue and the legal review overview (supervision).
    NavItem(
        "supervision-record",
        _("全过程记录"),
        "supervision-record",
        "bi-shield-check",
        section=_("公示与监督"),
        roles=(RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN, RoleCode.TEAM_LEADER),
    ),
    NavItem(
        "supervision-reviews",
        _("法制审核统计"),
        "supervision-reviews",
        "bi-bar-chart-line",
        section=_("公示与监督"),
        roles=(RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN),
    ),
    NavItem("portal", _("公示门户"), "portal-index", "bi-globe2", section=_("公示与监督")),
    NavItem("org", _("组织机构"), "org-overview", "bi-diagram-3", section=_("组织")),
    NavItem("people", _("人员"), "person-list", "bi-people"),
    NavItem("grid", _("网格"), "grid-list", "bi-grid-3x3"),
    NavItem("power-items", _("执法事项"), "power-item-list", "bi-list-check", section=_("职权")),
    NavItem("grant-lists", _("赋权清单"), "grant-list-index", "bi-journal-richtext"),
    # The township's team leader or administrator claims its granted items (powers.policies).
    NavItem(
        "grant-claims",
        _("事项认领"),
        "grant-claims",
        "bi-check2-square",
        roles=(RoleCode.TEAM_LEADER, RoleCode.ADMIN),
        own_township=True,
    ),
    # County roles start and conclude rounds; township leaders rate their own items.
    NavItem(
        "capacity",
        _("承接能力评估"),
        "capacity-index",
        "bi-clipboard-data",
        roles=(RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU, RoleCode.TEAM_LEADER),
    ),
    NavItem("certificates", _("执法证"), "certificate-list", "bi-person-badge", section=_("执法证")),
    NavItem(
        "certificate-review",
        _("月度核查"),
        "certificate-review",
        "bi-calendar-check",
        action=Action.MANAGE_CERTIFICATES,
    ),
    NavItem("verify", _("证件查验"), "certificate-verify", "bi-qr-code-scan"),
    NavItem("import", _("批量导入"), "import-index", "bi-upload", action=Action.IMPORT, section=_("系统")),
    NavItem("calendar", _("工作日历"), "calendar-years", "bi-calendar3", action=Action.MANAGE_CALENDAR),
    NavItem("numbering", _("文号模板"), "number-template-list", "bi-123", action=Action.MANAGE_NUMBERING),
    NavItem("record", _("执法记录"), "record-list", "bi-journal-check", action=Action.VIEW_RECORD),
    NavItem("admin", _("管理后台"), "admin:index", "bi-gear", staff_only=True),
)


def _url(name: str, *args: str) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _own_township_code(user) -> str | None:
    person = person_of(user)
    region = getattr(person, "region", None)
    return region.adcode if region is not None and region.is_township_level else None


def nav_items_for(request: HttpRequest) -> list[dict]:
    """The menu for the request's user."""
    user = request.user
    items: list[dict] = []
    section_shown: set[str] = set()
    path = request.path
    for item in NAV:
        if item.staff_only and not user.is_staff:
            continue
        if not user_can(user, item.action):
            continue
        if item.roles and not (user.is_superuser or has_role(user, *item.roles)):
            continue
        if item.own_township:
            code = _own_township_code(user)
            url = _url(item.url_name, code) if code else None
        else:
            url = _url(item.url_name)
        if url is None:
            continue
        section = None
        if item.section is not None and str(item.section) not in section_shown:
            section_shown.add(str(item.section))
            section = item.section
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "section": section,
                "active": False,
            }
        )
    # Highlight the one item whose URL is the longest prefix of the current path.
    best = max(
        (i["url"] for i in items if i["url"] != "/" and path.startswith(i["url"])), key=len, default=None
    )
    for i in items:
        i["active"] = (i["url"] == path) if i["url"] == "/" else i["url"] == best
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = role_codes(user)
    labels = [str(RoleCode(code).label) for code in RoleCode.values if code in roles]
    return {
        "nav_items": nav_items_for(request),
        "current_person": person_of(user),
        "current_roles_label": "、".join(labels),
    }
