from django.urls import include, path

urlpatterns = [
    path("", include("doanvu.accounts.urls")),
    path("", include("doanvu.audit.urls")),
    path("", include("doanvu.org.urls")),
    path("", include("doanvu.documents.urls")),
    path("", include("doanvu.hub.urls")),
    path("", include("doanvu.members.urls")),
    path("", include("doanvu.emulation.urls")),
    path("kiem-tra/", include("doanvu.inspections.urls")),
    path("di-co-so/", include("doanvu.fieldvisits.urls")),
    path("khac-phuc/", include("doanvu.remediation.urls")),
    path("chi-tieu/", include("doanvu.targets.urls")),
    path("khao-sat/", include("doanvu.surveys.urls")),
    path("ke-hoach-cong-tac/", include("doanvu.plans.urls")),
    path("", include("doanvu.api.urls")),
]

handler404 = "doanvu.common.errorviews.not_found"
handler403 = "doanvu.common.errorviews.forbidden"
handler400 = "doanvu.common.errorviews.bad_request"
handler500 = "doanvu.common.errorviews.server_error"
