from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("start/", views.specialist_home, name="specialist_home"),
    path("attendance/", views.my_attendance, name="my_attendance"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/add/", views.delivery_add, name="delivery_add"),
    path("deliveries/<int:pk>/edit/", views.delivery_edit, name="delivery_edit"),
    path("deliveries/<int:pk>/delete/", views.delivery_delete, name="delivery_delete"),
    path("deliveries/<int:pk>/accept/", views.warning_accept, name="warning_accept"),
    path("warnings/accept/", views.warnings_accept, name="warnings_accept"),
    path("deliveries/<int:pk>/correct/", views.delivery_correct, name="delivery_correct"),
    path("import/", views.import_attendance, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("month-end/", views.month_end, name="month_end"),
    path("month-end/check/", views.month_check, name="month_check"),
    path("month-end/closing/", views.month_closing, name="month_closing"),
    path("month-end/submission/", views.month_submission, name="month_submission"),
    path("month-end/dashboard/", views.month_dashboard, name="month_dashboard"),
    path("month-end/close/", views.month_close, name="month_close"),
    path("month-end/recheck/", views.month_recheck, name="month_recheck"),
    path("month-end/reopen/", views.month_reopen, name="month_reopen"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/e-invoice.xml", views.invoice_einvoice, name="invoice_einvoice"),
    path("invoices/<int:pk>/submit/", views.invoice_submit, name="invoice_submit"),
    path("invoices/<int:pk>/review/", views.invoice_review, name="invoice_review"),
    path("funding/", views.agreement_list, name="agreement_list"),
    path("funding/add/", views.agreement_add, name="agreement_add"),
    path("funding/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("funding/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("funding/<int:pk>/evaluations/add/", views.evaluation_add, name="evaluation_add"),
    path("funding/evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
]
