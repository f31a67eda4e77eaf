"""Administration of billing records. The month lock holds here too: PostgreSQL refuses the
change and the administrator sees why, in Estonian, instead of an error page."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from .locks import hold_months_for_share
from .models import BillingMonth, Delivery, FundingAgreement, InterimEvaluation, Invoice, Payer
from .services import BillingError, database_rules, delete_deliveries


class LockAwareAdmin(admin.ModelAdmin):
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with database_rules():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except BillingError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with database_rules():
                return super().delete_view(request, object_id, extra_context)
        except BillingError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        try:
            with database_rules():
                super().delete_queryset(request, queryset)
        except BillingError as error:
            self.message_user(request, error.message, messages.ERROR)


@admin.register(Delivery)
class DeliveryAdmin(LockAwareAdmin):
    list_display = ["date", "case", "component", "provider", "specialist", "minutes", "form", "amount", "status"]
    list_filter = ["status", "form", "municipality"]
    date_hierarchy = "date"
    raw_id_fields = ["case", "specialist", "contract", "accepted_by", "created_by"]
    readonly_fields = ["session_key"]

    # Sessions are recorded and changed only through the attendance pages and the import, where
    # the rule catalogue (billing.rules) and the reach rule decide; here they are viewed and, in
    # an open month, deleted.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Writes here hold their months for share like every other way in (billing.locks).
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            old = Delivery.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
            hold_months_for_share(obj.municipality_id, [d for d in (obj.date, old) if d])
            super().save_model(request, obj, form, change)

    # Deleting goes through the service like the page's delete: the months are held for share
    # and a plan warning the deleted session held moves to another session of its month.
    def delete_model(self, request, obj):
        delete_deliveries(deliveries=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        try:
            delete_deliveries(deliveries=list(queryset), by=request.user)
        except BillingError as error:
            self.message_user(request, error.message, messages.ERROR)


class InterimEvaluationInline(admin.TabularInline):
    model = InterimEvaluation
    extra = 0


@admin.register(FundingAgreement)
class FundingAgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "municipality", "start_date", "planned_places", "monthly_fee", "maximum_amount"]
    inlines = [InterimEvaluationInline]


@admin.register(BillingMonth)
class BillingMonthAdmin(admin.ModelAdmin):
    list_display = ["municipality", "month", "state"]
    list_filter = ["state", "municipality"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "municipality", "month", "version", "state", "total", "due_date"]
    list_filter = ["state", "municipality"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payer)
class PayerAdmin(SimpleHistoryAdmin):
    """The buyer of the consolidated invoices (SKA): reference data an administrator may correct."""

    list_display = ["name", "registry_code", "street_address", "postal_code", "city", "is_default"]
