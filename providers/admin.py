from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contract, ContractPrice, DefaultPrice, Provider, Qualification, Specialist


class SpecialistInline(admin.TabularInline):
    model = Specialist
    extra = 0


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class ContractPriceInline(admin.TabularInline):
    model = ContractPrice
    extra = 0


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "registry_code", "type", "offers_base_support")
    list_filter = ("type", "offers_base_support")
    search_fields = ("name", "registry_code")
    inlines = [SpecialistInline]


@admin.register(Specialist)
class SpecialistAdmin(SimpleHistoryAdmin):
    list_display = ("name", "provider", "user")
    search_fields = ("name", "provider__name")
    inlines = [QualificationInline]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "municipality", "provider", "start", "end", "maximum_amount")
    list_filter = ("municipality",)
    search_fields = ("number", "provider__name")
    inlines = [ContractPriceInline]


@admin.register(DefaultPrice)
class DefaultPriceAdmin(SimpleHistoryAdmin):
    list_display = (
        "municipality",
        "component",
        "unit_price_individual",
        "unit_price_group",
        "valid_from",
        "valid_to",
    )
    list_filter = ("municipality",)
