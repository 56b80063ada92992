"""Power catalogue pages, included at /powers/items/."""

from django.urls import path

from zhifa.powers.views import items

urlpatterns = [
    path("", items.item_list_view, name="power-item-list"),
    path("new/", items.item_create_view, name="power-item-create"),
    path("<int:pk>/", items.item_detail_view, name="power-item-detail"),
    path("<int:pk>/edit/", items.item_edit_view, name="power-item-edit"),
]
