"""Routes of the field visits plan pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
