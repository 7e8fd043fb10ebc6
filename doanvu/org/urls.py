from django.urls import path

from . import agency_views, views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/chon/", views.unit_pick, name="unit_pick"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/truc-thuoc/", views.unit_children, name="unit_children"),
    path("don-vi/<int:pk>/nhat-ky/", views.unit_audit, name="unit_audit"),
    path("don-vi/<int:pk>/xuat.<str:fmt>", views.unit_export, name="unit_export"),
    path("don-vi/<int:pk>/thanh-lap/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/doi-ten/", views.unit_rename, name="unit_rename"),
    path("don-vi/<int:pk>/chuyen/", views.unit_move, name="unit_move"),
    path("don-vi/<int:pk>/sap-nhap/", views.unit_merge, name="unit_merge"),
    path("don-vi/<int:pk>/chia-tach/", views.unit_split, name="unit_split"),
    path("don-vi/<int:pk>/giai-the/", views.unit_dissolve, name="unit_dissolve"),
    path("don-vi/<int:pk>/ban/them/", agency_views.department_add, name="department_add"),
    path("don-vi/<int:pk>/nhiem-ky/them/", agency_views.term_add, name="term_add"),
    path("don-vi/<int:pk>/uy-vien/them/", agency_views.seat_add, name="seat_add"),
    path("don-vi/<int:pk>/chuc-vu/them/", agency_views.position_add, name="position_add"),
    path("don-vi/<int:pk>/phu-trach/them/", agency_views.supervision_add, name="supervision_add"),
    path("don-vi/<int:pk>/ket-thuc/<str:what>/<int:item>/", agency_views.item_end, name="item_end"),
]
