"""Routes of the field visits visit pages: the cadre's own page, logging (also from a phone
offline), a visit with its report and files, a unit's list (FV-2, FV-6, FV-9)."""

from django.urls import URLPattern, path

from . import visit_views as v

urlpatterns: list[URLPattern] = [
    path("", v.home, name="home"),
    path("sw.js", v.service_worker, name="service_worker"),
    path("chuyen-di/moi/", v.visit_create, name="visit_create"),
    path("chuyen-di/gui/", v.visit_sync, name="visit_sync"),
    path("chuyen-di/<int:pk>/", v.visit_detail, name="visit_detail"),
    path("chuyen-di/<int:pk>/sua/", v.visit_edit, name="visit_edit"),
    path("chuyen-di/<int:pk>/xoa/", v.visit_delete, name="visit_delete"),
    path("chuyen-di/<int:pk>/bao-cao/", v.visit_report, name="visit_report"),
    path("chuyen-di/<int:pk>/tep/<int:file>/", v.visit_file, name="visit_file"),
    path("chuyen-di/<int:pk>/tep/<int:file>/xoa/", v.visit_file_delete,
         name="visit_file_delete"),
    path("don-vi/<int:pk>/chuyen-di/", v.unit_visits, name="unit_visits"),
]
