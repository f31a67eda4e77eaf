import django_filters
from django.db.models import CharField, F, Func, Q, Value
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from components.models import Component

from .models import Provider, ProviderType


class ProviderRegisterFilter(django_filters.FilterSet):
    """SKA's register filters: free text, type, role, KOV served, component, work offered."""

    q = django_filters.CharFilter(label=capfirst(_("search")), method="search")
    type = django_filters.ChoiceFilter(
        label=capfirst(_("type")), choices=ProviderType.choices, empty_label=_("All")
    )
    offers_base_support = django_filters.ChoiceFilter(
        label=capfirst(_("base-support provider")),
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("All"),
        method="base_support",
    )
    municipality = django_filters.ModelChoiceFilter(
        label=capfirst(_("municipality served")),
        queryset=Municipality.objects.all(),
        method="served",
        empty_label=_("All"),
    )
    component = django_filters.ModelChoiceFilter(
        label=capfirst(_("component")),
        queryset=Component.objects.all(),
        method="offers_component",
        empty_label=_("All"),
    )
    work = django_filters.CharFilter(label=capfirst(_("work offered")), method="offers_work")

    class Meta:
        model = Provider
        fields = ["q", "type", "offers_base_support", "municipality", "component", "work"]

    def search(self, qs, name, value):
        return qs.filter(
            Q(name__icontains=value)
            | Q(registry_code__icontains=value)
            | Q(target_groups__icontains=value)
            | Q(fields_of_activity__icontains=value)
        )

    def base_support(self, qs, name, value):
        return qs.filter(offers_base_support=value == "true")

    def served(self, qs, name, value):
        return qs.filter(contracts__municipality=value).distinct()

    def offers_component(self, qs, name, value):
        return qs.filter(contracts__prices__component=value).distinct()

    def offers_work(self, qs, name, value):
        works = Func(
            F("works_offered"), Value(", "), function="array_to_string", output_field=CharField()
        )
        return qs.annotate(works_text=works).filter(works_text__icontains=value)
