"""URLs of the ghost-member audit (MEM-10)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("don-vi/<int:pk>/doan-vien-ao/", v.ghost_report, name="ghost_report"),
    path("don-vi/<int:pk>/doan-vien-ao/gop-ho-so/", v.ghost_merge, name="ghost_merge"),
    path("don-vi/<int:pk>/doan-vien-ao/de-nghi-xoa-ten/", v.ghost_propose, name="ghost_propose"),
]
