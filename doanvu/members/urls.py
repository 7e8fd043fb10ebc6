"""Members URLs, one module per area so the areas can grow apart."""

from django.urls import include, path

app_name = "members"

urlpatterns = [
    path("", include("doanvu.members.urls_core")),
    path("", include("doanvu.members.urls_dues")),
    path("", include("doanvu.members.urls_rating")),
    path("", include("doanvu.members.urls_imports")),
]
