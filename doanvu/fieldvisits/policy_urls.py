"""Routes of the field visits policy pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
