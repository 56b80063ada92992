"""Grant list pages, included at /powers/grants/."""

from django.urls import path

from zhifa.powers.views import files, grants

urlpatterns = [
    path("", grants.grant_list_index, name="grant-list-index"),
    path("county/<str:adcode>/new/", grants.grant_list_create, name="grant-list-create"),
    path("claims/<str:adcode>/", grants.grant_claims, name="grant-claims"),
    path("<int:pk>/", grants.grant_list_detail, name="grant-list-detail"),
    path("<int:pk>/step/<str:action>/", grants.grant_list_step, name="grant-list-step"),
    path("<int:pk>/township/<str:adcode>/", grants.grant_township_select, name="grant-township-select"),
    path("<int:pk>/diff/<int:other>/", grants.grant_list_diff, name="grant-list-diff"),
    path("<int:pk>/export.<str:fmt>", files.grant_list_export, name="grant-list-export"),
]
