"""Routes of the field visits compliance pages (FV-1, FV-3, FV-4, FV-11)."""

from django.urls import URLPattern, path

from . import compliance_views as views

urlpatterns: list[URLPattern] = [
    path("can-bo/<int:pk>/ket-qua/", views.person_compliance, name="compliance_person"),
    path("don-vi/<int:pk>/ket-qua/", views.unit_compliance, name="compliance_unit"),
    path("don-vi/<int:pk>/ket-qua/tinh-lai/", views.unit_recompute,
         name="compliance_recompute"),
    path("don-vi/<int:pk>/ket-qua/xlsx/", views.unit_compliance_export,
         name="compliance_export"),
    path("don-vi/<int:pk>/ket-qua/tong-hop/", views.unit_rollup, name="compliance_rollup"),
]
