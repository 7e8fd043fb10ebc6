from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .v1 import (
    documents,
    emulation,
    inspections,
    members,
    members_write,
    obligations,
    obligations_write,
    remediation,
    surveys,
    tokens,
    units,
)

app_name = "api"

urlpatterns = [
    # the account's pages
    path("tai-khoan/khoa-api/", views.token_list, name="token_list"),
    path("tai-khoan/khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    # the API, version 1 (docs/architecture.md "API (issue 16)")
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", login_required(views.DocsView.as_view(url_name="api:schema")),
         name="docs"),
    path("api/v1/don-vi/", units.UnitList.as_view(), name="v1_units"),
    path("api/v1/don-vi/<int:pk>/", units.UnitDetail.as_view(), name="v1_unit"),
    path("api/v1/don-vi/<int:pk>/viec/", obligations.UnitObligations.as_view(),
         name="v1_unit_obligations"),
    path("api/v1/doan-vien/", members.MemberList.as_view(), name="v1_members"),
    path("api/v1/doan-vien/<int:pk>/", members.MemberDetail.as_view(), name="v1_member"),
    path("api/v1/doan-vien/nhap/", members_write.MemberImportStart.as_view(),
         name="v1_member_imports"),
    path("api/v1/doan-vien/nhap/<int:pk>/", members_write.MemberImportDetail.as_view(),
         name="v1_member_import"),
    path("api/v1/doan-vien/nhap/<int:pk>/xac-nhan/", members_write.MemberImportConfirm.as_view(),
         name="v1_member_import_confirm"),
    path("api/v1/viec-cua-toi/", obligations.MyObligations.as_view(), name="v1_my_obligations"),
    path("api/v1/viec/<int:pk>/", obligations.ObligationDetail.as_view(), name="v1_obligation"),
    path("api/v1/viec/<int:pk>/nop/", obligations_write.ObligationSubmit.as_view(),
         name="v1_obligation_submit"),
    path("api/v1/van-ban/", documents.DocumentList.as_view(), name="v1_documents"),
    path("api/v1/van-ban/<int:pk>/", documents.DocumentDetail.as_view(), name="v1_document"),
    path("api/v1/khac-phuc/", remediation.ShortcomingList.as_view(), name="v1_shortcomings"),
    path("api/v1/khac-phuc/<int:pk>/", remediation.ShortcomingDetail.as_view(),
         name="v1_shortcoming"),
    path("api/v1/dot-khao-sat/", surveys.SurveyCampaignList.as_view(),
         name="v1_survey_campaigns"),
    path("api/v1/dot-khao-sat/<int:pk>/", surveys.SurveyCampaignDetail.as_view(),
         name="v1_survey_campaign"),
    path("api/v1/khao-sat/", surveys.SurveyList.as_view(), name="v1_surveys"),
    path("api/v1/khao-sat/<int:pk>/", surveys.SurveyDetail.as_view(), name="v1_survey"),
    path("api/v1/khao-sat/<int:pk>/tong-hop/", surveys.SurveyTabulation.as_view(),
         name="v1_survey_tabulation"),
    path("api/v1/khoa-truy-cap/", tokens.TokenList.as_view(), name="v1_tokens"),
    path("api/v1/khoa-truy-cap/<int:pk>/thu-hoi/", tokens.TokenRevoke.as_view(),
         name="v1_token_revoke"),
    # emulation (thi đua) and inspections (kiểm tra)
    path("api/v1/thi-dua/ky/", emulation.RubricList.as_view(), name="v1_rubrics"),
    path("api/v1/thi-dua/ky/<int:pk>/", emulation.RubricDetail.as_view(), name="v1_rubric"),
    path("api/v1/thi-dua/ky/<int:pk>/xep-hang/", emulation.Ranking.as_view(),
         name="v1_ranking"),
    path("api/v1/thi-dua/phieu/", emulation.SheetList.as_view(), name="v1_sheets"),
    path("api/v1/thi-dua/phieu/<int:pk>/", emulation.SheetDetail.as_view(), name="v1_sheet"),
    path("api/v1/xep-loai/co-so/", emulation.GrassrootsClassification.as_view(),
         name="v1_grassroots_classification"),
    path("api/v1/kiem-tra/", inspections.SessionList.as_view(), name="v1_inspections"),
    path("api/v1/kiem-tra/<int:pk>/", inspections.SessionDetail.as_view(),
         name="v1_inspection"),
    path("api/v1/kiem-tra/<int:pk>/ket-luan/", inspections.ConclusionDetail.as_view(),
         name="v1_inspection_conclusion"),
    path("api/v1/kiem-tra/<int:pk>/bai-thu-hoach/", inspections.SessionReflections.as_view(),
         name="v1_inspection_reflections"),
    re_path(r"^api/", views.not_found, name="not_found"),
]
