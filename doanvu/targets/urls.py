"""Targets (chỉ tiêu), under /chi-tieu/."""

from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("don-vi/<int:pk>/", views.dashboard, name="dashboard"),
    path("don-vi/<int:pk>/giao/", views.target_create, name="target_create"),
    path("don-vi/<int:pk>/muc/<int:target>/", views.target_detail, name="target_detail"),
    path("don-vi/<int:pk>/muc/<int:target>/ket-qua/", views.entry_set, name="entry_set"),
    path("don-vi/<int:pk>/bao-cao.xlsx", views.report_xlsx, name="report_xlsx"),
    path("don-vi/<int:pk>/bao-cao/", views.report_document, name="report_document"),
    path("muc/<int:pk>/sua/", views.target_edit, name="target_edit"),
    path("muc/<int:pk>/xoa/", views.target_delete, name="target_delete"),
]
