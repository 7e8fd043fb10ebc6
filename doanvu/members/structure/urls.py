"""URLs of branch structure advice and merges (MEM-11)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("don-vi/<int:pk>/co-cau-chi-doan/", v.structure_advice, name="structure_advice"),
    path(
        "chi-doan/<int:pk>/sap-nhap-lien-ap/<int:target>/",
        v.structure_merge,
        name="structure_merge",
    ),
]
