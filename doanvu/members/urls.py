"""Members URLs: each sub-package (core, dues with meetings, rating, referrals, ghost audit,
structure, imports) has its own; all share the `members` namespace."""

from django.urls import include, path

app_name = "members"

urlpatterns = [
    path("", include("doanvu.members.core.urls")),
    path("", include("doanvu.members.dues.urls")),
    path("", include("doanvu.members.rating.urls")),
    path("", include("doanvu.members.referrals.urls")),
    path("", include("doanvu.members.ghost.urls")),
    path("", include("doanvu.members.structure.urls")),
    path("", include("doanvu.members.imports.urls")),
]
