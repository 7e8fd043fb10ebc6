"""Remediation, under /khac-phuc/."""

from django.urls import path

from . import report_views as rv
from . import views

app_name = "remediation"
urlpatterns = [
    path("don-vi/<int:pk>/", views.register, name="register"),
    path("don-vi/<int:pk>/danh-gia/", views.evaluations, name="evaluations"),
    path("don-vi/<int:pk>/danh-gia/ghi/", views.evaluation_record, name="evaluation_record"),
    path("don-vi/<int:pk>/danh-gia/khoa/", views.evaluation_lock, name="evaluation_lock"),
    path("don-vi/<int:pk>/danh-gia/quy-dinh/moi/", views.evaluation_policy_create,
         name="evaluation_policy_create"),
    path("don-vi/<int:pk>/danh-gia/xep-loai/<int:person>/<int:year>/", views.year_rating,
         name="year_rating"),
    path("danh-gia/cua-toi/", views.my_evaluations, name="my_evaluations"),
    path("don-vi/<int:pk>/khuyet-diem/moi/", views.shortcoming_create,
         name="shortcoming_create"),
    path("don-vi/<int:pk>/nhom-giai-phap/moi/", views.group_create, name="group_create"),
    path("don-vi/<int:pk>/giai-phap/moi/", views.solution_create, name="solution_create"),
    path("giai-phap/<int:pk>/tien-do/", views.solution_progress, name="solution_progress"),
    path("khuyet-diem/<int:pk>/sua/", views.shortcoming_edit, name="shortcoming_edit"),
    path("khuyet-diem/<int:pk>/", views.shortcoming_detail, name="shortcoming_detail"),
    path("khuyet-diem/<int:pk>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("khuyet-diem/<int:pk>/dong/", views.shortcoming_close, name="shortcoming_close"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence_file"),
    # REM-4 reporting
    path("don-vi/<int:pk>/bao-cao/", rv.reports_page, name="reports"),
    path("don-vi/<int:pk>/bao-cao/<int:year>/giao/", rv.reports_open, name="reports_open"),
    path("don-vi/<int:pk>/bao-cao/<int:year>/ban/<int:dept>/<str:period>.xlsx",
         rv.department_report_xlsx, name="department_report_xlsx"),
    path("don-vi/<int:pk>/bao-cao/<int:year>/ban/<int:dept>/<str:period>/",
         rv.department_report, name="department_report"),
    path("don-vi/<int:pk>/bao-cao/<int:year>/<slug:which>.xlsx", rv.office_report_xlsx,
         name="office_report_xlsx"),
    path("don-vi/<int:pk>/bao-cao/<int:year>/<slug:which>/", rv.office_report,
         name="office_report"),
]
