from django.urls import path

from . import views as v

urlpatterns = [
    path("doan-vien/nhap/", v.import_start, name="import_start"),
    path("doan-vien/nhap/file-mau.xlsx", v.import_template, name="import_template"),
    path("doan-vien/nhap/<int:pk>/", v.import_report, name="import_report"),
    path("doan-vien/nhap/<int:pk>/cot/", v.import_mapping, name="import_mapping"),
    path("doan-vien/nhap/<int:pk>/xac-nhan/", v.import_confirm, name="import_confirm"),
    path("doan-vien/nhap/<int:pk>/tien-do/", v.import_progress, name="import_progress"),
    path("doan-vien/nhap/<int:pk>/tiep-tuc/", v.import_resume, name="import_resume"),
    path("doan-vien/nhap/<int:pk>/huy/", v.import_cancel, name="import_cancel"),
    path("doan-vien/xuat.xlsx", v.members_export_xlsx, name="export_xlsx"),
]
