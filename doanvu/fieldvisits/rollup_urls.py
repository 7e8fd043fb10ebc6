"""Routes of the field visits rollup pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
