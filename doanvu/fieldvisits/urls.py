"""Field visits, under /di-co-so/: each group of pages keeps its routes in its own module."""

from . import compliance_urls, plan_urls, policy_urls, rollup_urls, visit_urls

app_name = "fieldvisits"
urlpatterns = [
    *visit_urls.urlpatterns,  # logging visits from a phone, reports (FV-2, FV-6, FV-9)
    *plan_urls.urlpatterns,  # quarterly registration, approval, Youth Month (FV-5, FV-10)
    *compliance_urls.urlpatterns,  # per cadre, department and unit (FV-1, FV-3, FV-4, FV-11)
    *rollup_urls.urlpatterns,  # roll-up reports, costs (FV-7, FV-9)
    *policy_urls.urlpatterns,  # the regime as a policy record (FV-3, FV-11)
]
