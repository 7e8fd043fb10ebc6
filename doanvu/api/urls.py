from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .v1 import (
    documents,
    emulation_write,
    fieldvisits_write,
    members,
    members_write,
    obligations,
    obligations_write,
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
    path("api/v1/khoa-truy-cap/", tokens.TokenList.as_view(), name="v1_tokens"),
    path("api/v1/khoa-truy-cap/<int:pk>/thu-hoi/", tokens.TokenRevoke.as_view(),
         name="v1_token_revoke"),
    # writes a province's system pushes (visit logs, a department's scores)
    path("api/v1/di-co-so/", fieldvisits_write.VisitLog.as_view(), name="v1_visit_log"),
    path("api/v1/di-co-so/<int:pk>/bao-cao/", fieldvisits_write.VisitReport.as_view(),
         name="v1_visit_report"),
    path("api/v1/thi-dua/phieu/<int:pk>/diem/", emulation_write.SheetScoresPush.as_view(),
         name="v1_sheet_scores_push"),
    re_path(r"^api/", views.not_found, name="not_found"),
]
