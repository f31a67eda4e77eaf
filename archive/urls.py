from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("case/<int:pk>/", views.case_documents, name="case_documents"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/replace/", views.replace, name="replace"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/sheet/", views.attendance_sheet, name="attendance_sheet"),
]
