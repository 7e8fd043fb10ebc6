"""URLs of "1+1" referrals (MEM-9)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("chi-doan/<int:pk>/gioi-thieu/", v.referral_list, name="referral_list"),
    path("gioi-thieu/<int:pk>/ket-qua/", v.referral_outcome, name="referral_outcome"),
]
