"""URLs of the members core: list, record, admission, transfers, end of membership, cadres."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("doan-vien/", v.member_list, name="member_list"),
    path("doan-vien/<int:pk>/", v.member_detail, name="member_detail"),
    path("doan-vien/<int:pk>/sua/", v.member_edit, name="member_edit"),
    path("don-vi/<int:pk>/doan-vien/them/", v.member_admit, name="member_admit"),
    path("don-vi/<int:pk>/chuyen-sinh-hoat/", v.unit_transfers, name="unit_transfers"),
    path("doan-vien/<int:pk>/chuyen-sinh-hoat/", v.transfer_request, name="transfer_request"),
    path("doan-vien/<int:pk>/chuyen-sinh-hoat/chon-chi-doan/", v.transfer_branch_pick,
         name="transfer_branch_pick"),
    path("chuyen-sinh-hoat/<int:pk>/tiep-nhan/", v.transfer_accept, name="transfer_accept"),
    path("chuyen-sinh-hoat/<int:pk>/tu-choi/", v.transfer_refuse, name="transfer_refuse"),
    path("chuyen-sinh-hoat/<int:pk>/huy/", v.transfer_cancel, name="transfer_cancel"),
    path("chuyen-sinh-hoat/<int:pk>/ket-thuc/", v.transfer_end, name="transfer_end"),
    path("doan-vien/<int:pk>/truong-thanh/", v.member_mature, name="member_mature"),
    path("doan-vien/<int:pk>/xoa-ten/", v.member_remove, name="member_remove"),
    path("doan-vien/<int:pk>/khai-tru/", v.member_expel, name="member_expel"),
    path("doan-vien/<int:pk>/da-mat/", v.member_deceased, name="member_deceased"),
    path("doan-vien/<int:pk>/de-nghi-xoa-ten/<int:item>/", v.removal_decide,
         name="removal_decide"),
    path("doan-vien/<int:pk>/can-bo/trang-thai/", v.cadre_status_add, name="cadre_status_add"),
    path("doan-vien/<int:pk>/can-bo/trang-thai/<int:item>/ket-thuc/", v.cadre_status_end,
         name="cadre_status_end"),
    path("doan-vien/<int:pk>/can-bo/khoa-hoc/", v.cadre_course_add, name="cadre_course_add"),
    path("doan-vien/<int:pk>/can-bo/khoa-hoc/<int:item>/ket-thuc/", v.cadre_course_end,
         name="cadre_course_end"),
]
