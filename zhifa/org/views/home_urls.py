from django.urls import path

from zhifa.org.views.home import home

urlpatterns = [path("", home, name="home")]
