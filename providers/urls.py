from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.provider_add, name="provider_add"),
    path("<int:pk>/", views.provider_detail, name="provider_detail"),
    path("<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("<int:pk>/specialists/new/", views.specialist_add, name="specialist_add"),
    path("<int:pk>/contracts/new/", views.contract_add, name="contract_add"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/prices/new/", views.price_add, name="price_add"),
    path("prices/<int:pk>/change/", views.price_change, name="price_change"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
]
