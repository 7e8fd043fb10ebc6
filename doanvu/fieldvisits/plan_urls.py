"""Routes of the quarter plans (FV-5) and Youth Month campaigns (FV-10)."""

from django.urls import URLPattern, path

from . import plan_views as v

urlpatterns: list[URLPattern] = [
    path("ke-hoach/cua-toi/", v.my_lines, name="my_lines"),
    path("don-vi/<int:unit_pk>/ke-hoach/", v.plan_list, name="plan_list"),
    path("don-vi/<int:unit_pk>/ke-hoach/<int:year>/<int:quarter>/ban-hanh/", v.plan_issue,
         name="plan_issue"),
    path("ke-hoach/<int:pk>/", v.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/tong-hop/", v.plan_merge, name="plan_merge"),
    path("ke-hoach/<int:pk>/dang-ky/", v.plan_register, name="plan_register"),
    path("ke-hoach/<int:pk>/cho-dang-ky-tre/", v.plan_allow_late, name="plan_allow_late"),
    path("ke-hoach/<int:pk>/duyet/", v.plan_approve, name="plan_approve"),
    path("ke-hoach/<int:pk>/phan-cong/", v.line_assign, name="plan_assign"),
    path("ke-hoach/chuyen/<int:pk>/xoa/", v.line_delete, name="plan_line_delete"),
    path("don-vi/<int:unit_pk>/dot-cao-diem/", v.campaign_list, name="campaign_list"),
    path("dot-cao-diem/<int:pk>/", v.campaign_detail, name="campaign_detail"),
]
