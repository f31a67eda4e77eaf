from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("month-end/", views.month_end, name="month_end"),
    path("attendance/", views.my_attendance, name="my_attendance"),
]
