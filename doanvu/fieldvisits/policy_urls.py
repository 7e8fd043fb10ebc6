"""Routes of the field visits policy pages (the regime, FV-3, FV-11)."""

from django.urls import URLPattern, path

from . import policy_views

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/che-do/", policy_views.policy_list, name="policy_list"),
    path("don-vi/<int:pk>/che-do/moi/", policy_views.policy_create, name="policy_create"),
    path("che-do/<int:pk>/", policy_views.policy_detail, name="policy_detail"),
    path("che-do/<int:pk>/sua/", policy_views.policy_edit, name="policy_edit"),
]
