"""Routes of the field visits visit pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
