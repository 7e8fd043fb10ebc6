"""Surveys, under /khao-sat/."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:pk>/dot-khao-sat-moi/", views.campaign_create, name="campaign_create"),
    path("dot-khao-sat/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("dot-khao-sat/<int:pk>/sua/", views.campaign_edit, name="campaign_edit"),
    path("dot-khao-sat/<int:pk>/chuyen-de-moi/", views.theme_create, name="theme_create"),
    path("dot-khao-sat/<int:pk>/bao-cao-giua-nhiem-ky/", views.campaign_report,
         name="campaign_report"),
    path("chuyen-de/<int:pk>/bao-cao-chuyen-de/", views.theme_report, name="theme_report"),
    path("chuyen-de/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("chuyen-de/<int:pk>/sua/", views.theme_edit, name="theme_edit"),
    path("chuyen-de/<int:pk>/phieu-moi/", views.questionnaire_create,
         name="questionnaire_create"),
    path("bang-hoi/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("bang-hoi/<int:pk>/them-cau-hoi/", views.question_add, name="question_add"),
    path("bang-hoi/<int:pk>/xoa-cau-hoi/", views.question_remove, name="question_remove"),
    path("bang-hoi/<int:pk>/gui/", views.questionnaire_send, name="questionnaire_send"),
    path("bang-hoi/<int:pk>/xem-truoc/", views.questionnaire_preview,
         name="questionnaire_preview"),
    path("bang-hoi/<int:pk>/tong-hop/", views.tabulation, name="tabulation"),
    path("bang-hoi/<int:pk>/tong-hop.xlsx", views.tabulation_export, name="tabulation_export"),
    path("bang-hoi/<int:pk>/tra-loi-an-danh/", views.member_answer, name="member_answer"),
    path("bang-hoi/<int:pk>/tra-loi/", views.named_answer, name="named_answer"),
    path("bang-hoi/<int:pk>/phieu-giay/", views.paper_branches, name="paper_branches"),
    path("bang-hoi/<int:pk>/phieu-giay/<int:branch>/", views.paper_entry, name="paper_entry"),
    path("phieu-tra-loi/<int:pk>/", views.response_detail, name="response_detail"),
    path("phieu-tra-loi/<int:pk>/mo-lai/", views.response_reopen, name="response_reopen"),
    path("tep-tra-loi/<int:pk>/", views.response_file, name="response_file"),
]
