from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("phan-quyen/", views.grant_list, name="grant_list"),
    path("phan-quyen/cap/", views.grant_create, name="grant_create"),
    path("phan-quyen/<int:pk>/thu-hoi/", views.grant_end, name="grant_end"),
    path("vai-tro/", views.role_types, name="role_types"),
]
