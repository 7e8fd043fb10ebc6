"""URLs of dues, remittance, meetings and removal proposals (MEM-4, MEM-5, MEM-6)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("don-vi/<int:pk>/doan-phi/", v.dues_sheet, name="dues_sheet"),
    path("don-vi/<int:pk>/doan-phi/chua-nop/", v.dues_unpaid, name="dues_unpaid"),
    path("don-vi/<int:pk>/doan-phi/mien/", v.dues_waive, name="dues_waive"),
    path("don-vi/<int:pk>/doan-phi/nop-cap-tren/", v.remittance, name="remittance"),
    path("don-vi/<int:pk>/sinh-hoat/", v.meeting_list, name="meeting_list"),
    path("don-vi/<int:pk>/sinh-hoat/ghi/", v.meeting_create, name="meeting_create"),
    path("sinh-hoat/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("don-vi/<int:pk>/xoa-ten/", v.removal_list, name="removal_list"),
    path("de-nghi-xoa-ten/<int:pk>/quyet-dinh/", v.removal_proposal_decide,
         name="removal_proposal_decide"),
]
