"""Plans (PLAN-1 … PLAN-3), under /ke-hoach-cong-tac/."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("don-vi/<int:pk>/", views.unit_plans, name="unit_plans"),
    path("don-vi/<int:pk>/thoi-gian-ban-hanh/", views.lead_time, name="lead_time"),
    path("don-vi/<int:pk>/van-ban-chi-dao/", views.directives, name="directives"),
    path("van-ban/<int:pk>/", views.plan, name="plan"),
    path("van-ban/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("van-ban/<int:pk>/nhiem-vu/moi/", views.task_create, name="task_create"),
    path("van-ban/<int:pk>/nhiem-vu/nhap/", views.task_import, name="task_import"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence_file"),
]
