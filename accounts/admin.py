from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, Municipality, User


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "registry_code")
    search_fields = ("name", "code", "registry_code")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "first_name", "last_name", "role", "municipality", "is_active")
    list_filter = ("role", "municipality", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and municipality"), {"fields": ("role", "municipality", "provider", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Role and municipality"),
            {"fields": ("first_name", "last_name", "email", "role", "municipality", "provider")},
        ),
    )


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "role", "action", "subject_label", "municipality", "ip_address")
    list_filter = ("action", "role", "municipality")
    search_fields = ("subject_label", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
