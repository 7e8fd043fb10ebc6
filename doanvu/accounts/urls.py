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
    # the second factor (issue 16): the verify and setup paths are not prefixes of the others,
    # which the middleware keeps closed until a code is entered
    path("xac-thuc-hai-buoc/nhap-ma/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/ma-du-phong/", views.otp_codes, name="otp_codes"),
    path("xac-thuc-hai-buoc/thiet-bi/", views.otp_devices, name="otp_devices"),
    path("phan-quyen/tai-khoan/<int:pk>/dat-lai-xac-thuc/", views.otp_reset_user,
         name="otp_reset_user"),
]
