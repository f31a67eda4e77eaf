from datetime import date

import pytest
from django.db import IntegrityError

from components.models import Component, Domain, Form

pytestmark = pytest.mark.django_db


def test_the_data_migration_loads_the_27_components_of_the_pilot():
    codes = list(Component.objects.values_list("code", flat=True))
    assert codes == ["B1", "B2", "B3"] + [f"L{n:02d}" for n in range(1, 25)]


def test_base_support_components_are_b1_to_b3():
    assert set(Component.objects.filter(is_base_support=True).values_list("code", flat=True)) == {
        "B1",
        "B2",
        "B3",
    }


def test_components_carry_estonian_names_domains_forms_and_descriptions():
    l18 = Component.objects.get(code="L18")
    assert l18.name.startswith("Töö- või rakendustegevuse toetamine")
    assert l18.domain == Domain.OCCUPATION
    assert l18.form == Form.GROUP
    assert "kohandatud keskkonnas" in l18.description
    assert Component.objects.get(code="L05").name == "Intervallhoid"
    assert Component.objects.get(code="L11").form == Form.INDIVIDUAL
    assert all(c.description for c in Component.objects.all())


def test_a_component_code_cannot_be_used_twice():
    with pytest.raises(IntegrityError):
        Component.objects.create(code="L01", domain=Domain.LEISURE, name="x", form=Form.INDIVIDUAL)


def test_a_retired_component_stays_valid_before_its_retirement_day():
    l20 = Component.objects.get(code="L20")
    l20.retired_on = date(2026, 7, 1)
    l20.save()
    assert not l20.is_retired_on(date(2026, 6, 30))
    assert l20.is_retired_on(date(2026, 7, 1))
    assert l20 not in Component.objects.in_use_on(date(2026, 7, 1))
    assert l20 in Component.objects.in_use_on(date(2026, 6, 30))


def test_the_catalogue_page_marks_retired_components(client, coordinator_a):
    Component.objects.filter(code="L20").update(retired_on=date(2026, 7, 1))
    client.force_login(coordinator_a)
    response = client.get("/components/")
    content = response.content.decode()
    assert "Rakendus kogukonnas" in content
    assert "01.07.2026" in content
    assert content.count("Teenuse planeerimine") >= 1
