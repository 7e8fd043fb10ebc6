"""Targets (chỉ tiêu), under /chi-tieu/."""

from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("don-vi/<int:pk>/", views.dashboard, name="dashboard"),
    path("don-vi/<int:pk>/giao/", views.target_create, name="target_create"),
]
