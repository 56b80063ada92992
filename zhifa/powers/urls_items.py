"""Power catalogue pages, included at /powers/items/."""

from django.urls import path

from zhifa.powers.views import files, items

urlpatterns = [
    path("", items.item_list_view, name="power-item-list"),
    path("new/", items.item_create_view, name="power-item-create"),
    path("import/", files.import_power_items, name="power-item-import"),
    path("import/template.xlsx", files.power_item_import_template, name="power-item-import-template"),
    path("export.<str:fmt>", files.power_item_export, name="power-item-export"),
    path("<int:pk>/", items.item_detail_view, name="power-item-detail"),
    path("<int:pk>/edit/", items.item_edit_view, name="power-item-edit"),
]
