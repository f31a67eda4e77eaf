from django.contrib import admin

from .models import Reminder, ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through reporting.services; files download through the app."""

    list_display = ["kind", "municipality", "month", "status", "progress", "created_at"]
    list_filter = ["status", "kind", "is_current"]
    list_select_related = ["municipality"]
    date_hierarchy = "created_at"
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The calendar's reminders (reporting.schedules); read-only."""

    list_display = ["user", "key", "created", "read_at", "emailed_at"]
    list_filter = ["read_at"]
    search_fields = ["key", "text", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
