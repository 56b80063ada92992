from django.urls import path

from zhifa.org.views.numbering import number_template_list

urlpatterns = [path("", number_template_list, name="number-template-list")]
