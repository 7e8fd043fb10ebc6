"""Routes of the field visits compliance pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
