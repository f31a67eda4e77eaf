from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from components.models import Component
from tugi.forms import Form, ModelForm

from .models import Contract, ContractPrice, Provider


class ProviderForm(ModelForm):
    works_offered = SimpleArrayField(
        forms.CharField(max_length=100),
        label=capfirst(_("works offered")),
        required=False,
        help_text=_(
            "Work the provider offers, separated by commas, e.g. sewing, cleaning, packing."
        ),
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "registry_code",
            "type",
            "address",
            "contact_person",
            "email",
            "phone",
            "fields_of_activity",
            "offers_base_support",
            "offers_additional_support",
            "target_groups",
            "exclusions",
            "works_offered",
        ]
        widgets = {
            "fields_of_activity": forms.Textarea(attrs={"rows": 2}),
            "target_groups": forms.Textarea(attrs={"rows": 2}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
        }


class SpecialistForm(Form):
    name = forms.CharField(label=capfirst(_("name")), max_length=200)
    qualification = forms.CharField(
        label=capfirst(_("qualification")),
        max_length=200,
        required=False,
        help_text=_("E.g. rehabilitation specialist, activity instructor."),
    )
    valid_from = forms.DateField(
        label=capfirst(_("valid from")), required=False
    )
    valid_to = forms.DateField(
        label=capfirst(_("valid until")), required=False
    )


class ContractForm(ModelForm):
    class Meta:
        model = Contract
        fields = ["number", "start", "end", "maximum_amount", "procurement_reference"]


class PriceForm(ModelForm):
    class Meta:
        model = ContractPrice
        fields = [
            "component",
            "unit_price_individual",
            "unit_price_group",
            "valid_from",
            "valid_to",
        ]

    def __init__(self, *args, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        components = Component.objects.all()
        if on is not None:
            components = components.in_use_on(on)
        self.fields["component"].queryset = components


class ChangePriceForm(Form):
    from_date = forms.DateField(
        label=capfirst(_("new price from")),
        help_text=_("The current price ends the day before."),
    )
    unit_price_individual = forms.DecimalField(
        label=capfirst(_("individual unit price")),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    unit_price_group = forms.DecimalField(
        label=capfirst(_("group unit price")),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
