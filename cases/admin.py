"""Only reference data here. Persons and case files are not in Django's admin: it would show
notes, health and disability data outside the permission checks and the access log. They
are edited in the case file pages, which check the user's municipality and log each view."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RetirementAge


@admin.register(RetirementAge)
class RetirementAgeAdmin(SimpleHistoryAdmin):
    list_display = ["basis", "year", "years", "months"]
    list_filter = ["basis"]
