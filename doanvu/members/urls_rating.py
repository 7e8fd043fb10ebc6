"""Annual rating, rèn luyện, "1+1", ghost audit and branch structure (MEM-7 … MEM-11)."""

from django.urls import path

from . import views_rating as v

urlpatterns = [
    path("chi-doan/<int:pk>/xep-loai/<int:year>/", v.rating_sheet, name="rating_sheet"),
    path("don-vi/<int:pk>/xep-loai/<int:year>/", v.rating_rollup, name="rating_rollup"),
    path("chi-doan/<int:pk>/ren-luyen/<int:year>/", v.training_sheet, name="training_sheet"),
    path("don-vi/<int:pk>/chi-tieu-doan-vien/<int:year>/", v.rating_targets, name="rating_targets"),
    path("chi-doan/<int:pk>/gioi-thieu/", v.referral_list, name="referral_list"),
    path("gioi-thieu/<int:pk>/ket-qua/", v.referral_outcome, name="referral_outcome"),
    path("don-vi/<int:pk>/doan-vien-ao/", v.ghost_report, name="ghost_report"),
    path("don-vi/<int:pk>/doan-vien-ao/gop-ho-so/", v.ghost_merge, name="ghost_merge"),
    path("don-vi/<int:pk>/doan-vien-ao/de-nghi-xoa-ten/", v.ghost_propose, name="ghost_propose"),
    path("don-vi/<int:pk>/co-cau-chi-doan/", v.structure_advice, name="structure_advice"),
    path(
        "chi-doan/<int:pk>/sap-nhap-lien-ap/<int:target>/",
        v.structure_merge,
        name="structure_merge",
    ),
]
