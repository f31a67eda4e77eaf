from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, Person, RetirementAge


@admin.register(RetirementAge)
class RetirementAgeAdmin(SimpleHistoryAdmin):
    list_display = ["basis", "year", "years", "months"]
    list_filter = ["basis"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "isikukood", "birth_date"]
    search_fields = ["last_name", "first_name", "isikukood"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "person", "municipality", "state", "entry_date", "exit_date"]
    list_filter = ["municipality", "state"]
    raw_id_fields = ["person", "case_manager"]
