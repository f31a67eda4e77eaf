from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Component


@admin.register(Component)
class ComponentAdmin(SimpleHistoryAdmin):
    """Administrators add components or retire one (set “retired on”); codes are never reused."""

    list_display = ("code", "name", "domain", "form", "retired_on")
    list_filter = ("domain", "form", "retired_on")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False
