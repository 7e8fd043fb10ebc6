from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.register, name="register"),
    path("van-ban/xuat.xlsx", views.register_export, name="register_export"),
    path("van-ban/soan/", views.compose, name="compose"),
    path("van-ban/den/", views.incoming, name="incoming"),
    path("van-ban/noi-nhan/", views.recipient_pick, name="recipient_pick"),
    path("van-ban/<int:pk>/", views.detail, name="detail"),
    path("van-ban/<int:pk>/sua/", views.edit, name="edit"),
    path("van-ban/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("van-ban/<int:pk>/tai.<str:fmt>", views.download, name="download"),
]
