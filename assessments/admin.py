"""Administrators edit the instruments here: a draft version freely, a published one never
(copy it to a new draft version instead)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Instrument, InstrumentItem, ScaleLevel


class _LockedWhenPublished:
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


class ItemInline(_LockedWhenPublished, admin.TabularInline):
    model = InstrumentItem
    extra = 0
    fields = ["order", "code", "name", "description", "component_domain"]


class LevelInline(_LockedWhenPublished, admin.TabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["value", "label", "description"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version", "published_on"]
    list_filter = ["kind"]
    inlines = [ItemInline, LevelInline]
    actions = ["publish", "copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_published:
            return ["kind", "version", "name", "introduction", "published_on"]
        return ["published_on"]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    @admin.action(description=_("Publish the chosen draft versions"))
    def publish(self, request, queryset):
        done = 0
        for instrument in queryset.filter(published_on__isnull=True):
            if not instrument.items.exists() or not instrument.levels.exists():
                messages.error(request, _("%(name)s has no domains or no scale.") % {"name": instrument})
                continue
            instrument.published_on = timezone.localdate()
            instrument.save()
            done += 1
        messages.success(request, ngettext("%d version published.", "%d versions published.", done) % done)

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_new_version(self, request, queryset):
        for source in queryset:
            with transaction.atomic():
                latest = Instrument.objects.filter(kind=source.kind).order_by("-version").first()
                copy = Instrument.objects.create(
                    kind=source.kind, version=latest.version + 1, name=source.name, introduction=source.introduction
                )
                for item in source.items.all():
                    InstrumentItem.objects.create(
                        instrument=copy, code=item.code, name=item.name, description=item.description,
                        component_domain=item.component_domain, order=item.order,
                    )
                for level in source.levels.all():
                    ScaleLevel.objects.create(
                        instrument=copy, value=level.value, label=level.label, description=level.description
                    )
            messages.success(request, _("Draft %(name)s made.") % {"name": copy})
