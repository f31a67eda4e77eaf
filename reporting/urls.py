from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/request/", views.request_report, name="request"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    path("months/", views.months, name="months"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
]
