"""URLs of the annual rating, rèn luyện and targets (MEM-7, MEM-8)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("chi-doan/<int:pk>/xep-loai/<int:year>/", v.rating_sheet, name="rating_sheet"),
    path("don-vi/<int:pk>/xep-loai/<int:year>/", v.rating_rollup, name="rating_rollup"),
    path("chi-doan/<int:pk>/ren-luyen/<int:year>/", v.training_sheet, name="training_sheet"),
    path("don-vi/<int:pk>/chi-tieu-doan-vien/<int:year>/", v.rating_targets, name="rating_targets"),
]
