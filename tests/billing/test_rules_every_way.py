"""Every way in gives a rule the same verdict and the same message: the week grid, the session
form, the import, the month's re-check. (The catalogue's two engines, one row and a set, are held
together by tests/billing/test_rules_property.py.)"""

import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from billing import imports, rules, services
from billing.forms import RuleTextField
from billing.models import Delivery
from tests.billing.factories import build_world

pytestmark = pytest.mark.django_db

HEADER = "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja"


@pytest.fixture
def world(kov_a, provider_user):
    return build_world(kov_a, provider_user=provider_user)


def import_problems(world, by, *lines) -> dict[int, list[rules.Problem]]:
    reg, code = world.provider.registry_code, world.case.person.isikukood
    content = "\n".join([HEADER] + [line.format(code=code, reg=reg) for line in lines]).encode()
    with translation.override("et"), pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=by)
    return refused.value.problems


def form_post(client, world, **fields):
    data = {"case": world.case.pk, "component": world.case.plans.first().lines.get(component__code="L23").component_id,
            "provider": world.provider.pk, "specialist": world.specialist.pk, "date": "2026-04-06",
            "minutes": "60", "form": "I", "recipient_name": "", "note": ""}
    data.update(fields)
    return html.unescape(client.post("/billing/deliveries/add/", data).content.decode())


def test_minutes_beyond_a_working_day_get_the_same_message_in_the_grid_the_form_and_the_import(
    client, world, provider_user
):
    with translation.override("et"):
        message = rules.problem("minutes_invalid", value="600", max=480).message
    assert message == "„600“ ei ole täisarv minuteid vahemikus 1 kuni 480 (üks tööpäev)."
    client.force_login(provider_user)
    line = world.case.plans.first().lines.get(component__code="L23")
    grid = html.unescape(client.post("/billing/attendance/", {"week": "2026-04-06", f"c-{line.pk}-2026-04-06": "600"})
                         .content.decode())
    assert message in grid
    assert message in form_post(client, world, minutes="600")
    found = import_problems(world, provider_user, "{code};06.04.2026;L23;{reg};600;I;Pille Pakkuja;")
    assert [(p.code, p.message) for p in found[2]] == [("minutes_invalid", message)]
    assert not Delivery.objects.exists()


def test_a_date_outside_participation_gets_the_same_message_in_the_form_and_the_import(client, world, coordinator_a):
    with translation.override("et"):
        message = rules.problem("not_participant", date="06.01.2026").message
    client.force_login(coordinator_a)
    assert message in form_post(client, world, date="2026-01-06")
    found = import_problems(world, coordinator_a, "{code};06.01.2026;L23;{reg};60;I;Pille Pakkuja;")
    assert ("not_participant", message) in [(p.code, p.message) for p in found[2]]
    assert not Delivery.objects.exists()


def test_hours_beyond_the_plan_get_the_same_warning_from_the_form_the_import_and_the_recheck(world, coordinator_a):
    """11 h of L23 against 10 h: recorded through the service (form, grid), imported, re-checked."""
    with translation.override("et"):
        services.record_deliveries(drafts=[world.draft(date=date(2026, 4, 1), minutes=480),
                                           world.draft(date=date(2026, 4, 2), minutes=180)], by=coordinator_a)
        by_form = Delivery.objects.get(date=date(2026, 4, 2)).problems
        Delivery.objects.all().delete()
        content = "\n".join([HEADER, f"{world.case.person.isikukood};01.04.2026;L23;{world.provider.registry_code};480;I;"
                                     "Pille Pakkuja;",
                             f"{world.case.person.isikukood};02.04.2026;L23;{world.provider.registry_code};180;I;"
                             "Pille Pakkuja;"]).encode()
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
        by_import = Delivery.objects.get(date=date(2026, 4, 2)).problems
        services.recheck_month(municipality=world.kov, month=date(2026, 4, 1))
        by_recheck = Delivery.objects.get(date=date(2026, 4, 2)).problems
    expected = [{"code": "beyond_plan", "level": "warning",
                 "message": "11,00 h komponenti L23 (I) kuus 04.2026 on rohkem kui plaani 10,00 h tema kehtivuspäevade eest."}]
    assert by_form == by_import == by_recheck == expected


def test_a_nul_character_or_an_over_long_name_is_a_row_error_on_the_form_not_a_server_error(client, world, coordinator_a):
    with translation.override("et"):
        nul = rules.problem("text_nul", field=rules.FIELD_NAMES["note"]).message
        long = rules.problem("text_too_long", field=rules.FIELD_NAMES["recipient_name"], length=201, max=200).message
    client.force_login(coordinator_a)
    # A NUL from a browser never reaches the form: the middleware refuses the request (400).
    assert client.post("/billing/deliveries/add/", {"note": "kohtumine\x00"}).status_code == 400
    assert long in form_post(client, world, recipient_name="x" * 201)
    assert not Delivery.objects.exists()
    # The form itself refuses it too (for callers that build it directly): the catalogue's message.
    with translation.override("et"), pytest.raises(ValidationError) as refused:
        RuleTextField(rule_name="note").clean("kohtumine\x00")
    assert refused.value.messages == [nul]
