"""The administrator reads the retention job's dry runs and removals here (read-only).
Signed documents are not in the admin: they open only through the case file's page."""

from django.contrib import admin

from .models import RemovalRecord, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "dry_run", "cutoff", "case_count", "skipped_count"]
    list_filter = ["dry_run"]
    readonly_fields = ["started_at", "dry_run", "cutoff", "case_count", "skipped_count", "report"]


@admin.register(RemovalRecord)
class RemovalRecordAdmin(ReadOnlyAdmin):
    list_display = ["removed_at", "case_number", "municipality", "ended_on", "counts"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
