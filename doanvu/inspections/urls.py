"""Inspection pages, under /kiem-tra/ (doanvu/urls.py)."""

from django.urls import path

from . import conclusion_views as cv
from . import followup_views, views

app_name = "inspections"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("don-vi/<int:pk>/ke-hoach-moi/", views.plan_create, name="plan_create"),
    path("don-vi/<int:pk>/quy-dinh/", views.policy_page, name="policy_page"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/dot-moi/", views.round_create, name="round_create"),
    path("dot/<int:pk>/", views.round_detail, name="round_detail"),
    path("dot/<int:pk>/lich/", views.round_calendar, name="round_calendar"),
    path("dot/<int:pk>/thong-bao/", views.round_notice, name="round_notice"),
    path("dot/<int:pk>/doan-moi/", views.team_create, name="team_create"),
    path("doan/<int:pk>/", views.team_detail, name="team_detail"),
    path("doan/<int:pk>/sua/", views.team_edit, name="team_edit"),
    path("buoi/<int:pk>/", views.session_detail, name="session_detail"),
    path("buoi/<int:pk>/xin-doi-lich/", views.session_move_request, name="session_move_request"),
    path("buoi/<int:pk>/de-xuat-thanh-phan/", views.session_attendees_propose,
         name="session_attendees_propose"),
    path("buoi/<int:pk>/xac-nhan-thanh-phan/", views.session_attendees_confirm,
         name="session_attendees_confirm"),
    path("buoi/<int:pk>/nop-tai-lieu/", views.session_documents_submit,
         name="session_documents_submit"),
    path("buoi/<int:pk>/tai-lieu/<int:file_pk>/", views.session_document,
         name="session_document"),
    # the session record and the conclusion (INS-6), its follow-up (INS-8)
    path("buoi/<int:pk>/ket-luan/", cv.conclusion_detail, name="conclusion_detail"),
    path("buoi/<int:pk>/ket-luan/soan/", cv.conclusion_edit, name="conclusion_edit"),
    path("buoi/<int:pk>/ket-luan/ban-hanh/", cv.conclusion_issue, name="conclusion_issue"),
    path("nhiem-vu/<int:pk>/theo-doi/", cv.direction_mark, name="direction_mark"),
    path("ton-tai/<int:pk>/khac-phuc/", cv.limitation_remedied, name="limitation_remedied"),
    path("ban/<int:pk>/nhiem-vu/", cv.department_directions, name="department_directions"),
    path("doi-lich/<int:pk>/quyet-dinh/", views.move_request_decide, name="move_request_decide"),
]

# after the session (INS-7, INS-8)
urlpatterns += [
    path("buoi/<int:pk>/da-kiem-tra/", followup_views.session_held, name="session_held"),
    path("buoi/<int:pk>/bai-thu-hoach/", followup_views.session_reflections,
         name="session_reflections"),
    path("buoi/<int:pk>/bai-thu-hoach/<int:ob_pk>/tep/<int:file_pk>/",
         followup_views.reflection_file, name="reflection_file"),
    path("dot/<int:pk>/sau-kiem-tra/", followup_views.round_followup, name="round_followup"),
    path("dot/<int:pk>/kien-nghi/", followup_views.round_recommendations,
         name="round_recommendations"),
]
