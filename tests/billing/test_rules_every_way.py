"""Every rule of the catalogue (billing.rules.RULES) by every way in: the session form, the week
grid, the import, the month's re-check and the close. Each rule's situation is built once
(:data:`SITUATIONS`) and the same delivery is sent through every way that can carry it; each
gives the same code, level and message (in Estonian), and an error writes nothing. A way that
cannot express a rule says why in :data:`NOT_APPLICABLE`; a rule added to the catalogue without
a row here fails :func:`test_every_rule_has_a_row_for_every_way_in`. (The catalogue's two
engines, one row and a set, are held together by tests/billing/test_rules_property.py.)"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from billing import imports, rules, services
from billing.forms import RuleTextField
from billing.models import BillingMonth, Delivery, Invoice, MonthState
from cases.models import Case
from components.models import Component
from providers.models import Provider, Specialist
from providers.pricing import NoPrice
from tests.billing.factories import build_world
from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    SpecialistFactory,
    component,
)

pytestmark = pytest.mark.django_db

WAYS = ("form", "grid", "import", "recheck", "close")
HEADER = "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja;algusaeg"
APRIL = date(2026, 4, 1)
DAY = date(2026, 4, 6)  # a Monday: the grid's week starts on it


@dataclass
class Scene:
    world: object
    coordinator: object
    specialist_user: object


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """The world is built once for the module, in a transaction rolled back at its end; each test
    runs in a savepoint inside it (pytest-django's own), so the facts one test changes are gone
    for the next. (The suite's personas are function-scoped, so they are made here alike.)"""
    from accounts.models import Role
    from tests.factories import MunicipalityFactory, UserFactory
    from tests.providers.factories import ProviderFactory

    with django_db_blocker.unblock(), transaction.atomic():
        kov = MunicipalityFactory(name="Alfa vald", code="9101")
        coordinator = UserFactory(username="koord_a", role=Role.COORDINATOR, municipality=kov)
        provider = ProviderFactory(name="MTÜ Persona Tugi", registry_code="80000008")
        ContractFactory(municipality=kov, provider=provider, number="PERSONA-1")
        specialist_user = UserFactory(username="spets", first_name="Pille", last_name="Pakkuja",
                                      role=Role.PROVIDER, municipality=None, provider=provider)
        yield Scene(build_world(kov, provider_user=specialist_user), coordinator, specialist_user)
        transaction.set_rollback(True)


@pytest.fixture
def world(scene, db):
    return scene.world


@pytest.fixture
def coordinator_a(scene, db):
    return scene.coordinator


@pytest.fixture
def provider_user(scene, db):
    return scene.specialist_user


# --- The facts each situation needs (applied before the delivery is sent; for the re-check of
# an error, after it was recorded, so that a recorded session meets the changed facts).


def recorded(world, **overrides) -> Delivery:
    """A session written straight to the table, as an earlier import would have left it."""
    values = {"municipality": world.kov, "case": world.case, "component": component("L23"),
              "provider": world.provider, "specialist": world.specialist, "contract": world.contract,
              "date": DAY, "minutes": 60, "form": "I", "unit_price": 30, "amount": 30}
    values.update(overrides)
    return Delivery.objects.create(**values)


def month_closed(world):
    BillingMonth.objects.update_or_create(municipality=world.kov, month=APRIL,
                                          defaults={"state": MonthState.CLOSED})


def person_left(world):
    Case.objects.filter(pk=world.case.pk).update(exit_date=date(2026, 4, 5), state="exited")


def other_providers_specialist(world):
    contract = ContractFactory(municipality=world.kov)
    SpecialistFactory(provider=contract.provider, name="Tiit Teine")


def qualification_required(world):
    Component.objects.filter(code="L23").update(required_qualification="Tegevusterapeut")


def price_removed(world):
    world.contract.prices.filter(component__code="L23").delete()


def same_session_recorded(world):
    recorded(world)


def specialist_busy(world):
    recorded(world, case=world.other_case, start_time=time(10, 0))


def l01_priced(world):
    ContractPriceFactory(contract=world.contract, component=component("L01"))


def ten_hours_recorded(world):
    recorded(world, date=date(2026, 4, 1), minutes=480, amount=240)
    recorded(world, date=date(2026, 4, 2), minutes=120, amount=60)


@dataclass
class Situation:
    #: The catalogue's parameters of the expected message.
    params: dict | Callable[[object], dict] = field(default_factory=dict)
    facts: Callable | None = None
    #: What is typed, over the default session (06.04.2026, L23, 60 min, I, Pille Pakkuja).
    typed: dict = field(default_factory=dict)
    #: The import is made as the provider's specialist, not the coordinator.
    as_provider: bool = False


def _form_name(form):
    return rules._form_name(form)


SITUATIONS: dict[str, Situation] = {
    "date_invalid": Situation({"value": "2026/04/06"}, typed={"date": "2026/04/06"}),
    "date_impossible": Situation({"value": "31.04.2026"}, typed={"date": "31.04.2026"}),
    "time_invalid": Situation({"value": "25:99"}, typed={"start": "25:99"}),
    "minutes_invalid": Situation({"value": "600", "max": 480}, typed={"minutes": "600"}),
    "text_nul": Situation(lambda w: {"field": rules.FIELD_NAMES["recipient_name"]}, typed={"recipient": "Ema\x00"}),
    "text_too_long": Situation(lambda w: {"field": rules.FIELD_NAMES["recipient_name"], "length": 201, "max": 200},
                               typed={"recipient": "N" * 201}),
    "isikukood_invalid": Situation({"value": "49005170013"}, typed={"isikukood": "49005170013"}),
    "person_not_reachable": Situation({"value": "37605030299"}, typed={"isikukood": "37605030299"}),
    "component_unknown": Situation({"value": "L98"}, typed={"component": "L98"}),
    "provider_unknown": Situation({"value": "99999999"}, typed={"provider": "99999999"}),
    "provider_not_own": Situation(
        lambda w: {"value": Provider.objects.exclude(pk=w.provider.pk).get()}, facts=other_providers_specialist,
        typed={"provider": lambda w: Provider.objects.exclude(pk=w.provider.pk).get().registry_code},
        as_provider=True,
    ),
    "specialist_unknown": Situation({"value": "Keegi Teine"}, typed={"specialist": "Keegi Teine"}),
    "form_invalid": Situation({"value": "X"}, typed={"form": "X"}),
    "other_municipality": Situation(),
    "locked": Situation({"month": "04.2026"}, facts=month_closed),
    "not_participant": Situation({"date": "06.04.2026"}, facts=person_left),
    "specialist_other_provider": Situation({"value": "Tiit Teine"}, facts=other_providers_specialist,
                                           typed={"specialist": "Tiit Teine"}),
    "not_qualified": Situation(
        {"component": "L23", "qualification": "Tegevusterapeut", "specialist": "Pille Pakkuja", "date": "06.04.2026"},
        facts=qualification_required,
    ),
    "no_price": Situation(
        lambda w: {"component": "L23", "date": "06.04.2026",
                   "reason": NoPrice.MESSAGES[NoPrice.COMPONENT_NOT_IN_CONTRACT]},
        facts=price_removed,
    ),
    "already_recorded": Situation(facts=same_session_recorded),
    "overlap": Situation({"time": "10:00", "date": "06.04.2026"}, facts=specialist_busy, typed={"start": "10:30"}),
    "not_on_plan": Situation(
        {"hours": "1,00", "component": "L01", "form": "I", "month": "04.2026", "date": "06.04.2026"},
        facts=l01_priced, typed={"component": "L01"},
    ),
    "form_not_on_plan": Situation(
        lambda w: {"component": "L23", "planned": _form_name("I"), "form": _form_name("G")}, typed={"form": "G"},
    ),
    "beyond_plan": Situation(
        {"hours": "11,00", "component": "L23", "form": "I", "month": "04.2026", "planned": "10,00"},
        facts=ten_hours_recorded,
    ),
    # A file as a whole: see test_a_file_rule_refuses_the_file_with_the_catalogues_message.
    "duplicate_in_file": Situation({"line": 2}),
    "file_too_large": Situation(),
    "too_many_rows": Situation(),
    "file_unreadable": Situation({"value": "osalemine.xlsx"}),
}

_TYPED = "nothing is typed there: the person, component, provider and specialist are chosen from lists"
_NOT_STORED = "the value never reaches the table: the database refuses it (a recorded session cannot hold it)"
_FILE = "a rule of a file as a whole"
_GRID_CELLS = "the grid offers a cell only where a plan line is in force and the person participates"

NOT_APPLICABLE: dict[str, dict[str, str]] = {
    "date_invalid": {"grid": "the grid's days are the page's columns, not typed", "recheck": _NOT_STORED,
                     "close": _NOT_STORED},
    "date_impossible": {"grid": "the grid's days are the page's columns, not typed", "recheck": _NOT_STORED,
                        "close": _NOT_STORED},
    "time_invalid": {"grid": "the grid has no start time", "recheck": _NOT_STORED, "close": _NOT_STORED},
    "minutes_invalid": {"recheck": _NOT_STORED + " (delivery_minutes_at_most_a_day)", "close": _NOT_STORED},
    "text_nul": {"form": "a browser's NUL never reaches the form: the middleware answers 400 "
                         "(test_a_nul_character_or_an_over_long_name_is_a_row_error_on_the_form_not_a_server_error)",
                 "grid": "the grid has no free text", "recheck": _NOT_STORED, "close": _NOT_STORED},
    "text_too_long": {"grid": "the grid has no free text", "recheck": _NOT_STORED, "close": _NOT_STORED},
    "isikukood_invalid": {"form": _TYPED, "grid": _TYPED, "recheck": _NOT_STORED, "close": _NOT_STORED},
    "person_not_reachable": {
        "form": "the person list holds only reachable persons; any other is an invalid choice (test_reach.py)",
        "grid": "the grid lists only the user's provider's plan lines (test_reach.py)",
        "recheck": "a recorded session's person is the coordinator's own", "close": "as the re-check"},
    "component_unknown": {"form": _TYPED, "grid": _TYPED, "recheck": _NOT_STORED, "close": _NOT_STORED},
    "provider_unknown": {"form": _TYPED, "grid": _TYPED, "recheck": _NOT_STORED, "close": _NOT_STORED},
    "provider_not_own": {"form": "a specialist's provider list holds only their own; another is a 404",
                         "grid": "the grid records for the user's own provider", "recheck": _NOT_STORED,
                         "close": _NOT_STORED},
    "specialist_unknown": {"form": _TYPED, "grid": _TYPED, "recheck": _NOT_STORED, "close": _NOT_STORED},
    "form_invalid": {"form": "the form offers I and G only; another value is an invalid choice",
                     "grid": "a cell's form is its plan line's", "recheck": _NOT_STORED + " (a choice column)",
                     "close": _NOT_STORED},
    "other_municipality": {
        way: "every way in looks persons up within the municipality (another's is person_not_reachable); the "
             "rule guards the service itself (test_rules_property.py)" for way in WAYS},
    "locked": {"close": "the month is closed already; the close refuses a closed month for that reason"},
    "not_participant": {"grid": _GRID_CELLS},
    "specialist_other_provider": {
        "grid": "the grid records as the user's own specialist",
        "import": "the import looks the specialist up among the provider's own: specialist_unknown",
        "recheck": _NOT_STORED + " (trigger: the specialist works for the delivery's provider)",
        "close": _NOT_STORED},
    "not_qualified": {},
    "no_price": {},
    "already_recorded": {"recheck": _NOT_STORED + " (delivery_no_exact_duplicate)", "close": _NOT_STORED},
    "overlap": {"grid": "the grid has no start time",
                "recheck": "of two recorded overlapping sessions the later carries it, naming the earlier one's "
                           "time (test_rules_property.py)",
                "close": "as the re-check"},
    "not_on_plan": {"grid": _GRID_CELLS},
    "form_not_on_plan": {"grid": "a cell's form is its plan line's"},
    "beyond_plan": {},
    **{code: {way: _FILE for way in WAYS if way != "import"}
       for code in ("duplicate_in_file", "file_too_large", "too_many_rows", "file_unreadable")},
}

FILE_RULES = ("duplicate_in_file", "file_too_large", "too_many_rows", "file_unreadable")


def test_every_rule_has_a_row_for_every_way_in():
    assert set(SITUATIONS) == set(rules.RULES) == set(NOT_APPLICABLE)
    for code, reasons in NOT_APPLICABLE.items():
        assert set(reasons) <= set(WAYS), code
        assert all(reason.strip() for reason in reasons.values()), code


CELLS = [(code, way) for code in rules.RULES for way in WAYS
         if way not in NOT_APPLICABLE[code] and code not in FILE_RULES]


# --- Sending the same delivery each way


def _typed(world, situation) -> dict:
    values = {"isikukood": world.case.person.isikukood, "date": "06.04.2026", "component": "L23",
              "provider": world.provider.registry_code, "minutes": "60", "form": "I",
              "specialist": "Pille Pakkuja", "recipient": "", "start": ""}
    for name, value in situation.typed.items():
        values[name] = value(world) if callable(value) else value
    return values


def expected(world, code, situation) -> dict:
    with translation.override("et"):
        params = situation.params(world) if callable(situation.params) else situation.params
        return rules.problem(code, **params).as_dict()


def _page(response) -> str:
    return html.unescape(response.content.decode())


def send_by_form(client, world, values, user):
    client.force_login(user)
    specialist = Specialist.objects.filter(name=values["specialist"]).first()
    data = {
        "case": Case.objects.get(person__isikukood=values["isikukood"]).pk,
        "component": Component.objects.get(code=values["component"]).pk,
        "provider": Provider.objects.get(registry_code=values["provider"]).pk,
        "specialist": specialist.pk, "date": values["date"], "start_time": values["start"],
        "minutes": values["minutes"], "form": values["form"], "recipient_name": values["recipient"], "note": "",
    }
    return _page(client.post("/billing/deliveries/add/", data, HTTP_ACCEPT_LANGUAGE="et"))


def send_by_grid(client, world, values, user):
    client.force_login(user)
    line = world.case.plans.first().lines.get(component__code=values["component"], form="I")
    return _page(client.post("/billing/attendance/", {"week": DAY.isoformat(),
                                                      f"c-{line.pk}-{DAY.isoformat()}": values["minutes"]},
                             HTTP_ACCEPT_LANGUAGE="et"))


def import_content(values, *, times=1) -> bytes:
    line = ";".join(values[k] for k in ("isikukood", "date", "component", "provider", "minutes", "form",
                                          "specialist", "recipient", "start"))
    return "\n".join([HEADER] + [line] * times).encode()


def send_by_import(world, values, user):
    with translation.override("et"):
        return imports.import_attendance(content=import_content(values), filename="a.csv",
                                         municipality=world.kov, by=user)


def stored_problems() -> list[dict]:
    return [p for d in Delivery.objects.filter(date__gte=APRIL).order_by("pk") for p in d.problems]


@pytest.mark.parametrize(("code", "way"), CELLS)
def test_a_rule_gives_the_same_verdict_and_message_by_every_way_in(
    client, world, coordinator_a, provider_user, code, way
):
    situation = SITUATIONS[code]
    is_error = rules.RULES[code].is_error
    if way in ("recheck", "close"):
        values, want = _typed(world, situation), expected(world, code, situation)
        # The session is recorded (valid then); the facts change; the month is checked again.
        if situation.facts and not is_error:
            situation.facts(world)
        draft_values = {"date": DAY, "minutes": int(values["minutes"]), "form": values["form"],
                        "component": component(values["component"]),
                        "start_time": time.fromisoformat(values["start"]) if values["start"] else None}
        services.record_deliveries(drafts=[world.draft(**draft_values)], by=coordinator_a)
        if situation.facts and is_error:
            situation.facts(world)
        with translation.override("et"):
            if code == "locked":
                with pytest.raises(services.BillingError) as refused:
                    services.recheck_month(municipality=world.kov, month=APRIL)
                assert refused.value.messages == [want["message"]]
                return
            services.recheck_month(municipality=world.kov, month=APRIL)
        assert want in stored_problems()
        if way == "close":
            counts = (1, 0, 0, 0, 0) if is_error else (0, 1, 0, 0, 0)
            with translation.override("et"):
                reason = rules.reasons_from(counts)[0]
                with pytest.raises(services.BillingError) as refused:
                    services.close_month(municipality=world.kov, month=APRIL, by=coordinator_a,
                                         today=date(2026, 5, 4))
            assert reason in refused.value.messages
            assert not Invoice.objects.exists()
            assert BillingMonth.objects.get(municipality=world.kov, month=APRIL).state == MonthState.OPEN
        return

    if situation.facts:
        situation.facts(world)
    values = _typed(world, situation)  # what is typed may name what the facts made
    want = expected(world, code, situation)
    before = set(Delivery.objects.values_list("pk", flat=True))
    if way == "import":
        importer = provider_user if situation.as_provider else coordinator_a
        if code == "already_recorded":  # reported per line, not a refusal: the line is not added again
            result = send_by_import(world, values, importer)
            assert (result.created, result.already) == (0, [(2, want["message"])])
        elif is_error:
            with pytest.raises(imports.ImportRefused) as refused:
                send_by_import(world, values, importer)
            assert [p.as_dict() for p in refused.value.problems[2]] == [want]
        else:
            assert send_by_import(world, values, importer).created == 1
    else:
        send = send_by_form if way == "form" else send_by_grid
        page = send(client, world, values, coordinator_a if way == "form" else provider_user)
        if is_error:
            assert want["message"] in page
    new = Delivery.objects.exclude(pk__in=before)
    if is_error:
        assert not new.exists()
    else:  # a warning: recorded, carrying exactly the catalogue's problem
        assert [d.problems for d in new] == [[want]]


def test_a_file_rule_refuses_the_file_with_the_catalogues_message(client, world, coordinator_a):
    """The rules of a file as a whole, through the import page: nothing is written."""
    values = _typed(world, Situation())
    client.force_login(coordinator_a)

    def upload(content, name="osalemine.csv"):
        return _page(client.post("/billing/import/", {"municipality": world.kov.pk,
                                                      "file": SimpleUploadedFile(name, content)},
                                 HTTP_ACCEPT_LANGUAGE="et"))

    def message(code, **params):
        with translation.override("et"):
            return rules.problem(code, **params).message

    assert message("duplicate_in_file", line=2) in upload(import_content(values, times=2))
    with override_settings(IMPORT_MAX_ROWS=1):
        assert message("too_many_rows", max=1) in upload(import_content(values, times=2))
    content = import_content(values)
    with override_settings(IMPORT_MAX_BYTES=10):
        with translation.override("et"):
            size, limit = imports.file_size(len(content)), imports.file_size(10)
        assert message("file_too_large", size=size, max=limit) in upload(content)
    assert message("file_unreadable", value="osalemine.xlsx") in upload(b"PK\x03\x04 not a workbook",
                                                                         "osalemine.xlsx")
    assert not Delivery.objects.exists()


def test_a_nul_character_is_a_row_error_on_the_form_not_a_server_error(client, world, coordinator_a):
    with translation.override("et"):
        nul = rules.problem("text_nul", field=rules.FIELD_NAMES["note"]).message
    client.force_login(coordinator_a)
    # A NUL from a browser never reaches the form: the middleware refuses the request (400).
    assert client.post("/billing/deliveries/add/", {"note": "kohtumine\x00"}).status_code == 400
    assert not Delivery.objects.exists()
    # The form itself refuses it too (for callers that build it directly): the catalogue's message.
    with translation.override("et"), pytest.raises(ValidationError) as refused:
        RuleTextField(rule_name="note").clean("kohtumine\x00")
    assert refused.value.messages == [nul]
