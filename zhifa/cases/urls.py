"""Pages of cases, included at /cases/: the list, opening a case, the workspace, the steps' forms, and
the url modules of the other parts of the case (acts, reviews, execution, documents)."""

from django.urls import include, path

from zhifa.cases.views import list as case_list
from zhifa.cases.views import open as case_open
from zhifa.cases.views import transitions, workspace

urlpatterns = [
    path("", case_list.case_list_page, name="case-list"),
    path("tabs/", case_list.case_tabs, name="case-tabs"),
    path("open/", case_open.case_open_page, name="case-open"),
    path("from-clue/<int:clue_pk>/", case_open.case_open_from_clue_view, name="case-open-from-clue"),
    path("from-clue/<int:clue_pk>/button/", case_open.clue_case_button, name="case-clue-button"),
    path("<int:pk>/", workspace.case_workspace, name="case-detail"),
    # The same page under the name the acts pages use.
    path("<int:pk>/", workspace.case_workspace, name="case-workspace"),
    path("<int:pk>/act/<str:name>/", transitions.case_act, name="case-act"),
    path("", include("zhifa.cases.urls_acts")),
    path("", include("zhifa.cases.urls_reviews")),
    path("", include("zhifa.cases.urls_execution")),
    path("", include("zhifa.cases.urls_documents")),
]
