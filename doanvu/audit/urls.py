from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="log"),
    path("nhat-ky/kiem-tra/", views.audit_verify, name="verify"),
    path("nhat-ky/xuat/", views.audit_export, name="export"),
]
