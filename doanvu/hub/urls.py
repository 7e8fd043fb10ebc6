from django.urls import path

from . import views

app_name = "hub"

urlpatterns = [
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("viec/<int:pk>/", views.obligation_detail, name="obligation_detail"),
    path("viec/<int:pk>/nop/", views.obligation_submit, name="obligation_submit"),
    path("viec/<int:pk>/tiep-nhan/", views.obligation_accept, name="obligation_accept"),
    path("viec/<int:pk>/tra-lai/", views.obligation_return, name="obligation_return"),
    path("viec/<int:pk>/mien/", views.obligation_waive, name="obligation_waive"),
    path("viec/<int:pk>/nhac/", views.obligation_remind, name="obligation_remind"),
    path("viec/<int:pk>/tep/<int:file_pk>/", views.obligation_file, name="obligation_file"),
    path("don-vi/<int:pk>/nghia-vu/", views.unit_obligations, name="unit_obligations"),
    path("don-vi/<int:pk>/bang-dieu-khien/", views.unit_dashboard, name="unit_dashboard"),
    path("don-vi/<int:pk>/bang-dieu-khien/dung-han.xlsx", views.timeliness_export,
         name="timeliness_export"),
    path("lich/", views.calendar_month, name="calendar_month"),
    path("lich/tuan/", views.calendar_week, name="calendar_week"),
    path("lich/dong-bo/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("lich/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/da-doc/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
]
