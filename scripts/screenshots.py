"""Take the README screenshots of the main pages from a running demo server.

make run  (in another shell, or: python manage.py runserver 127.0.0.1:8765)
.venv/bin/python scripts/screenshots.py http://127.0.0.1:8765 [cases.png ...]  (only those named)
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "Zhifa-demo-2026"
SHOTS = [
    # (file, user, path, phone)
    ("login.png", None, "/login/", False),
    ("home-team-leader.png", "demo_team_leader", "/", False),
    ("people.png", "demo_admin", "/org/people/", False),
    ("certificate-review.png", "demo_justice", "/certificates/review/", False),
    ("grid.png", "demo_admin", "/org/grid/?level=3", False),
    ("import.png", "demo_admin", "/org/import/", False),
    ("calendar.png", "demo_admin", "/calendar/", False),
    ("verify.png", None, "/verify/", False),
    ("home-phone.png", "demo_grid_worker", "/", True),
    ("power-items.png", "demo_admin", "/powers/items/", False),
    ("grant-lists.png", "demo_justice", "/powers/grants/", False),
    ("grant-list.png", "demo_justice", "/powers/grants/ >> td a[href^='/powers/grants/']", False),
    (
        "grant-list-diff.png",
        "demo_justice",
        "/powers/grants/ >> td a[href^='/powers/grants/'] >> [data-testid=diff-link]",
        False,
    ),
    ("capacity.png", "demo_justice", "/powers/capacity/ >> td a[href^='/powers/capacity/']", False),
    ("grants-public.png", None, "/grants/ >> a[href^='/grants/3']", False),
    ("command.png", "demo_dispatcher", "/intake/command/", False),
    ("clue.png", "demo_dispatcher", "/intake/command/ >> a[href^='/intake/clues/']", False),
    ("report-phone.png", "demo_grid_worker", "/intake/report/", True),
    ("public-report.png", None, "/report/", True),
    ("cases.png", "demo_team_leader", "/cases/", False),
    ("case-workspace.png", "demo_team_leader", "/cases/?state=review >> [data-testid=case-link]", False),
    ("case-overdue.png", "demo_team_leader", "/cases/?overdue=1 >> [data-testid=case-link]", False),
    ("review-queue.png", "demo_legal_reviewer", "/cases/reviews/", False),
    ("review-form.png", "demo_legal_reviewer", "/cases/reviews/ >> td a[href^='/cases/reviews/']", False),
    ("case-phone.png", "demo_officer", "/cases/ >> [data-testid=case-link]", True),
    ("disclosure-queue.png", "demo_team_leader", "/disclosure/", False),
    ("disclosure-review.png", "demo_team_leader", "/disclosure/ >> [data-testid=review-link]", False),
    ("portal-home.png", None, "/portal/ >> a[href^='/portal/3']", False),
    ("portal-decisions-phone.png", None, "/portal/ >> a[href^='/portal/3'] >> a[href$='/decisions/']", True),
    ("portal-procedures.png", None, "/portal/ >> a[href^='/portal/3'] >> a[href$='/procedures/']", False),
    (
        "supervision-record.png",
        "demo_justice",
        "/supervision/record/ >> a[href^='/supervision/record/case/']",
        False,
    ),
    ("supervision-reviews.png", "demo_justice", "/supervision/reviews/", False),
    ("inspections-home.png", "demo_admin", "/inspections/", False),
    ("inspection-subjects.png", "demo_admin", "/inspections/subjects/", False),
    ("inspection-plan.png", "demo_admin", "/inspections/plans/ >> td a[href^='/inspections/plans/']", False),
    (
        "inspection-draw-public.png",
        None,
        "/portal/inspections/draws/ >> a[href^='/portal/inspections/draws/']",
        False,
    ),
    (
        "inspection-visit-phone.png",
        "demo_admin",
        "/inspections/visits/?tab=done&who=all >> a[data-visit]",
        True,
    ),
]


def main(base: str, only: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, user, path, phone in SHOTS:
            if only and name not in only:
                continue
            size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 860}
            context = browser.new_context(locale="zh-CN", viewport=size, base_url=base, is_mobile=phone)
            page = context.new_page()
            if user:
                page.goto("/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
            # "path >> selector >> ...": open the path, then follow the first link each selector finds
            # (for pages whose address holds an id, such as a grant list version).
            path, *follow = path.split(" >> ")
            page.goto(path)
            page.wait_for_load_state("networkidle")
            for selector in follow:
                page.locator(selector).first.click()
                page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / name), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765", sys.argv[2:])
